"""The project page keeps its charter reflections summary cached under ``Project.page_version``
(see projects.views.projects): a new or removed reflection, and a new name of an author, bump it."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from projects.models import Project
from stories.models import Reflection, ReflectionAnswer, ReflectionAuthor


@receiver(post_save, sender=Reflection)
@receiver(post_delete, sender=Reflection)
def reflection_written(sender, instance: Reflection, **kwargs) -> None:
    Project.objects.filter(pk=instance.project_id).page_changed()


@receiver(post_save, sender=ReflectionAnswer)
@receiver(post_delete, sender=ReflectionAnswer)
@receiver(post_save, sender=ReflectionAuthor)
@receiver(post_delete, sender=ReflectionAuthor)
def reflection_part_written(sender, instance, **kwargs) -> None:
    Project.objects.filter(charter_reflections__pk=instance.reflection_id).page_changed()


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def user_written(sender, instance, created: bool, update_fields=None, **kwargs) -> None:
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return  # a sign-in changes no name
    # An author's name is shown with their comments.
    Project.objects.filter(charter_reflections__author__user=instance).page_changed()
