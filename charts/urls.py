from django.urls import path

from charts import views

app_name = "charts"

urlpatterns = [
    path("trust/", views.admin_home, name="admin_home"),
    path("trust/no-involvement/", views.no_involvement, name="no_involvement"),
    path("forum/", views.chair_home, name="chair_home"),
    path("pchart/", views.pchart, name="pchart"),
    path("pchart.csv", views.pchart_csv, name="pchart_csv"),
    path("directorates/", views.small_multiples, name="small_multiples"),
    path("aims/", views.aims, name="aims"),
    path("annotations/add/", views.annotation_add, name="annotation_add"),
    path("annotations/<int:pk>/remove/", views.annotation_delete, name="annotation_delete"),
    path(
        "annotations/from-board-note/<uuid:note_id>/",
        views.annotation_from_board_note,
        name="annotation_from_board_note",
    ),
    path("phases/add/", views.phase_add, name="phase_add"),
    path("phases/<int:pk>/remove/", views.phase_delete, name="phase_delete"),
]
