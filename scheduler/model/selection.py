"""Sampling in the CP-SAT model: H20-selection and S13-sample-priority.

A selection counts the presence of its units: a required unit's presence is the constant 1, so
it always counts; a day route (the route stage) is listed once per unit it visits, so its one
presence counts each of them (``models.selection``).

Priority: an optional unit a selection samples costs ``weights.sample_priority`` per point of its
priority when left out, and nothing else (no S06-optional: that would price every unit the teams
could fit, 1,000 each, and the plan would visit them all rather than sample). So with equal
priorities the plan visits the cheapest units that meet the selection; a higher priority makes
leaving a unit out dearer, and the solver leaves out the lowest first. A cost rather than a
ranking constraint: a hard "higher before lower" order would make a plan infeasible because a
high-priority unit's window is full, where the planner wants the next one instead. A priority
high enough to outweigh a visit's own cost (a team-day is 60 by default) also pulls visits
beyond the minimum: the README says so.
"""

from __future__ import annotations

from collections import Counter

from models.rules import RuleId
from models.selection import resolved_selections, sampled_ids
from scheduler.model.variables import PlanModel, Term


def add_selections(pm: PlanModel) -> None:
    """H20-selection: every selection has at least its number of units visited."""
    if RuleId.H20_SELECTION in pm.skip:
        return
    for r in resolved_selections(pm.scenario):
        listed = Counter(r.unit_ids)
        pm.model.add(sum(n * pm.present[u] for u, n in listed.items() if u in pm.present)
                     >= r.need)


def sample_priority_left(pm: PlanModel) -> list[Term]:
    """S13-sample-priority: the priority points of the sampled optional units left out (a route
    carries the sum of its units' priorities)."""
    w = pm.scenario.weights.sample_priority
    sampled = sampled_ids(pm.scenario)
    left = [ud.unit.priority * (1 - pm.present[ud.unit.id]) for ud in pm.units()
            if ud.unit.optional and ud.fixed is None and ud.unit.id in sampled and ud.unit.priority]
    return [(RuleId.S13_SAMPLE_PRIORITY, sum(left), w)] if left and w else []
