"""Payments pages: for staff under /payments/ (the approval queue, claims, batches, rates and the
admins' totals), and a service user's own under /me/payments/.

Every claim and batch is loaded through ``involvement.access`` (someone else's is a 404; one the
user may see but not change is a 403); every write goes through ``services_payments``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from involvement import access, money, selectors_payments
from involvement import services_payments as services
from involvement.access import Role
from involvement.forms.payments import (
    BatchFilterForm,
    ChoosePersonForm,
    ClaimForm,
    MarkPaidForm,
    RateForm,
    ReasonForm,
    TotalsForm,
    involvement_options,
)
from involvement.models import Claim, Person, Rate
from involvement.models_payments import ClaimStatus, RateKind
from projects import fragments
from projects.models import Directorate
from projects.paging import paginate
from projects.views.projects import add_service_errors

STAFF = (Role.PPL, Role.ADMIN)


def _render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """A payments page, with what the staff menu needs."""
    context["can_see_totals"] = access.can_see_payment_totals(request.user)
    return render(request, f"involvement/payments/{template}", context)


# --- the approval queue and claims ---------------------------------------------------------------


@access.role_required(*STAFF)
def payments_queue(request: HttpRequest) -> HttpResponse:
    """Claims waiting for approval in the user's directorates, oldest first."""
    return _render(request, "queue.html", {"page": fragments.lazy(_queue_page, request)})


def _queue_page(request: HttpRequest):
    page = paginate(request, selectors_payments.claims_waiting_for(request.user))
    for claim in page:
        claim.problem = access.approval_problem(request.user, claim)
    return page


@access.role_required(*STAFF)
def claim_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    claims = access.claims_for(request.user).with_people()
    if status in ClaimStatus.values:
        claims = claims.filter(status=status)
    else:
        status = ""
    page = paginate(request, claims.order_by("-date", "-pk"))
    return _render(
        request,
        "claim_list.html",
        {"page": page, "status": status, "statuses": ClaimStatus.choices},
    )


@access.role_required(*STAFF)
def claim_start(request: HttpRequest) -> HttpResponse:
    """Whose claim: the people of the user's directorates (everyone for admins)."""
    form = ChoosePersonForm(request.GET or None, people=access.people_for(request.user).active())
    if form.is_valid():
        return redirect("involvement:claim_create", person_pk=form.cleaned_data["person"].pk)
    return _render(request, "claim_start.html", {"form": form})


