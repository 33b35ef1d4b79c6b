"""Install the shipped levels, functions and decision-rights matrix; existing rows are kept."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cocomm.audit import system_user
from functions.services import reference_data_install


class Command(BaseCommand):
    help = "Install the two level schemes, the 14 functions and the default decision-rights matrix."

    def handle(self, *args: Any, **options: Any) -> None:
        reference_data_install(by=system_user())
        self.stdout.write(self.style.SUCCESS("Reference data installed."))
