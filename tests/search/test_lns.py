"""Neighbourhood search on large campaigns: never worse than its start, checker-clean, the same
plan for 1 and 2 workers, and taken by the CP-SAT planner above the size threshold."""

from __future__ import annotations

import math
from dataclasses import replace
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
from scheduler.problem.pace import pace_penalty
from scheduler.search import large
from scheduler.search import neighbourhoods as neighbourhoods_module
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


def _solved_at_hint(pm: PlanModel) -> cp_model.CpSolver | None:
    """The model solved with every hinted variable fixed at its hint; None when that has no
    solution (the hint is no plan of the model)."""
    copy = pm.model.clone()
    proto = copy.proto
    for var, value in zip(list(proto.solution_hint.vars), list(proto.solution_hint.values), strict=True):
        copy.add(copy.get_int_var_from_proto_index(var) == value)
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = 5.0
    solver.parameters.num_workers = 1
    return solver if solver.solve(copy) in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


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
    assert _solved_at_hint(pm) is not None
    free_only = build_model(sub.dom.scenario, None, sub.kept, dom=sub.dom)
    add_hint(free_only, sub.hint, symmetric=False)
    assert _solved_at_hint(free_only) is None


def test_a_region_of_a_large_plan_prices_pace_on_the_whole_line(
        campaign: tuple[Scenario, Domains], monkeypatch: pytest.MonkeyPatch) -> None:
    """Above WHOLE_PLAN_MAX_UNITS a region keeps only the visits around it; its S09 is still the
    whole plan's (the groups' visits outside it fixed), so the region at its current plan prices
    pace as the plan does. Without the outside visits it prices another line (the fail pair)."""
    monkeypatch.setattr(neighbourhoods_module, "WHOLE_PLAN_MAX_UNITS", 10)
    scenario, dom = campaign
    visits, missing = greedy_visits(dom)
    plan_visits = {v.unit_id: v for v in visits}
    hood = neighbourhoods(dom, plan_visits, "weeks", 0)[3]
    sub = sub_problem(dom, plan_visits, missing, hood)
    assert sub is not None and sub.dom.pace_outside
    assert len(sub.dom.units) < len(dom.units)  # only the region's teams around its weeks
    starts = {uid: dom.week(v.start) for uid, v in plan_visits.items()}
    whole = scenario.weights.pace * sum(  # the plan's S09 on the groups the region touches
        pace_penalty(g, g.unit_weeks(starts))
        for g in dom.pace_groups() if g.key in sub.dom.pace_outside)
    assert whole > 0
    assert _pace_at_hint(region_model(sub)) == whole
    alone = replace(sub, dom=replace(sub.dom, pace_outside={}))
    assert _pace_at_hint(region_model(alone)) != whole


def _pace_at_hint(pm: PlanModel) -> int:
    """The S09 term, weighted, of the model with every hinted variable fixed at its hint."""
    solver = _solved_at_hint(pm)
    assert solver is not None
    return sum(w * int(solver.value(expr)) for rule, expr, w in pm.terms if rule == "S09-pace")
