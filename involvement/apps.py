from django.apps import AppConfig


class InvolvementConfig(AppConfig):
    name = "involvement"
    verbose_name = "Involvement"

    def ready(self) -> None:
        # The levels table follows writes; data protection's export, erasure and retention.
        from involvement import protection_sections, signals  # noqa: F401
