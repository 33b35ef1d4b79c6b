"""Reference data for tests: the shipped schemes, levels, functions and matrix."""

from __future__ import annotations

from dataclasses import dataclass

from cocomm.audit import system_user
from cocomm.models import AreaTeam
from functions.choices import SchemeCode
from functions.models import Function, Level, LevelScheme
from functions.services import area_team_scheme_set, reference_data_install


@dataclass
class Reference:
    national: LevelScheme
    greater_manchester: LevelScheme

    def level(self, scheme: LevelScheme, number: int) -> Level:
        return scheme.levels.get(number=number)

    def function(self, number: int) -> Function:
        return Function.objects.get(number=number)

    def use_scheme(self, area_team: AreaTeam, scheme: LevelScheme) -> None:
        area_team_scheme_set(area_team=area_team, scheme=scheme, by=system_user(), reason="Test data")


def install_reference() -> Reference:
    """Install the shipped reference data (idempotent) and return handles on it."""
    reference_data_install(by=system_user())
    return Reference(
        national=LevelScheme.objects.get(code=SchemeCode.NATIONAL),
        greater_manchester=LevelScheme.objects.get(code=SchemeCode.GREATER_MANCHESTER),
    )
