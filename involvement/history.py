"""The audit trail in words: a record's django-simple-history rows as entries that say when, who,
and which fields changed from what to what (``diff_against`` between each row and the one before).

Used by the admins' history pages of people, role descriptions, team memberships and stories.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.text import capfirst

from involvement.choices import labels

EMPTY = "(empty)"
SYSTEM = "The system (a command, an import or the demo data)"
KINDS = {"+": "Created", "~": "Changed", "-": "Deleted"}
# Field names made of the app's short words ("ppl agreed by") read as the words are written.
_ACRONYMS = re.compile(r"\b(ppl|su|qi|id)\b", re.IGNORECASE)


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime.datetime
    who: str
    kind: str
    reason: str = ""
    changes: list[FieldChange] = field(default_factory=list)


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return SYSTEM
    return user.get_full_name() or user.get_username()


class _Formatter:
    """Turns stored values into words; the related objects the values point at are read in bulk
    (``preload``), one query per model, whatever the number of rows."""

    def __init__(self, model: type[models.Model], list_choices: Mapping[str, type] | None):
        self.model = model
        self.list_choices = dict(list_choices or {})
        self._objects: dict[tuple[type, object], str] = {}

    def label(self, name: str) -> str:
        try:
            words = str(self.model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001 - a field removed since the row was written
            words = name.replace("_", " ")
        return capfirst(_ACRONYMS.sub(lambda m: m.group(0).upper(), words))

    def _field(self, name: str) -> models.Field | None:
        try:
            return self.model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - a field removed since the row was written
            return None

    def _pointed_at(self, name: str, value) -> tuple[type[models.Model] | None, list]:
        """The related model a value points at, and the keys it holds (none for plain values)."""
        model_field = self._field(name)
        if value is None or value == "":
            return None, []
        if isinstance(model_field, models.ManyToManyField):
            target = model_field.m2m_reverse_field_name()
            return model_field.related_model, [row[target] for row in value]
        if isinstance(model_field, models.ForeignKey):
            return model_field.related_model, [value]
        return None, []

    def preload(self, values: Iterable[tuple[str, object]]) -> None:
        """Read every object that these (field name, stored value) pairs point at."""
        wanted: dict[type[models.Model], set] = defaultdict(set)
        for name, value in values:
            related_model, keys = self._pointed_at(name, value)
            for key in keys:
                if (related_model, key) not in self._objects:
                    wanted[related_model].add(key)
        for related_model, keys in wanted.items():
            self._load(related_model, keys)

    def _load(self, related_model: type[models.Model], keys: Collection) -> None:
        found = related_model._base_manager.in_bulk(keys)
        for key in keys:
            obj = found.get(key)
            self._objects[(related_model, key)] = (
                str(obj) if obj is not None else f"(deleted, number {key})"
            )

    def _related(self, related_model: type[models.Model], pk) -> str:
        if (related_model, pk) not in self._objects:
            self._load(related_model, [pk])
        return self._objects[(related_model, pk)]

    def value(self, name: str, value) -> str:
        if value is None or value == "" or value == []:
            return EMPTY
        model_field = self._field(name)
        if isinstance(model_field, models.ManyToManyField):
            target = model_field.m2m_reverse_field_name()
            names = sorted(self._related(model_field.related_model, row[target]) for row in value)
            return ", ".join(names) or EMPTY
        if isinstance(model_field, models.ForeignKey):
            return self._related(model_field.related_model, value)
        if name in self.list_choices and isinstance(value, list):
            return ", ".join(labels(self.list_choices[name], value)) or EMPTY
        if model_field is not None and model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).strftime("%-d %B %Y, %H:%M")
        if isinstance(value, datetime.date):
            return value.strftime("%-d %B %Y")
        if isinstance(value, list):
            return ", ".join(str(item) for item in value)
        return str(value)


# A change before it is put into words: (field name, stored value before, stored value after).
RawChange = tuple[str, object, object]


def _m2m_values(rows: list, names: list[str]) -> dict[str, dict[int, list[dict]]]:
    """The tracked many-to-many values of every history row, one query per field: for each field,
    history id → rows of the related keys (as ``diff_against`` would read them row by row)."""
    values: dict[str, dict[int, list[dict]]] = {}
    history_ids = [record.history_id for record in rows]
    for name in names:
        through = getattr(rows[0], name).model
        target = rows[0].instance_type._meta.get_field(name).m2m_reverse_field_name()
        by_record: dict[int, list[dict]] = defaultdict(list)
        for row in (
            through.objects.filter(history_id__in=history_ids)
            .order_by(target)
            .values("history_id", target)
        ):
            by_record[row["history_id"]].append({target: row[target]})
        values[name] = by_record
    return values


def _creation_changes(record, hidden: set[str], m2m: dict) -> list[RawChange]:
    """A created record: every field, from empty."""
    changes = []
    for model_field in record.instance_type._meta.get_fields():
        if not getattr(model_field, "concrete", False) or model_field.auto_created:
            continue
        name = model_field.name
        if name in hidden or not model_field.editable:
            continue
        if isinstance(model_field, models.ManyToManyField):
            if name not in m2m:
                continue
            value = m2m[name].get(record.history_id, [])
        else:
            try:
                value = getattr(record, model_field.attname)
            except AttributeError:
                continue  # not tracked (excluded from the history)
        changes.append((name, None, value))
    return changes


def _changes_since(record, previous, hidden: set[str], m2m: dict) -> list[RawChange]:
    # The many-to-many fields are compared here from what was read in bulk: diff_against would
    # query them for every row.
    delta = record.diff_against(previous, excluded_fields=hidden | set(m2m))
    changes = [(change.field, change.old, change.new) for change in delta.changes]
    for name, by_record in m2m.items():
        if name in hidden:
            continue
        old, new = by_record.get(previous.history_id, []), by_record.get(record.history_id, [])
        if old != new:
            changes.append((name, old, new))
    return changes


def history_entries(
    records: Iterable,
    *,
    hidden: Iterable[str] = (),
    list_choices: Mapping[str, type] | None = None,
) -> list[HistoryEntry]:
    """Entries for the history rows of one record, newest first.

    ``hidden`` names fields never shown (secrets, derived values); ``list_choices`` maps JSON list
    fields to the choices their values come from, so they read as words. The queries do not grow
    with the number of rows: many-to-many values and the objects that values point at are read
    in bulk.
    """
    rows = sorted(records, key=lambda r: (r.history_date, r.history_id))
    if not rows:
        return []
    hidden = set(hidden)
    m2m = _m2m_values(rows, [f.name for f in rows[0]._history_m2m_fields])
    raw: list[tuple[object, str, bool, list[RawChange]]] = []
    previous = None
    for record in rows:
        created = previous is None or record.history_type == "+"
        if created:
            changes = _creation_changes(record, hidden, m2m)
        else:
            changes = _changes_since(record, previous, hidden, m2m)
        kind = KINDS.get(record.history_type, record.history_type)
        if previous is None and record.history_type == "~":
            kind = "First recorded"  # the record is older than its history
        previous = record
        if kind == "Changed" and not changes:
            continue  # saved with nothing different (a second save in one action)
        raw.append((record, kind, created, changes))

    formatter = _Formatter(rows[0].instance_type, list_choices)
    formatter.preload(
        (name, value) for *_, changes in raw for name, *values in changes for value in values
    )
    entries = []
    for record, kind, created, changes in raw:
        words = []
        for name, old, new in changes:
            shown = formatter.value(name, new)
            if created and shown == EMPTY:
                continue  # a created record lists the fields given a value
            words.append(FieldChange(formatter.label(name), formatter.value(name, old), shown))
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=_who(record),
                kind=kind,
                reason=record.history_change_reason or "",
                changes=words,
            )
        )
    entries.reverse()
    return entries
