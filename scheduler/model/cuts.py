"""Redundant constraints of the CP-SAT model: same plans, better bounds, less search.

Capacity cuts (what a team can give in a week, ``scheduler.problem.capacity``) and the symmetry of
interchangeable members. None of them is a rule: each is implied by the hard rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from itertools import pairwise

from ortools.sat.python import cp_model

from models.rules import RuleId
from models.scenario import Member, Scenario
from scheduler.model.variables import SHARED, PlanModel, member_loads
from scheduler.problem.capacity import calendar_weeks, leads, members_week_days
from scheduler.problem.domains import UnitDomain, visit_indices


def add_capacity_cuts(pm: PlanModel) -> None:
    """Redundant, per team: visits in progress per day within its sub-teams, and visit days per
    week within what its leads, and its members of each required agency, can give that week.
    Same plans, but a much better bound on 'visit early'."""
    week_days = calendar_weeks(pm.dom.cal)
    if pm.shared_days:
        _all_teams_cuts(pm, week_days)
        return
    for team in pm.scenario.teams:
        covering: dict[int, list[tuple[UnitDomain, cp_model.IntVar]]] = defaultdict(list)
        for ud in pm.units():
            for d, y in pm.team_day[ud.unit.id].get(team.id, {}).items():
                for i in visit_indices(d, ud.duration):
                    covering[i].append((ud, y))
        if RuleId.H13_PARALLEL not in pm.skip:
            for items in covering.values():
                if len(items) > team.parallel_subteams:
                    pm.model.add(sum(y for _, y in items) <= team.parallel_subteams)
        for days in week_days.values():
            items = [item for i in days for item in covering.get(i, [])]
            if items:
                _weekly_team_cuts(pm, team.id, days, items)


def _all_teams_cuts(pm: PlanModel, week_days: Mapping[int, list[int]]) -> None:
    """With shared start days: per day and per week, all teams' capacity together."""
    covering: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for ud in pm.units():
        for d, y in pm.team_day[ud.unit.id][SHARED].items():
            for i in visit_indices(d, ud.duration):
                covering[i].append(y)
    if RuleId.H13_PARALLEL not in pm.skip:
        per_day = sum(t.parallel_subteams for t in pm.scenario.teams)
        for ys in covering.values():
            if len(ys) > per_day:
                pm.model.add(sum(ys) <= per_day)
    lead_rule = pm.scenario.rules.lead_on_every_visit and RuleId.H06_LEAD not in pm.skip
    for days in week_days.values():
        ys = [y for i in days for y in covering.get(i, [])]
        cap = 0
        for team in pm.scenario.teams:
            team_cap = team.parallel_subteams * len(days)
            if lead_rule:
                team_cap = min(team_cap, _supply(pm, leads(pm.scenario, team.id), days))
            cap += team_cap
        if cap < len(ys):
            pm.model.add(sum(ys) <= cap)


def _supply(pm: PlanModel, members: list[Member], days: Sequence[int]) -> int:
    """Member-days a group of members can give in a week (absences; weekly limits unless H12
    is switched off)."""
    return members_week_days(members, days, pm.dom.unavailable,
                             weekly_limit=RuleId.H12_WEEKLY not in pm.skip)


def _weekly_team_cuts(pm: PlanModel, team_id: str, days: list[int],
                      items: list[tuple[UnitDomain, cp_model.IntVar]]) -> None:
    members = pm.scenario.team_members(team_id)
    cap = len(items)
    if RuleId.H13_PARALLEL not in pm.skip:
        cap = min(cap, pm.scenario.team(team_id).parallel_subteams * len(days))
    if pm.scenario.rules.lead_on_every_visit and RuleId.H06_LEAD not in pm.skip:
        cap = min(cap, _supply(pm, leads(pm.scenario, team_id), days))
    if cap < len(items):
        pm.model.add(sum(y for _, y in items) <= cap)
    if RuleId.H08_AGENCIES in pm.skip:
        return
    for agency in sorted({g for ud, _ in items for g in ud.unit.required_agencies}):
        needing = [y for ud, y in items if agency in ud.unit.required_agencies]
        supply = _supply(pm, [m for m in members if m.agency == agency], days)
        if supply < len(needing):
            pm.model.add(sum(needing) <= supply)


# --- symmetry ----------------------------------------------------------------------------------


def interchangeable_members(scenario: Scenario) -> list[list[str]]:
    """Classes of members no rule tells apart (same team, agency, role, limit, absences): the
    role too, as H18 and S10 tell the Trưởng đoàn from a deputy who may also lead."""
    classes: dict[tuple, list[str]] = defaultdict(list)
    for m in scenario.members:
        key = (m.team, m.agency, m.role, m.can_lead, m.max_visits_per_week, repr(m.unavailable))
        classes[key].append(m.id)
    return [ids for ids in classes.values() if len(ids) > 1]


def break_member_symmetry(pm: PlanModel) -> None:
    """Interchangeable members are taken in order: the first of a class has the most visit days.

    Valid because swapping two such members in a plan changes neither its rules nor its cost.
    """
    for ids in interchangeable_members(pm.scenario):
        loads = [member_loads(pm, m) for m in ids]
        for a, b in pairwise(loads):
            pm.model.add(a >= b)
