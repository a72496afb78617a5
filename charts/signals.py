"""Drop the cached chart scopes (charts.selectors.ScopeCatalogue) when a directorate or forum, or a
forum's directorates, change."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from charts.selectors import CATALOGUE_KEY
from projects.models import Directorate, Forum


@receiver(post_save, sender=Directorate)
@receiver(post_delete, sender=Directorate)
@receiver(post_save, sender=Forum)
@receiver(post_delete, sender=Forum)
@receiver(m2m_changed, sender=Forum.directorates.through)
def scopes_changed(sender, **kwargs) -> None:
    cache.delete(CATALOGUE_KEY)
