"""Keep the derived levels table in step with every write, whatever path it comes by (views,
services, the admin site, the shell)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from involvement import levels
from involvement.models import Activity, TeamMembership
from projects.models import Project


@receiver(post_save, sender=Project)
@receiver(post_delete, sender=Project)
def project_written(sender, instance: Project, **kwargs) -> None:
    levels.project_changed(instance.pk)


@receiver(post_save, sender=TeamMembership)
@receiver(post_delete, sender=TeamMembership)
@receiver(post_save, sender=Activity)
@receiver(post_delete, sender=Activity)
def involvement_written(sender, instance, **kwargs) -> None:
    levels.project_changed(instance.project_id)
