"""A route problem as numbers: the stops, and the integer travel matrix with node 0 the base.

Shared by the route engine (``scheduler.routing.engine``) and its solvers (enumeration, search, bound),
so that none of them imports another's home.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from scheduler.cost.route_price import DEFAULT_PRICE, RoutePrice
from scheduler.routing.travel import DayLayout, Point, TravelParams, WorkingDay, lay_out, travel_of


@dataclass(frozen=True)
class Stop:
    """A short visit to place on a day route."""

    unit_id: str
    point: Point
    minutes: int
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.unit_id



@dataclass(frozen=True)
class Instance:
    stops: tuple[Stop, ...]
    base: Point
    day: WorkingDay
    travel: TravelParams
    cost: tuple[tuple[int, ...], ...]  # (n+1)², node 0 = base, node i = stops[i-1]
    service: tuple[int, ...]  # service[0] = 0
    price: RoutePrice = DEFAULT_PRICE  # what the plan pays per travel minute and per day
    rank: RoutePrice = DEFAULT_PRICE  # what the solvers minimise: the price, ties broken

    @classmethod
    def build(cls, stops: Sequence[Stop], base: Point, day: WorkingDay, travel: TravelParams,
              price: RoutePrice | None = None) -> Instance:
        points = [base, *(s.point for s in stops)]
        cost = tuple(tuple(travel_of(a, b, travel) for b in points) for a in points)
        price = price or DEFAULT_PRICE
        return cls(tuple(stops), base, day, travel, cost, (0, *(s.minutes for s in stops)), price,
                   price.ranking(len(stops), day.span))

    @property
    def n(self) -> int:
        return len(self.stops)

    @property
    def capacity(self) -> int:
        """A relaxation of the day (travel + visits never exceed it): for bounds and quick pruning."""
        return self.day.span

    def tour_travel(self, nodes: Sequence[int]) -> int:
        path = [0, *nodes, 0]
        return sum(self.cost[a][b] for a, b in pairwise(path))

    def day_rank(self, nodes: Sequence[int]) -> int:
        """What one day route costs in the solvers' terms (``rank``: its travel and its day)."""
        return self.rank(self.tour_travel(nodes), 1)

    def plan_rank(self, days: Sequence[Sequence[int]]) -> int:
        return self.rank(sum(self.tour_travel(d) for d in days), sum(1 for d in days if d))

    def plan_price(self, days: Sequence[Sequence[int]]) -> int:
        """What the days cost the plan (S07 + S08)."""
        return self.price(sum(self.tour_travel(d) for d in days), sum(1 for d in days if d))

    def layout(self, nodes: Sequence[int]) -> DayLayout | None:
        """The day in this order by ``travel.lay_out``, the one test of a day."""
        path = [0, *nodes, 0]
        return lay_out([self.cost[a][b] for a, b in pairwise(path)], [self.service[i] for i in nodes],
                       self.day)

    def fits(self, nodes: Sequence[int]) -> bool:
        return self.layout(nodes) is not None


