"""Helpers for the planner tests: solve a tiny scenario and check the plan independently."""

from __future__ import annotations

from typing import Any

from models.scenario import Scenario, Weights
from models.schedule import Status
from scheduler.check.checker import check_schedule
from scheduler.search.solve import SolveOptions, SolveResult, solve

ZERO_WEIGHTS = dict.fromkeys(Weights.model_fields, 0)  # every soft rule off


def only_weight(data: dict[str, Any], name: str, value: int | None = None) -> dict[str, Any]:
    """Set every soft-rule weight to 0 except ``name`` (kept at its default or ``value``)."""
    weights = dict(ZERO_WEIGHTS)
    defaults = Weights().model_dump()
    weights[name] = (defaults[name] or 1) if value is None else value  # a rule off by default: 1
    data["weights"] = weights
    return data


def solve_checked(scenario: Scenario, time_limit_s: float = 20.0) -> SolveResult:
    """Solve with one worker and a fixed seed; a plan must pass the checker at the same cost."""
    result = solve(scenario, SolveOptions(time_limit_s=time_limit_s, workers=1, seed=0))
    if result.status in (Status.OPTIMAL, Status.FEASIBLE):
        report = check_schedule(scenario, result.schedule)
        assert report.ok, [v.message for v in report.violations]
        assert report.objective == result.schedule.solver.objective
        assert report.terms == {k: v for k, v in result.schedule.solver.objective_terms.items()
                                if k in report.terms}
    if result.status is Status.OPTIMAL and "solver_objective" in result.stats:
        # The CP-SAT model's own objective must price a proven plan as the spec does; otherwise
        # the model optimises something else and "OPTIMAL" would be a false claim.
        assert result.stats["solver_objective"] == result.schedule.solver.objective
    return result


def window(first: str, last: str) -> dict[str, str]:
    return {"from": first, "to": last}
