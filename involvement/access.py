"""Who may see and do what: the one place that answers it.

Roles are Django groups (created by a data migration); a user's directorates come from
``Directorate.staff``. Views never test groups themselves: they call these functions, or use
``role_required``, and load objects through the scoped querysets here, so a record a user may not
see is a 404 and one they may see but not change is a 403.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse


class Role(enum.StrEnum):
    # The values are the group names people see in the admin.
    ADMIN = "Admin"
    PPL = "People Participation Lead"
    LEAD = "Project lead"
    CHAIR = "QI forum chair"
    SU = "Service user or carer"


# A person with several roles lands on the first of these they hold.
HOME_ORDER = (Role.ADMIN, Role.PPL, Role.LEAD, Role.CHAIR, Role.SU)

HOME_URL_NAMES = {
    Role.ADMIN: "charts:admin_home",
    Role.PPL: "involvement:ppl_home",
    Role.LEAD: "projects:lead_home",
    Role.CHAIR: "charts:chair_home",
    Role.SU: "involvement:my_area",
}


def role_group(role: Role):
    """The group of a role. The roles migration creates them; this recreates one that was
    deleted (or flushed by a test) rather than failing."""
    from django.contrib.auth.models import Group

    return Group.objects.get_or_create(name=role.value)[0]


def roles_of(user) -> frozenset[Role]:
    """The user's roles, read once per request (cached on the user object)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_bigi_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        roles = {role for role in Role if role.value in names}
        if user.is_superuser:
            roles.add(Role.ADMIN)
        cached = frozenset(roles)
        user._bigi_roles = cached
    return cached


def has_role(user, *roles: Role) -> bool:
    return bool(roles_of(user).intersection(roles))


def is_admin(user) -> bool:
    return Role.ADMIN in roles_of(user)


def is_ppl(user) -> bool:
    return Role.PPL in roles_of(user)


def ppl_directorate_ids(user) -> frozenset[int]:
    """Directorates the user is a PPL of: they hold the PPL role and work there."""
    if not is_ppl(user):
        return frozenset()
    cached = getattr(user, "_bigi_ppl_directorates", None)
    if cached is None:
        cached = frozenset(user.directorates.values_list("pk", flat=True))
        user._bigi_ppl_directorates = cached
    return cached


def home_url(user) -> str:
    for role in HOME_ORDER:
        if role in roles_of(user):
            return reverse(HOME_URL_NAMES[role])
    return reverse("no_role")


def role_required(*roles: Role) -> Callable:
    """Signed-in users holding one of ``roles`` only: others get 403, anonymous users the login."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_roles = roles
        return wrapped

    return decorator


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool = False


# (label, url name, roles that see it). Order is the order in the header.
# The header holds each role's everyday pages only (a PPL's fit on one line); the rest are
# linked from these pages: opportunities and role descriptions from People, forums from Projects,
# reflections from Stories, the aim analysis from the p-chart, imports from the trust overview.
_NAVIGATION: list[tuple[str, str, tuple[Role, ...]]] = [
    ("My area", "involvement:my_area", (Role.SU,)),
    ("Opportunities", "involvement:my_opportunities", (Role.SU,)),
    ("PPL home", "involvement:ppl_home", (Role.PPL,)),
    ("Quick log", "involvement:quick_log", (Role.PPL,)),
    ("My projects", "projects:lead_home", (Role.LEAD,)),
    ("Forum", "charts:chair_home", (Role.CHAIR,)),
    ("Trust overview", "charts:admin_home", (Role.ADMIN,)),
    ("People", "involvement:people_list", (Role.PPL, Role.ADMIN)),
    ("Projects", "projects:list", (Role.ADMIN, Role.PPL, Role.LEAD, Role.CHAIR)),
    ("Payments", "involvement:payments_queue", (Role.PPL, Role.ADMIN)),
    ("Stories", "stories:library", (Role.SU, Role.PPL, Role.LEAD, Role.CHAIR, Role.ADMIN)),
    ("Idea boards", "boards:list", tuple(Role)),
    ("P-chart", "charts:pchart", tuple(Role)),
]


def _always(user) -> bool:
    return True


def _sees_idea_boards(user) -> bool:
    """Staff always; a service user once they are invited to a board."""
    return has_role(user, Role.ADMIN, Role.PPL, Role.LEAD, Role.CHAIR) or has_board_invitations(
        user
    )


# Links shown only when a condition beyond the role holds.
_NAVIGATION_CONDITIONS: dict[str, Callable] = {"boards:list": _sees_idea_boards}


def navigation(user, path: str) -> list[NavItem]:
    """The header links this user may use, with the current one marked."""
    items = []
    for label, url_name, roles in _NAVIGATION:
        if has_role(user, *roles) and _NAVIGATION_CONDITIONS.get(url_name, _always)(user):
            url = reverse(url_name)
            items.append(NavItem(label, url, current=path == url or path.startswith(url + "/")))
    if is_admin(user) and user.is_staff:
        items.append(NavItem("Admin site", reverse("admin:index")))
    return items


# --- projects ------------------------------------------------------------------------------------


def projects_for(user):
    """The projects a user may see: all for admins, PPLs and forum chairs (chairs see titles and
    levels only); their own for project leads; the ones they are on for service users."""
    from django.db.models import Q

    from projects.models import Project

    roles = roles_of(user)
    if roles & {Role.ADMIN, Role.PPL, Role.CHAIR}:
        return Project.objects.all()
    visible = Q(pk__in=[])
    if Role.LEAD in roles:
        visible |= Q(lead=user)
    if Role.SU in roles:
        visible |= Q(memberships__person__user=user)
    return Project.objects.filter(visible).distinct()


def get_project_for(user, pk: int):
    """The project, or 404 when the user may not see it."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(projects_for(user), pk=pk)


