"""Imports that move a trust's history in: Life QI projects, and their involvement (team
memberships and little-i activities).

One parser per file kind, used by the admin pages and the management commands alike:

- ``parse(kind, text)`` checks every row against the database and returns a ``Preview``: for each
  row what it would do (new, update, no change) or its errors, named by row number, column and
  reason. Nothing is written.
- ``apply(kind, text)`` parses again inside one transaction and writes every row, or nothing when
  any row is bad (``ImportRejected``).

Both are idempotent: projects are matched on their Life QI id; a membership on (project, person,
start date) and an activity on (project, kind, date), so a second run changes nothing. Imports
record history as it was: the co-production gate of the app does not apply to them, and the
derived level table is rebuilt once per touched project (``levels.deferred_rebuilds``).

Both are built for a whole trust's history (5,000 projects, 120,000 involvement rows): what is
already recorded is read with one query per kind (per chunk of projects), never one per row, and
``apply`` writes with bulk inserts and updates, keeping the audit history of the models that have
one (people, team memberships). Both take an optional ``progress(stage, done, total)`` callback,
which the admin's progress page reads (``projects.services_imports``).
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from involvement import levels
from involvement.models import Activity, ActivityKind, Person, PersonKind, TeamMembership
from projects.bulk import insert_rows
from projects.forms_nhsuk import CONTROL_CHARACTERS
from projects.models import ENDED_STATUSES, AimReached, Directorate, Project, ProjectStatus

PROJECTS = "projects"
INVOLVEMENT = "involvement"
KINDS = {PROJECTS: "Life QI projects", INVOLVEMENT: "Team members and activities"}

PROJECT_COLUMNS = [
    "lifeqi_id",
    "title",
    "directorate",
    "lead",
    "start_date",
    "end_date",
    "status",
    "aim",
    "aim_reached",
]
INVOLVEMENT_COLUMNS = [
    "lifeqi_id",
    "kind",
    "person",
    "person_type",
    "start_date",
    "end_date",
    "participants",
]
COLUMNS = {PROJECTS: PROJECT_COLUMNS, INVOLVEMENT: INVOLVEMENT_COLUMNS}

MEMBER = "member"
CREATE, UPDATE, UNCHANGED = "new", "update", "no change"
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")  # ISO, and the UK form Excel rewrites dates into

# What ``progress(stage, done, total)`` hears, in this order.
CHECKING, WRITING, LEVELS = "Checking rows", "Writing rows", "Updating involvement levels"
Progress = Callable[[str, int, int], None]
PROGRESS_EVERY = 1000  # rows between two reports while checking
BATCH = 1000  # rows per bulk insert or update (Django splits further where SQLite needs it)
CHUNK = 2000  # values per IN list when reading what is already recorded


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def _chunks(values: Iterable, size: int = CHUNK) -> Iterator[list]:
    """Lists of at most ``size`` values: IN lists stay under the databases' parameter limits."""
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not text, empty)."""


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    reason: str

    def __str__(self) -> str:
        return f"Row {self.row}, column {self.column}: {self.reason}"


@dataclass
class PreviewRow:
    row: int
    key: str  # what identifies the row to a person: Life QI id and title or person
    action: str = ""  # CREATE, UPDATE or UNCHANGED; empty when the row has errors
    detail: str = ""
    errors: list[RowError] = field(default_factory=list)


@dataclass
class Preview:
    kind: str
    rows: list[PreviewRow] = field(default_factory=list)
    file_errors: list[RowError] = field(default_factory=list)  # header problems

    @property
    def errors(self) -> list[RowError]:
        return self.file_errors + [error for row in self.rows for error in row.errors]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(row.action for row in self.rows if not row.errors)
        return {action: counted.get(action, 0) for action in (CREATE, UPDATE, UNCHANGED)}


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


class ImportRejected(Exception):
    """Raised by ``apply`` when any row is bad: nothing was written."""

    def __init__(self, preview: Preview):
        super().__init__(f"{len(preview.errors)} error(s): nothing was imported")
        self.preview = preview


# --- reading the file ----------------------------------------------------------------------------


# What a file that is not CSV text starts with, and what to tell the person who chose it.
_NOT_CSV = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip file (an Excel .xlsx workbook is one)"),
    (b"\xd0\xcf\x11\xe0", "an Excel .xls workbook or another Office document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (codecs.BOM_UTF16_LE, "UTF-16 text (Excel's “Unicode text”)"),
    (codecs.BOM_UTF16_BE, "UTF-16 text"),
)
_SAVE_AS_CSV = "In Excel, choose File → Save As → “CSV UTF-8 (Comma delimited)”, and upload that."


def check_is_text(data: bytes) -> None:
    """Refuse a file that is not CSV text, whatever its name says: the known signatures of other
    formats, and any NUL byte (binary data; PostgreSQL cannot store it as text either)."""
    for signature, what in _NOT_CSV:
        if data.startswith(signature):
            raise ImportFileError(f"This file is {what}, not a CSV file. {_SAVE_AS_CSV}")
    if b"\x00" in data:
        raise ImportFileError(f"This file holds binary data, not CSV text. {_SAVE_AS_CSV}")


def decode(data: bytes) -> str:
    """UTF-8 with or without a byte order mark; otherwise Windows-1252, which is what Excel's
    "CSV (Comma delimited)" writes on Windows. Files that are not text are refused
    (``check_is_text``)."""
    check_is_text(data)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError(
            "The file is not text this import can read: save it as CSV UTF-8 (or Excel's CSV)."
        ) from None


def _records(text: str, columns: list[str], preview: Preview) -> list[tuple[int, dict[str, str]]]:
    """The data rows as {column: stripped cell}, numbered as a spreadsheet shows them; header
    problems go to ``preview.file_errors`` (and then there are no rows)."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        preview.file_errors.append(RowError(1, "(header)", "the file is empty"))
        return []
    first_line = text.splitlines()[0]
    # Excel in some locales separates with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [cell.strip().lower().lstrip("\ufeff") for cell in next(reader)]
    expected = ", ".join(columns)
    for name, count in Counter(header).items():
        if count > 1 and name:
            preview.file_errors.append(RowError(1, name, "this column appears twice"))
    for name in header:
        if name and name not in columns:
            preview.file_errors.append(
                RowError(1, name, f"unknown column; the columns are: {expected}")
            )
    for name in columns:
        if name not in header:
            preview.file_errors.append(
                RowError(1, name, f"missing column; the columns are: {expected}")
            )
    if preview.file_errors:
        return []
    records = []
    for number, cells in enumerate(reader, start=2):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue  # blank lines (Excel leaves some at the end)
        if len(cells) > len(header) and any(cells[len(header) :]):
            preview.rows.append(
                PreviewRow(
                    number,
                    cells[0] if cells else "",
                    errors=[
                        RowError(
                            number,
                            "(row)",
                            f"{len(cells)} cells but the header has {len(header)} columns "
                            "(a comma inside a cell needs quotes)",
                        )
                    ],
                )
            )
            continue
        cells += [""] * (len(header) - len(cells))
        record = dict(zip(header, cells, strict=False))
        hidden = [name for name, cell in record.items() if CONTROL_CHARACTERS.search(cell)]
        if hidden:
            preview.rows.append(
                PreviewRow(
                    number,
                    cells[0],
                    errors=[
                        RowError(
                            number,
                            name,
                            "holds hidden control characters (a NUL, escape or similar): "
                            "retype the cell, or save the file again as CSV UTF-8",
                        )
                        for name in hidden
                    ],
                )
            )
            continue
        records.append((number, record))
    if not records and not preview.rows:
        preview.file_errors.append(RowError(2, "(row)", "the file has a header but no rows"))
    return records


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(value: str) -> datetime.date:
    if _ISO_DATE.fullmatch(value):
        # The common case, several times faster than strptime (120,000 rows have 150,000 dates).
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass  # 2024-13-01: the message below names it
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"“{value}” is not a date: write it as YYYY-MM-DD, for example 2024-03-27")


