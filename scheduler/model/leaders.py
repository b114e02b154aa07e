"""S10-leader-load in the CP-SAT model: a Trưởng đoàn's visit days in a week above the cap.

The model has no member x day booleans, so a leader's days in week w on unit u, the product
count_w(u) * z[u, m] (``week_day_counts`` times the member boolean), is held from below by an
integer p >= count_w(u) - duration * (1 - z), p >= 0, and the week's excess from below by
sum(p) - cap, excess >= 0. The objective minimises both, so at the optimum they are exact and a
proven plan is priced as ``scheduler.cost.price.leader_load``. A day route is one composite unit of
duration 1, so its short visits are one visit-day already; a visit kept fixed has its member
booleans fixed by ``add_fixed_visits`` and needs nothing special.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from models.rules import RuleId
from scheduler.cost.price import leader_ids
from scheduler.model.variables import PlanModel, Term, week_day_counts
from scheduler.problem.domains import UnitDomain, visit_indices


@dataclass(frozen=True)
class LeaderDays:
    """A leader's possible days on one unit in one week: count_w(u) * z[u, m], at most ``most``."""

    ud: UnitDomain
    count: cp_model.LinearExprT  # the unit's visit days in the week (``week_day_counts``)
    z: cp_model.IntVar  # the leader goes on the unit's visit
    most: int  # the most days the visit may have in the week


def leader_load_term(pm: PlanModel) -> list[Term]:
    """S10-leader-load: per leader and week, visit days above ``rules.leader_days_per_week``."""
    w = pm.scenario.weights.leader_load
    cap = pm.scenario.rules.leader_days_per_week
    if w == 0 or cap is None:
        return []
    excess: list[cp_model.IntVar] = []
    for member_id in sorted(leader_ids(pm.scenario)):
        for wk, parts in sorted(_leader_weeks(pm, member_id).items()):
            most = sum(part.most for part in parts)
            if most <= cap:  # the leader cannot go above the cap that week: no variable needed
                continue
            days = sum(_days_on(pm, part, f"{member_id},{wk}") for part in parts)
            over = pm.model.new_int_var(0, most - cap, f"leader_over[{member_id},{wk}]")
            pm.model.add(over >= days - cap)
            excess.append(over)
    return [(RuleId.S10_LEADER_LOAD, sum(excess), w)] if excess else []


def _leader_weeks(pm: PlanModel, member_id: str) -> dict[int, list[LeaderDays]]:
    """Per week, the leader's possible days on each unit he may go on."""
    weeks: dict[int, list[LeaderDays]] = defaultdict(list)
    for ud in pm.units():
        z = pm.member[ud.unit.id].get(member_id)
        if z is None:
            continue
        most = _most_days_per_week(pm, ud)
        for wk, count in week_day_counts(pm, ud).items():
            weeks[wk].append(LeaderDays(ud, count, z, most[wk]))
    return weeks


def _days_on(pm: PlanModel, part: LeaderDays, key: str) -> cp_model.IntVar:
    """count * z from below: the unit's days in the week when the leader goes, else 0."""
    p = pm.model.new_int_var(0, part.most, f"leader_days[{part.ud.unit.id},{key}]")
    pm.model.add(p + part.ud.duration * (1 - part.z) >= part.count)
    return p


def _most_days_per_week(pm: PlanModel, ud: UnitDomain) -> dict[int, int]:
    """Per week, the most days the unit's visit may have in it over its possible starts."""
    most: dict[int, int] = defaultdict(int)
    for d in ud.all_starts:
        per_week: dict[int, int] = defaultdict(int)
        for i in visit_indices(d, ud.duration):
            per_week[pm.dom.week(i)] += 1
        for wk, n in per_week.items():
            most[wk] = max(most[wk], n)
    return most
