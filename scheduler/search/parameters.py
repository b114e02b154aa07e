"""CP-SAT's settings for every search: a deterministic work limit, a wall-clock safety cap, and
which limit ended a search.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from models.schedule import Status

# Above this many variables, presolve probing costs more than it brings (20 s of a 30 s budget
# on a 140-unit campaign, measured); the greedy hint already gives a first plan.
PROBING_LIMIT = 8_000
SHORT_BUDGET_S = 30.0  # below this, large models get a light presolve (see solver_parameters)


# The time limit is a deterministic work limit (CP-SAT's "deterministic seconds", about a second
# of search on this machine class when idle), so the cut falls at the same point whatever else
# the machine is doing; wall time is only a safety cap, and a plan cut by it is said to be so.
WALL_CAP_FACTOR = 10.0
WALL_CAP_EXTRA_S = 30.0


def wall_cap_s(work_limit_s: float) -> float:
    """The wall-clock safety cap of a solve with this work limit."""
    return WALL_CAP_FACTOR * work_limit_s + WALL_CAP_EXTRA_S


def solver_parameters(time_limit_s: float, workers: int, seed: int,
                      variables: int = 0) -> cp_model.CpSolver:
    """CP-SAT settings. With 2+ workers: one LP-heavy worker and one core-based worker (it
    raises the bound term by term); on Hanoi this proves the optimum in 4-7 s where the
    default pair needed 30-50 s or did not finish in 120 s (measured, seeds 0-3).

    Reproducible: ``time_limit_s`` is a deterministic work limit, and several workers search
    interleaved (deterministic batches): the same scenario, seed and options give the same
    plan on an idle or a loaded machine, with 1 or 2 workers (Hanoi: OPTIMAL 65 in 4.3-6.7 s
    with 2 interleaved workers against 1.9 s free-running; measured, three runs, one loaded).
    """
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.max_deterministic_time = time_limit_s
    p.max_time_in_seconds = wall_cap_s(time_limit_s)
    p.num_workers = workers
    p.interleave_search = workers >= 2
    p.random_seed = seed
    p.log_search_progress = False
    p.catch_sigint_signal = False  # Ctrl-C is ours (search.sigint.SigintStops): told apart from limits
    if workers >= 2:
        p.subsolvers.extend(["max_lp", "core", "default_lp"][:workers])
    if variables > PROBING_LIMIT:
        p.cp_model_probing_level = 0
    if variables > PROBING_LIMIT and time_limit_s < SHORT_BUDGET_S:
        # Large model, short budget: presolve took 4 of hanoi-full's 10 s, and its symmetry
        # step made CP-SAT drop the complete greedy hint (no plan of its own in 10 s); without
        # them the hint is its first plan at once and LNS improves it (7,348 -> 7,263-7,289).
        # With 60 s the full presolve pays (province-300: 12,017-12,085 against ~12,200).
        p.symmetry_level = 0
        p.max_presolve_iterations = 1
    return solver


def stopped_by(status: Status, capped: bool, interrupted: bool) -> str:
    """Which limit ended a search: a proof, Ctrl-C, the wall-clock safety cap, or its work limit."""
    if interrupted:
        return "sigint"
    if status in (Status.OPTIMAL, Status.INFEASIBLE):
        return "proof"
    return "wall_cap" if capped else "work_limit"


def cut_by_wall_cap(solver: cp_model.CpSolver, time_limit_s: float) -> bool:
    """The search stopped at the wall-clock safety cap, not at its work limit or a proof."""
    return solver.wall_time >= 0.99 * wall_cap_s(time_limit_s) and \
        solver.deterministic_time < time_limit_s