def can_edit_project(user, project) -> bool:
    """Admins, PPLs of the project's directorate and the project's lead edit a project and log
    its involvement."""
    return (
        is_admin(user)
        or project.directorate_id in ppl_directorate_ids(user)
        or (Role.LEAD in roles_of(user) and project.lead_id == user.pk)
    )


def get_project_to_change(user, pk: int):
    """For the URLs that change a project (edit, log involvement, sign off): 404 when there is no
    such project, 403 when the user may not change it. These URLs show nothing of the project, so
    answering "not yours" reveals no data, and a lead who tries another's project is told so."""
    from django.shortcuts import get_object_or_404

    from projects.models import Project

    project = get_object_or_404(Project.objects.select_related("directorate"), pk=pk)
    if not can_edit_project(user, project):
        raise PermissionDenied
    return project


def can_see_team(user, project) -> bool:
    """Names of a project's team members (service users): admins, PPLs of its directorate and its
    lead. Forum chairs and other PPLs see counts and levels, never names."""
    return can_edit_project(user, project)


def can_create_project(user) -> bool:
    return has_role(user, Role.ADMIN, Role.PPL, Role.LEAD)


def directorates_for_new_project(user):
    """Where a user may start a project: anywhere for admins; their own directorates for PPLs and
    project leads (a lead's are the directorates they work in)."""
    from projects.models import Directorate

    if is_admin(user):
        return Directorate.objects.all()
    ids = set(ppl_directorate_ids(user))
    if Role.LEAD in roles_of(user):
        ids |= set(user.directorates.values_list("pk", flat=True))
    return Directorate.objects.filter(pk__in=ids)


def can_choose_project_lead(user, project=None) -> bool:
    """Admins and the PPLs of the directorate pick (or change) a project's lead; a lead who starts
    a project leads it."""
    if is_admin(user):
        return True
    if project is None or project.pk is None:
        return is_ppl(user)
    return project.directorate_id in ppl_directorate_ids(user)


def can_sign_off_plan(user, project) -> bool:
    """The co-production gate: only a PPL of the project's own directorate signs off its
    co-production plan (the seed's "no new projects without assurance of co-production")."""
    return project.directorate_id in ppl_directorate_ids(user)


def projects_with_names_for(user):
    """Projects whose lead's name the user may see: every project for admins and PPLs; for others
    the projects they lead or are on. A forum chair sees titles and levels, no names."""
    from django.db.models import Q

    from projects.models import Project

    roles = roles_of(user)
    if roles & {Role.ADMIN, Role.PPL}:
        return Project.objects.all()
    visible = Q(pk__in=[])
    if Role.LEAD in roles:
        visible |= Q(lead=user)
    if Role.SU in roles:
        visible |= Q(memberships__person__user=user)
    return Project.objects.filter(visible).distinct()


def projects_to_log_for(user):
    """Projects whose involvement the quick log may record: every project for admins, the
    projects of their directorates for PPLs."""
    from projects.models import Project

    if is_admin(user):
        return Project.objects.all()
    return Project.objects.in_directorates(ppl_directorate_ids(user))


