"""A min-cost flow with named nodes, convex arcs and a constant: what the bound's flows share."""

from __future__ import annotations

from ortools.graph.python import min_cost_flow


class FlowNet:
    """A min-cost flow with named nodes and a constant added to its cost."""

    def __init__(self) -> None:
        self.flow = min_cost_flow.SimpleMinCostFlow()
        self.nodes: dict[tuple[object, ...], int] = {}
        self.constant = 0

    def node(self, key: tuple[object, ...]) -> int:
        return self.nodes.setdefault(key, len(self.nodes))

    def supply(self, key: tuple[object, ...], amount: int) -> None:
        self.flow.set_node_supply(self.node(key), amount)

    def arc(self, tail: tuple[object, ...], head: tuple[object, ...], cap: int, cost: int = 0) -> None:
        self.flow.add_arc_with_capacity_and_unit_cost(self.node(tail), self.node(head), cap, cost)

    def convex(self, tail: tuple[object, ...], head: tuple[object, ...], cap: int,
               price: list[int]) -> None:
        """An arc of convex ``price[f]`` for a flow ``f`` of 0..cap, as unit arcs."""
        self.constant += price[0]
        for f in range(1, cap + 1):
            self.arc(tail, head, 1, price[f] - price[f - 1])

    def solve(self) -> int | None:
        """The cheapest flow's cost with the constant, or None when there is no flow."""
        if self.flow.solve() != self.flow.OPTIMAL:
            return None
        return self.flow.optimal_cost() + self.constant
