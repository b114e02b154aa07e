"""What is to be planned, built once and handed to every stage: the one ``Problem``.

A problem is the scenario as the planner sees it plus the frame of a re-plan or a repair: the day
planning starts from (``as_of``), the visits kept exactly (``fixed``) and those held on their day
and team (``held``). After the route stage (``scheduler.plan.stage``) it also carries the day routes'
travel: ``route_travel[route id][team id]`` is the route's round trip from that team's base, what
S07-travel costs in the model, and ``route_units`` which units each route visit stands for (a
re-plan's change costs are the units'). Nothing travels through module state: every stage takes a problem
and returns typed results.

```python
problem = Problem.of(scenario, as_of=date(2025, 8, 1), fixed=history)
outcome = plan(problem, SolveOptions(time_limit_s=10))
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from models.scenario import Scenario
from models.schedule import Assignment
from scheduler.problem.domains import Domains, build_domains

RouteTravel = Mapping[str, Mapping[str, int]]  # route id -> team id -> travel minutes
_EMPTY: Mapping[str, Assignment] = MappingProxyType({})


@dataclass(frozen=True)
class Problem:
    """One planning problem: the scenario, the re-plan's frame, and (once routed) route travel."""

    scenario: Scenario
    as_of: date | None = None
    fixed: Mapping[str, Assignment] = field(default_factory=lambda: _EMPTY)
    held: Mapping[str, Assignment] = field(default_factory=lambda: _EMPTY)
    route_travel: RouteTravel = field(default_factory=dict)
    route_units: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # route id -> its units
    route_days: Mapping[str, int] = field(default_factory=dict)  # unit on a trip -> its day in it, from 0

    @classmethod
    def of(cls, scenario: Scenario, as_of: date | None = None,
           fixed: Mapping[str, Assignment] | None = None,
           held: Mapping[str, Assignment] | None = None) -> Problem:
        return cls(scenario, as_of, dict(fixed or {}), dict(held or {}))

    @property
    def has_short_visits(self) -> bool:
        return any(u.visit_minutes is not None for u in self.scenario.units)

    def domains(self) -> Domains:
        """Where each visit can go: built once per problem and handed to every step."""
        return build_domains(self.scenario, self.as_of, self.fixed or None, held=self.held or None,
                             route_travel=self.route_travel, route_units=self.route_units,
                             route_days=self.route_days)
