"""Changes to levels, functions and the decision-rights matrix: audited, administrators only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from cocomm.audit import Reason, save_audited
from cocomm.models import AreaTeam, User
from functions import permissions, reference
from functions.models import AreaTeamScheme, DecisionRight, Function, Level, LevelScheme


@transaction.atomic
def reference_data_install(*, by: User) -> None:
    """Install the shipped schemes, levels, functions and matrix; existing rows are left alone."""
    if not permissions.can_change_decision_rights(by):
        raise PermissionDenied("Only a system administrator may install reference data.")
    functions: dict[int, Function] = {f.number: f for f in Function.objects.all()}
    for number, (name, description) in reference.FUNCTIONS.items():
        if number not in functions:
            function = Function(number=number, name=name, description=description)
            save_audited(function, by=by, reason=Reason.REFERENCE_DATA)
            functions[number] = function
    for data in reference.SCHEMES:
        scheme = LevelScheme.objects.filter(code=data.code).first()
        if scheme is None:
            scheme = LevelScheme(code=data.code, name=data.name, description=data.description)
            save_audited(scheme, by=by, reason=Reason.REFERENCE_DATA)
        levels = {lvl.number: lvl for lvl in scheme.levels.all()}
        default = reference.DEFAULTS[data.code]
        for number, (name, description) in data.levels.items():
            level = levels.get(number)
            if level is None:
                level = Level(scheme=scheme, number=number, name=name, description=description)
                save_audited(level, by=by, reason=Reason.REFERENCE_DATA)
            present = set(level.rights.values_list("function__number", flat=True))
            for function_number, function in functions.items():
                if function_number in present:
                    continue
                right, reasoning = default(number, function_number)
                cell = DecisionRight(level=level, function=function, right=right, reasoning=reasoning)
                save_audited(cell, by=by, reason=Reason.REFERENCE_DATA)


@transaction.atomic
def decision_right_change(
    *, decision_right: DecisionRight, right: str, nhse_veto: bool, reasoning: str, by: User, reason: str
) -> DecisionRight:
    """Change one cell of the decision-rights matrix."""
    if not permissions.can_change_decision_rights(by):
        raise PermissionDenied("Only a system administrator may change the decision-rights matrix.")
    cell = DecisionRight.objects.select_for_update().get(pk=decision_right.pk)
    cell.right = right
    cell.nhse_veto = nhse_veto
    cell.reasoning = reasoning
    save_audited(cell, by=by, reason=reason)
    return cell


@transaction.atomic
def area_team_scheme_set(
    *, area_team: AreaTeam, scheme: LevelScheme, by: User, reason: str
) -> AreaTeamScheme:
    """Say which level scheme an area team uses."""
    if not permissions.can_set_area_team_scheme(by):
        raise PermissionDenied("Only a system administrator may set an area team's scheme.")
    choice = AreaTeamScheme.objects.select_for_update().filter(area_team=area_team).first()
    if choice is None:
        choice = AreaTeamScheme(area_team=area_team, scheme=scheme)
    elif choice.scheme_id == scheme.pk:
        return choice
    choice.scheme = scheme
    save_audited(choice, by=by, reason=reason)
    return choice
