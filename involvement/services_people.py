"""Writes of the people register: people, training, invitations, role descriptions, project needs
and opportunities. Keyword-only, typed, atomic; each calls ``full_clean()`` before saving.

Views check who may do what (``involvement.access``) before calling these; the services check what
the records allow (an agreed role description is never edited, a used invitation never reused).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from involvement.access import Role, role_group
from involvement.choices import AttendanceMode, RoleDescriptionStatus
from involvement.models import (
    Interest,
    Invitation,
    Opportunity,
    OpportunityInterest,
    Person,
    ProjectNeeds,
    RoleDescription,
    Training,
)
from involvement.models_people import INVITATION_DAYS
from involvement.months import add_months, last_day, month_of
from projects.ids import id_from
from projects.models import Directorate, Project

# --- people --------------------------------------------------------------------------------------


@transaction.atomic
def person_save(
    *,
    person: Person,
    directorates: Iterable[Directorate] | None = None,
    interests: Iterable[Interest] | None = None,
) -> Person:
    """Create or update a person; ``None`` leaves a many-to-many list as it is."""
    person.name = person.name.strip()
    person.full_clean()
    person.save()
    if directorates is not None:
        person.directorates.set(directorates)
    if interests is not None:
        person.interests.set(interests)
    return person


@transaction.atomic
def training_add(
    *, person: Person, course: str, completed_on: datetime.date, note: str = ""
) -> Training:
    training = Training(person=person, course=course.strip(), completed_on=completed_on, note=note)
    training.full_clean()
    training.save()
    return training


@transaction.atomic
def training_delete(*, training: Training) -> None:
    training.delete()


# --- invitations ---------------------------------------------------------------------------------

_INVITATION_SALT = "involvement.invitation"


class InvitationProblem(Exception):
    """Why an invitation link cannot be used. ``reason`` is one of ``REASONS``."""

    REASONS = ("invalid", "expired", "used", "replaced", "has_account", "left")

    def __init__(self, reason: str, invitation: Invitation | None = None):
        assert reason in self.REASONS, reason  # noqa: S101 - a programming error, not input
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_INVITATION_SALT)


def _nonce_hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


@transaction.atomic
def invitation_create(*, person: Person, by, email: str = "") -> tuple[Invitation, str]:
    """A new invitation for ``person`` and its token (for the link). Older open invitations of the
    person are revoked, so their links stop working."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id:
        raise InvitationProblem("has_account")
    if not person.active:
        raise InvitationProblem("left")
    now = timezone.now()
    person.invitations.open().update(revoked_at=now)
    nonce = secrets.token_urlsafe(24)
    invitation = Invitation(
        person=person,
        email=email.strip(),
        nonce_hash=_nonce_hash(nonce),
        created_by=by,
        created_at=now,
        expires_at=now + datetime.timedelta(days=INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    # The nonce never contains "." (URL-safe base64), so the id and nonce split cleanly.
    token = _signer().sign(f"{invitation.pk}.{nonce}")
    return invitation, token


def invitation_send(*, invitation: Invitation, link: str) -> None:
    """Email the link (SMTP in production, the console in development, the outbox in tests)."""
    context = {"invitation": invitation, "person": invitation.person, "link": link}
    send_mail(
        subject=render_to_string("involvement/invitations/email_subject.txt", context).strip(),
        message=render_to_string("involvement/invitations/email.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_check(token: str) -> Invitation:
    """The invitation a token stands for, or ``InvitationProblem`` saying why it cannot be used."""
    signer = _signer()
    try:
        value = signer.unsign(token)
    except signing.BadSignature:
        raise InvitationProblem("invalid") from None
    pk, _, nonce = value.partition(".")
    invitation = (
        Invitation.objects.select_related("person", "created_by").filter(pk=id_from(pk)).first()
        if id_from(pk) is not None
        else None
    )
    if invitation is None or not constant_time_compare(invitation.nonce_hash, _nonce_hash(nonce)):
        raise InvitationProblem("invalid")
    if invitation.used_at:
        raise InvitationProblem("used", invitation)
    if invitation.revoked_at:
        raise InvitationProblem("replaced", invitation)
    try:
        signer.unsign(token, max_age=datetime.timedelta(days=INVITATION_DAYS))
    except signing.SignatureExpired:
        raise InvitationProblem("expired", invitation) from None
    if invitation.expires_at <= timezone.now():
        raise InvitationProblem("expired", invitation)
    if invitation.person.user_id:
        raise InvitationProblem("has_account", invitation)
    if not invitation.person.active:
        raise InvitationProblem("left", invitation)
    return invitation


def username_taken(username: str) -> bool:
    return get_user_model().objects.filter(username__iexact=username).exists()


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str):
    """Create the person's sign-in from a valid invitation: the service-user role, linked to the
    person, the invitation used up. Raises ``InvitationProblem`` or ``ValidationError`` and then
    changes nothing."""
    checked = invitation_check(token)
    invitation = Invitation.objects.select_for_update().get(pk=checked.pk)
    person = Person.objects.select_for_update().get(pk=invitation.person_id)
    # Checked again under the locks: two tabs accepting at once create one account.
    if invitation.used_at:
        raise InvitationProblem("used", invitation)
    if invitation.revoked_at:
        raise InvitationProblem("replaced", invitation)
    if person.user_id:
        raise InvitationProblem("has_account", invitation)
    username = username.strip()
    if username_taken(username):
        raise ValidationError({"username": "That username is taken. Choose another."})
    first_name, _, last_name = person.name.partition(" ")
    User = get_user_model()
    user = User(
        username=username,
        email=person.email or invitation.email,
        first_name=first_name[:150],
        last_name=last_name[:150],
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.add(role_group(Role.SU))
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    return user


# --- role descriptions ---------------------------------------------------------------------------


class RoleDescriptionLocked(Exception):
    """The description is no longer a draft: it cannot be changed (make a new version)."""


def months_later(day: datetime.date, count: int) -> datetime.date:
    """The same day ``count`` months later (the month's last day when it is shorter)."""
    month = add_months(month_of(day), count)
    return month.replace(day=min(day.day, last_day(month).day))


@transaction.atomic
def role_description_save(*, description: RoleDescription, by) -> RoleDescription:
    """Create or change a draft. The copies of the person's preference, interests and availability
    are refreshed, and any agreement given is withdrawn: it was to other words."""
    if description.pk:
        current = RoleDescription.objects.select_for_update().get(pk=description.pk)
        if current.status != RoleDescriptionStatus.DRAFT:
            raise RoleDescriptionLocked
        description.status = RoleDescriptionStatus.DRAFT
        description.version = current.version
        description.previous_id = current.previous_id
    else:
        description.created_by = by
    description.copy_from_person()
    description.su_agreed_by = description.ppl_agreed_by = None
    description.su_agreed_at = description.ppl_agreed_at = None
    description.full_clean()
    description.save()
    return description


@transaction.atomic
def role_description_agree(*, description: RoleDescription, by, side: str) -> RoleDescription:
    """Record that one side agrees (``side`` is "su" or "ppl"). When both have, the description
    is agreed, and the version it replaces ends."""
    if side not in {"su", "ppl"}:
        raise ValueError(side)
    description = RoleDescription.objects.select_for_update().get(pk=description.pk)
    if description.status != RoleDescriptionStatus.DRAFT:
        raise RoleDescriptionLocked
    now = timezone.now()
    setattr(description, f"{side}_agreed_by", by)
    setattr(description, f"{side}_agreed_at", now)
    if description.su_agreed_at and description.ppl_agreed_at:
        description.status = RoleDescriptionStatus.AGREED
        description.agreed_at = now
        if description.previous_id:
            previous = RoleDescription.objects.select_for_update().get(pk=description.previous_id)
            if previous.status == RoleDescriptionStatus.AGREED:
                previous.status = RoleDescriptionStatus.ENDED
                previous.ended_at = now
                previous.ended_by = by
                previous.end_reason = f"Replaced by version {description.version}."
                previous.save()
    description.full_clean()
    description.save()
    return description


_COPIED_FIELDS = (
    "person_id",
    "project_id",
    "role",
    "time_commitment",
    "where_based",
    "accountability",
    "start_date",
    "length",
    "review_date",
    "contact_name",
    "meeting_frequency",
    "working_needs",
    "hopes",
)


@transaction.atomic
def role_description_new_version(*, description: RoleDescription, by) -> RoleDescription:
    """A draft copy of an agreed description, one version up, linked to it. The agreed one stays
    in force until the new version is agreed."""
    description = RoleDescription.objects.select_for_update().get(pk=description.pk)
    if description.status != RoleDescriptionStatus.AGREED:
        raise RoleDescriptionLocked
    if RoleDescription.objects.filter(previous=description).exists():
        raise RoleDescriptionLocked
    new = RoleDescription(
        **{field: getattr(description, field) for field in _COPIED_FIELDS},
        version=description.version + 1,
        previous=description,
        created_by=by,
    )
    new.copy_from_person()
    new.full_clean()
    new.save()
    return new


@transaction.atomic
def role_description_end(*, description: RoleDescription, by, reason: str = "") -> RoleDescription:
    description = RoleDescription.objects.select_for_update().get(pk=description.pk)
    if description.status != RoleDescriptionStatus.AGREED:
        raise RoleDescriptionLocked
    description.status = RoleDescriptionStatus.ENDED
    description.ended_at = timezone.now()
    description.ended_by = by
    description.end_reason = reason.strip()
    description.full_clean()
    description.save()
    return description


_WHERE_BASED = {
    AttendanceMode.REMOTE: "Online (remote)",
    AttendanceMode.IN_PERSON: "In person, where the project team meets",
    AttendanceMode.EITHER: "Online or in person",
}


@transaction.atomic
def role_description_draft_for_team(
    *, person: Person, project: Project, by, today: datetime.date | None = None
) -> tuple[RoleDescription, bool]:
    """The matching page's "invite to team": a draft for this person on this project, filled in
    from the project, or the draft already there. Returns (description, created)."""
    existing = RoleDescription.objects.filter(
        person=person, project=project, status=RoleDescriptionStatus.DRAFT
    ).first()
    if existing:
        return existing, False
    today = today or timezone.localdate()
    needs = ProjectNeeds.objects.filter(project=project).first()
    attendance = AttendanceMode(needs.attendance) if needs else AttendanceMode.EITHER
    by_name = by.get_full_name() or by.get_username()
    description = RoleDescription(
        person=person,
        project=project,
        role="Team member",
        time_commitment="To be agreed with the project team",
        where_based=_WHERE_BASED[attendance],
        accountability=(
            "Take part in the project team's meetings and tests of change as an equal member, "
            "bring your experience of services, and keep what the team discusses confidential."
        ),
        start_date=today,
        review_date=months_later(today, 6),
        contact_name=project.lead_display or by_name,
        meeting_frequency="To be agreed",
        working_needs="; ".join(person.access_needs_labels)[:1000],
    )
    return role_description_save(description=description, by=by), True


# --- project needs -------------------------------------------------------------------------------


@transaction.atomic
def project_needs_save(*, needs: ProjectNeeds, interests: Iterable[Interest], by) -> ProjectNeeds:
    needs.updated_by = by
    needs.full_clean()
    needs.save()
    needs.interests.set(interests)
    return needs


# --- opportunities -------------------------------------------------------------------------------


@transaction.atomic
def opportunity_save(*, opportunity: Opportunity, interests: Iterable[Interest], by) -> Opportunity:
    if not opportunity.pk:
        opportunity.created_by = by
    opportunity.full_clean()
    opportunity.save()
    opportunity.interests.set(interests)
    return opportunity


def opportunity_interest_add(
    *, opportunity: Opportunity, person: Person
) -> tuple[OpportunityInterest, bool]:
    """Say the person is interested; saying it twice changes nothing."""
    try:
        with transaction.atomic():
            return OpportunityInterest.objects.get_or_create(opportunity=opportunity, person=person)
    except IntegrityError:
        # Two requests at once: the other one made the row.
        return OpportunityInterest.objects.get(opportunity=opportunity, person=person), False


@transaction.atomic
def opportunity_interest_withdraw(*, opportunity: Opportunity, person: Person) -> bool:
    deleted, _ = OpportunityInterest.objects.filter(opportunity=opportunity, person=person).delete()
    return bool(deleted)
