from django.apps import AppConfig


class InvolvementConfig(AppConfig):
    name = "involvement"
    verbose_name = "Involvement"

    def ready(self) -> None:
        from involvement import signals  # noqa: F401 - connects the levels table to writes
