"""Query budgets (issue 10, item 4): every page of the app costs the same number of queries
whatever the size of the data it shows, and every list on it is paginated.

A test walks the whole URLconf (as tests/test_access_matrix.py does), so a new page without a
budget here fails. Each page is requested by the role that uses it with the data it lists built
three times over, then thirty times over: the query counts must be equal. Where the page holds
lists, the thirty rows must also spill onto a second page of each (``lists``: how many NHS.UK
pagination navigations the page shows at thirty rows).

Pages left out are in ``EXEMPT``, each with the reason: they answer only POST, redirect, or show
a form that lists nothing from the database.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from involvement.access import Role
from tests.factories import (
    ActivityFactory,
    DirectorateFactory,
    InterestFactory,
    MembershipFactory,
    OpportunityFactory,
    PersonFactory,
    ProjectFactory,
    RoleDescriptionFactory,
    UserFactory,
)
from tests.querycount import capture, excess
from tests.test_access_matrix import _url_names

START = datetime.date(2024, 5, 1)  # when the world's project started (rates from April)


@dataclass
class World:
    """A directorate with one of everything, and a user for each role."""

    users: dict
    directorate: object
    person: object  # the service user's own record in the people register
    project: object  # led by the lead user, with the person on its team
    membership: object
    forum: object  # chaired by the chair user
    meeting: object
    claim: object  # waiting for approval, recorded by a second PPL
    batch: object  # a payment batch holding one approved claim
    story: object  # published, written by the lead
    story_in_review: object  # submitted, written by the lead, naming someone
    board: object  # on the project, opened by the PPL, with a note
    note: object
    role_description: object  # a draft
    agreed_role_description: object
    opportunity: object
    newcomer: object  # a person of the directorate without a sign-in yet
    counter: itertools.count = field(default_factory=lambda: itertools.count(1))
    import_text: str = ""  # an uploaded file, for the import's preview

    def next(self) -> int:
        return next(self.counter)


# --- what grows: each adds ``n`` rows of one kind around the world's objects ---------------------


def _day(world: World) -> datetime.date:
    """A day after the project started and before today, a different one for 700 calls."""
    return START + datetime.timedelta(days=world.next() % 700)


def grow_projects(world: World, n: int) -> None:
    """Active projects of the directorate led by the lead, each with a score and what it needs
    (no service user on the team, no involvement this month: every "needs attention" list)."""
    from involvement.models import ProjectNeeds
    from projects.models import ProgressScore

    interest = InterestFactory(name="Measurement")
    for _ in range(n):
        project = ProjectFactory(
            directorate=world.directorate, lead=world.users["lead"], start_date=START
        )
        ProgressScore.objects.create(
            project=project, score=Decimal("2.0"), date=START, recorded_by=world.users["ppl"]
        )
        ProjectNeeds.objects.create(project=project).interests.add(interest)


def grow_su_projects(world: World, n: int) -> None:
    """Projects the service user is on (their memberships), led by the lead."""
    for _ in range(n):
        project = ProjectFactory(
            directorate=world.directorate, lead=world.users["lead"], start_date=START
        )
        MembershipFactory(project=project, person=world.person, role="Expert by experience")


def grow_team(world: World, n: int) -> None:
    """Members of the world's project's team (people of the directorate)."""
    for _ in range(n):
        person = PersonFactory(directorates=[world.directorate])
        MembershipFactory(project=world.project, person=person, start_date=_day(world))


def grow_activities(world: World, n: int) -> None:
    for _ in range(n):
        activity = ActivityFactory(project=world.project, date=_day(world), participants=3)
        activity.people.add(world.person)


def grow_scores(world: World, n: int) -> None:
    from projects.models import ProgressScore

    for _ in range(n):
        ProgressScore.objects.create(
            project=world.project, score=Decimal("3.0"), date=_day(world), recorded_by=None
        )


def grow_people(world: World, n: int) -> None:
    """People of the directorate's register, with interests and an open invitation."""
    from involvement.services_people import invitation_create

    interest = InterestFactory(name="Co-design")
    for _ in range(n):
        person = PersonFactory(directorates=[world.directorate])
        person.interests.add(interest)
        invitation_create(person=person, by=world.users["ppl"])


def grow_staff(world: World, n: int) -> None:
    """Staff of the directorate (leads and PPLs to pick from, to invite to a board)."""
    for i in range(n):
        role = Role.LEAD if i % 2 else Role.PPL
        UserFactory(roles=[role], directorates=[world.directorate])


def grow_directorates(world: World, n: int) -> None:
    """Directorates, each with a PPL, a forum and an active project."""
    from projects.models import Forum

    for _ in range(n):
        directorate = DirectorateFactory()
        UserFactory(roles=[Role.PPL], directorates=[directorate])
        Forum.objects.create(name=f"Forum {world.next()}").directorates.add(directorate)
        ProjectFactory(directorate=directorate, start_date=START)


def _forum(world: World):
    """Another forum of the directorate (each holds its own meetings, so dates never clash)."""
    from projects.models import Forum

    forum = Forum.objects.create(name=f"Forum {world.next()}", chair=world.users["chair"])
    forum.directorates.add(world.directorate)
    return forum


def _claim(world: World, *, person=None, membership=None, day=None, by=None):
    """A claim for a team meeting of the world's project (the person's membership)."""
    from involvement import services_payments
    from involvement.services_payments import ClaimInput

    return services_payments.claim_create(
        person=person or world.person,
        data=ClaimInput(
            rate_kind="hourly",
            hours=Decimal("1"),
            date=day or _day(world),
            membership=membership or world.membership,
        ),
        by=by or world.users["ppl2"],
    )


