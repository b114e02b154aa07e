"""Trips with nights away (``rules.overnight``): consecutive working days of one team and lead.

A unit too far for a day route from every base of its team (``stop_problems``) may join a trip.
Day 1 sets out from the base; each later day sets out from the previous day's last unit (the team
slept near it: the night's lodging); only the last day drives home. Each day is laid out by
``travel.lay_out`` like a day route, its drives being: from where it sets out to its first unit,
between its units, and home (the last day) or nothing (a night away). The route stage, the
checker, the costs and the outputs all read a trip's legs here (``trip_legs``). Pure Python.

``plan_trips`` cuts a group's far units into trips: every visiting order of up to
``ENUMERATION_ORDERS`` units (else nearest neighbour from the base), each cut into trips and days
by exact dynamic programming, priced as the plan is: travel, team-days and nights by their weights.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise, permutations

from models.scenario import Scenario, Unit
from models.schedule import Assignment, RouteKey, VisitState
from scheduler.routing.instance import Stop
from scheduler.routing.points import team_base, team_bases, travel_params, unit_point, working_day
from scheduler.routing.travel import DayLayout, Point, TravelParams, WorkingDay, lay_out, road_km, travel_of

TRIP_PREFIX = "~trip"
UNREACHED = 1 << 62  # the cost of a prefix no cut reaches yet
ENUMERATION_ORDERS = 7  # far units of a group ordered by trying every order (5,040 at most)


@dataclass(frozen=True)
class Leg:
    """Where one day of a trip sets out, and where it ends (None: a night away at its last unit)."""

    trip_id: str
    start: Point
    end: Point | None
    night: int  # the day's place in its trip, 0 for the first
    base: Point | None = None  # the trip's base
    lodging: str | None = None  # the unit near which the team slept the night before (day 2 on)


def day_drives(start: Point, stops: Sequence[Point], end: Point | None, travel: TravelParams) -> list[int]:
    """The drives of one day: to each unit from the previous point, and home (0: a night away)."""
    path = [start, *stops]
    home = travel_of(stops[-1], end, travel) if stops and end is not None else 0
    return [*(travel_of(a, b, travel) for a, b in pairwise(path)), home]


def lay_out_leg(start: Point, stops: Sequence[Point], minutes: Sequence[int], end: Point | None,
                day: WorkingDay, travel: TravelParams) -> DayLayout | None:
    return lay_out(day_drives(start, stops, end, travel), minutes, day)


def day_km(start: Point, stops: Sequence[Point], end: Point | None, travel: TravelParams) -> float:
    path = [start, *stops, *([end] if end is not None and stops else [])]
    return sum(road_km(a, b, travel.road_factor) for a, b in pairwise(path))


# --- reading a schedule's trips -------------------------------------------------------------------


def trip_days(visits: Iterable[Assignment]) -> dict[str, list[list[Assignment]]]:
    """Each trip's timed visits, a list per day (its route key) in date order, each by start time."""
    days: dict[str, dict[RouteKey, list[Assignment]]] = defaultdict(lambda: defaultdict(list))
    for a in visits:
        if a.trip_id is not None and a.start_time is not None and a.state is not VisitState.CANCELLED:
            days[a.trip_id][a.route_key].append(a)
    return {trip: [sorted(v, key=lambda a: (a.start_time or "", a.unit_id))
                   for _, v in sorted(by_key.items(), key=lambda kv: (kv[0][1], kv[0][0], kv[0][2]))]
            for trip, by_key in days.items()}


