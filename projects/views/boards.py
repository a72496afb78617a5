"""Idea boards (``/boards/…``): open a board on a question, invite people, add notes, vote on the
creative ideas, turn ideas into actions, close the board and print its summary.

Every board comes through ``access.get_board_for`` (404 for anyone neither invited nor one of its
facilitators); facilitators' pages answer 403 to the other participants. Writes go through
``projects.services_boards``, whose ValidationErrors become clear messages, never a 500.

The board page works without JavaScript (each form posts and comes back to the board); with it,
``static/js/board.mjs`` polls ``boards:notes`` every few seconds, which answers 304 while the
board's version is unchanged.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from involvement import access
from involvement.access import Role
from projects import services_boards as services
from projects.forms_boards import (
    EXAMPLE_QUESTION,
    BoardOpenForm,
    ConfirmForm,
    InviteForm,
    InviteSearchForm,
    NoteForm,
    OtherActionForm,
    ProjectFromNoteForm,
    VotingOpenForm,
)
from projects.models import Directorate
from projects.models_boards import ActionKind, BoardStatus, Hat
from projects.paging import paginate
from projects.pdf import html_to_pdf
from projects.selectors_boards import board_view
from projects.views.projects import add_service_errors

INVITEES_SHOWN = 50
# <, > and & as \u escapes (as Django's json_script does), so the notes' JSON stays inert even
# if a client ever puts it into HTML.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
BUSY_MESSAGE = (
    "Someone else was changing the board at the same moment, so nothing was saved. Please try "
    "again."
)


def _is_lock_timeout(error: OperationalError) -> bool:
    """SQLite (the embedded database) answers a write that waited too long for another one with
    "database is locked"; that is a "try again", not a fault."""
    return "locked" in str(error).lower()


def posted(request: HttpRequest):
    """The submitted data, or None for a GET: a POST with no fields (a button alone) still
    counts as submitted."""
    return request.POST if request.method == "POST" else None


def _board_to_facilitate(user, pk: int):
    board = access.get_board_for(user, pk)
    if not access.can_facilitate(user, board):
        raise PermissionDenied
    return board


def _board_url(board) -> str:
    return reverse("boards:detail", args=[board.pk])


# --- the list and opening a board ----------------------------------------------------------------


@login_required
def board_list(request: HttpRequest) -> HttpResponse:
    from django.db.models import Count

    boards = access.boards_for(request.user)
    # From a forum's or a project's page: that forum's or project's boards only.
    of = ""
    forum_id, project_id = request.GET.get("forum", ""), request.GET.get("project", "")
    if forum_id.isdigit():
        boards = boards.filter(meeting__forum_id=int(forum_id))
        forum = access.forums_for(request.user).filter(pk=int(forum_id)).first()
        of = forum.name if forum else ""
    elif project_id.isdigit():
        boards = boards.filter(project_id=int(project_id))
        project = access.projects_for(request.user).filter(pk=int(project_id)).first()
        of = project.title if project else ""
    boards = (
        boards.select_related("project", "meeting__forum")
        .annotate(note_count=Count("notes"))
        # "open" sorts after "closed": descending puts the open boards first, newest first.
        .order_by("-status", "-opened_on", "-pk")
    )
    return render(
        request,
        "projects/boards/list.html",
        {
            "page": paginate(request, boards),
            "of": of,
            "may_open": access.has_role(request.user, Role.ADMIN, Role.PPL, Role.LEAD, Role.CHAIR),
        },
    )


@login_required
def open_for_project(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = access.get_project_for(request.user, project_pk)
    if not access.can_open_board_for_project(request.user, project):
        raise PermissionDenied
    form = BoardOpenForm(posted(request), initial={"question": EXAMPLE_QUESTION})
    if request.method == "POST" and form.is_valid():
        try:
            board = services.board_open(
                question=form.cleaned_data["question"], by=request.user, project=project
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Board opened. Now invite the people who will take part.")
            return redirect("boards:invite", pk=board.pk)
    return render(
        request,
        "projects/boards/open.html",
        {
            "form": form,
            "for_text": f"the project “{project.title}”",
            "back": reverse("projects:detail", args=[project.pk]),
        },
    )


@login_required
def open_for_forum(request: HttpRequest, forum_pk: int) -> HttpResponse:
    forum = access.get_forum_for(request.user, forum_pk)
    if not access.can_open_board_for_forum(request.user, forum):
        raise PermissionDenied
    form = BoardOpenForm(posted(request), forum=forum, initial={"question": EXAMPLE_QUESTION})
    if request.method == "POST" and form.is_valid():
        try:
            board = services.board_open(
                question=form.cleaned_data["question"],
                by=request.user,
                meeting=form.cleaned_data["meeting"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Board opened. Now invite the people who will take part.")
            return redirect("boards:invite", pk=board.pk)
    return render(
        request,
        "projects/boards/open.html",
        {
            "form": form,
            "for_text": forum.name,
            "forum": forum,
            "no_meetings": not form.fields["meeting"].queryset.exists(),
            "back": reverse("forums:detail", args=[forum.pk]),
        },
    )


# --- the board -----------------------------------------------------------------------------------


def _etag(board, user) -> str:
    # What the poll returns depends on the board's version and on who asks (their own votes,
    # the notes they may take off); nothing else changes it.
    return f'W/"board-{board.pk}-v{board.version}-u{user.pk}"'


# A NUL never reaches a note (forms refuse it), so user text cannot contain the placeholder.
KEY_PLACEHOLDER = "\x00fingerprint\x00"


@dataclass
class RenderedNote:
    id: str
    key: str  # a fingerprint of its HTML: the polling script replaces a note when it changes
    html: str
    announce: str


@dataclass
class RenderedColumn:
    key: str
    label: str
    prompt: str
    notes: list[RenderedNote]


def _fingerprinted(template, context: dict) -> tuple[str, str]:
    """Render a fragment whose root carries ``data-key``: the key is the fingerprint of the
    fragment itself, so it changes exactly when what the person sees changes."""
    html = template.render({**context, "key": KEY_PLACEHOLDER})
    key = hashlib.blake2s(html.encode(), digest_size=8).hexdigest()
    return key, html.replace(KEY_PLACEHOLDER, key)


def _render_parts(board, user) -> dict:
    """The board as this person sees it: its columns of rendered notes and its status region,
    the same for the page and for the polling JSON. Fragments are rendered without the request
    (no context processors, no CSRF token), so they are the same at every poll."""
    view = board_view(board, user)
    facilitator = access.can_facilitate(user, board)
    take_part = access.can_take_part(user, board)
    context = {
        "board": board,
        "facilitator": facilitator,
        "take_part": take_part,
        "may_create_project": facilitator and access.can_create_project(user),
    }
    note_template = get_template("projects/boards/_note.html")
    columns = []
    for column in view.columns:
        notes = []
        for note_view in column.notes:
            key, html = _fingerprinted(note_template, {**context, "n": note_view})
            notes.append(
                RenderedNote(
                    note_view.id, key, html, f"New note in {column.label}: {note_view.note.text}"
                )
            )
        columns.append(RenderedColumn(column.key, column.label, column.prompt, notes))
    status_key, status_html = _fingerprinted(
        get_template("projects/boards/_status.html"), {**context, "view": view}
    )
    return {
        **context,
        "view": view,
        "columns": columns,
        "status_key": status_key,
        "status_html": status_html,
    }


def _render_board(request: HttpRequest, board, *, form: NoteForm | None = None) -> HttpResponse:
    user = request.user
    parts = _render_parts(board, user)
    if form is None and parts["take_part"]:
        column = request.GET.get("column")
        form = NoteForm(
            action=reverse("boards:note_add", args=[board.pk]),
            initial={"column": column if column in Hat.values else None},
        )
    return render(
        request,
        "projects/boards/detail.html",
        {
            **parts,
            "form": form,
            "etag": _etag(board, user),
            "poll_url": reverse("boards:notes", args=[board.pk]),
        },
    )


@login_required
def board_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_board(request, access.get_board_for(request.user, pk))


@login_required
def board_notes(request: HttpRequest, pk: int) -> HttpResponse:
    """The board's notes as JSON for the polling script: 304 while nothing has changed.

    Each note comes as the same HTML fragment the page shows (escaped by the template), with a
    fingerprint so the script replaces only what changed and a plain-text line to announce. The
    JSON itself escapes <, > and &, so no markup appears in it literally either.
    """
    board = access.get_board_for(request.user, pk)
    etag = _etag(board, request.user)
    if etag in {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(
            _board_json(request, board), content_type="application/json; charset=utf-8"
        )
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


def _board_json(request: HttpRequest, board) -> str:
    parts = _render_parts(board, request.user)
    data = {
        "version": board.version,
        "open": board.status == BoardStatus.OPEN,
        "state": f"{board.status}/{board.voting}",
        "stateText": _state_text(board),
        "columns": {
            column.key: [
                {"id": n.id, "key": n.key, "html": n.html, "announce": n.announce}
                for n in column.notes
            ]
            for column in parts["columns"]
        },
        "regions": {"status": {"key": parts["status_key"], "html": parts["status_html"]}},
    }
    return json.dumps(data).translate(_JSON_ESCAPES)


def _state_text(board) -> str:
    if board.status == BoardStatus.CLOSED:
        return "The board is now closed."
    if board.voting_open:
        return "Voting on the creative ideas is now open."
    if board.results_shown:
        return "Voting has closed: the counts are shown."
    return ""


@login_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    board = access.get_board_for(request.user, pk)
    form = NoteForm(request.POST, action=reverse("boards:note_add", args=[board.pk]))
    if board.status == BoardStatus.CLOSED:
        form.is_valid()  # so the page shows what they wrote, with the message
        form.add_error(None, services.CLOSED_MESSAGE)
        return _render_board(request, board, form=form)
    if not access.can_take_part(request.user, board):
        raise PermissionDenied
    if form.is_valid():
        try:
            note = services.note_add(
                board=board,
                by=request.user,
                column=form.cleaned_data["column"],
                text=form.cleaned_data["text"],
                anonymous=form.cleaned_data["anonymous"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except OperationalError as error:
            if not _is_lock_timeout(error):
                raise
            form.add_error(None, BUSY_MESSAGE)
        else:
            column = Hat(note.column).label
            messages.success(
                request,
                f"Your note is on the board, in {column}, without your name: nothing about who "
                "wrote it is kept."
                if note.anonymous
                else f"Your note is on the board, in {column}.",
            )
            return redirect(_board_url(board))
    return _render_board(request, board, form=form)


@login_required
@require_POST
def note_remove(request: HttpRequest, pk: int, note_id) -> HttpResponse:
    board = access.get_board_for(request.user, pk)
    note = get_object_or_404(board.notes.select_related("author"), pk=note_id)
    own = not note.anonymous and getattr(note, "author", None) is not None
    own = own and note.author.user_id == request.user.pk
    if not (own or access.can_facilitate(request.user, board)):
        raise PermissionDenied
    try:
        services.note_remove(note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The note is off the board.")
    return redirect(_board_url(board))


@login_required
@require_POST
def vote(request: HttpRequest, pk: int, note_id) -> HttpResponse:
    board = access.get_board_for(request.user, pk)
    note = get_object_or_404(board.notes, pk=note_id)
    if board.status == BoardStatus.CLOSED:
        messages.error(request, services.CLOSED_MESSAGE)
        return redirect(_board_url(board))
    if not access.can_take_part(request.user, board):
        raise PermissionDenied
    change = {"add": 1, "remove": -1}.get(request.POST.get("change", ""))
    if change is None:
        messages.error(request, "Choose to add a vote or to take one back.")
        return redirect(_board_url(board))
    try:
        left = services.vote_change(board=board, user=request.user, note=note, change=change)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except OperationalError as error:
        if not _is_lock_timeout(error):
            raise
        messages.error(request, BUSY_MESSAGE)
    else:
        done = "Vote placed on" if change == 1 else "Vote taken back from"
        messages.success(
            request,
            f"{done} “{_short(note.text)}”. You have {left} vote{'s' if left != 1 else ''} left.",
        )
    return redirect(_board_url(board))


def _short(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


# --- facilitating --------------------------------------------------------------------------------


@login_required
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    board = _board_to_facilitate(request.user, pk)
    invitees = access.board_invitees_for(request.user, board)
    search = InviteSearchForm(request.GET or None)
    candidates = invitees
    if search.is_valid() and search.cleaned_data["q"]:
        candidates = invitees.filter(name__icontains=search.cleaned_data["q"])
    more = 0
    if request.method != "POST":
        # A register can be long: the first names, and a search for the others. A POST may name
        # anyone the user may invite.
        shown = list(candidates.values_list("pk", flat=True)[: INVITEES_SHOWN + 1])
        more = len(shown) > INVITEES_SHOWN
        candidates = invitees.filter(pk__in=shown[:INVITEES_SHOWN])
    form = InviteForm(posted(request), invitees=candidates) if board.is_open else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            added = services.participants_invite(board=board, users=form.users(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            names = ", ".join(p.user.get_full_name() or p.user.get_username() for p in added)
            messages.success(request, f"Invited: {names}. The board is in their list of boards.")
            return redirect("boards:invite", pk=board.pk)
    participants = board.participants.select_related("user").order_by(
        "user__first_name", "user__last_name", "user__username"
    )
    return render(
        request,
        "projects/boards/invite.html",
        {
            "board": board,
            "form": form,
            "search": search,
            "more": more,
            "participants": paginate(request, participants),
        },
    )


@login_required
@require_POST
def participant_remove(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    board = _board_to_facilitate(request.user, pk)
    participant = get_object_or_404(board.participants.select_related("user"), pk=participant_pk)
    try:
        services.participant_remove(board=board, participant=participant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        name = participant.user.get_full_name() or participant.user.get_username()
        messages.success(request, f"{name} is no longer invited to the board.")
    return redirect("boards:invite", pk=board.pk)


@login_required
def voting_open(request: HttpRequest, pk: int) -> HttpResponse:
    board = _board_to_facilitate(request.user, pk)
    form = VotingOpenForm(posted(request), initial={"votes_per_person": board.votes_per_person})
    if request.method == "POST" and form.is_valid():
        try:
            services.voting_open(
                board=board, votes_per_person=form.cleaned_data["votes_per_person"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Voting on the creative ideas is open.")
            return redirect(_board_url(board))
    return render(
        request,
        "projects/boards/voting_open.html",
        {"board": board, "form": form},
    )


def _confirm(request, board, *, action, heading, lead, submit, done):
    form = ConfirmForm(posted(request), submit_label=submit)
    if request.method == "POST" and form.is_valid():
        try:
            action(board=board)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(_board_url(board))
    return render(
        request,
        "projects/boards/confirm.html",
        {"board": board, "form": form, "heading": heading, "lead": lead},
    )


@login_required
def voting_close(request: HttpRequest, pk: int) -> HttpResponse:
    board = _board_to_facilitate(request.user, pk)
    return _confirm(
        request,
        board,
        action=services.voting_close,
        heading="Close voting",
        lead="Once voting closes the votes are counted and can no longer change. Everyone on the "
        "board then sees how many votes each idea has (never who gave them).",
        submit="Close voting",
        done="Voting has closed. The counts are on the board.",
    )


@login_required
def board_close(request: HttpRequest, pk: int) -> HttpResponse:
    board = _board_to_facilitate(request.user, pk)
    return _confirm(
        request,
        board,
        action=services.board_close,
        heading="Close the board",
        lead="A closed board is kept as a record: nobody can add notes or vote on it any more. "
        "Open voting closes with it. You can still turn its ideas into actions, and print its "
        "summary.",
        submit="Close the board",
        done="The board is closed. Its summary is ready to print.",
    )


@login_required
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    board = access.get_board_for(request.user, pk)
    return render(
        request,
        "projects/boards/summary.html",
        {"board": board, "view": board_view(board, request.user)},
    )


@login_required
def summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The summary as a PDF to share at the forum or keep (the same content as the page)."""
    board = access.get_board_for(request.user, pk)
    html = render_to_string(
        "projects/boards/summary_pdf.html",
        {
            "board": board,
            "view": board_view(board, request.user),
            "trust_name": settings.TRUST_NAME,
            "made_on": timezone.localdate(),
        },
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="idea-board-{board.pk}-summary.pdf"'
    return response


# --- from idea to action -------------------------------------------------------------------------


def _note_to_act_on(request, pk: int, note_id):
    board = _board_to_facilitate(request.user, pk)
    note = get_object_or_404(board.notes, pk=note_id)
    return board, note


@login_required
def note_to_project(request: HttpRequest, pk: int, note_id) -> HttpResponse:
    board, note = _note_to_act_on(request, pk, note_id)
    if not access.can_create_project(request.user):
        raise PermissionDenied
    directorates = Directorate.objects.filter(
        pk__in=board.directorate_ids()
    ) & access.directorates_for_new_project(request.user)
    directorates = directorates.order_by("name")
    form = ProjectFromNoteForm(
        posted(request),
        directorates=directorates,
        initial={
            "title": note.text[:200],
            "start_date": timezone.localdate(),
            "directorate": directorates.first() if directorates.count() == 1 else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        lead = request.user if access.has_role(request.user, Role.LEAD) else None
        try:
            project, _ = services.project_from_note(
                note=note,
                by=request.user,
                title=form.cleaned_data["title"],
                directorate=form.cleaned_data["directorate"],
                start_date=form.cleaned_data["start_date"],
                lead=lead,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Draft QI project “{project.title}” created from the idea. Its team writes the "
                "aim; it goes live once co-production is assured.",
            )
            return redirect(_board_url(board))
    return render(
        request,
        "projects/boards/note_action.html",
        {
            "board": board,
            "note": note,
            "form": form,
            "heading": "Turn the idea into a draft QI project",
            "no_directorate": not directorates.exists(),
        },
    )


@login_required
def note_action(request: HttpRequest, pk: int, note_id) -> HttpResponse:
    board, note = _note_to_act_on(request, pk, note_id)
    form = OtherActionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.action_record(
                note=note,
                by=request.user,
                kind=ActionKind.OTHER,
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Action recorded on the board.")
            return redirect(_board_url(board))
    return render(
        request,
        "projects/boards/note_action.html",
        {"board": board, "note": note, "form": form, "heading": "Record what was done"},
    )
