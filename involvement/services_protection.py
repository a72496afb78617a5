"""Data protection: the access log, the subject access export, erasure and the retention report.

Each area of the app that holds personal data adds its part through one of three registries, so a
new area (payments' claims, for one) is one small registration rather than a change here:

- ``export_section``: a collector that returns the JSON-ready section of a subject access export;
- ``erasure_step``: a step of an erasure, given an ``ErasureContext``;
- ``last_activity_source``: when a person was last active in that area (the retention report).

The involvement app registers its parts in ``involvement/protection_sections.py``, the stories app
in ``stories/protection.py`` (each imported by its app's ``ready()``).
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from involvement.models import AccessPage, Person, PersonAccess, PersonErasure

# --- the access log -------------------------------------------------------------------------------


def access_log_record(*, user, person: Person, page: str, path: str) -> PersonAccess:
    """Log that ``user`` (staff) read ``person``'s record on ``page``. Called by the views that
    show a person's record, once a request, after the access check passed."""
    if page not in AccessPage.values:
        raise ValueError(page)
    return PersonAccess.objects.create(
        person=person,
        user=user,
        username=user.get_username(),
        page=page,
        path=path[:300],
    )


# --- registries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportSection:
    key: str
    title: str
    order: int
    collect: Callable[[Person], object]


_SECTIONS: dict[str, ExportSection] = {}


def export_section(key: str, title: str, *, order: int) -> Callable:
    """Register ``collect(person)`` as the export's section ``key``: it returns JSON-ready data
    (dicts, lists, strings, numbers, booleans, None, dates)."""

    def register(collect: Callable[[Person], object]) -> Callable[[Person], object]:
        _SECTIONS[key] = ExportSection(key, title, order, collect)
        return collect

    return register


def export_sections() -> list[ExportSection]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.key))


@dataclass
class ErasureContext:
    """What every erasure step needs: the person (already locked), who erases, the pseudonym,
    and the old identifying values, which ``scrub`` replaces in free text."""

    person: Person
    by: object
    pseudonym: str
    user_id: int | None
    old_name: str
    old_email: str
    old_phone: str
    old_username: str
    # Other old values to scrub, such as an account's own email when it differs from the record's.
    other_values: list[str] = field(default_factory=list)

    @property
    def needles(self) -> list[str]:
        """The old values searched for in free text: name, email, phone (when it is long enough
        to mean something) and username."""
        values = [self.old_name, self.old_email, self.old_username, *self.other_values]
        if sum(ch.isdigit() for ch in self.old_phone) >= 6:
            values.append(self.old_phone)
        return [value for value in dict.fromkeys(v.strip() for v in values) if len(value) >= 3]

    def scrub(self, text: str) -> str:
        """``text`` with every old identifying value replaced by the pseudonym."""
        if not text:
            return text
        for needle in sorted(self.needles, key=len, reverse=True):
            text = re.sub(re.escape(needle), self.pseudonym, text, flags=re.IGNORECASE)
        return text

    def scrub_rows(self, queryset: models.QuerySet, fields: Iterable[str]) -> int:
        """Scrub ``fields`` of every row of ``queryset`` (with ``update()``: no history row is
        written for it, and no save() rule runs). Returns the number of rows changed."""
        fields = list(fields)
        changed = 0
        for row in queryset.values("pk", *fields):
            new = {name: self.scrub(row[name]) for name in fields if isinstance(row[name], str)}
            new = {name: value for name, value in new.items() if value != row[name]}
            if new:
                queryset.model._base_manager.filter(pk=row["pk"]).update(**new)
                changed += 1
        return changed


@dataclass(frozen=True)
class ErasureStep:
    name: str
    order: int
    run: Callable[[ErasureContext], None]


_STEPS: dict[str, ErasureStep] = {}


def erasure_step(name: str, *, order: int) -> Callable:
    """Register ``run(context)`` as a step of every erasure (steps run in ``order``)."""

    def register(run: Callable[[ErasureContext], None]) -> Callable[[ErasureContext], None]:
        _STEPS[name] = ErasureStep(name, order, run)
        return run

    return register


def erasure_steps() -> list[ErasureStep]:
    return sorted(_STEPS.values(), key=lambda step: (step.order, step.name))


# A source gives, for the people of a queryset, the last day each was active in one area:
# ``source(people, today) -> {person_id: date}``. An involvement still going on counts as today.
LastActivitySource = Callable[[models.QuerySet, datetime.date], dict[int, datetime.date]]
_SOURCES: dict[str, LastActivitySource] = {}


def last_activity_source(label: str) -> Callable:
    def register(source: LastActivitySource) -> LastActivitySource:
        _SOURCES[label] = source
        return source

    return register


def last_activity_sources() -> dict[str, LastActivitySource]:
    return dict(_SOURCES)


# --- the subject access export --------------------------------------------------------------------

EXPORT_FORMAT = "Big I subject access export"
EXPORT_VERSION = 1


