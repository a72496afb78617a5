"""Helpers for the data protection tests: a person with something in every place the app keeps
personal data, and a scan of every text column of every table."""

from __future__ import annotations

import datetime
import json
from types import SimpleNamespace

from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from involvement.access import Role
from involvement.models import Invitation, Person, Training
from tests.factories import (
    PASSWORD,
    ActivityFactory,
    MembershipFactory,
    PersonFactory,
    ProjectFactory,
    RoleDescriptionFactory,
    UserFactory,
)

NAME = "Zelda Quartermaine"
SURNAME = "Quartermaine"
EMAIL = "zelda.quartermaine@example.org"
PHONE = "07700 900461"
NEEDLES = (NAME, SURNAME, EMAIL, PHONE)

PERSON_FORM = {
    "name": NAME,
    "kind": "service_user",
    "email": EMAIL,
    "phone": "07700 900999",
    "address": "1 Quartermaine Road, London",
    "preferred_contact": "phone",
    "available_days": ["mon"],
    "available_times": ["morning"],
    "attendance": "remote",
    "availability_note": "Not in school holidays",
    "access_needs": ["interpreter"],
    "interpreter_language": "Polish",
    "access_needs_note": "Breaks every hour",
    "payment_preference": "paid",
    "lifeqi_access": "on",
    "active": "on",
}


def text_columns(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.EmailField | models.JSONField)
    ]


def places_containing(*needles: str) -> list[str]:
    """Every "app.Model.field#pk" whose value contains one of ``needles`` (case-insensitive), over
    every CharField, TextField, EmailField and JSONField of every model — history tables, the
    admin log, the sign-in log and many-to-many tables included. Read in Python, independently of
    the app's own search, so a test of the erasure does not trust the code it tests."""
    lowered = [needle.lower() for needle in needles]
    hits = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:
            continue
        columns = text_columns(model)
        if not columns:
            continue
        for row in model._base_manager.values_list("pk", *[f.attname for f in columns]):
            for column, value in zip(columns, row[1:], strict=True):
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                if any(needle in text.lower() for needle in lowered):
                    hits.append(f"{model._meta.label}.{column.name}#{row[0]}")
    return hits


def rich_person(*, directorate, admin, ppl) -> SimpleNamespace:
    """Zelda, with data in every place: profile, account (signed in once, failed once), training,
    an invitation, a membership, an activity naming her, a role description, a story she wrote and
    is named in (with a review comment), a named charter reflection, an admin-site log entry, and
    history rows written through the person page by a PPL."""
    from stories import services as story_services

    person = PersonFactory(name=NAME, email=EMAIL, phone=PHONE, directorates=[directorate])
    user = UserFactory(
        username=EMAIL, first_name="Zelda", last_name=SURNAME, email=EMAIL, roles=[Role.SU]
    )
    person.user = user
    person.save()
    # A sign-in and a failed one: django-axes logs both under the username.
    browser = Client()
    assert (
        browser.post(reverse("login"), {"username": EMAIL, "password": PASSWORD}).status_code == 302
    )
    Client(REMOTE_ADDR="10.0.0.7").post(reverse("login"), {"username": EMAIL, "password": "wrong"})

    project = ProjectFactory(directorate=directorate, title="Calmer wards")
    little_i_project = ProjectFactory(directorate=directorate, title="Feedback on meals")
    membership = MembershipFactory(project=project, person=person, role=f"Team member ({NAME})")
    activity = ActivityFactory(project=little_i_project, note=f"{NAME} ran the focus group")
    activity.people.add(person)
    description = RoleDescriptionFactory(
        person=person,
        project=project,
        working_needs="Papers in large print",
        hopes=f"{NAME} hopes to learn QI",
    )
    Training.objects.create(
        person=person, course="Pocket QI", completed_on=datetime.date(2024, 3, 1), note="Top marks"
    )
    Invitation.objects.create(
        person=person,
        email=EMAIL,
        nonce_hash="0" * 64,
        expires_at=timezone.now() + datetime.timedelta(days=7),
        used_at=timezone.now(),
    )
    story = story_services.story_create(
        author=user,
        title=f"How {NAME} changed our ward",
        body=f"{NAME} told us what the ward felt like. Write to {EMAIL}.",
        directorate=directorate,
        principles=("collaborate",),
    )
    story_services.named_person_add(story=story, by=admin, name=NAME, person=person)
    story_services.story_submit(story=story, by=user)
    story_services.story_request_changes(
        story=story, by=admin, comment=f"Please ask {NAME} to check the second paragraph."
    )
    story_services.reflection_record(
        project=project,
        by=user,
        meeting_date=datetime.date(2024, 5, 2),
        answers={"collaborate": ("kept", f"{NAME} felt heard")},
        comment="A good meeting",
        anonymous=False,
    )
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Person),
        object_id=str(person.pk),
        object_repr=NAME,
        action_flag=CHANGE,
        change_message=f"Changed phone of {NAME}.",
    )
    # A change through the person page: the history records the PPL as its author.
    staff = Client()
    staff.force_login(ppl)
    response = staff.post(
        reverse("involvement:person_edit", args=[person.pk]),
        {**PERSON_FORM, "directorates": [directorate.pk]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    staff.get(reverse("involvement:person_detail", args=[person.pk]))
    person.refresh_from_db()
    return SimpleNamespace(
        person=person,
        user=user,
        project=project,
        little_i_project=little_i_project,
        membership=membership,
        activity=activity,
        description=description,
        story=story,
    )
