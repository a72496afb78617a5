"""The ground of Big I: directorates (and, built on them, QI projects and forums)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Directorate(models.Model):
    """A part of the trust (Newham, Forensic services, CAMHS, …).

    ``staff`` links users to the directorates they work in; a user in the PPL group who works in a
    directorate is one of its People Participation Leads (``involvement.access`` decides that).
    """

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="directorates",
        blank=True,
        help_text="Staff who work in this directorate. Those in the PPL group are its PPLs.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
