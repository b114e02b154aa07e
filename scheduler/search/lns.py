"""Neighbourhood search on the plan's own price: improve a plan region by region.

Each step frees one region of the plan (``scheduler.search.neighbourhoods``: a team's visits, a
span of weeks over two teams, or one window's units over two teams), keeps the rest, solves that
sub-problem with CP-SAT from the current plan (one worker, a small work limit, a seed fixed by
the step) and keeps the sub-plan only when the whole plan's price (``plan_cost``, the one cost
function) drops, or when it places a unit that had no place. Not to be confused with the route
stage's search (``scheduler.routing.lns``).

Deterministic: the regions come in a fixed order, grouped into disjoint batches; the batch's
sub-problems are built from the same plan and solved side by side (threads: CP-SAT leaves
Python's lock while it searches), and their results are taken in the batch's order. One worker
solves the same batches one after the other, so 1 or 2 workers, idle or loaded, give one plan.
Work is counted in CP-SAT's deterministic seconds plus a fixed charge per model built and per
plan priced (``Budget``), never in wall time; only the wall-clock safety cap may cut it short.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from models.schedule import Assignment, Schedule, SolverInfo, Status, Unscheduled
from scheduler.cost.price import plan_cost
from scheduler.model.build import PlanModel, build_model
from scheduler.problem.domains import Domains
from scheduler.problem.schedule_build import make_assignment
from scheduler.search.greedy import Visit, _reason, visits_to_schedule
from scheduler.search.hints import add_hint, complete_hint
from scheduler.search.neighbourhoods import (
    KINDS,
    Neighbourhood,
    SubProblem,
    batches,
    neighbourhoods,
    sub_problem,
)
from scheduler.search.parameters import solver_parameters
from scheduler.search.sigint import SigintStops, python_handles_sigint
from scheduler.search.solve import extract_visits

SUB_WORK_S = 0.5  # CP-SAT work limit of one sub-problem
BATCH = 8  # regions solved from one plan, priced together first
STALE_ROUNDS = 2  # stop after this many rounds of every kind without a gain
BUILD_WORK_PER_VARIABLE = 2e-4  # per sub-model variable: its build and CP-SAT loading it (measured)
PRICE_WORK_PER_UNIT = 1.5e-4  # per unit, each time the whole plan is priced (1.3 CPU-s at 10,000)


Change = tuple[SubProblem, list[Visit], list[str]]  # a region, its new visits, units left out


@dataclass
class Budget:
    """Work spent so far against the limit, and the wall-clock safety cap."""

    limit_s: float
    wall_deadline: float
    spent_s: float = 0.0
    wall_cap_hit: bool = False

    def charge(self, work_s: float) -> None:
        self.spent_s += work_s

    def steps_left(self, step_s: float) -> int:
        """How many more steps of ``step_s`` work fit (0 past the wall-clock safety cap)."""
        if time.perf_counter() >= self.wall_deadline:
            self.wall_cap_hit = True
            return 0
        return max(0, math.floor((self.limit_s - self.spent_s) / step_s + 1e-9))


@dataclass
class State:
    """The plan being improved: visits by unit, units without a place, and its price."""

    dom: Domains
    visits: dict[str, Visit]
    missing: list[str]
    schedule: Schedule
    assignments: dict[str, Assignment] = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=lambda: {"steps": 0, "kept": 0, "priced": 0})

    @property
    def cost(self) -> tuple[int, int]:
        """Required units left out first, then the price."""
        left = sum(not self.dom.units[u].unit.optional for u in self.missing)
        return left, self.schedule.solver.objective or 0


def start_state(dom: Domains, visits: list[Visit], missing: list[str]) -> State:
    schedule = visits_to_schedule(dom, visits, missing, SolverInfo(status=Status.FEASIBLE))
    return State(dom, {v.unit_id: v for v in visits}, list(missing), schedule,
                 {a.unit_id: a for a in schedule.assignments})


def priced(state: State, visits: dict[str, Visit], missing: list[str]
           ) -> tuple[Schedule, dict[str, Assignment]]:
    """The plan with these visits, priced by ``plan_cost``; assignments of unchanged visits are
    reused (a plan of 10,000 visits is re-dated in seconds otherwise)."""
    dom = state.dom
    assignments = {}
    for uid in dom.units:
        v = visits.get(uid)
        if v is None:
            continue
        old = state.visits.get(uid)
        assignments[uid] = state.assignments[uid] if old == v else (
            dom.units[uid].fixed or make_assignment(dom.scenario, dom.cal, uid, v.team_id,
                                                    dom.cal.date_of(v.start), v.member_ids,
                                                    v.lead_id))
    unscheduled = [Unscheduled(unit_id=u, reason=_reason(dom, u)) for u in missing]
    schedule = state.schedule.model_copy(update={"assignments": list(assignments.values()),
                                                 "unscheduled": unscheduled})
    cost = plan_cost(dom.scenario, schedule, dom.cal, route_travel=dom.route_travel)
    schedule.solver = state.schedule.solver.model_copy(
        update={"objective_terms": cost.terms, "objective": cost.objective})
    return schedule, assignments


class Stops:
    """Ctrl-C (``SigintStops``) stops every running sub-search and starts no new one."""

    def __init__(self) -> None:
        self.solvers: list[cp_model.CpSolver] = []
        self.stopped = False
        self._lock = threading.Lock()

    def stop(self) -> None:
        with self._lock:
            self.stopped = True
            for solver in self.solvers:
                solver.stop_search()

    def watch(self, solver: cp_model.CpSolver) -> None:
        with self._lock:
            self.solvers.append(solver)
            if self.stopped:
                solver.stop_search()


def improve(state: State, budget: Budget, workers: int, seed: int,
            on_better: Callable[[State], None] | None = None) -> State:
    """Free region after region until the budget is spent, no kind of region gains any more, or
    Ctrl-C (then ``state.stats["interrupted"]`` is 1 and the best plan so far is returned)."""
    stops = Stops()
    with SigintStops(stops.stop) as sigint:
        _search(state, budget, workers, seed, on_better, stops)
    python_handles_sigint()
    state.stats["interrupted"] = int(sigint.interrupted)
    return state


def _search(state: State, budget: Budget, workers: int, seed: int,
            on_better: Callable[[State], None] | None, stops: Stops) -> State:
    stale, round_no = 0, 0
    with ThreadPoolExecutor(max(1, min(workers, 2))) as pool:
        while stale < STALE_ROUNDS:
            before = state.cost
            for kind in KINDS:
                for group in batches(neighbourhoods(state.dom, state.visits, kind, round_no),
                                     BATCH, 2 * BATCH):
                    room = budget.steps_left(SUB_WORK_S)
                    if room == 0 or stops.stopped:
                        return state
                    group = group[:room]  # the last batch: as many regions as the work left
                    gained = _step(state, group, budget, pool, seed + state.stats["steps"],
                                   workers, stops)
                    if gained and on_better is not None:
                        on_better(state)
            stale = stale + 1 if state.cost >= before else 0
            round_no += 1
    return state


def _step(state: State, group: list[Neighbourhood], budget: Budget, pool: ThreadPoolExecutor,
          seed: int, workers: int, stops: Stops) -> bool:
    """Solve one batch of disjoint regions from the current plan; keep what lowers the price."""
    subs = [s for s in (sub_problem(state.dom, state.visits, state.missing, h) for h in group)
            if s is not None]
    models: list[PlanModel] = []
    for sub in list(subs):  # each model built is charged; one that leaves no room is not solved
        pm = region_model(sub)
        budget.charge(BUILD_WORK_PER_VARIABLE * len(pm.model.proto.variables))
        if budget.spent_s + SUB_WORK_S > budget.limit_s:
            subs = subs[:len(models)]
            break
        models.append(pm)
    seeds = [seed + i for i in range(len(subs))]
    stopping = [stops] * len(subs)
    if workers >= 2:
        found = list(pool.map(_solve, subs, models, seeds, stopping))
    else:
        found = [_solve(*args) for args in zip(subs, models, seeds, stopping, strict=True)]
    state.stats["steps"] += len(subs)
    changed: list[Change] = []
    for sub, (visits, missing, work) in zip(subs, found, strict=True):
        budget.charge(work)
        if visits is not None and _differs(sub, visits, missing):
            changed.append((sub, visits, missing))
    if not changed:
        return False
    if _try(state, changed, budget):  # the batch together first: one pricing of the plan
        return True
    if len(changed) == 1:
        return False
    return any([_try(state, [c], budget) for c in changed])


def region_model(sub: SubProblem) -> PlanModel:
    """The region's CP-SAT sub-model, hinted with the whole current plan around it."""
    pm = build_model(sub.dom.scenario, None, sub.kept or None, dom=sub.dom)
    # the kept visits too: hinted "off" they made every hint infeasible (CP-SAT then started
    # from scratch and rarely got back to the plan within a step; communes case, measured)
    add_hint(pm, sub.hint + sub.around, symmetric=not sub.kept)
    # a whole solution, not only the decisions: from the decisions alone CP-SAT's plans in a
    # step were often worse than the plan it was given (province-300, 60 work-s: 10,887 with
    # the completed hint, 12,607 without; communes 20 work-s: 10,512 against 10,652)
    complete_hint(pm, SUB_WORK_S)
    return pm


