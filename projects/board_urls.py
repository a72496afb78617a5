"""``/boards/…``: idea boards (the boards namespace)."""

from django.urls import path

from projects.views import boards

app_name = "boards"

urlpatterns = [
    path("", boards.board_list, name="list"),
    path("new/project/<int:project_pk>/", boards.open_for_project, name="open_for_project"),
    path("new/forum/<int:forum_pk>/", boards.open_for_forum, name="open_for_forum"),
    path("<int:pk>/", boards.board_detail, name="detail"),
    path("<int:pk>/notes.json", boards.board_notes, name="notes"),
    path("<int:pk>/notes/add/", boards.note_add, name="note_add"),
    path("<int:pk>/notes/<uuid:note_id>/remove/", boards.note_remove, name="note_remove"),
    path("<int:pk>/notes/<uuid:note_id>/vote/", boards.vote, name="vote"),
    path("<int:pk>/notes/<uuid:note_id>/project/", boards.note_to_project, name="note_to_project"),
    path("<int:pk>/notes/<uuid:note_id>/action/", boards.note_action, name="note_action"),
    path("<int:pk>/invite/", boards.invite, name="invite"),
    path(
        "<int:pk>/participants/<int:participant_pk>/remove/",
        boards.participant_remove,
        name="participant_remove",
    ),
    path("<int:pk>/voting/open/", boards.voting_open, name="voting_open"),
    path("<int:pk>/voting/close/", boards.voting_close, name="voting_close"),
    path("<int:pk>/close/", boards.board_close, name="close"),
    path("<int:pk>/summary/", boards.summary, name="summary"),
    path("<int:pk>/summary.pdf", boards.summary_pdf, name="summary_pdf"),
]
