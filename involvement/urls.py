from django.urls import path

from involvement import urls_payments, urls_people, urls_protection
from involvement.views import home, quick_log, team

app_name = "involvement"

urlpatterns = [
    path("me/", home.my_area, name="my_area"),
    path("ppl/", home.ppl_home, name="ppl_home"),
    path("ppl/log/", quick_log.quick_log, name="quick_log"),
    path("projects/<int:pk>/team/add/", team.membership_add, name="membership_add"),
    path(
        "projects/<int:pk>/team/<int:membership_pk>/end/",
        team.membership_end,
        name="membership_end",
    ),
    path(
        "projects/<int:pk>/team/<int:membership_pk>/remove/",
        team.membership_remove,
        name="membership_remove",
    ),
    path("projects/<int:pk>/activities/add/", team.activity_add, name="activity_add"),
    path(
        "projects/<int:pk>/activities/<int:activity_pk>/remove/",
        team.activity_remove,
        name="activity_remove",
    ),
]

# The people register, invitations, role descriptions, matching and opportunities.
urlpatterns += urls_people.urlpatterns

# Payments: rates, claims, approval, batches, and a person's own payments (issue 5).
urlpatterns += urls_payments.urlpatterns

# Data protection: histories, the access log, subject access export and erasure (admins).
urlpatterns += urls_protection.urlpatterns
