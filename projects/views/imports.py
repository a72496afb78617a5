"""The admin's import pages: upload a CSV → a row-by-row preview with every error named → apply
all rows in one transaction, followed on the import's own page. The same parser as the management
commands (``projects.imports``).

The uploaded text waits in an ``ImportJob`` row (the session holds only its id, and never a file
path the user could name): a whole trust's file is several megabytes, too much for a session.
Applying parses it again, so what is written is checked against the database as it is at that
moment, and runs in the background (``projects.services_imports``): the job's page shows how far it
has got, and its result.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from involvement import access
from involvement.access import Role
from projects import imports, services_imports
from projects.forms import ImportUploadForm
from projects.models_imports import ImportJob, ImportJobStatus
from projects.paging import paginate

SESSION_KEY = "bigi_import_{kind}"
RECENT_JOBS = 10


def _kind(kind: str) -> str:
    if kind not in imports.KINDS:
        raise Http404("No such import.")
    return kind


@access.role_required(Role.ADMIN)
def import_start(request: HttpRequest) -> HttpResponse:
    kinds = [
        {"kind": kind, "title": title, "columns": imports.COLUMNS[kind]}
        for kind, title in imports.KINDS.items()
    ]
    recent = (
        ImportJob.objects.exclude(status=ImportJobStatus.UPLOADED)
        .select_related("created_by")
        .defer("text")[:RECENT_JOBS]
    )
    return render(request, "projects/import_start.html", {"kinds": kinds, "recent": recent})


@access.role_required(Role.ADMIN)
def import_upload(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = imports.decode(upload.read())
        except imports.ImportFileError as problem:
            form.add_error("file", str(problem))
        else:
            job = services_imports.import_job_upload(
                kind=kind, file_name=upload.name, text=text, by=request.user
            )
            request.session[SESSION_KEY.format(kind=kind)] = job.pk
            return redirect("projects:import_preview", kind=kind)
    return render(
        request,
        "projects/import_upload.html",
        {
            "form": form,
            "kind": kind,
            "title": imports.KINDS[kind],
            "columns": imports.COLUMNS[kind],
        },
    )


def _uploaded(request: HttpRequest, kind: str) -> ImportJob | None:
    """This admin's file of this kind waiting for its preview and "Apply"."""
    job_id = request.session.get(SESSION_KEY.format(kind=kind))
    if not isinstance(job_id, int):
        return None
    return ImportJob.objects.filter(
        pk=job_id, kind=kind, created_by=request.user, status=ImportJobStatus.UPLOADED
    ).first()


def _preview_page(request, kind, job, preview) -> HttpResponse:
    errors = preview.errors
    return render(
        request,
        "projects/import_preview.html",
        {
            "kind": kind,
            "title": imports.KINDS[kind],
            "file_name": job.file_name,
            "preview": preview,
            "rows": paginate(request, preview.rows, param="rows", per_page=50),
            "errors": paginate(request, errors, param="errors", per_page=50),
            "error_count": len(errors),
            "counts": {
                "new": preview.counts[imports.CREATE],
                "update": preview.counts[imports.UPDATE],
                "unchanged": preview.counts[imports.UNCHANGED],
            },
            "has_errors": bool(errors),
        },
    )


@access.role_required(Role.ADMIN)
def import_preview(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    job = _uploaded(request, kind)
    if job is None:
        messages.info(request, "Upload a file first.")
        return redirect("projects:import_upload", kind=kind)
    return _preview_page(request, kind, job, imports.parse(kind, job.text))


@access.role_required(Role.ADMIN)
@require_POST
def import_apply(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    session_key = SESSION_KEY.format(kind=kind)
    job = _uploaded(request, kind)
    if job is None:
        started = ImportJob.objects.filter(pk=request.session.get(session_key) or 0).first()
        if started is not None and started.created_by_id == request.user.pk:
            return redirect("projects:import_job", pk=started.pk)  # "Apply" clicked twice
        messages.info(request, "Upload a file first.")
        return redirect("projects:import_upload", kind=kind)
    # The session keeps the job's id: a second click on "Apply" finds the job started, above.
    services_imports.import_job_start(job=job)
    job = ImportJob.objects.select_related("created_by").defer("text").get(pk=job.pk)
    if job.status == ImportJobStatus.FAILED:
        # Run here (IMPORTS_IN_BACKGROUND off) and refused: the errors now, as a form's would be.
        return _job_page(request, job, status=422)
    return redirect("projects:import_job", pk=job.pk)


def _job_page(request: HttpRequest, job: ImportJob, *, status: int = 200) -> HttpResponse:
    progress = services_imports.import_job_progress(job=job)
    return render(
        request,
        "projects/import_job.html",
        {
            "job": job,
            "title": imports.KINDS.get(job.kind, job.kind),
            "progress": progress,
            "has_errors": job.status == ImportJobStatus.FAILED,
        },
        status=status,
    )


@access.role_required(Role.ADMIN)
@never_cache
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.select_related("created_by").defer("text"), pk=pk)
    return _job_page(request, job)


@access.role_required(Role.ADMIN)
@never_cache
def import_job_progress(request: HttpRequest, pk: int) -> JsonResponse:
    """What the job page's script polls: status, step, rows done, percent and words."""
    job = get_object_or_404(ImportJob.objects.defer("text"), pk=pk)
    return JsonResponse(services_imports.import_job_progress(job=job))