def _any_claim(world: World, i: int, *, person=None, day=None):
    """A claim for each of the four kinds of involvement in turn (team meeting, little-i
    activity, forum meeting, opportunity), so a list shows every kind."""
    from involvement import services_payments
    from involvement.services_payments import ClaimInput
    from projects.models import ForumMeeting

    person = person or PersonFactory(directorates=[world.directorate])
    day = day or _day(world)
    involvement: dict = {}
    if i % 4 == 0:
        involvement["membership"] = (
            world.membership
            if person == world.person
            else MembershipFactory(project=world.project, person=person, start_date=START)
        )
    elif i % 4 == 1:
        involvement["activity"] = ActivityFactory(project=world.project, date=day)
    elif i % 4 == 2:
        involvement["forum_meeting"] = ForumMeeting.objects.create(
            forum=_forum(world), date=day, status="held"
        )
    else:
        involvement["opportunity"] = OpportunityFactory(
            directorate=world.directorate, start_date=START, paid=True
        )
    return services_payments.claim_create(
        person=person,
        data=ClaimInput(rate_kind="hourly", hours=Decimal("1"), date=day, **involvement),
        by=world.users["ppl2"],
    )


def grow_claims(world: World, n: int) -> None:
    """Claims waiting for approval, of different people of the directorate."""
    for i in range(n):
        _any_claim(world, i)


def grow_own_claims(world: World, n: int) -> None:
    """The service user's own claims, some approved."""
    from involvement import services_payments

    for i in range(n):
        claim = _any_claim(world, i, person=world.person)
        if i % 2:
            services_payments.claim_approve(claim=claim, by=world.users["ppl"])


def grow_approved_claims(world: World, n: int) -> None:
    """Approved claims not yet in a batch (this tax year, so the totals count them)."""
    from involvement import services_payments

    for i in range(n):
        day = timezone.localdate() - datetime.timedelta(days=1 + world.next() % 150)
        claim = _any_claim(world, i, day=day)
        services_payments.claim_approve(claim=claim, by=world.users["ppl"])


def grow_batch_claims(world: World, n: int) -> None:
    """Approved claims of different people in the world's batch."""
    from involvement import services_payments

    for i in range(n):
        claim = services_payments.claim_approve(claim=_any_claim(world, i), by=world.users["ppl"])
        claim.batch = world.batch
        claim.save(update_fields=["batch"])


def grow_batches(world: World, n: int) -> None:
    from involvement import services_payments

    for i in range(n):
        claim = services_payments.claim_approve(claim=_any_claim(world, i), by=world.users["ppl"])
        services_payments.batch_create(claims=[claim], by=world.users["admin"])


def grow_rates(world: World, n: int) -> None:
    from involvement.models_payments import Rate

    for _ in range(n):
        Rate.objects.create(
            kind="meeting",
            amount=Decimal("20.00"),
            effective_from=datetime.date(2020, 1, 1) + datetime.timedelta(days=world.next()),
            created_by=world.users["admin"],
        )


def grow_claim_history(world: World, n: int) -> None:
    """Changes to the waiting claim (each a history row) and reversing claims of another."""
    from involvement import services_payments
    from involvement.services_payments import ClaimInput

    for i in range(n):
        services_payments.claim_update(
            claim=world.claim,
            data=ClaimInput(
                rate_kind="hourly",
                hours=Decimal(1 + i % 5),
                date=world.claim.date,
                membership=world.membership,
            ),
            by=world.users["ppl2"],
        )
        world.claim.refresh_from_db()


def grow_stories(world: World, n: int) -> None:
    """Published stories of the directorate, by the lead about the project and by the service
    user (credited through their record) in turn."""
    from stories import services

    for i in range(n):
        author = {"author": world.users["lead"], "project": world.project}
        if i % 2:
            author = {"author": world.users["su"], "directorate": world.directorate}
        story = services.story_create(
            title=f"Story {world.next()}",
            body="We met, we listened, and the clinic changed.",
            principles=("collaborate", "respect"),
            submit=True,
            **author,
        )
        services.story_publish(story=story, by=world.users["admin"])


def grow_stories_in_review(world: World, n: int) -> None:
    """Stories sent for review by service users and staff of the directorate."""
    from stories import services

    for _ in range(n):
        services.story_create(
            author=world.users["lead"],
            title=f"Draft story {world.next()}",
            body="Something we learnt together.",
            principles=("collaborate",),
            directorate=world.directorate,
            submit=True,
        )


def grow_story_history(world: World, n: int) -> None:
    """Changes to the story in review (history rows and events) and people it names."""
    from stories import services

    story = world.story_in_review
    for _ in range(n):
        number = world.next()
        services.story_update(
            story=story,
            by=world.users["admin"],
            title=f"Retitled {number}",
            project=ProjectFactory(directorate=world.directorate, start_date=START),
        )
        services.named_person_add(story=story, by=world.users["ppl"], name=f"Named {number}")
        story.refresh_from_db()


def grow_reflections(world: World, n: int) -> None:
    from stories import services

    for i in range(n):
        services.reflection_record(
            project=world.project,
            by=world.users["ppl"] if i % 2 else world.users["lead"],
            meeting_date=timezone.localdate() - datetime.timedelta(days=i % 5),
            answers={"collaborate": ("not_kept", f"Reason {i}"), "respect": ("kept", "")},
            comment=f"Comment {world.next()}",
            anonymous=i % 3 == 0,
        )


def grow_reflection_projects(world: World, n: int) -> None:
    """Projects of the directorate with a reflection each."""
    from stories import services

    for _ in range(n):
        project = ProjectFactory(
            directorate=world.directorate, lead=world.users["lead"], start_date=START
        )
        services.reflection_record(
            project=project,
            by=world.users["lead"],
            meeting_date=timezone.localdate(),
            answers={"collaborate": ("kept", "")},
            anonymous=False,
        )