def team_candidates_for(user, project):
    """People this user may put on the project's team or name at its activities: the people
    register as they may see it (access.people_for), limited to the project's directorate and to
    people still active. Project leads see no register, so they ask their PPL."""
    return people_for(user).filter(directorates=project.directorate_id, active=True)


def can_import(user) -> bool:
    return is_admin(user)


# --- forums --------------------------------------------------------------------------------------


def forums_for(user):
    """Forums are open to staff roles and chairs: they hold titles, dates and the chair's name,
    no personal data of service users."""
    from projects.models import Forum

    if has_role(user, Role.ADMIN, Role.PPL, Role.LEAD, Role.CHAIR):
        return Forum.objects.all()
    return Forum.objects.none()


def get_forum_for(user, pk: int):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(forums_for(user), pk=pk)


def can_manage_meetings(user, forum) -> bool:
    """Admins, PPLs of any of the forum's directorates and the forum's chair keep its meetings."""
    if is_admin(user) or (forum.chair_id is not None and forum.chair_id == user.pk):
        return True
    mine = ppl_directorate_ids(user)
    if not mine:
        return False
    return forum.directorates.filter(pk__in=mine).exists()


# --- people --------------------------------------------------------------------------------------


def people_for(user):
    """The people register as this user may see it: all for admins, their directorates' people
    for PPLs, nobody for anyone else (a service user reaches their own record via own_person)."""
    from involvement.models import Person

    if is_admin(user):
        return Person.objects.all()
    directorates = ppl_directorate_ids(user)
    if directorates:
        return Person.objects.in_directorates(directorates)
    return Person.objects.none()


def get_person_for(user, pk: int):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(people_for(user), pk=pk)


def own_person(user):
    """The signed-in service user's own record, or None."""
    from involvement.models import Person

    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def can_manage_person(user, person) -> bool:
    """Admins, and PPLs of one of the person's directorates, edit and invite a person."""
    if is_admin(user):
        return True
    directorates = ppl_directorate_ids(user)
    return bool(directorates) and person.directorates.filter(pk__in=directorates).exists()


def can_see_contact_details(user, person) -> bool:
    """Contact details: admins, PPLs of the person's directorates, and the person themselves."""
    if user.is_authenticated and person.user_id == user.pk:
        return True
    return can_manage_person(user, person)


def record_people_for(user):
    """Whose record of involvement a user may see: the people register as they may see it
    (admins everyone, PPLs their directorates' people), and a service user their own record only.
    Anyone else's is a 404 for them."""
    from django.db.models import Q

    from involvement.models import Person

    visible = Q(pk__in=people_for(user).values("pk"))
    if Role.SU in roles_of(user):
        visible |= Q(user=user)
    return Person.objects.filter(visible)


def get_record_person_for(user, pk: int):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(record_people_for(user), pk=pk)


def is_staff_side(user) -> bool:
    """Staff who work with the people register: admins and PPLs."""
    return has_role(user, Role.ADMIN, Role.PPL)


# --- role descriptions ---------------------------------------------------------------------------


def role_descriptions_for(user):
    """Admins see all; PPLs those of a project or a person in their directorates; a service user
    their own; anyone else none."""
    from django.db.models import Q

    from involvement.models import RoleDescription

    if is_admin(user):
        return RoleDescription.objects.all()
    visible = Q(pk__in=[])
    directorates = ppl_directorate_ids(user)
    if directorates:
        visible |= Q(project__directorate__in=directorates) | Q(
            person__directorates__in=directorates
        )
    if Role.SU in roles_of(user):
        visible |= Q(person__user=user)
    return RoleDescription.objects.filter(visible).distinct()


def get_role_description_for(user, pk: int):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        role_descriptions_for(user).select_related("person", "project", "project__lead"), pk=pk
    )


def own_role_descriptions(user):
    """A service user's own role descriptions (the /me/ pages use only these)."""
    from involvement.models import RoleDescription

    if Role.SU not in roles_of(user):
        return RoleDescription.objects.none()
    return RoleDescription.objects.filter(person__user=user)


def get_own_role_description(user, pk: int):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        own_role_descriptions(user).select_related("person", "project", "project__lead"), pk=pk
    )


