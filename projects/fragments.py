"""Cached page fragments that stay right because every write is seen (issue 10).

Most of a page's time goes on what changes only when someone writes: the claims waiting, a
person's teams, the people register. A fragment (``{% fragment %}`` in ``projects/templatetags/
fragments.py``) is rendered once and served from the cache until a table it read is written.

How the "until" is known, without a list of dependencies to keep by hand:

- **Reads are recorded.** While a fragment renders, every SELECT that goes through Django's
  database cursor names its tables; the fragment is stored with those tables' generations.
- **Writes are seen at the database cursor.** Every INSERT, UPDATE, DELETE and TRUNCATE (the
  ORM's saves, ``bulk_create``, ``update()``, raw SQL) bumps its table's generation, once at the
  statement and once after the transaction commits (a reader between the two may have cached what
  was there before the commit; the second bump makes that entry unreachable). ``COPY`` does not
  pass the cursor's wrappers, so the few places that use it call :func:`written`.
- **A hit checks the generations** of the fragment's tables (one cache read) and renders afresh if
  any moved. Generations are read *before* a fragment's queries run, so a write racing the render
  can only make the stored copy look older than it is, never newer.

Generations live in the cache (``CACHE_URL``: one Redis for every worker; the README says why
several workers need it). A generation missing from the cache (evicted, or a fresh cache) starts at
the clock's nanoseconds, so it never meets a number an older entry was stored with.
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import logging
import operator
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.utils.functional import SimpleLazyObject, new_method_proxy

# A fragment is kept this long at most (its key changes every hour anyway, see the tag).
TIMEOUT = 2 * 60 * 60  # seconds
# How much of its recent fragments each process keeps in memory (characters, about bytes).
RECENT_CHARS = 32 * 1024 * 1024

_PREFIX = "bigi:gen:"
# The statement's first table, after any leading comment. SQLite's many-to-many adds are
# INSERT OR IGNORE; PostgreSQL's are INSERT … ON CONFLICT.
_WRITE = re.compile(
    r"^\s*(?:/\*.*?\*/\s*|--[^\n]*\n\s*)*"
    r"(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM|(TRUNCATE)(?:\s+TABLE)?)"
    r'\s+(?:ONLY\s+)?"?(\w+)"?',
    re.IGNORECASE | re.DOTALL,
)
# PostgreSQL's flush empties every table in one TRUNCATE "a", "b", … RESTART IDENTITY.
_TRUNCATE_OPTIONS = re.compile(r"\b(?:RESTART|CONTINUE|CASCADE|RESTRICT)\b|;", re.IGNORECASE)
_NAME = re.compile(r'"?(\w+)"?')
# A statement that writes without naming its table first (a WITH … UPDATE, say): Django does not
# make these; if one ever runs, every fragment is rebuilt rather than one left stale.
_OTHER_WRITE = re.compile(r"^\s*WITH\b.*\b(?:INSERT|UPDATE|DELETE)\b", re.IGNORECASE | re.DOTALL)
# Signing in sets the user's last_login; no fragment shows it, and bumping auth_user would drop
# every fragment of every user at each sign-in.
_LAST_LOGIN = re.compile(r'^\s*UPDATE\s+"auth_user"\s+SET\s+"last_login"\s*=\s*%s\s+WHERE', re.I)
_READ = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)
# Written on every request (the session's expiry) or sign-in (django-axes): no fragment reads
# them, and bumping them would cost a cache write per page view.
_IGNORED = frozenset(
    {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}
)
# Who the user is and where they work: a fragment keyed by the user depends on these even when the
# view read them before the fragment began (the access helpers keep them on the user object).
ALWAYS = frozenset({"auth_user", "auth_user_groups", "projects_directorate_staff"})

logger = logging.getLogger(__name__)

_recording: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar(
    "bigi_fragment_reads", default=None
)


def _key(table: str) -> str:
    return _PREFIX + table


@functools.cache
def _all_tables() -> tuple[str, ...]:
    return tuple(
        sorted(
            {
                model._meta.db_table
                for model in apps.get_models(include_auto_created=True)
                if model._meta.db_table not in _IGNORED
            }
        )
    )


def generations(tables) -> dict[str, int]:
    """The current generation of each table (missing ones started now)."""
    keys = {table: _key(table) for table in tables}
    found = cache.get_many(keys.values())
    result = {}
    for table, key in keys.items():
        value = found.get(key)
        if value is None:
            cache.add(key, time.time_ns(), None)
            value = cache.get(key)
        result[table] = value
    return result


def bump(table: str) -> None:
    key = _key(table)
    try:
        try:
            cache.incr(key)
        except ValueError:  # not in the cache: any new number differs from what entries hold
            cache.set(key, time.time_ns(), None)
    except Exception:  # noqa: BLE001 - the cache is down: the write must not fail for it
        # Fragments that read this table may show the old rows until their hour ends.
        logger.exception("Could not mark %s written in the cache", table)


class _BumpOnCommit:
    """The after-commit bump of one table, findable in ``connection.run_on_commit`` so a
    transaction registers it once per table however many rows it writes."""

    def __init__(self, table: str) -> None:
        self.table = table

    def __call__(self) -> None:
        bump(self.table)


def written(*models, using: str = "default") -> None:
    """Mark the tables of ``models`` written (for writes that bypass the cursor, such as COPY)."""
    written_tables(*(model._meta.db_table for model in models), using=using)


def written_tables(*tables: str, using: str = "default") -> None:
    for table in tables:
        _seen_write(connections[using], table)


def _seen_write(connection, table: str) -> None:
    if table in _IGNORED:
        return
    bump(table)
    if connection.in_atomic_block:
        pending = any(
            isinstance(entry[1], _BumpOnCommit) and entry[1].table == table
            for entry in connection.run_on_commit
        )
        if not pending:
            transaction.on_commit(_BumpOnCommit(table), using=connection.alias, robust=True)


def _watch(execute, sql, params, many, context):
    """The cursor wrapper: note the tables a statement writes, or reads while recording."""
    result = execute(sql, params, many, context)
    if isinstance(sql, str):
        for table in written_by(sql):
            _seen_write(context["connection"], table)
        reads = _recording.get()
        if reads is not None:
            reads.update(_READ.findall(sql))
    return result


def written_by(sql: str) -> list[str]:
    """The tables a statement writes (none for a read)."""
    found = _WRITE.match(sql)
    if found is None:
        return list(_all_tables()) if _OTHER_WRITE.match(sql) else []
    if found.group(1):  # TRUNCATE, perhaps of several tables
        names = _TRUNCATE_OPTIONS.split(sql[found.end(1) :], maxsplit=1)[0]
        return [n for n in _NAME.findall(names) if n.upper() not in {"TABLE", "ONLY"}]
    if _LAST_LOGIN.match(sql):
        return []
    return [found.group(2)]


def _install(sender, connection, **kwargs) -> None:
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def install() -> None:
    """Watch every database connection (called from ``ProjectsConfig.ready``)."""
    connection_created.connect(_install, dispatch_uid="bigi-fragments")
    for connection in connections.all(initialized_only=True):
        _install(None, connection)


def _record(tables) -> None:
    reads = _recording.get()
    if reads is not None:
        reads.update(tables)


def digest_key(prefix: str, parts) -> str:
    """A cache key for ``parts`` (values whose ``repr`` stands for them) under ``prefix``: what
    every cache of the app built from its inputs is keyed by."""
    return f"{prefix}:{hashlib.sha256(repr(parts).encode()).hexdigest()}"


def fragment_key(parts: tuple) -> str:
    return digest_key("bigi:fragment", (release(), parts))


@functools.cache
def release() -> str:
    """A digest of the app's code and templates: a deploy that changes them starts with no
    fragment of the release before (old markup, links or pickled objects), on every host alike."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    for folder in ("config", "projects", "involvement", "stories", "charts", "templates"):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in {".py", ".html"} and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _current(entry: tuple[dict, str]) -> bool:
    stored = entry[0]
    return generations(stored) == stored


