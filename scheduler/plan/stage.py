"""The route stage: a problem with short visits becomes a calendar problem, plus how to expand its plan.

``route_stage(problem)`` plans the day routes of the short visits (``scheduler.routing.stage``), and
returns the problem the calendar planners solve (a route is one visit there, with its travel per
team in ``Problem.route_travel``) and an ``Expansion`` that turns that problem's plan back into one
assignment per unit, with clock times and the plan's ``routes``. It never calls a planner: the
door (``scheduler.plan.pipeline.plan``) does, whichever planner it is given.

Re-plan: a kept (fixed or announced) timed short visit keeps its date, team, group and stated times;
the kept visits of one route become one fixed route visit, so the calendar planner still sees the
team-day and members taken. A kept short visit planned as a whole-day trip (no clock times: too far
for a day) stays a whole-day visit. Only released and new short visits are routed again.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from models.rules import RuleId, describe
from models.scenario import Scenario, Unit
from models.schedule import Assignment, Schedule
from scheduler.plan.kept_trips import KeptDays, add_kept_trips, kept_trip_visits
from scheduler.problem.problem import Problem, RouteTravel
from scheduler.problem.schedule_build import make_assignment
from scheduler.routing.insert import DayKey, join_kept_days, kept_days
from scheduler.routing.points import day_base, travel_params, unit_point, working_day
from scheduler.routing.reading import with_routes
from scheduler.routing.selections import routed_selections
from scheduler.routing.stage import (
    ROUTE_PREFIX,
    TIMES,
    PlannedRoute,
    RoutedScenario,
    composite_unit,
    expand_schedule,
    lay_out_days,
    route_scenario,
)
from scheduler.routing.travel import fits_day, route_travel_minutes
from scheduler.routing.trips import PlannedTrip, trip_travel
from scheduler.search.precheck import Finding

ROUTE_SHARE = 0.25  # of the time limit, for the route engine (it is near its bound within seconds)


def route_findings(scenario: Scenario) -> list[Finding]:
    """Short visits that cannot fit a day even alone, in planners' terms (no solve)."""
    routed = route_scenario(scenario, greedy=True)  # the problems do not depend on the planner
    wording = describe(RuleId.H16_DAY_HOURS, "en", scenario.rules)
    return [Finding(RuleId.H16_DAY_HOURS, p.message_vi, (p.unit_id,), wording=wording)
            for p in routed.problems]


@dataclass
class Kept:
    """The kept timed short visits, and the kept days a new surprise visit joins (re-timed)."""

    visits: dict[str, Assignment] = field(default_factory=dict)
    joined: dict[DayKey, list[str]] = field(default_factory=dict)
    regrouped: set[str] = field(default_factory=set)  # on a held day: the group may change

    def restore(self, scenario: Scenario, schedule: Schedule) -> None:
        """Kept visits as they were; on a day a surprise joined, with the day's new times."""
        retimed = {u for order in self.joined.values() for u in order}
        cal = scenario.work_calendar()
        out = []
        for a in schedule.assignments:
            old = self.visits.get(a.unit_id)
            if old is not None and a.unit_id in self.regrouped:
                out.append(old.model_copy(update={"member_ids": a.member_ids, "lead_id": a.lead_id}))
            elif old is not None and a.unit_id not in retimed:
                out.append(old)
            elif old is not None:
                out.append(old.model_copy(update={k: getattr(a, k) for k in TIMES}))
            elif a.unit_id in retimed:  # the surprise visit: its own form, no report
                new = make_assignment(scenario, cal, a.unit_id, a.team_id, a.start, a.member_ids,
                                      a.lead_id)
                out.append(new.model_copy(update={k: getattr(a, k) for k in TIMES}))
            else:
                out.append(a)
        schedule.assignments = out


