"""The checker's reading of a schedule's stated day routes (``Schedule.routes``), never trusted.

Each stated route must be what its visits make (``scheduler.routing.reading.day_routes``): the same
team, date and lead as the visits that name it, its units in their order of start time, and the
travel recomputed from the coordinates (H16-day-hours); every timed visit is on exactly one stated
route, and names it (H17-one-route). A schedule that states no routes (an edited workbook read back
before its routes are derived) is judged on its visits alone. Pure Python.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from models.rules import RuleId
from models.scenario import Scenario
from models.schedule import Route, RoutePoint, Schedule
from scheduler.routing.points import Point, team_bases
from scheduler.routing.reading import day_routes, is_timed, published_route, stated_bases

KM_TOLERANCE = 0.05  # stated km are rounded to 0.01; a forged figure differs by more
StatedRouteProblem = tuple[RuleId, str | None, date | None, str]


def stated_route_problems(scenario: Scenario, schedule: Schedule) -> list[StatedRouteProblem]:
    """Every way the stated routes disagree with the visits, as (rule, unit, day, message)."""
    timed = [a for a in schedule.assignments if is_timed(a)]
    if not schedule.routes and all(a.route_id is None for a in timed):
        return []
    known = {u.id for u in scenario.units}
    if any(a.unit_id not in known for a in timed) or any(u not in known for r in schedule.routes
                                                         for u in r.unit_ids):
        return []  # unknown units are H01's matter
    found: list[StatedRouteProblem] = []
    found += _duplicate_ids(schedule.routes)
    stated = {r.id: r for r in schedule.routes}
    found += [(RuleId.H17_ONE_ROUTE, a.unit_id, a.start, f"on no stated route (route_id {a.route_id!r})")
              for a in timed if a.route_id not in stated]
    actual = {r.id: r for r in (published_route(d) for d in day_routes(scenario, timed,
                                                                         stated_bases(schedule)))}
    for route in schedule.routes:
        wrong_base = _base_problems(scenario, route)
        found += wrong_base + _route_problems(route, actual.get(route.id), schedule, not wrong_base)
    return found


def _base_problems(scenario: Scenario, route: Route) -> list[StatedRouteProblem]:
    """A stated base must be one of the route's team's bases (its travel is recomputed from it)."""
    if route.base is None or route.team_id not in {t.id for t in scenario.teams}:
        return []
    bases = team_bases(scenario, route.team_id)
    if not bases or Point(route.base.lat, route.base.lon) in bases:
        return []
    names = [b.name for b in scenario.team(route.team_id).bases] or \
        [f"({p.lat}, {p.lon})" for p in bases]
    return [(RuleId.H16_DAY_HOURS, route.unit_ids[0], route.date,
             f"route {route.id} starts at ({route.base.lat}, {route.base.lon}), which is none of team "
             f"{route.team_id}'s bases ({', '.join(names)}); a day route starts and ends at one of them")]


def _duplicate_ids(routes: list[Route]) -> list[StatedRouteProblem]:
    counts = Counter(r.id for r in routes)
    return [(RuleId.H17_ONE_ROUTE, None, None, f"route {rid} is stated {n} times")
            for rid, n in sorted(counts.items()) if n > 1]


def _route_problems(route: Route, actual: Route | None, schedule: Schedule,
                    base_known: bool = True) -> list[StatedRouteProblem]:
    """A stated route against the route its visits make (same id: same team, date and lead)."""
    first = route.unit_ids[0]
    named = [a.unit_id for a in schedule.assignments if a.route_id == route.id and is_timed(a)]
    if actual is None or sorted(named) != sorted(route.unit_ids) \
            or sorted(actual.unit_ids) != sorted(route.unit_ids):
        made = sorted(actual.unit_ids) if actual is not None else []
        return [(RuleId.H17_ONE_ROUTE, first, route.date,
                 f"route {route.id} states {route.unit_ids}; the visits naming it are {sorted(named)}, "
                 f"their team, date and lead make {made}")]
    found: list[StatedRouteProblem] = []
    if route.unit_ids != actual.unit_ids:
        found.append((RuleId.H17_ONE_ROUTE, first, route.date,
                      f"route {route.id} states the order {route.unit_ids}, the clock times give "
                      f"{actual.unit_ids}"))
    if (route.trip_id, route.night_at) != (actual.trip_id, actual.night_at):
        found.append((RuleId.H16_DAY_HOURS, first, route.date,
                      f"route {route.id} states trip {route.trip_id!r} (night at {route.night_at!r}), "
                      f"its visits make {actual.trip_id!r} (night at {actual.night_at!r})"))
    if route.travel_minutes != actual.travel_minutes:
        found.append((RuleId.H16_DAY_HOURS, first, route.date,
                      f"route {route.id} states {route.travel_minutes} minutes of travel, the "
                      f"coordinates give {actual.travel_minutes}"))
    if abs(route.travel_km - actual.travel_km) > KM_TOLERANCE:
        found.append((RuleId.H16_DAY_HOURS, first, route.date,
                      f"route {route.id} states {route.travel_km} km, the coordinates give "
                      f"{actual.travel_km}"))
    if base_known and _point(route.base) != _point(actual.base):
        found.append((RuleId.H16_DAY_HOURS, first, route.date,
                      f"route {route.id} states another base than its team's"))
    return found


def _point(base: RoutePoint | None) -> Point | None:
    return None if base is None else Point(base.lat, base.lon)
