"""One benchmark row: what one planner's solve of one instance measured (``benchmarks.run``
fills it, ``benchmarks.report`` and ``benchmarks.figures_table`` read it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from scheduler.cost.figures import PlannerFigures


@dataclass
class Row:
    """What one solve measured; national adds one summary row per planner."""

    instance: str
    part: str
    planner: str
    units: int
    members: int
    variables: int | None = None
    constraints: int | None = None
    build_s: float | None = None  # model build + hint, before CP-SAT starts
    status: str = "UNKNOWN"
    first_s: float | None = None
    wall_s: float | None = None
    objective: int | None = None  # the checker's
    solver_objective: int | None = None
    bound: int | None = None
    peak_mb: float | None = None
    check_ok: bool = False
    violations: int = 0
    terms: dict[str, int] = field(default_factory=dict)
    time_limit_s: float = 0.0
    workers: int = 1
    proven: int = 0  # national summary: provinces proven optimal
    parts: int = 1  # national summary: provinces
    checked_ok: int = 0  # national summary: provinces with a clean plan
    term_lbs: dict[str, int | None] = field(default_factory=dict)  # benchmarks.bounds, per term
    note: str = ""
    figures: PlannerFigures | None = None  # scheduler.cost.figures, from the schedule

    @property
    def gap(self) -> float | None:
        """Relative gap of the solver's objective to its bound (0 when proven)."""
        if self.solver_objective is None or self.bound is None:
            return None
        return (self.solver_objective - self.bound) / max(1, abs(self.solver_objective))

    @property
    def independent_bound(self) -> int | None:
        """Sum of the per-term bounds of benchmarks.bounds (None when one is missing)."""
        values = list(self.term_lbs.values())
        if not values or any(v is None for v in values):
            return None
        return sum(v for v in values if v is not None)

    @property
    def best_bound(self) -> int | None:
        """The better of the solver's bound and the independent bound."""
        known = [b for b in (self.bound, self.independent_bound) if b is not None]
        return max(known) if known else None

    @property
    def gap_to_best_bound(self) -> float | None:
        if self.objective is None or self.best_bound is None:
            return None
        return (self.objective - self.best_bound) / max(1, abs(self.objective))

    @property
    def optimal_s(self) -> float | None:
        return self.wall_s if self.status == "OPTIMAL" else None
