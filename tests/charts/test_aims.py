"""Did involvement help? The aim analysis on hand-built projects: counts, ratios, sentences, the
"too few" message, and the command and page agreeing."""

from __future__ import annotations

import io
import json
import math
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from charts import selectors
from charts.presenters import aim_report
from projects.models import Level, ProgressScore
from tests.charts.helpers import TODAY
from tests.factories import ActivityFactory, MembershipFactory, PersonFactory, ProjectFactory

pytestmark = pytest.mark.django_db

URL = "/charts/aims/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def ended(directorate, level: int, *, reached: int, total: int, status="completed", score=None):
    """``total`` ended projects at ``level``, the first ``reached`` of them reaching their aim."""
    projects = []
    for index in range(total):
        project = ProjectFactory(
            directorate=directorate,
            start_date=date(2023, 1, 15),
            end_date=date(2023, 12, 20),
            status=status,
            aim_reached="yes" if index < reached else "no",
        )
        if level == Level.BIG_I:
            MembershipFactory(project=project, start_date=date(2023, 2, 1))
        elif level == Level.LITTLE_I:
            ActivityFactory(project=project, date=date(2023, 3, 1))
        if score is not None:
            ProgressScore.objects.create(
                project=project, score=score(index), date=date(2023, 12, 1)
            )
        projects.append(project)
    return projects


@pytest.fixture
def hand_built(directorate):
    ended(directorate, Level.BIG_I, reached=8, total=10)
    ended(directorate, Level.LITTLE_I, reached=2, total=5)
    ended(directorate, Level.NONE, reached=3, total=10, status="stopped")
    # Not counted: still running, or ended with no outcome recorded.
    ProjectFactory(directorate=directorate, start_date=date(2024, 1, 15), status="active")
    ProjectFactory(
        directorate=directorate,
        start_date=date(2023, 1, 15),
        end_date=date(2023, 6, 1),
        status="completed",
    )


def run(*args) -> str:
    out = io.StringIO()
    call_command("aim_analysis", *args, stdout=out)
    return out.getvalue()


def test_counts_by_overall_level(hand_built):
    counts = selectors.aim_counts()
    assert {level: (c.total, c.reached) for level, c in counts.by_level.items()} == {
        Level.BIG_I: (10, 8),
        Level.LITTLE_I: (5, 2),
        Level.NONE: (10, 3),
    }


def test_risk_ratio_odds_ratio_and_the_sentence(hand_built):
    report = aim_report(selectors.aim_counts())
    big_i, anyone = report.comparisons
    # Big I against none: RR = (8/10) / (3/10) = 2.667; SE(ln RR) = √(1/8 − 1/10 + 1/3 − 1/10)
    # = √0.258333 = 0.508265; CI = 2.667 × e^(±1.96 × 0.508265) = 0.9847 to 7.221.
    c = big_i.comparison
    assert c.rr == pytest.approx(8 / 3)
    assert c.rr_low == pytest.approx(8 / 3 * math.exp(-1.96 * math.sqrt(0.258333333)), rel=1e-6)
    assert (round(c.rr_low, 4), round(c.rr_high, 3)) == (0.9847, 7.221)
    # OR = (8 × 7) / (2 × 3) = 9.333, SE = √(1/8 + 1/2 + 1/3 + 1/7) = 1.0504.
    assert c.or_ == pytest.approx(56 / 6)
    or_se = math.sqrt(1 / 8 + 1 / 2 + 1 / 3 + 1 / 7)
    assert c.or_low == pytest.approx(56 / 6 * math.exp(-1.96 * or_se))
    # Fisher's exact test of [[8, 2], [3, 7]] (as R's fisher.test): p = 0.0698, not below 0.05.
    assert c.p_value == pytest.approx(0.0698, abs=5e-5)
    assert big_i.sentence == (
        "Projects with Big I were 2.7 times as likely to reach their aim as projects with no "
        "involvement (risk ratio 2.67, 95% confidence interval 0.98 to 7.22)."
    )
    assert big_i.or_sentence.startswith("Odds ratio for Big I against no involvement: 9.33")
    # Any involvement: (8 + 2) / 15 against 3 / 10: RR = 2.222.
    assert anyone.comparison.rr == pytest.approx((10 / 15) / (3 / 10))
    assert anyone.sentence.startswith("Projects with Big I or little i were 2.2 times as likely")
    assert [g.percent for g in report.groups] == ["80.0%", "40.0%", "30.0%"]


def test_too_few_projects_in_a_group_says_why_no_ratio_is_shown(directorate):
    ended(directorate, Level.BIG_I, reached=3, total=6)
    ended(directorate, Level.NONE, reached=1, total=3)
    report = aim_report(selectors.aim_counts())
    big_i = report.comparisons[0]
    assert big_i.comparison.rr is None and big_i.comparison.or_ is None
    assert big_i.sentence == (
        "No risk ratio for Big I: Too few projects to compare: 6 and 3 in the two groups "
        "(at least 5 in each are needed)."
    )


def test_a_zero_cell_says_why_no_ratio_is_shown(directorate):
    ended(directorate, Level.BIG_I, reached=4, total=6)
    ended(directorate, Level.NONE, reached=0, total=6)
    big_i = aim_report(selectors.aim_counts()).comparisons[0]
    assert big_i.comparison.rr is None
    assert "No project in one of the groups reached its aim" in big_i.sentence