def grow_boards(world: World, n: int) -> None:
    """Boards of the project and of forum meetings in turn, each with a note."""
    from projects import services_boards
    from projects.models import ForumMeeting

    for i in range(n):
        where = {"project": world.project}
        if i % 2:
            day = timezone.localdate() + datetime.timedelta(days=7)
            where = {"meeting": ForumMeeting.objects.create(forum=_forum(world), date=day)}
        board = services_boards.board_open(
            question=f"Question {world.next()}?", by=world.users["ppl"], **where
        )
        services_boards.note_add(
            board=board, by=world.users["ppl"], column="creative", text="Idea", anonymous=False
        )


def grow_notes(world: World, n: int) -> None:
    """Notes on the world's board by several people, with votes and actions on some."""
    from projects import services_boards

    for i in range(n):
        user = UserFactory(roles=[Role.LEAD], directorates=[world.directorate])
        services_boards.participants_invite(board=world.board, users=[user], by=world.users["ppl"])
        note = services_boards.note_add(
            board=world.board,
            by=user,
            column=("creative", "feelings", "positives")[i % 3],
            text=f"Note {world.next()}",
            anonymous=i % 4 == 0,
        )
        if i % 3 == 0:
            services_boards.action_record(
                note=note, by=world.users["ppl"], kind="other", description="Done"
            )


def grow_votes(world: World, n: int) -> None:
    """Creative ideas on the world's board, each with a vote (voting opens the first time)."""
    from projects import services_boards
    from projects.models_boards import VotingStatus

    grow_notes(world, n)
    if world.board.voting != VotingStatus.OPEN:
        world.board = services_boards.voting_open(board=world.board, votes_per_person=5)
    notes = world.board.notes.filter(column="creative", votes__isnull=True, author__isnull=False)
    for note in notes.select_related("author__user"):
        services_boards.vote_change(board=world.board, user=note.author.user, note=note, change=1)


def grow_participants(world: World, n: int) -> None:
    from projects import services_boards

    users = [UserFactory(roles=[Role.LEAD], directorates=[world.directorate]) for _ in range(n)]
    services_boards.participants_invite(board=world.board, users=users, by=world.users["ppl"])


def grow_forums(world: World, n: int) -> None:
    from projects.models import Forum, ForumMeeting

    for _ in range(n):
        forum = Forum.objects.create(name=f"Forum {world.next()}", chair=world.users["chair"])
        forum.directorates.add(world.directorate)
        ForumMeeting.objects.create(forum=forum, date=timezone.localdate())


def grow_meetings(world: World, n: int) -> None:
    """Meetings of the world's forum, past and to come, some cancelled at short notice."""
    from projects.models import ForumMeeting

    today = timezone.localdate()
    for i in range(n):
        number = 10 + world.next()  # clear of the world's own meeting, a week from today
        if i % 2:
            ForumMeeting.objects.create(
                forum=world.forum, date=today + datetime.timedelta(days=number)
            )
        else:
            day = today - datetime.timedelta(days=number)
            ForumMeeting.objects.create(
                forum=world.forum,
                date=day,
                status="cancelled",
                cancellation_announced_on=day - datetime.timedelta(days=1),
            )


def grow_role_descriptions(world: World, n: int) -> None:
    """Role descriptions of the person (agreed and due for review, some of them)."""
    for i in range(n):
        RoleDescriptionFactory(
            person=world.person,
            project=world.project,
            status="agreed" if i % 2 else "draft",
        )


def grow_opportunities(world: World, n: int) -> None:
    interest = InterestFactory(name="Co-design")
    world.person.interests.add(interest)
    for i in range(n):
        opportunity = OpportunityFactory(directorate=world.directorate if i % 2 else None)
        opportunity.interests.add(interest)
        opportunity.interested.create(person=PersonFactory(directorates=[world.directorate]))


def grow_interested(world: World, n: int) -> None:
    """People interested in the world's opportunity (and the opportunities the person is in)."""
    for _ in range(n):
        person = PersonFactory(directorates=[world.directorate])
        world.opportunity.interested.create(person=person)
        OpportunityFactory(directorate=world.directorate).interested.create(person=world.person)


def grow_training(world: World, n: int) -> None:
    from involvement.models import Training

    for _ in range(n):
        Training.objects.create(person=world.person, course="Pocket QI", completed_on=_day(world))


def grow_person_history(world: World, n: int) -> None:
    """Changes to the person's record (history rows), each by a different member of staff and
    each adding an interest (the many-to-many fields are in the history too)."""
    for _ in range(n):
        number = world.next()
        world.person._history_user = UserFactory(roles=[Role.PPL])
        world.person.name = f"Sam Taylor {number}"
        world.person.save()
        world.person.interests.add(InterestFactory(name=f"Interest {number}"))


def grow_access_log(world: World, n: int) -> None:
    from involvement.services_protection import access_log_record

    for _ in range(n):
        access_log_record(
            user=UserFactory(roles=[Role.PPL]), person=world.person, page="record", path="/x/"
        )


def grow_membership_history(world: World, n: int) -> None:
    membership = world.membership
    for _ in range(n):
        membership._history_user = UserFactory(roles=[Role.PPL])
        membership.role = f"Role {world.next()}"
        membership.save()


def grow_role_description_history(world: World, n: int) -> None:
    """Changes to the draft role description, each to another project (a foreign key that the
    history names)."""
    description = world.role_description
    for _ in range(n):
        description._history_user = UserFactory(roles=[Role.PPL])
        description.where_based = f"Room {world.next()}"
        description.project = ProjectFactory(directorate=world.directorate, start_date=START)
        description.save()


def grow_annotations(world: World, n: int) -> None:
    from charts.models import ChartAnnotation, ChartPhase

    for i in range(n):
        day = START + datetime.timedelta(days=31 * i)
        ChartAnnotation.objects.create(
            date=day,
            text=f"Change {world.next()}",
            directorate=world.directorate if i % 2 else None,
            created_by=world.users["admin"],
        )
        ChartPhase.objects.get_or_create(
            month=day.replace(day=1),
            directorate=world.directorate if i % 2 else None,
            defaults={"created_by": world.users["admin"]},
        )