class _Recent:
    """This process's copies of the fragments it served last, so a hit on a large one (twenty
    charts are 1.5 MB) is not fetched from Redis each time. A copy is used only while its tables'
    generations, read from the shared cache, still match: it is exactly as current as the shared
    copy."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.entries: OrderedDict[str, tuple[dict, object]] = OrderedDict()
        self.chars = 0
        self.lock = threading.Lock()

    def get(self, key: str):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: tuple[dict, object]) -> None:
        size = _text_size(entry[1])
        if size is None or size > self.max_chars:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.chars -= _text_size(old[1])
            self.entries[key] = entry
            self.chars += size
            while self.chars > self.max_chars:
                _, dropped = self.entries.popitem(last=False)
                self.chars -= _text_size(dropped[1])


def _text_size(value) -> int | None:
    """The characters of a value ``_Recent`` may share between requests: HTML, or a tuple of
    HTML and flags, which nothing can change. None for anything else: an object (a chart) comes
    from the shared cache as a fresh copy each time, so nothing one request does to it reaches
    the next."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, tuple) and all(isinstance(part, str | bool) for part in value):
        return sum(len(part) for part in value if isinstance(part, str))
    return None


_recent = _Recent(max_chars=RECENT_CHARS)


def cached(parts: tuple, build: Callable[[], object]):
    """The output of ``build()`` (HTML, or any value the cache can pickle), from the cache while
    no table it read has been written.

    ``parts`` must hold every value the output depends on other than the database (the user,
    the path with its query, the hour); ``build`` must read everything else it shows itself."""
    key = fragment_key(parts)
    entry = _recent.get(key)
    if entry is None or not _current(entry):
        entry = cache.get(key)  # another worker may have built it since
    if entry is not None and _current(entry):
        _recent.put(key, entry)
        _record(entry[0])  # an enclosing fragment depends on its tables too
        return entry[1]
    before = generations(_all_tables())
    outer = _recording.get()
    reads: set[str] = set(ALWAYS)
    token = _recording.set(reads)
    try:
        html = build()
    finally:
        _recording.reset(token)
    # Names the pattern caught that are not tables (a function after FROM) are dropped here.
    known = {table: before[table] for table in reads if table in before}
    cache.set(key, (known, html), TIMEOUT)
    _recent.put(key, (known, html))
    if outer is not None:
        outer.update(known)
    return html


class Lazy(SimpleLazyObject):
    """Django's lazy object, also standing in for a number: the templates' filters
    (``pluralize``, ``add``, ``floatformat``) and comparisons (``>=``) take the value itself."""

    __float__ = new_method_proxy(float)
    __int__ = new_method_proxy(int)
    __index__ = new_method_proxy(operator.index)
    __le__ = new_method_proxy(operator.le)
    __ge__ = new_method_proxy(operator.ge)
    __format__ = new_method_proxy(format)


def lazy(function: Callable, *args, **kwargs) -> Lazy:
    """``function(*args, **kwargs)``, called when a template first uses it: what a view puts in
    the context for a fragment, so that a cached fragment skips the work."""
    return Lazy(functools.partial(function, *args, **kwargs))


def lazy_context(function: Callable, *args, names: tuple[str, ...]) -> dict:
    """A template context whose ``names`` come from one call of ``function(*args)`` (a dict), made
    when the template first uses any of them."""
    shared = lazy(function, *args)
    return {name: lazy(operator.getitem, shared, name) for name in names}
