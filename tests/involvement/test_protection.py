"""Data protection: the audit trail, the access log, the subject access export, erasure and the
retention report (issue 9)."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from involvement import levels
from involvement.models import (
    AccessPage,
    Activity,
    Invitation,
    Person,
    PersonAccess,
    PersonErasure,
    RoleDescription,
    TeamMembership,
)
from involvement.services_protection import find_in_text_columns, pseudonym_for
from stories.models import NamedPerson, Story
from tests.factories import (
    ActivityFactory,
    MembershipFactory,
    PersonFactory,
    ProjectFactory,
    RoleDescriptionFactory,
)
from tests.involvement.protection_helpers import (
    EMAIL,
    NAME,
    NEEDLES,
    PERSON_FORM,
    PHONE,
    places_containing,
    rich_person,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def zelda(directorate, admin_user, ppl):
    return rich_person(directorate=directorate, admin=admin_user, ppl=ppl)


# --- the audit trail ------------------------------------------------------------------------------


def test_a_change_through_the_person_page_is_in_the_history_with_who_and_what(
    client, admin_user, zelda, ppl
):
    client.force_login(admin_user)
    response = client.get(reverse("involvement:person_history", args=[zelda.person.pk]))
    assert response.status_code == 200
    entries = list(response.context["page"])
    change = next(e for e in entries if e.kind == "Changed" and e.who == ppl.get_full_name())
    rows = {c.label: (c.old, c.new) for c in change.changes}
    assert rows["Phone"] == (PHONE, "07700 900999")
    assert rows["Access needs"] == ("(empty)", "An interpreter")
    assert rows["Address"] == ("(empty)", "1 Quartermaine Road, London")
    html = response.content.decode()
    assert "07700 900999" in html and ppl.get_full_name() in html
    # The first entry is the creation, from empty.
    assert entries[-1].kind == "Created"


def test_directorate_changes_are_in_the_person_history(
    client, admin_user, ppl, directorate, other_directorate
):
    person = PersonFactory(directorates=[directorate])
    client.force_login(admin_user)
    client.post(
        reverse("involvement:person_edit", args=[person.pk]),
        {
            **PERSON_FORM,
            "name": person.name,
            "directorates": [directorate.pk, other_directorate.pk],
        },
    )
    response = client.get(reverse("involvement:person_history", args=[person.pk]))
    changes = [c for e in response.context["page"] for c in e.changes if c.label == "Directorates"]
    assert any(c.old == "Newham" and c.new == "Forensic services, Newham" for c in changes), changes


def test_role_description_history_shows_the_agreement_by_whom(client, admin_user, ppl, directorate):
    description = RoleDescriptionFactory(
        person=PersonFactory(directorates=[directorate]),
        project=ProjectFactory(directorate=directorate),
    )
    client.force_login(ppl)
    client.post(reverse("involvement:role_description_agree", args=[description.pk]))
    client.force_login(admin_user)
    response = client.get(reverse("involvement:role_description_history", args=[description.pk]))
    assert response.status_code == 200
    latest = response.context["page"][0]
    assert latest.who == ppl.get_full_name()
    labels = {c.label for c in latest.changes}
    assert {"PPL agreed by", "PPL agreed at"} <= labels


def test_a_removed_membership_keeps_its_history(client, admin_user, ppl, directorate):
    project = ProjectFactory(directorate=directorate)
    membership = MembershipFactory(
        project=project, person=PersonFactory(directorates=[directorate])
    )
    client.force_login(ppl)
    response = client.post(
        reverse("involvement:membership_remove", args=[project.pk, membership.pk])
    )
    assert not TeamMembership.objects.filter(pk=membership.pk).exists()
    client.force_login(admin_user)
    url = reverse("involvement:membership_history", args=[project.pk, membership.pk])
    response = client.get(url)
    assert response.status_code == 200
    kinds = [e.kind for e in response.context["page"]]
    assert kinds[0] == "Deleted" and kinds[-1] == "Created"
    assert response.context["page"][0].who == ppl.get_full_name()
    # The person's history page links to it.
    person_page = client.get(reverse("involvement:person_history", args=[membership.person_id]))
    assert url in person_page.content.decode()


def test_membership_history_of_another_project_is_404(client, admin_user, directorate):
    membership = MembershipFactory(project=ProjectFactory(directorate=directorate))
    other = ProjectFactory(directorate=directorate)
    client.force_login(admin_user)
    url = reverse("involvement:membership_history", args=[other.pk, membership.pk])
    assert client.get(url).status_code == 404


def test_story_history_shows_each_change_to_admins_only(client, admin_user, ppl, directorate):
    from stories import services as story_services

    story = story_services.story_create(
        author=ppl, title="Before", body="First words.", directorate=directorate
    )
    story_services.story_submit(story=story, by=ppl)
    story_services.story_update(story=story, by=ppl, title="After", body="Second words.")
    url = reverse("stories:history", args=[story.pk])
    client.force_login(ppl)
    assert client.get(url).status_code == 403
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 200
    changes = {}
    for entry in response.context["page"]:  # newest first: keep each field's latest change
        for change in entry.changes:
            changes.setdefault(change.label, (change.old, change.new))
    assert changes["Title"] == ("Before", "After")
    assert changes["Status"] == ("Draft", "Waiting for review")
    detail = client.get(story.get_absolute_url())
    assert url in detail.content.decode()


def test_history_links_show_for_admins_and_not_for_ppls(client, admin_user, ppl, zelda):
    history = reverse("involvement:person_history", args=[zelda.person.pk])
    client.force_login(ppl)
    assert (
        history
        not in client.get(
            reverse("involvement:person_detail", args=[zelda.person.pk])
        ).content.decode()
    )
    client.force_login(admin_user)
    page = client.get(reverse("involvement:person_detail", args=[zelda.person.pk])).content.decode()
    assert history in page
    assert reverse("involvement:person_erase", args=[zelda.person.pk]) in page


# --- the access log -------------------------------------------------------------------------------


def test_staff_reads_of_a_person_are_logged_with_who_and_which_page(
    client, ppl, admin_user, directorate
):
    person = PersonFactory(directorates=[directorate])
    description = RoleDescriptionFactory(
        person=person, project=ProjectFactory(directorate=directorate)
    )
    client.force_login(ppl)
    client.get(reverse("involvement:person_detail", args=[person.pk]))
    client.get(reverse("involvement:person_edit", args=[person.pk]))
    client.get(reverse("involvement:role_description_detail", args=[description.pk]))
    client.get(reverse("involvement:role_description_print", args=[description.pk]))
    client.force_login(admin_user)
    client.get(reverse("involvement:person_export", args=[person.pk]))
    client.get(reverse("involvement:person_export_json", args=[person.pk]))
    log = list(PersonAccess.objects.filter(person=person).order_by("at", "pk"))
    assert [(e.username, e.page) for e in log] == [
        ("ppl", AccessPage.RECORD),
        ("ppl", AccessPage.EDIT),
        ("ppl", AccessPage.ROLE_DESCRIPTION),
        ("ppl", AccessPage.ROLE_DESCRIPTION),
        ("admin", AccessPage.EXPORT),
        ("admin", AccessPage.EXPORT_JSON),
    ]
    assert log[0].path == reverse("involvement:person_detail", args=[person.pk])
    response = client.get(reverse("involvement:person_access_log", args=[person.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Their page in the people register" in html and "(ppl)" in html


def test_a_refused_read_is_not_logged_as_a_read(client, other_ppl, directorate):
    person = PersonFactory(directorates=[directorate])
    client.force_login(other_ppl)
    assert client.get(reverse("involvement:person_detail", args=[person.pk])).status_code == 404
    assert not PersonAccess.objects.exists()


def test_a_service_user_reading_their_own_role_description_is_not_logged(
    client, su_user, directorate
):
    person = PersonFactory(user=su_user, directorates=[directorate])
    description = RoleDescriptionFactory(person=person)
    client.force_login(su_user)
    url = reverse("involvement:my_role_description_detail", args=[description.pk])
    assert client.get(url).status_code == 200
    assert not PersonAccess.objects.exists()


# --- the subject access export --------------------------------------------------------------------


def test_the_json_export_holds_every_section_and_no_secret(client, admin_user, zelda):
    client.force_login(admin_user)
    response = client.get(reverse("involvement:person_export_json", args=[zelda.person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    export = json.loads(response.content)
    sections = {s["key"]: s["data"] for s in export["sections"]}
    assert export["person_id"] == zelda.person.pk
    assert sections["profile"]["name"] == NAME
    assert sections["profile"]["email"] == EMAIL
    assert sections["profile"]["interpreter_language"] == "Polish"
    assert sections["account"]["username"] == EMAIL
    assert sections["directorates"] == ["Newham"]
    assert sections["training"][0]["note"] == "Top marks"
    assert sections["invitations"][0]["sent_to"] == EMAIL
    assert "nonce_hash" not in json.dumps(sections["invitations"])
    assert "0" * 64 not in response.content.decode()
    assert sections["team_memberships"][0]["project"] == "Calmer wards"
    assert sections["activities"][0]["note"] == f"{NAME} ran the focus group"
    assert sections["role_descriptions"][0]["hopes"] == f"{NAME} hopes to learn QI"
    assert sections["stories"][0]["they_wrote_it"] is True
    assert sections["stories"][0]["named_in_it_as"] == NAME
    assert sections["charter_reflections"][0]["answers"][0]["comment"] == f"{NAME} felt heard"
    assert [e["page"] for e in sections["access_log"]][-1] == "Subject access export (JSON file)"
    person_history = sections["history"]["person"]
    assert person_history[0]["type"] == "created"
    assert any(row["by"] == "ppl" for row in person_history)
    assert sections["history"]["role_descriptions"] and sections["history"]["team_memberships"]


def test_an_anonymous_reflection_is_not_in_the_export(client, admin_user, zelda):
    from stories import services as story_services

    story_services.reflection_record(
        project=zelda.project,
        by=zelda.user,
        meeting_date=datetime.date(2024, 6, 6),
        answers={"respect": ("not_kept", "Nobody listened")},
        anonymous=True,
    )
    client.force_login(admin_user)
    export = client.get(reverse("involvement:person_export_json", args=[zelda.person.pk])).json()
    reflections = next(s for s in export["sections"] if s["key"] == "charter_reflections")["data"]
    assert len(reflections) == 1
    assert "Nobody listened" not in json.dumps(export)


def test_the_export_page_is_readable_and_printable(client, admin_user, zelda):
    client.force_login(admin_user)
    response = client.get(reverse("involvement:person_export", args=[zelda.person.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Everything Big I holds about {NAME}" in html
    for title in ("Their record in the people register", "Project teams (Big I)", "Who has read"):
        assert title in html
    assert "css/print.css" in html
    assert "1 March 2024" in html  # dates in words


# --- erasure --------------------------------------------------------------------------------------


def _erase(client, person, *, name=None, reason="They asked us to erase their data."):
    return client.post(
        reverse("involvement:person_erase", args=[person.pk]),
        {"confirm_name": name if name is not None else person.name, "reason": reason},
    )


def _series(directorate):
    return (
        levels.involvement_series(),
        levels.involvement_series(directorate_ids=[directorate.pk]),
    )


def test_erasure_keeps_the_pchart_and_leaves_the_old_name_nowhere(
    client, admin_user, zelda, directorate
):
    # The scan finds her everywhere before: so finding nothing after means something.
    before_places = places_containing(*NEEDLES)
    for table in (
        "involvement.HistoricalPerson",
        "involvement.HistoricalRoleDescription",
        "stories.HistoricalStory",
        "auth.User",
        "axes.AccessLog",
        "admin.LogEntry",
        "stories.NamedPerson",
        "stories.StoryEvent",
        "stories.ReflectionAnswer",
        "involvement.Activity",
    ):
        assert any(place.startswith(table + ".") for place in before_places), table
    series_before = _series(directorate)
    counts_before = (
        TeamMembership.objects.filter(person=zelda.person).count(),
        RoleDescription.objects.filter(person=zelda.person).count(),
        Activity.objects.filter(people=zelda.person).count(),
    )
    assert series_before[0] and any(row.big_i for row in series_before[0])

    client.force_login(admin_user)
    response = _erase(client, zelda.person)
    assert response.status_code == 302

    assert places_containing(*NEEDLES) == []
    assert _series(directorate) == series_before
    person = Person.objects.get(pk=zelda.person.pk)
    assert person.name == pseudonym_for(person) == f"Person {person.pk:06d} (erased)"
    assert counts_before == (
        TeamMembership.objects.filter(person=person).count(),
        RoleDescription.objects.filter(person=person).count(),
        Activity.objects.filter(people=person).count(),
    )
    assert not person.active and person.user_id is None
    assert not Invitation.objects.filter(person=person).exists()
    user = get_user_model().objects.get(pk=zelda.user.pk)
    assert not user.is_active and not user.has_usable_password() and not user.groups.exists()
    assert NamedPerson.objects.get(story=zelda.story).name == person.name
    # The history starts again with the erasure; the access log still points at the person.
    history = list(Person.history.filter(id=person.pk))
    assert len(history) == 1 and history[0].history_change_reason == "Record erased"
    assert history[0].history_user == admin_user
    assert PersonAccess.objects.filter(person=person).exists()
    erasure = PersonErasure.objects.get(person=person)
    assert erasure.erased_by == admin_user and erasure.leftovers == []
    assert erasure.reason == "They asked us to erase their data."


def test_the_story_slug_made_from_the_name_is_made_again(client, admin_user, zelda):
    assert "zelda-quartermaine" in zelda.story.slug
    client.force_login(admin_user)
    _erase(client, zelda.person)
    story = Story.objects.get(pk=zelda.story.pk)
    assert "zelda" not in story.slug and "quartermaine" not in story.slug.lower()
    assert "zelda" not in story.body_html.lower()
    assert not Story.history.filter(id=story.pk, slug__icontains="quartermaine").exists()


def test_erasure_needs_the_name_typed_exactly(client, admin_user, zelda):
    client.force_login(admin_user)
    response = _erase(client, zelda.person, name="Zelda Q")
    assert response.status_code == 200
    assert "does not match" in response.content.decode()
    assert Person.objects.get(pk=zelda.person.pk).name == NAME
    assert not PersonErasure.objects.exists()
    # Spacing and capitals do not matter.
    assert _erase(client, zelda.person, name="  zelda   QUARTERMAINE ").status_code == 302


def test_erasure_refuses_a_reason_that_names_the_person(client, admin_user, zelda):
    client.force_login(admin_user)
    response = _erase(client, zelda.person, reason=f"{NAME} asked by phone")
    assert response.status_code == 200
    assert "Do not write the person" in response.content.decode()
    assert not PersonErasure.objects.exists()


def test_only_admins_erase(client, ppl, zelda):
    client.force_login(ppl)
    assert _erase(client, zelda.person).status_code == 403
    assert Person.objects.get(pk=zelda.person.pk).name == NAME


def test_an_erased_record_shows_how_and_cannot_be_erased_again_or_edited(
    client, admin_user, ppl, zelda
):
    client.force_login(admin_user)
    _erase(client, zelda.person)
    page = client.get(reverse("involvement:person_erase", args=[zelda.person.pk]))
    html = page.content.decode()
    assert "record erased" in html and "They asked us to erase their data." in html
    assert "confirm_name" not in html
    response = _erase(client, zelda.person, name=pseudonym_for(zelda.person))
    assert PersonErasure.objects.count() == 1
    client.force_login(ppl)
    response = client.get(reverse("involvement:person_edit", args=[zelda.person.pk]))
    assert response.status_code == 302
    assert response.url == reverse("involvement:person_detail", args=[zelda.person.pk])


def test_mentions_outside_their_records_are_reported_not_changed(
    client, admin_user, zelda, directorate
):
    stranger = ActivityFactory(
        project=ProjectFactory(directorate=directorate), note=f"Thanks to {NAME} for the idea"
    )
    client.force_login(admin_user)
    _erase(client, zelda.person)
    stranger.refresh_from_db()
    assert NAME in stranger.note
    erasure = PersonErasure.objects.get()
    assert erasure.leftovers == [{"model": "activity", "field": "note", "pk": str(stranger.pk)}]
    page = client.get(reverse("involvement:person_erase", args=[zelda.person.pk])).content.decode()
    assert f"Activity number {stranger.pk}" in page and NAME not in page


def test_find_in_text_columns_searches_history_tables_too(zelda):
    places = find_in_text_columns([NAME])
    assert {"historical person", "historical role description", "historical story"} <= {
        place.model for place in places
    }


# --- retention ------------------------------------------------------------------------------------


def _report(*args) -> str:
    out = StringIO()
    call_command("retention_report", *args, stdout=out)
    return out.getvalue()


def test_retention_report_lists_people_inactive_longer_than_the_period(directorate, settings):
    settings.RETENTION_MONTHS = 72
    old_project = ProjectFactory(
        directorate=directorate,
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2017, 6, 30),
        status="completed",
    )
    with time_machine.travel(datetime.datetime(2024, 6, 1, 12, tzinfo=datetime.UTC), tick=False):
        gone = PersonFactory(name="Long Gone", directorates=[directorate])
        MembershipFactory(
            project=old_project,
            person=gone,
            start_date=datetime.date(2016, 1, 1),
            end_date=datetime.date(2017, 3, 31),
        )
        current = PersonFactory(name="Still Here", directorates=[directorate])
        MembershipFactory(
            project=ProjectFactory(directorate=directorate, start_date=datetime.date(2016, 1, 1)),
            person=current,
            start_date=datetime.date(2016, 1, 1),
        )
        recent_description = PersonFactory(name="New Role", directorates=[directorate])
        MembershipFactory(
            project=old_project,
            person=recent_description,
            start_date=datetime.date(2016, 1, 1),
            end_date=datetime.date(2016, 12, 31),
        )
        RoleDescriptionFactory(person=recent_description)
        before = {p.pk: (p.name, p.active) for p in Person.objects.all()}
        output = _report()
        assert "People inactive for more than 72 months (last activity before 1 June 2018): 1" in (
            output
        )
        assert f"{gone.pk}\t2017-03-31\tteam membership\tNewham\tLong Gone" in output
        assert "Still Here" not in output and "New Role" not in output
        # A shorter period lists more; nothing is changed either way.
        shorter = _report("--months", "12")
        assert "New Role" not in shorter and "Long Gone" in shorter
        assert before == {p.pk: (p.name, p.active) for p in Person.objects.all()}


def test_retention_counts_sign_ins_and_activities(directorate):
    with time_machine.travel(datetime.datetime(2030, 1, 10, 12, tzinfo=datetime.UTC), tick=False):
        from tests.factories import UserFactory

        signed_in = PersonFactory(name="Signs In", directorates=[directorate])
        signed_in.user = UserFactory(username="signs-in")
        signed_in.user.last_login = datetime.datetime(2029, 12, 1, tzinfo=datetime.UTC)
        signed_in.user.save()
        signed_in.save()
        named = PersonFactory(name="At A Survey", directorates=[directorate])
        activity = ActivityFactory(
            project=ProjectFactory(directorate=directorate, start_date=datetime.date(2020, 1, 1)),
            date=datetime.date(2020, 2, 1),
        )
        activity.people.add(named)
        output = _report("--months", "24")
    assert "Signs In" not in output
    assert f"{named.pk}\t2020-02-01\tlittle-i activity" in output


def test_retention_report_refuses_a_period_under_one_month():
    with pytest.raises(CommandError, match="1 or more"):
        _report("--months", "0")


def test_payment_claims_are_in_the_export_and_count_as_activity(
    client, directorate, other_directorate, ppl, other_ppl, admin_user
):
    from tests.involvement.payments_helpers import make_pay

    pay = make_pay(directorate, other_directorate, ppl, other_ppl, admin_user)
    claim = pay.approved(day=datetime.date(2025, 3, 3))
    client.force_login(admin_user)
    response = client.get(reverse("involvement:person_export_json", args=[pay.person.pk]))
    sections = {s["key"]: s["data"] for s in json.loads(response.content)["sections"]}
    assert sections["claims"] == [
        {
            "reference": claim.reference,
            "date": "2025-03-03",
            "what_they_did": claim.description,
            "hours": "2.00",
            "amount": str(claim.amount),
            "status": "Approved",
            "paid_on": None,
        }
    ]
    assert [row["type"] for row in sections["history"]["claims"]] == ["created", "changed"]
    # With the team membership ended, the claim is their last activity.
    pay.membership.end_date = datetime.date(2025, 2, 1)
    pay.membership.save()
    with time_machine.travel(datetime.datetime(2030, 1, 10, 12, tzinfo=datetime.UTC), tick=False):
        output = _report("--months", "12")
    assert f"{pay.person.pk}\t2025-03-03\tclaim" in output