def _choice(value: str) -> str:
    """'Focus group', 'focus-group' and 'FOCUS_GROUP' all mean focus_group."""
    return "_".join(value.strip().lower().replace("-", " ").split())


class _Row:
    """Collects one row's errors as it is read."""

    def __init__(self, number: int, cells: dict[str, str]):
        self.number = number
        self.cells = cells
        self.errors: list[RowError] = []

    def error(self, column: str, reason: str) -> None:
        self.errors.append(RowError(self.number, column, reason))

    def date(self, column: str, *, required: bool) -> datetime.date | None:
        value = self.cells[column]
        if not value:
            if required:
                self.error(column, "empty: a date is needed (YYYY-MM-DD)")
            return None
        try:
            return _date(value)
        except ValueError as problem:
            self.error(column, str(problem))
            return None

    def model_errors(self, error: ValidationError, columns: dict[str, str]) -> None:
        for name, messages in error.message_dict.items():
            for message in messages:
                self.error(columns.get(name, name), message)


# --- Life QI projects ----------------------------------------------------------------------------

_STATUSES = {_choice(value): value for value in ProjectStatus.values} | {
    _choice(label): value for value, label in ProjectStatus.choices
}
_AIMS = {"yes": AimReached.YES, "no": AimReached.NO, "": AimReached.NOT_RECORDED}
_PROJECT_FIELDS = {
    "title": "title",
    "directorate": "directorate",
    "lead_name": "lead",
    "aim": "aim",
    "start_date": "start_date",
    "end_date": "end_date",
    "status": "status",
    "aim_reached": "aim_reached",
    "lifeqi_id": "lifeqi_id",
}


