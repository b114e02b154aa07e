"""The one door into planning: pre-check → route stage → planner → expand → price → check.

Every command and library caller plans through ``plan``: ``kiemtra solve`` (CP-SAT or, with
``--planner greedy``, the quick plan), each neighbourhood of a re-plan, the repair of an edited plan,
the benchmarks' greedy peer. A feature added at one step is there for every caller: a re-plan's
short visits are routed like a first plan's, and every plan comes back with its day routes.

```python
outcome = plan(Problem.of(scenario), SolveOptions(time_limit_s=10, workers=1, seed=0))
outcome.status, outcome.schedule, outcome.check.ok, outcome.explanation
```

The route stage (``scheduler.plan.stage``) hands the planner a problem in which a day route is one
visit, and the door expands the planner's plan back; the planner never sees how. The domains are
built once per problem and handed to the pre-check and the planner.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from models.scenario import Scenario
from models.schedule import Assignment, Schedule, SolverInfo, Status
from scheduler.check.checker import CheckReport, check_schedule
from scheduler.cost.price import plan_cost
from scheduler.plan.bound import whole_plan_bound
from scheduler.plan.reprice import RePriced
from scheduler.plan.stage import ROUTE_SHARE, Expansion, route_stage
from scheduler.problem.domains import Domains
from scheduler.problem.problem import Problem
from scheduler.search.explain import Explanation, explain_infeasible
from scheduler.search.greedy import greedy_complete, greedy_visits, visits_to_schedule
from scheduler.search.large import solve_by_regions, too_large
from scheduler.search.precheck import precheck
from scheduler.search.solve import SolveOptions, SolveResult, resolved, solve


@dataclass
class PlanOutcome:
    """What one run of the door ends with.

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


PlannerRun = Callable[[Problem, SolveOptions, Domains], SolveResult]


@dataclass(frozen=True)
class Planner:
    """A way to place the visits of a (routed) problem; ``greedy_routes``: it gets a planner's
    nearest-neighbour day routes rather than the route engine's."""

    name: str
    run: PlannerRun
    greedy_routes: bool = False


def _cpsat(problem: Problem, options: SolveOptions, dom: Domains) -> SolveResult:
    framed = replace(options, as_of=problem.as_of, fixed=dict(problem.fixed) or None,
                     held=dict(problem.held) or None)
    if too_large(dom, framed):  # one model would not fit: the greedy plan, region by region
        return solve_by_regions(framed, dom)
    return solve(problem.scenario, framed, dom=dom)


def _greedy(problem: Problem, options: SolveOptions, dom: Domains) -> SolveResult:
    """The hand-made-style plan; FEASIBLE when every required unit found a place and every
    selection is met, else UNKNOWN with the units it could not place listed as unscheduled."""
    t0 = time.perf_counter()
    visits, missing = greedy_visits(dom)
    status = Status.FEASIBLE if greedy_complete(dom, visits, missing) else Status.UNKNOWN
    schedule = visits_to_schedule(dom, visits, missing, SolverInfo(status=status, seed=0, workers=1),
                                  problem.fixed or None)
    wall = time.perf_counter() - t0
    schedule.solver.wall_s = round(wall, 3)
    return SolveResult(schedule, status, wall, wall, {"planner": "greedy", "stopped_by": "complete"})


CPSAT = Planner("cpsat", _cpsat)
GREEDY = Planner("greedy", _greedy, greedy_routes=True)
PLANNERS = {p.name: p for p in (CPSAT, GREEDY)}


def plan(problem: Problem | Scenario, options: SolveOptions | None = None, planner: Planner = CPSAT,
         explain_time_limit_s: float | None = 10.0, keep_partial: bool = False) -> PlanOutcome:
    """Plan ``problem`` (a scenario is framed by ``options.as_of/fixed/held``); never raises for an
    unplannable one. ``explain_time_limit_s=None``: say INFEASIBLE without explaining (re-plan
    neighbourhoods widen instead). ``keep_partial``: a plan that leaves required units out (the
    greedy planner's, status UNKNOWN) is returned, priced and checked, rather than dropped."""
    options = options or SolveOptions()
    if isinstance(problem, Scenario):
        problem = Problem.of(problem, options.as_of, options.fixed, options.held)
    t0 = time.perf_counter()
    time_limit, _, seed = resolved(options, problem.scenario)
    budget = 0.0 if planner.greedy_routes else ROUTE_SHARE * time_limit
    calendar, expansion = route_stage(problem, budget, seed, greedy=planner.greedy_routes)
    dom = calendar.domains()
    if not keep_partial:
        findings = precheck(calendar.scenario, calendar.as_of, calendar.fixed or None, dom=dom)
        if findings:
            return PlanOutcome(Status.INFEASIBLE, explanation=Explanation(findings=findings),
                               stats=expansion.stats())
    if options.hint is not None:  # a hint names units, the routed problem names routes
        options = replace(options, hint=expansion.route_hint(options.hint))
    priced = RePriced(problem.scenario, expansion, options.on_progress)
    priced.bound = whole_plan_bound(problem, expansion.routed, dom if calendar is problem else None)
    if expansion.routed is not None:  # progress and plan on the price of the plan as written
        repriced = options.extra_terms is None  # a re-plan's change terms: not priced here
        options = replace(options, on_progress=priced.report if repriced else None,
                          progress_plans=repriced)
    result = planner.run(calendar, options, dom)
    outcome = PlanOutcome(result.status, first_solution_s=result.first_solution_s,
                          wall_s=time.perf_counter() - t0,
                          stats={**result.stats, **expansion.stats(), "planner": planner.name,
                                 "planner_status": result.status.value})  # before re-pricing
    if result.status is Status.INFEASIBLE and explain_time_limit_s is not None:
        outcome.explanation = explain_infeasible(calendar.scenario, calendar.as_of, calendar.fixed or None,
                                                 explain_time_limit_s, prechecked=True)
    if result.status is Status.INFEASIBLE or (result.status is Status.UNKNOWN and not keep_partial):
        return outcome
    schedule = priced.best_of(expansion.expand(result.schedule))
    price(problem.scenario, schedule, expansion, priced.bound)
    outcome.status = schedule.solver.status
    outcome.schedule = schedule
    outcome.check = check_schedule(problem.scenario, schedule, problem.as_of)
    if planner is CPSAT and _first_plan(problem, options) and outcome.status is not Status.OPTIMAL \
            and not _started_from_greedy(outcome, expansion):
        _no_worse_than_greedy(problem, options, outcome)
    return outcome


