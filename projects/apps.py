from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "QI projects"

    def ready(self) -> None:
        from projects import fragments

        # Every write is seen at the database cursor, so cached fragments never outlive it.
        fragments.install()