def _directorates() -> dict[str, Directorate]:
    found = {}
    for directorate in Directorate.objects.all():
        found[directorate.name.casefold()] = directorate
        found[directorate.slug.casefold()] = directorate
    return found


def _project_values(row: _Row, directorates: dict[str, Directorate]) -> dict | None:
    cells = row.cells
    title = " ".join(cells["title"].split())
    if not title:
        row.error("title", "empty: every project needs a title")
    directorate = directorates.get(cells["directorate"].casefold())
    if not cells["directorate"]:
        row.error("directorate", "empty: every project belongs to a directorate")
    elif directorate is None:
        row.error(
            "directorate",
            f"unknown directorate “{cells['directorate']}”: an admin adds it in the admin site "
            "first (imports do not create directorates)",
        )
    start = row.date("start_date", required=True)
    end = row.date("end_date", required=False)
    if start and end and end < start:
        row.error("end_date", "the end date is before the start date")
    status = _STATUSES.get(_choice(cells["status"]))
    if status is None:
        row.error(
            "status",
            f"unknown status “{cells['status']}”: use draft, active, completed or stopped",
        )
    aim_reached = _AIMS.get(cells["aim_reached"].lower())
    if aim_reached is None:
        row.error("aim_reached", f"“{cells['aim_reached']}”: use yes, no or leave it empty")
    if status in ENDED_STATUSES and not end and "end_date" not in {e.column for e in row.errors}:
        row.error("end_date", "empty: a completed or stopped project needs an end date")
    if status and status not in ENDED_STATUSES and aim_reached:
        row.error("aim_reached", "only a completed or stopped project has an outcome")
    if row.errors:
        return None
    return {
        "title": title,
        "directorate": directorate,
        "lead_name": cells["lead"],
        "aim": cells["aim"],
        "start_date": start,
        "end_date": end,
        "status": status,
        "aim_reached": aim_reached,
    }


def _changes(project: Project, values: dict) -> list[str]:
    return [name for name, value in values.items() if getattr(project, name) != value]


# Not checked field by field: a foreign key's check is a query per row. The directorate was found
# in the database already; the others are not in the file.
_PROJECT_UNCHECKED = [field.name for field in Project._meta.concrete_fields if field.is_relation]
# The fields the derived level table depends on: changing only a title rebuilds nothing.
_LEVEL_FIELDS = {"start_date", "end_date", "status", "directorate"}


def _model_errors(instance, exclude: list[str]) -> ValidationError | None:
    """``full_clean`` without its queries: the fields (but ``exclude``) and ``clean()``. The
    unique Life QI id and the overlap of memberships are checked against what was read in bulk."""
    errors: dict = {}
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        instance.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    return ValidationError(errors) if errors else None


@dataclass
class _ProjectPlan:
    entry: PreviewRow
    project: Project
    changed: list[str]


