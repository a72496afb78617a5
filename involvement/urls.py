from django.urls import path

from involvement.views import home

app_name = "involvement"

urlpatterns = [
    path("me/", home.my_area, name="my_area"),
    path("ppl/", home.ppl_home, name="ppl_home"),
]
