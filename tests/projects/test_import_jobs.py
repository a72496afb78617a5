"""Import jobs: "Apply" starts the import and the admin follows it on the job's page (issue 10: a
whole trust's history must not hang the request)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from projects import imports, services_imports
from projects.models import ImportJob, ImportJobStatus, Project

pytestmark = pytest.mark.django_db

PROJECTS_CSV = (
    "lifeqi_id,title,directorate,lead,start_date,end_date,status,aim,aim_reached\n"
    "101,Reducing falls on Ruby Ward,Newham,Ada Lovelace,2021-01-04,2022-03-31,completed,,yes\n"
    "102,Carer contact on Jade Ward,Forensic services,,2022-05-01,,active,,\n"
)


@pytest.fixture
def places(directorate, other_directorate):
    return directorate, other_directorate


def upload(client, text: str = PROJECTS_CSV, name: str = "lifeqi.csv", kind: str = "projects"):
    file = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(reverse("projects:import_upload", args=[kind]), {"file": file})


def apply(client, kind: str = "projects", **kwargs):
    return client.post(reverse("projects:import_apply", args=[kind]), **kwargs)


def queued_job(admin_user, text: str = PROJECTS_CSV) -> ImportJob:
    job = services_imports.import_job_upload(
        kind="projects", file_name="lifeqi.csv", text=text, by=admin_user
    )
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.QUEUED)
    job.refresh_from_db()
    return job


# --- upload and preview ---------------------------------------------------------------------------


def test_the_upload_waits_in_a_job_not_in_the_session(client, admin_user, places):
    client.force_login(admin_user)
    upload(client)
    job = ImportJob.objects.get()
    assert (job.status, job.file_name, job.created_by) == ("uploaded", "lifeqi.csv", admin_user)
    assert job.text == PROJECTS_CSV
    assert client.session["bigi_import_projects"] == job.pk  # the id only, never the text
    html = client.get(reverse("projects:import_preview", args=["projects"])).content.decode()
    assert "2 rows: 2 new, 0 to update, 0 unchanged." in html


def test_a_second_upload_replaces_the_first_that_was_never_applied(client, admin_user, places):
    client.force_login(admin_user)
    upload(client, name="first.csv")
    upload(client, name="second.csv")
    assert list(ImportJob.objects.values_list("file_name", flat=True)) == ["second.csv"]


def test_an_upload_never_applied_is_deleted_after_a_day(client, admin_user, places):
    from involvement.access import Role
    from tests.factories import UserFactory

    forgotten = services_imports.import_job_upload(
        kind="involvement", file_name="old.csv", text="names", by=admin_user
    )
    other = UserFactory(username="admin2", roles=[Role.ADMIN], is_staff=True)
    services_imports.import_job_upload(
        kind="involvement", file_name="recent.csv", text="names", by=other
    )
    ImportJob.objects.filter(pk=forgotten.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    client.force_login(other)
    upload(client, name="today.csv")
    assert sorted(ImportJob.objects.values_list("file_name", flat=True)) == [
        "recent.csv",
        "today.csv",
    ]


def test_another_admins_upload_is_not_previewed_or_applied(client, admin_user, places):
    from involvement.access import Role
    from tests.factories import UserFactory

    client.force_login(admin_user)
    upload(client)
    other = UserFactory(username="admin2", roles=[Role.ADMIN], is_staff=True)
    client.force_login(other)
    session = client.session
    session["bigi_import_projects"] = ImportJob.objects.get().pk
    session.save()
    assert client.get(reverse("projects:import_preview", args=["projects"])).status_code == 302
    assert apply(client).status_code == 302
    assert not Project.objects.exists()


# --- apply and the job page -----------------------------------------------------------------------


def test_apply_imports_and_the_job_page_shows_the_result(client, admin_user, places):
    client.force_login(admin_user)
    upload(client)
    response = apply(client)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("projects:import_job", args=[job.pk])
    assert (job.status, job.total_rows, job.rows_new) == ("done", 2, 2)
    assert job.text == ""  # the file names people: not kept once imported
    html = client.get(response.url).content.decode()
    assert "Imported lifeqi.csv: 2 new, 0 updated, 0 unchanged." in html
    assert "import-progress.mjs" not in html  # nothing left to follow
    assert Project.objects.count() == 2
    # The Imports page lists it.
    start = client.get(reverse("projects:import_start")).content.decode()
    assert "Recent imports" in start and reverse("projects:import_job", args=[job.pk]) in start


def test_a_refused_import_shows_its_errors_and_writes_nothing(client, admin_user, places):
    client.force_login(admin_user)
    upload(client, PROJECTS_CSV + "103,Lost,Atlantis,,2023-02-30,,active,,\n")
    response = apply(client)
    assert response.status_code == 422
    html = response.content.decode()
    assert "lifeqi.csv was not imported" in html
    assert "Row 4, column directorate: unknown directorate “Atlantis”" in html
    assert "Row 4, column start_date: “2023-02-30” is not a date" in html
    assert not Project.objects.exists()
    job = ImportJob.objects.get()
    assert (job.status, job.error_count, job.text) == ("failed", 2, "")
    # The job's page says the same afterwards.
    again = client.get(reverse("projects:import_job", args=[job.pk]))
    assert "Row 4, column directorate: unknown directorate “Atlantis”" in again.content.decode()
    assert client.get(reverse("projects:import_job_progress", args=[job.pk])).json() == {
        "status": "failed",
        "status_label": "Not imported",
        "finished": True,
        "step": 0,
        "done": 0,
        "total": 0,
        "percent": 0,
        "words": "Not imported.",
    }


def test_an_unexpected_error_marks_the_job_failed_and_writes_nothing(
    client, admin_user, places, monkeypatch
):
    real = imports._apply_projects

    def broken(text, progress, user):
        real(text, progress, user)
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "_apply_projects", broken)
    job = queued_job(admin_user)
    services_imports.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.errors == [services_imports.UNEXPECTED_MESSAGE]
    assert not Project.objects.exists()  # the transaction was rolled back


def test_apply_twice_imports_once_and_shows_the_job(client, admin_user, places):
    client.force_login(admin_user)
    upload(client)
    first = apply(client)
    second = apply(client)
    assert second.status_code == 302 and second.url == first.url
    assert Project.objects.count() == 2
    assert ImportJob.objects.count() == 1


def test_the_progress_json_of_a_running_job(client, admin_user, places):
    client.force_login(admin_user)
    job = queued_job(admin_user)
    url = reverse("projects:import_job_progress", args=[job.pk])
    assert client.get(url).json()["words"] == "Waiting to start."

    ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.RUNNING)
    services_imports._Reporter(job.pk)(imports.CHECKING, 60_000, 120_000)
    response = client.get(url)
    assert response["Cache-Control"].startswith("max-age=0")
    assert response.json() == {
        "status": "running",
        "status_label": "Importing",
        "finished": False,
        "step": 1,
        "done": 60_000,
        "total": 120_000,
        "percent": 20,
        "words": "Checking rows (step 1 of 3): 60,000 of 120,000 rows.",
    }
    services_imports._Reporter(job.pk)(imports.WRITING, 20_000, 80_000)
    assert client.get(url).json()["percent"] == 48  # 40 + a quarter of the next 35
    # The page shows the same, with the bar, the live region and a way to refresh without script.
    html = client.get(reverse("projects:import_job", args=[job.pk])).content.decode()
    assert "Importing lifeqi.csv" in html
    assert "Writing rows (step 2 of 3): 20,000 of 80,000 new or changed rows." in html
    assert '<progress class="app-import-progress__bar"' in html and 'value="48"' in html
    assert 'aria-live="polite"' in html
    assert ">Refresh</a>" in html
    assert "js/import-progress.mjs" in html


def test_a_job_not_heard_of_for_a_long_time_is_marked_failed(client, admin_user, places):
    client.force_login(admin_user)
    job = queued_job(admin_user)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJobStatus.RUNNING, created_at=long_ago, started_at=long_ago
    )
    cache.clear()
    progress = client.get(reverse("projects:import_job_progress", args=[job.pk])).json()
    assert progress["finished"] and progress["status"] == "failed"
    assert ImportJob.objects.get().errors == [services_imports.ABANDONED_MESSAGE]


@pytest.mark.parametrize("fixture", ["ppl", "lead", "chair", "su_user"])
def test_only_admins_see_import_jobs(client, request, fixture, admin_user, places):
    job = queued_job(admin_user)
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("projects:import_job", args=[job.pk])).status_code == 403
    assert client.get(reverse("projects:import_job_progress", args=[job.pk])).status_code == 403


def test_an_unknown_job_is_404(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("projects:import_job", args=[999])).status_code == 404
    assert client.get(reverse("projects:import_job_progress", args=[999])).status_code == 404


# --- in the background ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_apply_in_the_background_returns_at_once_and_the_thread_imports(
    client, admin_user, places, settings, monkeypatch
):
    """The real thing: "Apply" answers while a thread runs the import (held here until the
    test has seen the job waiting), and the job's page then shows the outcome."""
    settings.IMPORTS_IN_BACKGROUND = True
    release = threading.Event()
    real_apply = imports.apply

    def held_apply(*args, **kwargs):
        assert release.wait(timeout=30)
        return real_apply(*args, **kwargs)

    monkeypatch.setattr(imports, "apply", held_apply)
    client.force_login(admin_user)
    upload(client)
    response = apply(client)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("projects:import_job", args=[job.pk])
    assert job.status in ("queued", "running") and not Project.objects.exists()
    assert "Importing lifeqi.csv" in client.get(response.url).content.decode()

    release.set()
    (thread,) = [t for t in threading.enumerate() if t.name == f"import-job-{job.pk}"]
    thread.join(timeout=60)
    assert not thread.is_alive()
    job.refresh_from_db()
    assert (job.status, job.rows_new) == ("done", 2)
    assert Project.objects.count() == 2
    progress = client.get(reverse("projects:import_job_progress", args=[job.pk])).json()
    assert progress["finished"] and progress["words"] == "Imported 2 of 2 rows."
