from django.apps import AppConfig


class ChartsConfig(AppConfig):
    name = "charts"
    verbose_name = "Charts and reports"

    def ready(self) -> None:
        from charts import signals  # noqa: F401 - the cached chart scopes follow their records
