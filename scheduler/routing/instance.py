"""A route problem as numbers: the stops, and the integer travel matrix with node 0 the base.

Shared by the route engine (``scheduler.routing.engine``) and its solvers (enumeration, search, bound),
so that none of them imports another's home.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

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

    @classmethod
    def build(cls, stops: Sequence[Stop], base: Point, day: WorkingDay, travel: TravelParams) -> Instance:
        points = [base, *(s.point for s in stops)]
        cost = tuple(tuple(travel_of(a, b, travel) for b in points) for a in points)
        return cls(tuple(stops), base, day, travel, cost, (0, *(s.minutes for s in stops)))

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

    def layout(self, nodes: Sequence[int]) -> DayLayout | None:
        """The day in this order by ``travel.lay_out``, the one test of a day."""
        path = [0, *nodes, 0]
        return lay_out([self.cost[a][b] for a, b in pairwise(path)], [self.service[i] for i in nodes],
                       self.day)

    def fits(self, nodes: Sequence[int]) -> bool:
        return self.layout(nodes) is not None


