"""The plan pipeline as one library call: precheck → solve → explain when infeasible → check.

``kiemtra solve``, ``kiemtra replan`` and the benchmark runner call ``plan`` and print or record
its ``PlanOutcome``; none of them re-creates a step. The domains (feasible days per unit and team,
eligible members) are built once here and handed to every step.

```python
outcome = plan(scenario, SolveOptions(time_limit_s=10, workers=1, seed=0))
outcome.status, outcome.schedule, outcome.check.ok, outcome.explanation
```
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models.scenario import Scenario
from models.schedule import Schedule, Status
from scheduler.check.checker import CheckReport, check_schedule
from scheduler.problem.domains import build_domains
from scheduler.search.explain import Explanation, explain_infeasible
from scheduler.search.precheck import precheck
from scheduler.search.solve import SolveOptions, solve


@dataclass
class PlanOutcome:
    """What one run of the pipeline ends with.

    ``schedule`` is None when no plan was found (INFEASIBLE: ``explanation`` says why; UNKNOWN:
    the time ran out first). ``check`` is the independent checker's verdict on the plan.
    """

    status: Status
    schedule: Schedule | None = None
    explanation: Explanation | None = None
    check: CheckReport | None = None
    first_solution_s: float | None = None
    wall_s: float = 0.0
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def planned(self) -> bool:
        return self.schedule is not None

    @property
    def clean(self) -> bool:
        """A plan exists and the checker found every rule holding."""
        return self.check is not None and self.check.ok


def plan(scenario: Scenario, options: SolveOptions | None = None,
         explain_time_limit_s: float = 10.0) -> PlanOutcome:
    """Run the whole pipeline on ``scenario``; never raises for an unplannable scenario."""
    options = options or SolveOptions()
    if any(u.visit_minutes is not None for u in scenario.units):  # short visits: routes first
        from scheduler.plan.routes import plan_with_routes

        return plan_with_routes(scenario, options, explain_time_limit_s)
    dom = build_domains(scenario, options.as_of, options.fixed, held=options.held)
    findings = precheck(scenario, options.as_of, options.fixed, dom=dom)
    if findings:
        return PlanOutcome(Status.INFEASIBLE, explanation=Explanation(findings=findings))
    result = solve(scenario, options, dom=dom)
    outcome = PlanOutcome(result.status, first_solution_s=result.first_solution_s,
                          wall_s=result.wall_s, stats=result.stats)
    if result.status is Status.INFEASIBLE:
        outcome.explanation = explain_infeasible(
            scenario, options.as_of, options.fixed, explain_time_limit_s, prechecked=True)
        return outcome
    if result.status is Status.UNKNOWN:
        return outcome
    outcome.schedule = result.schedule
    outcome.check = check_schedule(scenario, result.schedule, options.as_of)
    return outcome
