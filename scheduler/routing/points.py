"""Where a team-day route starts and where each unit is, shared by the route stage and the checker.

Pure Python (the checker imports it). A unit without a location is at its team's base (``kiemtra
validate`` says so); a team without a base sets out from its first unit, so only the drives
between units count.
"""

from __future__ import annotations

from collections.abc import Sequence

from models.scenario import Scenario, Unit
from scheduler.routing.travel import Point as Point  # re-exported
from scheduler.routing.travel import TravelParams, WorkingDay

ORIGIN = Point(0.0, 0.0)


def team_base(scenario: Scenario, team_id: str, units: Sequence[Unit] = ()) -> Point:
    """The team's base; without one, the first located unit (else a point every unit shares)."""
    base = scenario.team(team_id).base
    if base is not None:
        return Point(base.lat, base.lon)
    located = next((u.location for u in units if u.location is not None), None)
    return Point(located.lat, located.lon) if located is not None else ORIGIN


def unit_point(unit: Unit, base: Point) -> Point:
    return Point(unit.location.lat, unit.location.lon) if unit.location is not None else base


def working_day(scenario: Scenario) -> WorkingDay:
    hours = scenario.rules.working_hours
    return WorkingDay(tuple((_clock(s.start), _clock(s.end)) for s in hours.sessions), hours.grid_minutes,
                      hours.travel_in_pause)


def travel_params(scenario: Scenario) -> TravelParams:
    travel = scenario.rules.travel
    return TravelParams(travel.road_factor, travel.speed_kmh)


def _clock(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)