def grow_import_rows(kind: str) -> Callable[[World, int], None]:
    """Rows of an uploaded file waiting in the admin's session for the import's preview."""
    header = {
        "projects": "lifeqi_id,title,directorate,lead,start_date,end_date,status,aim,aim_reached",
        "involvement": "lifeqi_id,kind,person,person_type,start_date,end_date,participants",
    }[kind]

    def grow(world: World, n: int) -> None:
        rows = world.__dict__.setdefault("import_rows", [])
        for _ in range(n):
            number = world.next()
            if kind == "projects":
                # Every other row updates a project that is already there.
                if number % 2:
                    ProjectFactory(directorate=world.directorate, lifeqi_id=str(5000 + number))
                rows.append(
                    f"{5000 + number},Project {number},{world.directorate.name},Ada Lovelace,"
                    "2024-01-04,,active,Halve falls,"
                )
            else:
                ProjectFactory(directorate=world.directorate, lifeqi_id=str(5000 + number))
                rows.append(f"{5000 + number},member,Person {number},service_user,2024-02-01,,")
                rows.append(f"{5000 + number},survey,,,2024-02-02,,12")
        world.import_text = header + "\n" + "\n".join(rows) + "\n"

    return grow


# --- the budgets ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    url: Callable[[World], str]
    role: str
    grow: tuple[Callable[[World, int], None], ...]
    # How many paginated lists the page shows once each grown list holds 30 rows.
    lists: int = 0
    # Set up the client before each request (an uploaded file, through the upload page).
    prepare: Callable | None = None


def fixed(name: str, *args, query: str = "") -> Callable[[World], str]:
    return lambda world: reverse(name, args=args or None) + (f"?{query}" if query else "")


def of(name: str, *attributes: str) -> Callable[[World], str]:
    """A URL whose arguments are objects of the world: of("x", "person") → [world.person.pk]."""
    return lambda world: reverse(name, args=[getattr(world, a).pk for a in attributes])


def _feed_token(world: World) -> str:
    from stories.feeds import private_feed_url

    return private_feed_url(world.users["lead"])


def _upload(kind: str):
    def prepare(client, world: World) -> None:
        # Through the upload page, as an admin does: it keeps the file as an import job.
        upload = SimpleUploadedFile("lifeqi.csv", world.import_text.encode(), "text/csv")
        response = client.post(reverse("projects:import_upload", args=[kind]), {"file": upload})
        assert response.status_code == 302, response.content.decode()[:500]

    return prepare


def _pchart_url(world: World) -> str:
    return reverse("charts:pchart") + f"?scope=directorate-{world.directorate.pk}"


def _report_pdf_url(world: World) -> str:
    return reverse("reports:index") + "?scope=trust&start=2024-01&end=2024-12"


PROJECT_PAGE = (grow_team, grow_activities, grow_scores)
PERSON_PAGE = (
    grow_role_descriptions,
    grow_su_projects,
    grow_training,
    grow_interested,
    grow_opportunities,
    grow_projects,
)
RECORD = (grow_su_projects, grow_activities, grow_own_claims, grow_training, grow_role_descriptions)

