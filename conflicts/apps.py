from django.apps import AppConfig


class ConflictsConfig(AppConfig):
    name = "conflicts"
    verbose_name = "Conflicts of interest"

    def ready(self) -> None:
        from committees import hooks, minutes
        from conflicts.decisions import procurement_notes
        from conflicts.gates import (
            chairs_action_conflicts,
            flagged_people,
            item_chair_user_ids,
            unruled_conflicts,
        )
        from conflicts.minutes import declaration_lines
        from conflicts.services import procurement_record_for

        if declaration_lines not in minutes.declaration_providers:
            minutes.declaration_providers.append(declaration_lines)
        # The register of procurement decisions is written inside the approval's own transaction.
        if procurement_record_for not in hooks.decision_approved:
            hooks.decision_approved.append(procurement_record_for)
        if procurement_notes not in hooks.decision_notes:
            hooks.decision_notes.append(procurement_notes)
        # No vote, and no chair's action, while a flagged conflict is unmanaged.
        for hook, check in (
            (hooks.vote_blockers, unruled_conflicts),
            (hooks.chairs_action_blockers, chairs_action_conflicts),
            (hooks.item_chairs, item_chair_user_ids),
            (hooks.flagged_on_item, flagged_people),
        ):
            if check not in hook:
                hook.append(check)  # type: ignore[arg-type]
