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
_NAVIGATION: list[tuple[str, str, tuple[Role, ...]]] = [
    ("My area", "involvement:my_area", (Role.SU,)),
    ("PPL home", "involvement:ppl_home", (Role.PPL,)),
    ("My projects", "projects:lead_home", (Role.LEAD,)),
    ("Forum", "charts:chair_home", (Role.CHAIR,)),
    ("Trust overview", "charts:admin_home", (Role.ADMIN,)),
    ("P-chart", "charts:pchart", tuple(Role)),
    ("Aim analysis", "charts:aims", tuple(Role)),
]


def navigation(user, path: str) -> list[NavItem]:
    """The header links this user may use, with the current one marked."""
    items = []
    for label, url_name, roles in _NAVIGATION:
        if has_role(user, *roles):
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


def can_see_team(user, project) -> bool:
    """Names of a project's team members (service users): admins, PPLs of its directorate and its
    lead. Forum chairs and other PPLs see counts and levels, never names."""
    return can_edit_project(user, project)


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
