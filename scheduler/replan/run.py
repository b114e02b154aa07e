"""Re-planning in mid-campaign: change as little as possible of what units were already told.

``replan(scenario, baseline, as_of, events)``:

1. applies the events (``scheduler.replan.events_apply``): visits before ``as_of`` are history and never
   move; visits an event broke are released; the rest are kept;
2. re-solves only the released visits and the new units, with everything else fixed to the
   baseline (PERFORMANCE.md: this small neighbourhood is proven optimal in seconds, where the
   whole model stalls at a 5-9% gap). A released announced visit whose only problem is a member
   first keeps its date and team and only changes members;
3. widens the neighbourhood only when that is infeasible: first the groups of nearby visits may
   change (dates and teams held), then nearby planned visits and the broken ones may move, then
   all planned visits, then every visit not yet done;
4. every change to a visit that had a place costs (``CHANGE_COSTS``, added to the objective
   through ``SolveOptions.extra_terms``), far more than the usual soft rules, so the re-plan
   first changes as little as it can and then optimises the usual objectives.

With no events (and nothing else broken) the baseline comes back unchanged; only the states move
with time (visits before ``as_of`` become done, visits whose announcement day passed announced).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from models.calendar import WorkCalendar
from models.events import EventsFile
from models.scenario import Scenario
from models.schedule import (
    Assignment,
    Schedule,
    SolverInfo,
    Status,
    Unscheduled,
    VisitState,
)
from models.selection import as_listed, resolved_selections, sampled_ids, selections_met
from scheduler.check.checker import CheckReport, check_schedule
from scheduler.cost.price import CHANGE_COSTS, ChangeCosts, plan_cost
from scheduler.plan.pipeline import greedy_schedule, plan
from scheduler.problem.problem import Problem
from scheduler.problem.schedule_build import make_assignment, schedule_skeleton
from scheduler.replan.events_apply import apply_events
from scheduler.replan.fates import AppliedEvents, Fate, UnitFate
from scheduler.replan.neighbourhoods import Neighbourhood, change_terms, neighbourhoods
from scheduler.routing.reading import with_routes
from scheduler.routing.stage import TIMES, lay_out_days
from scheduler.search.explain import explain_infeasible
from scheduler.search.solve import Progress, SolveOptions, SolveResult

BATCH_SIZE = 30  # freed units re-solved at once; a larger neighbourhood goes batch by batch


@dataclass
class ReplanOptions:
    time_limit_s: float = 30.0  # per neighbourhood tried
    workers: int = 1
    seed: int = 0
    costs: ChangeCosts = CHANGE_COSTS
    on_progress: Callable[[Progress], None] | None = None
    lang: str = "en"  # of the explanation when no plan exists


@dataclass
class Phase:
    """One neighbourhood tried: its name, the units re-solved, and how the solve ended."""

    name: str
    free: list[str]
    pinned: list[str]
    status: Status
    wall_s: float
    first_solution_s: float | None = None
    objective: int | None = None  # solver's objective in the neighbourhood (with change costs)
    bound: int | None = None


@dataclass
class ReplanResult:
    schedule: Schedule | None
    status: Status
    applied: AppliedEvents
    phases: list[Phase] = field(default_factory=list)
    wall_s: float = 0.0
    explanation: str = ""  # why no plan exists, in planners' words (when there is none)
    check: CheckReport | None = None  # the checker's verdict on the re-planned schedule
    interrupted: bool = False  # Ctrl-C stopped the search: the best plan found so far

    @property
    def neighbourhood(self) -> list[str]:
        """Units re-solved in the neighbourhood that gave the plan (the last one tried)."""
        return self.phases[-1].free if self.phases else []

    @property
    def fates(self) -> dict[str, UnitFate]:
        return self.applied.fates

    def reasons(self) -> dict[str, dict[str, Any]]:
        """Per unit: fate, why, events and rules; what ``kiemtra diff`` reads back."""
        widened = set(self.neighbourhood) - set(self.applied.released()) - set(
            self.applied.new_units())
        out: dict[str, dict[str, Any]] = {}
        for unit_id, fate in self.applied.fates.items():
            why = list(fate.reasons)
            if unit_id in widened:
                held = unit_id in self.phases[-1].pinned
                what = "its group could change" if held else "re-planned"
                why.append(f"{what} to make room ({self.phases[-1].name})")
            out[unit_id] = {"fate": fate.fate.value, "why": why, "events": fate.events,
                            "rules": fate.rules}
        return out


# --- solving -------------------------------------------------------------------------------------


def _solver_scenario(applied: AppliedEvents, later: set[str] | None = None) -> Scenario:
    """The scenario the solver sees: optional units left out in the baseline dropped, but for
    those a selection samples (H20: an event may take a sampled visit away, and another unit of
    the selection must then be visited); the units of ``later`` batches dropped, each selection
    needing that many fewer (they may still be visited in their batch)."""
    scenario = applied.scenario
    later = later or set()
    drop = _left_out_ids(applied) | later
    selections = [as_listed(r, r.unit_ids, max(0, r.need - sum(1 for u in r.unit_ids if u in later)))
                  for r in resolved_selections(scenario)]
    return scenario.model_copy(update={"units": [u for u in scenario.units if u.id not in drop],
                                       "selections": selections})


def _left_out_ids(applied: AppliedEvents) -> set[str]:
    """Optional units left out in the baseline that stay out (no selection samples them)."""
    sampled = sampled_ids(applied.scenario)
    return {u for u, f in applied.fates.items()
            if f.fate is Fate.KEPT and f.reference is None and u not in sampled}


def _held(applied: AppliedEvents, pinned: Iterable[str]) -> dict[str, Assignment]:
    """Announced visits held on their day and team (only their group may change)."""
    held = {u: applied.fates[u].reference for u in pinned}
    return {u: ref for u, ref in held.items() if ref is not None}


def _references(applied: AppliedEvents, free: set[str]) -> dict[str, Assignment]:
    """The visits the freed units should stay close to (new units have none)."""
    return {u: ref for u, f in applied.fates.items()
            if u in free and (ref := f.reference) is not None}


def _hint(applied: AppliedEvents, scenario: Scenario, fixed: dict[str, Assignment],
          refs: dict[str, Assignment], held: dict[str, Assignment]) -> Schedule:
    """Start from the baseline: the fixed visits, the freed ones that broke no rule where they
    were, and the greedy planner's places for the broken and new ones around them (a hint that
    breaks a rule, or leaves units out, makes CP-SAT find its first plan late)."""
    sound = {u: ref for u, ref in refs.items() if not applied.fates[u].rules}
    return greedy_schedule(scenario, applied.as_of, {**fixed, **sound}, held)


def _solve_neighbourhood(applied: AppliedEvents, n: Neighbourhood, options: ReplanOptions,
                         cal: WorkCalendar) -> SolveResult:
    """Re-solve the freed units; a large neighbourhood is placed a batch at a time.

    CP-SAT's presolve of many free units (e.g. 126 new communes, ~30,000 start-day booleans)
    can eat the whole time limit before it even reads the hint; batches of ``BATCH_SIZE`` in
    window order, each with the ones before it fixed, stay small. A batch CP-SAT finds no plan
    for in time keeps the greedy planner's placement (``stats["greedy_batches"]``); a batch that
    cannot be placed at all sends the whole neighbourhood to CP-SAT at once.
    """
    batches = _batches(applied, n)
    limit = options.time_limit_s if len(batches) == 1 else max(
        options.time_limit_s / len(batches), min(options.time_limit_s, 10.0))
    placed: dict[str, Assignment] = {}
    greedy_batches, wall = 0, 0.0
    solved: SolveResult | None = None
    for i, batch in enumerate(batches):
        later = set().union(*batches[i + 1:])
        solved, hint = _solve_batch(applied, n, batch, placed, later, limit, options, cal)
        wall += solved.wall_s
        if solved.status is Status.UNKNOWN and _places_all(hint, batch, applied, later):
            solved = SolveResult(hint, Status.FEASIBLE, None, solved.wall_s, dict(solved.stats))
            greedy_batches += 1
        if solved.status is Status.INFEASIBLE and len(batches) > 1:
            return _solve_batch(applied, n, n.free, {}, set(), options.time_limit_s,
                                options, cal)[0]
        if solved.status not in (Status.OPTIMAL, Status.FEASIBLE):
            return solved
        placed.update({a.unit_id: a for a in solved.schedule.assignments if a.unit_id in batch})
    assert solved is not None
    if len(batches) > 1 or greedy_batches:
        solved.status = Status.FEASIBLE  # each batch may be optimal; the whole is not proven so
    solved.wall_s = wall
    solved.stats = {**solved.stats, "batches": len(batches), "greedy_batches": greedy_batches}
    return solved


def _places_all(plan: Schedule, batch: set[str], applied: AppliedEvents, later: set[str]) -> bool:
    """The greedy plan gives every required unit of the batch a visit, and meets the selections
    (less what the later batches may still visit)."""
    placed = {a.unit_id for a in plan.assignments}
    return all(u in placed or applied.scenario.unit(u).optional for u in batch) and \
        selections_met(_solver_scenario(applied, later), placed)


def _batches(applied: AppliedEvents, n: Neighbourhood) -> list[set[str]]:
    """The freed units in groups: visits that had a place all together first (they make room
    for each other), then the new units in groups of ``BATCH_SIZE``, by window."""
    if len(n.free) <= BATCH_SIZE:
        return [set(n.free)]
    scenario = applied.scenario
    placed = {u for u in n.free if applied.fates[u].reference is not None}

    def order(unit_id: str) -> tuple[Any, Any, str]:
        first, last = scenario.window_bounds(scenario.unit(unit_id))
        return last, first, unit_id

    new = sorted(n.free - placed, key=order)
    batches = [set(new[i:i + BATCH_SIZE]) for i in range(0, len(new), BATCH_SIZE)]
    if placed and batches and len(placed) + len(batches[0]) <= BATCH_SIZE:
        batches[0] |= placed
    elif placed:
        batches.insert(0, placed)
    return batches


def _solve_batch(applied: AppliedEvents, n: Neighbourhood, batch: set[str],
                 placed: dict[str, Assignment], later: set[str], time_limit_s: float,
                 options: ReplanOptions, cal: WorkCalendar) -> tuple[SolveResult, Schedule]:
    """Solve ``batch`` with the units placed so far fixed and those of later batches left out.

    Returns CP-SAT's result and the hint it started from (the greedy plan around the fixed).
    """
    scenario = _solver_scenario(applied, later)
    kept = {u: a for u, a in applied.kept().items() if u not in n.free}
    fixed = {**applied.history(), **kept, **placed}
    held = {u: a for u, a in _held(applied, n.pinned).items() if u in batch}
    refs = _references(applied, batch)
    hint = _hint(applied, scenario, fixed, refs, held)
    outcome = plan(Problem.of(scenario, applied.as_of, fixed, held), SolveOptions(
        time_limit_s=time_limit_s, workers=options.workers, seed=options.seed,
        on_progress=options.on_progress, hint=hint,
        extra_terms=change_terms(refs, options.costs, cal)), explain_time_limit_s=None)
    schedule = outcome.schedule or schedule_skeleton(scenario, [], SolverInfo(status=outcome.status), [])
    return SolveResult(schedule, outcome.status, outcome.first_solution_s, outcome.wall_s,
                       outcome.stats), hint


# --- reading the plan back -----------------------------------------------------------------------


def _state_after(ref: Assignment | None, a: Assignment) -> VisitState:
    """A re-planned visit stays announced only if it kept its announced date and team."""
    if ref is not None and ref.state is VisitState.ANNOUNCED and (
            a.start, a.team_id) == (ref.start, ref.team_id):
        return VisitState.ANNOUNCED
    return VisitState.PLANNED


def _final_schedule(applied: AppliedEvents, solved: SolveResult, n: Neighbourhood,
                    options: ReplanOptions, cal: WorkCalendar) -> Schedule:
    scenario = applied.scenario
    fixed = {**applied.history(), **applied.kept()}
    assignments: list[Assignment] = []
    for unit in scenario.units:
        if unit.id in fixed and unit.id not in n.free:
            assignments.append(fixed[unit.id])
            continue
        a = solved.schedule.assignment_for(unit.id)
        if a is None:
            continue
        state = _state_after(applied.fates[unit.id].reference, a)
        placed = make_assignment(scenario, cal, unit.id, a.team_id, a.start, a.member_ids, a.lead_id,
                                 state)
        assignments.append(placed.model_copy(update={k: getattr(a, k) for k in (*TIMES, "trip_id")}))
    assignments += applied.cancelled
    unscheduled = [*solved.schedule.unscheduled, *_left_out(applied)]
    # A neighbourhood's optimum is not a proof for the whole campaign, and its bound prices the
    # change costs too: the re-planned schedule claims a plan (FEASIBLE), never more;
    # replan.json keeps each phase's own status and bound.
    info = SolverInfo(status=Status.FEASIBLE, wall_s=solved.wall_s, seed=options.seed,
                      workers=options.workers, time_limit_s=options.time_limit_s)
    # A kept day a re-planned visit left is laid out again (the others move up), then routed.
    schedule = with_routes(scenario, lay_out_days(scenario, schedule_skeleton(scenario, assignments, info,
                                                                              unscheduled)))
    # CONTRACTS: the objective is the sum of S01-S06, what the checker recomputes; the change
    # costs the re-plan paid are listed beside them under their R ids.
    cost = plan_cost(scenario, schedule, cal, _references(applied, n.free), options.costs)
    schedule.solver.objective = cost.objective
    schedule.solver.objective_terms = cost.terms
    return schedule


def _drops_a_placed_visit(applied: AppliedEvents, schedule: Schedule) -> bool:
    """The plan leaves out a unit whose visit was placed (released or kept) before."""
    placed = {u for u, f in applied.fates.items()
              if f.fate in (Fate.RELEASED, Fate.KEPT) and f.reference is not None}
    return bool(placed - {a.unit_id for a in schedule.assignments})


def _with_cancelled_units(schedule: Schedule, baseline: Schedule) -> Schedule:
    """Keep the names of units that left the scenario (merged, split, removed): their cancelled
    visits stay in the schedule, so calendars can withdraw them and outputs can list them."""
    known = {u.id for u in schedule.units}
    gone = {a.unit_id for a in schedule.assignments if a.unit_id not in known}
    refs = [u for u in baseline.units if u.id in gone]
    return schedule.model_copy(update={"units": [*schedule.units, *refs]}) if refs else schedule


def _left_out(applied: AppliedEvents) -> list[Unscheduled]:
    return [Unscheduled(unit_id=u, reason="optional unit left out in the baseline")
            for u in sorted(_left_out_ids(applied), key=list(applied.fates).index)]


# --- entry point ---------------------------------------------------------------------------------


def _solve_or_fall_back(applied: AppliedEvents, n: Neighbourhood, options: ReplanOptions,
                        cal: WorkCalendar) -> tuple[SolveResult, str]:
    """CP-SAT's plan for the neighbourhood, with the phase's name. Where CP-SAT ran out of time,
    the greedy placement stands in, but only if the checker passes the whole plan."""
    solved = _solve_neighbourhood(applied, n, options, cal)
    greedy = solved.stats.get("greedy_batches", 0)
    if not greedy or solved.status is not Status.FEASIBLE:
        return solved, n.name
    final = _final_schedule(applied, solved, n, options, cal)
    if not check_schedule(applied.scenario, final, as_of=applied.as_of).ok:
        return SolveResult(solved.schedule, Status.UNKNOWN, None, solved.wall_s,
                           solved.stats), n.name
    batches = solved.stats.get("batches", 1)
    return solved, (f"{n.name} ({greedy} of {batches} batch(es) placed by the greedy planner: "
                    "CP-SAT found no plan for them in the time given)")


def _phase(name: str, n: Neighbourhood, solved: SolveResult) -> Phase:
    info = solved.schedule.solver
    found = solved.status in (Status.OPTIMAL, Status.FEASIBLE)
    first = None if solved.first_solution_s is None else round(solved.first_solution_s, 3)
    return Phase(name, sorted(n.free), sorted(n.pinned), solved.status, round(solved.wall_s, 3),
                 first, info.objective if found else None, info.bound if found else None)


def _report_plan(phase: Phase, schedule: Schedule, solved: SolveResult) -> None:
    """The phase that gave the plan reports its whole objective (soft rules plus change costs);
    CP-SAT's bound only when one solve covered the whole neighbourhood."""
    phase.objective = sum(schedule.solver.objective_terms.values())
    one_solve = solved.stats.get("batches", 1) == 1 and not solved.stats.get("greedy_batches")
    phase.bound = solved.schedule.solver.bound if one_solve else None


