"""The fewest day routes a group of short visits needs, counted from what fits one day.

``ceil(visit minutes / working minutes)`` ignores that a visit never spans the pause
(``WorkingDay.visit_start``) and that two far-apart visits may not fit one day with their drives.
Two stronger counts, each a lower bound on the routes of every plan:

- a session holds at most the ``k`` shortest visits of the group whose minutes fit its length, so
  a day holds at most ``K`` = the sum over sessions; ``ceil(n / K)`` days;
- when ``K <= 2`` a day holds one visit or a pair that ``travel.lay_out`` fits (in either order,
  from some base of some team that may make it): the days are ``n - (pairs in a matching)``, and
  a matching is at most half the largest matching of the graph's bipartite double cover (the
  fractional matching bound, a max flow).

A team without a base of its own lays days out from a unit's place: no pair test then, nor for a
group of more than ``PAIR_CAP`` units.
"""

from __future__ import annotations

import math
from itertools import combinations, pairwise

from ortools.graph.python import max_flow

from models.scenario import Scenario, Unit
from scheduler.routing.points import team_bases, travel_params, unit_point, working_day
from scheduler.routing.stage import eligible_teams
from scheduler.routing.travel import Point, lay_out, travel_of

PAIR_CAP = 400  # units of a group beyond which the pairs are not tested (n² day layouts)


def fewest_routes(scenario: Scenario, members: list[Unit]) -> int:
    """A lower bound on the day routes of every plan that visits ``members`` (one route group)."""
    day = working_day(scenario)
    minutes = sorted(u.visit_minutes or 0 for u in members)
    by_minutes = math.ceil(sum(minutes) / day.minutes)
    per_day = sum(_fit_count(minutes, end - start) for start, end in day.sessions)
    if per_day == 0:
        return by_minutes
    by_sessions = math.ceil(len(members) / per_day)
    if per_day > 2:
        return max(by_minutes, by_sessions)
    team_points = [team_bases(scenario, t) for t in eligible_teams(scenario, members[0])]
    if per_day < 2 or not all(team_points) or len(members) > PAIR_CAP:
        return max(by_minutes, by_sessions)
    bases = sorted({b for points in team_points for b in points})
    pairs = [(i, j) for (i, a), (j, b) in combinations(enumerate(members), 2)
             if _pair_fits(scenario, a, b, bases)]
    return max(by_minutes, by_sessions, len(members) - _matching_bound(len(members), pairs))


def _fit_count(minutes: list[int], length: int) -> int:
    """How many of the visits (ascending minutes) fit one session of ``length``, at most."""
    total, count = 0, 0
    for m in minutes:
        total += m
        if total > length:
            break
        count += 1
    return count


def _pair_fits(scenario: Scenario, a: Unit, b: Unit, bases: list[Point]) -> bool:
    params, day = travel_params(scenario), working_day(scenario)
    for base in bases:
        for first, second in ((a, b), (b, a)):
            path = [base, unit_point(first, base), unit_point(second, base), base]
            drives = [travel_of(p, q, params) for p, q in pairwise(path)]
            if lay_out(drives, [first.visit_minutes or 0, second.visit_minutes or 0], day) is not None:
                return True
    return False


def _matching_bound(n: int, pairs: list[tuple[int, int]]) -> int:
    """An upper bound on a matching of ``pairs``: half the double cover's largest matching."""
    if not pairs:
        return 0
    flow = max_flow.SimpleMaxFlow()
    source, sink = 2 * n, 2 * n + 1
    for i in range(n):
        flow.add_arc_with_capacity(source, i, 1)
        flow.add_arc_with_capacity(n + i, sink, 1)
    for i, j in pairs:
        flow.add_arc_with_capacity(i, n + j, 1)
        flow.add_arc_with_capacity(j, n + i, 1)
    flow.solve(source, sink)
    return flow.optimal_flow() // 2
