"""Load the demonstration data of every app; safe to run again."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from cocomm.audit import system_user
from cocomm.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load demonstration data (area teams, CCGs, levels, users). Running it twice changes nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        by = system_user()
        logins: list[tuple[str, str]] = []
        with transaction.atomic():
            # Each app may ship a `demo` module; load them lowest layer first, as installed.
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.demo"
                if find_spec(module_name) is not None:
                    module = import_module(module_name)
                    module.load(by=by)
                    logins.extend(getattr(module, "LOGINS", []))
                    self.stdout.write(f"Loaded demo data: {app_config.verbose_name}")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        for username, description in logins:
            self.stdout.write(f"  {username:<22} {description}")
