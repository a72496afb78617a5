"""What admins save on the p-chart (annotations and phases): admins only, 403 for anyone else."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from charts import services
from charts.forms import AnnotationForm, PhaseForm
from charts.models import ChartAnnotation, ChartPhase
from involvement import access
from involvement.access import Role


def _back(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("charts:pchart")


@access.role_required(Role.ADMIN)
def annotation_add(request: HttpRequest) -> HttpResponse:
    form = AnnotationForm(request.POST or None, prefix="annotation")
    if request.method == "POST" and form.is_valid():
        try:
            services.annotation_create(
                user=request.user,
                date=form.cleaned_data["date"],
                text=form.cleaned_data["text"],
                directorate=form.cleaned_data["directorate"],
                source=form.cleaned_data["source"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Annotation saved: every reader of the chart sees it.")
            return redirect(_back(request))
    return render(
        request,
        "charts/note_form.html",
        {"form": form, "heading": "Add an annotation to the p-chart", "back": _back(request)},
    )


@access.role_required(Role.ADMIN)
def phase_add(request: HttpRequest) -> HttpResponse:
    form = PhaseForm(request.POST or None, prefix="phase")
    if request.method == "POST" and form.is_valid():
        try:
            services.phase_create(
                user=request.user,
                month=form.cleaned_data["month"],
                directorate=form.cleaned_data["directorate"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Phase saved: every reader of the chart sees it.")
            return redirect(_back(request))
    return render(
        request,
        "charts/note_form.html",
        {"form": form, "heading": "Start a new phase on the p-chart", "back": _back(request)},
    )


@require_POST
@access.role_required(Role.ADMIN)
def annotation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.annotation_delete(annotation=get_object_or_404(ChartAnnotation, pk=pk))
    messages.success(request, "Annotation removed.")
    return redirect(_back(request))


@require_POST
@access.role_required(Role.ADMIN)
def phase_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.phase_delete(phase=get_object_or_404(ChartPhase, pk=pk))
    messages.success(request, "Phase removed.")
    return redirect(_back(request))