def _first_plan(problem: Problem, options: SolveOptions) -> bool:
    """A first plan, priced by ``plan_cost`` alone (a re-plan's change terms are not greedy's)."""
    return problem.as_of is None and not problem.fixed and not problem.held \
        and options.extra_terms is None


def _started_from_greedy(outcome: PlanOutcome, expansion: Expansion) -> bool:
    """The neighbourhood search improved the greedy plan of these very visits (no day routes, so
    the greedy planner would plan them alike): never worse than it, no second greedy pass."""
    return outcome.stats.get("planner_path") == "neighbourhoods" and expansion.routed is None


def _no_worse_than_greedy(problem: Problem, options: SolveOptions, outcome: PlanOutcome) -> None:
    """Keep the greedy plan when it prices lower, so a plan is never worse than the quick one.

    On routed problems the planners get different day routes (the route engine's, at the price of
    travel and team-days; greedy's nearest-neighbour ones), so a CP-SAT plan that is not proven
    may price higher than greedy's (it did on the communes case while the calendar priced a
    route as one visit in the per-unit terms). The peer costs one greedy pass; both plans are
    checked; the stated bound is the better of the two valid ones.
    """
    assert outcome.schedule is not None
    peer = plan(problem, replace(options, on_progress=None, hint=None), planner=GREEDY,
                explain_time_limit_s=None)
    ours = outcome.schedule.solver
    outcome.stats["greedy_objective"] = peer.schedule.solver.objective if peer.schedule else None
    if peer.schedule is None or not peer.clean or peer.status is not Status.FEASIBLE or \
            ours.objective is None or (peer.schedule.solver.objective or 0) >= ours.objective:
        return
    theirs = peer.schedule.solver
    bounds = [b for b in (ours.bound, theirs.bound) if b is not None]
    bound = min(max(bounds), theirs.objective or 0) if bounds else None
    info = ours.model_copy(update={
        "objective": theirs.objective, "objective_terms": theirs.objective_terms, "bound": bound,
        "status": Status.OPTIMAL if bound == theirs.objective else Status.FEASIBLE})
    outcome.schedule = peer.schedule.model_copy(update={"solver": info})
    outcome.status = info.status
    outcome.check = check_schedule(problem.scenario, outcome.schedule, problem.as_of)
    outcome.stats["plan_from"] = "greedy"


def price(scenario: Scenario, schedule: Schedule, expansion: Expansion,
          whole_bound: int | None = None) -> None:
    """The plan's soft terms priced by the one cost function on the problem as written; re-plan
    change terms the planner added (R ids) stay beside them.

    A routed plan's planner bound is one for the routes it was given (the route stage fixed them;
    other routes could price lower), so it is no bound of this price: the bound stated is
    ``whole_bound`` (``scheduler.plan.bound``), a lower bound on the whole plan's price, or none;
    the plan is OPTIMAL only when that bound reaches its price. A plan without routes states the
    better of the planner's bound and the whole-plan floors (the neighbourhood search and greedy
    have no bound of their own).
    """
    info = schedule.solver
    info.objective_terms = {**info.objective_terms, **plan_cost(scenario, schedule).terms}
    info.objective = sum(info.objective_terms.values())
    if expansion.routed is not None:
        info.bound = None if whole_bound is None else min(whole_bound, info.objective)
        if info.status is Status.OPTIMAL and info.bound != info.objective:
            info.status = Status.FEASIBLE
    elif whole_bound is not None and info.objective is not None:  # the better of two valid bounds
        info.bound = min(max(info.bound or 0, whole_bound), info.objective)


def greedy_schedule(scenario: Scenario, as_of: date | None = None,
                    fixed: dict[str, Assignment] | None = None,
                    held: dict[str, Assignment] | None = None) -> Schedule:
    """The quick plan a planner would make by hand, through the door: status FEASIBLE when every
    required unit found a place (UNKNOWN otherwise, the others listed as unscheduled)."""
    outcome = plan(Problem.of(scenario, as_of, fixed, held), planner=GREEDY, explain_time_limit_s=None,
                   keep_partial=True)
    assert outcome.schedule is not None  # the greedy planner always returns its placement
    return outcome.schedule