def _staff_directorates_of_description(description) -> set[int]:
    """The directorates whose PPLs speak for the trust on a description: the project's, or the
    person's when there is no project yet."""
    if description.project_id:
        return {description.project.directorate_id}
    return set(description.person.directorates.values_list("pk", flat=True))


def can_staff_edit_role_description(user, description) -> bool:
    if is_admin(user):
        return True
    directorates = ppl_directorate_ids(user)
    if not directorates:
        return False
    person_directorates = set(description.person.directorates.values_list("pk", flat=True))
    return bool(
        directorates & (_staff_directorates_of_description(description) | person_directorates)
    )


def can_edit_role_description(user, description) -> bool:
    """A draft is edited by the person it describes or by the staff side; an agreed or ended
    description by nobody (a change is a new version)."""
    if not description.is_draft:
        return False
    return description.person.user_id == user.pk or can_staff_edit_role_description(
        user, description
    )


def can_agree_as_su(user, description) -> bool:
    return (
        description.is_draft
        and description.su_agreed_at is None
        and user.is_authenticated
        and description.person.user_id == user.pk
    )


def can_agree_as_ppl(user, description) -> bool:
    """The staff side of the agreement: a PPL of the project's directorate (of the person's,
    while there is no project)."""
    return (
        description.is_draft
        and description.ppl_agreed_at is None
        and bool(ppl_directorate_ids(user) & _staff_directorates_of_description(description))
    )


def can_start_new_version(user, description) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    if description.status != "agreed":
        return False
    try:
        description.next_version  # noqa: B018 - one draft of the next version at a time
        return False
    except ObjectDoesNotExist:
        pass
    return description.person.user_id == user.pk or can_staff_edit_role_description(
        user, description
    )


def can_end_role_description(user, description) -> bool:
    return description.status == "agreed" and can_staff_edit_role_description(user, description)


# --- matching and opportunities ------------------------------------------------------------------


def matching_projects_for(user):
    """Projects whose matches (people's names and availability) this user may see: all for
    admins, their directorates' for PPLs."""
    from projects.models import Project

    if is_admin(user):
        return Project.objects.all()
    return Project.objects.in_directorates(ppl_directorate_ids(user))


def get_matching_project_for(user, pk: int):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(matching_projects_for(user).select_related("directorate"), pk=pk)


def opportunities_for(user):
    """Admins see every opportunity; PPLs their directorates' and the trust-wide ones; service
    users the open ones of their directorates and the trust-wide ones."""
    from django.db.models import Q
    from django.utils import timezone

    from involvement.models import Opportunity

    if is_admin(user):
        return Opportunity.objects.all()
    visible = Q(pk__in=[])
    roles = roles_of(user)
    if Role.PPL in roles:
        visible |= Q(directorate__isnull=True) | Q(directorate__in=ppl_directorate_ids(user))
    person = own_person(user) if Role.SU in roles else None
    if person is not None and person.active:
        mine = Opportunity.objects.for_directorates(
            person.directorates.values_list("pk", flat=True)
        ).open_on(timezone.localdate())
        visible |= Q(pk__in=mine.values("pk"))
    return Opportunity.objects.filter(visible)


def get_opportunity_for(user, pk: int):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(opportunities_for(user).select_related("directorate"), pk=pk)


def can_edit_opportunity(user, opportunity) -> bool:
    """Admins edit any; PPLs those of their directorates (trust-wide ones are the QI team's)."""
    if is_admin(user):
        return True
    return opportunity.directorate_id is not None and opportunity.directorate_id in (
        ppl_directorate_ids(user)
    )


# --- charts --------------------------------------------------------------------------------------

# The chart pages and the aim analysis show aggregates only (no personal data), so every role
# reads them, service users included (DESIGN: "SUs see aggregate charts").
CHART_READERS: tuple[Role, ...] = tuple(Role)


def can_save_chart_notes(user) -> bool:
    """Annotations and phases change the chart everyone sees: admins only."""
    return is_admin(user)


def chaired_forums(user):
    """The QI forums this user chairs."""
    from projects.models import Forum

    if not has_role(user, Role.CHAIR):
        return Forum.objects.none()
    return Forum.objects.filter(chair=user)


