"""Solve a scenario: build the model, start from the greedy plan, report progress, return a plan.

```python
result = solve(scenario, SolveOptions(time_limit_s=10, workers=1, seed=0))
result.schedule, result.status, result.first_solution_s, result.wall_s, result.stats
```
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from ortools.sat.python import cp_model

from models.rules import RuleId
from models.scenario import Scenario
from models.schedule import Assignment, Schedule, SolverInfo, Status
from scheduler.model.build import (
    ExtraTerms,
    PlanModel,
    agency_peak_lower_bound,
    build_model,
)
from scheduler.problem.domains import Domains, build_domains
from scheduler.search.greedy import Visit, _lead_of, greedy_complete, greedy_visits, visits_to_schedule
from scheduler.search.hints import add_hint, complete_hint, hint_visits
from scheduler.search.parameters import cut_by_wall_cap, solver_parameters, stopped_by
from scheduler.search.sigint import SigintStops, python_handles_sigint

INTERRUPTED = {"interrupted": True, "stopped_by": "sigint"}  # the stats of a run Ctrl-C stopped


@dataclass(frozen=True)
class Progress:
    """A better plan was found: when, its cost, and the best proven lower bound so far (None:
    none on this price scale). ``schedule``: the plan itself, when ``SolveOptions.progress_plans``
    asks for it (the door re-prices a routed plan's progress on the final price scale)."""

    elapsed_s: float
    objective: int
    bound: int | None
    schedule: Schedule | None = None


@dataclass
class SolveOptions:
    time_limit_s: float | None = None  # None: scenario.solver
    workers: int | None = None
    seed: int | None = None
    on_progress: Callable[[Progress], None] | None = None
    as_of: date | None = None  # re-plan: no visit starts before it; new announcements from it
    fixed: Mapping[str, Assignment] | None = None  # unit id -> assignment kept exactly
    held: Mapping[str, Assignment] | None = None  # unit id -> announced visit: day and team kept
    hint: Schedule | None = None  # start the search from this plan (else the greedy one)
    extra_terms: ExtraTerms | None = None  # (ctx) -> [(rule_id, expression, weight)]
    use_greedy_hint: bool = True
    progress_plans: bool = False  # each Progress carries its plan (costs an extraction per plan)
    decompose: bool = True  # large campaigns: plan stretch by stretch first, as the hint


@dataclass
class SolveResult:
    schedule: Schedule
    status: Status
    first_solution_s: float | None
    wall_s: float
    stats: dict[str, Any] = field(default_factory=dict)


_STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
}


_Values = cp_model.CpSolver | cp_model.CpSolverSolutionCallback  # a solution's values


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Forwards each better plan to ``on_progress`` and remembers when the first came."""

    def __init__(self, t0: float, on_progress: Callable[[Progress], None] | None,
                 plans: Callable[[_Values], Schedule] | None = None) -> None:
        super().__init__()
        self.t0 = t0
        self.on_progress = on_progress
        self.plans = plans  # the plan of the current solution, when progress carries plans
        self.first_s: float | None = None
        self.floor: int | None = None  # a known lower bound (0 when every term is >= 0)

    def on_solution_callback(self) -> None:
        elapsed = time.perf_counter() - self.t0
        if self.first_s is None:
            self.first_s = elapsed
        if self.on_progress is not None:
            bound = math.ceil(self.best_objective_bound - 1e-6)
            if self.floor is not None:
                bound = max(bound, self.floor)
            plan = self.plans(self) if self.plans is not None else None
            self.on_progress(Progress(elapsed, round(self.objective_value), bound, plan))


# --- stretch by stretch (large campaigns) -------------------------------------------------------

# Campaigns with more units than this, whose windows fall into separate stretches of time,
# are first planned stretch by stretch (earlier stretches kept) to give the full model a hint.
DECOMPOSE_MIN_UNITS = 40


def time_blocks(dom: Domains) -> list[list[str]]:
    """Units grouped into stretches of time no visit of another stretch can reach."""
    spans = sorted((ud.all_starts[0], ud.all_starts[-1] + ud.duration - 1, uid)
                   for uid, ud in dom.units.items() if ud.all_starts)
    blocks: list[list[str]] = []
    end = -1
    for first, last, uid in spans:
        if not blocks or first > end:
            blocks.append([])
        blocks[-1].append(uid)
        end = max(end, last)
    return blocks


def stretch_by_stretch(scenario: Scenario, dom: Domains, budget_s: float, workers: int,
                       seed: int) -> tuple[Schedule | None, bool]:
    """Plan each stretch in turn with the earlier ones kept; None if a stretch fails. The flag
    says Ctrl-C stopped a stretch's search (the caller then stops too)."""
    blocks = time_blocks(dom)
    if len(blocks) < 2:
        return None, False
    kept: dict[str, Assignment] = {}
    for block in blocks:
        ids = set(kept) | set(block)
        part = scenario.model_copy(update={"units": [u for u in scenario.units if u.id in ids]})
        result = solve(part, SolveOptions(time_limit_s=budget_s / len(blocks), workers=workers,
                                          seed=seed, fixed=dict(kept), decompose=False))
        if result.stats.get("interrupted"):
            return None, True
        if result.status not in (Status.OPTIMAL, Status.FEASIBLE):
            return None, False
        kept.update({a.unit_id: a for a in result.schedule.assignments})
    return result.schedule, False