BUDGETS: dict[str, tuple[Budget, ...]] = {
    # Home pages.
    "involvement:my_area": (
        Budget(
            fixed("involvement:my_area"),
            "su",
            (
                grow_role_descriptions,
                grow_su_projects,
                grow_meetings,
                grow_opportunities,
                grow_projects,
                grow_training,
                grow_own_claims,
            ),
            lists=2,
        ),
    ),
    "involvement:ppl_home": (
        Budget(
            fixed("involvement:ppl_home"),
            "ppl",
            (grow_projects, grow_claims, grow_role_descriptions, grow_people),
            lists=1,
        ),
    ),
    "projects:lead_home": (Budget(fixed("projects:lead_home"), "lead", (grow_projects,), lists=2),),
    "charts:chair_home": (
        Budget(
            fixed("charts:chair_home"),
            "chair",
            (grow_projects, grow_meetings, grow_forums),
            lists=1,
        ),
    ),
    "charts:admin_home": (
        Budget(fixed("charts:admin_home"), "admin", (grow_directorates, grow_projects), lists=1),
    ),
    # Charts and reports.
    "charts:no_involvement": (
        Budget(fixed("charts:no_involvement"), "admin", (grow_projects,), lists=1),
    ),
    "charts:pchart": (
        Budget(_pchart_url, "admin", (grow_projects, grow_annotations, grow_activities), lists=2),
        Budget(fixed("charts:pchart"), "chair", (grow_projects, grow_directorates)),
    ),
    "charts:pchart_csv": (
        Budget(fixed("charts:pchart_csv"), "ppl", (grow_projects, grow_annotations)),
    ),
    "charts:small_multiples": (
        Budget(fixed("charts:small_multiples"), "ppl", (grow_directorates, grow_annotations)),
    ),
    "charts:aims": (Budget(fixed("charts:aims"), "lead", (grow_projects, grow_directorates)),),
    "charts:annotation_add": (
        Budget(fixed("charts:annotation_add"), "admin", (grow_directorates,)),
    ),
    "charts:phase_add": (Budget(fixed("charts:phase_add"), "admin", (grow_directorates,)),),
    "charts:annotation_from_board_note": (
        Budget(of("charts:annotation_from_board_note", "note"), "ppl", (grow_notes,)),
    ),
    "reports:index": (
        Budget(fixed("reports:index"), "admin", (grow_directorates,)),
        Budget(_report_pdf_url, "admin", (grow_projects, grow_directorates, grow_stories)),
    ),
    # The people register.
    "involvement:people_list": (
        Budget(fixed("involvement:people_list"), "ppl", (grow_people,), lists=1),
    ),
    "involvement:person_create": (
        Budget(fixed("involvement:person_create"), "ppl", (grow_directorates,)),
    ),
    "involvement:person_detail": (
        Budget(of("involvement:person_detail", "person"), "ppl", PERSON_PAGE, lists=4),
    ),
    "involvement:person_edit": (
        Budget(of("involvement:person_edit", "person"), "ppl", (grow_directorates,)),
    ),
    "involvement:person_invite": (
        Budget(of("involvement:person_invite", "newcomer"), "ppl", (grow_person_history,)),
    ),
    "involvement:training_add": (
        Budget(of("involvement:training_add", "person"), "ppl", (grow_training,)),
    ),
    "involvement:role_description_list": (
        Budget(
            fixed("involvement:role_description_list"), "ppl", (grow_role_descriptions,), lists=1
        ),
    ),
    "involvement:role_description_create": (
        Budget(of("involvement:role_description_create", "person"), "ppl", (grow_projects,)),
    ),
    "involvement:role_description_detail": (
        Budget(
            of("involvement:role_description_detail", "role_description"),
            "ppl",
            (grow_role_description_history,),
        ),
    ),
    "involvement:role_description_edit": (
        Budget(
            of("involvement:role_description_edit", "role_description"), "ppl", (grow_projects,)
        ),
    ),
    "involvement:role_description_end": (
        Budget(
            of("involvement:role_description_end", "agreed_role_description"),
            "ppl",
            (grow_role_description_history,),
        ),
    ),
    "involvement:role_description_print": (
        Budget(
            of("involvement:role_description_print", "role_description"),
            "ppl",
            (grow_role_description_history,),
        ),
    ),
    "involvement:role_description_pdf": (
        Budget(
            of("involvement:role_description_pdf", "role_description"),
            "ppl",
            (grow_role_description_history,),
        ),
    ),
    "involvement:person_record": (
        Budget(of("involvement:person_record", "person"), "ppl", RECORD),
    ),
    "involvement:person_record_pdf": (
        Budget(of("involvement:person_record_pdf", "person"), "ppl", RECORD),
    ),
    "involvement:matching_projects": (
        Budget(fixed("involvement:matching_projects"), "ppl", (grow_projects,), lists=1),
    ),
    "involvement:project_matches": (
        Budget(of("involvement:project_matches", "project"), "ppl", (grow_people,), lists=1),
    ),
    "involvement:project_needs_edit": (
        Budget(of("involvement:project_needs_edit", "project"), "ppl", (grow_people,)),
    ),
    "involvement:opportunity_list": (
        Budget(fixed("involvement:opportunity_list"), "ppl", (grow_opportunities,), lists=1),
    ),
    "involvement:opportunity_create": (
        Budget(fixed("involvement:opportunity_create"), "ppl", (grow_directorates,)),
    ),
    "involvement:opportunity_detail": (
        Budget(
            of("involvement:opportunity_detail", "opportunity"), "ppl", (grow_interested,), lists=1
        ),
    ),
    "involvement:opportunity_edit": (
        Budget(of("involvement:opportunity_edit", "opportunity"), "ppl", (grow_directorates,)),
    ),
    # A service user's own pages.
    "involvement:my_profile": (Budget(fixed("involvement:my_profile"), "su", (grow_training,)),),
    "involvement:my_role_description_create": (
        Budget(fixed("involvement:my_role_description_create"), "su", (grow_su_projects,)),
    ),
    "involvement:my_role_description_detail": (
        Budget(
            of("involvement:my_role_description_detail", "role_description"),
            "su",
            (grow_role_description_history,),
        ),
    ),
    "involvement:my_role_description_edit": (
        Budget(
            of("involvement:my_role_description_edit", "role_description"),
            "su",
            (grow_su_projects,),
        ),
    ),
    "involvement:my_role_description_print": (
        Budget(
            of("involvement:my_role_description_print", "role_description"),
            "su",
            (grow_role_description_history,),
        ),
    ),
    "involvement:my_role_description_pdf": (
        Budget(
            of("involvement:my_role_description_pdf", "role_description"),
            "su",
            (grow_role_description_history,),
        ),
    ),
    "involvement:my_record": (Budget(fixed("involvement:my_record"), "su", RECORD),),
    "involvement:my_record_pdf": (Budget(fixed("involvement:my_record_pdf"), "su", RECORD),),
    "involvement:my_opportunities": (
        Budget(fixed("involvement:my_opportunities"), "su", (grow_opportunities,), lists=1),
    ),
    "involvement:my_opportunity_detail": (
        Budget(of("involvement:my_opportunity_detail", "opportunity"), "su", (grow_interested,)),
    ),
    # Stories.
    "stories:library": (
        Budget(fixed("stories:library"), "su", (grow_stories,), lists=1),
        Budget(fixed("stories:library", query="q=clinic"), "ppl", (grow_stories,), lists=1),
    ),
    "stories:feed": (Budget(fixed("stories:feed"), "su", (grow_stories,)),),
    "stories:feed_atom": (Budget(fixed("stories:feed_atom"), "su", (grow_stories,)),),
    "stories:private_feed": (Budget(_feed_token, "lead", (grow_stories,)),),
    "stories:new": (Budget(fixed("stories:new"), "lead", (grow_su_projects, grow_directorates)),),
    "stories:mine": (
        Budget(fixed("stories:mine"), "lead", (grow_stories, grow_stories_in_review), lists=1),
    ),
    "stories:review_queue": (
        Budget(fixed("stories:review_queue"), "ppl", (grow_stories_in_review,), lists=1),
    ),
    "stories:reflections_overview": (
        Budget(
            fixed("stories:reflections_overview"),
            "ppl",
            (grow_reflections, grow_reflection_projects, grow_directorates),
            lists=1,
        ),
    ),
    "stories:detail": (
        Budget(lambda w: w.story.get_absolute_url(), "su", (grow_stories,)),
        Budget(lambda w: w.story_in_review.get_absolute_url(), "ppl", (grow_story_history,)),
    ),
    "stories:print": (
        Budget(lambda w: reverse("stories:print", args=[w.story.slug]), "su", (grow_stories,)),
    ),
    "stories:edit": (Budget(of("stories:edit", "story_in_review"), "ppl", (grow_su_projects,)),),
    "stories:people": (
        Budget(
            of("stories:people", "story_in_review"),
            "ppl",
            (grow_story_history, grow_people),
            lists=1,
        ),
    ),
    "stories:consent": (
        Budget(
            lambda w: reverse(
                "stories:consent",
                args=[w.story_in_review.pk, w.story_in_review.named_people.first().pk],
            ),
            "ppl",
            (grow_story_history,),
        ),
    ),
    "stories:request_changes": (
        Budget(of("stories:request_changes", "story_in_review"), "ppl", (grow_story_history,)),
    ),
    "stories:withdraw": (Budget(of("stories:withdraw", "story"), "ppl", (grow_stories,)),),
    "stories:project_reflections": (
        Budget(of("stories:project_reflections", "project"), "lead", (grow_reflections,), lists=1),
    ),
    "stories:reflection_new": (
        Budget(of("stories:reflection_new", "project"), "lead", (grow_reflections,)),
    ),
    "stories:history": (
        Budget(of("stories:history", "story_in_review"), "admin", (grow_story_history,), lists=1),
    ),
    # Projects and forums.
    "projects:list": (
        Budget(fixed("projects:list"), "ppl", (grow_projects,), lists=1),
        Budget(fixed("projects:list"), "su", (grow_su_projects,), lists=1),
        Budget(fixed("projects:list", query="q=improving"), "chair", (grow_projects,), lists=1),
    ),
    "projects:detail": (
        Budget(of("projects:detail", "project"), "ppl", PROJECT_PAGE, lists=3),
        Budget(of("projects:detail", "project"), "chair", PROJECT_PAGE, lists=2),
    ),
    "projects:create": (Budget(fixed("projects:create"), "ppl", (grow_staff, grow_directorates)),),
    "projects:edit": (Budget(of("projects:edit", "project"), "ppl", (grow_staff,)),),
    "projects:score_add": (Budget(of("projects:score_add", "project"), "lead", (grow_scores,)),),
    "projects:import_start": (Budget(fixed("projects:import_start"), "admin", (grow_projects,)),),
    "projects:import_upload": (
        Budget(fixed("projects:import_upload", "projects"), "admin", (grow_projects,)),
    ),
    "projects:import_preview": (
        Budget(
            fixed("projects:import_preview", "projects"),
            "admin",
            (grow_import_rows("projects"),),
            lists=0,  # 30 rows fit on one page of 50 (the involvement file below has 60)
            prepare=_upload("projects"),
        ),
        Budget(
            fixed("projects:import_preview", "involvement"),
            "admin",
            (grow_import_rows("involvement"),),
            lists=1,
            prepare=_upload("involvement"),
        ),
    ),
    "forums:list": (Budget(fixed("forums:list"), "lead", (grow_forums,), lists=1),),
    "forums:detail": (
        Budget(of("forums:detail", "forum"), "chair", (grow_meetings, grow_projects), lists=1),
    ),
    "forums:meeting_add": (Budget(of("forums:meeting_add", "forum"), "chair", (grow_meetings,)),),
    "forums:meeting_edit": (
        Budget(of("forums:meeting_edit", "forum", "meeting"), "chair", (grow_meetings,)),
    ),
    # Involvement logging.
    "involvement:quick_log": (
        Budget(fixed("involvement:quick_log"), "ppl", (grow_projects, grow_people)),
        Budget(
            lambda w: reverse("involvement:quick_log") + f"?q={w.project.title}",
            "ppl",
            (grow_projects, grow_people),
        ),
    ),
    "involvement:membership_add": (
        Budget(of("involvement:membership_add", "project"), "ppl", (grow_people, grow_team)),
    ),
    "involvement:membership_end": (
        Budget(of("involvement:membership_end", "project", "membership"), "ppl", (grow_team,)),
    ),
    "involvement:membership_remove": (
        Budget(of("involvement:membership_remove", "project", "membership"), "ppl", (grow_team,)),
    ),
    "involvement:activity_add": (
        Budget(of("involvement:activity_add", "project"), "ppl", (grow_people, grow_activities)),
    ),
    "involvement:activity_remove": (
        Budget(
            lambda w: reverse(
                "involvement:activity_remove",
                args=[w.project.pk, w.project.activities.order_by("pk").first().pk],
            ),
            "ppl",
            (grow_activities,),
        ),
    ),
    # Payments.
    "involvement:payments_queue": (
        Budget(fixed("involvement:payments_queue"), "ppl", (grow_claims,), lists=1),
    ),
    "involvement:claim_list": (
        Budget(fixed("involvement:claim_list"), "ppl", (grow_claims,), lists=1),
        Budget(
            fixed("involvement:claim_list", query="status=approved"),
            "admin",
            (grow_approved_claims,),
            lists=1,
        ),
    ),
    "involvement:claim_start": (Budget(fixed("involvement:claim_start"), "ppl", (grow_people,)),),
    "involvement:claim_create": (
        Budget(
            of("involvement:claim_create", "person"),
            "ppl",
            (grow_su_projects, grow_activities, grow_meetings, grow_opportunities),
        ),
    ),
    "involvement:claim_detail": (
        Budget(of("involvement:claim_detail", "claim"), "ppl", (grow_claim_history,)),
    ),
    "involvement:claim_edit": (
        Budget(
            of("involvement:claim_edit", "claim"),
            "ppl2",
            (grow_su_projects, grow_activities, grow_claim_history),
        ),
    ),
    "involvement:claim_reject": (
        Budget(of("involvement:claim_reject", "claim"), "ppl", (grow_claim_history,)),
    ),
    "involvement:claim_reverse": (
        Budget(
            lambda w: reverse(
                "involvement:claim_reverse", args=[w.batch.claims.order_by("pk").first().pk]
            ),
            "ppl",
            (grow_claim_history,),
        ),
    ),
    "involvement:batch_list": (
        Budget(fixed("involvement:batch_list"), "ppl", (grow_batches,), lists=1),
    ),
    "involvement:batch_create": (
        Budget(fixed("involvement:batch_create"), "ppl", (grow_approved_claims,), lists=1),
    ),
    "involvement:batch_detail": (
        Budget(of("involvement:batch_detail", "batch"), "ppl", (grow_batch_claims,), lists=2),
    ),
    "involvement:batch_csv": (
        Budget(of("involvement:batch_csv", "batch"), "ppl", (grow_batch_claims,)),
    ),
    "involvement:rate_list": (
        Budget(fixed("involvement:rate_list"), "ppl", (grow_rates,), lists=1),
    ),
    "involvement:rate_create": (Budget(fixed("involvement:rate_create"), "admin", (grow_rates,)),),
    "involvement:payment_totals": (
        Budget(fixed("involvement:payment_totals"), "admin", (grow_approved_claims,)),
    ),
    "involvement:my_payments": (
        Budget(fixed("involvement:my_payments"), "su", (grow_own_claims,), lists=1),
    ),
    "involvement:my_claim_create": (
        Budget(
            fixed("involvement:my_claim_create"),
            "su",
            (grow_su_projects, grow_activities, grow_meetings, grow_opportunities),
        ),
    ),
    "involvement:my_claim_detail": (
        Budget(of("involvement:my_claim_detail", "claim"), "su", (grow_claim_history,)),
    ),
    # Idea boards.
    "boards:list": (
        Budget(fixed("boards:list"), "ppl", (grow_boards,), lists=1),
        Budget(fixed("boards:list"), "su", (grow_boards,)),
    ),
    "boards:open_for_project": (
        Budget(of("boards:open_for_project", "project"), "ppl", (grow_boards,)),
    ),
    "boards:open_for_forum": (
        Budget(of("boards:open_for_forum", "forum"), "ppl", (grow_meetings,)),
    ),
    "boards:detail": (Budget(of("boards:detail", "board"), "ppl", (grow_votes,)),),
    "boards:notes": (Budget(of("boards:notes", "board"), "ppl", (grow_votes,)),),
    "boards:summary": (Budget(of("boards:summary", "board"), "ppl", (grow_votes,)),),
    "boards:summary_pdf": (Budget(of("boards:summary_pdf", "board"), "ppl", (grow_votes,)),),
    "boards:invite": (
        Budget(of("boards:invite", "board"), "ppl", (grow_participants, grow_staff), lists=1),
    ),
    "boards:voting_open": (Budget(of("boards:voting_open", "board"), "ppl", (grow_notes,)),),
    "boards:voting_close": (Budget(of("boards:voting_close", "board"), "ppl", (grow_notes,)),),
    "boards:close": (Budget(of("boards:close", "board"), "ppl", (grow_notes,)),),
    "boards:note_to_project": (
        Budget(of("boards:note_to_project", "board", "note"), "ppl", (grow_notes, grow_staff)),
    ),
    "boards:note_action": (
        Budget(of("boards:note_action", "board", "note"), "ppl", (grow_notes,)),
    ),
    # Data protection.
    "involvement:person_history": (
        Budget(
            of("involvement:person_history", "person"),
            "admin",
            (grow_person_history, grow_role_descriptions, grow_su_projects),
            lists=3,
        ),
    ),
    "involvement:person_access_log": (
        Budget(of("involvement:person_access_log", "person"), "admin", (grow_access_log,), lists=1),
    ),
    "involvement:person_export": (
        Budget(of("involvement:person_export", "person"), "admin", RECORD + (grow_access_log,)),
    ),
    "involvement:person_export_json": (
        Budget(
            of("involvement:person_export_json", "person"), "admin", RECORD + (grow_access_log,)
        ),
    ),
    "involvement:person_erase": (
        Budget(of("involvement:person_erase", "person"), "admin", (grow_person_history,)),
    ),
    "involvement:role_description_history": (
        Budget(
            of("involvement:role_description_history", "role_description"),
            "admin",
            (grow_role_description_history,),
            lists=1,
        ),
    ),
    "involvement:membership_history": (
        Budget(
            of("involvement:membership_history", "project", "membership"),
            "admin",
            (grow_membership_history,),
            lists=1,
        ),
    ),
}

