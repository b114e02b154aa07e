"""A lower bound on a routed plan's whole price, on the scale of ``plan_cost``.

The calendar model of a routed problem prices a day route as one visit (S03-S05, S09 and S11 count
it once), so its own bound is no bound of the price of the plan as written. This one is, for every
plan whose day routes keep to the route stage's groups (``scheduler.routing.stage.group_key``: the
units that may share a day) and visits every required unit:

- S07-travel + S08-team-days: the route stage's travel bound (planned from each group's first
  team's base; a route driven from another team's base is at most ``δ`` minutes shorter per arc
  that touches the base or moves with it, ``δ`` = the drive between the bases + 1 for rounding),
  plus the team-days of the whole-day visit days and of the fewest routes per group
  (``scheduler.plan.route_days``: minutes, visits a session holds, pairs that fit a day), a
  team-day holding at most ``parallel_subteams`` visits;
- S09-pace: the better of each window's whole-number floor (``scheduler.problem.pace.pace_floor``)
  and a flow over the windows' cumulative counts under the teams' weekly capacities
  (``scheduler.plan.pace_bound``);
- S01-team-balance, S05-agency-spread: counting floors (``scheduler.plan.term_floors``);
- S10-leader-load + S12-group-members under the whole-team policy: the cheapest spread over the
  weeks of the team-days the plan needs (``scheduler.plan.excused_floor``);
- every other term: 0 (all are >= 0).

Each term's floor holds for every plan, so their sum does.

A trip's units (nights away) count no team-day: a valid, weaker bound.

Pure Python, no solver; ``None`` for a re-plan (kept visits are priced elsewhere) or when a short
visit is optional (its route may be left out).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from models.scenario import Scenario, Unit
from scheduler.plan.excused_floor import demands_of, excused_floor
from scheduler.plan.pace_bound import pace_flow_floor
from scheduler.plan.route_days import fewest_routes
from scheduler.plan.term_floors import agency_spread_floor, team_balance_floor
from scheduler.problem.domains import Domains
from scheduler.problem.pace import pace_floor, pace_groups
from scheduler.problem.problem import Problem
from scheduler.routing.points import team_base, travel_params
from scheduler.routing.selections import selections_of
from scheduler.routing.stage import RoutedScenario, eligible_teams, group_key
from scheduler.routing.travel import travel_of


def whole_plan_bound(problem: Problem, routed: RoutedScenario | None,
                     dom: Domains | None = None) -> int | None:
    """Lower bound on ``plan_cost(problem.scenario, plan).total`` (see the module docstring);
    ``routed`` None: a problem without short visits; ``dom``: ``problem``'s domains when built."""
    scenario = problem.scenario
    if problem.as_of is not None or problem.fixed or problem.held:
        return None
    routed = routed or RoutedScenario(scenario, scenario)
    routed_ids = {u for route in routed.routes.values() for u in route.unit_ids}
    short = [u for u in scenario.units if u.id in routed_ids]
    if any(u.optional for u in short):
        return None
    dom = dom or problem.domains()
    w = scenario.weights
    trips = {u for trip in routed.trips.values() for u in trip.unit_ids}
    demands = demands_of(dom, route_groups(scenario, short), trips)
    return route_floor(scenario, routed, short) + pace_bound(scenario, dom) \
        + w.team_balance * team_balance_floor(scenario) + w.agency_spread * agency_spread_floor(dom) \
        + excused_floor(dom, demands)


def route_floor(scenario: Scenario, routed: RoutedScenario, short: list[Unit]) -> int:
    """S07 + S08, weighted: travel bound, base shifts, and the fewest team-days.

    A team-day holds at most ``parallel_subteams`` visits (a route is one), so the team-days are at
    least the visit-days over the largest team's sub-teams; with one a team, each visit-day is one.
    """
    w_travel, w_days = scenario.weights.travel, scenario.weights.team_days
    subteams = max(t.parallel_subteams for t in scenario.teams)
    # a trip's units share its days (fewer than one each): counted 0 here, which stays a bound
    routed_ids = {u.id for u in short} | {u for trip in routed.trips.values() for u in trip.unit_ids}
    whole = sum(u.duration for u in scenario.units if u.id not in routed_ids and not u.optional)
    total, days = w_travel * routed.lower_bound_minutes, whole  # days: visit-days not yet priced
    for members in route_groups(scenario, short):
        n = len(members)
        fewest = fewest_routes(scenario, members)
        delta = _base_shift(scenario, members)
        # per route: 2 base arcs move; with an unlocated unit (it sits at the base) every arc may
        per_route, fixed = (delta, delta * n) if any(u.location is None for u in members) \
            else (2 * delta, 0)
        if subteams == 1 and w_days >= w_travel * per_route:  # a route more: a team-day more
            total += (w_days - w_travel * per_route) * fewest - w_travel * fixed
        else:  # the worst shift: a route a unit; the fewest routes still need team-days
            total -= w_travel * (per_route * n + fixed)
            days += fewest
    return max(0, total + w_days * math.ceil(days / subteams))


def route_groups(scenario: Scenario, short: list[Unit]) -> list[list[Unit]]:
    """The short visits by what lets them share a day route (``group_key``)."""
    groups: dict[tuple[Any, ...], list[Unit]] = defaultdict(list)
    samples = selections_of(scenario)
    for u in short:
        groups[group_key(scenario, u, samples)].append(u)
    return list(groups.values())


def _base_shift(scenario: Scenario, members: list[Unit]) -> int:
    """How much shorter an arc can be from another eligible team's base than from the first one's."""
    teams = eligible_teams(scenario, members[0])
    first = team_base(scenario, teams[0], members)
    params = travel_params(scenario)
    shifts = [travel_of(first, b, params) + 1
              for b in (team_base(scenario, t, members) for t in teams[1:]) if b != first]
    return max(shifts, default=0)


def pace_bound(scenario: Scenario, dom: Domains) -> int:
    """S09-pace, weighted: the flow floor when it has one, never below the whole-number floors."""
    floor = pace_floor_total(scenario)
    if scenario.weights.pace == 0:
        return 0
    flow = pace_flow_floor(dom)
    return floor if flow is None else max(floor, scenario.weights.pace * flow)


def pace_floor_total(scenario: Scenario) -> int:
    """S09-pace, weighted: each window's floor, when all its units are required."""
    w = scenario.weights.pace
    if w == 0:
        return 0
    units = {u.id: u for u in scenario.units}
    return w * sum(pace_floor(g, g.units) for g in pace_groups(scenario, scenario.work_calendar())
                   if not any(units[u].optional for u in g.unit_ids))
