"""``/forums/…``: QI forums and their meetings (the forums namespace)."""

from django.urls import path

from projects.views import forums

app_name = "forums"

urlpatterns = [
    path("", forums.forum_list, name="list"),
    path("<int:pk>/", forums.forum_detail, name="detail"),
    path("<int:pk>/meetings/add/", forums.meeting_add, name="meeting_add"),
    path("<int:pk>/meetings/<int:meeting_pk>/edit/", forums.meeting_edit, name="meeting_edit"),
]
