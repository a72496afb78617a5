"""From idea to action through the pages: a change idea on the p-chart, a draft QI project, or an
action in words, each linked back to the board and shown on it and on its summary."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from charts.models import ChartAnnotation
from involvement.access import Role
from projects.models import Project, ProjectStatus
from projects.models_boards import ActionKind, BoardAction
from tests.factories import ProjectFactory, UserFactory
from tests.projects.boards_support import add_note, forum_meeting, open_board


@pytest.fixture
def project(directorate, lead):
    return ProjectFactory(directorate=directorate, lead=lead, title="Calmer wards")


@pytest.fixture
def board(ppl, su_user, project):
    return open_board(ppl, project=project, invite=[su_user])


@pytest.fixture
def idea(board, su_user):
    return add_note(board, su_user, "SU chairing all QI forums", anonymous=True)


def annotation_url(note) -> str:
    return reverse("charts:annotation_from_board_note", args=[note.pk])


def test_the_facilitator_puts_an_idea_on_the_p_chart(client, board, ppl, idea, directorate):
    client.force_login(ppl)
    page = client.get(annotation_url(idea))
    assert page.status_code == 200
    html = page.content.decode()
    assert "SU chairing all QI forums" in html
    assert "Every chart (a change across the whole trust)" not in html  # admins only
    response = client.post(
        annotation_url(idea),
        {
            "date": "2024-05-01",
            "text": "SU chairs all QI forums",
            "scope": str(directorate.pk),
        },
    )
    assert response.status_code == 302 and response.url == f"/boards/{board.pk}/"
    annotation = ChartAnnotation.objects.get()
    assert (annotation.date, annotation.text, annotation.directorate, annotation.source) == (
        datetime.date(2024, 5, 1),
        "SU chairs all QI forums",
        directorate,
        f"/boards/{board.pk}/",
    )
    assert annotation.created_by == ppl
    action = BoardAction.objects.get()
    assert (action.note, action.kind, action.annotation_id) == (
        idea,
        ActionKind.ANNOTATION,
        annotation.pk,
    )
    board_html = client.get(f"/boards/{board.pk}/").content.decode()
    assert "“SU chairs all QI forums”, from 1 May 2024, on Newham&#x27;s charts" in board_html
    summary = client.get(reverse("boards:summary", args=[board.pk])).content.decode()
    assert "Change idea on the p-chart: “SU chairs all QI forums”, from 1 May 2024" in summary


def test_only_an_admin_puts_an_idea_on_every_chart(client, board, ppl, admin_user, idea):
    client.force_login(ppl)
    data = {"date": "2024-05-01", "text": "SU chairs all QI forums", "scope": "trust"}
    response = client.post(annotation_url(idea), data)
    assert "Choose one of the charts listed." in response.content.decode()
    assert ChartAnnotation.objects.count() == 0 and BoardAction.objects.count() == 0
    client.force_login(admin_user)
    client.post(annotation_url(idea), data)
    assert ChartAnnotation.objects.get().directorate is None


def test_a_change_idea_too_long_for_the_chart_gets_a_clear_message(client, board, ppl, idea):
    client.force_login(ppl)
    response = client.post(
        annotation_url(idea),
        {"date": "2024-05-01", "text": "x" * 121, "scope": str(board.project.directorate_id)},
    )
    assert "up to 120 characters" in response.content.decode()
    assert ChartAnnotation.objects.count() == 0


def test_the_annotation_page_follows_the_boards_access(client, board, idea, other_ppl, su_user):
    client.force_login(other_ppl)
    assert client.get(annotation_url(idea)).status_code == 404
    client.force_login(su_user)
    assert client.get(annotation_url(idea)).status_code == 403
    client.logout()
    assert client.get(annotation_url(idea)).status_code == 302


def test_the_facilitator_turns_an_idea_into_a_draft_project(client, board, ppl, idea, directorate):
    client.force_login(ppl)
    page = client.get(reverse("boards:note_to_project", args=[board.pk, idea.pk]))
    assert page.status_code == 200
    assert page.context["form"].initial["title"] == "SU chairing all QI forums"
    response = client.post(
        reverse("boards:note_to_project", args=[board.pk, idea.pk]),
        {
            "title": "SU chairs every QI forum",
            "directorate": str(directorate.pk),
            "start_date": "2026-12-01",
        },
    )
    assert response.status_code == 302
    project = Project.objects.get(title="SU chairs every QI forum")
    assert (project.status, project.aim, project.directorate, project.lead) == (
        ProjectStatus.DRAFT,
        "",
        directorate,
        None,  # a PPL does not lead it; the lead is chosen later
    )
    action = BoardAction.objects.get()
    assert action.project == project and action.note == idea
    html = client.get(f"/boards/{board.pk}/").content.decode()
    assert "Draft QI project</strong> “SU chairs every QI forum” (Newham)" in html
    assert reverse("projects:detail", args=[project.pk]) in html


def test_a_project_lead_facilitator_leads_the_draft(client, board, lead, idea, directorate):
    client.force_login(lead)
    client.post(
        reverse("boards:note_to_project", args=[board.pk, idea.pk]),
        {"title": "A project", "directorate": str(directorate.pk), "start_date": "2026-12-01"},
    )
    assert Project.objects.get(title="A project").lead == lead


def test_a_draft_project_needs_a_title_and_a_start(client, board, ppl, idea, directorate):
    client.force_login(ppl)
    response = client.post(
        reverse("boards:note_to_project", args=[board.pk, idea.pk]),
        {"title": "", "directorate": str(directorate.pk)},
    )
    html = response.content.decode()
    assert "Give the project a title." in html and "Enter the date the project starts." in html
    assert BoardAction.objects.count() == 0


def test_a_project_only_in_the_boards_directorates(
    client, board, admin_user, idea, other_directorate
):
    client.force_login(admin_user)
    response = client.post(
        reverse("boards:note_to_project", args=[board.pk, idea.pk]),
        {
            "title": "Elsewhere",
            "directorate": str(other_directorate.pk),
            "start_date": "2026-12-01",
        },
    )
    assert response.status_code == 200
    assert not Project.objects.filter(title="Elsewhere").exists()


def test_a_chair_facilitates_but_cannot_start_a_project(client, chair, directorate):
    meeting = forum_meeting(directorate, chair=chair)
    board = open_board(chair, meeting=meeting)
    note = add_note(board, chair, "Recruitment event")
    client.force_login(chair)
    html = client.get(f"/boards/{board.pk}/").content.decode()
    assert "A draft QI project" not in html and "A change idea on the p-chart" in html
    url = reverse("boards:note_to_project", args=[board.pk, note.pk])
    assert client.get(url).status_code == 403
    page = client.get(annotation_url(note))
    assert page.status_code == 200
    assert page.context["form"].initial["date"] == meeting.date


def test_another_action_in_words(client, board, ppl, idea):
    client.force_login(ppl)
    url = reverse("boards:note_action", args=[board.pk, idea.pk])
    assert "Say what was done with the idea." in client.post(url, {}).content.decode()
    client.post(url, {"description": "Agreed at the forum: SUs chair from April."})
    action = BoardAction.objects.get()
    assert (action.kind, action.description, action.taken_by) == (
        ActionKind.OTHER,
        "Agreed at the forum: SUs chair from April.",
        ppl,
    )


def test_actions_can_follow_a_closed_board(client, board, ppl, idea):
    from projects import services_boards

    services_boards.board_close(board=board)
    client.force_login(ppl)
    client.post(
        reverse("boards:note_action", args=[board.pk, idea.pk]), {"description": "Followed up"}
    )
    assert BoardAction.objects.get().description == "Followed up"


def test_the_draft_project_link_is_for_the_facilitator_only(client, board, ppl, su_user, idea):
    from projects import services_boards

    services_boards.project_from_note(
        note=idea,
        by=ppl,
        title="Hidden project",
        directorate=board.project.directorate,
        start_date=datetime.date(2026, 12, 1),
    )
    client.force_login(su_user)
    html = client.get(f"/boards/{board.pk}/").content.decode()
    assert "“Hidden project”" in html
    assert "Open the project" not in html


def test_an_outsider_lead_cannot_act_on_ideas(client, board, idea):
    client.force_login(UserFactory(roles=[Role.LEAD]))
    assert client.get(reverse("boards:note_action", args=[board.pk, idea.pk])).status_code == 404
