"""Benchmark runner: our CP-SAT planner against a greedy planner and a naive CP-SAT model.

    python -m benchmarks.run [--instances hanoi-full,province-300,national] [--time-limit S]
                             [--seed N] [--quiet] [--out benchmarks/results]

Every solve runs in a process of its own (so its peak memory, OR-Tools' C++ heap included, is
that process's max RSS) and every plan is judged by the same checker. ``national`` plans each
province separately, two provinces at a time (one CP-SAT worker each), and reports the total wall
time of that phase and its worst province. Results go to ``latest.md`` and ``latest.csv``.
Figures are wall-clock times on a shared machine: they are noisy, never pass/fail.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from benchmarks.rows import Row
from models.rules import RULES, SOFT_RULES
from models.scenario import Scenario, Weights
from models.schedule import Schedule
from scheduler.cost.figures import planner_figures

PLANNERS = ("ours", "greedy", "naive")
DEFAULT_INSTANCES = ("hanoi-full", "province-300", "national")
# Time limits of the targets (national: per province).
DEFAULT_LIMITS = {"hanoi-full": 10.0, "province-300": 60.0, "national": 15.0,
                  "units-1000": 300.0, "units-10000": 900.0}
TERM_BOUNDS_MAX_UNITS = 2_000  # the per-term bounds of a larger campaign cost more than its plan
SOFT_IDS = tuple(r.id for r in SOFT_RULES)
HEARTBEAT_S = 10.0
PRELOAD = ["scheduler.search.solve", "scheduler.search.greedy", "scheduler.check.checker", "benchmarks.naive"]


@dataclass(frozen=True)
class Job:
    """One solve of one scenario by one planner, run in a child process."""

    instance: str
    part: str  # province for national, "" otherwise
    planner: str
    scenario: Scenario
    time_limit_s: float
    workers: int
    seed: int
    progress: bool

    @property
    def label(self) -> str:
        where = f"{self.instance}/{self.part}" if self.part else self.instance
        return f"{where} {self.planner}"


# --- in the child process ----------------------------------------------------------------------


class Reporter:
    """Progress lines of one solve on stderr: each better plan, and a heartbeat while silent."""

    def __init__(self, label: str, enabled: bool) -> None:
        self.label, self.enabled = label, enabled
        self.t0 = time.perf_counter()
        self.best: tuple[int, int] | None = None
        self.done = threading.Event()
        if enabled:
            threading.Thread(target=self._beat, daemon=True).start()

    def plan(self, elapsed: float, objective: int, bound: int) -> None:
        self.best = (objective, bound)
        self._say(f"{elapsed:7.1f}s  plan {objective}  bound {bound}")

    def _beat(self) -> None:
        while not self.done.wait(HEARTBEAT_S):
            best = f"best {self.best[0]}  bound {self.best[1]}" if self.best else "no plan yet"
            self._say(f"{time.perf_counter() - self.t0:7.1f}s  solving…  {best}")

    def _say(self, text: str) -> None:
        if self.enabled:
            print(f"  [{self.label}] {text}", file=sys.stderr, flush=True)


def solve_ours(job: Job, rep: Reporter) -> tuple[Schedule, float | None, float, dict]:
    from models.schedule import SolverInfo
    from scheduler.plan.pipeline import plan
    from scheduler.problem.schedule_build import schedule_skeleton
    from scheduler.search.solve import SolveOptions

    options = SolveOptions(time_limit_s=job.time_limit_s, workers=job.workers, seed=job.seed,
                           on_progress=lambda p: rep.plan(p.elapsed_s, p.objective, p.bound))
    outcome = plan(job.scenario, options)
    schedule = outcome.schedule or schedule_skeleton(
        job.scenario, [], SolverInfo(status=outcome.status, wall_s=round(outcome.wall_s, 3)))
    stats = dict(outcome.stats)
    stats["solver_objective"] = stats.get("solver_objective", schedule.solver.objective)
    return schedule, outcome.first_solution_s, outcome.wall_s, stats


def solve_greedy(job: Job, rep: Reporter) -> tuple[Schedule, float | None, float, dict]:
    from scheduler.plan.pipeline import greedy_schedule

    t0 = time.perf_counter()
    schedule = greedy_schedule(job.scenario)
    wall = time.perf_counter() - t0
    return schedule, wall, wall, {"solver_objective": schedule.solver.objective}


def solve_naive_job(job: Job, rep: Reporter) -> tuple[Schedule, float | None, float, dict]:
    from benchmarks.naive import solve_naive

    result = solve_naive(job.scenario, job.time_limit_s, job.workers, job.seed, rep.plan)
    stats = {**result.stats, "solver_objective": result.schedule.solver.objective}
    return result.schedule, result.first_solution_s, result.wall_s, stats


SOLVERS: dict[str, Callable[[Job, Reporter], tuple[Schedule, float | None, float, dict]]] = {
    "ours": solve_ours, "greedy": solve_greedy, "naive": solve_naive_job,
}


def run_job(job: Job) -> Row:
    """Solve, check, and measure this process's peak memory (entry point of a child process)."""
    from scheduler.check.checker import check_schedule

    rep = Reporter(job.label, job.progress)
    try:
        schedule, first, wall, stats = SOLVERS[job.planner](job, rep)
    finally:
        rep.done.set()
    report = check_schedule(job.scenario, schedule)
    has_plan = bool(schedule.assignments)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    row = Row(
        instance=job.instance, part=job.part, planner=job.planner,
        units=len(job.scenario.units), members=len(job.scenario.members),
        variables=stats.get("variables"), constraints=stats.get("constraints"),
        build_s=stats.get("build_s"), status=str(schedule.solver.status), first_s=first, wall_s=wall,
        objective=report.objective if has_plan else None,
        solver_objective=stats.get("solver_objective") if has_plan else None,
        bound=schedule.solver.bound if has_plan else None,
        peak_mb=round(peak_mb, 1), check_ok=has_plan and report.ok,
        violations=len(report.violations), terms=dict(report.terms) if has_plan else {},
        time_limit_s=job.time_limit_s, workers=job.workers,
        checked_ok=int(has_plan and report.ok),
    )
    if not has_plan:
        row.note = "no plan"
    else:
        row.figures = planner_figures(job.scenario, schedule)
    if job.planner == "ours" and len(job.scenario.units) <= TERM_BOUNDS_MAX_UNITS:
        from benchmarks.bounds import term_lower_bounds

        row.term_lbs = term_lower_bounds(job.scenario)
    return row


