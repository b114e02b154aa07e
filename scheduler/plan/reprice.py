"""A routed plan's progress on the final price scale.

The calendar model of a routed problem prices a day route as one visit, so its objective is on
another scale than the plan's price (``plan_cost`` of the plan as written). Each improving solution
is expanded and priced here before it is shown: the progress lines and the plan's verdict share
one scale, with the whole-plan bound (``scheduler.plan.bound``) beside them. A solution the model
thinks better may price worse: it is not shown, and the cheapest one priced is the plan returned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from models.scenario import Scenario
from models.schedule import Schedule, Status
from scheduler.cost.price import plan_cost
from scheduler.plan.stage import Expansion
from scheduler.search.solve import Progress


@dataclass
class RePriced:
    """Re-prices a routed problem's progress; remembers the cheapest plan priced."""

    scenario: Scenario
    expansion: Expansion
    on_progress: Callable[[Progress], None] | None
    bound: int | None = None  # the whole plan's lower bound, if any
    best: Schedule | None = None
    best_cost: int | None = None

    def report(self, p: Progress) -> None:
        """Price ``p``'s plan as written; show it when it is cheaper than every plan before."""
        if p.schedule is None:
            return  # no plan to price: nothing comparable to show
        plan = self.expansion.expand(p.schedule)
        cost = plan_cost(self.scenario, plan).objective
        if self.best_cost is not None and cost >= self.best_cost:
            return
        self.best, self.best_cost = plan, cost
        if self.on_progress is not None:
            bound = None if self.bound is None else min(self.bound, cost)
            self.on_progress(Progress(p.elapsed_s, cost, bound))

    def best_of(self, final: Schedule) -> Schedule:
        """The final plan, or a cheaper one priced on the way (FEASIBLE, the final's solver info)."""
        if self.best is None or self.best_cost is None:
            return final
        if plan_cost(self.scenario, final).objective <= self.best_cost:
            return final
        info = final.solver.model_copy(update={"status": Status.FEASIBLE})
        return self.best.model_copy(update={"solver": info})
