from django.urls import path

from involvement import views

app_name = "involvement"

urlpatterns = [
    path("me/", views.my_area, name="my_area"),
    path("ppl/", views.ppl_home, name="ppl_home"),
]