def _cost(plan: Schedule) -> int:
    return sum(plan.solver.objective_terms.values())


def _announce_greedy_plan(dom: Domains, options: SolveOptions, t0: float
                          ) -> tuple[float | None, Schedule | None, list[Visit]]:
    """Report the greedy plan as the first plan while the stretches are being solved."""
    visits, missing = greedy_visits(dom)
    if not greedy_complete(dom, visits, missing):
        return None, None, visits
    plan = visits_to_schedule(dom, visits, missing, SolverInfo(status=Status.FEASIBLE))
    elapsed = time.perf_counter() - t0
    if options.on_progress is not None and plan.solver.objective is not None:
        options.on_progress(Progress(elapsed, plan.solver.objective, 0,
                                     plan if options.progress_plans else None))
    return elapsed, plan, visits


def _hint_plan(dom: Domains, visits: list[Visit], options: SolveOptions) -> Schedule:
    """The hinted plan as a schedule (the model accepted it, so it meets every rule)."""
    placed = {v.unit_id for v in visits}
    missing = [u for u in dom.units if u not in placed]
    return visits_to_schedule(dom, visits, missing, SolverInfo(status=Status.FEASIBLE),
                              options.fixed)


def _interrupted_before_search(dom: Domains, options: SolveOptions, fallback: Schedule | None,
                               first_s: float | None, seed: int, workers: int,
                               time_limit: float) -> SolveResult:
    """Ctrl-C while the model was being built: the greedy plan (or the one made on the way),
    checked like any other, marked interrupted; re-raised when not every required unit fits."""
    if fallback is None and not options.fixed:
        visits, missing = greedy_visits(dom)
        if greedy_complete(dom, visits, missing):
            fallback = visits_to_schedule(dom, visits, missing, SolverInfo(status=Status.FEASIBLE))
    if fallback is None:
        raise KeyboardInterrupt
    info = SolverInfo(status=Status.FEASIBLE, seed=seed, workers=workers, time_limit_s=time_limit)
    return _fallback_result(dom, fallback, info, first_s, dict(INTERRUPTED), options.fixed)


def _fallback_result(dom: Domains, plan: Schedule, info: SolverInfo, first_s: float | None,
                     stats: dict[str, Any], fixed: Mapping[str, Assignment] | None
                     ) -> SolveResult:
    """The full model found nothing in time: return the best plan made on the way (valid by
    construction), as FEASIBLE with the best bound known (``info.bound``, if any)."""
    info = info.model_copy(update={"status": Status.FEASIBLE})
    schedule = visits_to_schedule(dom, [
        Visit(a.unit_id, a.team_id, dom.cal.index(a.start), list(a.member_ids), a.lead_id)
        for a in plan.assignments], [u.unit_id for u in plan.unscheduled], info, fixed)
    if schedule.solver.bound is not None and schedule.solver.objective is not None:
        schedule.solver.bound = min(schedule.solver.bound, schedule.solver.objective)
    stats["fallback"] = True
    return SolveResult(schedule, Status.FEASIBLE, first_s, info.wall_s, stats)