def replan(
    scenario: Scenario,
    baseline: Schedule,
    as_of: date,
    events: EventsFile | None = None,
    options: ReplanOptions | None = None,
    events_path: Path | str = "events",
) -> ReplanResult:
    """Re-plan from ``as_of`` after ``events``, changing as little as possible of the baseline."""
    options = options or ReplanOptions()
    t0 = time.perf_counter()
    applied = apply_events(scenario, baseline, as_of, events, events_path)
    cal = applied.scenario.work_calendar()
    result = ReplanResult(None, Status.UNKNOWN, applied)
    ladder = neighbourhoods(applied, cal)
    for i, n in enumerate(ladder):
        solved, name = _solve_or_fall_back(applied, n, options, cal)
        result.phases.append(_phase(name, n, solved))
        result.status = solved.status
        result.interrupted = bool(solved.stats.get("interrupted"))
        if solved.status in (Status.OPTIMAL, Status.FEASIBLE):
            result.schedule = _with_cancelled_units(
                _final_schedule(applied, solved, n, options, cal), baseline)
            _report_plan(result.phases[-1], result.schedule, solved)
            if not _drops_a_placed_visit(applied, result.schedule) or i == len(ladder) - 1 \
                    or result.interrupted:
                break
            # A visit that had its place would be left out: a wider neighbourhood may keep it.
            continue
        if result.schedule is not None:  # a wider try failed: the earlier plan stands
            result.status = Status.FEASIBLE
            break
        if solved.status is Status.UNKNOWN or result.interrupted:
            break  # out of time (or stopped) without a plan: a wider one would not do better
    if result.status is Status.INFEASIBLE:
        result.explanation = explain_infeasible(
            applied.scenario, as_of, applied.history(), options.time_limit_s).render(options.lang)
    if result.schedule is not None:  # the re-plan is held to the rules like any plan
        result.check = check_schedule(applied.scenario, result.schedule, as_of=as_of)
    result.wall_s = round(time.perf_counter() - t0, 3)
    return result
