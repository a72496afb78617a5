"""Every form and import of the app, fuzzed: hypothesis puts hostile text (unicode with RTL and
emoji, very long strings, control characters with NUL, SQL and HTML payloads) into one field of a
valid submission at a time. Never a 500, and never stored script: after the post, the page it
leads to and the pages that show the value carry it escaped.

Each example runs in a savepoint that is rolled back, so every example meets the same world.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from involvement.access import Role
from tests.factories import (
    ActivityFactory,
    DirectorateFactory,
    InterestFactory,
    MembershipFactory,
    OpportunityFactory,
    PersonFactory,
    ProjectFactory,
    RoleDescriptionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Written so that showing them unescaped would be visible in the HTML as these exact strings.
SCRIPT = '<script>alert("bigi")</script>'
IMAGE = '"><img src=x onerror=alert(1)>'
RAW_MARKERS = ('<script>alert("bigi")', "<img src=x onerror")
PAYLOADS = [
    SCRIPT,
    IMAGE,
    "<svg/onload=alert(1)>",
    "'; DROP TABLE involvement_person; --",
    "' OR '1'='1",
    'Robert"); DELETE FROM auth_user; --',
    "{{ request.user.password }}{% debug %}",
    "\u202eevil\u202c txt.exe",
    "مرحبا بكم في المشروع",
    "שלום עולם",
    "👩🏽‍⚕️🧠✨ co-production",
    "a\x00b",
    "\x00",
    "\x1b[31mred\x07",
    "line one\r\nline two\ttabbed",
    "%00%27",
    "../../etc/passwd",
    "\ufeffBOM",
    "zero\u200bwidth",
    "9999",
    "0",
    "-1",
    "1e309",
    "²",
    "٣",
    "2024-02-30",
    "99999999999999999999999",
]
FUZZ = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=30),
    st.text(min_size=1, max_size=3).map(lambda t: t * 3000),  # very long
    st.tuples(st.sampled_from(PAYLOADS), st.text(max_size=8)).map("".join),
)
# A modest number each, so the whole run stays under a minute; FUZZ_EXAMPLES=200 digs deeper.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))


@dataclass
class World:
    users: dict
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


@pytest.fixture
def world(db):
    from involvement.services_people import invitation_create
    from stories import services as story_services

    newham = DirectorateFactory(name="Newham")
    users = {
        "admin": UserFactory(username="f_admin", roles=[Role.ADMIN], is_superuser=True),
        "ppl": UserFactory(username="f_ppl", roles=[Role.PPL], directorates=[newham]),
        "lead": UserFactory(username="f_lead", roles=[Role.LEAD], directorates=[newham]),
        "su": UserFactory(username="f_su", roles=[Role.SU]),
        "chair": UserFactory(username="f_chair", roles=[Role.CHAIR]),
        "anonymous": None,
    }
    su_person = PersonFactory(name="Sam Own", user=users["su"], directorates=[newham])
    person = PersonFactory(name="Ada Register", directorates=[newham])
    invitee = PersonFactory(name="Ivy Invited", email="ivy@example.org", directorates=[newham])
    project = ProjectFactory(
        title="Calmer wards",
        directorate=newham,
        lead=users["lead"],
        start_date=datetime.date(2024, 1, 15),
    )
    MembershipFactory(project=project, person=su_person)
    membership = MembershipFactory(project=project, person=person)
    from projects.models import Forum

    forum = Forum.objects.create(name="Newham QI forum", chair=users["chair"])
    forum.directorates.add(newham)
    story = story_services.story_create(
        author=users["ppl"], title="A story", body="Words.", directorate=newham
    )
    story_services.story_submit(story=story, by=users["ppl"])
    named = story.named_people.create(name="Ravi Named")
    published = story_services.story_create(
        author=users["ppl"], title="Published", body="Words.", directorate=newham
    )
    story_services.story_submit(story=published, by=users["ppl"])
    story_services.story_publish(story=published, by=users["admin"])
    _invitation, token = invitation_create(person=invitee, by=users["ppl"])
    objects = {
        "newham": newham,
        "person": person,
        "su_person": su_person,
        "project": project,
        "membership": membership,
        "activity": ActivityFactory(project=project),
        "forum": forum,
        "meeting": forum.meetings.create(date=datetime.date(2024, 5, 14)),
        "description": RoleDescriptionFactory(person=person, project=project),
        "agreed": RoleDescriptionFactory(person=person, project=project, status="agreed"),
        "own_description": RoleDescriptionFactory(person=su_person, project=project),
        "opportunity": OpportunityFactory(directorate=newham),
        "interest": InterestFactory(name="Data"),
        "story": story,
        "named": named,
        "published": published,
        "token": token,
    }
    return World(users, objects)


TODAY = lambda: timezone.localdate().isoformat()  # noqa: E731 - read per example


@dataclass(frozen=True)
class Case:
    role: str
    url: Callable[[World], str]
    data: Callable[[World], dict]
    method: str = "post"
    # Pages that show the submitted values afterwards (besides the one the post leads to).
    shows: tuple[Callable[[World], str], ...] = ()


def u(name: str, *attributes: str) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[getattr(w, a).pk for a in attributes])


PERSON = {
    "name": "Efua Egan",
    "kind": "carer",
    "email": "efua@example.org",
    "phone": "07700 900123",
    "address": "1 High Street",
    "preferred_contact": "phone",
    "available_days": ["mon"],
    "available_times": ["morning"],
    "attendance": "remote",
    "availability_note": "Not in school holidays",
    "access_needs": ["interpreter"],
    "interpreter_language": "Twi",
    "access_needs_note": "Breaks",
    "payment_preference": "paid",
    "lifeqi_access": "on",
    "active": "on",
}
ROLE_DESCRIPTION = {
    "role": "Team member",
    "time_commitment": "1 hour every 2 weeks",
    "where_based": "Online",
    "accountability": "Share my experience.",
    "start_date": "2025-01-06",
    "length": "6 months",
    "review_date": "2025-07-06",
    "contact_name": "Priya Patel",
    "meeting_frequency": "Every 2 weeks",
    "working_needs": "Papers early",
    "hopes": "To learn",
}
PROJECT = {
    "title": "Reducing falls",
    "lifeqi_id": "",
    "lead": "",
    "lead_name": "Dr Lead",
    "aim": "Halve falls",
    "start_date": "2024-02-01",
    "end_date": "",
    "status": "draft",
    "aim_reached": "",
    "coproduction_plan": "Ask the ward's carers",
}
STORY = {
    "title": "We listened",
    "summary": "A summary",
    "body": "We met and *listened*.",
    "easy_read_summary": "We met.",
    "principles": ["collaborate"],
}

CASES: dict[str, Case] = {
    # The people register.
    "person_create": Case(
        "ppl",
        u("involvement:person_create"),
        lambda w: {**PERSON, "directorates": [w.newham.pk], "interests": [w.interest.pk]},
        shows=(lambda w: reverse("involvement:people_list") + "?status=all",),
    ),
    "person_edit": Case(
        "ppl",
        u("involvement:person_edit", "person"),
        lambda w: {**PERSON, "directorates": [w.newham.pk]},
        shows=(u("involvement:person_detail", "person"), u("involvement:person_history", "person")),
    ),
    "people_filter": Case(
        "ppl",
        u("involvement:people_list"),
        lambda w: {"q": "Ada", "directorate": w.newham.pk, "status": "all", "page": "1"},
        method="get",
    ),
    "training_add": Case(
        "ppl",
        u("involvement:training_add", "person"),
        lambda w: {"course": "Pocket QI", "completed_on": "2024-05-03", "note": "Good"},
        shows=(u("involvement:person_detail", "person"),),
    ),
    "person_invite": Case(
        "ppl",
        u("involvement:person_invite", "person"),
        lambda w: {"how": "email", "email": "ada@example.org"},
    ),
    "my_profile": Case(
        "su",
        u("involvement:my_profile"),
        lambda w: {
            "available_days": ["tue"],
            "available_times": ["evening"],
            "attendance": "either",
            "availability_note": "Evenings",
            "access_needs": ["easy_read"],
            "interpreter_language": "",
            "access_needs_note": "None",
        },
        shows=(u("involvement:my_area"),),
    ),
    "invitation_accept": Case(
        "anonymous",
        lambda w: reverse("involvement:invitation_accept", args=[w.token]),
        lambda w: {
            "username": "ivy-new",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
        },
    ),
    # Role descriptions.
    "role_description_create": Case(
        "ppl",
        u("involvement:role_description_create", "person"),
        lambda w: {**ROLE_DESCRIPTION, "project": w.project.pk},
        shows=(u("involvement:role_description_list"),),
    ),
    "role_description_edit": Case(
        "ppl",
        u("involvement:role_description_edit", "description"),
        lambda w: {**ROLE_DESCRIPTION, "project": w.project.pk},
        shows=(u("involvement:role_description_print", "description"),),
    ),
    "role_description_end": Case(
        "ppl",
        u("involvement:role_description_end", "agreed"),
        lambda w: {"reason": "The project ended"},
        shows=(u("involvement:role_description_detail", "agreed"),),
    ),
    "my_role_description_create": Case(
        "su",
        u("involvement:my_role_description_create"),
        lambda w: {**ROLE_DESCRIPTION, "project": w.project.pk},
        shows=(u("involvement:my_area"),),
    ),
    "project_needs": Case(
        "ppl",
        u("involvement:project_needs_edit", "project"),
        lambda w: {
            "interests": [w.interest.pk],
            "meeting_days": ["wed"],
            "meeting_times": ["morning"],
            "attendance": "remote",
            "note": "Laptop needed",
        },
        shows=(u("involvement:project_matches", "project"),),
    ),
    # Logging involvement.
    "quick_log_search": Case(
        "ppl", u("involvement:quick_log"), lambda w: {"q": "Calmer"}, method="get"
    ),
    "quick_log": Case(
        "ppl",
        u("involvement:quick_log"),
        lambda w: {
            "project": w.project.pk,
            "what": "focus_group",
            "person": w.person.pk,
            "date": TODAY(),
            "role": "Team member",
            "participants": "4",
            "note": "Ideas on meals",
        },
        shows=(u("projects:detail", "project"),),
    ),
    "membership_add": Case(
        "ppl",
        u("involvement:membership_add", "project"),
        lambda w: {
            "person": w.person.pk,
            "role": "Co-lead",
            "start_date": "2025-03-01",
            "end_date": "",
        },
        shows=(u("projects:detail", "project"),),
    ),
    "membership_end": Case(
        "ppl",
        u("involvement:membership_end", "project", "membership"),
        lambda w: {"end_date": "2025-06-30"},
    ),
    "activity_add": Case(
        "ppl",
        u("involvement:activity_add", "project"),
        lambda w: {
            "kind": "survey",
            "date": "2024-06-01",
            "participants": "12",
            "note": "Survey of carers",
            "people": [w.person.pk],
        },
        shows=(u("projects:detail", "project"),),
    ),
    # Projects and forums.
    "project_create": Case(
        "ppl",
        u("projects:create"),
        lambda w: {**PROJECT, "directorate": w.newham.pk},
        shows=(lambda w: reverse("projects:list") + "?q=falls",),
    ),
    "project_edit": Case(
        "ppl",
        u("projects:edit", "project"),
        lambda w: {**PROJECT, "directorate": w.newham.pk, "status": "active"},
        shows=(u("projects:detail", "project"),),
    ),
    "project_filter": Case(
        "chair",
        u("projects:list"),
        lambda w: {"q": "wards", "directorate": w.newham.pk, "status": "active", "level": "2"},
        method="get",
    ),
    "score_add": Case(
        "ppl",
        u("projects:score_add", "project"),
        lambda w: {"score": "2.0", "date": "2024-06-01"},
    ),
    "meeting_add": Case(
        "chair",
        u("forums:meeting_add", "forum"),
        lambda w: {"date": "2024-07-09", "status": "planned", "note": "Room 4"},
        shows=(u("forums:detail", "forum"),),
    ),
    "meeting_edit": Case(
        "chair",
        u("forums:meeting_edit", "forum", "meeting"),
        lambda w: {
            "date": "2024-05-14",
            "status": "cancelled",
            "cancellation_announced_on": "2024-05-10",
        },
    ),
    "chair_home": Case("chair", u("charts:chair_home"), lambda w: {"forum": w.forum.pk}, "get"),
    "quick_log_logged": Case(
        "ppl", u("involvement:quick_log"), lambda w: {"q": "Calmer", "logged": w.project.pk}, "get"
    ),
    "role_description_filter": Case(
        "ppl", u("involvement:role_description_list"), lambda w: {"status": "draft"}, "get"
    ),
    "no_involvement": Case("admin", u("charts:no_involvement"), lambda w: {"page": "1"}, "get"),
    "private_feed": Case(
        "anonymous", lambda w: "/stories/feed/private/{}/", lambda w: {}, method="get"
    ),
    # Opportunities.
    "opportunity_create": Case(
        "ppl",
        u("involvement:opportunity_create"),
        lambda w: {
            "title": "Interview panel",
            "kind": "interview_panel",
            "directorate": w.newham.pk,
            "description": "Ask one question.",
            "start_date": "2030-01-10",
            "end_date": "2030-01-11",
            "closes_on": "2030-01-05",
            "paid": "on",
            "places": "2",
            "attendance": "in_person",
            "interests": [w.interest.pk],
        },
        shows=(u("involvement:opportunity_list"),),
    ),
    "opportunity_edit": Case(
        "ppl",
        u("involvement:opportunity_edit", "opportunity"),
        lambda w: {
            "title": "Research",
            "kind": "research",
            "directorate": w.newham.pk,
            "description": "Help with a study.",
            "start_date": "2030-01-10",
            "end_date": "",
            "closes_on": "",
            "places": "1",
            "attendance": "either",
        },
        shows=(
            u("involvement:opportunity_detail", "opportunity"),
            u("involvement:my_opportunities"),
        ),
    ),
    # Stories and reflections.
    "story_new_staff": Case(
        "ppl",
        u("stories:new"),
        lambda w: {**STORY, "directorate": w.newham.pk, "project": w.project.pk},
        shows=(u("stories:mine"), u("stories:review_queue")),
    ),
    "story_new_su": Case(
        "su",
        u("stories:new"),
        lambda w: {**STORY, "directorate": w.newham.pk},
        shows=(u("stories:mine"),),
    ),
    "story_edit": Case(
        "ppl",
        u("stories:edit", "story"),
        lambda w: {**STORY, "directorate": w.newham.pk, "project": ""},
        shows=(u("stories:history", "story"),),
    ),
    "story_library": Case(
        "su",
        u("stories:library"),
        lambda w: {"q": "listened", "directorate": w.newham.pk, "principle": "collaborate"},
        method="get",
    ),
    "reflections_overview": Case(
        "ppl",
        u("stories:reflections_overview"),
        lambda w: {"directorate": w.newham.pk, "period": "12"},
        method="get",
    ),
    "project_reflections": Case(
        "lead", u("stories:project_reflections", "project"), lambda w: {"meetings": "6"}, "get"
    ),
    "story_request_changes": Case(
        "admin", u("stories:request_changes", "story"), lambda w: {"comment": "Add a date"}
    ),
    "story_withdraw": Case(
        "admin", u("stories:withdraw", "published"), lambda w: {"reason": "Consent withdrawn"}
    ),
    "story_people": Case(
        "ppl",
        u("stories:people", "story"),
        lambda w: {"name": "Mo Named", "person": ""},
    ),
    "story_consent": Case(
        "ppl", u("stories:consent", "story", "named"), lambda w: {"given_on": "2024-05-01"}
    ),
    "reflection_new": Case(
        "lead",
        u("stories:reflection_new", "project"),
        lambda w: {
            "meeting_date": "2024-05-02",
            "answer_collaborate": "kept",
            "comment_collaborate": "We decided together",
            "comment": "A good meeting",
        },
        shows=(u("stories:project_reflections", "project"),),
    ),
    # Charts: the GET forms, and the admins' notes.
    "pchart": Case(
        "su",
        u("charts:pchart"),
        lambda w: {
            "measure": "big_i",
            "scope": f"directorate-{w.newham.pk}",
            "start": "2024-01",
            "end": "2025-06",
            "baseline": "phases",
            "phases": "2024-06",
            "freeze": "6",
            "rules": "both",
            "target": "40",
        },
        method="get",
    ),
    "pchart_csv": Case(
        "su",
        u("charts:pchart_csv"),
        lambda w: {"measure": "any", "scope": "trust", "start": "2024-01", "end": "2024-12"},
        method="get",
    ),
    "small_multiples": Case(
        "su",
        u("charts:small_multiples"),
        lambda w: {"measure": "big_i", "start": "2024-01", "end": "2024-12"},
        method="get",
    ),
    "aims": Case(
        "su", u("charts:aims"), lambda w: {"success": "progress", "directorate": w.newham.pk}, "get"
    ),
    "annotation_add": Case(
        "admin",
        lambda w: reverse("charts:annotation_add") + "?" + urlencode({"next": "/charts/pchart/"}),
        lambda w: {
            "annotation-date": "2024-10-01",
            "annotation-text": "SU chairs all QI forums",
            "annotation-directorate": w.newham.pk,
            "annotation-source": "Idea board",
            "next": "/charts/pchart/",
        },
        shows=(u("charts:pchart"),),
    ),
    "phase_add": Case(
        "admin",
        u("charts:phase_add"),
        lambda w: {"phase-month": "2024-10", "phase-directorate": w.newham.pk, "phase-note": "New"},
        shows=(u("charts:pchart"),),
    ),
    # Accounts.
    "login": Case(
        "anonymous", u("login"), lambda w: {"username": "f_ppl", "password": "wrong-password"}
    ),
    "password_reset": Case(
        "anonymous", u("password_reset"), lambda w: {"email": "f_ppl@example.nhs.uk"}
    ),
    "password_change": Case(
        "ppl",
        u("password_change"),
        lambda w: {
            "old_password": "wrong",
            "new_password1": "a-long-passphrase-42",
            "new_password2": "a-long-passphrase-42",
        },
    ),
    # Data protection.
    "person_erase": Case(
        "admin",
        u("involvement:person_erase", "person"),
        lambda w: {"confirm_name": "Ada Register", "reason": "They asked us to."},
        shows=(u("involvement:person_erase", "person"),),
    ),
}


def _assert_escaped(response, where: str) -> None:
    assert response.status_code < 500, where
    if "html" not in response.get("Content-Type", ""):
        return
    html = response.content.decode(errors="replace")
    for marker in RAW_MARKERS:
        assert marker not in html, f"unescaped {marker!r} on {where}"


def _fuzzed(data: dict, name: str, value: str, append: bool) -> dict:
    """``data`` with ``value`` in field ``name``: in place of the valid value, or after it (so
    "directorate-3" becomes "directorate-3²", which reaches further into a parser)."""
    changed = dict(data)
    if isinstance(data[name], list):
        changed[name] = [f"{data[name][0]}{value}" if append and data[name] else value]
    else:
        changed[name] = f"{data[name]}{value}" if append else value
    return changed


@pytest.mark.parametrize("case_name", sorted(CASES))
def test_forms_survive_hostile_text(client, world, case_name):
    case = CASES[case_name]
    user = world.users[case.role]
    if user is not None:
        client.force_login(user)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def check(data):
        base = case.data(world)
        value = data.draw(FUZZ, label="value")
        url = case.url(world)
        if "{}" in url:  # the value goes in the address itself
            url, sent = url.format(quote(value, safe="")), base
        else:
            name = data.draw(st.sampled_from(sorted(base)), label="field")
            sent = _fuzzed(base, name, value, data.draw(st.booleans(), label="append"))
        with transaction.atomic():
            if case.method == "get":
                response = client.get(url, sent, follow=True)
            else:
                response = client.post(url, sent, follow=True)
            _assert_escaped(response, f"{case_name} → {response.request['PATH_INFO']}")
            for show in case.shows:
                page = show(world)
                _assert_escaped(client.get(page), page)
            transaction.set_rollback(True)

    check()


# --- the imports, with fuzzed CSV content ---------------------------------------------------------

IMPORT_ROWS = {
    "projects": {
        "lifeqi_id": "LQ-9001",
        "title": "Fuzzed project",
        "directorate": "Newham",
        "lead": "Dr Lead",
        "start_date": "2023-01-10",
        "end_date": "",
        "status": "active",
        "aim": "Halve falls",
        "aim_reached": "",
    },
    "involvement": {
        "lifeqi_id": "LQ-9001",
        "kind": "member",
        "person": "Fuzz Person",
        "person_type": "service_user",
        "start_date": "2023-02-01",
        "end_date": "",
        "participants": "",
    },
}


def _csv(row: dict) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("kind", ["projects", "involvement"])
def test_imports_survive_hostile_csv(client, world, kind):
    client.force_login(world.users["admin"])
    if kind == "involvement":
        ProjectFactory(
            lifeqi_id="LQ-9001", directorate=world.newham, start_date=datetime.date(2023, 1, 1)
        )
    upload_url = reverse("projects:import_upload", kwargs={"kind": kind})

    @settings(
        max_examples=EXAMPLES * 2,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def check(data):
        row = dict(IMPORT_ROWS[kind])
        if data.draw(st.booleans(), label="raw bytes"):
            content = data.draw(st.binary(max_size=200), label="content")
        else:
            name = data.draw(st.sampled_from(sorted(row)), label="column")
            row[name] = data.draw(FUZZ, label="value")
            content = _csv(row)
        with transaction.atomic():
            upload = SimpleUploadedFile("fuzz.csv", content, content_type="text/csv")
            response = client.post(upload_url, {"file": upload}, follow=True)
            _assert_escaped(response, "upload → preview")
            applied = client.post(
                reverse("projects:import_apply", kwargs={"kind": kind}), follow=True
            )
            _assert_escaped(applied, "apply")
            _assert_escaped(client.get(reverse("projects:list") + "?status=all"), "projects list")
            transaction.set_rollback(True)

    check()
