"""Campaigns too large for one CP-SAT model: the greedy plan, improved region by region.

One model of a 1,000-unit campaign has millions of variables: it took minutes and gigabytes to
build and found nothing in 460 CPU-seconds (issue 17), and from 140 units up the whole model only
gave back the greedy plan it was hinted. Above ``LNS_MIN_VARIABLES`` (estimated before anything
is built) the CP-SAT planner therefore starts from the greedy plan and improves it with the
neighbourhood search (``scheduler.search.lns``): small sub-models, each within a second of work.

How the work limit is spent (all deterministic, so the plan does not depend on the machine): the
domains, the size estimate (its day cut) and the greedy start are charged by their size
(``START_WORK_PER_DAY`` per start day of the domains), each sub-model by its variables, each
pricing of the whole plan by its units, each search by CP-SAT's own deterministic time. The
search stops when the next step would pass the limit; the wall-clock safety cap of every solve
(``scheduler.search.parameters.wall_cap_s``) is also the whole run's.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from models.schedule import Status
from scheduler.model.build import SHARED_DAYS_MAX_UNITS
from scheduler.problem.compact import cut_domains, tied_members
from scheduler.problem.domains import Domains
from scheduler.search.greedy import greedy_complete, greedy_visits
from scheduler.search.lns import SUB_WORK_S, Budget, State, improve, start_state
from scheduler.search.parameters import wall_cap_s
from scheduler.search.solve import Progress, SolveOptions, SolveResult, resolved

# Above this many estimated variables one model does not pay (measured): the 140-unit communes
# case (~55,000) got the hint back after 60 work-seconds; Hanoi's 14 units (~2,000) are proved;
# the national benchmark's eight provinces of 51-90 units (12,000-20,000) got greedy's plan back
# in 15 work-seconds (Quảng Ninh in 45 too), where the regions found 0.3-3.1% cheaper ones.
LNS_MIN_VARIABLES = 10_000
# Work-seconds per start day of the domains (domains + estimate + greedy, measured: 1.4-4 us a
# day on province-300, hanoi-full and units-1000 with the other core busy).
START_WORK_PER_DAY = 3e-6


def estimated_variables(dom: Domains) -> int:
    """About how many variables one model of the whole campaign would have (no model built):
    a start boolean per team and day (per day for small campaigns), a team and a member boolean
    per choice, presence and start; on the domains the model reads (start days no group can go
    on cut: ``scheduler.problem.compact``), without the booleans the compact model shares (a
    member tied to the team, a unit's only team)."""
    dom = cut_domains(dom)
    tied = tied_members(dom)
    shared = len(dom.units) <= SHARED_DAYS_MAX_UNITS
    total = 0
    for uid, ud in dom.units.items():
        days = len(ud.all_starts) if shared else sum(len(d) for d in ud.starts.values())
        members = sum(len(m) for m in ud.members.values()) - len(tied.get(uid, ()))
        teams = len(ud.teams) if len(ud.teams) > 1 else 0  # one team: its presence
        total += days + teams + members + 2
    return total


def too_large(dom: Domains, options: SolveOptions) -> bool:
    """Plan region by region: the whole model would be too large, and nothing but the plan's own
    price is minimised (a re-plan's change terms need the whole model)."""
    return options.extra_terms is None and estimated_variables(dom) > LNS_MIN_VARIABLES


def start_work(dom: Domains) -> float:
    return START_WORK_PER_DAY * sum(len(d) for ud in dom.units.values() for d in ud.starts.values())


def solve_by_regions(options: SolveOptions, dom: Domains) -> SolveResult:
    """The greedy plan improved by neighbourhoods within the work limit; FEASIBLE, or UNKNOWN
    when required units are still left out (listed as unscheduled) or a selection is not met."""
    time_limit, workers, seed = resolved(options, dom.scenario)
    t0 = time.perf_counter()
    budget = Budget(time_limit, t0 + wall_cap_s(time_limit))
    budget.charge(start_work(dom))
    visits, missing = greedy_visits(dom)
    state = start_state(dom, visits, missing)
    greedy_objective = state.schedule.solver.objective
    first_s = time.perf_counter() - t0
    report = _reporter(options, t0)
    report(state)
    state = improve(state, budget, workers, seed, report)
    wall = time.perf_counter() - t0
    interrupted = state.stats.pop("interrupted", 0)
    complete = greedy_complete(dom, list(state.visits.values()), state.missing)  # + selections
    status = Status.FEASIBLE if complete else Status.UNKNOWN
    info = state.schedule.solver.model_copy(update={
        "status": status, "wall_s": round(wall, 3), "seed": seed, "workers": workers,
        "time_limit_s": time_limit, "wall_cap_hit": budget.wall_cap_hit})
    schedule = state.schedule
    schedule.solver = info
    stats = {"planner_path": "neighbourhoods", "estimated_variables": estimated_variables(dom),
             "work_s": round(budget.spent_s, 3), "wall_cap_hit": budget.wall_cap_hit,
             "interrupted": bool(interrupted), "stopped_by": _stopped_by(interrupted, budget),
             "greedy_objective": greedy_objective, **state.stats}
    return SolveResult(schedule, status, first_s, wall, stats)


def _stopped_by(interrupted: int, budget: Budget) -> str:
    if interrupted:
        return "sigint"
    if budget.wall_cap_hit:
        return "wall_cap"
    # the search also ends when a round of every kind of region gains nothing
    return "work_limit" if budget.steps_left(SUB_WORK_S) == 0 else "no_gain"


def _reporter(options: SolveOptions, t0: float) -> Callable[[State], None]:
    def report(state: State) -> None:
        if options.on_progress is not None and state.schedule.solver.objective is not None:
            plan = state.schedule if options.progress_plans else None  # the door re-prices it
            options.on_progress(Progress(time.perf_counter() - t0,
                                         state.schedule.solver.objective, None, plan))
    return report
