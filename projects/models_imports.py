"""An import on its way in (issue 10: a whole trust's history takes tens of seconds, so the admin
page must not wait on it).

An ``ImportJob`` holds the uploaded CSV from the upload to the end of the import: the preview reads
it, "Apply" queues the job and a background thread runs it (``projects.services_imports``), and
the job's page follows its progress. The file's text is emptied when the import ends, done or not:
the rows are then in the database (or were refused), and the file names people.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportJobStatus(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded, not applied"
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Not imported"


class ImportJob(models.Model):
    # projects.imports.KINDS (not imported here: the parser imports the models).
    kind = models.CharField(
        max_length=20,
        choices=[
            ("projects", "Life QI projects"),
            ("involvement", "Team members and activities"),
        ],
    )
    file_name = models.CharField(max_length=255)
    text = models.TextField(blank=True, help_text="The uploaded file, until the import ends.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=ImportJobStatus.choices, default=ImportJobStatus.UPLOADED
    )
    total_rows = models.PositiveIntegerField(default=0)
    rows_new = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    # The first errors of a refused file, as sentences ("Row 3, column status: …"), and how many
    # there were in all.
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_kind_display()}, {self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED)

    @property
    def is_waiting(self) -> bool:
        """Queued or running: the page shows progress."""
        return self.status in (ImportJobStatus.QUEUED, ImportJobStatus.RUNNING)
