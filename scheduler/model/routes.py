"""The model's terms for S07-travel and S08-team-days (route first, calendar second).

Once the day routes are fixed (``scheduler.routing.stage``), a route's travel depends only on which
team drives it (its base): S07 is ``sum(travel of route r from team t's base × team[r][t])``. S08
counts the (team, day) pairs used: with one sub-team a day every visit-day is its own team-day;
with more, one boolean per team-day is at least each visit's ``team_day`` boolean.

The travel table is the problem's (``Problem.route_travel``, handed on in ``Domains.route_travel``);
a problem without routes has no travel term.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from models.rules import RuleId
from scheduler.routing.trips import TRIP_PREFIX

if TYPE_CHECKING:
    from scheduler.model.variables import PlanModel, Term

def travel_term(pm: PlanModel) -> list[Term]:
    """S07-travel: each route's travel from the base of the team that drives it."""
    w = pm.scenario.weights.travel
    table = pm.dom.route_travel
    if w == 0 or not table:
        return []
    expr = sum(minutes * pm.team[uid][t] for uid, by_team in table.items() if uid in pm.team
               for t, minutes in by_team.items() if t in pm.team[uid])
    return [(RuleId.S07_TRAVEL, expr, w)]


def overnight_term(pm: PlanModel) -> list[Term]:
    """S14-overnight: a trip's nights (its days less one), decided by the route stage: a constant
    of its composite visit, paid when the visit is made."""
    w = pm.scenario.weights.overnight
    trips = [ud for ud in pm.units() if ud.unit.id.startswith(TRIP_PREFIX) and ud.duration > 1]
    if w == 0 or not trips:
        return []
    return [(RuleId.S14_OVERNIGHT, sum((ud.duration - 1) * pm.present[ud.unit.id] for ud in trips), w)]


def team_days_term(pm: PlanModel) -> list[Term]:
    """S08-team-days: distinct (team, day) pairs with a visit."""
    w = pm.scenario.weights.team_days
    if w == 0:
        return []
    if all(t.parallel_subteams == 1 for t in pm.scenario.teams):  # H13: visit-days are team-days
        return [(RuleId.S08_TEAM_DAYS, sum(ud.duration * pm.present[ud.unit.id] for ud in pm.units()), w)]
    used: dict[tuple[str, int], cp_model.IntVar] = {}
    for ud in pm.units():
        uid = ud.unit.id
        for team_id, x_team in pm.team[uid].items():
            for start, x_day in pm.day[uid].items():
                for day in range(start, start + ud.duration):
                    key = (team_id, day)
                    if key not in used:
                        used[key] = pm.model.new_bool_var(f"team_day_used[{team_id},{day}]")
                    pm.model.add(used[key] >= x_day + x_team - 1)
    return [(RuleId.S08_TEAM_DAYS, sum(used.values()), w)]
