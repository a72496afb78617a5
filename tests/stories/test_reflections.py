"""Charter reflections: the form, who may answer and read them, and anonymity that is real (the
record keeps nothing that identifies the person, not merely hides it)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from stories.models import Reflection, ReflectionAnswer, ReflectionAuthor
from stories.principles import ORDER
from tests.factories import MembershipFactory, PersonFactory, ProjectFactory

pytestmark = pytest.mark.django_db

MEETING = datetime.date(2024, 3, 12)


@pytest.fixture
def project(directorate, lead):
    return ProjectFactory(directorate=directorate, lead=lead, start_date=datetime.date(2024, 1, 1))


@pytest.fixture
def team_su(su_user, project):
    MembershipFactory(project=project, person=PersonFactory(user=su_user, name="Sam Member"))
    return su_user


def answer(client, project, **data):
    payload = {"meeting_date": str(MEETING), **data}
    return client.post(reverse("stories:reflection_new", args=[project.pk]), payload)


# --- anonymity -----------------------------------------------------------------------------------


def _columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table)
    return {column.name for column in description}


def test_reflection_tables_have_no_column_that_could_identify_a_person():
    User = get_user_model()
    for model, expected in (
        (Reflection, {"id", "project_id", "meeting_date", "comment"}),
        (ReflectionAnswer, {"id", "reflection_id", "principle", "answer", "comment"}),
    ):
        fields = model._meta.concrete_fields
        assert {field.column for field in fields} == expected
        assert not any(field.is_relation and field.related_model is User for field in fields)
        # No timestamp finer than the meeting date, and no counter that tells answering order.
        assert not any(isinstance(field, models.DateTimeField) for field in fields)
        assert isinstance(model._meta.pk, models.UUIDField)
        assert _columns(model._meta.db_table) == expected


def test_an_anonymous_reflection_stores_nothing_about_who_gave_it(client, team_su, project):
    client.force_login(team_su)
    response = answer(
        client,
        project,
        answer_collaborate="kept",
        answer_translate="not_kept",
        comment_translate="Too many acronyms.",
        comment="How frustrating that meeting was.",
        anonymous="on",
    )
    assert response.status_code == 302
    assert ReflectionAuthor.objects.count() == 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Reflection._meta.db_table}")  # noqa: S608 - our table
        rows = cursor.fetchall()
        names = [column[0] for column in cursor.description]
    assert len(rows) == 1
    row = dict(zip(names, rows[0], strict=True))
    assert set(row) == {"id", "project_id", "meeting_date", "comment"}
    assert row["project_id"] == project.pk
    assert str(row["meeting_date"]) == str(MEETING)
    assert row["comment"] == "How frustrating that meeting was."
    answers = {(a.principle, a.answer, a.comment) for a in ReflectionAnswer.objects.all()}
    assert answers == {("collaborate", "kept", ""), ("translate", "not_kept", "Too many acronyms.")}


def test_a_named_reflection_keeps_the_user(client, team_su, project):
    client.force_login(team_su)
    answer(client, project, answer_courage="partly")
    reflection = Reflection.objects.get()
    assert reflection.author.user == team_su


def test_comments_of_anonymous_reflections_never_show_who(client, team_su, lead, project):
    client.force_login(team_su)
    answer(client, project, answer_respect="kept", comment_respect="Secret view.", anonymous="on")
    answer(client, project, answer_respect="kept", comment_respect="Signed view.")
    client.force_login(lead)
    content = client.get(reverse("stories:project_reflections", args=[project.pk])).content
    content = content.decode()
    items = {
        text: next(item for item in content.split("<li>") if text in item)
        for text in ("Secret view.", "Signed view.")
    }
    assert "anonymous" in items["Secret view."]
    assert team_su.get_full_name() not in items["Secret view."]
    assert team_su.get_full_name() in items["Signed view."]


# --- the form ------------------------------------------------------------------------------------


def test_a_reflection_with_no_answers_is_a_form_error(client, team_su, project):
    client.force_login(team_su)
    response = answer(client, project, comment="Just a comment.")
    assert response.status_code == 200
    assert "Answer at least one principle" in str(response.context["form"].non_field_errors())
    assert b"There is a problem" in response.content
    assert response.content.decode().count("<title>Error: ") == 1
    assert Reflection.objects.count() == 0


def test_a_comment_on_an_unanswered_principle_is_an_error(client, team_su, project):
    client.force_login(team_su)
    response = answer(client, project, answer_respect="kept", comment_solve="Why?")
    assert response.status_code == 200
    assert response.context["form"].errors["answer_solve"]
    assert Reflection.objects.count() == 0


@pytest.mark.parametrize(
    "meeting_date",
    [
        lambda p: timezone.localdate() + datetime.timedelta(days=1),
        lambda p: p.start_date - datetime.timedelta(days=1),
    ],
    ids=["future", "before the project"],
)
def test_the_meeting_date_must_be_possible(client, team_su, project, meeting_date):
    client.force_login(team_su)
    response = client.post(
        reverse("stories:reflection_new", args=[project.pk]),
        {"meeting_date": str(meeting_date(project)), "answer_respect": "kept"},
    )
    assert response.context["form"].errors["meeting_date"]
    assert Reflection.objects.count() == 0


def test_an_unknown_answer_is_refused(client, team_su, project):
    client.force_login(team_su)
    response = answer(client, project, answer_respect="brilliant")
    assert response.context["form"].errors["answer_respect"]
    assert Reflection.objects.count() == 0


def test_one_named_reflection_per_person_per_meeting(client, team_su, project):
    client.force_login(team_su)
    answer(client, project, answer_respect="kept")
    again = answer(client, project, answer_respect="not_kept")
    assert again.context["form"].errors["meeting_date"]
    # Anonymously they can still say more: nothing links it to them.
    assert answer(client, project, answer_respect="not_kept", anonymous="on").status_code == 302
    assert Reflection.objects.count() == 2


def test_the_form_has_every_principle(client, team_su, project):
    client.force_login(team_su)
    form = client.get(reverse("stories:reflection_new", args=[project.pk])).context["form"]
    assert [name for name in form.fields if name.startswith("answer_")] == [
        f"answer_{p.value}" for p in ORDER
    ]


# --- who may answer and read ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["team_su", "lead", "ppl", "admin_user"])
def test_team_lead_ppl_and_admin_may_answer_and_read(client, request, project, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("stories:reflection_new", args=[project.pk])).status_code == 200
    assert client.get(reverse("stories:project_reflections", args=[project.pk])).status_code == 200


def test_an_su_not_on_the_team_gets_404(client, su_user, project):
    client.force_login(su_user)
    assert client.get(reverse("stories:reflection_new", args=[project.pk])).status_code == 404
    assert client.get(reverse("stories:project_reflections", args=[project.pk])).status_code == 404
    assert answer(client, project, answer_respect="kept").status_code == 404
    assert Reflection.objects.count() == 0


@pytest.mark.parametrize("who", ["chair", "other_ppl"])
def test_those_who_see_the_project_but_not_its_team_get_403(client, request, project, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("stories:reflection_new", args=[project.pk])).status_code == 403
    assert client.get(reverse("stories:project_reflections", args=[project.pk])).status_code == 403
    assert answer(client, project, answer_respect="kept").status_code == 403
    assert Reflection.objects.count() == 0


def test_the_overview_is_for_ppls_and_admins(client, su_user, lead, chair, ppl, admin_user):
    for user, status in ((su_user, 403), (lead, 403), (chair, 403), (ppl, 200), (admin_user, 200)):
        client.force_login(user)
        assert client.get(reverse("stories:reflections_overview")).status_code == status


def test_the_summary_tag_shows_only_to_those_who_may_see_it(rf_user_context, project, lead, chair):
    template = Template("{% load charter %}{% project_reflections project %}")
    Reflection.objects.create(project=project, meeting_date=MEETING).answers.create(
        principle="respect", answer="kept"
    )
    assert "How the co-production charter was kept" in template.render(
        rf_user_context(lead, project)
    )
    assert template.render(rf_user_context(chair, project)).strip() == ""


@pytest.fixture
def rf_user_context():
    def _context(user, project):
        request = RequestFactory().get("/")
        request.user = user
        return Context({"request": request, "project": project})

    return _context


def test_my_area_lists_projects_to_reflect_on(client, team_su, project):
    template = Template("{% load charter %}{% reflection_projects %}")
    request = RequestFactory().get("/")
    request.user = team_su
    html = template.render(Context({"request": request}))
    assert reverse("stories:reflection_new", args=[project.pk]) in html
    request.user = get_user_model().objects.create(username="nobody")
    assert template.render(Context({"request": request})).strip() == ""
