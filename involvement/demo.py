"""Demo users, one per role, called by ``manage.py seed_demo``. Deterministic and idempotent."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from involvement.access import Role, role_group
from projects.models import Directorate


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role
    directorates: tuple[str, ...] = ()


DEMO_USERS = [
    DemoUser("admin", "Amara", "Okafor", Role.ADMIN),
    DemoUser("ppl", "Priya", "Patel", Role.PPL, ("newham", "tower-hamlets")),
    DemoUser("lead", "Liam", "Byrne", Role.LEAD, ("newham",)),
    DemoUser("su", "Sam", "Taylor", Role.SU),
    DemoUser("chair", "Charlotte", "Mensah", Role.CHAIR),
    # More PPLs, so most directorates have one; Primary care is left without (the app flags it).
    DemoUser(
        "ppl-hackney", "Hannah", "Brooks", Role.PPL, ("city-hackney", "community-health-newham")
    ),
    DemoUser(
        "ppl-luton",
        "Leon",
        "Ahmed",
        Role.PPL,
        ("luton-bedfordshire", "bedfordshire-community-health-services"),
    ),
    DemoUser("ppl-forensic", "Fatima", "Hussain", Role.PPL, ("forensic-services",)),
    DemoUser(
        "ppl-camhs",
        "Chloe",
        "Davies",
        Role.PPL,
        ("child-adolescent-services-camhs", "mother-baby-unit"),
    ),
    DemoUser("ppl-iapt", "Ife", "Adeyemi", Role.PPL, ("talking-therapies-iapt",)),
]


def seed_users(password: str, *, reset_existing: bool) -> list[tuple[str, str, bool]]:
    """Create the demo users; returns (username, role, created). ``password`` is set on users
    created now, and on the existing demo users too when ``reset_existing``."""
    User = get_user_model()
    results = []
    for demo in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=demo.username,
            defaults={
                "first_name": demo.first_name,
                "last_name": demo.last_name,
                "email": f"{demo.username}@example.nhs.uk",
            },
        )
        if demo.role == Role.ADMIN:
            user.is_staff = user.is_superuser = True
        if created or reset_existing:
            user.set_password(password)
        user.save()
        user.groups.add(role_group(demo.role))
        for slug in demo.directorates:
            Directorate.objects.get(slug=slug).staff.add(user)
        results.append((demo.username, str(demo.role), created))
    return results
