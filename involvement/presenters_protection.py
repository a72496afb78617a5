"""The subject access export as a readable page: each section of the JSON as headed blocks of
label–value rows, dates in words. Works for any section a collector returns (dicts, lists of
dicts, lists of words, nested lists), so a new section needs nothing here."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils import timezone

NOTHING = "Nothing held"
NOT_GIVEN = "Not given"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@dataclass
class Block:
    """One record: a list of (label, value) rows."""

    rows: list[tuple[str, str]]


@dataclass
class Part:
    title: str
    blocks: list[Block] = field(default_factory=list)
    words: str = ""  # a list of plain words, or "Nothing held"
    parts: list[Part] = field(default_factory=list)


_ACRONYMS = re.compile(r"\b(ppl|su|qi|id)\b")


def label(key: str) -> str:
    """A JSON key as a label: "has_access_to_life_qi" → "Has access to Life QI"."""
    words = _ACRONYMS.sub(lambda m: m.group(0).upper(), key.replace("_", " ").lower())
    words = words.replace("life QI", "Life QI")
    return words[:1].upper() + words[1:]


def words(value) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return NOT_GIVEN
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, str):
        if _DATE.match(value):
            return datetime.date.fromisoformat(value).strftime("%-d %B %Y")
        if _DATETIME.match(value):
            moment = datetime.datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return moment.strftime("%-d %B %Y, %H:%M")
        return value
    if isinstance(value, dict):
        return "; ".join(f"{label(k)}: {words(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(
            f"({words(item)})" if isinstance(item, dict) else words(item) for item in value
        )
    return str(value)


def _block(record: dict) -> Block:
    return Block([(label(key), words(value)) for key, value in record.items()])


def part(title: str, data) -> Part:
    section = Part(title)
    if data is None or data == [] or data == {}:
        section.words = NOTHING
    elif isinstance(data, dict) and all(isinstance(v, list) for v in data.values()):
        section.parts = [part(label(key), value) for key, value in data.items()]
    elif isinstance(data, dict):
        section.blocks = [_block(data)]
    elif isinstance(data, list) and all(isinstance(item, dict) for item in data):
        section.blocks = [_block(item) for item in data]
    else:
        section.words = words(data)
    return section


def export_parts(export: dict) -> list[Part]:
    return [part(section["title"], section["data"]) for section in export["sections"]]
