"""The plan pipeline for scenarios with short visits: routes first, then the calendar model.

``scheduler.plan.pipeline.plan`` hands a scenario with ``visit_minutes`` here: the day routes are planned
(``scheduler.routing.stage``), a unit that cannot fit a day even alone is reported in planners' terms
(H16-day-hours, before any solve), the composite scenario goes through the usual pipeline, and its
plan is expanded back to one assignment per unit and checked against the real scenario.

Re-plan: a kept (fixed or announced) short visit keeps its date, team, group and stated times; the
kept visits of one (team, date, lead) become one fixed composite visit, so the calendar model
still sees the team-day and members taken. Only released and new short visits are re-routed.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from models.rules import RuleId, describe
from models.scenario import Scenario, Unit
from models.schedule import Assignment, Schedule, Status
from scheduler.check.checker import check_schedule
from scheduler.cost.price import plan_cost
from scheduler.model.routes import register_route_travel
from scheduler.plan.pipeline import PlanOutcome, plan
from scheduler.problem.schedule_build import make_assignment
from scheduler.routing.insert import DayKey, join_kept_days, kept_days
from scheduler.routing.points import team_base, travel_params, unit_point
from scheduler.routing.stage import (
    ROUTE_PREFIX,
    DayRoute,
    RoutedScenario,
    composite_unit,
    expand_schedule,
    route_scenario,
)
from scheduler.routing.travel import route_travel_minutes
from scheduler.search.precheck import Finding
from scheduler.search.solve import SolveOptions, resolved

ROUTE_SHARE = 0.25  # of the time limit, for the route engine (it is near its bound within seconds)


def route_findings(scenario: Scenario) -> list[Finding]:
    """Short visits that cannot fit a day even alone, in planners' terms (no solve)."""
    routed = route_scenario(scenario, greedy=True)  # the problems do not depend on the planner
    wording = describe(RuleId.H16_DAY_HOURS, "en", scenario.rules)
    return [Finding(RuleId.H16_DAY_HOURS, p.message_vi, (p.unit_id,), wording=wording)
            for p in routed.problems]


def kept_short(scenario: Scenario, options: SolveOptions) -> dict[str, Assignment]:
    short = {u.id for u in scenario.units if u.visit_minutes is not None}
    kept = {**(options.held or {}), **(options.fixed or {})}
    return {i: a for i, a in kept.items() if i in short}


@dataclass
class Kept:
    """The kept short visits, and the kept days a new surprise visit joins (re-timed)."""

    visits: dict[str, Assignment]
    joined: dict[DayKey, list[str]]

    def restore(self, scenario: Scenario, schedule: Schedule) -> None:
        """Kept visits as they were; on a day a surprise joined, with the day's new times."""
        retimed = {u for order in self.joined.values() for u in order}
        cal = scenario.work_calendar()
        out = []
        for a in schedule.assignments:
            old = self.visits.get(a.unit_id)
            if old is not None and a.unit_id not in retimed:
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


TIMES = ("start_time", "end_time", "travel_minutes", "travel_km")


def composite_for(scenario: Scenario, options: SolveOptions, route_time_s: float, seed: int = 0,
                  greedy: bool = False) -> tuple[Scenario, RoutedScenario, Kept,
                                                 dict[str, Assignment], dict[str, Assignment]]:
    """The composite scenario, its routes, the kept short visits, and the fixed and held visits."""
    kept = kept_short(scenario, options)
    joined = join_kept_days(scenario, kept) if kept else {}
    joining = {u for order in joined.values() for u in order}
    open_scenario = scenario.model_copy(update={"units": [u for u in scenario.units
                                                          if u.id not in kept and u.id not in joining]})
    routed = route_scenario(open_scenario, route_time_s, seed, greedy=greedy)
    routed.original = scenario
    kept_units, kept_fixed = kept_routes(scenario, kept, routed.routes, joined)
    composite = routed.composite.model_copy(update={"units": [*routed.composite.units, *kept_units]})
    fixed = {i: a for i, a in (options.fixed or {}).items() if i not in kept} | kept_fixed
    held = {i: a for i, a in (options.held or {}).items() if i not in kept}
    register_route_travel(composite, travel_table(scenario, routed.routes))
    return composite, routed, Kept(kept, joined), fixed, held


