"""The admin's import pages: upload a CSV → a row-by-row preview with every error named → apply
all rows in one transaction. The same parser as the management commands (``projects.imports``).

Between the preview and "apply" the uploaded text waits in the session (never in a file whose
path the user could name); applying parses it again, so what is written is checked against the
database as it is at that moment.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from involvement import access
from involvement.access import Role
from projects import imports
from projects.forms import ImportUploadForm
from projects.paging import paginate

SESSION_KEY = "bigi_import_{kind}"


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
    return render(request, "projects/import_start.html", {"kinds": kinds})


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
            request.session[SESSION_KEY.format(kind=kind)] = {"name": upload.name, "text": text}
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


def _stored(request: HttpRequest, kind: str) -> dict | None:
    return request.session.get(SESSION_KEY.format(kind=kind))


def _preview_page(request, kind, stored, preview, *, status=200) -> HttpResponse:
    errors = preview.errors
    return render(
        request,
        "projects/import_preview.html",
        {
            "kind": kind,
            "title": imports.KINDS[kind],
            "file_name": stored["name"],
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
        status=status,
    )


@access.role_required(Role.ADMIN)
def import_preview(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    stored = _stored(request, kind)
    if stored is None:
        messages.info(request, "Upload a file first.")
        return redirect("projects:import_upload", kind=kind)
    return _preview_page(request, kind, stored, imports.parse(kind, stored["text"]))


@access.role_required(Role.ADMIN)
@require_POST
def import_apply(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    stored = _stored(request, kind)
    if stored is None:
        messages.info(request, "Upload a file first.")
        return redirect("projects:import_upload", kind=kind)
    try:
        _preview, result = imports.apply(kind, stored["text"])
    except imports.ImportRejected as rejected:
        # Something changed since the preview: show the errors now found; nothing was written.
        return _preview_page(request, kind, stored, rejected.preview, status=422)
    del request.session[SESSION_KEY.format(kind=kind)]
    messages.success(
        request,
        f"Imported {stored['name']}: {result.created} new, {result.updated} updated, "
        f"{result.unchanged} unchanged.",
    )
    return redirect("projects:import_start")