def _solve(sub: SubProblem, pm: PlanModel, seed: int, stops: Stops
           ) -> tuple[list[Visit] | None, list[str], float]:
    solver = solver_parameters(SUB_WORK_S, 1, seed, len(pm.model.proto.variables))
    # OR-Tools 9.15's symmetry step fails on some completed hints ("absl::btree_map::at",
    # communes case); a region around kept visits has little symmetry to break anyway
    solver.parameters.symmetry_level = 0
    stops.watch(solver)
    code = solver.solve(pm.model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, [], solver.deterministic_time
    visits, missing = extract_visits(pm, solver)
    free = set(sub.free)
    return ([v for v in visits if v.unit_id in free], [u for u in missing if u in free],
            solver.deterministic_time)


def _differs(sub: SubProblem, visits: list[Visit], missing: list[str]) -> bool:
    now = {(v.unit_id, v.team_id, v.start, tuple(sorted(v.member_ids))) for v in sub.hint}
    new = {(v.unit_id, v.team_id, v.start, tuple(sorted(v.member_ids))) for v in visits}
    return now != new


def _try(state: State, changes: list[Change], budget: Budget) -> bool:
    """Apply the sub-plans to the plan; keep them when the price drops (or fewer units are left
    out), else leave the plan as it was."""
    visits = dict(state.visits)
    missing = set(state.missing)
    for sub, new, left in changes:
        for uid in sub.free:
            visits.pop(uid, None)
            missing.add(uid)
        for v in new:
            visits[v.unit_id] = v
            missing.discard(v.unit_id)
        missing |= set(left)
    order = [u for u in state.dom.units if u in missing]
    schedule, assignments = priced(state, visits, order)
    budget.charge(PRICE_WORK_PER_UNIT * len(state.dom.units))
    state.stats["priced"] += 1
    trial = State(state.dom, visits, order, schedule)
    if trial.cost >= state.cost:
        return False
    state.visits, state.missing, state.schedule = visits, order, schedule
    state.assignments = assignments
    state.stats["kept"] += len(changes)
    return True