# --- in the parent process ---------------------------------------------------------------------


def pool(processes: int) -> ProcessPoolExecutor:
    """Fresh processes forked from a server that already imported the solvers (fast start)."""
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ProcessPoolExecutor(processes, mp_context=ctx, max_tasks_per_child=1)


def failed_row(job: Job, exc: BaseException) -> Row:
    return Row(job.instance, job.part, job.planner, len(job.scenario.units),
               len(job.scenario.members), status="ERROR", time_limit_s=job.time_limit_s,
               workers=job.workers, note=f"{type(exc).__name__}: {exc}"[:200])


def run_isolated(job: Job) -> Row:
    with pool(1) as ex:
        try:
            return ex.submit(run_job, job).result()
        except Exception as exc:  # a crashed or killed child is a result too
            return failed_row(job, exc)


def say(enabled: bool, text: str) -> None:
    if enabled:
        print(text, file=sys.stderr, flush=True)


def run_instance(instance: str, scenario: Scenario, planners: Iterable[str], limit: float,
                 workers: int, seed: int, progress: bool) -> list[Row]:
    rows = []
    for planner in planners:
        say(progress, f"== {instance}: {planner} ({len(scenario.units)} units, limit {limit:g} s)")
        job = Job(instance, "", planner, scenario, limit, workers, seed, progress)
        rows.append(run_isolated(job))
        say(progress, f"   {describe(rows[-1])}")
    return rows


