"""``RoutePrice``: what a plan pays for its day routes (S07-travel and S08-team-days at their
weights), the one formula ``scheduler.cost.price.plan_cost`` and the route engine both use.

It imports nothing of routing, so the engine's instances can carry a price.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.rules import RuleId
from models.settings import Weights


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
