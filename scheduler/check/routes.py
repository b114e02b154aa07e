"""The checker's day-route rules (H16-day-hours, H17-one-route), recomputed from the schedule alone.

H16: every stated visit lies inside one working session (never across the pause) and starts on the
grid (``rules.working_hours.grid_minutes``), and the stated times are those ``travel.lay_out`` gives.

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
from models.schedule import Assignment, RouteKey, VisitState
from scheduler.messages import worded
from scheduler.routing.points import Point, day_base, travel_params, unit_point, working_day
from scheduler.routing.reading import timed_routes
from scheduler.routing.travel import (
    WorkingDay,
    fits_day,
    fmt_clock,
    lay_out_day,
    road_km,
    route_minutes,
    travel_of,
)
from scheduler.routing.trips import Leg, day_drives, lay_out_leg, trip_legs


def visit_key(a: Assignment) -> int | RouteKey:
    """What counts as one sub-team for a team (H13): a route, or each other assignment (even twice)."""
    return a.route_key if a.start_time is not None else id(a)


def member_visit_key(a: Assignment) -> int | str:
    """H10: a member's timed visits of a day are one visit-day (which route they are on is H17's)."""
    return "~route" if a.start_time is not None else id(a)


def day_hours_problems(scenario: Scenario, route: list[Assignment],
                       stated_base: Point | None = None, leg: Leg | None = None) -> list[tuple[str, str]]:
    """(unit id, message) for each way one route breaks H16; [] when it holds. The day is laid out
    from the ``stated_base`` (``Schedule.routes``) when it is one of the team's, else from the base
    that makes it cheapest (``day_base``); a trip day from its ``leg`` (last night's lodging, home
    only on the trip's last day)."""
    units = {u.id: u for u in scenario.units}
    if any(a.unit_id not in units or a.team_id not in {t.id for t in scenario.teams} for a in route):
        return []  # unknown ids are H01's matter
    stops = [units[a.unit_id] for a in route]
    if any(u.visit_minutes is None for u in stops):
        return [(a.unit_id, worded("v.clock_on_whole_day"))
                for a, u in zip(route, stops, strict=True) if u.visit_minutes is None]
    base = day_base(scenario, route[0].team_id, stops, stated_base)
    points = [unit_point(u, base) for u in stops]
    minutes = [u.visit_minutes or 0 for u in stops]
    day, travel = working_day(scenario), travel_params(scenario)
    stated = stated_time_problems(day, route)
    if leg is not None:
        layout = lay_out_leg(leg.start, points, minutes, leg.end, day, travel)
        slots = None if layout is None else layout.slots
    else:
        slots = lay_out_day(base, points, minutes, day, travel)
    if slots is None:
        need = sum(day_drives(leg.start, points, leg.end, travel)) + sum(minutes) if leg is not None \
            else route_minutes(base, points, minutes, travel)
        return [*stated, (route[-1].unit_id, worded("v.day_no_layout", visits=sum(minutes),
                                                     travel=need - sum(minutes)))]
    return stated + [(a.unit_id, worded("v.times_differ", start=a.start_time, end=a.end_time,
                                        route_start=fmt_clock(s.start), route_end=fmt_clock(s.end)))
                     for a, s in zip(route, slots, strict=True)
                     if (a.start_time, a.end_time) != (fmt_clock(s.start), fmt_clock(s.end))]


def stated_time_problems(day: WorkingDay, route: list[Assignment]) -> list[tuple[str, str]]:
    """Stated times that cross the pause (or lie outside the sessions) or start off the grid."""
    found: list[tuple[str, str]] = []
    for a in route:
        start, end = _clock(a.start_time), _clock(a.end_time or a.start_time)
        if start is None or end is None:
            found.append((a.unit_id, worded("v.unreadable_times", start=a.start_time, end=a.end_time)))
            continue
        if day.session_of(start, end) is None:
            found.append((a.unit_id, worded("v.across_pause", start=a.start_time, end=a.end_time)))
        if not day.on_grid(start):
            found.append((a.unit_id, worded("v.off_grid", start=a.start_time, grid=day.grid)))
    return found


def _clock(hhmm: str | None) -> int | None:
    try:
        hours, minutes = (hhmm or "").split(":")
        return int(hours) * 60 + int(minutes)
    except ValueError:
        return None


def untimed_short_visits(scenario: Scenario, visits: list[Assignment]) -> list[str]:
    """Short visits without clock times, except day trips: units that cannot fit a day even alone."""
    units = {u.id: u for u in scenario.units}
    return [a.unit_id for a in visits if a.start_time is None and a.state is not VisitState.CANCELLED
            and a.unit_id in units and units[a.unit_id].visit_minutes is not None
            and fits_alone(scenario, units[a.unit_id])]


def fits_alone(scenario: Scenario, unit: Unit) -> bool:
    """The visit and its round trip fit a day from some base of every eligible team (the route
    stage's test: a unit failing from all of one team's bases is planned as a whole-day trip)."""
    teams = [unit.team] if unit.team else [t.id for t in scenario.teams]
    return all(_fits_from(scenario, t, unit) for t in teams if t in {x.id for x in scenario.teams})


def _fits_from(scenario: Scenario, team_id: str, unit: Unit) -> bool:
    base = day_base(scenario, team_id, [unit])
    point = unit_point(unit, base)
    return fits_day(base, [point], [unit.visit_minutes or 0], working_day(scenario), travel_params(scenario))


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


def travel_claim_problems(scenario: Scenario, visits: list[Assignment],
                          stated: dict[RouteKey, Point] | None = None) -> list[str]:
    """Each stated ``travel_minutes``/``travel_km`` of a timed visit that its route's legs (from the
    previous stop, the base first) do not give; a figure left out is not a claim."""
    units, teams = {u.id: u for u in scenario.units}, {t.id for t in scenario.teams}
    travel, found = travel_params(scenario), []
    legs = trip_legs(scenario, visits, stated)
    for key, route in timed_routes(visits).items():
        if any(a.unit_id not in units or a.team_id not in teams for a in route):
            continue  # unknown ids are H01's matter
        stops = [units[a.unit_id] for a in route]
        base = day_base(scenario, route[0].team_id, stops, (stated or {}).get(key))
        start = legs[key].start if key in legs else base
        path = [start, *(unit_point(u, base) for u in stops)]
        for a, (here, there) in zip(route, pairwise(path), strict=True):
            minutes, km = travel_of(here, there, travel), round(road_km(here, there, travel.road_factor), 2)
            if a.travel_minutes is not None and a.travel_minutes != minutes:
                found.append(f"{a.unit_id} on {a.start:%d/%m/%Y}: states travel_minutes "
                             f"{a.travel_minutes}, but the leg from the previous stop takes {minutes}")
            if a.travel_km is not None and abs(a.travel_km - km) > KM_TOLERANCE:
                found.append(f"{a.unit_id} on {a.start:%d/%m/%Y}: states travel_km {a.travel_km}, "
                             f"but the leg from the previous stop is {km} km")
    return found


KM_TOLERANCE = 0.015  # the schedule rounds km to 2 decimals


def route_day_label(key: RouteKey) -> str:
    team, day, lead = key
    return f"{team} {day:%d/%m/%Y} (lead {lead})"


__all__ = ["RuleId", "day_hours_problems", "member_visit_key", "one_route_problems",
           "untimed_short_visits", "visit_key"]
