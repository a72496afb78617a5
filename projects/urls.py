from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("mine/", views.lead_home, name="lead_home"),
]
