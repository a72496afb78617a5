"""Imports of Life QI projects and of involvement: the shared parser, the commands and the pages."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from involvement.models import Activity, Person, ProjectMonth, TeamMembership
from projects import imports
from projects.models import ImportJob, Level, Project
from tests.factories import DirectorateFactory, PersonFactory, ProjectFactory

pytestmark = pytest.mark.django_db

PROJECT_HEADER = "lifeqi_id,title,directorate,lead,start_date,end_date,status,aim,aim_reached"
INVOLVEMENT_HEADER = "lifeqi_id,kind,person,person_type,start_date,end_date,participants"

GOOD_PROJECTS = f"""{PROJECT_HEADER}
101,Reducing falls on Ruby Ward,Newham,Ada Lovelace,2021-01-04,2022-03-31,completed,Halve falls,yes
102,"Carer contact, Jade Ward",Forensic services,,2022-05-01,,active,,
103,Sleep on Sapphire Ward,newham,Grace Hopper,2020-06-01,2020-12-15,stopped,,no
"""

GOOD_INVOLVEMENT = f"""{INVOLVEMENT_HEADER}
101,member,Sam Taylor,service_user,2021-02-01,2021-12-31,
101,survey,,,2021-01-20,,40
102,member,Chris Carer,carer,2022-06-01,,
102,focus_group,Sam Taylor,,2022-07-07,,6
102,focus_group,Pat Patel,both,2022-07-07,,6
"""


@pytest.fixture
def places(directorate, other_directorate):
    return directorate, other_directorate


def errors(kind: str, text: str) -> list[str]:
    return [str(error) for error in imports.parse(kind, text).errors]


# --- projects: the good path ---------------------------------------------------------------------


def test_good_project_file_previews_then_applies(places):
    preview = imports.parse(imports.PROJECTS, GOOD_PROJECTS)
    assert preview.ok
    assert preview.counts == {"new": 3, "update": 0, "no change": 0}
    assert not Project.objects.exists()  # previewing writes nothing

    _, result = imports.apply(imports.PROJECTS, GOOD_PROJECTS)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    falls = Project.objects.get(lifeqi_id="101")
    assert falls.directorate.name == "Newham"
    assert falls.lead_name == "Ada Lovelace"
    assert (falls.start_date, falls.end_date) == (
        datetime.date(2021, 1, 4),
        datetime.date(2022, 3, 31),
    )
    assert (falls.status, falls.aim_reached) == ("completed", "yes")
    assert Project.objects.get(lifeqi_id="102").title == "Carer contact, Jade Ward"
    # The derived table was rebuilt for the imported projects.
    assert ProjectMonth.objects.filter(project=falls).count() == 15


def test_running_the_same_project_file_twice_changes_nothing(places):
    imports.apply(imports.PROJECTS, GOOD_PROJECTS)
    stamps = dict(Project.objects.values_list("lifeqi_id", "updated_at"))
    _, result = imports.apply(imports.PROJECTS, GOOD_PROJECTS)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert dict(Project.objects.values_list("lifeqi_id", "updated_at")) == stamps
    assert Project.objects.count() == 3


def test_a_changed_row_updates_the_project_and_says_what_changed(places):
    imports.apply(imports.PROJECTS, GOOD_PROJECTS)
    changed = GOOD_PROJECTS.replace("2022-05-01,,active", "2022-05-01,2023-01-31,completed")
    preview = imports.parse(imports.PROJECTS, changed)
    row = next(row for row in preview.rows if row.key.startswith("102"))
    assert row.action == "update"
    assert row.detail == "changes end_date, status"
    imports.apply(imports.PROJECTS, changed)
    assert Project.objects.get(lifeqi_id="102").status == "completed"


def test_imported_projects_skip_the_coproduction_gate(places):
    """History as it was: an active project with no SU and no signed-off plan imports fine."""
    imports.apply(imports.PROJECTS, GOOD_PROJECTS)
    project = Project.objects.get(lifeqi_id="102")
    assert project.status == "active"
    assert not project.memberships.exists() and project.plan_signed_off_at is None


def test_utf8_with_bom_is_read(places):
    data = ("\ufeff" + GOOD_PROJECTS.replace("Ruby Ward", "Rübÿ Ward")).encode("utf-8")
    text = imports.decode(data)
    imports.apply(imports.PROJECTS, text)
    assert Project.objects.get(lifeqi_id="101").title == "Reducing falls on Rübÿ Ward"


def test_excel_csv_in_windows_1252_with_crlf_semicolons_and_uk_dates_is_read(places):
    excel = (
        PROJECT_HEADER.replace(",", ";")
        + "\r\n104;Caf\xe9 mornings on Jade Ward;Newham;Zo\xeb Smith;04/01/2021;;active;;\r\n"
        + ";;;;;;;;\r\n"  # Excel's blank trailing row
    ).encode("cp1252")
    text = imports.decode(excel)
    _, result = imports.apply(imports.PROJECTS, text)
    assert result.created == 1
    project = Project.objects.get(lifeqi_id="104")
    assert project.title == "Café mornings on Jade Ward"
    assert project.lead_name == "Zoë Smith"
    assert project.start_date == datetime.date(2021, 1, 4)


def test_columns_may_come_in_any_order(places):
    text = "title,lifeqi_id,status,directorate,start_date,end_date,lead,aim,aim_reached\n"
    text += "Reordered,105,active,Newham,2023-01-01,,,,\n"
    imports.apply(imports.PROJECTS, text)
    assert Project.objects.get(lifeqi_id="105").title == "Reordered"


# --- projects: each kind of bad row --------------------------------------------------------------


def test_wrong_header_is_named(places):
    text = "lifeqi_id,title,directorate,lead,start,end_date,status,aim,aim_reached,colour\n1,x\n"
    found = errors(imports.PROJECTS, text)
    assert any(e.startswith("Row 1, column start: unknown column") for e in found)
    assert any(e.startswith("Row 1, column colour: unknown column") for e in found)
    assert any(e.startswith("Row 1, column start_date: missing column") for e in found)


def test_empty_file_and_header_only_are_errors(places):
    assert errors(imports.PROJECTS, "") == ["Row 1, column (header): the file is empty"]
    assert errors(imports.PROJECTS, PROJECT_HEADER + "\n") == [
        "Row 2, column (row): the file has a header but no rows"
    ]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "201,T,Newham,,2024-13-01,,active,,",
            "Row 2, column start_date: “2024-13-01” is not a date",
        ),
        ("201,T,Newham,,,,active,,", "Row 2, column start_date: empty"),
        (
            "201,T,Newham,,2024-03-01,2024-02-01,completed,,",
            "Row 2, column end_date: the end date is before the start date",
        ),
        ("201,T,Newham,,2024-03-01,,paused,,", "Row 2, column status: unknown status “paused”"),
        ("201,T,Narnia,,2024-03-01,,active,,", "Row 2, column directorate: unknown directorate"),
        ("201,T,Newham,,2024-03-01,,completed,,", "Row 2, column end_date: empty: a completed"),
        ("201,T,Newham,,2024-03-01,,active,,maybe", "Row 2, column aim_reached: “maybe”"),
        ("201,T,Newham,,2024-03-01,,active,,yes", "Row 2, column aim_reached: only a completed"),
        (",T,Newham,,2024-03-01,,active,,", "Row 2, column lifeqi_id: empty"),
        ("201,,Newham,,2024-03-01,,active,,", "Row 2, column title: empty"),
        ("201,T,Newham,,2024-03-01,,active,,,extra", "Row 2, column (row): 10 cells"),
    ],
)
def test_each_kind_of_bad_project_row_is_named_and_nothing_is_written(places, row, expected):
    # A good row first: the bad one is row 3 of the file, and the good one is not written either.
    text = f"{PROJECT_HEADER}\n100,Good row,Newham,,2024-01-01,,active,,\n{row}\n"
    found = errors(imports.PROJECTS, text)
    expected = expected.replace("Row 2", "Row 3")
    assert any(error.startswith(expected) for error in found), found
    with pytest.raises(imports.ImportRejected):
        imports.apply(imports.PROJECTS, text)
    assert not Project.objects.exists()


def test_unknown_directorate_is_not_created(places):
    text = f"{PROJECT_HEADER}\n1,T,Atlantis,,2024-03-01,,active,,\n"
    with pytest.raises(imports.ImportRejected):
        imports.apply(imports.PROJECTS, text)
    assert not Project.objects.exists()
    from projects.models import Directorate

    assert not Directorate.objects.filter(name="Atlantis").exists()


def test_duplicate_life_qi_id_in_one_file_names_both_rows(places):
    text = f"{PROJECT_HEADER}\n7,A,Newham,,2024-03-01,,active,,\n7,B,Newham,,2024-03-01,,active,,\n"
    assert "Row 3, column lifeqi_id: 7 is also on row 2" in errors(imports.PROJECTS, text)


# --- involvement ---------------------------------------------------------------------------------


@pytest.fixture
def imported(places):
    imports.apply(imports.PROJECTS, GOOD_PROJECTS)
    return {p.lifeqi_id: p for p in Project.objects.all()}


def test_good_involvement_file_creates_memberships_activities_and_people(imported, directorate):
    existing = PersonFactory(name="Sam Taylor", directorates=[directorate])
    preview = imports.parse(imports.INVOLVEMENT, GOOD_INVOLVEMENT)
    assert preview.ok, preview.errors
    _, result = imports.apply(imports.INVOLVEMENT, GOOD_INVOLVEMENT)
    assert result.created == 4 and result.updated == 1  # the second focus-group row adds a person

    falls = imported["101"]
    membership = TeamMembership.objects.get(project=falls)
    assert membership.person == existing  # matched by name within the directorate
    assert membership.end_date == datetime.date(2021, 12, 31)
    assert Activity.objects.get(project=falls).participants == 40

    forensic = imported["102"]
    chris = Person.objects.get(name="Chris Carer")
    assert chris.kind == "carer"
    assert list(chris.directorates.all()) == [forensic.directorate]
    group = Activity.objects.get(project=forensic)
    assert group.participants == 6
    # Sam Taylor of Newham is not Sam Taylor of Forensic services: a new person is made there.
    assert sorted(p.name for p in group.people.all()) == ["Pat Patel", "Sam Taylor"]
    assert Person.objects.filter(name="Sam Taylor").count() == 2
    falls.refresh_from_db()
    assert falls.overall_level == Level.BIG_I


def test_running_the_same_involvement_file_twice_changes_nothing(imported):
    imports.apply(imports.INVOLVEMENT, GOOD_INVOLVEMENT)
    counts = (TeamMembership.objects.count(), Activity.objects.count(), Person.objects.count())
    preview = imports.parse(imports.INVOLVEMENT, GOOD_INVOLVEMENT)
    assert preview.counts == {"new": 0, "update": 0, "no change": 5}
    _, result = imports.apply(imports.INVOLVEMENT, GOOD_INVOLVEMENT)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 5)
    assert (
        TeamMembership.objects.count(),
        Activity.objects.count(),
        Person.objects.count(),
    ) == counts


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("101,member,,,2021-02-01,,", "column person: empty: a member row needs the person's name"),
        ("999,member,Ann,,2021-02-01,,", "column lifeqi_id: no project has Life QI id 999"),
        ("101,lunch,,,2021-02-01,,", "column kind: unknown kind “lunch”"),
        ("101,member,Ann,alien,2021-02-01,,", "column person_type: unknown person type"),
        ("101,member,Ann,,2021-02-30,,", "column start_date: “2021-02-30” is not a date"),
        ("101,member,Ann,,2021-05-01,2021-04-01,", "column end_date: the end date is before"),
        ("101,member,Ann,,2020-02-01,,", "column start_date: The project starts on 4 January 2021"),
        ("101,member,Ann,,2021-02-01,2023-01-01,", "column end_date: The project ended on"),
        ("101,survey,,,2023-02-01,,", "column start_date: The project ended on 31 March 2022"),
        ("101,survey,,,2021-02-01,,many", "column participants: “many” is not a number"),
        ("101,survey,,,2021-02-01,2021-03-01,", "column end_date: an activity has one date"),
    ],
)
def test_each_kind_of_bad_involvement_row_is_named_and_nothing_is_written(imported, row, expected):
    text = f"{INVOLVEMENT_HEADER}\n101,survey,,,2021-06-01,,5\n{row}\n"
    found = errors(imports.INVOLVEMENT, text)
    assert any(error.startswith(f"Row 3, {expected}") for error in found), found
    with pytest.raises(imports.ImportRejected):
        imports.apply(imports.INVOLVEMENT, text)
    assert not Activity.objects.exists() and not TeamMembership.objects.exists()


def test_overlapping_memberships_of_one_person_are_errors(imported):
    text = (
        f"{INVOLVEMENT_HEADER}\n101,member,Ann,,2021-02-01,2021-06-30,\n"
        "101,member,Ann,,2021-05-01,,\n101,member,Ann,,2021-02-01,2021-06-30,\n"
    )
    found = errors(imports.INVOLVEMENT, text)
    assert any(
        e.startswith("Row 3, column start_date: overlaps Ann's membership on row 2") for e in found
    )
    assert any(
        e.startswith("Row 4, column start_date: the same membership is on row 2") for e in found
    )


def test_membership_overlapping_one_already_recorded_is_an_error(imported, directorate):
    ann = PersonFactory(name="Ann", directorates=[directorate])
    TeamMembership.objects.create(
        project=imported["101"], person=ann, start_date=datetime.date(2021, 3, 1)
    )
    text = f"{INVOLVEMENT_HEADER}\n101,member,Ann,,2021-02-01,2021-06-30,\n"
    assert errors(imports.INVOLVEMENT, text) == [
        "Row 2, column start_date: Ann is already on this team from 2021-03-01 and the dates "
        "overlap"
    ]


def test_two_people_of_the_same_name_cannot_be_told_apart(imported, directorate):
    PersonFactory(name="Jo Bloggs", directorates=[directorate])
    PersonFactory(name="Jo Bloggs", directorates=[directorate])
    text = f"{INVOLVEMENT_HEADER}\n101,member,Jo Bloggs,,2021-02-01,,\n"
    assert errors(imports.INVOLVEMENT, text)[0].startswith(
        "Row 2, column person: 2 people called Jo Bloggs"
    )


def test_more_people_named_than_took_part_is_an_error(imported):
    text = (
        f"{INVOLVEMENT_HEADER}\n102,survey,A One,,2022-08-01,,1\n102,survey,B Two,,2022-08-01,,1\n"
    )
    found = errors(imports.INVOLVEMENT, text)
    assert any("2 people are named for this activity (rows 2, 3)" in e for e in found)


# --- the commands --------------------------------------------------------------------------------


def write(tmp_path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_import_projects_command_applies_and_is_idempotent(tmp_path, places):
    path = write(tmp_path, "projects.csv", GOOD_PROJECTS)
    out = io.StringIO()
    call_command("import_projects", path, stdout=out)
    assert "Imported: 3 new, 0 updated, 0 unchanged." in out.getvalue()
    out = io.StringIO()
    call_command("import_projects", path, stdout=out)
    assert "Imported: 0 new, 0 updated, 3 unchanged." in out.getvalue()


def test_dry_run_writes_nothing(tmp_path, places):
    path = write(tmp_path, "projects.csv", GOOD_PROJECTS)
    out = io.StringIO()
    call_command("import_projects", path, "--dry-run", stdout=out)
    assert "3 new" in out.getvalue() and "Nothing was written" in out.getvalue()
    assert not Project.objects.exists()


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
def test_bad_file_exits_with_code_2_listing_the_errors(tmp_path, places, dry_run):
    text = GOOD_PROJECTS + "104,Bad,Narnia,,2024-01-01,,active,,\n"
    path = write(tmp_path, "bad.csv", text)
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_projects", path, *dry_run, stderr=err)
    assert raised.value.returncode == 2
    assert "nothing was imported" in str(raised.value)
    assert "Row 5, column directorate: unknown directorate “Narnia”" in err.getvalue()
    assert not Project.objects.exists()


def test_missing_file_exits_with_code_2(places):
    with pytest.raises(CommandError) as raised:
        call_command("import_projects", "/nonexistent/file.csv")
    assert raised.value.returncode == 2


def test_import_involvement_command(tmp_path, imported):
    path = write(tmp_path, "involvement.csv", GOOD_INVOLVEMENT, encoding="utf-8-sig")
    out = io.StringIO()
    call_command("import_involvement", path, stdout=out)
    assert "Imported: 4 new, 1 updated, 0 unchanged." in out.getvalue()
    bad = write(tmp_path, "bad.csv", f"{INVOLVEMENT_HEADER}\n101,member,,,2021-02-01,,\n")
    with pytest.raises(CommandError) as raised:
        call_command("import_involvement", bad, stderr=io.StringIO())
    assert raised.value.returncode == 2


# --- the admin pages -----------------------------------------------------------------------------


def upload(client, kind: str, text: str, name: str = "file.csv", encoding: str = "utf-8"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")
    return client.post(reverse("projects:import_upload", args=[kind]), {"file": file})


def test_admin_uploads_previews_and_applies_a_project_import(client, admin_user, places):
    client.force_login(admin_user)
    response = upload(client, "projects", GOOD_PROJECTS, name="lifeqi.csv")
    assert response.status_code == 302
    assert response.url == reverse("projects:import_preview", args=["projects"])
    preview = client.get(response.url)
    html = preview.content.decode()
    assert "Check the import of lifeqi.csv" in html
    assert "3 rows: 3 new, 0 to update, 0 unchanged." in html
    assert "Apply the import" in html
    assert not Project.objects.exists()
    applied = client.post(reverse("projects:import_apply", args=["projects"]), follow=True)
    assert "Imported lifeqi.csv: 3 new, 0 updated, 0 unchanged." in applied.content.decode()
    assert Project.objects.count() == 3
    # The uploaded text left the session with the import, and the job holds no copy of it.
    assert client.get(reverse("projects:import_preview", args=["projects"])).status_code == 302
    assert ImportJob.objects.get().text == ""


def test_preview_lists_errors_by_row_and_column_and_offers_no_apply(client, admin_user, places):
    client.force_login(admin_user)
    upload(client, "projects", f"{PROJECT_HEADER}\n1,T,Narnia,,2024-02-30,,active,,\n")
    html = client.get(reverse("projects:import_preview", args=["projects"])).content.decode()
    assert "Row 2, column directorate: unknown directorate" in html
    assert "Row 2, column start_date: “2024-02-30” is not a date" in html
    assert "Apply the import" not in html
    response = client.post(reverse("projects:import_apply", args=["projects"]))
    assert response.status_code == 422
    assert not Project.objects.exists()


def test_upload_over_20_mb_is_refused_with_a_clear_message(client, admin_user, places):
    client.force_login(admin_user)
    big = PROJECT_HEADER + "\n" + ("x" * 1000 + "\n") * 21_000
    response = upload(client, "projects", big)
    assert response.status_code == 200
    assert "the limit is 20 MB" in response.content.decode()


def test_a_file_that_is_not_text_is_refused(client, admin_user, places):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin_user)
    file = SimpleUploadedFile("x.csv", b"\x81\x8d\x8f\x90\x9d", content_type="text/csv")
    response = client.post(reverse("projects:import_upload", args=["projects"]), {"file": file})
    assert response.status_code == 200
    assert "not text this import can read" in response.content.decode()


@pytest.mark.parametrize("fixture", ["ppl", "lead", "chair", "su_user"])
def test_only_admins_reach_the_import_pages(client, request, fixture, places):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("projects:import_start")).status_code == 403
    assert upload(client, "projects", GOOD_PROJECTS).status_code == 403
    assert not Project.objects.exists()


def test_unknown_import_kind_is_404(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("projects:import_upload", args=["payments"])).status_code == 404


def test_apply_parses_again_and_refuses_what_became_bad(client, admin_user, places):
    """Between the preview and "apply" a directorate is renamed: apply checks again."""
    client.force_login(admin_user)
    upload(client, "projects", GOOD_PROJECTS)
    DirectorateFactory._meta.model.objects.filter(name="Forensic services").update(
        name="Forensic", slug="forensic"
    )
    response = client.post(reverse("projects:import_apply", args=["projects"]))
    assert response.status_code == 422
    assert "unknown directorate “Forensic services”" in response.content.decode()
    assert not Project.objects.exists()


def test_existing_project_made_in_the_app_is_updated_not_duplicated(places, directorate):
    ProjectFactory(lifeqi_id="101", title="Old title", directorate=directorate)
    imports.apply(imports.PROJECTS, GOOD_PROJECTS)
    assert Project.objects.filter(lifeqi_id="101").get().title == "Reducing falls on Ruby Ward"