def _plan_projects(text: str, progress: Progress = _no_progress) -> tuple[Preview, list]:
    preview = Preview(PROJECTS)
    records = _records(text, PROJECT_COLUMNS, preview)
    directorates = _directorates()
    ids = {cells["lifeqi_id"] for _, cells in records if cells["lifeqi_id"]}
    existing = {}
    for chunk in _chunks(ids):
        existing.update(
            (p.lifeqi_id, p)
            for p in Project.objects.filter(lifeqi_id__in=chunk).select_related("directorate")
        )
    seen: dict[str, int] = {}
    plans: list[_ProjectPlan] = []
    total = len(records)
    for index, (number, cells) in enumerate(records):
        if index % PROGRESS_EVERY == 0:
            progress(CHECKING, index, total)
        row = _Row(number, cells)
        lifeqi_id = cells["lifeqi_id"]
        if not lifeqi_id:
            row.error("lifeqi_id", "empty: a second import finds the project by its Life QI id")
        elif lifeqi_id in seen:
            row.error("lifeqi_id", f"{lifeqi_id} is also on row {seen[lifeqi_id]}")
        else:
            seen[lifeqi_id] = number
        values = _project_values(row, directorates)
        entry = PreviewRow(number, f"{lifeqi_id} {cells['title']}".strip())
        if values is not None and not row.errors:
            project = existing.get(lifeqi_id) or Project(lifeqi_id=lifeqi_id)
            changed = _changes(project, values) if project.pk else []
            for name, value in values.items():
                setattr(project, name, value)
            problem = _model_errors(project, _PROJECT_UNCHECKED)
            if problem:
                row.model_errors(problem, _PROJECT_FIELDS)
            if not row.errors:
                if project.pk is None:
                    entry.action, entry.detail = CREATE, "new project"
                elif changed:
                    entry.action = UPDATE
                    entry.detail = "changes " + ", ".join(_PROJECT_FIELDS[n] for n in changed)
                else:
                    entry.action, entry.detail = UNCHANGED, "already up to date"
                plans.append(_ProjectPlan(entry, project, changed))
        entry.errors = row.errors
        preview.rows.append(entry)
    progress(CHECKING, total, total)
    return preview, plans


def _apply_projects(text: str, progress: Progress, user) -> tuple[Preview, ImportResult]:
    preview, plans = _plan_projects(text, progress)
    if not preview.ok:
        raise ImportRejected(preview)
    new = [plan.project for plan in plans if plan.entry.action == CREATE]
    changed = [plan for plan in plans if plan.entry.action == UPDATE]
    total, done = len(new) + len(changed), 0
    progress(WRITING, done, total)
    for batch in _chunks(new, BATCH):
        Project.objects.bulk_create(batch)
        done += len(batch)
        progress(WRITING, done, total)
    # bulk_update sets no auto_now field: stamp updated_at as save() would.
    now = timezone.now()
    fields = sorted({name for plan in changed for name in plan.changed} | {"updated_at"})
    for plan in changed:
        plan.project.updated_at = now
    for batch in _chunks(changed, BATCH):
        Project.objects.bulk_update([plan.project for plan in batch], fields)
        done += len(batch)
        progress(WRITING, done, total)
    # Bulk writes send no post_save: say which projects' levels to rebuild.
    levels.projects_changed(
        [project.pk for project in new]
        + [plan.project.pk for plan in changed if _LEVEL_FIELDS.intersection(plan.changed)]
    )
    return preview, _result(preview)


# --- involvement: team memberships and little-i activities ---------------------------------------

_ACTIVITY_KINDS = {_choice(v): v for v in ActivityKind.values} | {
    _choice(label): value for value, label in ActivityKind.choices
}
_PERSON_KINDS = {_choice(v): v for v in PersonKind.values} | {
    _choice(label): value for value, label in PersonKind.choices
}
_NAME_LENGTH = Person._meta.get_field("name").max_length
_MEMBERSHIP_FIELDS = {"start_date": "start_date", "end_date": "end_date", "person": "person"}
_ACTIVITY_FIELDS = {"date": "start_date", "participants": "participants"}


@dataclass
class _PersonRef:
    """A person named in the file: found in the register, or to be created on apply."""

    directorate_id: int
    name: str
    kind: str
    existing: Person | None

    @property
    def key(self) -> tuple[int, str]:
        return (self.directorate_id, self.name.casefold())


@dataclass(frozen=True)
class _Recorded:
    """A membership or activity already in the database, as far as an import needs it: read as
    plain values, since making a model instance of each of 100,000 rows cost seconds."""

    pk: int
    start: datetime.date  # a membership's start date; an activity's date
    end: datetime.date | None = None  # a membership's
    participants: int = 0  # an activity's


@dataclass
class _MemberPlan:
    entry: PreviewRow
    project: Project
    person: _PersonRef
    start: datetime.date
    end: datetime.date | None
    existing: _Recorded | None


@dataclass
class _ActivityPlan:
    project: Project
    kind: str
    date: datetime.date
    participants: int | None
    people: list[_PersonRef] = field(default_factory=list)
    entries: list[PreviewRow] = field(default_factory=list)
    existing: _Recorded | None = None
    known_people: set[int] = field(default_factory=set)  # already named on ``existing``


def _probe(probes: dict, model, project: Project):
    """One unsaved instance per project whose ``clean()`` checks each row's dates against the
    project's: making a model instance for each of 120,000 rows cost seconds."""
    if project.pk not in probes:
        probes[project.pk] = model(project=project)
    return probes[project.pk]


