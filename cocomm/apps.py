from django.apps import AppConfig


class CocommConfig(AppConfig):
    name = "cocomm"
    verbose_name = "cocomm core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from cocomm.middleware import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="cocomm-start-session-clock")
