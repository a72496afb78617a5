from django.urls import path

from stories.views import flow, history, library, reflections

app_name = "stories"

# Fixed words first; a story's slug never takes one of them (models.RESERVED_SLUGS).
urlpatterns = [
    path("", library.library, name="library"),
    path("new/", flow.story_new, name="new"),
    path("mine/", flow.my_stories, name="mine"),
    path("review/", flow.review_queue, name="review_queue"),
    path("feed/", library.rss_feed, name="feed"),
    path("feed/atom/", library.atom_feed, name="feed_atom"),
    path("feed/private/<str:token>/", library.private_feed, name="private_feed"),
    path("reflections/", reflections.reflections_overview, name="reflections_overview"),
    path(
        "reflections/projects/<int:project_id>/",
        reflections.project_reflections,
        name="project_reflections",
    ),
    path(
        "reflections/projects/<int:project_id>/new/",
        reflections.reflection_new,
        name="reflection_new",
    ),
    path("<int:pk>/edit/", flow.story_edit, name="edit"),
    path("<int:pk>/submit/", flow.story_submit, name="submit"),
    path("<int:pk>/request-changes/", flow.story_request_changes, name="request_changes"),
    path("<int:pk>/publish/", flow.story_publish, name="publish"),
    path("<int:pk>/withdraw/", flow.story_withdraw, name="withdraw"),
    path("<int:pk>/people/", flow.story_people, name="people"),
    path(
        "<int:pk>/people/<int:named_pk>/remove/",
        flow.story_person_remove,
        name="remove_person",
    ),
    path("<int:pk>/people/<int:named_pk>/consent/", flow.story_consent, name="consent"),
    path("<int:pk>/history/", history.story_history, name="history"),
    path("<slug:slug>/", library.story_detail, name="detail"),
    path("<slug:slug>/print/", library.story_print, name="print"),
]