POST_ONLY = "answers POST only (GET is 405)"
EXEMPT: dict[str, str] = {
    "home": "redirects to the role's home page",
    "no_role": "redirects anyone with a role; a fixed message otherwise",
    "glossary": "a fixed list of terms from the code, no database rows",
    "minimal": "the base layout with nothing in it (the benchmark's baseline), no rows",
    "projects:import_job": "one import job, read from one row (its errors are stored with it)",
    "projects:import_job_progress": "one import job's state as JSON, read from one row",
    "login": "the sign-in form",
    "logout": POST_ONLY,
    "password_change": "a form about the signed-in user only",
    "password_change_done": "a fixed message",
    "password_reset": "a form, lists nothing",
    "password_reset_done": "a fixed message",
    "password_reset_confirm": "a form for one reset link, lists nothing",
    "password_reset_complete": "a fixed message",
    "involvement:invitation_accept": "a sign-up form for one invitation, lists nothing",
    "projects:activate": POST_ONLY,
    "projects:plan_sign_off": POST_ONLY,
    "projects:import_apply": POST_ONLY,
    "charts:annotation_delete": POST_ONLY,
    "charts:phase_delete": POST_ONLY,
    "involvement:training_delete": POST_ONLY,
    "involvement:role_description_agree": POST_ONLY,
    "involvement:role_description_new_version": POST_ONLY,
    "involvement:invite_to_team": POST_ONLY,
    "involvement:my_role_description_agree": POST_ONLY,
    "involvement:my_role_description_new_version": POST_ONLY,
    "involvement:my_opportunity_interest": POST_ONLY,
    "involvement:my_opportunity_withdraw": POST_ONLY,
    "involvement:claim_approve": POST_ONLY,
    "involvement:batch_mark_paid": POST_ONLY,
    "stories:submit": POST_ONLY,
    "stories:publish": POST_ONLY,
    "stories:remove_person": POST_ONLY,
    "boards:note_add": POST_ONLY,
    "boards:note_remove": POST_ONLY,
    "boards:vote": POST_ONLY,
    "boards:participant_remove": POST_ONLY,
}