@dataclass
class Expansion:
    """How a plan of the routed problem becomes a plan of the problem as written."""

    source: Problem
    routed: RoutedScenario | None = None  # None: nothing was routed
    kept: Kept = field(default_factory=Kept)
    route_s: float = 0.0

    def expand(self, schedule: Schedule) -> Schedule:
        """One assignment per unit, kept visits as they were, and the plan's day routes."""
        if self.routed is not None:
            schedule = expand_schedule(self.routed, schedule)
            self.kept.restore(self.source.scenario, schedule)
        if self.kept.visits:  # a kept day that lost a visit to the re-plan is laid out again
            schedule = lay_out_days(self.source.scenario, schedule)
        return with_routes(self.source.scenario, schedule)

    def route_hint(self, hint: Schedule) -> Schedule:
        """A plan of the problem as written, in the routed problem's terms: each route at its
        units' (team, day, group) when the plan has them all on one team-day; a route whose units
        the plan splits is left to the planner."""
        if self.routed is None:
            return hint
        routes = self.routed.routes
        on_route = {u for route in routes.values() for u in route.unit_ids} | \
            {u for trip in self.routed.trips.values() for u in trip.unit_ids}
        by_unit = {a.unit_id: a for a in hint.assignments}
        out = [a for a in hint.assignments if a.unit_id not in on_route]
        for route_id, route in routes.items():
            visits = [by_unit[u] for u in route.unit_ids if u in by_unit]
            if len(visits) == len(route.unit_ids) and len({(a.team_id, a.start) for a in visits}) == 1:
                out.append(visits[0].model_copy(update={"unit_id": route_id}))
        for trip_id, trip in self.routed.trips.items():  # a trip: at its first day, one team and lead
            visits = [by_unit[u] for u in trip.unit_ids if u in by_unit]
            if len(visits) == len(trip.unit_ids) and len({(a.team_id, a.lead_id) for a in visits}) == 1:
                first = min(visits, key=lambda a: a.start)
                out.append(first.model_copy(update={"unit_id": trip_id, "trip_id": None}))
        return hint.model_copy(update={"assignments": out})

    def stats(self) -> dict[str, Any]:
        if self.routed is None:
            return {}
        routed = self.routed
        return {"route_s": round(self.route_s, 2), "routes": len(routed.routes),
                "route_travel_minutes": routed.travel_minutes,
                "route_lower_bound_minutes": routed.lower_bound_minutes,
                "day_trips": [f"{RuleId.H16_DAY_HOURS}: {p.message_vi}" for p in routed.problems]}


def route_stage(problem: Problem, budget_s: float = 0.0, seed: int = 0,
                greedy: bool = False) -> tuple[Problem, Expansion]:
    """The calendar problem (a route is one visit) and how to expand its plan; ``greedy``: the
    nearest-neighbour day routes a planner draws, else the route engine within ``budget_s``."""
    if not problem.has_short_visits:
        return problem, Expansion(problem)
    t0 = time.perf_counter()
    scenario = problem.scenario
    kept = kept_short(problem)
    on_days = {i: a for i, a in kept.items() if a.trip_id is None}
    joined = join_kept_days(scenario, on_days) if on_days else {}
    joining = {u for order in joined.values() for u in order}
    open_units = [_whole_day(u, problem, kept) for u in scenario.units
                  if u.id not in kept and u.id not in joining]
    routed = route_scenario(scenario.model_copy(update={"units": open_units}), budget_s, seed,
                            greedy=greedy)
    routed.original = scenario
    held_ids = set(problem.held) - set(problem.fixed)
    days = kept_routes(scenario, on_days, routed.routes, joined, held_ids)
    add_kept_trips(scenario, kept, routed.trips, held_ids, days)
    composite = routed.visit_units
    calendar = routed.composite.model_copy(update={"units": [*routed.composite.units, *days.units],
                                                   "selections": routed_selections(scenario, composite)})
    fixed = {i: a for i, a in problem.fixed.items() if i not in kept} | days.fixed
    held = {i: a for i, a in problem.held.items() if i not in kept} | days.held
    routed_problem = Problem(calendar, problem.as_of, fixed, held,
                             {**travel_table(scenario, routed.routes), **trip_table(scenario, routed.trips)},
                             composite,
                             {u: k for trip in routed.trips.values() for k, d in enumerate(trip.days)
                              for u in d})
    expansion = Expansion(problem, routed, Kept(kept, joined, days.regrouped), time.perf_counter() - t0)
    return routed_problem, expansion


