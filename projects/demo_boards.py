"""Demo idea boards, called by ``manage.py seed_demo`` after the projects, forums and people.

One closed board reproduces the seed's "Challenges and Barriers to Engagement" slide: its question,
every note in its column, the votes (with "SU chairing all QI forums" first) and its actions. It
was held at the Newham QI forum a month before the demo's change idea lifted Big I (see
``projects/demo.py``, ``STEP_MONTHS_AGO``). One open board, for the forum's next meeting, has the
demo ``ppl`` and ``su`` users invited.

Deterministic and idempotent: a board is found again by its forum and question, and nothing is
created twice. The chart annotation the closed board led to is made by the charts app
(``charts/demo.py``), which may write to the chart.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from involvement.months import add_months, month_of
from projects.demo import CHAIRED_BY_DEMO_CHAIR, STEP_MONTHS_AGO, _second_tuesday
from projects.models import Forum, ForumMeeting, MeetingStatus
from projects.models_boards import (
    ActionKind,
    Board,
    BoardAction,
    BoardParticipant,
    BoardStatus,
    Hat,
    Note,
    NoteAuthor,
    Vote,
    VotingStatus,
)

SEED_QUESTION = "What are the boundaries to increasing involvement?"
OPEN_QUESTION = "How can we make our QI forum easier to take part in?"

# The seed's slide, column by column, in its own words. The second value says who wrote the note:
# an index into the participants, or None for a note added anonymously.
SEED_NOTES: dict[str, list[tuple[str, int | None]]] = {
    Hat.INFORMATION: [
        ("PPLs have information", 1),
        ("% of projects with involvement falling", 0),
        ("Transparency of data through to PPLs", 5),
        ("Updating Life QI", 2),
        ("Impact covid has had on involvement", None),
        ("Perception among teams that involvement takes time", 3),
        ("Services without PPLs", 1),
    ],
    Hat.NEGATIVES: [
        ("Projects / services not patient centred", None),
        ("Fragile relationships with PPLs", None),
        ("How we communicate with SU's", 6),
        ("Lack of connection with SU's during covid", 4),
        ("Variation across PPL engagement", 5),
        ("Time it takes to co-produce", 2),
        ("Access to technology", 7),
    ],
    Hat.POSITIVES: [
        ("We have a Head of PP", 0),
        ("Policies and payment procedures are in place", 1),
        ("There is dedicated SU training", 4),
        ("Engaged SU's where involvement happening", 6),
        ("Many directorates have PPLs", 5),
        ("Senior Leaders advocate for involvement", 3),
        ("Can virtual be more accessible?", 7),
    ],
    Hat.FEELINGS: [
        ("Motivated to change", 4),
        ("SU's not getting the opportunity", None),
        ("Need to work in different ways with PPLs", None),
        ("Support once have completed training", 6),
    ],
    Hat.CREATIVE: [
        ("SU chairing all QI forums", 4),
        ("No new projects without assurance of coproduction", 0),
        ("SU approving projects", 6),
        ("IA PPL stronger relationships regular through catch ups", 5),
        ("Recruitment event", 1),
        ("Master classes alongside PP team on how to do coproduction in QI", 2),
        ("SU initiating project to increase involvement", None),
        ("Celebrating good coproduction", 3),
        ("Focus groups with SU's asking what they want to get out of experience", 7),
        ("Stories of projects with involvement", None),
    ],
    Hat.CONCLUSIONS: [
        ("Root cause not from lack of energy or ideas", 0),
        ("More meaningful data required", 1),
        ("Opportunity", None),
        ("Look through problem using old lenses/filters", 3),
        ("Improve accessibility into projects", 6),
        ("Relationship with PP is key", 5),
        ("A need to co-design our strategy", 4),
        ("No quality control from when we first saw improvement", 2),
    ],
}

# Three votes each, by participant index: (idea, votes). "SU chairing all QI forums" wins.
SEED_VOTES: dict[int, list[tuple[str, int]]] = {
    0: [("SU chairing all QI forums", 2), ("No new projects without assurance of coproduction", 1)],
    1: [("No new projects without assurance of coproduction", 2), ("Recruitment event", 1)],
    2: [("SU chairing all QI forums", 1), ("SU approving projects", 2)],
    3: [("SU chairing all QI forums", 1), ("Celebrating good coproduction", 2)],
    4: [("SU chairing all QI forums", 3)],
    5: [
        ("No new projects without assurance of coproduction", 2),
        ("Stories of projects with involvement", 1),
    ],
    6: [("SU chairing all QI forums", 2), ("SU approving projects", 1)],
    7: [
        ("Master classes alongside PP team on how to do coproduction in QI", 1),
        ("Focus groups with SU's asking what they want to get out of experience", 2),
    ],
}

RULE_ACTION = (
    "Made a rule of the QI programme: a new project goes live only with a service user or carer "
    "on its team, or a co-production plan signed off by a PPL of its directorate (Big I checks it)."
)

OPEN_NOTES: list[tuple[str, str, str | None]] = [
    (Hat.INFORMATION, "Meetings are on Tuesday afternoons, in person at the hub", "ppl"),
    (Hat.FEELINGS, "I don't like being asked for my view on the spot", None),
    (Hat.CREATIVE, "Send the papers a week before, with an acronym sheet", "su"),
    (Hat.CREATIVE, "Let people join by video as well as in the room", None),
]


def _users(usernames: list[str]) -> list:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=usernames)}
    return [users[name] for name in usernames if name in users]


def _participants_of_seed_board(forum: Forum) -> list:
    """Eight people: the QI team, the Newham PPLs, a lead, the chair, and service users who have
    signed up (the demo ``su`` first)."""
    staff = _users(["ppl", "admin", "lead", "chair"])
    su = _users(["su"])
    from involvement.models import Person

    signed_up = list(
        get_user_model()
        .objects.filter(
            pk__in=Person.objects.filter(
                directorates__in=forum.directorates.all(), user__isnull=False, active=True
            ).values("user")
        )
        .exclude(username="su")
        .order_by("username")[:2]
    )
    hackney = _users(["ppl-hackney"])
    # Index order matters: SEED_NOTES and SEED_VOTES refer to people by it.
    people = staff[:4] + su + hackney + signed_up
    return people[:8]


def _meeting(forum: Forum, date: datetime.date, status: str) -> ForumMeeting:
    meeting, _ = ForumMeeting.objects.get_or_create(
        forum=forum, date=date, defaults={"status": status}
    )
    return meeting


def _seed_closed_board(forum: Forum, today: datetime.date) -> Board | None:
    existing = Board.objects.filter(question=SEED_QUESTION, meeting__forum=forum).first()
    if existing is not None:
        return existing
    people = _participants_of_seed_board(forum)
    if len(people) < 2:
        return None
    step = add_months(month_of(today), -STEP_MONTHS_AGO)
    date = _second_tuesday(add_months(step, -1))
    meeting = _meeting(forum, date, MeetingStatus.HELD)
    board = Board(
        question=SEED_QUESTION,
        meeting=meeting,
        opened_by=people[0],
        opened_on=date - datetime.timedelta(days=7),
        status=BoardStatus.CLOSED,
        closed_on=date + datetime.timedelta(days=2),
        voting=VotingStatus.CLOSED,
        votes_per_person=3,
    )
    board.full_clean()
    board.save()
    participants = BoardParticipant.objects.bulk_create(
        [
            BoardParticipant(
                board=board, user=user, invited_by=people[0], invited_on=board.opened_on
            )
            for user in people
        ]
    )
    notes: dict[str, Note] = {}
    number = 0
    for column, texts in SEED_NOTES.items():
        for text, author in texts:
            number += 1
            anonymous = author is None or author >= len(people)
            note = Note.objects.create(
                board=board,
                column=column,
                text=text,
                anonymous=anonymous,
                number=number,
                added_on=date - datetime.timedelta(days=1) if number % 4 == 0 else date,
            )
            if not anonymous:
                NoteAuthor.objects.create(note=note, user=people[author])
            notes[text] = note
    Vote.objects.bulk_create(
        [
            Vote(board=board, note=notes[text], participant=participants[index], count=count)
            for index, votes in SEED_VOTES.items()
            if index < len(participants)
            for text, count in votes
        ]
    )
    BoardAction.objects.create(
        board=board,
        note=notes["No new projects without assurance of coproduction"],
        kind=ActionKind.OTHER,
        description=RULE_ACTION,
        taken_by=people[0],
        taken_on=date + datetime.timedelta(days=2),
    )
    board.version = number + len(SEED_VOTES) + 1
    board.save(update_fields=["version"])
    return board


def _seed_open_board(forum: Forum, today: datetime.date) -> Board | None:
    existing = Board.objects.filter(question=OPEN_QUESTION, meeting__forum=forum).first()
    if existing is not None:
        return existing
    meeting = (
        forum.meetings.filter(date__gte=today, status=MeetingStatus.PLANNED)
        .order_by("date")
        .first()
    )
    people = {u.username: u for u in _users(["ppl", "su"])}
    if meeting is None or "ppl" not in people:
        return None
    board = Board(
        question=OPEN_QUESTION,
        meeting=meeting,
        opened_by=people["ppl"],
        opened_on=max(
            meeting.date - datetime.timedelta(days=14), today - datetime.timedelta(days=3)
        ),
    )
    board.full_clean()
    board.save()
    BoardParticipant.objects.bulk_create(
        [
            BoardParticipant(
                board=board, user=user, invited_by=people["ppl"], invited_on=board.opened_on
            )
            for user in people.values()
        ]
    )
    for number, (column, text, author) in enumerate(OPEN_NOTES, start=1):
        writer = people.get(author) if author else None
        note = Note.objects.create(
            board=board,
            column=column,
            text=text,
            anonymous=writer is None,
            number=number,
            added_on=board.opened_on,
        )
        if writer is not None:
            NoteAuthor.objects.create(note=note, user=writer)
    board.version = len(OPEN_NOTES)
    board.save(update_fields=["version"])
    return board


def seed_boards(*, today: datetime.date | None = None) -> tuple[Board | None, Board | None]:
    """The seed's closed board and an open one, both for the Newham QI forum."""
    today = today or timezone.localdate()
    forum = Forum.objects.filter(name=CHAIRED_BY_DEMO_CHAIR).first()
    if forum is None:
        return None, None
    return _seed_closed_board(forum, today), _seed_open_board(forum, today)