def trip_legs(scenario: Scenario, visits: Iterable[Assignment],
              stated: Mapping[RouteKey, Point] | None = None) -> dict[RouteKey, Leg]:
    """Each trip day's leg (route key -> ``Leg``); a day off every trip is absent (a day route).
    The base is the first day's stated one when it is the team's, else the cheapest."""
    units = {u.id: u for u in scenario.units}
    legs: dict[RouteKey, Leg] = {}
    for trip_id, days in trip_days(visits).items():
        if any(a.unit_id not in units for d in days for a in d):
            continue  # unknown units are H01's matter
        team_id = days[0][0].team_id
        if team_id not in {t.id for t in scenario.teams}:
            continue
        order = [[units[a.unit_id] for a in d] for d in days]
        base = trip_base(scenario, team_id, order, (stated or {}).get(days[0][0].route_key))
        here, lodging = base, None
        for i, (d, stops) in enumerate(zip(days, order, strict=True)):
            last = i == len(days) - 1
            legs[d[0].route_key] = Leg(trip_id, here, base if last else None, i, base, lodging)
            here, lodging = unit_point(stops[-1], base), stops[-1].id
    return legs


def trip_base(scenario: Scenario, team_id: str, days: Sequence[Sequence[Unit]],
              stated: Point | None = None) -> Point:
    """The base a trip sets out from and comes home to (as ``day_base`` for a day route)."""
    bases = team_bases(scenario, team_id)
    if stated is not None and stated in bases:
        return stated
    if len(bases) < 2:
        return team_base(scenario, team_id, [u for d in days for u in d])
    day, travel = working_day(scenario), travel_params(scenario)
    return min(bases, key=lambda b: _trip_cost(b, days, day, travel))


def _trip_cost(base: Point, days: Sequence[Sequence[Unit]], day: WorkingDay, travel: TravelParams
               ) -> tuple[int, int]:
    fits, total, here = 0, 0, base
    for i, d in enumerate(days):
        points = [unit_point(u, base) for u in d]
        end = base if i == len(days) - 1 else None
        fits += lay_out_leg(here, points, [u.visit_minutes or 0 for u in d], end, day, travel) is None
        total += sum(day_drives(here, points, end, travel))
        here = points[-1]
    return fits, total


def trip_travel(scenario: Scenario, team_id: str, days: Sequence[Sequence[Unit]]) -> int:
    """A planned trip's travel minutes from the team's base (home included)."""
    base = trip_base(scenario, team_id, days)
    return _trip_cost(base, days, working_day(scenario), travel_params(scenario))[1]


def trip_fits(scenario: Scenario, team_id: str, days: Sequence[Sequence[Unit]]) -> bool:
    base = trip_base(scenario, team_id, days)
    return _trip_cost(base, days, working_day(scenario), travel_params(scenario))[0] == 0


# --- planning trips -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedTrip:
    """A trip as planned: its days, each a tuple of unit ids in visiting order."""

    trip_id: str
    days: tuple[tuple[str, ...], ...]
    travel_minutes: int
    base: Point

    @property
    def unit_ids(self) -> tuple[str, ...]:
        return tuple(u for d in self.days for u in d)

    @property
    def nights(self) -> int:
        return len(self.days) - 1


@dataclass(frozen=True)
class TripPrices:
    travel: int  # per minute
    team_day: int
    night: int


