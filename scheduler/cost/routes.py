"""The day-route costs S07-travel and S08-team-days, priced from the schedule alone.

S07: travel minutes of every route (the visits with clock times of one team, date and lead, in order
of start time), the drive back to the base included, recomputed from the scenario's coordinates
(the stated ``travel_minutes`` are never trusted) from the base the checker lays the day out from:
the stated route's when it is one of the team's bases, else the cheapest (``day_base``).
A trip day (``scheduler.routing.trips``) sets out from last night's lodging and drives home only on
the trip's last day. S08: distinct (team, day) pairs with a visit. S14: a trip's nights.
Also the day counting the balance rules share: a route's visits are one visit-day, and
``RoutePrice``: what S07 and S08 cost together, the one formula the plan's price and the route
engine both use (the engine minimises exactly what the plan will pay for its routes).
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from models.calendar import WorkCalendar
from models.scenario import Scenario
from scheduler.cost.visits import PricedVisit
from scheduler.routing.points import Point, day_base, travel_params, unit_point
from scheduler.routing.reading import timed_routes
from scheduler.routing.travel import travel_of
from scheduler.routing.trips import day_drives, trip_days, trip_legs


def route_travel_minutes(scenario: Scenario, visits: list[PricedVisit]) -> int:
    """S07-travel, unweighted: every route's driving minutes, home included."""
    known = [v.a for v in visits if v.unit is not None and v.team is not None]
    stated = {id(v.a): v.route_base for v in visits}
    units = {u.id: u for u in scenario.units}
    params = travel_params(scenario)
    legs = trip_legs(scenario, known, {v.a.route_key: Point(v.route_base.lat, v.route_base.lon)
                                       for v in visits if v.route_base is not None})
    total = 0
    for key, route in timed_routes(known).items():
        stops = [units[a.unit_id] for a in route]
        leg = legs.get(key)
        if leg is not None:  # a trip day: from last night's lodging, home only on the last day
            total += sum(day_drives(leg.start, [unit_point(u, leg.start) for u in stops], leg.end, params))
            continue
        named = stated.get(id(route[0]))  # the checker's base: the stated one when it is the team's
        base = day_base(scenario, route[0].team_id, stops,
                        None if named is None else Point(named.lat, named.lon))
        path = [base, *(unit_point(u, base) for u in stops), base]
        total += sum(travel_of(a, b, params) for a, b in pairwise(path))
    return total


def overnight(scenario: Scenario, visits: list[PricedVisit], cal: WorkCalendar) -> int:
    """S14-overnight, unweighted: the nights of every trip (its days less one)."""
    known = [v.a for v in visits if v.unit is not None and v.team is not None]
    return sum(len(days) - 1 for days in trip_days(known).values())


def team_days(scenario: Scenario, visits: list[PricedVisit], cal: WorkCalendar) -> int:
    """S08-team-days, unweighted: distinct (team, day) pairs with at least one visit."""
    return len({(v.team.id, d) for v in visits if v.team is not None for d in v.days})


def travel(scenario: Scenario, visits: list[PricedVisit], cal: WorkCalendar) -> int:
    return route_travel_minutes(scenario, visits)


def visit_day_keys(v: PricedVisit) -> set[tuple[object, ...]]:
    """The visit-days a visit stands for: a route's visits share theirs (team, day, lead)."""
    return {visit_day_key(v, d) for d in v.days}


def visit_day_key(v: PricedVisit, day: date) -> tuple[object, ...]:
    """The visit-day one day of a visit stands for (see ``visit_day_keys``)."""
    if v.a.start_time is not None:  # a timed visit is one day: its route's (``route_key``)
        return v.a.route_key
    return (id(v.a), day)  # each other assignment counts, even a duplicate
