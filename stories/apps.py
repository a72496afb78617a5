from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = "Co-production stories"

    def ready(self) -> None:
        from stories import (
            protection,  # noqa: F401 - stories' part of export and erasure
            signals,  # noqa: F401 - the project page's cached reflections
        )
