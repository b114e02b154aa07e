"""The route stage's trips (``rules.overnight``): far units on trips with nights away.

With ``rules.overnight.max_nights`` above 0, a group's units that fit no day route from any base
of the planning team (the route stage's whole-day trips) are put on trips
(``scheduler.routing.trips``), with the group's other units nearer to one of them than to the base
(a trip may take them on its way; left off, each costs its own day route, so it is taken only when
that is cheaper). A trip is planned from the planning team's office and becomes ONE composite visit
of the calendar model lasting its days; ``trip_assignments`` gives each unit its day and times.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from itertools import pairwise, permutations

from models.calendar import WorkCalendar
from models.scenario import Scenario, Unit
from models.schedule import Assignment, RouteKey, VisitState
from scheduler.problem.schedule_build import make_assignment
from scheduler.routing.instance import Stop
from scheduler.routing.points import Point, team_base, team_bases, travel_params, unit_point, working_day
from scheduler.routing.travel import (
    DayLayout,
    TravelParams,
    fits_day,
    fmt_clock,
    road_km,
    route_travel_minutes,
    travel_of,
)
from scheduler.routing.trips import (
    TRIP_PREFIX,
    PlannedTrip,
    TripPrices,
    day_drives,
    lay_out_leg,
    plan_trips,
    trip_base,
    trip_travel,
)

FAR = 10**9  # leaving a far unit off every trip costs more than any trip
ORDER_BY_ENUMERATION = 6  # visits of a day ordered by trying every order (720 at most)

__all__ = ["PlannedTrip", "plan_group_trips", "trip_assignments"]


def plan_group_trips(scenario: Scenario, members: Sequence[Unit], too_far: set[str],
                     teams: Sequence[str], first: int) -> list[PlannedTrip]:
    """The group's trips (ids from ``first`` + 1); none when overnight stays are off."""
    max_nights = scenario.rules.overnight.max_nights
    if max_nights == 0 or not too_far:
        return []
    bases = team_bases(scenario, teams[0])
    base = bases[0] if bases else team_base(scenario, teams[0], members)
    day, travel = working_day(scenario), travel_params(scenario)
    far = [unit_point(u, base) for u in members if u.id in too_far]
    candidates = [u for u in members if u.id in too_far or any(
        travel_of(unit_point(u, base), f, travel) < travel_of(base, unit_point(u, base), travel)
        for f in far)]
    w = scenario.weights
    prices = TripPrices(w.travel, w.team_days, w.overnight)
    stops = [Stop(u.id, unit_point(u, base), u.visit_minutes or 0, u.label) for u in candidates]
    left = [FAR if s.unit_id in too_far else _alone(base, s, prices, scenario) for s in stops]
    found, _ = plan_trips(stops, base, day, travel, max_nights, prices, left)
    by_id = {u.id: u for u in members}
    out = []
    for i, days in enumerate(found, first + 1):
        units = [[by_id[u] for u in d] for d in days]
        out.append(PlannedTrip(f"{TRIP_PREFIX}{i:03d}", days, trip_travel(scenario, teams[0], units),
                               trip_base(scenario, teams[0], units)))
    return out


def _alone(base: Point, stop: Stop, prices: TripPrices, scenario: Scenario) -> int:
    """What a unit that fits a day route costs on a day of its own."""
    day, travel = working_day(scenario), travel_params(scenario)
    if not fits_day(base, [stop.point], [stop.minutes], day, travel):
        return FAR
    return prices.travel * route_travel_minutes(base, [stop.point], travel) + prices.team_day


def trip_assignments(scenario: Scenario, cal: WorkCalendar, trip: PlannedTrip, visit: Assignment
                     ) -> list[Assignment]:
    """The trip's units, each on its day (the trip's k-th working day from the visit's start) with
    its clock times, laid out from the visiting team's base (``trip_base``)."""
    days = [[scenario.unit(i) for i in d] for d in trip.days]
    base = trip_base(scenario, visit.team_id, days)
    day, travel = working_day(scenario), travel_params(scenario)
    out, here, when = [], base, visit.start
    for k, units in enumerate(days):
        if k:
            when = cal.shift(when, 1)
        points = [unit_point(u, base) for u in units]
        end = base if k == len(days) - 1 else None
        layout = lay_out_leg(here, points, [u.visit_minutes or 0 for u in units], end, day, travel)
        if layout is None:
            raise ValueError(f"trip {trip.trip_id} day {k + 1} does not fit from {visit.team_id}'s base")
        for u, times in zip(units, _times(here, points, end, layout, travel), strict=True):
            made = make_assignment(scenario, cal, u.id, visit.team_id, when, visit.member_ids,
                                   visit.lead_id, visit.state)
            out.append(made.model_copy(update={**times, "trip_id": trip.trip_id}))
        here = points[-1]
    return out