def get_chaired_forum(user, pk: int):
    """One of the user's own forums, or 404 (a chair never sees another forum's dashboard)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(chaired_forums(user), pk=pk)


# --- payments ------------------------------------------------------------------------------------
# A claim belongs to a directorate (the one that pays: one of the person's directorates). The PPLs
# of that directorate see it, record it and approve it; admins see every claim; a service user sees
# their own, through own_claims and the /me/ pages only.


def claims_for(user):
    """The claims a staff user may see: all for admins, their directorates' for PPLs, none for
    anyone else."""
    from involvement.models import Claim

    if is_admin(user):
        return Claim.objects.all()
    directorates = ppl_directorate_ids(user)
    if directorates:
        return Claim.objects.in_directorates(directorates)
    return Claim.objects.none()


def get_claim_for(user, pk: int):
    """The claim, or 404 when the user may not see it."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(claims_for(user).with_people(), pk=pk)


def own_claims(user):
    """A service user's own claims (the /me/payments/ pages use only these)."""
    from involvement.models import Claim

    if Role.SU not in roles_of(user):
        return Claim.objects.none()
    return Claim.objects.filter(person__user=user)


def get_own_claim(user, pk: int):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(own_claims(user).with_people(), pk=pk)


def can_record_claim_for(user, person) -> bool:
    """A PPL of one of the person's directorates (or an admin) records a claim for them; the
    person records their own from My area."""
    return can_manage_person(user, person)


def approval_problem(user, claim) -> str | None:
    """Why ``user`` may not approve or reject ``claim``, in words, or None when they may.

    Only a PPL of the claim's directorate decides, and never on a claim they recorded themselves
    or on their own claim (a PPL who is also a service user): segregation of duties."""
    from involvement.models_payments import ClaimStatus

    if claim.status != ClaimStatus.SUBMITTED:
        return f"This claim is already {claim.get_status_display().lower()}."
    if claim.directorate_id not in ppl_directorate_ids(user):
        return "Only a People Participation Lead (PPL) of the claim's directorate can decide it."
    if claim.created_by_id == user.pk:
        return "You recorded this claim, so another People Participation Lead (PPL) decides it."
    if claim.person.user_id is not None and claim.person.user_id == user.pk:
        return "This is your own claim, so another People Participation Lead (PPL) decides it."
    return None


def can_approve(user, claim) -> bool:
    return approval_problem(user, claim) is None


def can_edit_claim(user, claim) -> bool:
    """A claim waiting for approval is corrected by an admin or a PPL of its directorate; a
    decided or paid one by nobody (a correction is a reversing claim)."""
    from involvement.models_payments import ClaimStatus

    if claim.status != ClaimStatus.SUBMITTED:
        return False
    return is_admin(user) or claim.directorate_id in ppl_directorate_ids(user)


def can_reverse_claim(user, claim) -> bool:
    """An approved or paid claim (not itself a correction) is reversed by an admin or a PPL of its
    directorate; the reversal is then approved like any claim."""
    from involvement.models_payments import ClaimStatus

    if claim.status not in (ClaimStatus.APPROVED, ClaimStatus.PAID) or claim.reverses_id:
        return False
    return is_admin(user) or claim.directorate_id in ppl_directorate_ids(user)


def batches_for(user):
    """Payment batches: all for admins; for a PPL, the batches whose every claim is of their
    directorates (a batch they made, or an admin's that holds only their people)."""
    from involvement.models import Claim, PaymentBatch

    if is_admin(user):
        return PaymentBatch.objects.all()
    directorates = ppl_directorate_ids(user)
    if not directorates:
        return PaymentBatch.objects.none()
    outside = Claim.objects.exclude(directorate_id__in=directorates).filter(batch__isnull=False)
    return PaymentBatch.objects.exclude(pk__in=outside.values("batch_id"))


def get_batch_for(user, pk: int):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(batches_for(user).select_related("created_by", "paid_by"), pk=pk)


def can_manage_rates(user) -> bool:
    return is_admin(user)


def can_see_payment_totals(user) -> bool:
    return is_admin(user)


# --- idea boards ---------------------------------------------------------------------------------
# A board holds what people wrote (named notes carry their name), so it is open to the people it
# was opened for: its participants and its facilitators. Anyone else gets a 404.


