from django.apps import AppConfig


class ConflictsConfig(AppConfig):
    name = "conflicts"
    verbose_name = "Conflicts of interest"

    def ready(self) -> None:
        from committees import hooks, minutes
        from conflicts.decisions import procurement_notes
        from conflicts.minutes import declaration_lines
        from conflicts.services import procurement_record_for

        if declaration_lines not in minutes.declaration_providers:
            minutes.declaration_providers.append(declaration_lines)
        # The register of procurement decisions is written inside the approval's own transaction.
        if procurement_record_for not in hooks.decision_approved:
            hooks.decision_approved.append(procurement_record_for)
        if procurement_notes not in hooks.decision_notes:
            hooks.decision_notes.append(procurement_notes)
