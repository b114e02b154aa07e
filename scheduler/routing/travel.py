"""Travel between units and the layout of one team's day (pure Python: the checker imports it).

THE RULE ("a day's visits plus travel fit the working hours"), as the checker verifies it:

- A working day is a list of sessions ``(start, end)`` in clock minutes from midnight, by default
  08:00-12:00 and 13:30-17:00, i.e. 240 + 210 = 450 working minutes. The lunch break is a pause.
- A day is a timeline of *working* minutes 0..450. The team leaves the base at working minute 0
  (08:00), drives to the first unit, visits it, drives to the next, ..., and drives back to the base.
  Every drive and every visit consumes working minutes; nothing else does (no waiting).
- The day fits when ``sum(travel) + sum(visit minutes) <= working minutes``, the drive home included:
  the route starts and ends at the base within the working hours.
- A drive or a visit may straddle the lunch break: its clock times skip the break (a 60-minute visit
  starting at 11:30 ends at 14:00). A visit that starts exactly when a session ends is shown starting
  at the next session's start (12:00 -> 13:30); one that ends exactly then is shown ending at 12:00.
- Travel minutes between two points are ``ceil(haversine km × road_factor / speed_kmh × 60)``
  (defaults 1.4 and 30 km/h, the scenario's ``rules.travel``); 0 for the same point.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius
DEFAULT_SESSIONS: tuple[tuple[int, int], ...] = ((8 * 60, 12 * 60), (13 * 60 + 30, 17 * 60))


class Point(NamedTuple):
    lat: float
    lon: float


@dataclass(frozen=True)
class TravelParams:
    """How driving time follows from straight-line distance (scenario ``rules.travel``)."""

    road_factor: float = 1.4  # road km per straight-line km
    speed_kmh: float = 30.0  # average door-to-door speed

    def __post_init__(self) -> None:
        if self.road_factor < 1 or self.speed_kmh <= 0:
            raise ValueError(f"road_factor must be >= 1 and speed_kmh > 0, not "
                             f"{self.road_factor} and {self.speed_kmh}")


@dataclass(frozen=True)
class WorkingDay:
    """Working sessions of a day, clock minutes from midnight, in order and not overlapping."""

    sessions: tuple[tuple[int, int], ...] = DEFAULT_SESSIONS

    def __post_init__(self) -> None:
        ends = [0]
        for start, end in self.sessions:
            if not ends[-1] <= start < end <= 24 * 60:
                raise ValueError(f"working sessions must be ordered, non-empty and within the day: "
                                 f"{self.sessions}")
            ends.append(end)

    @property
    def minutes(self) -> int:
        """Working minutes in the day (450 by default)."""
        return sum(end - start for start, end in self.sessions)

    def clock_start(self, offset: int) -> int:
        """Clock minute at which something starting at working minute ``offset`` starts."""
        for start, end in self.sessions:
            if offset < end - start:
                return start + offset
            offset -= end - start
        if offset == 0:  # a zero-length item at the very end of the day
            return self.sessions[-1][1]
        raise ValueError("offset beyond the working day")

    def clock_end(self, offset: int) -> int:
        """Clock minute at which something ending at working minute ``offset`` ends."""
        for start, end in self.sessions:
            if offset <= end - start:
                return start + offset
            offset -= end - start
        raise ValueError("offset beyond the working day")


DEFAULT_DAY = WorkingDay()
DEFAULT_TRAVEL = TravelParams()


def haversine_km(a: Point, b: Point) -> float:
    """Great-circle distance in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def road_km(a: Point, b: Point, road_factor: float = 1.4) -> float:
    return haversine_km(a, b) * road_factor


def travel_minutes(a: Point, b: Point, road_factor: float = 1.4, speed_kmh: float = 30.0) -> int:
    """Whole driving minutes from a to b, rounded up."""
    # round() first so that float noise (e.g. 12.000000001) does not add a minute
    return math.ceil(round(road_km(a, b, road_factor) / speed_kmh * 60, 9))


def travel_of(a: Point, b: Point, travel: TravelParams) -> int:
    return travel_minutes(a, b, travel.road_factor, travel.speed_kmh)


def route_travel_minutes(base: Point, stops: Sequence[Point], travel: TravelParams = DEFAULT_TRAVEL) -> int:
    """Driving minutes of base -> stops in order -> base (0 for no stops)."""
    if not stops:
        return 0
    path = [base, *stops, base]
    return sum(travel_of(a, b, travel) for a, b in pairwise(path))


def route_minutes(base: Point, stops: Sequence[Point], minutes_of: Sequence[int],
                  travel: TravelParams = DEFAULT_TRAVEL) -> int:
    """Working minutes the route consumes: all driving (home included) plus every visit."""
    if len(stops) != len(minutes_of):
        raise ValueError("one visit length per stop")
    return route_travel_minutes(base, stops, travel) + sum(minutes_of)


class Slot(NamedTuple):
    """One visit of a laid-out day: clock minutes, and the drive just before it."""

    start: int
    end: int
    travel_before: int


def lay_out_day(base: Point, stops: Sequence[Point], minutes_of: Sequence[int],
                day: WorkingDay = DEFAULT_DAY, travel: TravelParams = DEFAULT_TRAVEL) -> list[Slot] | None:
    """Clock times of each visit in the given order, or None when the route does not fit the day."""
    if route_minutes(base, stops, minutes_of, travel) > day.minutes:
        return None
    slots: list[Slot] = []
    used, here = 0, base
    for stop, visit in zip(stops, minutes_of, strict=True):
        drive = travel_of(here, stop, travel)
        used += drive
        slots.append(Slot(day.clock_start(used), day.clock_end(used + visit), drive))
        used += visit
        here = stop
    return slots


def fmt_clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"