@access.role_required(*STAFF)
def claim_create(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = access.get_person_for(request.user, person_pk)
    if not access.can_record_claim_for(request.user, person):
        raise PermissionDenied
    form = ClaimForm(request.POST or None, options=involvement_options(person))
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.claim_create(person=person, data=form.to_input(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Claim {claim.reference} recorded: it waits for approval.")
            return redirect("involvement:claim_detail", pk=claim.pk)
    return _render(
        request,
        "claim_form.html",
        {"form": form, "person": person, "claim": None, "area": "staff"},
    )


def _claim_page(request, claim: Claim, area: str, extra: dict | None = None) -> HttpResponse:
    context = {
        "claim": claim,
        "area": area,
        "history": selectors_payments.claim_history(claim),
        "reversals": claim.reversals.order_by("pk"),
    }
    context.update(extra or {})
    return _render(request, "claim_detail.html", context)


@access.role_required(*STAFF)
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = access.get_claim_for(request.user, pk)
    user = request.user
    return _claim_page(
        request,
        claim,
        "staff",
        {
            "can_approve": access.can_approve(user, claim),
            "approval_problem": access.approval_problem(user, claim),
            "can_edit": access.can_edit_claim(user, claim),
            "can_reverse": access.can_reverse_claim(user, claim)
            and not claim.reversals.exclude(status=ClaimStatus.REJECTED).exists(),
        },
    )


@access.role_required(*STAFF)
def claim_edit(request: HttpRequest, pk: int) -> HttpResponse:
    claim = access.get_claim_for(request.user, pk)
    if not access.can_edit_claim(request.user, claim):
        raise PermissionDenied("A decided or paid claim is never changed.")
    form = ClaimForm(
        request.POST or None,
        options=involvement_options(claim.person, current=claim),
        claim=claim,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_update(claim=claim, data=form.to_input(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Claim {claim.reference} changed. It still waits for approval."
            )
            return redirect("involvement:claim_detail", pk=claim.pk)
    return _render(
        request,
        "claim_form.html",
        {"form": form, "person": claim.person, "claim": claim, "area": "staff"},
    )


@access.role_required(*STAFF)
@require_POST
def claim_approve(request: HttpRequest, pk: int) -> HttpResponse:
    claim = access.get_claim_for(request.user, pk)
    try:
        services.claim_approve(claim=claim, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Claim {claim.reference} approved.")
    if request.POST.get("next") == "queue":
        return redirect("involvement:payments_queue")
    return redirect("involvement:claim_detail", pk=claim.pk)


@access.role_required(*STAFF)
def claim_reject(request: HttpRequest, pk: int) -> HttpResponse:
    claim = access.get_claim_for(request.user, pk)
    problem = access.approval_problem(request.user, claim)
    if problem and request.method != "POST":
        raise PermissionDenied(problem)
    form = ReasonForm(
        request.POST or None,
        submit_label="Reject claim",
        label="Why is the claim rejected?",
        help_text="The person and their People Participation Lead (PPL) see this.",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_reject(claim=claim, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Claim {claim.reference} rejected.")
            return redirect("involvement:claim_detail", pk=claim.pk)
    return _render(
        request,
        "reason_form.html",
        {"form": form, "claim": claim, "heading": f"Reject claim {claim.reference}"},
    )


@access.role_required(*STAFF)
def claim_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    claim = access.get_claim_for(request.user, pk)
    if not access.can_reverse_claim(request.user, claim):
        raise PermissionDenied("Only an approved or paid claim is corrected by a reversing claim.")
    form = ReasonForm(
        request.POST or None,
        submit_label="Make the reversing claim",
        label="Why is the claim being corrected?",
        help_text="For example, the hours were wrong. Then record the right claim.",
    )
    if request.method == "POST" and form.is_valid():
        try:
            reversal = services.claim_reverse(
                claim=claim, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Reversing claim {reversal.reference} recorded for {claim.reference}. It waits "
                "for approval by another People Participation Lead (PPL).",
            )
            return redirect("involvement:claim_detail", pk=reversal.pk)
    return _render(
        request,
        "reason_form.html",
        {"form": form, "claim": claim, "heading": f"Correct claim {claim.reference}"},
    )


# --- payment batches -----------------------------------------------------------------------------


@access.role_required(*STAFF)
def batch_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors_payments.batches_with_totals(request.user))
    return _render(request, "batch_list.html", {"page": page})


def _batch_directorates(user):
    if access.is_admin(user):
        return Directorate.objects.order_by("name")
    return Directorate.objects.filter(pk__in=access.ppl_directorate_ids(user)).order_by("name")


@access.role_required(*STAFF)
def batch_create(request: HttpRequest) -> HttpResponse:
    """Approved claims not yet in a batch, filtered; "Make the batch" gathers exactly the claims
    shown (if they changed since the page was drawn, the page says so and makes nothing)."""
    data = request.POST if request.method == "POST" else (request.GET or None)
    filters = BatchFilterForm(data, directorates=_batch_directorates(request.user))
    if access.is_admin(request.user):
        filters.fields["directorate"].empty_label = "All directorates"
    directorate_id, up_to = None, None
    if filters.is_bound and filters.is_valid():
        directorate = filters.cleaned_data["directorate"]
        directorate_id = directorate.pk if directorate else None
        up_to = filters.cleaned_data["up_to"]
    claims = selectors_payments.claims_to_batch_for(
        request.user, directorate_id=directorate_id, up_to=up_to
    )
    summary = claims.aggregate(count=Count("pk"), total=selectors_payments.sum_or_zero("amount"))
    if request.method == "POST" and filters.is_valid():
        shown = (request.POST.get("expected_count"), request.POST.get("expected_total"))
        if shown != (str(summary["count"]), f"{summary['total']:.2f}"):
            messages.warning(
                request,
                "The approved claims changed since you looked. Check the list again, then make "
                "the batch.",
            )
        else:
            try:
                batch = services.batch_create(
                    claims=list(claims),
                    by=request.user,
                    note=request.POST.get("note", "")[:200],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    f"Payment batch {batch.reference} made with {summary['count']} "
                    f"claim{'s' if summary['count'] != 1 else ''}.",
                )
                return redirect("involvement:batch_detail", pk=batch.pk)
    page = paginate(request, claims)
    return _render(
        request,
        "batch_create.html",
        {
            "filters": filters,
            "page": page,
            "summary": summary,
            "total_words": money.pounds(summary["total"]),
            "directorate_id": directorate_id or "",
            "up_to": up_to.isoformat() if up_to else "",
        },
    )


def _batch_page(request, batch, form=None) -> HttpResponse:
    claims = batch.claims.with_people().order_by("person__name", "date", "pk")
    today = timezone.localdate()
    if form is None and not batch.is_paid:
        form = MarkPaidForm(initial={"paid_on": today})
    if form is not None:
        form.helper.form_action = reverse("involvement:batch_mark_paid", args=[batch.pk])
    context = {
        "batch": batch,
        "claims": paginate(request, claims, param="page"),
        "people": paginate(request, selectors_payments.batch_person_totals(batch), param="people"),
        "totals": selectors_payments.batch_totals(batch),
        "form": form,
    }
    return _render(request, "batch_detail.html", context)


@access.role_required(*STAFF)
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _batch_page(request, access.get_batch_for(request.user, pk))


@access.role_required(*STAFF)
def batch_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The batch as a CSV file for the finance team (with a byte-order mark, so Excel reads
    names with accents right)."""
    batch = access.get_batch_for(request.user, pk)
    text = services.batch_export(batch=batch, by=request.user)
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="payment-batch-{batch.reference}.csv"'
    return response


@access.role_required(*STAFF)
@require_POST
def batch_mark_paid(request: HttpRequest, pk: int) -> HttpResponse:
    batch = access.get_batch_for(request.user, pk)
    form = MarkPaidForm(request.POST)
    if form.is_valid():
        try:
            services.batch_mark_paid(
                batch=batch, by=request.user, paid_on=form.cleaned_data["paid_on"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Payment batch {batch.reference} is marked as paid.")
            return redirect("involvement:batch_detail", pk=batch.pk)
    return _batch_page(request, batch, form)


# --- rates and totals ----------------------------------------------------------------------------


@access.role_required(*STAFF)
def rate_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    in_force = [(label, Rate.objects.in_force_on(kind, today)) for kind, label in RateKind.choices]
    page = paginate(
        request, Rate.objects.select_related("created_by").order_by("kind", "-effective_from")
    )
    return _render(
        request,
        "rate_list.html",
        {
            "page": page,
            "in_force": in_force,
            "today": today,
            "can_manage": access.can_manage_rates(request.user),
        },
    )


@access.role_required(Role.ADMIN)
def rate_create(request: HttpRequest) -> HttpResponse:
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rate = services.rate_create(
                kind=data["kind"],
                amount=data["amount"],
                effective_from=data["effective_from"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Rate saved: {rate}.")
            return redirect("involvement:rate_list")
    return _render(request, "rate_form.html", {"form": form})


@access.role_required(Role.ADMIN)
def payment_totals(request: HttpRequest) -> HttpResponse:
    """Approved and paid claims by directorate and month, for one tax year."""
    today = timezone.localdate()
    this_year = money.tax_year_of(today)[0].year
    first = Claim.objects.order_by("date").values_list("date", flat=True).first()
    first_year = money.tax_year_of(first)[0].year if first else this_year
    years = list(range(this_year, min(first_year, this_year) - 1, -1))
    form = TotalsForm(request.GET or None, years=years)
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else this_year
    start, end = money.tax_year_of(today.replace(year=year, month=6, day=1))
    rows = selectors_payments.directorate_month_totals(start, end)
    grand = Claim.objects.filter(
        date__gte=start, date__lte=end, status__in=[ClaimStatus.APPROVED, ClaimStatus.PAID]
    ).aggregate(
        claims=Count("pk"),
        total=selectors_payments.sum_or_zero("amount"),
        paid=selectors_payments.sum_or_zero("amount", status=ClaimStatus.PAID),
    )
    if not form.is_bound:
        form = TotalsForm(initial={"year": year}, years=years)
    return _render(
        request,
        "totals.html",
        {
            "form": form,
            "page": paginate(request, rows),
            "grand": grand,
            "start": start,
            "end": end,
        },
    )


# --- a service user's own payments ---------------------------------------------------------------


def _not_linked(request: HttpRequest) -> HttpResponse:
    return render(request, "involvement/me/not_linked.html")


@access.role_required(Role.SU)
def my_payments(request: HttpRequest) -> HttpResponse:
    person = access.own_person(request.user)
    if person is None:
        return _not_linked(request)
    return _render(
        request,
        "my_payments.html",
        {
            "person": person,
            "summary": selectors_payments.payment_summary(person),
            "page": paginate(request, selectors_payments.claims_of(person), per_page=10),
        },
    )


@access.role_required(Role.SU)
def my_claim_create(request: HttpRequest) -> HttpResponse:
    person: Person | None = access.own_person(request.user)
    if person is None:
        return _not_linked(request)
    form = ClaimForm(request.POST or None, options=involvement_options(person))
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.claim_create(person=person, data=form.to_input(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Thank you. Your claim ({claim.reference}) is sent. Your People Participation "
                "Lead (PPL) will look at it.",
            )
            return redirect("involvement:my_claim_detail", pk=claim.pk)
    return _render(
        request,
        "claim_form.html",
        {"form": form, "person": person, "claim": None, "area": "me"},
    )


@access.role_required(Role.SU)
def my_claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _claim_page(request, access.get_own_claim(request.user, pk), "me")
