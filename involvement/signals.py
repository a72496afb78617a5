"""Keep the derived levels table in step with every write, whatever path it comes by (views,
services, the admin site, the shell)."""

from __future__ import annotations

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from involvement import levels
from involvement.models import Activity, Person, TeamMembership
from projects.models import ProgressScore, Project


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


# The project page caches its scores, team and activities under ``Project.page_version``; the
# writes above bump it through the levels rebuild. These change what the page shows without
# changing any level: a progress score, a person's name, and the people named on an activity.


@receiver(post_save, sender=ProgressScore)
@receiver(post_delete, sender=ProgressScore)
def score_written(sender, instance: ProgressScore, **kwargs) -> None:
    Project.objects.filter(pk=instance.project_id).page_changed()


@receiver(post_save, sender=Person)
def person_written(sender, instance: Person, created: bool, **kwargs) -> None:
    if created:
        return
    Project.objects.filter(
        Q(pk__in=TeamMembership.objects.filter(person=instance).values("project_id"))
        | Q(pk__in=Activity.objects.filter(people=instance).values("project_id"))
    ).page_changed()


@receiver(m2m_changed, sender=Activity.people.through)
def activity_people_changed(sender, instance, action: str, pk_set, **kwargs) -> None:
    if isinstance(instance, Activity):
        if action.startswith("post_"):
            Project.objects.filter(pk=instance.project_id).page_changed()
        return
    # Changed from the person's side: the activities named, or all of them before a clear.
    if action == "pre_clear":
        activities = Activity.objects.filter(people=instance)
    elif action in {"post_add", "post_remove"}:
        activities = Activity.objects.filter(pk__in=pk_set or ())
    else:
        return
    Project.objects.filter(pk__in=activities.values("project_id")).page_changed()
