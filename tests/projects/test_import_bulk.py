"""The bulk apply path of the imports (issue 10: a whole trust's history in under a minute):
counts, idempotence, the derived levels, the audit history, progress, and queries that do not
grow with the file."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from involvement import levels
from involvement.models import Activity, LevelsState, Person, ProjectMonth, TeamMembership
from projects import imports
from projects.models import Level, Project
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PROJECT_HEADER = "lifeqi_id,title,directorate,lead,start_date,end_date,status,aim,aim_reached"
INVOLVEMENT_HEADER = "lifeqi_id,kind,person,person_type,start_date,end_date,participants"
KINDS = ["survey", "focus_group", "feedback_session", "co_design_workshop", "other"]


def project_file(count: int) -> str:
    lines = [PROJECT_HEADER]
    for number in range(1, count + 1):
        directorate = "Newham" if number % 2 else "Forensic services"
        start = datetime.date(2019, 1, 1) + datetime.timedelta(days=7 * number)
        if number % 3 == 0:
            end, status, reached = start + datetime.timedelta(days=400), "completed", "yes"
        else:
            end, status, reached = None, "active", ""
        lines.append(
            f"Q{number},Project {number},{directorate},Lead {number},{start},"
            f"{end or ''},{status},Aim {number},{reached}"
        )
    return "\n".join(lines) + "\n"


def involvement_file(count: int) -> str:
    """Per project: two members (one who left), three activities, one naming a person."""
    lines = [INVOLVEMENT_HEADER]
    for number in range(1, count + 1):
        start = datetime.date(2019, 1, 1) + datetime.timedelta(days=7 * number)
        day = datetime.timedelta(days=1)
        lines.append(f"Q{number},member,Person {number % 7},service_user,{start + day},,")
        lines.append(
            f"Q{number},member,Carer {number % 5},carer,{start + 2 * day},{start + 90 * day},"
        )
        for index in range(3):
            named = f"Person {number % 7}" if index == 0 else ""
            lines.append(
                f"Q{number},{KINDS[(number + index) % 5]},{named},,"
                f"{start + (10 + 30 * index) * day},,{5 + index}"
            )
    return "\n".join(lines) + "\n"


@pytest.fixture
def places(directorate, other_directorate):
    return directorate, other_directorate


def test_a_bulk_import_writes_every_row_with_its_history_and_levels(places, admin_user):
    _, result = imports.apply(imports.PROJECTS, project_file(30), user=admin_user)
    assert (result.created, result.updated, result.unchanged) == (30, 0, 0)
    _, result = imports.apply(imports.INVOLVEMENT, involvement_file(30), user=admin_user)
    assert (result.created, result.updated, result.unchanged) == (150, 0, 0)

    assert TeamMembership.objects.count() == 60
    assert Activity.objects.count() == 90
    # Seven "Person n" and five "Carer n" names in each of the two directorates.
    assert Person.objects.count() == 24
    assert Activity.people.through.objects.count() == 30
    carer = Person.objects.filter(name="Carer 1").first()
    assert carer.kind == "carer"
    assert carer.directorates.count() == 1
    first = Activity.objects.get(project__lifeqi_id="Q1", date=datetime.date(2019, 1, 18))
    assert first.participants == 5
    assert [p.name for p in first.people.all()] == ["Person 1"]

    # The audit history, as save() would have written it, naming the admin who imported.
    assert TeamMembership.history.filter(history_type="+").count() == 60
    assert set(TeamMembership.history.values_list("history_user", flat=True)) == {admin_user.pk}
    record = Person.history.get(id=carer.pk)
    assert (record.history_type, record.history_user) == ("+", admin_user)
    assert [d.directorate_id for d in record.directorates.all()] == [carer.directorates.get().pk]

    # The derived levels are those of a full rebuild.
    written = sorted(ProjectMonth.objects.values_list("project_id", "month", "level"))
    stored = dict(Project.objects.values_list("pk", "overall_level"))
    levels.rebuild_all()
    assert sorted(ProjectMonth.objects.values_list("project_id", "month", "level")) == written
    assert dict(Project.objects.values_list("pk", "overall_level")) == stored
    assert set(stored.values()) == {Level.BIG_I}


def test_running_a_bulk_import_twice_changes_nothing(places):
    projects, involvement = project_file(20), involvement_file(20)
    imports.apply(imports.PROJECTS, projects)
    imports.apply(imports.INVOLVEMENT, involvement)

    def state():
        return (
            list(Project.objects.order_by("pk").values_list("pk", "updated_at")),
            list(TeamMembership.objects.order_by("pk").values_list("pk", "end_date")),
            list(Activity.objects.order_by("pk").values_list("pk", "participants")),
            Activity.people.through.objects.count(),
            Person.objects.count(),
            TeamMembership.history.count(),
            Person.history.count(),
            LevelsState.objects.get().version,
        )

    before = state()
    _, result = imports.apply(imports.PROJECTS, projects)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 20)
    _, result = imports.apply(imports.INVOLVEMENT, involvement)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 100)
    # Not a row written, not a history record, and no level rebuilt (its version is unchanged).
    assert state() == before


def test_changed_rows_update_what_is_recorded_with_history(places, directorate, admin_user):
    imports.apply(imports.PROJECTS, project_file(2))
    imports.apply(imports.INVOLVEMENT, involvement_file(2))
    changed = (
        involvement_file(2)
        # Carer 1 left Q1 later than first recorded.
        .replace("Carer 1,carer,2019-01-10,2019-04-08,", "Carer 1,carer,2019-01-10,2019-05-01,")
        # The Q1 focus group had more people, and one more is named.
        .replace("Q1,focus_group,Person 1,,2019-01-18,,5", "Q1,focus_group,Person 1,,2019-01-18,,9")
    )
    changed += "Q1,focus_group,Ann New,,2019-01-18,,9\n"
    preview = imports.parse(imports.INVOLVEMENT, changed)
    assert preview.ok, preview.errors
    assert preview.counts == {"new": 0, "update": 3, "no change": 8}

    imports.apply(imports.INVOLVEMENT, changed, user=admin_user)
    membership = TeamMembership.objects.get(person__name="Carer 1", project__lifeqi_id="Q1")
    assert membership.end_date == datetime.date(2019, 5, 1)
    latest = membership.history.first()
    assert (latest.history_type, latest.end_date, latest.history_user) == (
        "~",
        datetime.date(2019, 5, 1),
        admin_user,
    )
    group = Activity.objects.get(project__lifeqi_id="Q1", kind="focus_group")
    assert group.participants == 9
    assert sorted(p.name for p in group.people.all()) == ["Ann New", "Person 1"]
    assert Person.objects.get(name="Ann New").directorates.get() == directorate


def test_an_existing_person_of_the_register_is_linked_not_duplicated(places, directorate):
    known = PersonFactory(name="Person 1", directorates=[directorate])
    imports.apply(imports.PROJECTS, project_file(1))
    imports.apply(imports.INVOLVEMENT, involvement_file(1))
    assert TeamMembership.objects.get(person__name="Person 1").person == known
    assert Person.objects.filter(name="Person 1").count() == 1


def test_a_bad_row_anywhere_in_a_big_file_writes_nothing(places):
    imports.apply(imports.PROJECTS, project_file(10))
    text = involvement_file(10) + "Q3,member,Someone,,1999-01-01,,\n"
    with pytest.raises(imports.ImportRejected) as rejected:
        imports.apply(imports.INVOLVEMENT, text)
    assert [e.row for e in rejected.value.preview.errors] == [52]
    assert not TeamMembership.objects.exists() and not Activity.objects.exists()
    assert not Person.objects.exists() and not Person.history.exists()


def test_progress_is_reported_step_by_step(places):
    heard: list[tuple[str, int, int]] = []
    imports.apply(imports.PROJECTS, project_file(5), progress=lambda *step: heard.append(step))
    stages = [stage for stage, _, _ in heard]
    assert stages == sorted(stages, key=[imports.CHECKING, imports.WRITING, imports.LEVELS].index)
    assert set(stages) == {imports.CHECKING, imports.WRITING, imports.LEVELS}
    last = {stage: (done, total) for stage, done, total in heard}
    assert last == {
        imports.CHECKING: (5, 5),
        imports.WRITING: (5, 5),
        imports.LEVELS: (5, 5),
    }


@pytest.mark.parametrize("kind", [imports.PROJECTS, imports.INVOLVEMENT])
def test_the_queries_of_an_import_do_not_grow_with_its_rows(places, kind):
    """What is recorded is read in bulk and the writes go in batches: 3 rows or 40, the same
    number of queries (a query per row took minutes at a whole trust's size)."""

    def queries(count: int) -> tuple[int, int]:
        if kind == imports.INVOLVEMENT:
            imports.apply(imports.PROJECTS, project_file(count))
            text = involvement_file(count)
        else:
            text = project_file(count)
        with CaptureQueriesContext(connection) as checking:
            imports.parse(kind, text)
        with CaptureQueriesContext(connection) as applying:
            imports.apply(kind, text)
        Project.objects.all().delete()
        Person.objects.all().delete()
        return len(checking.captured_queries), len(applying.captured_queries)

    assert queries(3) == queries(40)
