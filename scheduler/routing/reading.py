"""Day routes read from a schedule: each team-day's short visits in start-time order, base first
and back to base last (pure Python, never solves; the outputs and the benchmark figures use it).

A visit is on a route when it has a ``start_time``. The legs are recomputed from the coordinates with
the scenario's ``rules.travel`` (the checker's rule, ``scheduler.routing.travel``), so the figures do not
depend on the solver having filled ``travel_minutes``/``travel_km``. A unit without a location stands
at its team's base (the scenario's default), and is flagged so that a map can say so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from models.field_work import minutes_of
from models.scenario import Scenario, Team, Unit
from models.schedule import (
    Assignment,
    Route,
    RouteKey,
    RoutePoint,
    Schedule,
    VisitState,
    route_id_of,
    trip_id_of,
)
from scheduler.routing.points import base_name, day_base, team_base, travel_params, working_day
from scheduler.routing.travel import Point, TravelParams, WorkingDay, fmt_clock, road_km, travel_of
from scheduler.routing.trips import Leg, trip_days, trip_legs


@dataclass(frozen=True)
class RouteStop:
    unit: Unit
    point: Point
    located: bool  # False: the unit has no location and is drawn at the team's base
    start_time: str
    end_time: str
    visit_minutes: int
    travel_minutes: int  # from the previous stop (the base for the first)
    travel_km: float


@dataclass(frozen=True)
class DayRoute:
    team: Team
    day: date
    lead_id: str
    base: Point | None
    stops: tuple[RouteStop, ...]
    home_minutes: int  # the drive back to the base after the last stop
    home_km: float
    home_time: str  # HH:MM back at the base
    base_name: str | None = None  # the base's name when the team has several (``teams[].bases``)
    trip_id: str | None = None  # a day of a trip with nights away (``scheduler.routing.trips``)
    start: Point | None = None  # where the day sets out: the base, or last night's lodging
    night_at: str | None = None  # the unit near which the team sleeps (a trip day but its last)
    slept_near: str | None = None  # the unit (its name) near which it slept the night before

    @property
    def visit_minutes(self) -> int:
        return sum(s.visit_minutes for s in self.stops)

    @property
    def travel_minutes(self) -> int:
        return sum(s.travel_minutes for s in self.stops) + self.home_minutes

    @property
    def travel_km(self) -> float:
        return sum(s.travel_km for s in self.stops) + self.home_km


def point_of(loc: object | None) -> Point | None:
    if loc is None:
        return None
    return Point(getattr(loc, "lat"), getattr(loc, "lon"))  # noqa: B009 - Location or Point alike


def is_timed(a: Assignment) -> bool:
    return a.start_time is not None and a.state is not VisitState.CANCELLED


def timed_routes(assignments: Iterable[Assignment]) -> dict[RouteKey, list[Assignment]]:
    """The timed visits by route (``Assignment.route_key``), each in order of start time."""
    groups: dict[RouteKey, list[Assignment]] = defaultdict(list)
    for a in assignments:
        if is_timed(a):
            groups[a.route_key].append(a)
    return {k: sorted(v, key=lambda a: (a.start_time or "", a.unit_id)) for k, v in groups.items()}


def day_routes(scenario: Scenario, assignments: Iterable[Assignment],
               bases: Mapping[RouteKey, Point] | None = None) -> list[DayRoute]:
    """Every team-day route of the timed visits, by date then team; each from its ``bases`` entry
    (a schedule's stated base, ``stated_bases``) when that is one of its team's bases."""
    travel, day = travel_params(scenario), working_day(scenario)
    visits = list(assignments)
    routes = timed_routes(visits)
    legs = trip_legs(scenario, visits, bases)
    return [build_route(scenario, key, routes[key], travel, day, (bases or {}).get(key), legs.get(key))
            for key in sorted(routes, key=lambda k: (k[1], k[0], k[2]))]


def stated_bases(schedule: Schedule) -> dict[RouteKey, Point]:
    """The base each stated route (``Schedule.routes``) says it starts and ends at."""
    return {r.key: Point(r.base.lat, r.base.lon) for r in schedule.routes if r.base is not None}


def build_route(scenario: Scenario, key: RouteKey, visits: list[Assignment],
                travel: TravelParams, day: WorkingDay, stated: Point | None = None,
                leg: Leg | None = None) -> DayRoute:
    """One day's route; a trip day (``leg``) sets out from its leg's start and drives home only
    when the leg ends at the base."""
    team_id, when, lead_id = key
    team = scenario.team(team_id)
    base = leg.base if leg is not None and leg.base is not None else \
        route_base(scenario, team, visits, stated)
    stops, here = [], (leg.start if leg is not None else base)
    set_out = here
    for a in visits:
        unit = scenario.unit(a.unit_id)
        point = point_of(unit.location) or base or Point(0.0, 0.0)
        start, end = a.start_time or "", a.end_time or a.start_time or ""
        minutes = unit.visit_minutes or clock_span(day, start, end)
        stops.append(RouteStop(unit, point, unit.location is not None, start, end, minutes,
                               leg_minutes(here, point, travel), leg_km(here, point, travel)))
        here = point
    home = base if leg is None or leg.end is not None else None
    home_minutes = leg_minutes(here, home, travel)
    back = day.arrival(minutes_of(stops[-1].end_time), home_minutes) or day.closes
    return DayRoute(team, when, lead_id, base, tuple(stops), home_minutes,
                    leg_km(here, home, travel), fmt_clock(back),
                    None if base is None else base_name(scenario, team.id, base),
                    leg.trip_id if leg is not None else None, set_out,
                    stops[-1].unit.id if leg is not None and leg.end is None else None,
                    scenario.unit(leg.lodging).name if leg is not None and leg.lodging else None)


def route_base(scenario: Scenario, team: Team, visits: list[Assignment],
               stated: Point | None = None) -> Point | None:
    """Where the route starts and ends: the team's base, of several the one ``day_base`` gives
    (without one, the route stage's stand-in)."""
    units = [scenario.unit(a.unit_id) for a in visits]
    if team.base is not None:
        return day_base(scenario, team.id, units, stated)
    return team_base(scenario, team.id, units) if any(u.location for u in units) else None


def with_routes(scenario: Scenario, schedule: Schedule) -> Schedule:
    """The schedule with its ``routes`` (one per team-day route, travel recomputed from the
    coordinates, each from the base that makes it cheapest) and each timed visit's ``route_id``;
    untimed visits carry none. A trip's id becomes its first day's (``trip_id_of``)."""
    renamed = {trip: trip_id_of(days[0][0].route_key)
               for trip, days in trip_days(schedule.assignments).items()}
    schedule = schedule.model_copy(update={"assignments": [
        a.model_copy(update={"trip_id": renamed.get(a.trip_id or "") if is_timed(a) else None})
        for a in schedule.assignments]})
    routes = [published_route(r) for r in day_routes(scenario, schedule.assignments)]
    ids = {r.key: r.id for r in routes}
    assignments = [a.model_copy(update={"route_id": ids.get(a.route_key) if is_timed(a) else None})
                   for a in schedule.assignments]
    return schedule.model_copy(update={"assignments": assignments, "routes": routes})


def published_route(route: DayRoute) -> Route:
    key = (route.team.id, route.day, route.lead_id)
    base = None if route.base is None else RoutePoint(lat=route.base.lat, lon=route.base.lon,
                                                        name=route.base_name)
    return Route(id=route_id_of(key), team_id=route.team.id, date=route.day, lead_id=route.lead_id,
                 unit_ids=[s.unit.id for s in route.stops], base=base,
                 travel_minutes=route.travel_minutes, travel_km=round(route.travel_km, 2),
                 trip_id=route.trip_id, night_at=route.night_at)


def leg_minutes(a: Point | None, b: Point | None, travel: TravelParams) -> int:
    return 0 if a is None or b is None else travel_of(a, b, travel)


def leg_km(a: Point | None, b: Point | None, travel: TravelParams) -> float:
    return 0.0 if a is None or b is None else road_km(a, b, travel.road_factor)


def working_offset(day: WorkingDay, clock: int) -> int:
    """Working minutes from the day's start to ``clock`` (lunch not counted)."""
    done = 0
    for start, end in day.sessions:
        done += max(0, min(clock, end) - start)
    return done


def clock_span(day: WorkingDay, start: str, end: str) -> int:
    """Working minutes between two clock times (a visit over lunch does not count the break)."""
    return working_offset(day, minutes_of(end)) - working_offset(day, minutes_of(start))
