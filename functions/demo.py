"""Reference data for the demonstration: the shipped defaults and each area team's scheme."""

from __future__ import annotations

from cocomm.audit import Reason
from cocomm.models import AreaTeam, User
from functions import services
from functions.choices import SchemeCode
from functions.models import LevelScheme

# Greater Manchester ran its own four-level offer; the other demo areas used the national scheme.
AREA_TEAM_SCHEMES = {
    "Q46": SchemeCode.GREATER_MANCHESTER,
    "Q47": SchemeCode.NATIONAL,
    "Q71": SchemeCode.NATIONAL,
    "Q64": SchemeCode.NATIONAL,
}


def load(*, by: User) -> None:
    """Install the defaults and give each demo area team its scheme."""
    services.reference_data_install(by=by)
    schemes = {s.code: s for s in LevelScheme.objects.all()}
    for area_team in AreaTeam.objects.filter(ods_code__in=AREA_TEAM_SCHEMES):
        services.area_team_scheme_set(
            area_team=area_team,
            scheme=schemes[AREA_TEAM_SCHEMES[area_team.ods_code]],
            by=by,
            reason=Reason.DEMO_DATA,
        )
