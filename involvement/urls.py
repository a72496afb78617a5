from django.urls import path

from involvement import urls_people
from involvement.views import home

app_name = "involvement"

urlpatterns = [
    path("me/", home.my_area, name="my_area"),
    path("ppl/", home.ppl_home, name="ppl_home"),
]

# The people register, invitations, role descriptions, matching and opportunities.
urlpatterns += urls_people.urlpatterns
