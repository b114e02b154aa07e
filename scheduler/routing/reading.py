"""Day routes read from a schedule: each team-day's short visits in start-time order, base first
and back to base last (pure Python, never solves; the outputs and the benchmark figures use it).

A visit is on a route when it has a ``start_time``. The legs are recomputed from the coordinates with
the scenario's ``rules.travel`` (the checker's rule, ``scheduler.routing.travel``), so the figures do not
depend on the solver having filled ``travel_minutes``/``travel_km``. A unit without a location stands
at its team's base (the scenario's default), and is flagged so that a map can say so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from models.field_work import minutes_of
from models.scenario import Scenario, Team, Unit
from models.schedule import Assignment, VisitState
from scheduler.routing.points import working_day
from scheduler.routing.travel import Point, TravelParams, WorkingDay, fmt_clock, road_km, travel_of


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

    @property
    def visit_minutes(self) -> int:
        return sum(s.visit_minutes for s in self.stops)

    @property
    def travel_minutes(self) -> int:
        return sum(s.travel_minutes for s in self.stops) + self.home_minutes

    @property
    def travel_km(self) -> float:
        return sum(s.travel_km for s in self.stops) + self.home_km


def travel_params(scenario: Scenario) -> TravelParams:
    t = scenario.rules.travel
    return TravelParams(road_factor=t.road_factor, speed_kmh=t.speed_kmh)




def point_of(loc: object | None) -> Point | None:
    if loc is None:
        return None
    return Point(getattr(loc, "lat"), getattr(loc, "lon"))  # noqa: B009 - Location or Point alike


def is_timed(a: Assignment) -> bool:
    return a.start_time is not None and a.state is not VisitState.CANCELLED


def day_routes(scenario: Scenario, assignments: Iterable[Assignment]) -> list[DayRoute]:
    """Every team-day route of the timed visits, by date then team."""
    groups: dict[tuple[date, str, str], list[Assignment]] = defaultdict(list)
    for a in assignments:
        if is_timed(a):
            groups[(a.start, a.team_id, a.lead_id)].append(a)
    travel, day = travel_params(scenario), working_day(scenario)
    return [build_route(scenario, key, sorted(group, key=lambda a: (a.start_time or "", a.unit_id)),
                        travel, day)
            for key, group in sorted(groups.items())]


def build_route(scenario: Scenario, key: tuple[date, str, str], visits: list[Assignment],
                travel: TravelParams, day: WorkingDay) -> DayRoute:
    when, team_id, lead_id = key
    team = scenario.team(team_id)
    base = point_of(team.base)
    stops, here = [], base
    for a in visits:
        unit = scenario.unit(a.unit_id)
        point = point_of(unit.location) or base or Point(0.0, 0.0)
        start, end = a.start_time or "", a.end_time or a.start_time or ""
        minutes = unit.visit_minutes or clock_span(day, start, end)
        stops.append(RouteStop(unit, point, unit.location is not None, start, end, minutes,
                               leg_minutes(here, point, travel), leg_km(here, point, travel)))
        here = point
    home_minutes = leg_minutes(here, base, travel)
    back = day.arrival(minutes_of(stops[-1].end_time), home_minutes) or day.closes
    return DayRoute(team, when, lead_id, base, tuple(stops), home_minutes,
                    leg_km(here, base, travel), fmt_clock(back))


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
