"""URLs of the people register, invitations, role descriptions, matching and opportunities
(issue 4); ``involvement.urls`` adds them to the app's namespace."""

from django.urls import path

from involvement.views import (
    invitations,
    matching,
    me,
    opportunities,
    people,
    record,
    role_descriptions,
)

urlpatterns = [
    # The people register (PPLs and admins).
    path("people/", people.person_list, name="people_list"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/invite/", people.person_invite, name="person_invite"),
    path("people/<int:pk>/training/add/", people.person_training_add, name="training_add"),
    path(
        "people/<int:pk>/training/<int:training_pk>/delete/",
        people.person_training_delete,
        name="training_delete",
    ),
    path(
        "people/<int:person_pk>/role-descriptions/new/",
        role_descriptions.role_description_create,
        name="role_description_create",
    ),
    path(
        "people/role-descriptions/",
        role_descriptions.role_description_list,
        name="role_description_list",
    ),
    path(
        "people/role-descriptions/<int:pk>/",
        role_descriptions.role_description_detail,
        name="role_description_detail",
    ),
    path(
        "people/role-descriptions/<int:pk>/edit/",
        role_descriptions.role_description_edit,
        name="role_description_edit",
    ),
    path(
        "people/role-descriptions/<int:pk>/agree/",
        role_descriptions.role_description_agree,
        name="role_description_agree",
    ),
    path(
        "people/role-descriptions/<int:pk>/new-version/",
        role_descriptions.role_description_new_version,
        name="role_description_new_version",
    ),
    path(
        "people/role-descriptions/<int:pk>/end/",
        role_descriptions.role_description_end,
        name="role_description_end",
    ),
    path(
        "people/role-descriptions/<int:pk>/print/",
        role_descriptions.role_description_print,
        name="role_description_print",
    ),
    path(
        "people/role-descriptions/<int:pk>/pdf/",
        role_descriptions.role_description_pdf,
        name="role_description_pdf",
    ),
    # A person's record of involvement (issue 11), for the staff who keep it.
    path("people/<int:pk>/record/", record.person_record, name="person_record"),
    path("people/<int:pk>/record.pdf", record.person_record_pdf, name="person_record_pdf"),
    # Matching people with projects that need a service user or carer.
    path("people/matching/", matching.matching_projects, name="matching_projects"),
    path(
        "people/matching/projects/<int:project_pk>/",
        matching.project_matches,
        name="project_matches",
    ),
    path(
        "people/matching/projects/<int:project_pk>/needs/",
        matching.project_needs_edit,
        name="project_needs_edit",
    ),
    path(
        "people/matching/projects/<int:project_pk>/invite/<int:person_pk>/",
        matching.invite_to_team,
        name="invite_to_team",
    ),
    # Opportunities beyond QI projects (PPLs and admins).
    path("opportunities/", opportunities.opportunity_list, name="opportunity_list"),
    path("opportunities/new/", opportunities.opportunity_create, name="opportunity_create"),
    path("opportunities/<int:pk>/", opportunities.opportunity_detail, name="opportunity_detail"),
    path("opportunities/<int:pk>/edit/", opportunities.opportunity_edit, name="opportunity_edit"),
    # Accepting an invitation (no sign-in: the link is the key).
    path(
        "invitations/<str:token>/",
        invitations.invitation_accept_view,
        name="invitation_accept",
    ),
    # A service user's or carer's own pages.
    path("me/profile/", me.my_profile, name="my_profile"),
    path(
        "me/role-descriptions/new/",
        role_descriptions.my_role_description_create,
        name="my_role_description_create",
    ),
    path(
        "me/role-descriptions/<int:pk>/",
        role_descriptions.my_role_description_detail,
        name="my_role_description_detail",
    ),
    path(
        "me/role-descriptions/<int:pk>/edit/",
        role_descriptions.my_role_description_edit,
        name="my_role_description_edit",
    ),
    path(
        "me/role-descriptions/<int:pk>/agree/",
        role_descriptions.my_role_description_agree,
        name="my_role_description_agree",
    ),
    path(
        "me/role-descriptions/<int:pk>/new-version/",
        role_descriptions.my_role_description_new_version,
        name="my_role_description_new_version",
    ),
    path(
        "me/role-descriptions/<int:pk>/print/",
        role_descriptions.my_role_description_print,
        name="my_role_description_print",
    ),
    path(
        "me/role-descriptions/<int:pk>/pdf/",
        role_descriptions.my_role_description_pdf,
        name="my_role_description_pdf",
    ),
    path("me/record/", record.my_record, name="my_record"),
    path("me/record.pdf", record.my_record_pdf, name="my_record_pdf"),
    path("me/opportunities/", me.my_opportunities, name="my_opportunities"),
    path("me/opportunities/<int:pk>/", me.my_opportunity_detail, name="my_opportunity_detail"),
    path(
        "me/opportunities/<int:pk>/interested/",
        me.my_opportunity_interest,
        name="my_opportunity_interest",
    ),
    path(
        "me/opportunities/<int:pk>/withdraw/",
        me.my_opportunity_withdraw,
        name="my_opportunity_withdraw",
    ),
]
