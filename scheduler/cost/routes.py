"""The day-route costs S07-travel and S08-team-days, priced from the schedule alone.

S07: travel minutes of every route (the visits with clock times of one team, date and lead, in order
of start time), the drive back to the base included, recomputed from the scenario's coordinates
(the stated ``travel_minutes`` are never trusted) from the base the checker lays the day out from:
the stated route's when it is one of the team's bases, else the cheapest (``day_base``).
S08: distinct (team, day) pairs with a visit.
Also the day counting the balance rules share: a route's visits are one visit-day, and
``RoutePrice``: what S07 and S08 cost together, the one formula the plan's price and the route
engine both use (the engine minimises exactly what the plan will pay for its routes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from models.calendar import WorkCalendar
from models.rules import RuleId
from models.scenario import Scenario
from models.settings import Weights
from scheduler.cost.visits import PricedVisit
from scheduler.routing.points import Point, day_base, travel_params, unit_point
from scheduler.routing.reading import timed_routes
from scheduler.routing.travel import travel_of


@dataclass(frozen=True)
class RoutePrice:
    """Points per travel minute (S07-travel) and per team-day (S08-team-days): a route's price."""

    per_minute: int = Weights().travel
    per_day: int = Weights().team_days

    @classmethod
    def of(cls, weights: Weights) -> RoutePrice:
        return cls(weights.travel, weights.team_days)

    def terms(self, travel_minutes: int, days: int) -> dict[str, int]:
        """S07 and S08, weighted: how ``scheduler.cost.price.plan_cost`` prices a plan's routes."""
        return {RuleId.S07_TRAVEL: self.per_minute * travel_minutes,
                RuleId.S08_TEAM_DAYS: self.per_day * days}

    def __call__(self, travel_minutes: int, days: int) -> int:
        return sum(self.terms(travel_minutes, days).values())

    def ranking(self, units: int, day_minutes: int) -> RoutePrice:
        """A price with the same least plans and their ties broken, for a solver: itself when both
        weights count; travel then days when days are free (days <= units); days then travel when
        travel is free (a plan drives at most ``units`` × ``day_minutes``)."""
        if self.per_minute > 0 and self.per_day > 0:
            return self
        if self.per_day == 0:
            return RoutePrice(units + 1, 1)
        return RoutePrice(1, units * day_minutes + 1)


DEFAULT_PRICE = RoutePrice()  # at the default weights


def route_travel_minutes(scenario: Scenario, visits: list[PricedVisit]) -> int:
    """S07-travel, unweighted: every route's driving minutes, home included."""
    known = [v.a for v in visits if v.unit is not None and v.team is not None]
    stated = {id(v.a): v.route_base for v in visits}
    units = {u.id: u for u in scenario.units}
    params = travel_params(scenario)
    total = 0
    for route in timed_routes(known).values():
        stops = [units[a.unit_id] for a in route]
        named = stated.get(id(route[0]))  # the checker's base: the stated one when it is the team's
        base = day_base(scenario, route[0].team_id, stops,
                        None if named is None else Point(named.lat, named.lon))
        path = [base, *(unit_point(u, base) for u in stops), base]
        total += sum(travel_of(a, b, params) for a, b in pairwise(path))
    return total


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
