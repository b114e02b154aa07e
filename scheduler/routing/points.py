"""Where a team-day route starts and where each unit is, shared by the route stage and the checker.

Pure Python (the checker imports it). A unit without a location is at its team's base (``kiemtra
validate`` says so); a team without a base sets out from its first unit, so only the drives
between units count. A team with several bases (``teams[].bases``) starts each day route at one of
them: ``day_base`` says which, for the route stage, the checker, the costs and the outputs alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from models.scenario import Scenario, Unit
from scheduler.routing.travel import Point as Point  # re-exported
from scheduler.routing.travel import TravelParams, WorkingDay, lay_out_route, route_travel_minutes

ORIGIN = Point(0.0, 0.0)


def team_base(scenario: Scenario, team_id: str, units: Sequence[Unit] = ()) -> Point:
    """The team's base; without one, the first located unit (else a point every unit shares)."""
    base = scenario.team(team_id).base
    if base is not None:
        return Point(base.lat, base.lon)
    located = next((u.location for u in units if u.location is not None), None)
    return Point(located.lat, located.lon) if located is not None else ORIGIN


def team_bases(scenario: Scenario, team_id: str) -> list[Point]:
    """Every base of the team, the office first (``teams[].bases``; ``base`` alone is one)."""
    team = scenario.team(team_id)
    return [Point(b.lat, b.lon) for b in team.bases] or ([Point(team.base.lat, team.base.lon)]
                                                          if team.base is not None else [])


def base_name(scenario: Scenario, team_id: str, point: Point) -> str | None:
    """The name a scenario gives the team's base at ``point`` (None: a one-base team's ``base``)."""
    return next((b.name for b in scenario.team(team_id).bases if Point(b.lat, b.lon) == point), None)


def day_base(scenario: Scenario, team_id: str, units: Sequence[Unit],
             stated: Point | None = None) -> Point:
    """THE base of a team-day route of ``units`` (in this order): the ``stated`` one when it is one of
    the team's bases; else the base from which the day lays out with the least travel (the first
    listed on a tie; the office when it lays out from none). A team of one base always has it."""
    bases = team_bases(scenario, team_id)
    if stated is not None and stated in bases:
        return stated
    if len(bases) < 2:
        return team_base(scenario, team_id, units)
    day, travel = working_day(scenario), travel_params(scenario)
    minutes = [u.visit_minutes or 0 for u in units]

    def cost(base: Point) -> tuple[int, int]:
        points = [unit_point(u, base) for u in units]
        fits = lay_out_route(base, points, minutes, day, travel) is not None
        return (0 if fits else 1, route_travel_minutes(base, points, travel))

    return min(bases, key=cost)  # min keeps the first of equals


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