def describe(row: Row) -> str:
    gap = "" if row.gap is None else f", gap {row.gap:.2%}"
    verdict = "checker ok" if row.check_ok else f"checker: {row.violations} violation(s) {row.note}"
    wall = f"{row.wall_s:.1f} s" if row.wall_s is not None else "-"
    return f"{row.status}, objective {row.objective}{gap}, {wall}, {verdict}"


def run_national(scenarios: dict[str, Scenario], planners: Iterable[str], limit: float,
                 seed: int, progress: bool) -> tuple[list[Row], list[Row]]:
    """Each planner's phase: every province, two at a time; returns summaries and per-province rows."""
    summaries, parts = [], []
    order = sorted(scenarios, key=lambda k: -len(scenarios[k].units))  # biggest first
    for planner in planners:
        say(progress, f"== national: {planner}, {len(order)} provinces, 2 at a time, "
                      f"limit {limit:g} s each")
        jobs = [Job("national", p, planner, scenarios[p], limit, 1, seed, progress) for p in order]
        t0 = time.perf_counter()
        rows = run_parallel(jobs, progress)
        wall = time.perf_counter() - t0
        parts += rows
        summaries.append(national_summary(planner, rows, wall, limit))
        say(progress, f"   national {planner}: {wall:.1f} s in total, "
                      f"{summaries[-1].checked_ok}/{len(rows)} provinces checked ok")
    return summaries, parts


def run_parallel(jobs: list[Job], progress: bool) -> list[Row]:
    rows: list[Row] = []
    with pool(2) as ex:
        futures: dict[Future, Job] = {ex.submit(run_job, job): job for job in jobs}
        for future in as_completed(futures):
            job = futures[future]
            try:
                rows.append(future.result())
            except Exception as exc:
                rows.append(failed_row(job, exc))
            say(progress, f"   [{len(rows)}/{len(jobs)}] {job.part} {job.planner}: "
                          f"{describe(rows[-1])}")
    rows.sort(key=lambda r: r.part)
    return rows


def _sum(values: Iterable[int | None]) -> int | None:
    values = list(values)
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def national_summary(planner: str, rows: list[Row], wall: float, limit: float) -> Row:
    """One row for the whole country: sums, the worst first plan, the phase's wall time."""
    ok = sum(r.checked_ok for r in rows)
    first = [r.first_s for r in rows if r.first_s is not None]
    peaks = [r.peak_mb for r in rows if r.peak_mb is not None]
    terms = {k: sum(r.terms.get(k, 0) for r in rows) for k in SOFT_IDS}
    return Row(
        instance="national", part=f"all {len(rows)}", planner=planner,
        units=sum(r.units for r in rows), members=sum(r.members for r in rows),
        variables=_sum(r.variables for r in rows), constraints=_sum(r.constraints for r in rows),
        build_s=max((r.build_s for r in rows if r.build_s is not None), default=None),
        status=", ".join(f"{n} {status}" for status, n in Counter(r.status for r in rows).most_common()),
        first_s=max(first) if len(first) == len(rows) and first else None, wall_s=wall,
        objective=_sum(r.objective for r in rows), solver_objective=_sum(r.solver_objective for r in rows),
        bound=_sum(r.bound for r in rows), peak_mb=max(peaks) if peaks else None,
        check_ok=ok == len(rows), violations=sum(r.violations for r in rows),
        terms=terms if ok == len(rows) else {}, time_limit_s=limit, workers=1,
        proven=sum(r.status == "OPTIMAL" for r in rows), parts=len(rows), checked_ok=ok,
        term_lbs={k: _sum(r.term_lbs.get(k) for r in rows) for k in SOFT_IDS}
        if planner == "ours" else {},
        note=worst_province(rows),
    )


def worst_province(rows: list[Row]) -> str:
    """The province that limits the national run: unplanned first, then the widest gap, then time."""
    if not rows:
        return ""

    def badness(r: Row) -> tuple:
        return (not r.check_ok, r.gap if r.gap is not None else 1.0, r.wall_s or 0.0)

    w = max(rows, key=badness)
    gap = "-" if w.gap is None else f"{w.gap:.2%}"
    wall = "-" if w.wall_s is None else f"{w.wall_s:.1f} s"
    return f"worst: {w.part} ({w.units} units, {w.status}, gap {gap}, {wall})"