def plain(value):
    """``value`` as JSON-ready data: dates and times as ISO 8601, money as a string."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(item) for item in value]
    if isinstance(value, models.Model):
        return str(value)
    return value


def subject_access_export(*, person: Person, by) -> dict:
    """Everything held about ``person``, section by section, as JSON-ready data."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "person_id": person.pk,
        "exported_at": plain(timezone.now()),
        "exported_by": by.get_username(),
        "sections": [
            {"key": section.key, "title": section.title, "data": plain(section.collect(person))}
            for section in export_sections()
        ],
    }


# --- erasure --------------------------------------------------------------------------------------


class AlreadyErased(Exception):
    """The person's record was erased before."""


def pseudonym_for(person: Person) -> str:
    return f"Person {person.pk:06d} (erased)"


def is_erased(person: Person) -> bool:
    return PersonErasure.objects.filter(person=person).exists()


@transaction.atomic
def person_erase(*, person: Person, by, reason: str) -> PersonErasure:
    """Anonymise ``person``: name → pseudonym, contact details and free text blanked or scrubbed,
    account switched off and unlinked, invitations deleted, history rows purged or scrubbed.
    Memberships, activities, role descriptions (and claims) stay, pointing at the pseudonymised
    person, so counts, charts and finance records stay true. All or nothing."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if PersonErasure.objects.filter(person=person).exists():
        raise AlreadyErased
    user = person.user
    context = ErasureContext(
        person=person,
        by=by,
        pseudonym=pseudonym_for(person),
        user_id=person.user_id,
        old_name=person.name,
        old_email=person.email,
        old_phone=person.phone,
        old_username=user.get_username() if user else "",
    )
    if user is not None and user.email and user.email != person.email:
        context.other_values.append(user.email)
    for step in erasure_steps():
        step.run(context)
    erasure = PersonErasure(person=person, erased_by=by, reason=reason.strip())
    erasure.leftovers = [place.as_dict() for place in find_in_text_columns(context.needles)]
    erasure.full_clean()
    erasure.save()
    return erasure


@dataclass(frozen=True)
class Place:
    """Where a value was found: the model, the field and the row (never the value itself)."""

    model: str
    field: str
    pk: str

    def as_dict(self) -> dict:
        return {"model": self.model, "field": self.field, "pk": self.pk}

    def __str__(self) -> str:
        return f"{self.model} {self.pk}, {self.field}"


TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def text_fields_of(model: type[models.Model]) -> list[models.Field]:
    """The concrete text columns of a model (CharField, EmailField, SlugField…, TextField and
    JSONField)."""
    return [
        f for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS) and not f.primary_key
    ]


def find_in_text_columns(needles: Iterable[str], *, limit: int = 200) -> list[Place]:
    """Every row of every table (history tables, the admin log and the sign-in log included) in
    which a text column contains one of ``needles`` (case-insensitive). One query a table, in the
    database; used after an erasure to tell the admin where the old values remain in free text."""
    needles = [needle for needle in needles if needle]
    places: list[Place] = []
    if not needles:
        return places
    lowered = [needle.lower() for needle in needles]
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        columns = text_fields_of(model)
        if not columns:
            continue
        condition = models.Q()
        for column in columns:
            for needle in needles:
                condition |= models.Q(**{f"{column.name}__icontains": needle})
        names = [column.attname for column in columns]
        for row in model._base_manager.filter(condition).values("pk", *names)[:limit]:
            for column in columns:
                text = json.dumps(row[column.attname], ensure_ascii=False).lower()
                if any(needle in text for needle in lowered):
                    where = (str(model._meta.verbose_name), str(column.verbose_name))
                    places.append(Place(*where, str(row["pk"])))
            if len(places) >= limit:
                return places[:limit]
    return places


# --- retention ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionRow:
    person: Person
    last_active: datetime.date
    last_activity: str  # what it was, in words


def retention_report(
    *, months: int, today: datetime.date | None = None
) -> tuple[datetime.date, list[RetentionRow]]:
    """People not erased whose last activity (membership, activity, role description, claim or
    sign-in; for someone with none, being added to the register) is before the cut-off ``months``
    before today, the longest inactive first. Returns (cut-off date, rows). Changes nothing."""
    from involvement.months import add_months, last_day, month_of

    today = today or timezone.localdate()
    first = add_months(month_of(today), -months)
    cutoff = first.replace(day=min(today.day, last_day(first).day))
    people = Person.objects.filter(erasure__isnull=True)
    latest: dict[int, tuple[datetime.date, str]] = {}
    for label, source in last_activity_sources().items():
        for person_id, day in source(people, today).items():
            if day is not None and (person_id not in latest or day > latest[person_id][0]):
                latest[person_id] = (day, label)
    # Someone never active anywhere counts from the day they were added to the register (not
    # otherwise: an import adds people today whose involvement ended years ago).
    for pk, created_at in people.exclude(pk__in=list(latest)).values_list("pk", "created_at"):
        latest[pk] = (timezone.localtime(created_at).date(), "added to the register, nothing since")
    stale_ids = [pk for pk, (day, _label) in latest.items() if day < cutoff]
    rows = [
        RetentionRow(person, *latest[person.pk])
        for person in people.filter(pk__in=stale_ids).prefetch_related("directorates")
    ]
    rows.sort(key=lambda row: (row.last_active, row.person.pk))
    return cutoff, rows
