"""Principle summaries, checked against shares worked out by hand."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest
from django.urls import reverse

from stories import selectors, services
from stories.principles import ORDER, Principle
from stories.templatetags.charter import percent
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

D1 = datetime.date(2024, 2, 13)
D2 = datetime.date(2024, 3, 12)


def reflect(project, date, answers, *, by=None, comment="", anonymous=True):
    return services.reflection_record(
        project=project,
        by=by or UserFactory(),
        meeting_date=date,
        answers={p: (a, c) for p, a, c in answers},
        comment=comment,
        anonymous=anonymous,
    )


@pytest.fixture
def project(directorate):
    project = ProjectFactory(directorate=directorate, start_date=datetime.date(2024, 1, 1))
    # Meeting 1: two reflections.
    reflect(project, D1, [("collaborate", "kept", ""), ("courage", "not_kept", "Not asked.")])
    reflect(project, D1, [("collaborate", "partly", ""), ("courage", "kept", "")])
    # Meeting 2: one reflection.
    reflect(
        project,
        D2,
        [("collaborate", "kept", ""), ("respect", "not_kept", "")],
        comment="Better.",
        anonymous=False,
    )
    return project


def rows_by_principle(summary):
    return {row.principle: row for row in summary.rows}


def test_shares_over_the_last_meetings(project):
    summary = selectors.principle_summary(project, meetings=6)
    assert summary.meetings == [D1, D2]
    assert summary.reflections == 3
    rows = rows_by_principle(summary)
    assert [row.principle for row in summary.rows] == list(ORDER)

    collaborate = rows[Principle.COLLABORATE]
    assert (collaborate.kept, collaborate.partly, collaborate.not_kept) == (2, 1, 0)
    assert collaborate.share_kept == Fraction(2, 3)
    assert collaborate.by_meeting == [Fraction(1, 2), Fraction(1, 1)]

    courage = rows[Principle.COURAGE]
    assert (courage.kept, courage.partly, courage.not_kept) == (1, 0, 1)
    assert courage.share_kept == Fraction(1, 2)
    assert courage.by_meeting == [Fraction(1, 2), None]

    respect = rows[Principle.RESPECT]
    assert respect.share_kept == 0
    assert respect.share_not_kept == 1
    assert respect.by_meeting == [None, Fraction(0)]

    solve = rows[Principle.SOLVE]
    assert (solve.answered, solve.share_kept, solve.by_meeting) == (0, None, [None, None])


def test_only_the_last_n_meeting_dates_count(project):
    summary = selectors.principle_summary(project, meetings=1)
    assert summary.meetings == [D2]
    assert summary.reflections == 1
    rows = rows_by_principle(summary)
    assert rows[Principle.COLLABORATE].share_kept == 1
    assert rows[Principle.COURAGE].share_kept is None


def test_a_seventh_meeting_pushes_the_first_out(directorate):
    project = ProjectFactory(directorate=directorate, start_date=datetime.date(2024, 1, 1))
    dates = [datetime.date(2024, month, 5) for month in range(1, 8)]
    reflect(project, dates[0], [("reflect", "not_kept", "")])
    for date in dates[1:]:
        reflect(project, date, [("reflect", "kept", "")])
    summary = selectors.principle_summary(project)  # six meetings by default
    assert summary.meetings == dates[1:]
    assert rows_by_principle(summary)[Principle.REFLECT].share_kept == 1


def test_another_projects_reflections_do_not_count(project, directorate):
    other = ProjectFactory(directorate=directorate, start_date=datetime.date(2024, 1, 1))
    reflect(other, D2, [("collaborate", "not_kept", "")])
    rows = rows_by_principle(selectors.principle_summary(project))
    assert rows[Principle.COLLABORATE].not_kept == 0


def test_an_empty_project_has_an_empty_summary(directorate):
    summary = selectors.principle_summary(ProjectFactory(directorate=directorate))
    assert summary.is_empty
    assert all(row.answered == 0 for row in summary.rows)


def test_comments_come_newest_meeting_first_with_authors_only_when_named(project):
    comments = selectors.reflection_comments(project)
    assert [(c.meeting_date, c.principle, c.text) for c in comments] == [
        (D2, None, "Better."),
        (D1, Principle.COURAGE, "Not asked."),
    ]
    assert comments[0].author is not None  # the named one
    assert comments[1].author is None  # anonymous: never who


def test_percent_filter():
    assert percent(Fraction(2, 3)) == "67%"
    assert percent(Fraction(0)) == "0%"
    assert percent(None) == "–"


def test_project_page_shows_the_hand_computed_shares(client, admin_user, project):
    client.force_login(admin_user)
    content = client.get(reverse("stories:project_reflections", args=[project.pk])).content
    content = content.decode()
    assert "67%" in content  # Collaborate, 2 of 3
    assert "50%" in content  # Courage, 1 of 2
    assert "From 3 reflections on the last 2 meetings" in content


# --- across a directorate ------------------------------------------------------------------------


def test_principles_most_often_not_kept_across_a_directorate(
    project, directorate, other_directorate
):
    second = ProjectFactory(directorate=directorate, start_date=datetime.date(2024, 1, 1))
    reflect(second, D2, [("respect", "not_kept", ""), ("courage", "partly", "")])
    elsewhere = ProjectFactory(directorate=other_directorate, start_date=datetime.date(2024, 1, 1))
    reflect(elsewhere, D2, [("solve", "not_kept", ""), ("solve", "not_kept", "")])

    rows = selectors.principles_not_kept(directorate_ids=frozenset({directorate.pk}), since=None)
    # Respect: 2 not kept of 2; Courage: 1 of 3; Collaborate: 0 of 3; then the rest, in order.
    assert [(r.principle, r.not_kept, r.answered) for r in rows[:3]] == [
        (Principle.RESPECT, 2, 2),
        (Principle.COURAGE, 1, 3),
        (Principle.COLLABORATE, 0, 3),
    ]
    assert next(r for r in rows if r.principle == Principle.SOLVE).answered == 0

    recent = selectors.principles_not_kept(directorate_ids=frozenset({directorate.pk}), since=D2)
    assert [(r.principle, r.not_kept) for r in recent[:2]] == [
        (Principle.RESPECT, 2),
        (Principle.COLLABORATE, 0),
    ]
    trust = selectors.principles_not_kept(directorate_ids=None, since=None)
    assert trust[0].principle == Principle.RESPECT  # 2 not kept, share 1 beats Solve's 1 of 1


def test_projects_with_reflections_counts_each_reflection_once(project):
    row = selectors.projects_with_reflections(directorate_ids=None, since=None).get()
    assert (row.reflection_count, row.not_kept_count, row.last_meeting) == (3, 2, D2)
    since = selectors.projects_with_reflections(directorate_ids=None, since=D2).get()
    assert (since.reflection_count, since.not_kept_count) == (1, 1)


def test_a_ppl_sees_their_directorates_only(client, ppl, project, other_directorate):
    other = ProjectFactory(
        title="Elsewhere", directorate=other_directorate, start_date=datetime.date(2024, 1, 1)
    )
    reflect(other, D2, [("solve", "not_kept", "")])
    client.force_login(ppl)
    response = client.get(reverse("stories:reflections_overview"), {"period": "all"})
    assert [p.title for p in response.context["page"].object_list] == [project.title]
    solve = next(r for r in response.context["rows"] if r.principle == Principle.SOLVE)
    assert solve.answered == 0
    # Asking for another directorate falls back to their own.
    response = client.get(
        reverse("stories:reflections_overview"),
        {"period": "all", "directorate": other_directorate.pk},
    )
    assert [p.title for p in response.context["page"].object_list] == [project.title]
