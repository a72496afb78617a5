"""The access matrix: every URL of the app, for every role, with the status it must give.

A test walks the whole URLconf, so a new view without a row here fails. Each URL is requested by
each role with objects that belong to someone else; a page that answers 200 must not show the
private person's name or contact details unless the row says that role may see them.

Roles: anonymous, service user (SU), project lead, forum chair, PPL of the objects' directorate,
PPL of another directorate, admin.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from involvement.access import Role
from tests.factories import (
    DirectorateFactory,
    MembershipFactory,
    OpportunityFactory,
    PersonFactory,
    ProjectFactory,
    RoleDescriptionFactory,
    UserFactory,
)

ROLES = ("anonymous", "su", "lead", "chair", "ppl", "other_ppl", "admin")
LOGIN = "login"  # a redirect to the sign-in page

# The person whose data must not leak, and their contact details.
PRIVATE_NAME = "Zelda Quartermaine"
PRIVATE_EMAIL = "zelda.quartermaine@example.org"
PRIVATE_PHONE = "07700 900461"


@dataclass
class World:
    """Objects that belong to someone else than the signed-in user."""

    users: dict
    directorate: object
    other_directorate: object
    person: object
    project: object
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    url: Callable[[World], str]
    # Expected status per role, in ROLES order (LOGIN = redirect to the sign-in page).
    expect: tuple
    # Roles that may see the private person's name (contact details: see ``contact``).
    sees_name: frozenset = frozenset()
    sees_contact: frozenset = frozenset()
    # Some views redirect as their normal answer (e.g. home → role home); a code, not LOGIN.


def fixed(name: str, **kwargs) -> Callable[[World], str]:
    return lambda world: reverse(name, kwargs=kwargs or None)


def of(name: str, **attributes: str) -> Callable[[World], str]:
    """A URL whose kwargs are objects of the world: of("x", pk="person") → pk=world.person.pk."""

    def build(world: World) -> str:
        kwargs = {}
        for key, attribute in attributes.items():
            target = getattr(world, attribute, None) or world.extra[attribute]
            kwargs[key] = target.pk
        return reverse(name, kwargs=kwargs)

    return build


ALL_SIGNED_IN = (LOGIN, 200, 200, 200, 200, 200, 200)
PUBLIC = (200,) * 7
ADMIN_ONLY = (LOGIN, 403, 403, 403, 403, 403, 200)
# Pages for PPLs and admins: other roles 403; the other directorate's PPL 404 for a record.
STAFF_LIST = (LOGIN, 403, 403, 403, 200, 200, 200)
STAFF_RECORD = (LOGIN, 403, 403, 403, 200, 404, 200)
STAFF_POST_ONLY = (LOGIN, 403, 403, 403, 405, 405, 405)
# A service user's own pages, asked for with someone else's record: 404 for them too.
# A story waiting for review is seen by its authors and its reviewers only (404 for others).
STORY_IN_REVIEW = (LOGIN, 404, 404, 404, 200, 404, 200)
POST_ONLY = (LOGIN,) + (405,) * 6
SU_OWN = (LOGIN, 200, 403, 403, 403, 403, 403)
SU_OTHERS_RECORD = (LOGIN, 404, 403, 403, 403, 403, 403)
SU_POST_ONLY = (LOGIN, 405, 403, 403, 403, 403, 403)
PPL_AND_ADMIN = frozenset({"ppl", "admin"})
# An idea board: its facilitators (the directorate's PPL, admins) and those invited; 404 for others.
BOARD_FACILITATORS = (LOGIN, 404, 404, 404, 200, 404, 200)
ADMIN = frozenset({"admin"})

MATRIX: dict[str, Row] = {
    # Accounts and shared pages.
    "home": Row(fixed("home"), (LOGIN, 302, 302, 302, 302, 302, 302)),
    "no_role": Row(fixed("no_role"), (LOGIN, 302, 302, 302, 302, 302, 302)),
    "minimal": Row(fixed("minimal"), ALL_SIGNED_IN),
    "glossary": Row(fixed("glossary"), PUBLIC),
    "login": Row(fixed("login"), (200, 302, 302, 302, 302, 302, 302)),
    "logout": Row(fixed("logout"), (405,) * 7),  # POST only
    "password_change": Row(fixed("password_change"), ALL_SIGNED_IN),
    "password_change_done": Row(fixed("password_change_done"), ALL_SIGNED_IN),
    "password_reset": Row(fixed("password_reset"), PUBLIC),
    "password_reset_done": Row(fixed("password_reset_done"), PUBLIC),
    "password_reset_confirm": Row(
        fixed("password_reset_confirm", uidb64="MQ", token="bad-token"), PUBLIC
    ),
    "password_reset_complete": Row(fixed("password_reset_complete"), PUBLIC),
    # Home pages.
    "involvement:my_area": Row(fixed("involvement:my_area"), (LOGIN, 200, 403, 403, 403, 403, 403)),
    "involvement:ppl_home": Row(
        fixed("involvement:ppl_home"), (LOGIN, 403, 403, 403, 200, 200, 403), PPL_AND_ADMIN
    ),
    "projects:lead_home": Row(fixed("projects:lead_home"), (LOGIN, 403, 200, 403, 403, 403, 403)),
    "charts:chair_home": Row(fixed("charts:chair_home"), (LOGIN, 403, 403, 200, 403, 403, 403)),
    "charts:admin_home": Row(fixed("charts:admin_home"), ADMIN_ONLY),
    # Charts (issue 6): aggregates only, for every role; notes on the chart are the admins'.
    "charts:no_involvement": Row(fixed("charts:no_involvement"), ADMIN_ONLY),
    "charts:pchart": Row(fixed("charts:pchart"), ALL_SIGNED_IN),
    "charts:pchart_csv": Row(fixed("charts:pchart_csv"), ALL_SIGNED_IN),
    "charts:small_multiples": Row(fixed("charts:small_multiples"), ALL_SIGNED_IN),
    "charts:aims": Row(fixed("charts:aims"), ALL_SIGNED_IN),
    "charts:annotation_add": Row(fixed("charts:annotation_add"), ADMIN_ONLY),
    "charts:phase_add": Row(fixed("charts:phase_add"), ADMIN_ONLY),
    "charts:annotation_delete": Row(
        lambda w: reverse("charts:annotation_delete", args=[_annotation(w).pk]), (405,) * 7
    ),
    # The involvement report (issue 8): admins only. Without options it is the form; the PDF is
    # tested in tests/charts/test_report_views.py.
    "reports:index": Row(fixed("reports:index"), ADMIN_ONLY),
    "charts:phase_delete": Row(
        lambda w: reverse("charts:phase_delete", args=[_phase(w).pk]), (405,) * 7
    ),
    # The people register.
    "involvement:people_list": Row(fixed("involvement:people_list"), STAFF_LIST, PPL_AND_ADMIN),
    "involvement:person_create": Row(fixed("involvement:person_create"), STAFF_LIST),
    "involvement:person_detail": Row(
        of("involvement:person_detail", pk="person"), STAFF_RECORD, PPL_AND_ADMIN, PPL_AND_ADMIN
    ),
    "involvement:person_edit": Row(
        of("involvement:person_edit", pk="person"), STAFF_RECORD, PPL_AND_ADMIN, PPL_AND_ADMIN
    ),
    "involvement:person_invite": Row(
        of("involvement:person_invite", pk="person"), STAFF_RECORD, PPL_AND_ADMIN, PPL_AND_ADMIN
    ),
    "involvement:training_add": Row(
        of("involvement:training_add", pk="person"), STAFF_RECORD, PPL_AND_ADMIN
    ),
    "involvement:training_delete": Row(
        of("involvement:training_delete", pk="person", training_pk="training"), STAFF_POST_ONLY
    ),
    "involvement:role_description_list": Row(
        fixed("involvement:role_description_list"), STAFF_LIST, PPL_AND_ADMIN
    ),
    "involvement:role_description_create": Row(
        of("involvement:role_description_create", person_pk="person"), STAFF_RECORD, PPL_AND_ADMIN
    ),
    "involvement:role_description_detail": Row(
        of("involvement:role_description_detail", pk="role_description"),
        STAFF_RECORD,
        PPL_AND_ADMIN,
    ),
    "involvement:role_description_edit": Row(
        of("involvement:role_description_edit", pk="role_description"),
        STAFF_RECORD,
        PPL_AND_ADMIN,
    ),
    "involvement:role_description_agree": Row(
        of("involvement:role_description_agree", pk="role_description"), STAFF_POST_ONLY
    ),
    "involvement:role_description_new_version": Row(
        of("involvement:role_description_new_version", pk="role_description"), STAFF_POST_ONLY
    ),
    "involvement:role_description_end": Row(
        of("involvement:role_description_end", pk="agreed_role_description"),
        STAFF_RECORD,
        PPL_AND_ADMIN,
    ),
    "involvement:role_description_print": Row(
        of("involvement:role_description_print", pk="role_description"),
        STAFF_RECORD,
        PPL_AND_ADMIN,
    ),
    "involvement:role_description_pdf": Row(
        of("involvement:role_description_pdf", pk="role_description"),
        STAFF_RECORD,
        PPL_AND_ADMIN,
    ),
    # Records of involvement (issue 11): staff who keep the person's record; a service user may
    # ask for their own by number, and gets a 404 for anyone else's.
    "involvement:person_record": Row(
        of("involvement:person_record", pk="person"),
        (LOGIN, 404, 403, 403, 200, 404, 200),
        PPL_AND_ADMIN,
    ),
    "involvement:person_record_pdf": Row(
        of("involvement:person_record_pdf", pk="person"),
        (LOGIN, 404, 403, 403, 200, 404, 200),
        PPL_AND_ADMIN,
    ),
    "involvement:matching_projects": Row(fixed("involvement:matching_projects"), STAFF_LIST),
    "involvement:project_matches": Row(
        of("involvement:project_matches", project_pk="project"), STAFF_RECORD, PPL_AND_ADMIN
    ),
    "involvement:project_needs_edit": Row(
        of("involvement:project_needs_edit", project_pk="project"), STAFF_RECORD
    ),
    "involvement:invite_to_team": Row(
        of("involvement:invite_to_team", project_pk="project", person_pk="person"),
        STAFF_POST_ONLY,
    ),
    "involvement:opportunity_list": Row(fixed("involvement:opportunity_list"), STAFF_LIST),
    "involvement:opportunity_create": Row(fixed("involvement:opportunity_create"), STAFF_LIST),
    "involvement:opportunity_detail": Row(
        of("involvement:opportunity_detail", pk="opportunity"), STAFF_RECORD, PPL_AND_ADMIN
    ),
    "involvement:opportunity_edit": Row(
        of("involvement:opportunity_edit", pk="opportunity"), STAFF_RECORD
    ),
    # Accepting an invitation: the link is the key; a tampered one is a 404 for everybody.
    "involvement:invitation_accept": Row(
        fixed("involvement:invitation_accept", token="tampered:token:value"), (404,) * 7
    ),
    # A service user's own pages, tried with someone else's records.
    "involvement:my_profile": Row(fixed("involvement:my_profile"), SU_OWN),
    "involvement:my_role_description_create": Row(
        fixed("involvement:my_role_description_create"), SU_OWN
    ),
    "involvement:my_role_description_detail": Row(
        of("involvement:my_role_description_detail", pk="role_description"), SU_OTHERS_RECORD
    ),
    "involvement:my_role_description_edit": Row(
        of("involvement:my_role_description_edit", pk="role_description"), SU_OTHERS_RECORD
    ),
    "involvement:my_role_description_agree": Row(
        of("involvement:my_role_description_agree", pk="role_description"), SU_POST_ONLY
    ),
    "involvement:my_role_description_new_version": Row(
        of("involvement:my_role_description_new_version", pk="role_description"), SU_POST_ONLY
    ),
    "involvement:my_role_description_print": Row(
        of("involvement:my_role_description_print", pk="role_description"), SU_OTHERS_RECORD
    ),
    "involvement:my_role_description_pdf": Row(
        of("involvement:my_role_description_pdf", pk="role_description"), SU_OTHERS_RECORD
    ),
    "involvement:my_record": Row(fixed("involvement:my_record"), SU_OWN),
    "involvement:my_record_pdf": Row(fixed("involvement:my_record_pdf"), SU_OWN),
    "involvement:my_opportunities": Row(fixed("involvement:my_opportunities"), SU_OWN),
    "involvement:my_opportunity_detail": Row(
        of("involvement:my_opportunity_detail", pk="other_opportunity"), SU_OTHERS_RECORD
    ),
    "involvement:my_opportunity_interest": Row(
        of("involvement:my_opportunity_interest", pk="other_opportunity"), SU_POST_ONLY
    ),
    "involvement:my_opportunity_withdraw": Row(
        of("involvement:my_opportunity_withdraw", pk="other_opportunity"), SU_POST_ONLY
    ),
    # Stories (issue 7): a published story and one waiting for review, in Newham, written by
    # another member of staff; the project's reflections.
    "stories:library": Row(fixed("stories:library"), ALL_SIGNED_IN),
    "stories:feed": Row(fixed("stories:feed"), ALL_SIGNED_IN),
    "stories:feed_atom": Row(fixed("stories:feed_atom"), ALL_SIGNED_IN),
    "stories:private_feed": Row(
        fixed("stories:private_feed", token="tampered-feed-token"), (404,) * 7
    ),
    "stories:new": Row(fixed("stories:new"), ALL_SIGNED_IN),
    "stories:mine": Row(fixed("stories:mine"), ALL_SIGNED_IN),
    "stories:review_queue": Row(fixed("stories:review_queue"), STAFF_LIST),
    "stories:reflections_overview": Row(fixed("stories:reflections_overview"), STAFF_LIST),
    "stories:detail": Row(lambda w: _story(w, "published").get_absolute_url(), ALL_SIGNED_IN),
    "stories:print": Row(
        lambda w: reverse("stories:print", kwargs={"slug": _story(w, "published").slug}),
        ALL_SIGNED_IN,
    ),
    "stories:edit": Row(
        lambda w: reverse("stories:edit", args=[_story(w, "submitted").pk]), STORY_IN_REVIEW
    ),
    "stories:people": Row(
        lambda w: reverse("stories:people", args=[_story(w, "submitted").pk]),
        STORY_IN_REVIEW,
        PPL_AND_ADMIN,  # the people register to pick from, scoped as everywhere
    ),
    "stories:remove_person": Row(
        lambda w: reverse("stories:remove_person", args=_named(w)), POST_ONLY
    ),
    "stories:consent": Row(lambda w: reverse("stories:consent", args=_named(w)), STORY_IN_REVIEW),
    "stories:submit": Row(
        lambda w: reverse("stories:submit", args=[_story(w, "submitted").pk]),
        POST_ONLY,
    ),
    "stories:request_changes": Row(
        lambda w: reverse("stories:request_changes", args=[_story(w, "submitted").pk]),
        STORY_IN_REVIEW,
    ),
    "stories:publish": Row(
        lambda w: reverse("stories:publish", args=[_story(w, "submitted").pk]),
        POST_ONLY,
    ),
    "stories:withdraw": Row(
        lambda w: reverse("stories:withdraw", args=[_story(w, "published").pk]),
        (LOGIN, 403, 403, 403, 200, 403, 200),
    ),
    "stories:project_reflections": Row(
        of("stories:project_reflections", project_id="project"),
        (LOGIN, 404, 404, 403, 200, 403, 200),
    ),
    "stories:reflection_new": Row(
        of("stories:reflection_new", project_id="project"),
        (LOGIN, 404, 404, 403, 200, 403, 200),
    ),
    # Projects (issue 3): the world's project is in Newham, led by another lead, with the private
    # person on its team.
    "projects:list": Row(fixed("projects:list"), ALL_SIGNED_IN),
    "projects:detail": Row(
        lambda w: reverse("projects:detail", args=[w.project.pk]),
        (LOGIN, 404, 404, 200, 200, 200, 200),
        sees_name=frozenset({"ppl", "admin"}),
    ),
    "projects:create": Row(fixed("projects:create"), (LOGIN, 403, 200, 403, 200, 200, 200)),
    "projects:edit": Row(
        lambda w: reverse("projects:edit", args=[w.project.pk]),
        (LOGIN, 403, 403, 403, 200, 403, 200),
    ),
    "projects:activate": Row(
        lambda w: reverse("projects:activate", args=[w.project.pk]), (LOGIN,) + (405,) * 6
    ),
    "projects:plan_sign_off": Row(
        lambda w: reverse("projects:plan_sign_off", args=[w.project.pk]), (LOGIN,) + (405,) * 6
    ),
    "projects:score_add": Row(
        lambda w: reverse("projects:score_add", args=[w.project.pk]),
        (LOGIN, 403, 403, 403, 200, 403, 200),
    ),
    "projects:import_start": Row(
        fixed("projects:import_start"), (LOGIN, 403, 403, 403, 403, 403, 200)
    ),
    "projects:import_upload": Row(
        fixed("projects:import_upload", kind="projects"), (LOGIN, 403, 403, 403, 403, 403, 200)
    ),
    # Without an uploaded file in the session, the preview sends the admin back to the upload.
    "projects:import_preview": Row(
        fixed("projects:import_preview", kind="projects"), (LOGIN, 403, 403, 403, 403, 403, 302)
    ),
    "projects:import_apply": Row(
        fixed("projects:import_apply", kind="projects"), (LOGIN, 403, 403, 403, 403, 403, 405)
    ),
    # An import applied by an admin: its page and the progress JSON its script polls.
    "projects:import_job": Row(
        lambda w: reverse("projects:import_job", args=[_import_job(w).pk]), ADMIN_ONLY
    ),
    "projects:import_job_progress": Row(
        lambda w: reverse("projects:import_job_progress", args=[_import_job(w).pk]), ADMIN_ONLY
    ),
    "forums:list": Row(fixed("forums:list"), (LOGIN, 403, 200, 200, 200, 200, 200)),
    "forums:detail": Row(
        lambda w: reverse("forums:detail", args=[_forum(w).pk]),
        (LOGIN, 403, 200, 200, 200, 200, 200),
    ),
    "forums:meeting_add": Row(
        lambda w: reverse("forums:meeting_add", args=[_forum(w).pk]),
        (LOGIN, 404, 403, 403, 200, 403, 200),
    ),
    "forums:meeting_edit": Row(
        lambda w: reverse("forums:meeting_edit", args=[_forum(w).pk, _meeting(w).pk]),
        (LOGIN, 404, 403, 403, 200, 403, 200),
    ),
    # Involvement logging: the PPL of the directorate and admins pick from its people register.
    "involvement:quick_log": Row(
        fixed("involvement:quick_log"),
        (LOGIN, 403, 403, 403, 200, 200, 200),
        sees_name=frozenset({"ppl", "admin"}),
    ),
    "involvement:membership_add": Row(
        lambda w: reverse("involvement:membership_add", args=[w.project.pk]),
        (LOGIN, 403, 403, 403, 200, 403, 200),
        sees_name=frozenset({"ppl", "admin"}),
    ),
    "involvement:membership_end": Row(
        lambda w: reverse(
            "involvement:membership_end", args=[w.project.pk, w.project.memberships.get().pk]
        ),
        (LOGIN, 403, 403, 403, 200, 403, 200),
        sees_name=frozenset({"ppl", "admin"}),
    ),
    "involvement:membership_remove": Row(
        lambda w: reverse(
            "involvement:membership_remove", args=[w.project.pk, w.project.memberships.get().pk]
        ),
        (LOGIN, 403, 403, 403, 200, 403, 200),
        sees_name=frozenset({"ppl", "admin"}),
    ),
    "involvement:activity_add": Row(
        lambda w: reverse("involvement:activity_add", args=[w.project.pk]),
        (LOGIN, 403, 403, 403, 200, 403, 200),
        sees_name=frozenset({"ppl", "admin"}),
    ),
    "involvement:activity_remove": Row(
        lambda w: reverse("involvement:activity_remove", args=[w.project.pk, _activity(w).pk]),
        (LOGIN, 403, 403, 403, 200, 403, 200),
    ),
    # Payments (issue 5): the world's private person has a claim waiting ("claim", recorded by a
    # third PPL of Newham) and an approved one in a batch ("batch").
    "involvement:payments_queue": Row(
        fixed("involvement:payments_queue"), STAFF_LIST, PPL_AND_ADMIN
    ),
    "involvement:claim_list": Row(fixed("involvement:claim_list"), STAFF_LIST, PPL_AND_ADMIN),
    "involvement:claim_start": Row(fixed("involvement:claim_start"), STAFF_LIST, PPL_AND_ADMIN),
    "involvement:claim_create": Row(
        of("involvement:claim_create", person_pk="person"), STAFF_RECORD, PPL_AND_ADMIN
    ),
    "involvement:claim_detail": Row(
        of("involvement:claim_detail", pk="claim"), STAFF_RECORD, PPL_AND_ADMIN
    ),
    "involvement:claim_edit": Row(
        of("involvement:claim_edit", pk="claim"), STAFF_RECORD, PPL_AND_ADMIN
    ),
    "involvement:claim_approve": Row(of("involvement:claim_approve", pk="claim"), STAFF_POST_ONLY),
    # Only a PPL of the claim's directorate decides: an admin may look but not reject.
    "involvement:claim_reject": Row(
        of("involvement:claim_reject", pk="claim"),
        (LOGIN, 403, 403, 403, 200, 404, 403),
        PPL_AND_ADMIN,
    ),
    "involvement:claim_reverse": Row(
        of("involvement:claim_reverse", pk="approved_claim"), STAFF_RECORD, PPL_AND_ADMIN
    ),
    "involvement:batch_list": Row(fixed("involvement:batch_list"), STAFF_LIST),
    "involvement:batch_create": Row(fixed("involvement:batch_create"), STAFF_LIST, PPL_AND_ADMIN),
    "involvement:batch_detail": Row(
        of("involvement:batch_detail", pk="batch"), STAFF_RECORD, PPL_AND_ADMIN
    ),
    "involvement:batch_csv": Row(
        of("involvement:batch_csv", pk="batch"), STAFF_RECORD, PPL_AND_ADMIN
    ),
    "involvement:batch_mark_paid": Row(
        of("involvement:batch_mark_paid", pk="batch"), STAFF_POST_ONLY
    ),
    "involvement:rate_list": Row(fixed("involvement:rate_list"), STAFF_LIST),
    "involvement:rate_create": Row(
        fixed("involvement:rate_create"), (LOGIN, 403, 403, 403, 403, 403, 200)
    ),
    "involvement:payment_totals": Row(
        fixed("involvement:payment_totals"), (LOGIN, 403, 403, 403, 403, 403, 200)
    ),
    "involvement:my_payments": Row(fixed("involvement:my_payments"), SU_OWN),
    "involvement:my_claim_create": Row(fixed("involvement:my_claim_create"), SU_OWN),
    "involvement:my_claim_detail": Row(
        of("involvement:my_claim_detail", pk="claim"), SU_OTHERS_RECORD
    ),
    # Idea boards (issue 11): a board on the world's project, opened by its lead (someone else),
    # with a note of theirs. Only its facilitators (the directorate's PPL, admins) and the people
    # invited (none of the roles here) see it: everyone else gets a 404.
    "boards:list": Row(fixed("boards:list"), ALL_SIGNED_IN),
    "boards:open_for_project": Row(
        of("boards:open_for_project", project_pk="project"), (LOGIN, 404, 404, 403, 200, 403, 200)
    ),
    "boards:open_for_forum": Row(
        lambda w: reverse("boards:open_for_forum", args=[_forum(w).pk]),
        (LOGIN, 404, 403, 403, 200, 403, 200),
    ),
    "boards:detail": Row(lambda w: _board_url(w, "detail"), BOARD_FACILITATORS),
    "boards:notes": Row(lambda w: _board_url(w, "notes"), BOARD_FACILITATORS),
    "boards:summary": Row(lambda w: _board_url(w, "summary"), BOARD_FACILITATORS),
    "boards:summary_pdf": Row(lambda w: _board_url(w, "summary_pdf"), BOARD_FACILITATORS),
    "boards:invite": Row(lambda w: _board_url(w, "invite"), BOARD_FACILITATORS),
    "boards:voting_open": Row(lambda w: _board_url(w, "voting_open"), BOARD_FACILITATORS),
    "boards:voting_close": Row(lambda w: _board_url(w, "voting_close"), BOARD_FACILITATORS),
    "boards:close": Row(lambda w: _board_url(w, "close"), BOARD_FACILITATORS),
    "boards:note_add": Row(lambda w: _board_url(w, "note_add"), POST_ONLY),
    "boards:note_remove": Row(lambda w: _board_note_url(w, "note_remove"), POST_ONLY),
    "boards:vote": Row(lambda w: _board_note_url(w, "vote"), POST_ONLY),
    "boards:note_to_project": Row(
        lambda w: _board_note_url(w, "note_to_project"), BOARD_FACILITATORS
    ),
    "boards:note_action": Row(lambda w: _board_note_url(w, "note_action"), BOARD_FACILITATORS),
    "boards:participant_remove": Row(
        lambda w: reverse(
            "boards:participant_remove",
            args=[_board(w).pk, _board(w).participants.get().pk],
        ),
        POST_ONLY,
    ),
    "charts:annotation_from_board_note": Row(
        lambda w: reverse("charts:annotation_from_board_note", args=[_board_note(w).pk]),
        BOARD_FACILITATORS,
    ),
    # Data protection (issue 9): histories, the access log, subject access export and erasure are
    # the admins' alone.
    "involvement:person_history": Row(
        of("involvement:person_history", pk="person"), ADMIN_ONLY, ADMIN, ADMIN
    ),
    "involvement:person_access_log": Row(
        of("involvement:person_access_log", pk="person"), ADMIN_ONLY, ADMIN
    ),
    "involvement:person_export": Row(
        of("involvement:person_export", pk="person"), ADMIN_ONLY, ADMIN, ADMIN
    ),
    "involvement:person_export_json": Row(
        of("involvement:person_export_json", pk="person"), ADMIN_ONLY, ADMIN, ADMIN
    ),
    "involvement:person_erase": Row(of("involvement:person_erase", pk="person"), ADMIN_ONLY, ADMIN),
    "involvement:role_description_history": Row(
        of("involvement:role_description_history", pk="role_description"), ADMIN_ONLY, ADMIN
    ),
    "involvement:membership_history": Row(
        lambda w: reverse(
            "involvement:membership_history", args=[w.project.pk, w.project.memberships.get().pk]
        ),
        ADMIN_ONLY,
        ADMIN,
    ),
    "stories:history": Row(
        lambda w: reverse("stories:history", args=[_story(w, "published").pk]), ADMIN_ONLY
    ),
}


def _board(world: World):
    """An idea board on the world's project, opened by the project's own lead."""
    if "board" not in world.extra:
        from projects import services_boards

        board = services_boards.board_open(
            question="What gets in the way?", by=world.project.lead, project=world.project
        )
        world.extra["board"] = board
        world.extra["board_note"] = services_boards.note_add(
            board=board,
            by=world.project.lead,
            column="creative",
            text="Calmer evenings",
            anonymous=False,
        )
    return world.extra["board"]


def _board_note(world: World):
    _board(world)
    return world.extra["board_note"]


def _board_url(world: World, name: str) -> str:
    return reverse(f"boards:{name}", args=[_board(world).pk])


def _board_note_url(world: World, name: str) -> str:
    return reverse(f"boards:{name}", args=[_board(world).pk, _board_note(world).pk])


def _import_job(world: World):
    from projects.models import ImportJob

    if "import_job" not in world.extra:
        world.extra["import_job"] = ImportJob.objects.create(
            kind="projects",
            file_name="lifeqi.csv",
            created_by=world.users["admin"],
            status="done",
            total_rows=3,
            rows_new=3,
        )
    return world.extra["import_job"]


def _story(world: World, state: str):
    """A story in Newham by another member of staff, "published" or "submitted" for review."""
    key = f"story_{state}"
    if key not in world.extra:
        from stories import services as story_services

        author = world.extra.setdefault(
            "story_author", UserFactory(username="m_author", roles=[Role.LEAD])
        )
        story = story_services.story_create(
            author=author,
            principles=("collaborate",),
            title=f"A {state} story",
            body="We met, we listened, we changed the clinic.",
            directorate=world.directorate,
        )
        story_services.story_submit(story=story, by=author)
        if state == "published":
            story_services.story_publish(story=story, by=world.users["admin"])
        story.refresh_from_db()
        world.extra[key] = story
    return world.extra[key]


def _named(world: World) -> list[int]:
    """[story pk, named person pk] of someone named (without consent) in the story for review."""
    story = _story(world, "submitted")
    named = story.named_people.first() or story.named_people.create(name="Ravi Named")
    return [story.pk, named.pk]


def _annotation(world: World):
    from charts.models import ChartAnnotation

    return ChartAnnotation.objects.get_or_create(
        date=datetime.date(2024, 3, 1), text="SU chairs all QI forums"
    )[0]


def _phase(world: World):
    from charts.models import ChartPhase

    return ChartPhase.objects.get_or_create(month=datetime.date(2024, 3, 1))[0]


def _forum(world: World):
    """A forum of the world's directorate, chaired by someone else than the chair role's user."""
    if "forum" not in world.extra:
        from projects.models import Forum

        forum = Forum.objects.create(name="Matrix forum", chair=UserFactory(roles=[Role.CHAIR]))
        forum.directorates.add(world.directorate)
        world.extra["forum"] = forum
    return world.extra["forum"]


def _meeting(world: World):

    return _forum(world).meetings.get_or_create(date=datetime.date(2024, 5, 14))[0]


def _activity(world: World):
    from tests.factories import ActivityFactory

    if "activity" not in world.extra:
        world.extra["activity"] = ActivityFactory(project=world.project)
    return world.extra["activity"]


def _url_names(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            if full == "admin":
                continue  # the Django admin has its own permission checks (staff only)
            yield from _url_names(pattern, full)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_of_the_app_has_a_row():
    names = set(_url_names())
    assert names - set(MATRIX) == set(), "views without a row in the access matrix"
    assert set(MATRIX) - names == set(), "rows for URLs that no longer exist"


@pytest.fixture
def world(db) -> World:
    newham = DirectorateFactory(name="Newham")
    forensic = DirectorateFactory(name="Forensic services")
    users = {
        "anonymous": None,
        "su": UserFactory(username="m_su", roles=[Role.SU]),
        "lead": UserFactory(username="m_lead", roles=[Role.LEAD], directorates=[newham]),
        "chair": UserFactory(username="m_chair", roles=[Role.CHAIR]),
        "ppl": UserFactory(username="m_ppl", roles=[Role.PPL], directorates=[newham]),
        "other_ppl": UserFactory(username="m_oppl", roles=[Role.PPL], directorates=[forensic]),
        "admin": UserFactory(
            username="m_admin", roles=[Role.ADMIN], is_staff=True, is_superuser=True
        ),
    }
    PersonFactory(user=users["su"], name="Sam Own-Record", directorates=[newham])
    someone_elses_lead = UserFactory(username="m_lead2", roles=[Role.LEAD], directorates=[newham])
    person = PersonFactory(
        name=PRIVATE_NAME, email=PRIVATE_EMAIL, phone=PRIVATE_PHONE, directorates=[newham]
    )
    project = ProjectFactory(directorate=newham, lead=someone_elses_lead, title="Calmer wards")
    MembershipFactory(project=project, person=person)
    from involvement.models import Training

    extra = {
        "training": Training.objects.create(
            person=person, course="Pocket QI", completed_on=project.start_date
        ),
        "role_description": RoleDescriptionFactory(person=person, project=project),
        "agreed_role_description": RoleDescriptionFactory(
            person=person, project=project, status="agreed"
        ),
        "opportunity": OpportunityFactory(directorate=newham),
        # An opportunity outside the SU's directorates: not theirs to see.
        "other_opportunity": OpportunityFactory(directorate=forensic),
    }
    extra.update(_payments(newham, person, project, users["admin"]))
    return World(users, newham, forensic, person, project, extra)


def _payments(newham, person, project, admin) -> dict:
    """A claim of the private person waiting for approval, and an approved one in a batch, both
    recorded by a third PPL of Newham (so the matrix's PPL could decide them)."""
    import datetime
    from decimal import Decimal

    from involvement import services_payments
    from involvement.models_payments import Rate

    Rate.objects.create(
        kind="hourly", amount=Decimal("15.00"), effective_from=datetime.date(2020, 4, 6)
    )
    recorder = UserFactory(username="m_ppl3", roles=[Role.PPL], directorates=[newham])
    membership = project.memberships.get()

    def claim(day):
        return services_payments.claim_create(
            person=person,
            data=services_payments.ClaimInput(
                rate_kind="hourly", hours=Decimal("2"), date=day, membership=membership
            ),
            by=recorder,
        )

    waiting = claim(project.start_date)
    approved = services_payments.claim_approve(
        claim=claim(project.start_date + datetime.timedelta(days=1)),
        by=UserFactory(username="m_ppl4", roles=[Role.PPL], directorates=[newham]),
    )
    batch = services_payments.batch_create(claims=[approved], by=admin)
    return {"claim": waiting, "approved_claim": approved, "batch": batch}


def _status(response) -> object:
    if response.status_code == 302 and "/accounts/login/" in response.get("Location", ""):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_the_expected_status_and_no_foreign_personal_data(client, world, name):
    row = MATRIX[name]
    url = row.url(world)
    failures = []
    for role, expected in zip(ROLES, row.expect, strict=True):
        client.logout()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        response = client.get(url)
        got = _status(response)
        if got != expected:
            failures.append(f"{role}: expected {expected}, got {got}")
            continue
        if response.status_code == 200:
            html = response.content.decode(errors="replace")
            if role not in row.sees_name and PRIVATE_NAME in html:
                failures.append(f"{role}: sees the private person's name")
            if role not in row.sees_contact and (PRIVATE_EMAIL in html or PRIVATE_PHONE in html):
                failures.append(f"{role}: sees the private person's contact details")
    assert not failures, f"{name} ({url}): " + "; ".join(failures)
