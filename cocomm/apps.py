from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CocommConfig(AppConfig):
    name = "cocomm"
    verbose_name = "cocomm core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from cocomm.history_guard import install_after_migrate
        from cocomm.middleware import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="cocomm-start-session-clock")

        # After every migrate, whichever app added a history table: guard it (see history_guard).
        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="cocomm-history-guards")
