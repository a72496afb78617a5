"""The audit trail in words: a record's django-simple-history rows as entries that say when, who,
and which fields changed from what to what (``diff_against`` between each row and the one before).

Used by the admins' history pages of people, role descriptions, team memberships and stories.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
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
    """Turns stored values into words; looks related objects up once each."""

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

    def _related(self, related_model: type[models.Model], pk) -> str:
        key = (related_model, pk)
        if key not in self._objects:
            obj = related_model._base_manager.filter(pk=pk).first()
            self._objects[key] = str(obj) if obj is not None else f"(deleted, number {pk})"
        return self._objects[key]

    def value(self, name: str, value) -> str:
        if value is None or value == "" or value == []:
            return EMPTY
        try:
            model_field = self.model._meta.get_field(name)
        except Exception:  # noqa: BLE001
            model_field = None
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


def _creation_changes(record, formatter: _Formatter, hidden: set[str]) -> list[FieldChange]:
    """A created record: every field given a value, from empty."""
    changes = []
    for model_field in record.instance_type._meta.get_fields():
        if not getattr(model_field, "concrete", False) or model_field.auto_created:
            continue
        name = model_field.name
        if name in hidden or not model_field.editable:
            continue
        if isinstance(model_field, models.ManyToManyField):
            if name not in {f.name for f in record._history_m2m_fields}:
                continue
            target = model_field.m2m_reverse_field_name()
            value = list(getattr(record, name).values(target))
        else:
            try:
                value = getattr(record, model_field.attname)
            except AttributeError:
                continue  # not tracked (excluded from the history)
        shown = formatter.value(name, value)
        if shown != EMPTY:
            changes.append(FieldChange(formatter.label(name), EMPTY, shown))
    return changes


def history_entries(
    records: Iterable,
    *,
    hidden: Iterable[str] = (),
    list_choices: Mapping[str, type] | None = None,
) -> list[HistoryEntry]:
    """Entries for the history rows of one record, newest first.

    ``hidden`` names fields never shown (secrets, derived values); ``list_choices`` maps JSON list
    fields to the choices their values come from, so they read as words.
    """
    rows = sorted(records, key=lambda r: (r.history_date, r.history_id))
    if not rows:
        return []
    hidden = set(hidden)
    formatter = _Formatter(rows[0].instance_type, list_choices)
    entries = []
    previous = None
    for record in rows:
        if previous is None or record.history_type == "+":
            changes = _creation_changes(record, formatter, hidden)
        else:
            delta = record.diff_against(previous, excluded_fields=hidden)
            changes = [
                FieldChange(
                    formatter.label(change.field),
                    formatter.value(change.field, change.old),
                    formatter.value(change.field, change.new),
                )
                for change in delta.changes
            ]
        kind = KINDS.get(record.history_type, record.history_type)
        if previous is None and record.history_type == "~":
            kind = "First recorded"  # the record is older than its history
        if kind == "Changed" and not changes:
            previous = record
            continue  # saved with nothing different (a second save in one action)
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=_who(record),
                kind=kind,
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
        previous = record
    entries.reverse()
    return entries
