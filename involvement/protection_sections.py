"""The involvement app's part of data protection: what a subject access export holds from the
people register, how an erasure anonymises it, and when a person was last active here.

Registered with ``involvement.services_protection`` when the app is ready (``apps.py``).
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.db.models import DateField, Max, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from involvement.choices import AccessNeed, Day, RoleDescriptionStatus, TimeOfDay, labels
from involvement.models import (
    Activity,
    Claim,
    Invitation,
    Person,
    PersonAccess,
    RoleDescription,
    TeamMembership,
    Training,
)
from involvement.services_protection import (
    ErasureContext,
    erasure_step,
    export_section,
    last_activity_source,
    plain,
)


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


def _history_rows(records) -> list[dict]:
    """django-simple-history rows as data: when, who, what kind of change, and every value."""
    rows = []
    for record in records.select_related("history_user").order_by("history_date", "history_id"):
        rows.append(
            {
                "record_id": record.id,
                "date": record.history_date,
                "by": _username(record.history_user),
                "type": {"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                "reason": record.history_change_reason or "",
                "values": {
                    f.attname: plain(getattr(record, f.attname)) for f in record.tracked_fields
                },
            }
        )
    return rows


# --- the subject access export --------------------------------------------------------------------


@export_section("profile", "Their record in the people register", order=10)
def collect_profile(person: Person) -> dict:
    return {
        "id": person.pk,
        "name": person.name,
        "service_user_or_carer": person.get_kind_display(),
        "email": person.email,
        "phone": person.phone,
        "address": person.address,
        "how_they_like_to_be_contacted": person.get_preferred_contact_display(),
        "days_available": labels(Day, person.available_days),
        "times_available": labels(TimeOfDay, person.available_times),
        "remote_or_in_person": person.get_attendance_display(),
        "availability_note": person.availability_note,
        "access_needs": labels(AccessNeed, person.access_needs),
        "interpreter_language": person.interpreter_language,
        "other_access_needs": person.access_needs_note,
        "has_access_to_life_qi": person.lifeqi_access,
        "payment_preference": person.get_payment_preference_display(),
        "active": person.active,
        "added_on": person.created_at,
        "last_changed": person.updated_at,
    }


@export_section("account", "Their sign-in account", order=20)
def collect_account(person: Person) -> dict | None:
    user = person.user
    if user is None:
        return None
    return {
        "username": user.get_username(),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "joined": user.date_joined,
        "last_signed_in": user.last_login,
        "active": user.is_active,
        "roles": sorted(user.groups.values_list("name", flat=True)),
    }


@export_section("directorates", "Directorates", order=30)
def collect_directorates(person: Person) -> list[str]:
    return sorted(person.directorates.values_list("name", flat=True))


@export_section("interests", "QI interests", order=40)
def collect_interests(person: Person) -> list[str]:
    return sorted(person.interests.values_list("name", flat=True))


@export_section("training", "Training", order=50)
def collect_training(person: Person) -> list[dict]:
    return [
        {"course": t.course, "completed_on": t.completed_on, "note": t.note}
        for t in Training.objects.filter(person=person).order_by("completed_on", "pk")
    ]


@export_section("invitations", "Invitations to sign up", order=60)
def collect_invitations(person: Person) -> list[dict]:
    # Never the secret's hash: it is a credential, not information about the person.
    return [
        {
            "sent_on": invitation.created_at,
            "sent_to": invitation.email or "(link given by hand)",
            "works_until": invitation.expires_at,
            "used_on": invitation.used_at,
            "replaced_on": invitation.revoked_at,
            "state": invitation.state,
            "invited_by": _username(invitation.created_by),
        }
        for invitation in Invitation.objects.filter(person=person)
        .select_related("created_by")
        .order_by("created_at", "pk")
    ]


@export_section("team_memberships", "Project teams (Big I)", order=70)
def collect_memberships(person: Person) -> list[dict]:
    return [
        {
            "project": membership.project.title,
            "directorate": membership.project.directorate.name,
            "role": membership.role,
            "from": membership.start_date,
            "to": membership.end_date,
            "recorded_on": membership.created_at,
            "recorded_by": _username(membership.created_by),
        }
        for membership in TeamMembership.objects.filter(person=person)
        .select_related("project__directorate", "created_by")
        .order_by("start_date", "pk")
    ]


@export_section("activities", "Activities they are named in (little i)", order=80)
def collect_activities(person: Person) -> list[dict]:
    return [
        {
            "project": activity.project.title,
            "kind": activity.get_kind_display(),
            "date": activity.date,
            "people_taking_part": activity.participants,
            "note": activity.note,
        }
        for activity in Activity.objects.filter(people=person)
        .select_related("project")
        .order_by("date", "pk")
    ]


@export_section("role_descriptions", "Role descriptions (every version)", order=90)
def collect_role_descriptions(person: Person) -> list[dict]:
    return [
        {
            "id": rd.pk,
            "version": rd.version,
            "replaces": rd.previous_id,
            "status": rd.get_status_display(),
            "project": rd.project_title,
            "role": rd.role,
            "time_commitment": rd.time_commitment,
            "where_based": rd.where_based,
            "accountability": rd.accountability,
            "start_date": rd.start_date,
            "length": rd.length,
            "review_date": rd.review_date,
            "contact": rd.contact_name,
            "meeting_frequency": rd.meeting_frequency,
            "working_needs": rd.working_needs,
            "hopes": rd.hopes,
            "payment": rd.get_payment_preference_display(),
            "interests": rd.interests_copy,
            "availability": rd.availability_copy,
            "written_on": rd.created_at,
            "agreed_by_them_on": rd.su_agreed_at,
            "agreed_by_ppl_on": rd.ppl_agreed_at,
            "agreed_on": rd.agreed_at,
            "ended_on": rd.ended_at,
            "end_reason": rd.end_reason,
        }
        for rd in RoleDescription.objects.filter(person=person)
        .select_related("project")
        .order_by("created_at", "pk")
    ]


@export_section("opportunity_interests", "Opportunities they are interested in", order=100)
def collect_opportunity_interests(person: Person) -> list[dict]:
    return [
        {
            "opportunity": interest.opportunity.title,
            "kind": interest.opportunity.get_kind_display(),
            "since": interest.created_at,
        }
        for interest in person.opportunity_interests.select_related("opportunity").order_by(
            "created_at", "pk"
        )
    ]


@export_section("access_log", "Who has read their record", order=900)
def collect_access_log(person: Person) -> list[dict]:
    return [
        {"when": entry.at, "who": entry.username, "page": entry.get_page_display()}
        for entry in PersonAccess.objects.filter(person=person).order_by("at", "pk")
    ]


@export_section("history", "The history of their records (every change kept)", order=910)
def collect_history(person: Person) -> dict:
    return {
        "person": _history_rows(Person.history.filter(id=person.pk)),
        "role_descriptions": _history_rows(RoleDescription.history.filter(person_id=person.pk)),
        "team_memberships": _history_rows(TeamMembership.history.filter(person_id=person.pk)),
        "claims": _history_rows(Claim.history.filter(person_id=person.pk)),
    }


# Payment claims need no erasure step: they keep pointing at the pseudonymised person, so the
# finance records stay true (and a decided claim cannot change: a database trigger guards it).


@export_section("claims", "Payment claims", order=110)
def collect_claims(person: Person) -> list[dict]:
    return [
        {
            "reference": claim.reference,
            "date": claim.date,
            "what_they_did": claim.description,
            "hours": claim.hours,
            "amount": claim.amount,
            "status": claim.get_status_display(),
            "paid_on": claim.paid_on,
        }
        for claim in Claim.objects.filter(person=person).order_by("date", "pk")
    ]


# --- erasure --------------------------------------------------------------------------------------

ERASED_TEXT = "Removed when the person's record was erased."
_RD_BLANKED = ("working_needs", "hopes", "interests_copy", "availability_copy")
_RD_SCRUBBED = (
    "role",
    "time_commitment",
    "where_based",
    "length",
    "contact_name",
    "meeting_frequency",
    "end_reason",
)


@erasure_step("role descriptions", order=10)
def erase_role_descriptions(context: ErasureContext) -> None:
    """The rows stay (counts, review dates, who agreed when); what the person wrote about
    themselves goes, in the rows and in their history."""
    blanked = {name: "" for name in _RD_BLANKED} | {"accountability": ERASED_TEXT}
    for queryset in (
        RoleDescription.objects.filter(person=context.person),
        RoleDescription.history.filter(person_id=context.person.pk),
    ):
        queryset.update(**blanked)
        context.scrub_rows(queryset, _RD_SCRUBBED)


@erasure_step("team memberships", order=20)
def erase_memberships(context: ErasureContext) -> None:
    """Memberships stay (they are the Big I of the p-chart); only free text naming them goes."""
    context.scrub_rows(TeamMembership.objects.filter(person=context.person), ["role"])
    context.scrub_rows(TeamMembership.history.filter(person_id=context.person.pk), ["role"])


@erasure_step("activities", order=30)
def erase_activity_notes(context: ErasureContext) -> None:
    context.scrub_rows(Activity.objects.filter(people=context.person), ["note"])


@erasure_step("training", order=40)
def erase_training(context: ErasureContext) -> None:
    Training.objects.filter(person=context.person).update(note="")
    context.scrub_rows(Training.objects.filter(person=context.person), ["course"])


@erasure_step("invitations", order=50)
def erase_invitations(context: ErasureContext) -> None:
    Invitation.objects.filter(person=context.person).delete()


@erasure_step("account", order=60)
def erase_account(context: ErasureContext) -> None:
    """The sign-in is switched off and anonymised (not deleted: the changes it made keep their
    author in the history), its roles and directorates removed, its sign-in records deleted."""
    if context.user_id is None:
        return
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.select_for_update().get(pk=context.user_id)
    names = [name for name in {context.old_username, user.email, context.old_email} if name]
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__in=names).delete()
    user.username = f"erased-{context.person.pk:06d}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.directorates.clear()


@erasure_step("admin log", order=70)
def erase_admin_log(context: ErasureContext) -> None:
    """The admin site's log names objects by their text (a person's name, a role description's
    title): those words are scrubbed, the entries kept."""
    condition = Q()
    for needle in context.needles:
        condition |= Q(object_repr__icontains=needle) | Q(change_message__icontains=needle)
    if condition:
        context.scrub_rows(LogEntry.objects.filter(condition), ["object_repr", "change_message"])


@erasure_step("person", order=90)
def erase_person(context: ErasureContext) -> None:
    """The record itself, last: pseudonym, contact details and profile blanked, unlinked from the
    account, marked as left. Its history is purged and begins again with this change."""
    person = context.person
    person.name = context.pseudonym
    person.email = person.phone = person.address = ""
    person.preferred_contact = ""
    person.available_days, person.available_times, person.access_needs = [], [], []
    person.availability_note = person.interpreter_language = person.access_needs_note = ""
    person.lifeqi_access = False
    person.active = False
    person.user = None
    # No history row for these intermediate steps: the purge below removes the old ones, and the
    # save at the end writes the one row that says the record was erased.
    person.skip_history_when_saving = True
    try:
        person.save()
        person.interests.clear()
    finally:
        del person.skip_history_when_saving
    history = Person.history.filter(id=person.pk)
    # The history of the directorates and interests lists hangs off each history row (without a
    # foreign key constraint, so it is deleted first, by hand).
    for m2m_field in Person.history.model._history_m2m_fields:
        through = apps.get_model("involvement", f"HistoricalPerson_{m2m_field.name}")
        history_ids = list(history.values_list("history_id", flat=True))
        through.objects.filter(history__in=history_ids).delete()
    history.delete()
    person._change_reason = "Record erased"
    person._history_user = context.by
    person.save()


# --- last activity (the retention report) ---------------------------------------------------------


def _local_day(value) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@last_activity_source("signed in")
def last_sign_in(people, today: datetime.date) -> dict[int, datetime.date]:
    rows = people.filter(user__last_login__isnull=False).values_list("pk", "user__last_login")
    return {pk: _local_day(at) for pk, at in rows}


@last_activity_source("team membership")
def last_membership(people, today: datetime.date) -> dict[int, datetime.date]:
    """A membership with no end, or ending in the future, counts as today."""
    last = Max(Coalesce("end_date", Value(today, output_field=DateField())))
    rows = (
        TeamMembership.objects.filter(person__in=people)
        .values("person")
        .annotate(last=last)
        .values_list("person", "last")
    )
    return {pk: min(day, today) for pk, day in rows}


@last_activity_source("little-i activity")
def last_activity(people, today: datetime.date) -> dict[int, datetime.date]:
    rows = (
        Activity.people.through.objects.filter(person__in=people)
        .values("person")
        .annotate(last=Max("activity__date"))
        .values_list("person", "last")
    )
    return {pk: min(day, today) for pk, day in rows}


@last_activity_source("claim")
def last_claim(people, today: datetime.date) -> dict[int, datetime.date]:
    rows = (
        Claim.objects.filter(person__in=people)
        .values("person")
        .annotate(last=Max("date"))
        .values_list("person", "last")
    )
    return {pk: min(day, today) for pk, day in rows}


@last_activity_source("role description")
def last_role_description(people, today: datetime.date) -> dict[int, datetime.date]:
    """Written, agreed or ended; an agreed one still in force counts as today."""
    result: dict[int, datetime.date] = {}
    rows = (
        RoleDescription.objects.filter(person__in=people)
        .values("person")
        .annotate(written=Max("created_at"), agreed=Max("agreed_at"), ended=Max("ended_at"))
    )
    for row in rows:
        days = [_local_day(row[key]) for key in ("written", "agreed", "ended")]
        result[row["person"]] = max(day for day in days if day is not None)
    in_force = RoleDescription.objects.filter(
        person__in=people, status=RoleDescriptionStatus.AGREED
    ).values_list("person", flat=True)
    for pk in in_force:
        result[pk] = today
    return result
