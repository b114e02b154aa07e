"""Neighbourhood search on large campaigns: never worse than its start, checker-clean, the same
plan for 1 and 2 workers, and taken by the CP-SAT planner above the size threshold."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from benchmarks.generate import generate
from models.loading import load_scenario
from models.scenario import Scenario
from models.schedule import Status
from scheduler.check.checker import check_schedule
from scheduler.model.build import build_model
from scheduler.model.variables import PlanModel
from scheduler.plan.pipeline import plan
from scheduler.problem.domains import Domains, build_domains
from scheduler.search import large
from scheduler.search.greedy import greedy_visits
from scheduler.search.hints import add_hint
from scheduler.search.lns import Budget, State, improve, region_model, start_state
from scheduler.search.neighbourhoods import KINDS, batches, neighbourhoods, sub_problem
from scheduler.search.solve import SolveOptions

ROOT = Path(__file__).resolve().parents[2]


WORK_S = 5.0  # enough for a few steps, at least one of them kept (units-100, seed 0)


@pytest.fixture(scope="module")
def campaign() -> tuple[Scenario, Domains]:
    scenario = generate("units-100", seed=0)
    assert isinstance(scenario, Scenario)
    return scenario, build_domains(scenario)


def _improved(dom: Domains, workers: int) -> tuple[State, State]:
    visits, missing = greedy_visits(dom)
    start = start_state(dom, visits, missing)
    state = start_state(dom, visits, missing)
    return start, improve(state, Budget(WORK_S, math.inf), workers, seed=0)


@pytest.fixture(scope="module")
def one_worker(campaign: tuple[Scenario, Domains]) -> tuple[State, State]:
    return _improved(campaign[1], workers=1)


def test_search_never_returns_a_plan_worse_than_its_start_and_is_checker_clean(
        campaign: tuple[Scenario, Domains], one_worker: tuple[State, State]) -> None:
    scenario, _ = campaign
    start, best = one_worker
    assert not start.missing and not best.missing
    assert best.cost < start.cost and best.stats["kept"] >= 1
    report = check_schedule(scenario, best.schedule)
    assert report.ok, report.violations[:3]
    assert report.objective == best.schedule.solver.objective  # priced by the one cost function


def test_one_and_two_workers_give_the_same_plan(campaign: tuple[Scenario, Domains],
                                                one_worker: tuple[State, State]) -> None:
    _, two = _improved(campaign[1], workers=2)
    _, one = one_worker
    assert one.visits == two.visits
    assert one.cost == two.cost and one.stats == two.stats


def test_batched_regions_share_no_team_or_no_day(campaign: tuple[Scenario, Domains]) -> None:
    _, dom = campaign
    visits, _ = greedy_visits(dom)
    plan_visits = {v.unit_id: v for v in visits}
    for kind in KINDS:
        for group in batches(neighbourhoods(dom, plan_visits, kind, 0), 4, 8):
            assert all(a.disjoint(b) for i, a in enumerate(group) for b in group[i + 1:])


def test_a_large_campaign_is_planned_by_regions_within_a_tiny_budget() -> None:
    scenario = generate("units-200", seed=0)
    assert isinstance(scenario, Scenario)
    assert large.estimated_variables(build_domains(scenario)) > large.LNS_MIN_VARIABLES
    outcome = plan(scenario, SolveOptions(time_limit_s=1.0, workers=1, seed=0))
    assert outcome.stats["planner_path"] == "neighbourhoods"
    assert outcome.status is Status.FEASIBLE and outcome.clean
    assert outcome.schedule is not None
    assert outcome.schedule.solver.objective <= outcome.stats["greedy_objective"]
    assert outcome.stats["stopped_by"] == "work_limit"
    # the search has no bound of its own: the whole-plan floors are stated, a valid bound
    bound = outcome.schedule.solver.bound
    assert bound is not None and 0 < bound <= outcome.schedule.solver.objective


def test_hanoi_is_still_one_whole_model() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "hanoi-2025.yaml")
    assert not large.too_large(build_domains(scenario), SolveOptions())


def _hint_is_a_plan(pm: PlanModel) -> bool:
    """The model with every hinted variable fixed at its hint still has a solution."""
    copy = pm.model.clone()
    proto = copy.proto
    for var, value in zip(list(proto.solution_hint.vars), list(proto.solution_hint.values), strict=True):
        copy.add(copy.get_int_var_from_proto_index(var) == value)
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = 5.0
    solver.parameters.num_workers = 1
    return solver.solve(copy) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def test_each_region_starts_from_the_plan_it_was_given(campaign: tuple[Scenario, Domains]) -> None:
    """A region's hint is the current plan, kept visits included, and a whole solution of its
    sub-model; hinting the kept visits "off" made every hint infeasible (the fail pair)."""
    _, dom = campaign
    visits, missing = greedy_visits(dom)
    plan_visits = {v.unit_id: v for v in visits}
    hood = neighbourhoods(dom, plan_visits, "team", 0)[0]
    sub = sub_problem(dom, plan_visits, missing, hood)
    assert sub is not None and sub.kept and len(sub.around) == len(sub.kept)
    pm = region_model(sub)
    assert _hint_is_a_plan(pm)
    free_only = build_model(sub.dom.scenario, None, sub.kept, dom=sub.dom)
    add_hint(free_only, sub.hint, symmetric=False)
    assert not _hint_is_a_plan(free_only)