def boards_for(user):
    """Boards a user may open: all for admins; for others, the boards they are invited to and the
    ones they may facilitate (a PPL's directorates, a lead's projects, a chair's forums)."""
    from django.db.models import Q

    from projects.models_boards import Board

    if not user.is_authenticated:
        return Board.objects.none()
    if is_admin(user):
        return Board.objects.all()
    visible = Q(participants__user=user)
    directorates = ppl_directorate_ids(user)
    if directorates:
        visible |= Q(project__directorate__in=directorates) | Q(
            meeting__forum__directorates__in=directorates
        )
    roles = roles_of(user)
    if Role.LEAD in roles:
        visible |= Q(project__lead=user)
    if Role.CHAIR in roles:
        visible |= Q(meeting__forum__chair=user)
    return Board.objects.filter(pk__in=Board.objects.filter(visible).values("pk"))


def get_board_for(user, pk: int):
    """The board, or 404 when the user is neither invited nor one of its facilitators."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        boards_for(user).select_related("project", "project__directorate", "meeting__forum"),
        pk=pk,
    )


def can_facilitate(user, board) -> bool:
    """Admins, PPLs of the board's directorates, the project's lead (a project's board) and the
    forum's chair (a forum meeting's board) run a board: invite, open and close voting, close it,
    turn ideas into actions. A PPL of another directorate does not."""
    if not user.is_authenticated:
        return False
    if is_admin(user):
        return True
    roles = roles_of(user)
    if board.project_id:
        if Role.LEAD in roles and board.project.lead_id == user.pk:
            return True
    elif Role.CHAIR in roles and board.meeting.forum.chair_id == user.pk:
        return True
    mine = ppl_directorate_ids(user)
    return bool(mine) and bool(mine & board.directorate_ids())


def can_take_part(user, board) -> bool:
    """Add notes and vote: the people invited and the facilitators, while the board is open."""
    if not user.is_authenticated or not board.is_open:
        return False
    if board.participants.filter(user=user).exists():
        return True
    return can_facilitate(user, board)


def can_open_board_for_project(user, project) -> bool:
    """The project's lead, its directorate's PPLs and admins (those who edit the project)."""
    return can_edit_project(user, project)


def can_open_board_for_forum(user, forum) -> bool:
    """The forum's chair, its directorates' PPLs and admins (those who keep its meetings)."""
    return can_manage_meetings(user, forum)


def board_invitees_for(user, board):
    """People from the register this facilitator may invite: those with an account, in the
    board's directorates, as the user may see the register (access.people_for); for a project's
    board also the people on its team when the user sees the team's names (its lead)."""
    from django.db.models import Q

    from involvement.models import Person

    register = people_for(user).filter(directorates__in=board.directorate_ids())
    visible = Q(pk__in=register.values("pk"))
    if board.project_id and can_see_team(user, board.project):
        visible |= Q(memberships__project=board.project)
    return (
        Person.objects.filter(visible, user__isnull=False, active=True)
        .exclude(user__board_invitations__board=board)
        .select_related("user")
        .distinct()
        .order_by("name", "pk")
    )


def staff_invitable_by_username(username: str):
    """Staff invited by their username: active users holding a staff role (admin, PPL, project
    lead, forum chair). Service users are invited from the people register instead."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    staff_roles = [role.value for role in (Role.ADMIN, Role.PPL, Role.LEAD, Role.CHAIR)]
    return (
        get_user_model()
        .objects.filter(is_active=True, username__iexact=username.strip())
        .filter(Q(groups__name__in=staff_roles) | Q(is_superuser=True))
        .distinct()
        .first()
    )


def has_board_invitations(user) -> bool:
    """A service user sees "Idea boards" in the header once they are invited to one."""
    if not user.is_authenticated:
        return False
    return user.board_invitations.exists()


# --- data protection (audit trail, access log, subject access, erasure) -------------------------


def can_see_audit_trail(user) -> bool:
    """The history of changes to people, role descriptions, memberships and stories, and the log
    of who read a person's record: admins only (they hold other people's personal data too)."""
    return is_admin(user)


def can_export_person(user) -> bool:
    """A subject access export holds everything about a person, across directorates: admins."""
    return is_admin(user)


def can_erase_person(user) -> bool:
    return is_admin(user)


def get_membership_history_for(user, project_pk: int, membership_pk: int):
    """The history rows of one team membership of a project (it may since have been removed),
    oldest first; 404 when there are none, 403 for anyone but admins."""
    from django.http import Http404

    from involvement.models import TeamMembership

    if not can_see_audit_trail(user):
        raise PermissionDenied
    records = TeamMembership.history.filter(id=membership_pk, project_id=project_pk)
    if not records.exists():
        raise Http404("No such team membership.")
    return records