def test_every_page_of_the_app_has_a_budget_or_a_reason():
    names = set(_url_names())
    covered = set(BUDGETS) | set(EXEMPT)
    assert names - covered == set(), "pages with no query budget (add one to BUDGETS)"
    assert covered - names == set(), "budgets for URLs that no longer exist"
    assert set(BUDGETS) & set(EXEMPT) == set(), "a page is both budgeted and exempt"
    assert all(reason.strip() for reason in EXEMPT.values()), "an exemption must say why"


# --- the world -----------------------------------------------------------------------------------


@pytest.fixture
def world(db) -> World:
    from involvement import levels, services_payments
    from projects import services_boards
    from projects.models import Forum, ForumMeeting
    from stories import services as story_services
    from tests.involvement.payments_helpers import make_rates

    newham = DirectorateFactory(name="Newham")
    users = {
        "su": UserFactory(username="b_su", roles=[Role.SU]),
        "lead": UserFactory(username="b_lead", roles=[Role.LEAD], directorates=[newham]),
        "chair": UserFactory(username="b_chair", roles=[Role.CHAIR]),
        "ppl": UserFactory(username="b_ppl", roles=[Role.PPL], directorates=[newham]),
        "ppl2": UserFactory(username="b_ppl2", roles=[Role.PPL], directorates=[newham]),
        "admin": UserFactory(
            username="b_admin", roles=[Role.ADMIN], is_staff=True, is_superuser=True
        ),
    }
    make_rates(users["admin"])
    person = PersonFactory(user=users["su"], name="Sam Taylor", directorates=[newham])
    project = ProjectFactory(
        directorate=newham, lead=users["lead"], title="Calmer wards", start_date=START
    )
    membership = MembershipFactory(project=project, person=person, start_date=START)
    forum = Forum.objects.create(name="Newham QI forum", chair=users["chair"])
    forum.directorates.add(newham)
    meeting = ForumMeeting.objects.create(
        forum=forum, date=timezone.localdate() + datetime.timedelta(days=7)
    )
    world = World(
        users=users,
        directorate=newham,
        person=person,
        project=project,
        membership=membership,
        forum=forum,
        meeting=meeting,
        claim=None,
        batch=None,
        story=None,
        story_in_review=None,
        board=None,
        note=None,
        role_description=RoleDescriptionFactory(person=person, project=project),
        agreed_role_description=RoleDescriptionFactory(
            person=person, project=project, status="agreed"
        ),
        opportunity=OpportunityFactory(directorate=newham),
        newcomer=PersonFactory(name="Nia Newcomer", directorates=[newham]),
    )
    world.claim = _claim(world, day=START + datetime.timedelta(days=400))
    approved = services_payments.claim_approve(
        claim=_claim(world, day=START + datetime.timedelta(days=401)), by=users["ppl"]
    )
    world.batch = services_payments.batch_create(claims=[approved], by=users["admin"])
    world.story = story_services.story_create(
        author=users["lead"],
        title="A published story",
        body="We met, we listened, and the clinic changed.",
        principles=("collaborate",),
        project=project,
        submit=True,
    )
    story_services.story_publish(story=world.story, by=users["admin"])
    world.story.refresh_from_db()
    world.story_in_review = story_services.story_create(
        author=users["lead"],
        title="A story in review",
        body="Something we learnt together.",
        principles=("collaborate",),
        directorate=newham,
        submit=True,
    )
    story_services.named_person_add(story=world.story_in_review, by=users["ppl"], name="Ravi Named")
    world.board = services_boards.board_open(
        question="What gets in the way?", by=users["ppl"], project=project
    )
    world.note = services_boards.note_add(
        board=world.board, by=users["ppl"], column="creative", text="Calmer", anonymous=False
    )
    ActivityFactory(project=project, date=START)
    # The levels table's once-a-process month check is no page's cost: done before counting.
    levels.ensure_current_month()
    return world


