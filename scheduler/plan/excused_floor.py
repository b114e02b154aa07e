"""A floor on S10-leader-load + S12-group-members from the team-days a plan needs (whole-team policy).

Under the whole-team policy (one sub-team a team, no unit with its own group size) every team-day
is one visit-day of the whole team: each member who could go (not away, not from an inspected
agency) either goes or is excused at ``group_members`` a day (S12). A member goes at most
``max_visits_per_week`` days a week (H12), so in a week of ``n`` team-days a member there on
``a >= n - away`` of them is excused on ``a - limit`` at least; a Trưởng đoàn who goes on more
than ``leader_days_per_week`` days pays ``leader_load`` a day above it (S10), or is excused at
``group_members``: the least of the two a day. What a week of ``n`` team-days costs a team is
therefore convex in ``n``, and the cheapest spread of the team-days the plan needs is a
min-cost flow:

    demand (a route group's fewest routes, a whole-day unit's days) -> (team, week) of its
    feasible days -> sink [convex: that week's cost]

A route keeps to its group (``scheduler.routing.stage.group_key``) and a team-day with one
sub-team holds one route or one visit day, so every plan is such a flow. A day within a
multi-day visit's length of a member's away day counts as away (such a visit leaves the member
out on all its days). Trips count no team-day, as in ``bound.route_floor``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable

from models.groups import goes_as_whole_team, team_leaders
from models.rules import RuleId
from models.scenario import Member, Unit
from scheduler.plan.flownet import FlowNet
from scheduler.plan.route_days import fewest_routes
from scheduler.problem.domains import Domains

RELIES_ON = frozenset({RuleId.H05_GROUP_TEAM, RuleId.H09_CONFLICT, RuleId.H10_MEMBER_DAY,
                       RuleId.H11_AVAILABLE, RuleId.H12_WEEKLY, RuleId.H13_PARALLEL})

Demand = tuple[tuple[str, ...], set[int], int]  # eligible teams, feasible days, team-days needed


def excused_floor(dom: Domains, demands: list[Demand]) -> int:
    """Weighted S10 + S12 floor of every plan whose team-days cover ``demands`` (0 when the
    policy or the weights make it none)."""
    scenario = dom.scenario
    w = scenario.weights
    units = [ud.unit for ud in dom.units.values() if not ud.unit.optional]
    if dom.skip & RELIES_ON or w.group_members == 0 or not units or not all(
            goes_as_whole_team(scenario, u, t) for u in units for t in scenario.teams):
        return 0
    longest = max(u.duration for u in units)
    net, total = FlowNet(), 0
    for i, (team_ids, feasible, count) in enumerate(demands):
        net.supply(("demand", i), count)
        total += count
        for team_id in team_ids:
            for week in sorted({dom.week(d) for d in feasible}):
                net.arc(("demand", i), ("team-week", team_id, week), count)
    weeks = _week_days(dom)
    for t in scenario.teams:
        people = _could_go(t.id, units, scenario.rules.conflict_of_interest, dom)
        leaders = {m.id for m in team_leaders(scenario, t.id)}
        for week, days in weeks.items():
            price = [sum(_member_cost(dom, m, m.id in leaders, days, n, longest) for m in people)
                     for n in range(len(days) + 1)]
            net.convex(("team-week", t.id, week), ("sink",), len(days), price)
    net.supply(("sink",), -total)
    found = net.solve()
    return 0 if found is None else found


def _week_days(dom: Domains) -> dict[int, list[int]]:
    weeks: dict[int, list[int]] = defaultdict(list)
    for d in range(dom.cal.size):
        weeks[dom.week(d)].append(d)
    return weeks


def _could_go(team_id: str, units: Iterable[Unit], conflict: bool, dom: Domains) -> list[Member]:
    """The team's members no unit's conflict of interest keeps home (H09)."""
    inspected = {u.agency for u in units if u.agency} if conflict else set()
    return [m for m in dom.scenario.team_members(team_id) if m.agency not in inspected]


def _member_cost(dom: Domains, m: Member, leader: bool, days: list[int], n: int, longest: int) -> int:
    """Least S10 + S12 (weighted) of ``m`` in a week of ``n`` team-days among ``days``."""
    away = dom.unavailable.get(m.id, set())
    near = sum(1 for d in days if any(d + k in away for k in range(1 - longest, longest)))
    there = max(0, n - near)
    w = dom.scenario.weights
    limit = m.max_visits_per_week if m.max_visits_per_week is not None else len(days)
    cost = w.group_members * max(0, there - limit)
    cap = dom.scenario.rules.leader_days_per_week
    if leader and cap is not None and cap < limit:
        cost += min(w.leader_load, w.group_members) * max(0, min(there, limit) - cap)
    return cost


def demands_of(dom: Domains, groups: list[list[Unit]], on_trips: Collection[str] = ()) -> list[Demand]:
    """The team-days a plan needs: each route group's fewest routes on its units' days, each
    other required unit's days (one on a trip: none), as ``bound.route_floor`` counts them."""
    demands: list[Demand] = []
    grouped = {u.id for members in groups for u in members}
    for members in groups:
        days = {d for u in members for d in dom.units[u.id].all_starts}
        teams = tuple(sorted({t for u in members for t in dom.units[u.id].teams}))
        demands.append((teams, days, fewest_routes(dom.scenario, members)))
    for ud in dom.units.values():
        u = ud.unit
        if u.optional or u.id in grouped or u.id in on_trips:
            continue
        days = {s + k for s in ud.all_starts for k in range(u.duration)}
        demands.append((tuple(ud.teams), days, u.duration))
    return demands
