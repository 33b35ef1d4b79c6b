from django.apps import AppConfig


class CocommConfig(AppConfig):
    name = "cocomm"
    verbose_name = "cocomm core"