def objective_floor(pm: PlanModel) -> int:
    """A lower bound on the objective with no kept visits and no extra terms: every soft
    penalty is >= 0, S03-early is >= its relaxation bound (scheduler.model.bounds), S01 is >= one day
    when the visit days cannot split evenly, and S05 is >= each agency's forced weekly draw."""
    w = pm.scenario.weights
    floor = w.early * (pm.early_lb or 0)
    teams = len(pm.scenario.teams)
    if teams >= 2 and not any(ud.unit.optional for ud in pm.units()) \
            and sum(ud.duration for ud in pm.units()) % teams:
        floor += w.team_balance
    if w.agency_spread and RuleId.S05_AGENCY_SPREAD in {rule for rule, _, _ in pm.terms}:
        floor += w.agency_spread * sum(agency_peak_lower_bound(pm, g.id)
                                       for g in pm.scenario.agencies)
    return max(0, floor)


def _known_bound(solver: cp_model.CpSolver, floor: int | None) -> int | None:
    """The solver's bound when it has one, raised to the known floor."""
    known = [] if floor is None else [floor]
    bound = solver.best_objective_bound
    if math.isfinite(bound):
        known.append(math.ceil(bound - 1e-6))
    return max(known) if known else None


def _decomposable(scenario: Scenario, options: SolveOptions) -> bool:
    return (options.decompose and options.hint is None and not options.fixed
            and options.extra_terms is None and options.as_of is None
            and len(scenario.units) > DECOMPOSE_MIN_UNITS)


# --- extraction ---------------------------------------------------------------------------------


def extract_visits(pm: PlanModel, solver: _Values) -> tuple[list[Visit], list[str]]:
    visits, missing = [], []
    for uid, ud in pm.dom.units.items():
        if not solver.value(pm.present[uid]):
            missing.append(uid)
            continue
        team_id = next(t for t, x in pm.team[uid].items() if solver.boolean_value(x))
        ids = sorted(m for m, z in pm.member[uid].items() if solver.boolean_value(z))
        if ud.fixed is not None:
            lead = ud.fixed.lead_id
        else:
            lead = _lead_of(pm.scenario, [pm.scenario.member(m) for m in ids])
        visits.append(Visit(uid, team_id, solver.value(pm.start[uid]), ids, lead))
    return visits, missing


def _empty_schedule(dom: Domains, info: SolverInfo) -> Schedule:
    return visits_to_schedule(dom, [], [], info)


def _extra_values(pm: PlanModel, solver: cp_model.CpSolver) -> dict[str, int]:
    """Weighted values of the re-plan terms, by rule id."""
    extra: dict[str, int] = {}
    for rule_id, expr, weight in pm.terms[pm.extra_from:]:
        extra[rule_id] = extra.get(rule_id, 0) + weight * round(solver.value(expr))
    return extra


# --- entry point --------------------------------------------------------------------------------


def resolved(options: SolveOptions, scenario: Scenario) -> tuple[float, int, int]:
    s = scenario.solver
    return (options.time_limit_s if options.time_limit_s is not None else s.time_limit_s,
            options.workers if options.workers is not None else s.workers,
            options.seed if options.seed is not None else s.seed)