def test_success_can_be_a_final_progress_score_of_4_or_more(directorate):
    # Big I: scores 4.5, 4.5, 4.5, 3.0, 3.0; none: 4.0, 2.0, 2.0, 2.0, 2.0, plus one with no score.
    ended(
        directorate,
        Level.BIG_I,
        reached=0,
        total=5,
        score=lambda i: Decimal("4.5") if i < 3 else Decimal("3.0"),
    )
    ended(
        directorate,
        Level.NONE,
        reached=5,
        total=5,
        score=lambda i: Decimal("4.0") if i == 0 else Decimal("2.0"),
    )
    (unscored,) = ended(directorate, Level.NONE, reached=1, total=1)
    first_none = selectors.aim_counts(success="progress")
    assert first_none.left_out == 1
    assert {lvl: (c.total, c.reached) for lvl, c in first_none.by_level.items()} == {
        Level.BIG_I: (5, 3),
        Level.LITTLE_I: (0, 0),
        Level.NONE: (5, 1),
    }
    # The latest score counts, not the best: an earlier 5.0 does not make the project a success.
    ProgressScore.objects.create(project=unscored, score=Decimal("5.0"), date=date(2023, 6, 1))
    ProgressScore.objects.create(project=unscored, score=Decimal("1.0"), date=date(2023, 11, 1))
    counts = selectors.aim_counts(success="progress")
    assert counts.left_out == 0
    assert (counts.by_level[Level.NONE].total, counts.by_level[Level.NONE].reached) == (6, 1)
    report = aim_report(counts)
    assert report.success_text == "ended with a progress score of 4.0 or more"
    assert "to end with a progress score of 4.0 or more" in report.comparisons[0].sentence


def test_counts_are_database_aggregates_whatever_the_number_of_projects(directorate):
    ended(directorate, Level.BIG_I, reached=1, total=2)
    with CaptureQueriesContext(connection) as few:
        selectors.aim_counts()
        selectors.aim_counts(success="progress")
    ended(directorate, Level.NONE, reached=5, total=20)
    with CaptureQueriesContext(connection) as many:
        selectors.aim_counts()
        selectors.aim_counts(success="progress")
    assert len(few) == len(many) == 3
    assert all("GROUP BY" in q["sql"] or "COUNT" in q["sql"] for q in many.captured_queries)


def test_command_and_page_give_the_same_numbers(client, ppl, hand_built):
    from_command = json.loads(run("--json"))
    client.force_login(ppl)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["report"].as_dict() == from_command
    html = response.content.decode()
    big_i = from_command["comparisons"]["big_i"]
    assert big_i["exposed_total"] == 10 and big_i["unexposed_reached"] == 3
    assert f"{big_i['risk_ratio']:.2f} ({big_i['risk_ratio_ci'][0]:.2f} to " in html
    assert big_i["sentence"] in html
    assert "Odds ratio" in html and "Risk ratio" in html
    text = run()
    assert big_i["sentence"] in text
    assert "Big I against none: risk ratio 2.67 (95% CI 0.98 to 7.22)" in text


def test_command_and_page_agree_for_one_directorate_and_progress(
    client, ppl, directorate, other_directorate
):
    ended(directorate, Level.BIG_I, reached=3, total=5, score=lambda i: Decimal("4.0"))
    ended(other_directorate, Level.NONE, reached=1, total=5, score=lambda i: Decimal("2.0"))
    from_command = json.loads(
        run("--json", "--success", "progress", "--directorate", directorate.name.upper())
    )
    client.force_login(ppl)
    page = client.get(URL, {"success": "progress", "directorate": directorate.pk})
    assert page.context["report"].as_dict() == from_command
    assert from_command["groups"][0] == {
        "level": "Big I",
        "projects": 5,
        "reached": 5,
        "proportion": 1.0,
    }
    assert from_command["groups"][2]["projects"] == 0


def test_unknown_directorate_is_a_one_line_error_with_exit_code_2(hand_built):
    with pytest.raises(CommandError) as error:
        run("--directorate", "Atlantis")
    assert error.value.returncode == 2
    assert str(error.value) == "--directorate Atlantis: no such directorate"


def test_page_with_no_ended_projects_says_so(client, su_user):
    client.force_login(su_user)
    html = client.get(URL).content.decode()
    assert "No project has ended with its outcome recorded yet" in html


def test_page_bad_choice_is_an_error_not_a_crash(client, su_user):
    client.force_login(su_user)
    response = client.get(URL, {"success": "luck", "directorate": "999999"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert html.count("nhsuk-error-message") >= 2


def test_no_personal_data_on_the_aim_page(client, chair, directorate):
    projects = ended(directorate, Level.BIG_I, reached=5, total=5)
    MembershipFactory(
        project=projects[0],
        person=PersonFactory(name="Zebedee Quillfeather"),
        start_date=date(2023, 3, 1),
    )
    client.force_login(chair)
    html = client.get(URL).content.decode()
    assert "Zebedee" not in html
    assert projects[0].title not in html