# --- per-term lower bounds (diagnosis of a gap) ---------------------------------------------------


def only_term(scenario: Scenario, rule_id: str) -> Scenario:
    """The scenario with every soft weight zero but one: its bound bounds that term alone."""
    weights = {name: 0 for name in Weights.model_fields}
    name = RULES[rule_id].weight
    assert name is not None, rule_id
    weights[name] = getattr(scenario.weights, name)
    return scenario.model_copy(update={"weights": Weights(**weights)})


def term_bounds(instance: str, scenario: Scenario, best: Row, limit: float, workers: int,
                seed: int, progress: bool) -> list[dict]:
    """For each non-zero term of our best plan: the term minimised alone (its own bound)."""
    out = []
    for rule_id in SOFT_IDS:
        value = best.terms.get(rule_id, 0)
        if value == 0:
            continue
        say(progress, f"== {instance}: lower bound of {rule_id} alone")
        job = Job(instance, rule_id, "ours", only_term(scenario, rule_id), limit, workers, seed,
                  progress)
        row = run_isolated(job)
        out.append({"instance": instance, "term": rule_id, "value": value, "alone_best":
                    row.solver_objective, "alone_bound": row.bound, "alone_status": row.status})
    return out


# --- loading instances ---------------------------------------------------------------------------


def load_instance(name: str, seed: int) -> Scenario | dict[str, Scenario]:
    """A generated instance by name, or a scenario file by path."""
    if name.endswith((".yaml", ".yml")) or os.sep in name:
        from models.loading import load_scenario

        return load_scenario(Path(name))
    from benchmarks.generate import generate

    return generate(name, seed)


def instance_label(name: str) -> str:
    return Path(name).stem if name.endswith((".yaml", ".yml")) else name


# --- command line --------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    p.add_argument("--instances", default=",".join(DEFAULT_INSTANCES),
                   help="comma-separated generated instances or scenario YAML paths")
    p.add_argument("--time-limit", type=float, default=None,
                   help="seconds per solve (national: per province); default: the target's")
    p.add_argument("--seed", type=int, default=0, help="generator and solver seed")
    p.add_argument("--workers", type=int, default=2,
                   help="CP-SAT workers for single instances (national always uses 1 per province)")
    p.add_argument("--peers", default="greedy,naive", help="peers to run beside ours")
    p.add_argument("--term-bounds", action="store_true",
                   help="also minimise each objective term alone (per-term gap diagnosis)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    from benchmarks.report import write_results

    args = parse_args(argv)
    peers = [p for p in args.peers.split(",") if p]
    planners = ["ours", *[p for p in peers if p in PLANNERS and p != "ours"]]
    progress = not args.quiet
    rows: list[Row] = []
    parts: list[Row] = []
    diagnosis: list[dict] = []
    t0 = time.perf_counter()
    for name in [n.strip() for n in args.instances.split(",") if n.strip()]:
        label = instance_label(name)
        instance = load_instance(name, args.seed)
        limit = args.time_limit or DEFAULT_LIMITS.get(label, 10.0)
        if isinstance(instance, dict):
            summary, province_rows = run_national(instance, planners, limit, args.seed, progress)
            rows += summary
            parts += province_rows
            continue
        found = run_instance(label, instance, planners, limit, args.workers, args.seed, progress)
        rows += found
        if args.term_bounds and found[0].check_ok:
            diagnosis += term_bounds(label, instance, found[0], limit, args.workers, args.seed,
                                     progress)
    command = ["python", "-m", "benchmarks.run", *(sys.argv[1:] if argv is None else argv)]
    md, csv_path = write_results(args.out, rows, parts, diagnosis, command,
                                 time.perf_counter() - t0)
    print(md.read_text(encoding="utf-8"))
    print(f"wrote {md} and {csv_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
