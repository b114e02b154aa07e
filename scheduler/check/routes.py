"""The checker's day-route rules (H16-day-hours, H17-one-route), recomputed from the schedule alone.

A route is the visits with clock times of one (team, date, lead), in order of start time. Its travel
and times are recomputed with ``scheduler.routing.travel`` from the scenario's coordinates; the stated
``travel_minutes``/``travel_km`` are never trusted. Pure Python: no OR-Tools.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from itertools import pairwise

from models.rules import RuleId
from models.scenario import Scenario, Unit
from models.schedule import Assignment, VisitState
from scheduler.messages import worded
from scheduler.routing.points import team_base, travel_params, unit_point, working_day
from scheduler.routing.travel import fmt_clock, lay_out_day, route_minutes

RouteKey = tuple[str, date, str]


def timed_routes(visits: list[Assignment]) -> dict[RouteKey, list[Assignment]]:
    """Visits with clock times grouped by (team, date, lead), each ordered by start time."""
    routes: dict[RouteKey, list[Assignment]] = defaultdict(list)
    for a in visits:
        if a.start_time is not None and a.state is not VisitState.CANCELLED:
            routes[(a.team_id, a.start, a.lead_id)].append(a)
    return {k: sorted(v, key=lambda a: (a.start_time or "", a.unit_id)) for k, v in routes.items()}


def visit_key(a: Assignment) -> int | RouteKey:
    """What counts as one sub-team for a team (H13): a route, or each other assignment (even twice)."""
    return (a.team_id, a.start, a.lead_id) if a.start_time is not None else id(a)


def member_visit_key(a: Assignment) -> int | str:
    """H10: a member's timed visits of a day are one visit-day (which route they are on is H17's)."""
    return "~route" if a.start_time is not None else id(a)


def day_hours_problems(scenario: Scenario, route: list[Assignment]) -> list[tuple[str, str]]:
    """(unit id, message) for each way one route breaks H16; [] when it holds."""
    units = {u.id: u for u in scenario.units}
    if any(a.unit_id not in units or a.team_id not in {t.id for t in scenario.teams} for a in route):
        return []  # unknown ids are H01's matter
    stops = [units[a.unit_id] for a in route]
    if any(u.visit_minutes is None for u in stops):
        return [(a.unit_id, worded("v.clock_on_whole_day"))
                for a, u in zip(route, stops, strict=True) if u.visit_minutes is None]
    base = team_base(scenario, route[0].team_id, stops)
    points = [unit_point(u, base) for u in stops]
    minutes = [u.visit_minutes or 0 for u in stops]
    day, travel = working_day(scenario), travel_params(scenario)
    slots = lay_out_day(base, points, minutes, day, travel)
    if slots is None:
        need = route_minutes(base, points, minutes, travel)
        return [(route[-1].unit_id, worded("v.day_too_long", visits=sum(minutes),
                                           travel=need - sum(minutes), need=need, day=day.minutes))]
    return [(a.unit_id, worded("v.times_differ", start=a.start_time, end=a.end_time,
                               route_start=fmt_clock(s.start), route_end=fmt_clock(s.end)))
            for a, s in zip(route, slots, strict=True)
            if (a.start_time, a.end_time) != (fmt_clock(s.start), fmt_clock(s.end))]


def untimed_short_visits(scenario: Scenario, visits: list[Assignment]) -> list[str]:
    """Short visits without clock times, except day trips: units that cannot fit a day even alone."""
    units = {u.id: u for u in scenario.units}
    return [a.unit_id for a in visits if a.start_time is None and a.state is not VisitState.CANCELLED
            and a.unit_id in units and units[a.unit_id].visit_minutes is not None
            and fits_alone(scenario, units[a.unit_id])]


def fits_alone(scenario: Scenario, unit: Unit) -> bool:
    """The visit and its round trip fit a day from every eligible team's base (the route stage's
    test: a unit failing from any of them is planned as a whole-day trip)."""
    teams = [unit.team] if unit.team else [t.id for t in scenario.teams]
    return all(_fits_from(scenario, t, unit) for t in teams if t in {x.id for x in scenario.teams})


def _fits_from(scenario: Scenario, team_id: str, unit: Unit) -> bool:
    base = team_base(scenario, team_id, [unit])
    point = unit_point(unit, base)
    minutes = route_minutes(base, [point], [unit.visit_minutes or 0], travel_params(scenario))
    return minutes <= working_day(scenario).minutes


def one_route_problems(visits: list[Assignment]) -> list[tuple[str, str, date, str]]:
    """(member, unit, day, message) for each member on two routes, or on overlapping visits, a day."""
    by_member_day: dict[tuple[str, date], list[Assignment]] = defaultdict(list)
    for a in visits:
        if a.start_time is not None and a.state is not VisitState.CANCELLED:
            for m in a.member_ids:
                by_member_day[(m, a.start)].append(a)
    found: list[tuple[str, str, date, str]] = []
    for (member, day), day_visits in sorted(by_member_day.items()):
        keys = {(a.team_id, a.lead_id) for a in day_visits}
        if len(keys) > 1:
            found.append((member, day_visits[-1].unit_id, day,
                          worded("v.two_routes", n=len(keys), keys=sorted(keys))))
        ordered = sorted(day_visits, key=lambda a: a.start_time or "")
        found += [(member, b.unit_id, day, worded("v.overlap", first=a.unit_id, end=a.end_time,
                                                   second=b.unit_id, start=b.start_time))
                  for a, b in pairwise(ordered)
                  if (b.start_time or "") < (a.end_time or "")]
    return found


def route_day_label(key: RouteKey) -> str:
    team, day, lead = key
    return f"{team} {day:%d/%m/%Y} (lead {lead})"


__all__ = ["RuleId", "day_hours_problems", "member_visit_key", "one_route_problems", "timed_routes",
           "untimed_short_visits", "visit_key"]
