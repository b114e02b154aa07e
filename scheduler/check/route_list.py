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
from models.schedule import Route, Schedule
from scheduler.routing.reading import day_routes, is_timed, published_route

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
    actual = {r.id: r for r in (published_route(d) for d in day_routes(scenario, timed))}
    for route in schedule.routes:
        found += _route_problems(route, actual.get(route.id), schedule)
    return found


def _duplicate_ids(routes: list[Route]) -> list[StatedRouteProblem]:
    counts = Counter(r.id for r in routes)
    return [(RuleId.H17_ONE_ROUTE, None, None, f"route {rid} is stated {n} times")
            for rid, n in sorted(counts.items()) if n > 1]


def _route_problems(route: Route, actual: Route | None, schedule: Schedule) -> list[StatedRouteProblem]:
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
    if route.travel_minutes != actual.travel_minutes:
        found.append((RuleId.H16_DAY_HOURS, first, route.date,
                      f"route {route.id} states {route.travel_minutes} minutes of travel, the "
                      f"coordinates give {actual.travel_minutes}"))
    if abs(route.travel_km - actual.travel_km) > KM_TOLERANCE:
        found.append((RuleId.H16_DAY_HOURS, first, route.date,
                      f"route {route.id} states {route.travel_km} km, the coordinates give "
                      f"{actual.travel_km}"))
    if route.base != actual.base:
        found.append((RuleId.H16_DAY_HOURS, first, route.date,
                      f"route {route.id} states another base than its team's"))
    return found