def _overlap(a_start, a_end, b_start, b_end) -> bool:
    return (a_end is None or a_end >= b_start) and (b_end is None or b_end >= a_start)


def _plan_involvement(
    text: str, progress: Progress = _no_progress
) -> tuple[Preview, list[_MemberPlan], list[_ActivityPlan]]:
    preview = Preview(INVOLVEMENT)
    records = _records(text, INVOLVEMENT_COLUMNS, preview)
    ids = {cells["lifeqi_id"] for _, cells in records if cells["lifeqi_id"]}
    projects: dict[str, Project] = {}
    for chunk in _chunks(ids):
        projects.update(
            (p.lifeqi_id, p)
            for p in Project.objects.filter(lifeqi_id__in=chunk).select_related("directorate")
        )
    directorate_ids = {p.directorate_id for p in projects.values()}
    register: dict[tuple[int, str], list[Person]] = {}
    for person in Person.objects.filter(directorates__in=directorate_ids).prefetch_related(
        "directorates"
    ):
        for directorate in person.directorates.all():
            if directorate.pk in directorate_ids:
                register.setdefault((directorate.pk, person.name.casefold()), []).append(person)
    # The memberships already recorded on these projects, by (project, person), in start order.
    recorded: dict[tuple[int, int], list[_Recorded]] = {}
    for chunk in _chunks(project.pk for project in projects.values()):
        for pk, project_id, person_id, start, end in (
            TeamMembership.objects.filter(project_id__in=chunk)
            .order_by("start_date", "pk")
            .values_list("pk", "project_id", "person_id", "start_date", "end_date")
        ):
            recorded.setdefault((project_id, person_id), []).append(_Recorded(pk, start, end))
    people: dict[tuple[int, str], _PersonRef] = {}
    members: list[_MemberPlan] = []
    # The file's memberships so far, by (project, person): the overlap check looks at these only.
    planned: dict[tuple[int, tuple[int, str]], list[_MemberPlan]] = {}
    activities: dict[tuple[int, str, datetime.date], _ActivityPlan] = {}
    activity_rows: dict[tuple[int, str, datetime.date], int] = {}
    member_probes: dict[int, TeamMembership] = {}
    activity_probes: dict[int, Activity] = {}

    total = len(records)
    for index, (number, cells) in enumerate(records):
        if index % PROGRESS_EVERY == 0:
            progress(CHECKING, index, total)
        row = _Row(number, cells)
        entry = PreviewRow(number, " ".join(filter(None, [cells["lifeqi_id"], cells["person"]])))
        preview.rows.append(entry)
        project = projects.get(cells["lifeqi_id"])
        if not cells["lifeqi_id"]:
            row.error("lifeqi_id", "empty: the Life QI id says which project the row is for")
        elif project is None:
            row.error(
                "lifeqi_id",
                f"no project has Life QI id {cells['lifeqi_id']}: import the projects first",
            )
        kind_text = _choice(cells["kind"])
        kind = MEMBER if kind_text == MEMBER else _ACTIVITY_KINDS.get(kind_text)
        if kind is None:
            row.error(
                "kind",
                f"unknown kind “{cells['kind']}”: use member, " + ", ".join(ActivityKind.values),
            )
        person_kind = PersonKind.SERVICE_USER
        if cells["person_type"]:
            person_kind = _PERSON_KINDS.get(_choice(cells["person_type"]))
            if person_kind is None:
                row.error(
                    "person_type",
                    f"unknown person type “{cells['person_type']}”: use service_user, carer "
                    "or both",
                )
        if kind == MEMBER and not cells["person"]:
            row.error("person", "empty: a member row needs the person's name")
        if len(" ".join(cells["person"].split())) > _NAME_LENGTH:
            row.error("person", f"longer than {_NAME_LENGTH} characters: is it a name?")
        start = row.date("start_date", required=True)
        end = row.date("end_date", required=False)
        participants = None
        if kind == MEMBER:
            if start and end and end < start:
                row.error("end_date", "the end date is before the start date")
        elif kind is not None:
            if end and end != start:
                row.error("end_date", "an activity has one date (start_date): leave this empty")
            if cells["participants"]:
                try:
                    participants = int(cells["participants"])
                    if participants < 1:
                        raise ValueError
                except ValueError:
                    row.error(
                        "participants",
                        f"“{cells['participants']}” is not a number of people (1 or more)",
                    )
        person = None
        if (
            project is not None
            and cells["person"]
            and "person_type" not in {e.column for e in row.errors}
        ):
            name = " ".join(cells["person"].split())
            key = (project.directorate_id, name.casefold())
            matches = register.get(key, [])
            if len(matches) > 1:
                row.error(
                    "person",
                    f"{len(matches)} people called {name} are in the register of "
                    f"{project.directorate}: add this one in the app",
                )
            else:
                person = people.setdefault(
                    key,
                    _PersonRef(
                        project.directorate_id, name, person_kind, matches[0] if matches else None
                    ),
                )
        if row.errors or project is None or start is None:
            entry.errors = row.errors
            continue

        if kind == MEMBER:
            candidate = _probe(member_probes, TeamMembership, project)
            candidate.start_date, candidate.end_date = start, end
            try:
                candidate.clean()  # dates within the project's (no person yet: no overlap check)
            except ValidationError as error:
                row.model_errors(error, _MEMBERSHIP_FIELDS)
            existing = None
            if not row.errors and person.existing is not None:
                theirs = recorded.get((project.pk, person.existing.pk), [])
                existing = next((m for m in theirs if m.start == start), None)
                clash = next(
                    (
                        m
                        for m in theirs
                        if m.start != start and _overlap(m.start, m.end, start, end)
                    ),
                    None,
                )
                if clash:
                    row.error(
                        "start_date",
                        f"{person.name} is already on this team from {clash.start:%Y-%m-%d}"
                        " and the dates overlap",
                    )
            for other in planned.get((project.pk, person.key), []):
                if other.start == start:
                    row.error("start_date", f"the same membership is on row {other.entry.row}")
                elif _overlap(other.start, other.end, start, end):
                    row.error(
                        "start_date",
                        f"overlaps {person.name}'s membership on row {other.entry.row}",
                    )
            if not row.errors:
                if existing is None:
                    entry.action = CREATE
                    entry.detail = f"new team member from {start:%-d %b %Y}" + (
                        " (new person in the register)" if person.existing is None else ""
                    )
                elif existing.end != end:
                    entry.action, entry.detail = UPDATE, "changes end_date"
                else:
                    entry.action, entry.detail = UNCHANGED, "already recorded"
                plan = _MemberPlan(entry, project, person, start, end, existing)
                members.append(plan)
                planned.setdefault((project.pk, person.key), []).append(plan)
        else:
            candidate = _probe(activity_probes, Activity, project)
            candidate.kind, candidate.date, candidate.participants = kind, start, 1
            try:
                candidate.clean()
            except ValidationError as error:
                row.model_errors(error, _ACTIVITY_FIELDS)
            key = (project.pk, kind, start)
            plan = activities.get(key)
            if plan is not None and participants is not None:
                if plan.participants is not None and plan.participants != participants:
                    row.error(
                        "participants",
                        f"row {activity_rows[key]} gives {plan.participants} for the same "
                        "activity (same project, kind and date)",
                    )
            if not row.errors:
                if plan is None:
                    plan = activities[key] = _ActivityPlan(project, kind, start, participants)
                    activity_rows[key] = number
                elif participants is not None:
                    plan.participants = participants
                if person is not None and all(ref.key != person.key for ref in plan.people):
                    plan.people.append(person)
                plan.entries.append(entry)
        entry.errors = row.errors

    for plan in activities.values():
        if plan.participants is not None and len(plan.people) > plan.participants:
            last = plan.entries[-1]
            last.errors.append(
                RowError(
                    last.row,
                    "participants",
                    f"{len(plan.people)} people are named for this activity (rows "
                    + ", ".join(str(entry.row) for entry in plan.entries)
                    + f") but participants is {plan.participants}",
                )
            )
    _describe_activities(list(activities.values()))
    progress(CHECKING, total, total)
    return preview, members, list(activities.values())


