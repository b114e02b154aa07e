"""S12-group-members in the CP-SAT model: who goes beyond (or short of) the policy's group.

Under ``group_policy: whole_team`` every member of the visiting team who could go (not away
that day, not from the inspected agency) and does not is excused, at a cost per member-day;
under ``minimum`` (and for teams that split into sub-teams) every member above the unit's floor
costs instead. A unit with its own ``group_size`` has an exact group and costs nothing here.
Priced exactly as ``scheduler.cost.price.group_members`` (``models.groups`` decides which case).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from models.groups import goes_as_whole_team, group_floor
from models.rules import RuleId
from scheduler.cost.price import group_deviation
from scheduler.model.variables import SHARED, PlanModel, Term, team_member_vars
from scheduler.problem.domains import UnitDomain, visit_indices


def group_members_term(pm: PlanModel) -> list[Term]:
    """S12-group-members: excused member-days of whole-team visits, extra ones of the others."""
    w = pm.scenario.weights.group_members
    if w == 0:
        return []
    parts: list[cp_model.LinearExprT] = []
    for ud in pm.units():
        if ud.unit.group_size is not None:
            continue
        if ud.fixed is not None:  # kept as it is: a constant, priced by the cost function
            parts.append(_fixed_cost(pm, ud) * pm.present[ud.unit.id])
            continue
        for t in ud.teams:
            if goes_as_whole_team(pm.scenario, ud.unit, pm.scenario.team(t)):
                parts += [ud.duration * _excused(pm, ud, t, m.id, z)
                          for m, z in team_member_vars(pm, ud.unit.id, t)
                          if not pm.is_tied(ud.unit.id, m.id)]  # tied: never excused
            else:
                parts.append(ud.duration * _extra(pm, ud, t))
    return [(RuleId.S12_GROUP_MEMBERS, sum(parts), w)] if parts else []


def _fixed_cost(pm: PlanModel, ud: UnitDomain) -> int:
    assert ud.fixed is not None
    days = set(visit_indices(pm.dom.cal.index(ud.fixed.start), ud.duration))
    team = pm.scenario.team(ud.fixed.team_id)
    per_day = group_deviation(pm.scenario, ud.unit, team, set(ud.fixed.member_ids), days,
                              pm.dom.unavailable)
    return per_day * ud.duration


def _extra(pm: PlanModel, ud: UnitDomain, team_id: str) -> cp_model.LinearExprT:
    """Members above the floor (never negative: H07 holds the floor)."""
    uid = ud.unit.id
    group = sum(z for _, z in team_member_vars(pm, uid, team_id))
    return group - group_floor(pm.scenario, ud.unit) * pm.team[uid][team_id]


def _excused(pm: PlanModel, ud: UnitDomain, team_id: str, member_id: str,
             z: cp_model.IntVar) -> cp_model.LinearExprT:
    """1 when the team goes on a day the member could go and the member stays behind.

    With a start boolean per team the expression is exact and never negative (H11 keeps z off
    the member's away days); with one start boolean shared by the teams it is a boolean held
    above the expression (exact at the optimum, which minimises it)."""
    uid, away = ud.unit.id, ud.forbidden.get(member_id, set())
    if not pm.shared_days:
        return sum(y for d, y in pm.team_day[uid][team_id].items() if d not in away) - z
    excused = pm.model.new_bool_var(f"excused[{uid},{member_id}]")
    on_away_days = sum(y for d, y in pm.team_day[uid][SHARED].items() if d in away)
    pm.model.add(excused >= pm.team[uid][team_id] - z - on_away_days)
    return excused