def kept_short(problem: Problem) -> dict[str, Assignment]:
    """Kept short visits on a day route (with clock times) that still fits the day: they keep
    their times. A kept day that no longer fits (visits made longer, hours shorter) is not kept
    as a route: its visits stay whole-day visits, for the checker to name (H16)."""
    scenario = problem.scenario
    short = {u.id for u in scenario.units if u.visit_minutes is not None}
    kept = {**problem.held, **problem.fixed}
    timed = {i: a for i, a in kept.items() if i in short and a.start_time is not None}
    days = {i: a for i, a in timed.items() if a.trip_id is None}
    return {i: a for day in kept_days(days).values() if _fits(scenario, day)
            for i, a in ((a.unit_id, a) for a in day)} | kept_trip_visits(scenario, timed)


def _fits(scenario: Scenario, day: list[Assignment]) -> bool:
    units = [scenario.unit(a.unit_id) for a in day]
    base = day_base(scenario, day[0].team_id, units)
    return fits_day(base, [unit_point(u, base) for u in units], [u.visit_minutes or 0 for u in units],
                    working_day(scenario), travel_params(scenario))


def _whole_day(unit: Unit, problem: Problem, kept: Mapping[str, Assignment]) -> Unit:
    """A kept short visit off the kept routes (planned as a whole-day trip, or on a day that no
    longer fits) stays a whole-day visit where it was."""
    where = problem.fixed.get(unit.id) or problem.held.get(unit.id)
    if unit.visit_minutes is not None and where is not None and unit.id not in kept:
        return unit.model_copy(update={"visit_minutes": None})
    return unit


def travel_table(scenario: Scenario, routes: Mapping[str, PlannedRoute]) -> RouteTravel:
    """Route id -> team id -> the route's travel minutes from that team's base (home included)."""
    table: dict[str, dict[str, int]] = {}
    params = travel_params(scenario)
    for route_id, route in routes.items():
        units = [scenario.unit(i) for i in route.unit_ids]
        table[route_id] = {}
        for team in scenario.teams:
            base = day_base(scenario, team.id, units)
            points = [unit_point(u, base) for u in units]
            table[route_id][team.id] = route_travel_minutes(base, points, params)
    return table


def trip_table(scenario: Scenario, trips: Mapping[str, PlannedTrip]) -> RouteTravel:
    """Trip id -> team id -> the trip's travel from that team's base (home included)."""
    return {trip_id: {t.id: trip_travel(scenario, t.id, [[scenario.unit(u) for u in d] for d in trip.days])
                      for t in scenario.teams} for trip_id, trip in trips.items()}


def kept_routes(scenario: Scenario, kept: Mapping[str, Assignment], routes: dict[str, PlannedRoute],
                joined: Mapping[DayKey, list[str]] | None = None, held: set[str] | None = None
                ) -> KeptDays:
    """Kept short visits of one route as one route visit each; a day a surprise visit joins
    (``joined``) takes its new order."""
    joined, held = joined or {}, held or set()
    out = KeptDays()
    for key, visits in kept_days(kept).items():
        order = joined.get(key) or [a.unit_id for a in visits]
        route_id = f"{ROUTE_PREFIX}{len(routes) + 1:03d}"
        members = [scenario.unit(u) for u in order]
        routes[route_id] = PlannedRoute(route_id, tuple(order), 0, 0.0)
        out.units.append(composite_unit(route_id, members, visits[0].team_id))
        visit = visits[0].model_copy(update={"unit_id": route_id, "start_time": None, "end_time": None,
                                              "travel_minutes": None, "travel_km": None, "route_id": None})
        if held & set(order):
            out.held[route_id] = visit
            out.regrouped |= set(order)
        else:
            out.fixed[route_id] = visit
    return out
