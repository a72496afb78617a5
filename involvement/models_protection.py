"""Data protection records: the log of staff reading a person's record, and the erasures.

``involvement.models`` imports this module, so these are ordinary models of the app. The history of
changes itself is kept by django-simple-history on the models it describes (``history = …``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AccessPage(models.TextChoices):
    """Which page of a person's record was read."""

    RECORD = "record", "Their page in the people register"
    EDIT = "edit", "Edit their details"
    ROLE_DESCRIPTION = "role_description", "A role description of theirs"
    HISTORY = "history", "The history of their record"
    EXPORT = "export", "Subject access export (page)"
    EXPORT_JSON = "export_json", "Subject access export (JSON file)"


class PersonAccess(models.Model):
    """A member of staff read a person's record: who, whom, when and which page.

    Written by the person pages themselves (``services_protection.access_log_record``), one row a
    request. After an erasure the rows stay, pointing at the pseudonymised person.
    """

    person = models.ForeignKey(
        "involvement.Person", on_delete=models.CASCADE, related_name="access_log"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Kept as written, so the log still says who read the record if the account goes.
    username = models.CharField(max_length=150)
    page = models.CharField(max_length=20, choices=AccessPage.choices)
    path = models.CharField(max_length=300)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["person", "-at"])]
        verbose_name = "access to a person's record"
        verbose_name_plural = "access log"

    def __str__(self) -> str:
        return f"{self.username} read person {self.person_id} ({self.page}) on {self.at:%Y-%m-%d}"


class PersonErasure(models.Model):
    """A person's record was anonymised: by whom, when and why.

    The reason must not name the person (the form refuses it). ``leftovers`` lists, without the
    old values, the places outside the person's own records where their old name or contact
    details were still found in free text, for the admin to review.
    """

    person = models.OneToOneField(
        "involvement.Person", on_delete=models.CASCADE, related_name="erasure"
    )
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    erased_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(max_length=1000)
    leftovers = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-erased_at", "-pk"]

    def __str__(self) -> str:
        return f"Erasure of person {self.person_id} on {self.erased_at:%Y-%m-%d}"
