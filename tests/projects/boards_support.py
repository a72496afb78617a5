"""Helpers for the idea board tests: a board opened through the services, people invited."""

from __future__ import annotations

import datetime

from projects import services_boards
from projects.models import Forum, ForumMeeting


def forum_meeting(directorate, *, chair=None, date=None) -> ForumMeeting:
    forum = Forum.objects.create(name=f"{directorate.name} QI forum", chair=chair)
    forum.directorates.add(directorate)
    return ForumMeeting.objects.create(forum=forum, date=date or datetime.date(2026, 12, 8))


def open_board(by, *, project=None, meeting=None, invite=(), question="What gets in the way?"):
    board = services_boards.board_open(question=question, by=by, project=project, meeting=meeting)
    if invite:
        services_boards.participants_invite(board=board, users=list(invite), by=by)
    board.refresh_from_db()
    return board


def add_note(board, by, text="An idea", *, column="creative", anonymous=False):
    return services_boards.note_add(
        board=board, by=by, column=column, text=text, anonymous=anonymous
    )
