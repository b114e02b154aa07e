"""Travel between units and the layout of one team's day (pure Python: the checker imports it).

THE RULE ("a day's visits plus travel fit the working hours"), as the checker verifies it:

- A working day is a list of sessions ``(start, end)`` in clock minutes from midnight, by default
  08:00-12:00 and 13:30-17:00 (450 working minutes); between them is a pause (lunch).
- The team leaves the base when the first session starts, drives to the first unit, visits it, drives
  to the next, ..., and drives back to the base, arriving by the end of the last session.
- A visit lies inside ONE session, never across the pause, and starts on the planner's grid
  (``grid_minutes``, default 15: a clock minute divisible by 15, e.g. 08:15, 13:30). It starts at the
  first grid minute after the team arrives at which it still ends within a session; the team waits
  otherwise (the wait is neither travel nor a visit).
- A drive may use the pause when ``travel_in_pause`` (the default, ``rules.working_hours``); otherwise
  its minutes are counted only inside sessions (a drive of 30 minutes leaving at 11:50 arrives 13:50).
  A drive never runs before the first session or after the last.
- ``lay_out`` decides whether a day fits (one function: the route engine, the route stage, the re-plan
  insertion and the checker all ask it). ``route_minutes`` (travel + visits) is only a relaxation.
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
    grid: int = 15  # visits start on clock minutes divisible by it
    travel_in_pause: bool = True

    def __post_init__(self) -> None:
        ends = [0]
        for start, end in self.sessions:
            if not ends[-1] <= start < end <= 24 * 60:
                raise ValueError(f"working sessions must be ordered, non-empty and within the day: "
                                 f"{self.sessions}")
            ends.append(end)
        if not 1 <= self.grid <= 60:
            raise ValueError(f"the grid is 1 to 60 minutes, not {self.grid}")

    @property
    def opens(self) -> int:
        return self.sessions[0][0]

    @property
    def closes(self) -> int:
        return self.sessions[-1][1]

    @property
    def span(self) -> int:
        """Minutes a route may use: the working minutes, plus the pauses when travel may use them."""
        return self.closes - self.opens if self.travel_in_pause else self.minutes

    @property
    def longest_session(self) -> int:
        return max(end - start for start, end in self.sessions)

    def arrival(self, leave: int, drive: int) -> int | None:
        """Clock minute a drive of ``drive`` minutes leaving at ``leave`` arrives (None: after hours)."""
        if self.travel_in_pause:
            at = leave + drive
            return at if at <= self.closes else None
        done = self._worked(leave) + drive
        return self.clock_end(done) if done <= self.minutes else None

    def visit_start(self, arrive: int, minutes: int) -> int | None:
        """First grid minute from ``arrive`` at which a visit fits inside one session."""
        for start, end in self.sessions:
            at = -(-max(arrive, start) // self.grid) * self.grid
            if at + minutes <= end:
                return at
        return None

    def on_grid(self, clock: int) -> bool:
        return clock % self.grid == 0

    def session_of(self, start: int, end: int) -> tuple[int, int] | None:
        """The session holding the whole span [start, end], if any."""
        return next(((s, e) for s, e in self.sessions if s <= start and end <= e), None)

    def _worked(self, clock: int) -> int:
        return sum(max(0, min(clock, end) - start) for start, end in self.sessions)

    @property
    def minutes(self) -> int:
        """Working minutes in the day (450 by default)."""
        return sum(end - start for start, end in self.sessions)

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


class DayLayout(NamedTuple):
    slots: list[Slot]
    back_at: int  # clock minute the team is back at the base


def lay_out(drives: Sequence[int], minutes_of: Sequence[int], day: WorkingDay = DEFAULT_DAY,
            ) -> DayLayout | None:
    """THE test of a day (see the module docstring): the visits in order, ``drives[i]`` minutes
    before visit i and ``drives[-1]`` back to the base; None when the day does not fit."""
    if len(drives) != len(minutes_of) + 1:
        raise ValueError("one drive before each visit and one home")
    slots: list[Slot] = []
    clock = day.opens
    for drive, visit in zip(drives, minutes_of, strict=False):
        arrive = day.arrival(clock, drive)
        start = None if arrive is None else day.visit_start(arrive, visit)
        if start is None:
            return None
        slots.append(Slot(start, start + visit, drive))
        clock = start + visit
    back = day.arrival(clock, drives[-1]) if slots else day.opens
    return None if back is None else DayLayout(slots, back)


def lay_out_route(base: Point, stops: Sequence[Point], minutes_of: Sequence[int],
                  day: WorkingDay = DEFAULT_DAY, travel: TravelParams = DEFAULT_TRAVEL) -> DayLayout | None:
    path = [base, *stops, base]
    return lay_out([travel_of(a, b, travel) for a, b in pairwise(path)] if stops else [0], minutes_of, day)


def lay_out_day(base: Point, stops: Sequence[Point], minutes_of: Sequence[int],
                day: WorkingDay = DEFAULT_DAY, travel: TravelParams = DEFAULT_TRAVEL) -> list[Slot] | None:
    """Clock times of each visit in the given order, or None when the route does not fit the day."""
    if len(stops) != len(minutes_of):
        raise ValueError("one visit length per stop")
    layout = lay_out_route(base, stops, minutes_of, day, travel)
    return None if layout is None else layout.slots


def fits_day(base: Point, stops: Sequence[Point], minutes_of: Sequence[int],
             day: WorkingDay = DEFAULT_DAY, travel: TravelParams = DEFAULT_TRAVEL) -> bool:
    return lay_out_day(base, stops, minutes_of, day, travel) is not None


def fmt_clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"
