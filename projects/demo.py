"""Demo data of the projects app, called by ``manage.py seed_demo``.

Deterministic and idempotent."""

from __future__ import annotations

from django.utils.text import slugify

from projects.models import Directorate

# The seed's services (seed/000_…txt, first slide), as directorates of the trust.
DIRECTORATES = [
    "Newham",
    "Tower Hamlets",
    "City & Hackney",
    "Luton & Bedfordshire",
    "Forensic services",
    "Child & Adolescent services (CAMHS)",
    "Mother & Baby unit",
    "Bedfordshire Community Health Services",
    "Community Health Newham",
    "Talking therapies (IAPT)",
    "Primary care",
]


def seed_directorates() -> list[Directorate]:
    directorates = []
    for name in DIRECTORATES:
        directorate, _ = Directorate.objects.get_or_create(
            slug=slugify(name), defaults={"name": name}
        )
        directorates.append(directorate)
    return directorates
