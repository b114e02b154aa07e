"""A valid lower bound on S03-early, from a relaxation solved as a min-cost flow.

CP-SAT's own bound on a sum of start offsets stays far below the plans it finds
(PERFORMANCE.md). This relaxation keeps only what makes visits late: every visit day needs one
of its team's sub-teams (H13) and someone of a scarce kind (a lead, H06; or a member of an agency
the unit requires, H08) who is there that day (H11), on at most one visit a day (H10) and
within their weekly limit (H12). Everything else (group size, conflicts, the same person on all
days of a visit, the other agencies) is dropped, so every plan that obeys the hard rules is a
flow of this network:

    visit day job -> (team, day) [cap: sub-teams] -> (person, day) [cap 1] -> (person, week)
    [cap: weekly limit] -> sink

A visit of D days is D jobs, job k on day s + k costing S03's count for s (``early_days``) / D
(costs scaled by the common multiple of the durations, so they stay integers). The cheapest flow
is therefore at most the S03-early sum of any plan. Bounds of several "scarce kinds" are
computed and the best kept. Pure Python plus OR-Tools' min-cost flow; no CP-SAT.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial

from ortools.graph.python import min_cost_flow

from models.rules import RuleId
from models.scenario import Member
from models.timing import early_days
from scheduler.problem import capacity
from scheduler.problem.domains import Domains, UnitDomain

# Rule families the relaxation relies on: with any of them switched off there is no bound.
RELIES_ON = frozenset({RuleId.H06_LEAD, RuleId.H08_AGENCIES, RuleId.H10_MEMBER_DAY, RuleId.H11_AVAILABLE,
                       RuleId.H12_WEEKLY, RuleId.H13_PARALLEL})


def _jobs_scale(units: list[UnitDomain]) -> int:
    return math.lcm(*(ud.duration for ud in units)) if units else 1


def _min_offset(ud: UnitDomain) -> int:
    return min(early_days(s, ud.baseline) for s in ud.all_starts)


def flow_bound(dom: Domains, units: list[UnitDomain],
               people: Callable[[str], list[Member]] | None) -> int | None:
    """Least S03-early sum (unweighted) of ``units`` when each visit day needs one of
    ``people(team_id)`` (None: only the teams' sub-teams); None when the relaxation has no
    flow (the scenario is infeasible)."""
    scale = _jobs_scale(units)
    flow = min_cost_flow.SimpleMinCostFlow()
    nodes: dict[tuple, int] = {}

    def node(key: tuple) -> int:
        return nodes.setdefault(key, len(nodes))

    sink = node(("sink",))
    jobs = 0
    shift = 0  # costs are made >= 0 per unit; the offsets are added back at the end
    for ud in units:
        base, n = _min_offset(ud), ud.unit.stands_for  # a composite visit: once per unit
        shift += base * scale * n
        for k in range(ud.duration):
            job = node(("job", ud.unit.id, k))
            flow.set_node_supply(job, 1)
            jobs += 1
            for t in ud.teams:
                for s in ud.starts[t]:
                    cost = (early_days(s, ud.baseline) - base) * scale * n // ud.duration
                    flow.add_arc_with_capacity_and_unit_cost(
                        job, node(("team-day", t, s + k)), 1, cost)
    flow.set_node_supply(sink, -jobs)
    for key in list(nodes):
        if key[0] != "team-day":
            continue
        _, t, d = key
        team = dom.scenario.team(t)
        out = node(("team-day-out", t, d))
        flow.add_arc_with_capacity_and_unit_cost(nodes[key], out, team.parallel_subteams, 0)
        if people is None:
            team_week = node(("team-week", t, dom.week(d)))
            flow.add_arc_with_capacity_and_unit_cost(out, team_week, team.parallel_subteams, 0)
            continue
        for m in people(t):
            if d in dom.unavailable.get(m.id, set()):
                continue
            person_day = node(("person-day", m.id, d))
            flow.add_arc_with_capacity_and_unit_cost(out, person_day, 1, 0)
    weekly: set[tuple[str, int]] = set()
    for key in list(nodes):
        if key[0] != "person-day":
            continue
        _, m_id, d = key
        week = node(("person-week", m_id, dom.week(d)))
        flow.add_arc_with_capacity_and_unit_cost(nodes[key], week, 1, 0)
        weekly.add((m_id, dom.week(d)))
    for m_id, wk in sorted(weekly):
        limit = dom.scenario.member(m_id).max_visits_per_week
        cap = limit if limit is not None else 7
        flow.add_arc_with_capacity_and_unit_cost(nodes[("person-week", m_id, wk)], sink, cap, 0)
    for key in list(nodes):
        if key[0] == "team-week":
            cap = team_week_capacity(dom, key[1], key[2], units)
            flow.add_arc_with_capacity_and_unit_cost(nodes[key], sink, cap, 0)
    if flow.solve() != flow.OPTIMAL:
        return None
    return math.ceil((flow.optimal_cost() + shift) / scale - 1e-9)


def team_week_capacity(dom: Domains, team_id: str, week: int, units: list[UnitDomain]) -> int:
    """Visit days a team can give in a week (``scheduler.problem.capacity``), counting each agency all
    ``units`` require."""
    days = [d for d in range(dom.cal.size) if dom.week(d) == week]
    common = set.intersection(*(set(ud.unit.required_agencies) for ud in units)) if units else set()
    return capacity.team_week_capacity(dom.scenario, team_id, days, dom.unavailable, sorted(common))


def _agency_members(dom: Domains, agency: str, team_id: str) -> list[Member]:
    return [m for m in dom.scenario.team_members(team_id) if m.agency == agency]


def early_lower_bound(dom: Domains) -> int | None:
    """Lower bound on the unweighted S03-early sum of every plan of these domains.

    None when the rules it relies on are switched off or a relaxation has no flow.
    """
    if dom.skip & RELIES_ON or not dom.units:
        return None
    required = [ud for ud in dom.units.values() if not ud.unit.optional and ud.all_starts]
    if len(required) < sum(1 for ud in dom.units.values() if not ud.unit.optional):
        return None  # a required unit with no possible day: infeasible, nothing to bound
    # Optional units may be left out (offset 0) or visited (offset >= their least offset).
    optional = sum(min(0, _min_offset(ud)) * ud.unit.stands_for for ud in dom.units.values()
                   if ud.unit.optional and ud.all_starts)
    bounds = []
    if dom.scenario.rules.lead_on_every_visit:
        bounds.append(flow_bound(dom, required, lambda t: capacity.leads(dom.scenario, t)))
    for agency in sorted({g for ud in required for g in ud.unit.required_agencies}):
        needing = [ud for ud in required if agency in ud.unit.required_agencies]
        rest = sum(_min_offset(ud) * ud.unit.stands_for for ud in required
                   if agency not in ud.unit.required_agencies)
        b = flow_bound(dom, needing, partial(_agency_members, dom, agency))
        bounds.append(None if b is None else b + rest)
    bounds.append(flow_bound(dom, required, None))
    if any(b is None for b in bounds):
        return None
    return max(b for b in bounds if b is not None) + optional
