"""Short visits grouped into day routes before the calendar model (route first, calendar second).

Units with ``visit_minutes`` are grouped by what lets them share a day (``group_key``): the same
team pin, window bounds and kind of window, day pin, form, agency (conflict of interest),
availability, group wishes, level, and wanted and excluded dates. Each group
is cut into day routes by the route engine (``scheduler.routing.engine``), at the plan's price of
travel and team-days (``scheduler.cost.routes.RoutePrice``), from the base of its first eligible
team. Each route becomes ONE composite whole-day unit of the existing calendar model (window =
the group's, required agencies = union, excluded dates = union, preferred dates = intersection),
so the domains, the model and greedy do not change. After the solve, ``expand_schedule`` turns
each composite visit back into one assignment per unit with its clock times and travel, all
sharing team, date and lead.

A unit whose visit plus the round trip cannot fit a working day even alone (``stop_problems``) is
not put on a route: it is planned as a whole-day trip (no clock times; the team leaves early or
stays over), and the pipeline and ``kiemtra validate`` report it in planners' terms (H16). With
``rules.overnight.max_nights`` above 0 such units go on trips with nights away instead
(``scheduler.routing.trip_stage``): one composite visit lasting the trip's days, expanded by
``trip_assignments`` into a timed visit per unit on its day.

Bases: the teams' bases differ by a few hundred metres in one city, so a route is planned from
the first eligible team's base and kept open to every team from whose base it still fits the day
(``scheduler.routing.travel.fits_day``); when it does not fit from some base, the composite unit is
pinned to the planning team (conservative: never a route that breaks H16 for the team given it).
A team with several bases (``teams[].bases``: its office and the province's second seat) shares
the group's units out to the base of each one's shortest round trip and plans each share from its
base; a unit is a whole-day trip only when it fits a day from none of them. Every day is laid out
from the base that makes it cheapest (``scheduler.routing.points.day_base``).

The rule ids H16-day-hours and H17-one-route are enforced here, in the route stage
(``ROUTE_CUTS``, merged into ``scheduler.problem.domains.DOMAIN_CUTS``): every route fits the day, and a
route is one composite visit, so a member is on one route a day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise, permutations
from typing import Any

from models.rules import RuleId
from models.scenario import Scenario, Unit, expand_dates
from models.schedule import Assignment, RouteKey, Schedule, UnitRef, Unscheduled, VisitState
from scheduler.cost.route_price import RoutePrice
from scheduler.problem.schedule_build import scenario_sha256
from scheduler.routing.engine import RoutePlan, RouteProblem, Stop, greedy_routes, plan_routes, stop_problems
from scheduler.routing.points import (
    Point,
    day_base,
    team_base,
    team_bases,
    travel_params,
    unit_point,
    working_day,
)
from scheduler.routing.selections import routed_selections, selections_of
from scheduler.routing.travel import (
    fits_day,
    fmt_clock,
    haversine_km,
    lay_out_day,
    route_travel_minutes,
    travel_of,
)
from scheduler.routing.trip_stage import PlannedTrip, lay_out_trips, plan_group_trips, trip_assignments
from scheduler.routing.trips import trip_fits

ROUTE_PREFIX = "~route"


@dataclass(frozen=True)
class PlannedRoute:
    """One team-day of short visits, as planned (its order; times follow the team's base)."""

    route_id: str
    unit_ids: tuple[str, ...]
    travel_minutes: int
    km: float
    base: Point | None = None  # the base it was planned from (the visiting team's may differ)


@dataclass
class RoutedScenario:
    """The scenario the calendar model solves, and how to expand its plan back."""

    original: Scenario
    composite: Scenario
    routes: dict[str, PlannedRoute] = field(default_factory=dict)
    problems: list[RouteProblem] = field(default_factory=list)
    lower_bound_minutes: int = 0
    trips: dict[str, PlannedTrip] = field(default_factory=dict)  # nights away (rules.overnight)

    @property
    def visit_units(self) -> dict[str, tuple[str, ...]]:
        """Each composite visit of the calendar problem (a day route or a trip) -> its unit ids."""
        return {**{r: tuple(route.unit_ids) for r, route in self.routes.items()},
                **{t: tuple(trip.unit_ids) for t, trip in self.trips.items()}}

    @property
    def travel_minutes(self) -> int:
        return sum(r.travel_minutes for r in self.routes.values()) + \
            sum(t.travel_minutes for t in self.trips.values())


def group_key(scenario: Scenario, u: Unit, samples: Mapping[str, frozenset[str]]) -> tuple[Any, ...]:
    """Units with the same key may share a day route: the calendar shapes the routes.

    A route is one visit of the calendar model, on one day, so its units must want and allow the
    same days: the same window (a route's window is its first unit's), day pin (``date:``), unit
    availability (``available_from``) and team pin; members' away days are their team's, the same
    for every unit it may visit. Wanted and excluded dates are part of it too: wards wanting two
    different days are never put on one route (a route's wanted dates are the ones all its units
    share, so a mixed route would meet none), and a ward's excluded day would bar its neighbours'
    route from that day. Required agencies are not: a route takes their union, which the team
    can field on most days, and splitting on them would cost a team-day each. An optional unit's
    selections and priority are (``samples``: unit id -> ids of the selections counting it): a route
    is visited or left out whole, so it samples for the same selections at one priority, and the
    plan never visits a low-priority unit only because it rides with a high one."""
    sample = (samples.get(u.id, frozenset()), u.priority) if u.optional else None
    return (u.team, scenario.window_bounds(u), u.window.expected, u.form, u.agency, u.optional,
            u.group_size, u.led_by_leader, u.kind.is_commune_level, u.available_from, u.pinned_date,
            frozenset(expand_dates(u.preferred_dates)),
            frozenset(expand_dates(u.excluded_dates)), sample)


def eligible_teams(scenario: Scenario, unit: Unit) -> list[str]:
    return [unit.team] if unit.team else sorted(t.id for t in scenario.teams)


Planner = Callable[..., RoutePlan]


def route_scenario(scenario: Scenario, time_limit_s: float = 5.0, seed: int = 0,
                   greedy: bool = False) -> RoutedScenario:
    """Group the short visits, plan their day routes, and build the composite scenario."""
    groups: dict[tuple[Any, ...], list[Unit]] = defaultdict(list)
    samples = selections_of(scenario)
    for u in scenario.units:
        if u.visit_minutes is not None:
            groups[group_key(scenario, u, samples)].append(u)
    kept = [u for u in scenario.units if u.visit_minutes is None]
    routed = RoutedScenario(scenario, scenario)
    planner: Planner = greedy_routes if greedy else plan_routes
    composites: list[Unit] = []
    for members in groups.values():
        composites += _plan_group(scenario, members, routed, planner, time_limit_s, seed)
    routed.composite = scenario.model_copy(update={
        "units": kept + composites, "selections": routed_selections(scenario, routed.visit_units)})
    return routed


def _plan_group(scenario: Scenario, members: list[Unit], routed: RoutedScenario, planner: Planner,
                time_limit_s: float, seed: int) -> list[Unit]:
    teams = eligible_teams(scenario, members[0])
    too_far = _day_trip_ids(scenario, members, teams, routed)
    trips, on_trips = _trips(scenario, members, too_far, teams, routed)
    routed.problems = [p for p in routed.problems if p.unit_id not in on_trips]
    day_trips = [u.model_copy(update={"visit_minutes": None}) for u in members
                 if u.id in too_far and u.id not in on_trips]
    everyone = members
    members = [u for u in members if u.id not in too_far and u.id not in on_trips]
    if not members:
        return day_trips + trips
    price = RoutePrice.of(scenario.weights)  # the plan's price of travel and team-days
    kwargs = {"price": price} if planner is greedy_routes else {
        "time_limit_s": time_limit_s, "seed": seed, "price": price}
    by_id = {u.id: u for u in members}
    out = []
    shares = _by_base(scenario, teams[0], members, everyone)
    for base, share in shares.items():
        stops = [Stop(u.id, unit_point(u, base), u.visit_minutes or 0, u.label) for u in share]
        plan = planner(stops, base, working_day(scenario), travel_params(scenario), **kwargs)
        # a bound from each base's share is no bound on a plan free to mix them (0 is)
        routed.lower_bound_minutes += plan.lower_bound_minutes if len(shares) == 1 else 0
        for route in plan.routes:
            route_id = f"{ROUTE_PREFIX}{len(routed.routes) + 1:03d}"
            units = [by_id[i] for i in route.unit_ids]
            routed.routes[route_id] = PlannedRoute(route_id, route.unit_ids, route.travel_minutes,
                                                   route.km, base)
            pin = None if all(_fits_from(scenario, t, units) for t in teams) else teams[0]
            out.append(composite_unit(route_id, units, pin))
    return out + day_trips + trips


def _trips(scenario: Scenario, members: list[Unit], too_far: set[str], teams: list[str],
           routed: RoutedScenario) -> tuple[list[Unit], set[str]]:
    """The group's trips with nights away as composite visits of their days, and their units."""
    by_id = {u.id: u for u in members}
    out: list[Unit] = []
    for trip in plan_group_trips(scenario, members, too_far, teams, len(routed.trips)):
        routed.trips[trip.trip_id] = trip
        days = [[by_id[u] for u in d] for d in trip.days]
        pin = None if all(trip_fits(scenario, t, days) for t in teams) else teams[0]
        out.append(composite_unit(trip.trip_id, [u for d in days for u in d], pin, len(days)))
    return out, {u for t in routed.trips.values() for u in t.unit_ids}


def _bases_of(scenario: Scenario, team_id: str, units: Sequence[Unit]) -> list[Point]:
    return team_bases(scenario, team_id) or [team_base(scenario, team_id, units)]


def _day_trip_ids(scenario: Scenario, members: list[Unit], teams: list[str],
                  routed: RoutedScenario) -> set[str]:
    """Units some eligible team cannot visit within a day even alone, from any of its bases (each
    explained once, from the team's office)."""
    day, travel = working_day(scenario), travel_params(scenario)
    too_far: set[str] = set()
    for t in teams:
        failing = [{p.unit_id: p for p in stop_problems(
            [Stop(u.id, unit_point(u, base), u.visit_minutes or 0, u.label) for u in members],
            base, day, travel)} for base in _bases_of(scenario, t, members)]
        for unit_id, problem in failing[0].items():
            if all(unit_id in f for f in failing[1:]):
                too_far.add(unit_id)
                if all(p.unit_id != unit_id for p in routed.problems):
                    routed.problems.append(problem)
    return too_far


def _by_base(scenario: Scenario, team_id: str, units: list[Unit], everyone: list[Unit]
             ) -> dict[Point, list[Unit]]:
    """The units shared out to the planning team's bases: each to the base of its shortest round trip
    that fits the day (the first listed on a tie); one base takes them all (a team without one: the
    stand-in ``team_base`` gives for the whole group, day trips included)."""
    bases = _bases_of(scenario, team_id, everyone)
    if len(bases) == 1:
        return {bases[0]: units}
    shares: dict[Point, list[Unit]] = {b: [] for b in bases}
    for u in units:
        shares[day_base(scenario, team_id, [u])].append(u)
    return {b: share for b, share in shares.items() if share}


def _fits_from(scenario: Scenario, team_id: str, units: Sequence[Unit]) -> bool:
    base = day_base(scenario, team_id, units)
    return fits_day(base, [unit_point(u, base) for u in units], [u.visit_minutes or 0 for u in units],
                    working_day(scenario), travel_params(scenario))


def composite_unit(route_id: str, units: Sequence[Unit], pin: str | None, days: int = 1) -> Unit:
    """One whole-day pseudo-unit standing for a route, or a trip of ``days`` days (see the module
    docstring)."""
    first = units[0]
    preferred = set.intersection(*(expand_dates(u.preferred_dates) for u in units))
    excluded = set().union(*(expand_dates(u.excluded_dates) for u in units))
    commune = next((u.kind for u in units if u.kind.is_commune_level), first.kind)
    return first.model_copy(update={
        "id": route_id,
        "name": "Tuyến: " + ", ".join(u.label for u in units),
        "short_name": None,
        "kind": commune,
        "window": first.window,
        "duration": days,
        "visit_minutes": None,
        "location": None,
        "required_agencies": sorted({a for u in units for a in u.required_agencies}),
        "preferred_dates": sorted(preferred),
        "excluded_dates": sorted(excluded),
        "team": pin or first.team,
        "priority": sum(u.priority for u in units),  # S13: leaving the route out leaves them all
    }).standing_for(sum(u.stands_for for u in units))


# --- back from composite visits to one assignment per unit -----------------------------------------


def expand_schedule(routed: RoutedScenario, schedule: Schedule) -> Schedule:
    """One assignment per unit of each route, with clock times and travel from the team's base."""
    scenario = routed.original
    assignments: list[Assignment] = []
    cal = scenario.work_calendar()
    for a in schedule.assignments:
        route, trip = routed.routes.get(a.unit_id), routed.trips.get(a.unit_id)
        if trip is not None:
            assignments += trip_assignments(scenario, cal, trip, a)
        else:
            assignments += [a] if route is None else route_assignments(scenario, route.unit_ids, a)
    unscheduled = [Unscheduled(unit_id=i, reason=u.reason) for u in schedule.unscheduled
                   for i in _member_ids(routed, u.unit_id)]
    units = [UnitRef(id=u.id, name=u.name, kind=u.kind, agency=u.agency) for u in scenario.units]
    ref = schedule.scenario.model_copy(update={"sha256": scenario_sha256(scenario)})
    return schedule.model_copy(update={"assignments": assignments, "unscheduled": unscheduled,
                                       "units": units, "scenario": ref})


def _member_ids(routed: RoutedScenario, unit_id: str) -> tuple[str, ...]:
    if unit_id in routed.trips:
        return routed.trips[unit_id].unit_ids
    return routed.routes[unit_id].unit_ids if unit_id in routed.routes else (unit_id,)


def route_assignments(scenario: Scenario, unit_ids: Sequence[str], visit: Assignment) -> list[Assignment]:
    """The route's units in order, laid out from the visiting team's base."""
    units = [scenario.unit(i) for i in unit_ids]
    base = day_base(scenario, visit.team_id, units)
    points = [unit_point(u, base) for u in units]
    travel = travel_params(scenario)
    slots = lay_out_day(base, points, [u.visit_minutes or 0 for u in units], working_day(scenario), travel)
    if slots is None:
        raise DayDoesNotFit(f"route {list(unit_ids)} does not fit the day from {visit.team_id}'s base")
    path = [base, *points]
    return [visit.model_copy(update={
        "unit_id": u.id, "start_time": fmt_clock(s.start), "end_time": fmt_clock(s.end),
        "travel_minutes": s.travel_before,
        "travel_km": round(haversine_km(a, b) * travel.road_factor, 2)})
        for u, s, (a, b) in zip(units, slots, pairwise(path), strict=True)]


ORDER_BY_ENUMERATION = 6  # stops of a day ordered by trying every order (720 at most)


class DayDoesNotFit(ValueError):
    """A team-day's short visits and their travel do not fit the working day (H16)."""


def lay_out_days(scenario: Scenario, schedule: Schedule, untimed: bool = False) -> Schedule:
    """Clock times for the short visits of each team-day (``Assignment.route_key``), in the order
    their stated times give: kept days a re-plan took a visit from (the others move up) or a
    surprise visit joined. ``untimed``: days without stated times too (a plan read from a
    workbook), in the order of least travel. A day that cannot fit keeps what it had, for the
    checker to report (H16); a day trip (an untimed visit in a plan) stays one. A trip with nights
    away is laid out from its legs, each day in its stated order (``lay_out_trips``)."""
    short = {u.id for u in scenario.units if u.visit_minutes is not None}
    days: dict[RouteKey, list[Assignment]] = defaultdict(list)
    for a in schedule.assignments:
        if a.unit_id in short and a.state is not VisitState.CANCELLED and a.trip_id is None:
            days[a.route_key].append(a)
    timed: dict[str, Assignment] = {}
    for visits in days.values():
        if not untimed and any(a.start_time is None for a in visits):
            continue
        try:
            laid = route_assignments(scenario, _read_order(scenario, visits), visits[0])
        except DayDoesNotFit:
            continue
        by_unit = {a.unit_id: a for a in visits}
        timed |= {a.unit_id: by_unit[a.unit_id].model_copy(update={k: getattr(a, k) for k in TIMES})
                  for a in laid}
    timed |= lay_out_trips(scenario, schedule.assignments, untimed)
    return schedule.model_copy(update={"assignments": [timed.get(a.unit_id, a)
                                                       for a in schedule.assignments]})


TIMES = ("start_time", "end_time", "travel_minutes", "travel_km")  # what laying out a day sets


def _read_order(scenario: Scenario, visits: list[Assignment]) -> list[str]:
    """The stated order; without stated times the order of least travel (every order up to
    ``ORDER_BY_ENUMERATION`` stops, else the nearest unit next)."""
    if all(a.start_time is not None for a in visits):
        return [a.unit_id for a in sorted(visits, key=lambda a: (a.start_time or "", a.unit_id))]
    return min((_least_travel_order(scenario, visits, base) for base in _bases_of(
        scenario, visits[0].team_id, [scenario.unit(a.unit_id) for a in visits])),
        key=lambda found: found[0])[1]


def _least_travel_order(scenario: Scenario, visits: list[Assignment], base: Point
                        ) -> tuple[tuple[int, int], list[str]]:
    """The order of least travel from ``base`` (days that lay out first), and its (fit, travel)."""
    travel = travel_params(scenario)
    point = {a.unit_id: unit_point(scenario.unit(a.unit_id), base) for a in visits}
    if len(visits) > ORDER_BY_ENUMERATION:
        order, here, left = [], base, sorted(point)
        while left:
            nearest = min(left, key=lambda u: (travel_of(here, point[u], travel), u))
            order.append(nearest)
            left.remove(nearest)
            here = point[nearest]
    else:
        order = list(min(permutations(sorted(point)), key=lambda o: route_travel_minutes(
            base, [point[u] for u in o], travel)))
    units = [scenario.unit(u) for u in order]
    fits = fits_day(base, [point[u] for u in order], [u.visit_minutes or 0 for u in units],
                    working_day(scenario), travel)
    return (0 if fits else 1, route_travel_minutes(base, [point[u] for u in order], travel)), order


def route_travel(scenario: Scenario, visits: Sequence[Assignment]) -> int:
    """Travel minutes of one team-day route (ordered by start time), the drive home included."""
    ordered = sorted(visits, key=lambda a: a.start_time or "")
    units = [scenario.unit(a.unit_id) for a in ordered]
    base = day_base(scenario, ordered[0].team_id, units)
    path = [base, *(unit_point(u, base) for u in units), base]
    return sum(travel_of(a, b, travel_params(scenario)) for a, b in pairwise(path))


def problem_text(problem: RouteProblem) -> str:
    return problem.message_vi


def day_hours_cut(routed: RoutedScenario) -> list[RouteProblem]:
    """H16 in the route stage: no route is built that does not fit the day (problems otherwise)."""
    return routed.problems


def one_route_cut(routed: RoutedScenario) -> dict[str, PlannedRoute]:
    """H17 in the route stage: a route is one composite visit, so its members share team, lead, day."""
    return routed.routes


ROUTE_CUTS: dict[RuleId, Callable[..., object]] = {
    RuleId.H16_DAY_HOURS: day_hours_cut,
    RuleId.H17_ONE_ROUTE: one_route_cut,
}
