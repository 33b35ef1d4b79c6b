from django.apps import AppConfig


class ConflictsConfig(AppConfig):
    name = "conflicts"
    verbose_name = "Conflicts of interest"

    def ready(self) -> None:
        from committees import minutes
        from conflicts import signals  # noqa: F401 (connects the receivers)
        from conflicts.minutes import declaration_lines

        if declaration_lines not in minutes.declaration_providers:
            minutes.declaration_providers.append(declaration_lines)