def _describe_activities(plans: list[_ActivityPlan]) -> None:
    """Say for each activity row whether it creates, updates or leaves an activity alone."""
    if not plans:
        return
    # The projects' activities and who is named on them, read by chunks of projects (the people
    # through the link table, joined: no IN list of every activity).
    project_ids = {plan.project.pk for plan in plans}
    found: dict[tuple[int, str, datetime.date], _Recorded] = {}
    named: dict[int, set[int]] = {}
    link = Activity.people.through
    for chunk in _chunks(project_ids):
        for pk, project_id, kind, day, participants in (
            Activity.objects.filter(project_id__in=chunk)
            .order_by("pk")
            .values_list("pk", "project_id", "kind", "date", "participants")
        ):
            found.setdefault((project_id, kind, day), _Recorded(pk, day, None, participants))
        for activity_id, person_id in link.objects.filter(
            activity__project_id__in=chunk
        ).values_list("activity_id", "person_id"):
            named.setdefault(activity_id, set()).add(person_id)
    for plan in plans:
        plan.existing = found.get((plan.project.pk, plan.kind, plan.date))
        if plan.existing is None:
            action, detail = CREATE, f"new {ActivityKind(plan.kind).label.lower()}"
        else:
            known = plan.known_people = named.get(plan.existing.pk, set())
            adds_people = any(
                ref.existing is None or ref.existing.pk not in known for ref in plan.people
            )
            changes_count = (
                plan.participants is not None and plan.participants != plan.existing.participants
            )
            if adds_people or changes_count:
                action, detail = (
                    UPDATE,
                    "changes "
                    + ", ".join(
                        name
                        for name, changed in (
                            ("participants", changes_count),
                            ("people", adds_people),
                        )
                        if changed
                    ),
                )
            else:
                action, detail = UNCHANGED, "already recorded"
        first = plan.entries[0]
        first.action, first.detail = action, detail
        for entry in plan.entries[1:]:
            # Several rows can describe one activity (one row per person): the first carries it.
            entry.action = UNCHANGED if action == UNCHANGED else UPDATE
            entry.detail = f"same activity as row {first.row}"