def solve(scenario: Scenario, options: SolveOptions | None = None,
          dom: Domains | None = None) -> SolveResult:
    """Find the best plan within the time limit; OPTIMAL when proven, FEASIBLE otherwise.

    ``dom``: the domains of this scenario, as-of date and fixed visits when already built.
    """
    options = options or SolveOptions()
    time_limit, workers, seed = resolved(options, scenario)
    t0 = time.perf_counter()
    dom = dom or build_domains(scenario, options.as_of, options.fixed, held=options.held)
    first_plan_s, fallback, greedy = None, None, None
    if _decomposable(scenario, options):
        first_plan_s, fallback, greedy = _announce_greedy_plan(dom, options, t0)
        staged, stopped = stretch_by_stretch(scenario, dom, time_limit / 2, workers, seed)
        if stopped and fallback is not None:  # Ctrl-C: the greedy plan, checked, is the answer
            info = SolverInfo(status=Status.FEASIBLE, seed=seed, workers=workers,
                              time_limit_s=time_limit)
            return _fallback_result(dom, fallback, info, first_plan_s, dict(INTERRUPTED),
                                    options.fixed)
        if staged is not None and (fallback is None or _cost(staged) < _cost(fallback)):
            options = replace(options, hint=staged)
            fallback = staged
    python_handles_sigint()  # an earlier solve (routes, stretches) may have left the OS default
    try:
        pm = build_model(scenario, options.as_of, options.fixed, options.extra_terms, dom=dom)
        symmetric = not options.fixed and options.extra_terms is None
        # A hint on a model without objective can crash CP-SAT 9.15's symmetry detection.
        if pm.terms and (options.hint is not None or options.use_greedy_hint):
            visits = hint_visits(dom, options.hint, greedy)
            add_hint(pm, visits, symmetric)
            if complete_hint(pm, max(1.0, time_limit / 10)) and fallback is None:
                fallback = _hint_plan(dom, visits, options)
    except KeyboardInterrupt:  # Ctrl-C before the search: the plan made so far, if any
        return _interrupted_before_search(dom, options, fallback, first_plan_s, seed, workers,
                                          time_limit)
    build_s = time.perf_counter() - t0
    solver = solver_parameters(time_limit, workers, seed, pm.stats()["variables"])
    watcher = _Watcher(t0, options.on_progress, _plans(pm, options))
    watcher.first_s = first_plan_s
    if not options.fixed and options.extra_terms is None:
        watcher.floor = objective_floor(pm)
    with SigintStops(solver.stop_search) as sigint:
        try:
            code = solver.solve(pm.model, watcher)
        except IndexError:  # CP-SAT 9.15 symmetry detection with some hints; solve without them
            pm.model.clear_hints()
            code = solver.solve(pm.model, watcher)
    python_handles_sigint()
    status = _STATUS.get(code, Status.UNKNOWN)
    wall = time.perf_counter() - t0
    capped = cut_by_wall_cap(solver, time_limit)
    info = SolverInfo(status=status, wall_s=round(wall, 3), seed=seed, workers=workers,
                      time_limit_s=time_limit, wall_cap_hit=capped)
    stats = {**pm.stats(), "build_s": round(build_s, 3), "conflicts": solver.num_conflicts,
             "branches": solver.num_branches, "work_s": round(solver.deterministic_time, 3),
             "wall_cap_hit": capped, "interrupted": sigint.interrupted,
             "stopped_by": stopped_by(status, capped, sigint.interrupted)}
    if status is Status.UNKNOWN and fallback is not None:
        if watcher.floor is not None:  # else the solver's bound would cover re-plan terms too
            info.bound = _known_bound(solver, watcher.floor)
        return _fallback_result(dom, fallback, info, watcher.first_s, stats, options.fixed)
    if status not in (Status.OPTIMAL, Status.FEASIBLE):
        return SolveResult(_empty_schedule(dom, info), status, watcher.first_s, wall, stats)
    visits, missing = extract_visits(pm, solver)
    schedule = visits_to_schedule(dom, visits, missing, info, options.fixed)
    _finish_solver_info(schedule, pm, solver, stats)
    if watcher.floor is not None and schedule.solver.bound is not None:
        schedule.solver.bound = max(schedule.solver.bound, watcher.floor)
    return SolveResult(schedule, status, watcher.first_s, wall, stats)


def _plans(pm: PlanModel, options: SolveOptions) -> Callable[[_Values], Schedule] | None:
    """How the watcher turns a solution into a plan, when progress carries plans."""
    if not options.progress_plans:
        return None

    def plan_of(values: _Values) -> Schedule:
        visits, missing = extract_visits(pm, values)
        return visits_to_schedule(pm.dom, visits, missing, SolverInfo(status=Status.FEASIBLE),
                                  options.fixed)
    return plan_of


def _finish_solver_info(schedule: Schedule, pm: PlanModel, solver: cp_model.CpSolver,
                        stats: dict[str, Any]) -> None:
    """Objective from the plan itself (plus any re-plan terms) and the proven bound."""
    info = schedule.solver
    extra = _extra_values(pm, solver)
    info.objective_terms = {**info.objective_terms, **extra}
    info.objective = sum(info.objective_terms.values())
    solver_value = round(solver.objective_value)
    info.bound = min(math.ceil(solver.best_objective_bound - 1e-6), info.objective)
    stats["solver_objective"] = solver_value
    if info.status is Status.OPTIMAL:
        info.bound = info.objective
