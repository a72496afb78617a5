"""Who fits which project or opportunity, and why: pure ranking, no Django and no database.

The callers (``involvement.selectors_people``) turn people into ``Profile``s and projects or
opportunities into ``Need``s; this module decides who fits, ranks them and says why in words, e.g.
"interests: data, measurement; available Tuesdays, remote".

The rule:
- a person fits a need when they can meet the way it meets (remote, in person, or either on one
  side), share at least one of its interests when it names any, and share a day (and a time of
  day) when both sides name some — a person who has not said when they are free is not ruled out;
- fits are ranked by the number of shared interests, then shared days, then shared times of day,
  then by name, so the order is stable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Day values as stored (involvement.choices.Day), in week order, with the words of a reason.
DAYS = {
    "mon": "Mondays",
    "tue": "Tuesdays",
    "wed": "Wednesdays",
    "thu": "Thursdays",
    "fri": "Fridays",
    "sat": "Saturdays",
    "sun": "Sundays",
}
TIMES = {"morning": "mornings", "afternoon": "afternoons", "evening": "evenings"}
REMOTE, IN_PERSON, EITHER = "remote", "in_person", "either"
ATTENDANCE = {REMOTE: "remote", IN_PERSON: "in person", EITHER: "remote or in person"}


@dataclass(frozen=True)
class Profile:
    """A person as matching sees them."""

    key: object
    name: str
    interests: frozenset[str] = frozenset()
    days: frozenset[str] = frozenset()
    times: frozenset[str] = frozenset()
    attendance: str = EITHER


@dataclass(frozen=True)
class Need:
    """What a project or an opportunity asks for."""

    key: object
    title: str
    interests: frozenset[str] = frozenset()
    days: frozenset[str] = frozenset()
    times: frozenset[str] = frozenset()
    attendance: str = EITHER


@dataclass(frozen=True)
class Match:
    profile: Profile
    need: Need
    interests: tuple[str, ...]
    days: tuple[str, ...]
    times: tuple[str, ...]
    attendance: str
    reason: str

    @property
    def score(self) -> tuple[int, int, int]:
        """Shared interests, days, times of day: bigger is better."""
        return (len(self.interests), len(self.days), len(self.times))


def _common_attendance(person: str, need: str) -> str | None:
    if person == EITHER:
        return need
    if need == EITHER or need == person:
        return person
    return None


def _and(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _reason(
    need: Need,
    interests: tuple[str, ...],
    days: tuple[str, ...],
    times: tuple[str, ...],
    attendance: str,
) -> str:
    parts = []
    if interests:
        parts.append("interests: " + ", ".join(name.lower() for name in interests))
    elif not need.interests:
        parts.append("any interests welcome")
    when = []
    if days:
        when.append(_and([DAYS[d] for d in days]))
    if times:
        when.append(_and([TIMES[t] for t in times]))
    when.append(ATTENDANCE[attendance])
    prefix = "available " if days or times else ""
    if not days:
        prefix = "days not given, " + prefix
    parts.append(prefix + ", ".join(when))
    return "; ".join(parts)


def _ordered(values: Iterable[str], order: dict[str, str]) -> tuple[str, ...]:
    chosen = set(values)
    return tuple(value for value in order if value in chosen)


def match(profile: Profile, need: Need) -> Match | None:
    """The match of one person with one need, or None when they do not fit."""
    attendance = _common_attendance(profile.attendance, need.attendance)
    if attendance is None:
        return None
    interests = tuple(sorted(profile.interests & need.interests, key=str.casefold))
    if need.interests and not interests:
        return None
    if need.days and profile.days:
        days = _ordered(profile.days & need.days, DAYS)
        if not days:
            return None
    else:
        # Nothing to compare: show the days the person gave, without counting them.
        days = _ordered(profile.days, DAYS)
    if need.times and profile.times:
        times = _ordered(profile.times & need.times, TIMES)
        if not times:
            return None
    else:
        times = _ordered(profile.times, TIMES)
    return Match(
        profile=profile,
        need=need,
        interests=interests,
        days=days if need.days else (),
        times=times if need.times else (),
        attendance=attendance,
        reason=_reason(need, interests, days, times, attendance),
    )


def rank_people(need: Need, profiles: Iterable[Profile]) -> list[Match]:
    """The people who fit ``need``, best first (ties by name)."""
    matches = [m for m in (match(p, need) for p in profiles) if m is not None]
    return sorted(
        matches,
        key=lambda m: (tuple(-s for s in m.score), m.profile.name.casefold(), str(m.profile.key)),
    )


def rank_needs(profile: Profile, needs: Iterable[Need]) -> list[Match]:
    """The projects or opportunities ``profile`` fits, best first (ties by title)."""
    matches = [m for m in (match(profile, n) for n in needs) if m is not None]
    return sorted(
        matches,
        key=lambda m: (tuple(-s for s in m.score), m.need.title.casefold(), str(m.need.key)),
    )
