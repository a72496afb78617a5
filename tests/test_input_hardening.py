"""One focused test for each fault the fuzz test found (tests/test_input_fuzz.py), and for the
central defences: control characters in forms, and uploads that are not CSV text."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from involvement.access import Role
from involvement.models import Person
from projects import imports
from projects.forms_nhsuk import CONTROL_CHARACTERS_MESSAGE
from projects.ids import id_from
from projects.models import Forum, Project
from tests.factories import PersonFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

PROJECTS_HEADER = "lifeqi_id,title,directorate,lead,start_date,end_date,status,aim,aim_reached"
INVOLVEMENT_HEADER = "lifeqi_id,kind,person,person_type,start_date,end_date,participants"


# --- control characters in forms ------------------------------------------------------------------


@pytest.mark.parametrize("hidden", ["\x00", "\x1b[31m", "\x08", "\x7f", "\x9b"])
def test_a_form_refuses_control_characters_with_a_clear_message(client, ppl, directorate, hidden):
    client.force_login(ppl)
    response = client.post(
        reverse("involvement:person_create"),
        {"name": f"Efua{hidden}Egan", "kind": "carer", "directorates": [directorate.pk]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [CONTROL_CHARACTERS_MESSAGE]
    assert not Person.objects.exists()


def test_tabs_and_new_lines_are_ordinary_text(client, ppl, directorate):
    client.force_login(ppl)
    response = client.post(
        reverse("involvement:person_create"),
        {
            "name": "Efua Egan",
            "kind": "carer",
            "directorates": [directorate.pk],
            "address": "1 High Street\r\nLondon\tE1",
            "attendance": "either",
            "payment_preference": "paid",
        },
    )
    assert response.status_code == 302
    assert Person.objects.get().address == "1 High Street\r\nLondon\tE1"


def test_fields_added_after_the_form_is_built_are_guarded_too(client, lead, directorate):
    # The reflection form makes one comment field per charter principle in its __init__.
    project = ProjectFactory(directorate=directorate, lead=lead)
    client.force_login(lead)
    response = client.post(
        reverse("stories:reflection_new", args=[project.pk]),
        {
            "meeting_date": project.start_date.isoformat(),
            "answer_collaborate": "kept",
            "comment_collaborate": "fine\x00",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["comment_collaborate"] == [CONTROL_CHARACTERS_MESSAGE]


# --- record numbers in query strings and tokens ---------------------------------------------------


@pytest.mark.parametrize("text", ["²", "٣", "9" * 5000, "-1", "1.0", ""])
def test_id_from_reads_only_plain_ascii_numbers(text):
    assert id_from(text) is None


def test_id_from_reads_a_number():
    assert id_from("42") == 42


def test_chair_home_with_a_superscript_forum_number_is_404(client, chair, directorate):
    forum = Forum.objects.create(name="Newham forum", chair=chair)
    forum.directorates.add(directorate)
    client.force_login(chair)
    assert client.get(reverse("charts:chair_home"), {"forum": "²"}).status_code == 404
    assert client.get(reverse("charts:chair_home"), {"forum": "9" * 5000}).status_code == 404


def test_quick_log_ignores_a_project_number_it_cannot_read(client, ppl, directorate):
    ProjectFactory(directorate=directorate, title="Calmer wards")
    client.force_login(ppl)
    url = reverse("involvement:quick_log")
    assert client.get(url, {"logged": "²"}).status_code == 200
    assert client.post(url + "?q=Calmer", {"project": "²", "what": "member"}).status_code == 200


def test_reflections_overview_ignores_a_directorate_it_cannot_read(client, ppl):
    client.force_login(ppl)
    response = client.get(reverse("stories:reflections_overview"), {"directorate": "³"})
    assert response.status_code == 200


def test_pchart_with_a_scope_it_cannot_read_says_so(client, ppl, directorate):
    client.force_login(ppl)
    response = client.get(reverse("charts:pchart"), {"scope": f"directorate-{directorate.pk}²"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_private_feed_token_with_a_superscript_number_is_404(client):
    assert client.get("/stories/feed/private/%C2%B2-abc/").status_code == 404


# --- uploads that are not CSV text ----------------------------------------------------------------


def _upload(client, content: bytes, name: str = "file.csv", kind: str = "projects"):
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(reverse("projects:import_upload", args=[kind]), {"file": file})


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00", "a zip file (an Excel .xlsx workbook is one)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel .xls workbook"),
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        ("lifeqi_id,title".encode("utf-16-le"), "binary data"),  # UTF-16 without its mark
        (b"\xff\xfel\x00i\x00", "UTF-16 text"),
        (b"lifeqi_id,title\n1,\x00\x00\x00", "binary data"),
    ],
)
def test_an_upload_that_is_not_csv_text_is_refused_by_its_content(
    client, admin_user, content, words
):
    client.force_login(admin_user)
    response = _upload(client, content, name="projects.csv")
    assert response.status_code == 200
    html = response.content.decode()
    assert words in html and "CSV UTF-8" in html
    assert "bigi_import_projects" not in client.session


def test_an_upload_whose_name_is_not_csv_is_refused(client, admin_user):
    client.force_login(admin_user)
    response = _upload(client, f"{PROJECTS_HEADER}\n".encode(), name="projects.xlsx")
    assert response.status_code == 200
    assert "Choose a CSV file (its name ends in .csv)" in response.content.decode()


def test_a_cell_with_a_control_character_is_an_error_named_by_row_and_column(directorate):
    text = (
        f"{PROJECTS_HEADER}\n"
        f"LQ-1,Falls,{directorate.name},,2024-01-01,,active,Halve\x1bfalls,\n"
        f"LQ-2,Meals,{directorate.name},,2024-01-01,,active,Better meals,\n"
    )
    preview = imports.parse("projects", text)
    assert [str(e) for e in preview.errors] == [
        "Row 2, column aim: holds hidden control characters (a NUL, escape or similar): retype "
        "the cell, or save the file again as CSV UTF-8"
    ]
    with pytest.raises(imports.ImportRejected):
        imports.apply("projects", text)
    assert not Project.objects.exists()


def test_an_overlong_person_name_in_an_involvement_import_is_a_row_error(directorate):
    # Found by the fuzz test: the preview accepted it and applying failed with a server error.
    ProjectFactory(lifeqi_id="LQ-1", directorate=directorate)
    text = f"{INVOLVEMENT_HEADER}\nLQ-1,member,{'A' * 151},service_user,2024-02-01,,\n"
    preview = imports.parse("involvement", text)
    assert [str(e) for e in preview.errors] == [
        "Row 2, column person: longer than 150 characters: is it a name?"
    ]
    with pytest.raises(imports.ImportRejected):
        imports.apply("involvement", text)
    assert not Person.objects.exists()


def test_a_script_in_an_import_is_shown_escaped_in_the_preview(client, admin_user, directorate):
    client.force_login(admin_user)
    text = f"{PROJECTS_HEADER}\nLQ-1,<script>alert(1)</script>,Nowhere,,2024-01-01,,active,,\n"
    _upload(client, text.encode())
    html = client.get(reverse("projects:import_preview", args=["projects"])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_imports_are_for_admins_only(client, directorate):
    ppl = UserFactory(username="p", roles=[Role.PPL], directorates=[directorate])
    PersonFactory(directorates=[directorate])
    client.force_login(ppl)
    assert _upload(client, f"{PROJECTS_HEADER}\n".encode()).status_code == 403


# --- record numbers in choices --------------------------------------------------------------------


def test_a_huge_number_in_a_multiple_choice_is_refused_before_the_database(
    client, ppl, directorate
):
    # Found by the fuzz test: on SQLite a 3,000-digit interest number overflowed in the query.
    client.force_login(ppl)
    response = client.post(
        reverse("involvement:opportunity_create"),
        {
            "title": "Panel",
            "kind": "research",
            "directorate": directorate.pk,
            "interests": ["1" * 3000],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["interests"] == ["Choose one of the options given."]


def test_a_huge_number_in_a_single_choice_is_refused_before_the_database(client, ppl, directorate):
    client.force_login(ppl)
    response = client.post(
        reverse("involvement:opportunity_create"), {"title": "Panel", "directorate": "9" * 400}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["directorate"] == ["Choose one of the options given."]