def _apply_involvement(text: str, progress: Progress, user) -> tuple[Preview, ImportResult]:
    preview, members, activities = _plan_involvement(text, progress)
    if not preview.ok:
        raise ImportRejected(preview)
    counts = preview.counts
    total, done = counts[CREATE] + counts[UPDATE], 0
    progress(WRITING, done, total)
    saved = _add_people(members, activities, user)

    def person_of(ref: _PersonRef) -> Person:
        return ref.existing if ref.existing is not None else saved[ref.key]

    touched: set[int] = set()
    adapt_date = connection.ops.adapt_datefield_value
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    new_members = [plan for plan in members if plan.existing is None]
    role = TeamMembership._meta.get_field("role").get_default()
    for batch in _chunks(new_members, BATCH * 5):
        _create_with_history(
            TeamMembership,
            [
                {
                    "project_id": plan.project.pk,
                    "person_id": person_of(plan.person).pk,
                    "role": role,
                    "start_date": adapt_date(plan.start),
                    "end_date": adapt_date(plan.end),
                    "created_by_id": None,
                    "created_at": now,
                }
                for plan in batch
            ],
            user,
        )
        touched.update(plan.project.pk for plan in batch)
        done += len(batch)
        progress(WRITING, done, total)
    ended = {
        plan.existing.pk: plan
        for plan in members
        if plan.existing and plan.existing.end != plan.end
    }
    for batch in _chunks(ended, BATCH):
        # Whole instances for these few: the history record copies every field.
        changed = list(TeamMembership.objects.filter(pk__in=batch))
        for membership in changed:
            membership.end_date = ended[membership.pk].end
        bulk_update_with_history(changed, TeamMembership, ["end_date"], default_user=user)
        touched.update(membership.project_id for membership in changed)
        done += len(batch)
        progress(WRITING, done, total)

    # Activities are most of a file's rows: plain inserts (``projects.bulk``).
    activity_ids = {id(plan): plan.existing.pk for plan in activities if plan.existing}
    note = Activity._meta.get_field("note").get_default()
    new = [plan for plan in activities if plan.existing is None]
    for batch in _chunks(new, BATCH * 5):
        ids = insert_rows(
            Activity,
            ["project", "kind", "date", "participants", "note", "created_at"],
            [
                (
                    plan.project.pk,
                    plan.kind,
                    adapt_date(plan.date),
                    plan.participants or max(1, len(plan.people)),
                    note,
                    now,
                )
                for plan in batch
            ],
            returning=True,
        )
        activity_ids.update(zip(map(id, batch), ids, strict=True))
        touched.update(plan.project.pk for plan in batch)
        done += sum(len(plan.entries) for plan in batch)
        progress(WRITING, done, total)
    recounted = [
        Activity(pk=plan.existing.pk, participants=plan.participants)
        for plan in activities
        if plan.existing is not None
        and plan.participants is not None
        and plan.existing.participants != plan.participants
    ]
    for batch in _chunks(recounted, BATCH):
        Activity.objects.bulk_update(batch, ["participants"])
    insert_rows(
        Activity.people.through,
        ["activity", "person"],
        [
            (activity_ids[id(plan)], person.pk)
            for plan in activities
            for person in (person_of(ref) for ref in plan.people)
            if person.pk not in plan.known_people
        ],
    )
    done += sum(
        1
        for plan in activities
        if plan.existing is not None
        for entry in plan.entries
        if entry.action in (CREATE, UPDATE)
    )
    progress(WRITING, done, total)
    # Bulk writes send no post_save: say which projects' levels to rebuild (a changed head count
    # or a person named on an activity does not change a level).
    levels.projects_changed(touched)
    return preview, _result(preview)