def plan_trips(stops: Sequence[Stop], base: Point, day: WorkingDay, travel: TravelParams,
               max_nights: int, prices: TripPrices, left_cost: Sequence[int]
               ) -> tuple[list[tuple[tuple[str, ...], ...]], list[str]]:
    """The stops cut into trips of 1 to ``max_nights`` nights (each a tuple of days), the cheapest
    found, and the stops left off every trip: leaving stop i off costs ``left_cost[i]`` (a far
    unit: more than any trip; a unit that fits a day route: that day alone)."""
    points = [base, *(s.point for s in stops)]
    minutes = [0, *(s.minutes for s in stops)]
    cost = [[travel_of(a, b, travel) for b in points] for a in points]

    @cache
    def one_day(start: int, nodes: tuple[int, ...], home: bool) -> int | None:
        drives = [cost[start][nodes[0]], *(cost[a][b] for a, b in pairwise(nodes)),
                  cost[nodes[-1]][0] if home else 0]
        return None if lay_out(drives, [minutes[n] for n in nodes], day) is None else sum(drives)

    @cache
    def one_trip(nodes: tuple[int, ...]) -> tuple[int, tuple[tuple[int, ...], ...]] | None:
        return _cut_days(nodes, one_day, max_nights + 1, prices)

    nodes = list(range(1, len(points)))
    # a trip holds at most its days' worth of the shortest visits (no longer segment is tried)
    longest = (max_nights + 1) * max(1, day.minutes // max(1, min(minutes[1:], default=1)))
    orders: Iterable[tuple[int, ...]] = (permutations(nodes) if len(nodes) <= ENUMERATION_ORDERS
                                         else [_nearest_order(nodes, cost)])
    skip = [0, *left_cost]
    best: tuple[int, list[tuple[tuple[int, ...], ...]]] | None = None
    for order in orders:
        found = _cut_trips(order, one_trip, skip, longest)
        if best is None or found[0] < best[0]:
            best = found
    trips = [tuple(tuple(stops[n - 1].unit_id for n in d) for d in trip)
             for trip in (best[1] if best else []) if len(trip) > 1]
    on_trips = {u for trip in trips for d in trip for u in d}
    return trips, [s.unit_id for s in stops if s.unit_id not in on_trips]


def _nearest_order(nodes: Sequence[int], cost: list[list[int]]) -> tuple[int, ...]:
    left, here, out = list(nodes), 0, []
    while left:
        here = min(left, key=lambda v: (cost[here][v], v))
        out.append(here)
        left.remove(here)
    return tuple(out)


Days = tuple[tuple[int, ...], ...]
DayCost = Callable[[int, tuple[int, ...], bool], int | None]  # (from node, nodes, home) -> drive
TripCost = Callable[[tuple[int, ...]], tuple[int, Days] | None]


def _cut_days(nodes: tuple[int, ...], one_day: DayCost, max_days: int, prices: TripPrices
              ) -> tuple[int, Days] | None:
    """The cheapest cut of an ordered trip into at most ``max_days`` days (exact DP)."""
    n = len(nodes)
    # best[(p, d, here)]: first p units in d days, the team sleeping at node ``here``
    best: dict[tuple[int, int], tuple[int, Days]] = {(0, 0): (0, ())}
    for p in range(n):
        for d in range(max_days):
            entry = best.get((p, d))
            if entry is None:
                continue
            start = 0 if p == 0 else nodes[p - 1]
            for q in range(p + 1, n + 1):
                drive = one_day(start, nodes[p:q], q == n)
                if drive is None:
                    continue
                nights = prices.night if q < n else 0
                cand = (entry[0] + prices.travel * drive + prices.team_day + nights,
                        (*entry[1], nodes[p:q]))
                key = (q, d + 1)
                if q < n and d + 1 == max_days:
                    continue
                if key not in best or cand < best[key]:
                    best[key] = cand
    ends = [best[(n, d)] for d in range(2, max_days + 1) if (n, d) in best]  # a night at least
    return min(ends) if ends else None


def _cut_trips(order: tuple[int, ...], one_trip: TripCost, skip: Sequence[int], longest: int
               ) -> tuple[int, list[Days]]:
    """The cheapest cut of an order into consecutive trips, a unit left off at its ``skip`` cost
    (kept as a one-unit "trip" of one day, dropped by the caller) (exact DP)."""
    n = len(order)
    none: list[Days] = []
    best = [(0, none)] + [(UNREACHED, none)] * n
    for p in range(n):  # every prefix is reached: a unit may always be left off
        cost, trips = best[p]
        alone = (cost + skip[order[p]], [*trips, ((order[p],),)])
        best[p + 1] = min(best[p + 1], alone, key=lambda c: c[0])
        for q in range(p + 2, min(n, p + longest) + 1):
            trip = one_trip(order[p:q])
            if trip is not None:
                best[q] = min(best[q], (cost + trip[0], [*trips, trip[1]]), key=lambda c: c[0])
    return best[n]