def lay_out_trips(scenario: Scenario, assignments: Sequence[Assignment], untimed: bool = False
                  ) -> dict[str, Assignment]:
    """Unit id -> its visit re-timed, for each trip whose days all lay out from their legs, each
    day in its stated order; ``untimed``: a trip with visits without stated times too, each day in
    the order of least travel from where it sets out (a table whose hours were cleared). A trip
    that does not lay out keeps what it had, for the checker to report (H16)."""
    units = {u.id: u for u in scenario.units if u.visit_minutes is not None}
    trips: dict[str, dict[RouteKey, list[Assignment]]] = defaultdict(lambda: defaultdict(list))
    for a in assignments:
        if a.trip_id is not None and a.state is not VisitState.CANCELLED and a.unit_id in units:
            trips[a.trip_id][a.route_key].append(a)
    out: dict[str, Assignment] = {}
    for by_key in trips.values():
        days = [by_key[k] for k in sorted(by_key, key=lambda k: (k[1], k[0], k[2]))]
        if untimed or all(a.start_time is not None for d in days for a in d):
            out |= _lay_out_trip(scenario, days)
    return out


Walk = tuple[int, list[tuple[list[Assignment], Point, list[Point], DayLayout]]]  # drive, days


def _lay_out_trip(scenario: Scenario, days: list[list[Assignment]]) -> dict[str, Assignment]:
    """The trip's visits re-timed ({} when it does not lay out): each day in its stated order, or
    the orders of least travel over the whole trip (a day's last unit is where the next sets out)."""
    day, travel = working_day(scenario), travel_params(scenario)
    base = trip_base(scenario, days[0][0].team_id, [[scenario.unit(a.unit_id) for a in d] for d in days])
    walks: dict[str | None, Walk] = {None: (0, [])}  # by the unit the team slept near
    for i, visits in enumerate(days):
        end = base if i == len(days) - 1 else None
        after: dict[str | None, Walk] = {}
        for drive, done in walks.values():
            start = done[-1][2][-1] if done else base
            for order in _orders(visits):
                stops = [scenario.unit(a.unit_id) for a in order]
                points = [unit_point(u, base) for u in stops]
                layout = lay_out_leg(start, points, [u.visit_minutes or 0 for u in stops], end, day, travel)
                total = drive + sum(day_drives(start, points, end, travel))
                last = order[-1].unit_id
                if layout is not None and (last not in after or total < after[last][0]):
                    after[last] = (total, [*done, (order, start, points, layout)])
        walks = after
    if not walks:
        return {}
    _, best = min(walks.values(), key=lambda w: w[0])
    laid: dict[str, Assignment] = {}
    for i, (order, start, points, layout) in enumerate(best):
        end = base if i == len(best) - 1 else None
        for a, times in zip(order, _times(start, points, end, layout, travel), strict=True):
            laid[a.unit_id] = a.model_copy(update=times)
    return laid


def _orders(visits: list[Assignment]) -> list[list[Assignment]]:
    """The day's stated order (all timed), else every order up to ``ORDER_BY_ENUMERATION`` visits."""
    if all(a.start_time is not None for a in visits):
        return [sorted(visits, key=lambda a: (a.start_time or "", a.unit_id))]
    ordered = sorted(visits, key=lambda a: a.unit_id)
    return [list(p) for p in permutations(ordered)] if len(visits) <= ORDER_BY_ENUMERATION else [ordered]


def _times(start: Point, points: list[Point], end: Point | None, layout: DayLayout,
           travel: TravelParams) -> list[dict[str, object]]:
    """Each visit's clock times and the leg driven to it."""
    drives = day_drives(start, points, end, travel)
    return [{"start_time": fmt_clock(slot.start), "end_time": fmt_clock(slot.end), "travel_minutes": drive,
             "travel_km": round(road_km(a, b, travel.road_factor), 2)}
            for slot, drive, (a, b) in zip(layout.slots, drives, pairwise([start, *points]), strict=False)]