def _create_with_history(model, rows: list[dict], user) -> list[int]:
    """Insert rows ({attname: database value}) of a model with django-simple-history, and the
    "created" record of each in its history table, as ``bulk_create_with_history`` would."""
    if not rows:
        return []
    fields = list(rows[0])
    values = [tuple(row[name] for name in fields) for row in rows]
    ids = insert_rows(model, fields, values, returning=True)
    history = model.history.model
    tracked = [field.attname for field in history.tracked_fields]
    pk = model._meta.pk.attname
    stamp = {
        "history_date": connection.ops.adapt_datetimefield_value(timezone.now()),
        "history_change_reason": None,
        "history_type": "+",
        "history_user_id": user.pk if user is not None else None,
    }
    insert_rows(
        history,
        tracked + list(stamp),
        [
            tuple({**row, pk: new_id}[name] for name in tracked) + tuple(stamp.values())
            for new_id, row in zip(ids, rows, strict=True)
        ],
    )
    return ids


def _add_people(
    members: list[_MemberPlan], activities: list[_ActivityPlan], user
) -> dict[tuple[int, str], Person]:
    """Add the people the file names who are not in the register yet, each to the directorate of
    the project they were named on, with their history: one "created" record that already holds
    the directorate (as the person page's history shows it)."""
    refs: dict[tuple[int, str], _PersonRef] = {}
    for plan in members:
        if plan.existing is None and plan.person.existing is None:
            refs.setdefault(plan.person.key, plan.person)
    for plan in activities:
        for ref in plan.people:
            if ref.existing is None:
                refs.setdefault(ref.key, ref)
    if not refs:
        return {}
    saved = {key: Person(name=ref.name, kind=ref.kind) for key, ref in refs.items()}
    for person in saved.values():
        person.full_clean()  # no query: a new person has no sign-in yet
    Person.objects.bulk_create(list(saved.values()), batch_size=BATCH)
    link = Person.directorates.through
    links = link.objects.bulk_create(
        [link(person_id=saved[key].pk, directorate_id=key[0]) for key in saved],
        batch_size=BATCH,
    )
    history = Person.history.bulk_history_create(
        list(saved.values()), batch_size=BATCH, default_user=user
    )
    if history:  # None when SIMPLE_HISTORY_ENABLED is off
        # simple_history's own m2m records, which directorates.add() would have written.
        m2m_history = apps.get_model("involvement", "HistoricalPerson_directorates")
        record_of = {record.id: record for record in history}
        m2m_history.objects.bulk_create(
            [
                m2m_history(
                    history=record_of[row.person_id],
                    id=row.pk,
                    person_id=row.person_id,
                    directorate_id=row.directorate_id,
                )
                for row in links
            ],
            batch_size=BATCH,
        )
    return saved


def _result(preview: Preview) -> ImportResult:
    """Counted in rows: a second run of the same file counts every row as "no change"."""
    counts = preview.counts
    return ImportResult(counts[CREATE], counts[UPDATE], counts[UNCHANGED])


# --- the two entry points ------------------------------------------------------------------------


def parse(kind: str, text: str, *, progress: Progress | None = None) -> Preview:
    """Check every row; write nothing."""
    progress = progress or _no_progress
    if kind == PROJECTS:
        return _plan_projects(text, progress)[0]
    if kind == INVOLVEMENT:
        return _plan_involvement(text, progress)[0]
    raise ValueError(f"unknown import kind {kind!r}")


def apply(
    kind: str, text: str, *, progress: Progress | None = None, user=None
) -> tuple[Preview, ImportResult]:
    """Check every row again and write them all in one transaction, or nothing
    (``ImportRejected`` carries the preview with its errors). ``user`` is who the audit history
    names for the people and memberships written (the signed-in admin on the pages)."""
    if kind not in COLUMNS:
        raise ValueError(f"unknown import kind {kind!r}")
    progress = progress or _no_progress

    def rebuilding(done: int, total: int) -> None:
        progress(LEVELS, done, total)

    with transaction.atomic():
        with levels.deferred_rebuilds(progress=rebuilding):
            if kind == PROJECTS:
                return _apply_projects(text, progress, user)
            return _apply_involvement(text, progress, user)