# --- the test ------------------------------------------------------------------------------------


def _get(client, url: str, budget: Budget, world: World):
    """The page (which must answer 200), its text and the queries it ran."""
    if budget.prepare:
        budget.prepare(client, world)
    response, queries = capture(client, url)
    body = response.content if not response.streaming else b"".join(response.streaming_content)
    return body.decode(errors="replace"), queries


CASES = [
    pytest.param(name, i, id=f"{name}-{i}")
    for name in sorted(BUDGETS)
    for i, budget in enumerate(BUDGETS[name])
]


@pytest.mark.parametrize(("name", "index"), CASES)
def test_the_page_costs_the_same_queries_for_3_or_30_rows(client, world, name, index):
    budget = BUDGETS[name][index]
    client.force_login(world.users[budget.role])
    for grow in budget.grow:
        grow(world, 3)
    _, few = _get(client, budget.url(world), budget, world)
    for grow in budget.grow:
        grow(world, 27)
    html, many = _get(client, budget.url(world), budget, world)
    if len(few) != len(many):
        pytest.fail(
            f"{name} as {budget.role}: {len(few)} queries with 3 rows, {len(many)} with 30. "
            "Run more often with 30:\n" + "\n".join(excess(few, many)[:10])
        )
    navs = html.count('<nav class="nhsuk-pagination')
    assert navs == budget.lists, f"{name}: {navs} paginated lists at 30 rows, not {budget.lists}"
