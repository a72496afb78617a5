"""URLs of data protection (issue 9), all for admins: a person's history, access log, subject
access export and erasure; the history of a role description and of a team membership.
``involvement.urls`` adds them to the app's namespace."""

from django.urls import path

from involvement.views import protection

urlpatterns = [
    path("people/<int:pk>/history/", protection.person_history, name="person_history"),
    path("people/<int:pk>/access-log/", protection.person_access_log, name="person_access_log"),
    path("people/<int:pk>/export/", protection.person_export, name="person_export"),
    path("people/<int:pk>/export.json", protection.person_export_json, name="person_export_json"),
    path("people/<int:pk>/erase/", protection.person_erase_view, name="person_erase"),
    path(
        "people/role-descriptions/<int:pk>/history/",
        protection.role_description_history,
        name="role_description_history",
    ),
    path(
        "projects/<int:pk>/team/<int:membership_pk>/history/",
        protection.membership_history,
        name="membership_history",
    ),
]