def plan_with_routes(scenario: Scenario, options: SolveOptions, explain_time_limit_s: float,
                     greedy_routes: bool = False) -> PlanOutcome:
    t0 = time.perf_counter()
    time_limit, _, seed = resolved(options, scenario)
    composite, routed, kept, fixed, held = composite_for(scenario, options, ROUTE_SHARE * time_limit, seed,
                                                         greedy_routes)
    route_s = time.perf_counter() - t0
    outcome = plan(composite, replace(options, fixed=fixed or None, held=held or None, hint=None),
                   explain_time_limit_s)
    if outcome.schedule is not None:
        expanded = expand_schedule(routed, outcome.schedule)
        kept.restore(scenario, expanded)
        reprice(scenario, expanded)
        outcome.schedule = expanded
        outcome.check = check_schedule(scenario, expanded, options.as_of)
    outcome.stats = {**outcome.stats, "route_s": round(route_s, 2), "routes": len(routed.routes),
                     "route_travel_minutes": routed.travel_minutes,
                     "route_lower_bound_minutes": routed.lower_bound_minutes,
                     "day_trips": [f"{RuleId.H16_DAY_HOURS}: {p.message_vi}" for p in routed.problems]}
    return outcome


def greedy_with_routes(scenario: Scenario, as_of: date | None = None,
                       fixed: Mapping[str, Assignment] | None = None,
                       held: Mapping[str, Assignment] | None = None) -> Schedule:
    """A planner's plan: nearest-neighbour day routes (``greedy_routes``), days in order, then the
    routes placed like units by greedy, under the same rules; kept short visits stay as they are."""
    from scheduler.search.greedy import greedy_schedule

    options = SolveOptions(as_of=as_of, fixed=fixed, held=held)
    composite, routed, kept, fixed_c, held_c = composite_for(scenario, options, 0.0, greedy=True)
    schedule = expand_schedule(routed, greedy_schedule(composite, as_of, fixed_c or None, held_c or None))
    kept.restore(scenario, schedule)
    reprice(scenario, schedule)
    return schedule


def travel_table(scenario: Scenario, routes: Mapping[str, DayRoute]) -> dict[str, dict[str, int]]:
    """Route id -> team id -> the route's travel minutes from that team's base (home included)."""
    table: dict[str, dict[str, int]] = {}
    params = travel_params(scenario)
    for route_id, route in routes.items():
        units = [scenario.unit(i) for i in route.unit_ids]
        table[route_id] = {}
        for team in scenario.teams:
            base = team_base(scenario, team.id, units)
            points = [unit_point(u, base) for u in units]
            table[route_id][team.id] = route_travel_minutes(base, points, params)
    return table


def reprice(scenario: Scenario, schedule: Schedule) -> None:
    """The expanded plan's soft terms, priced on the real scenario (a route's visits: one visit-day).

    S07, S08, S01 and S02 price the same in the composite model; S03-S05 and S11 count each unit
    of a route where the model counts the route once, so the model's objective is a proxy for
    those terms.
    """
    soft = plan_cost(scenario, schedule).terms
    info = schedule.solver
    info.objective_terms = {**info.objective_terms, **soft}
    info.objective = sum(info.objective_terms.values())
    if info.bound is not None and info.status is Status.OPTIMAL:
        info.bound = info.objective


def kept_routes(scenario: Scenario, kept: Mapping[str, Assignment], routes: dict[str, DayRoute],
                joined: Mapping[DayKey, list[str]] | None = None
                ) -> tuple[list[Unit], dict[str, Assignment]]:
    """Kept short visits of one (team, date, lead) as one fixed composite visit each; a day a
    surprise visit joins (``joined``) takes its new order."""
    joined = joined or {}
    units, fixed = [], {}
    for key, visits in kept_days(kept).items():
        order = joined.get(key) or [a.unit_id for a in visits]
        route_id = f"{ROUTE_PREFIX}{len(routes) + 1:03d}"
        members = [scenario.unit(u) for u in order]
        routes[route_id] = DayRoute(route_id, tuple(order), 0, 0.0)
        units.append(composite_unit(route_id, members, visits[0].team_id))
        fixed[route_id] = visits[0].model_copy(update={"unit_id": route_id, "start_time": None,
                                                        "end_time": None, "travel_minutes": None,
                                                        "travel_km": None})
    return units, fixed
