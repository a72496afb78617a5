"""Idea boards: the seed's "Challenges and Barriers to Engagement" slide, a Six Thinking Hats
session.

A facilitator opens a board on a question for a forum meeting or a project; invited people add
short notes to six columns, under their name or anonymously, vote on the creative ideas (dot
voting) and the facilitator turns ideas into actions (a change idea on the p-chart, a draft QI
project, or an action in words).

Anonymity is by construction, as for charter reflections: a note row holds no link to who wrote it
(no user, no time finer than the day), and who wrote a named note is kept apart in ``NoteAuthor``.
An anonymous note simply has no author row, so there is nothing to hide or to leak.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from projects.models import ForumMeeting, Project

NOTE_MAX_LENGTH = 500
NOTES_PER_BOARD = 300  # a board is a meeting's wall of sticky notes, not a forum archive
DEFAULT_VOTES = 3
MOST_VOTES = 10


class Hat(models.TextChoices):
    """The six columns, in the order the seed's slide asks its questions."""

    INFORMATION = "information", "Information"
    NEGATIVES = "negatives", "Negatives"
    POSITIVES = "positives", "Positives"
    FEELINGS = "feelings", "Feelings"
    CREATIVE = "creative", "Creative ideas"
    CONCLUSIONS = "conclusions", "Conclusions"


# Each column's question, in the seed's own words.
HAT_PROMPTS: dict[str, str] = {
    Hat.INFORMATION: "What information do we have available to us about this issue?",
    Hat.NEGATIVES: "What are the negative aspects of this subject?",
    Hat.POSITIVES: "What are the positive aspects of this subject?",
    Hat.FEELINGS: "How do we feel about this situation?",
    Hat.CREATIVE: "What creative ideas do we have?",
    Hat.CONCLUSIONS: "What are our conclusions?",
}


class BoardStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class VotingStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class BoardQuerySet(models.QuerySet):
    def open(self) -> BoardQuerySet:
        return self.filter(status=BoardStatus.OPEN)


class Board(models.Model):
    question = models.CharField(
        max_length=200,
        help_text='For example, "What are the boundaries to increasing involvement?"',
    )
    # A board is for a forum meeting or for a project: exactly one of the two.
    meeting = models.ForeignKey(
        ForumMeeting, on_delete=models.CASCADE, null=True, blank=True, related_name="boards"
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="boards"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_on = models.DateField()
    status = models.CharField(max_length=10, choices=BoardStatus.choices, default=BoardStatus.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    voting = models.CharField(
        max_length=12, choices=VotingStatus.choices, default=VotingStatus.NOT_STARTED
    )
    votes_per_person = models.PositiveSmallIntegerField(default=DEFAULT_VOTES)
    # Goes up by one with every change to the board (a note, a vote, voting or the board opened
    # or closed, an action): the polling script asks "anything newer than version n?" and an
    # unchanged board costs one small query and a 304.
    version = models.PositiveBigIntegerField(default=0)

    objects = BoardQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(meeting__isnull=False) & Q(project__isnull=True))
                | (Q(meeting__isnull=True) & Q(project__isnull=False)),
                name="board_for_a_meeting_or_a_project",
            ),
            models.CheckConstraint(
                condition=Q(votes_per_person__gte=1) & Q(votes_per_person__lte=MOST_VOTES),
                name="board_votes_per_person_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.question

    @property
    def is_open(self) -> bool:
        return self.status == BoardStatus.OPEN

    @property
    def voting_open(self) -> bool:
        return self.is_open and self.voting == VotingStatus.OPEN

    @property
    def results_shown(self) -> bool:
        """Counts are shown once voting has closed: while it is open each person sees only their
        own votes, so nobody follows the crowd (the seed: "we all got to vote")."""
        return self.voting == VotingStatus.CLOSED

    @property
    def setting(self) -> str:
        """What the board is for, in words."""
        if self.meeting_id:
            return f"{self.meeting.forum.name}, meeting of {self.meeting.date:%-d %B %Y}"
        return self.project.title

    def directorate_ids(self) -> set[int]:
        if self.project_id:
            return {self.project.directorate_id}
        return set(self.meeting.forum.directorates.values_list("pk", flat=True))

    def clean(self):
        if bool(self.meeting_id) == bool(self.project_id):
            raise ValidationError("A board is for one forum meeting or one project.")
        if not (1 <= (self.votes_per_person or 0) <= MOST_VOTES):
            raise ValidationError(
                {"votes_per_person": f"Give each person from 1 to {MOST_VOTES} votes."}
            )


class BoardParticipant(models.Model):
    """Someone invited to a board (the facilitator who opens it is one too). Votes hang off this
    row, so a person's votes can be counted (and locked) in one place."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_on = models.DateField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["board", "user"], name="one_invitation_per_board"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.board}"


class Note(models.Model):
    """One note on a board. Deliberately nothing here says who wrote it: the id is random (a
    counter would give away the order of writing across boards), the day is a date, and the author
    of a named note is in ``NoteAuthor``. ``number`` is the note's place on its own board (1, 2,
    3 …), like the order of sticky notes on a wall, so notes keep their order on every screen."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="notes")
    column = models.CharField(max_length=12, choices=Hat.choices)
    text = models.CharField(max_length=NOTE_MAX_LENGTH)
    anonymous = models.BooleanField(default=False)
    number = models.PositiveIntegerField()
    added_on = models.DateField()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["board", "number"], name="one_note_per_place"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class NoteAuthor(models.Model):
    """Who wrote a named note. An anonymous note has no row here."""

    note = models.OneToOneField(
        Note, on_delete=models.CASCADE, primary_key=True, related_name="author"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_notes"
    )

    def __str__(self) -> str:
        return f"{self.user} wrote {self.note}"


class Vote(models.Model):
    """A participant's dots on one creative idea. Counted, never shown by name."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="votes")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(
        BoardParticipant, on_delete=models.CASCADE, related_name="votes"
    )
    count = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["note", "participant"], name="one_vote_row_per_idea"),
            models.CheckConstraint(
                condition=Q(count__gte=1) & Q(count__lte=MOST_VOTES), name="vote_count_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.count} on {self.note}"


class ActionKind(models.TextChoices):
    ANNOTATION = "annotation", "Change idea on the p-chart"
    PROJECT = "project", "Draft QI project"
    OTHER = "other", "Action"


class BoardAction(models.Model):
    """What an idea became. The p-chart's annotation is in the charts app, which builds on this
    one, so it is kept as its id (``annotation_id``) and described in words, never as a foreign key
    (a model of the ground app must not import an app above it)."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="actions")
    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(max_length=12, choices=ActionKind.choices)
    description = models.CharField(max_length=300)
    annotation_id = models.PositiveBigIntegerField(null=True, blank=True)
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="board_actions"
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    taken_on = models.DateField()

    class Meta:
        ordering = ["taken_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=ActionKind.ANNOTATION) | Q(annotation_id__isnull=False),
                name="annotation_action_names_its_annotation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"
