"""QI forum pages: the list, a forum's meetings and short-notice cancellations, meeting forms."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from projects.models import Forum, ForumMeeting
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 6, 12)


@pytest.fixture
def forum(directorate, chair):
    forum = Forum.objects.create(name="Newham QI forum", chair=chair)
    forum.directorates.add(directorate)
    return forum


def meeting(forum, date, status="held", announced=None, note=""):
    return ForumMeeting.objects.create(
        forum=forum, date=date, status=status, cancellation_announced_on=announced, note=note
    )


@time_machine.travel(TODAY)
def test_short_notice_cancellations_of_the_last_year_are_shown(client, chair, forum):
    meeting(
        forum, datetime.date(2024, 5, 14), "cancelled", datetime.date(2024, 5, 10), "Chair unwell"
    )
    meeting(forum, datetime.date(2024, 4, 9), "cancelled", datetime.date(2024, 3, 20), "Moved")
    meeting(forum, datetime.date(2023, 3, 14), "cancelled", datetime.date(2023, 3, 13), "Too old")
    meeting(forum, datetime.date(2024, 3, 12))
    client.force_login(chair)
    response = client.get(reverse("forums:detail", args=[forum.pk]))
    short = [m.date for m in response.context["short_notice"]]
    assert short == [datetime.date(2024, 5, 14)]
    html = response.content.decode()
    assert "14 May 2024: cancelled on 10 May 2024 (Chair unwell)" in html
    assert "1 short-notice cancellation in the last year." in html


def test_six_days_notice_is_short_and_seven_is_not(forum):
    short = meeting(forum, datetime.date(2024, 5, 14), "cancelled", datetime.date(2024, 5, 8))
    enough = meeting(forum, datetime.date(2024, 5, 21), "cancelled", datetime.date(2024, 5, 14))
    assert list(ForumMeeting.objects.short_notice_cancellations()) == [short]
    assert short.is_short_notice_cancellation and not enough.is_short_notice_cancellation


@pytest.mark.parametrize("fixture", ["admin_user", "ppl", "lead", "chair"])
def test_staff_and_chairs_see_the_forums(client, request, fixture, forum):
    client.force_login(request.getfixturevalue(fixture))
    assert "Newham QI forum" in client.get(reverse("forums:list")).content.decode()
    assert client.get(reverse("forums:detail", args=[forum.pk])).status_code == 200


def test_service_user_cannot_see_forums(client, su_user, forum):
    client.force_login(su_user)
    assert client.get(reverse("forums:list")).status_code == 403


def test_forum_page_counts_active_projects_by_level_without_names(
    client, chair, forum, directorate
):
    ProjectFactory(directorate=directorate, title="Secret-ish title", lead_name="Nina Named")
    client.force_login(chair)
    response = client.get(reverse("forums:detail", args=[forum.pk]))
    counts = {level.label: count for level, count in response.context["levels"]}
    assert counts == {"Big I": 0, "little i": 0, "No involvement": 1}
    assert "Nina Named" not in response.content.decode()


def post_meeting(client, forum, **data):
    return client.post(reverse("forums:meeting_add", args=[forum.pk]), data)


@pytest.mark.parametrize("fixture", ["admin_user", "ppl", "chair"])
def test_admin_ppl_of_the_directorate_and_chair_add_meetings(client, request, fixture, forum):
    client.force_login(request.getfixturevalue(fixture))
    response = post_meeting(client, forum, date="2024-07-09", status="planned")
    assert response.status_code == 302
    assert forum.meetings.get().date == datetime.date(2024, 7, 9)


@pytest.mark.parametrize("fixture", ["other_ppl", "lead"])
def test_others_cannot_add_or_edit_meetings(client, request, fixture, forum):
    held = meeting(forum, datetime.date(2024, 5, 14))
    client.force_login(request.getfixturevalue(fixture))
    assert post_meeting(client, forum, date="2024-07-09", status="planned").status_code == 403
    edit = reverse("forums:meeting_edit", args=[forum.pk, held.pk])
    assert client.post(edit, {"date": "2024-05-14", "status": "cancelled"}).status_code == 403
    assert forum.meetings.count() == 1
    held.refresh_from_db()
    assert held.status == "held"


def test_meeting_form_errors(client, chair, forum):
    meeting(forum, datetime.date(2024, 5, 14))
    client.force_login(chair)
    no_announcement = post_meeting(client, forum, date="2024-07-09", status="cancelled")
    assert no_announcement.context["form"].errors["cancellation_announced_on"] == [
        "Say when the cancellation was announced."
    ]
    after = post_meeting(
        client, forum, date="2024-07-09", status="cancelled", cancellation_announced_on="2024-07-10"
    )
    assert after.context["form"].errors["cancellation_announced_on"]
    twice = post_meeting(client, forum, date="2024-05-14", status="held")
    assert twice.context["form"].errors["date"] == [
        "This forum already has a meeting on that date."
    ]
    assert forum.meetings.count() == 1


def test_chair_records_a_cancellation(client, chair, forum):
    planned = meeting(forum, datetime.date(2024, 7, 9), "planned")
    client.force_login(chair)
    response = client.post(
        reverse("forums:meeting_edit", args=[forum.pk, planned.pk]),
        {"date": "2024-07-09", "status": "cancelled", "cancellation_announced_on": "2024-07-05"},
    )
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.is_short_notice_cancellation


def test_meeting_of_another_forum_is_404(client, admin_user, forum, other_directorate):
    other = Forum.objects.create(name="Forensic QI forum")
    theirs = meeting(other, datetime.date(2024, 5, 14))
    client.force_login(admin_user)
    assert client.get(reverse("forums:meeting_edit", args=[forum.pk, theirs.pk])).status_code == 404
