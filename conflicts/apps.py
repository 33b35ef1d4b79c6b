from django.apps import AppConfig


class ConflictsConfig(AppConfig):
    name = "conflicts"
    verbose_name = "Conflicts of interest"

    def ready(self) -> None:
        from conflicts import signals  # noqa: F401 (connects the receivers)
