"""S09-pace: an even pace over each window, in the model and the cost alike."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model
from scheduler_helpers import only_weight, solve_checked

from conftest import make_scenario, tiny_scenario_data
from models.rules import RuleId
from models.schedule import Status
from scheduler.cost.price import plan_cost
from scheduler.model.build import build_model
from scheduler.problem.pace import (
    PaceGroup,
    least_deviation,
    pace_floor,
    pace_groups,
    pace_penalty,
)
from scheduler.search.solve import SolveOptions, solve

WINDOW = {"from": "2025-06-16", "to": "2025-07-25"}


def _campaign(weight: int) -> dict:
    data = only_weight(tiny_scenario_data(), "early", 0)
    data["weights"]["pace"] = weight
    data["units"] = [{"id": f"V{i}", "name": f"Đơn vị {i}", "kind": "department",
                      "window": WINDOW} for i in range(6)]
    return data


def test_the_even_line_and_its_deviation() -> None:
    group = PaceGroup(("a", "b", "c", "d"), (1, 2, 3, 4))
    assert pace_penalty(group, [1, 2, 3, 4]) == 0  # one a week: on the line
    # counted in quarter-visits (1/W): 3, 2 and 1 visits ahead of the line after weeks 1-3
    assert pace_penalty(group, [1, 1, 1, 1]) == 4 * (3 + 2 + 1)
    assert pace_penalty(group, [4, 4, 4, 4]) == 4 * (1 + 2 + 3)  # all in the last week


def test_a_proven_plan_spreads_the_window_and_prices_as_the_cost() -> None:
    scenario = make_scenario(_campaign(10))
    groups = pace_groups(scenario, scenario.work_calendar())
    assert len(groups) == 1 and len(groups[0].unit_ids) == 6
    result = solve_checked(scenario, time_limit_s=20)
    assert result.status is Status.OPTIMAL  # solve_checked: CP-SAT's objective == plan_cost
    starts = sorted(a.start for a in result.schedule.assignments)
    assert starts[-1] - starts[0] >= (date(2025, 7, 14) - date(2025, 6, 24)) * 0.6
    front_loaded = make_scenario(_campaign(0))
    early = solve_checked(front_loaded, time_limit_s=20).schedule
    assert plan_cost(scenario, early).terms[RuleId.S09_PACE] >= \
        result.schedule.solver.objective_terms[RuleId.S09_PACE]


def test_each_level_of_a_window_has_its_own_pace_line() -> None:
    data = _campaign(10)
    for unit in data["units"][3:]:
        unit["kind"] = "commune"
    data["rules"]["commune_level_from"] = "2025-07-01"
    scenario = make_scenario(data)
    cal = scenario.work_calendar()
    groups = sorted(pace_groups(scenario, cal), key=lambda g: g.unit_ids)
    assert [g.unit_ids for g in groups] == [("V0", "V1", "V2"), ("V3", "V4", "V5")]
    departments, communes = groups
    assert communes.weeks[0] == cal.week_of_date(date(2025, 7, 7))  # exist 01/07, notice first
    assert departments.weeks[0] < communes.weeks[0]


def test_the_pace_line_ends_when_field_work_ends() -> None:
    data = _campaign(10)
    whole = make_scenario(data)
    data["campaign"]["fieldwork_ends"] = "2025-07-04"
    cut = make_scenario(data)
    (line,), (shorter,) = pace_groups(whole, whole.work_calendar()), pace_groups(cut, cut.work_calendar())
    assert shorter.weeks[-1] == cut.work_calendar().week_of_date(date(2025, 7, 4))
    assert shorter.weeks == line.weeks[: len(shorter.weeks)] and len(shorter.weeks) < len(line.weeks)


def test_each_week_strays_at_least_its_whole_number_distance() -> None:
    group = PaceGroup(tuple("abcde"), (1, 2, 3))
    assert [least_deviation(3, 5, k) for k in (1, 2, 3)] == [1, 1, 0]  # 5/3, 10/3 off the line
    assert pace_floor(group, 5) == 2 == pace_penalty(group, [1, 1, 2, 3, 3])  # attained


@given(st.integers(2, 9), st.lists(st.integers(0, 10), min_size=1, max_size=12))
@settings(max_examples=200, deadline=None)
def test_no_plan_is_below_the_pace_floor(size: int, weeks: list[int]) -> None:
    group = PaceGroup(tuple(f"u{i}" for i in range(len(weeks))), tuple(range(1, size + 1)))
    assert pace_penalty(group, weeks) >= pace_floor(group, len(weeks))


def test_the_models_bound_starts_at_the_pace_floor_and_the_optimum_stays_above() -> None:
    data = _campaign(10)
    data["units"] = data["units"][:5]  # 5 visits over 6 weeks: no week can be on the line
    scenario = make_scenario(data)
    floor = 10 * sum(pace_floor(g, len(g.unit_ids))
                     for g in pace_groups(scenario, scenario.work_calendar()))
    assert floor > 0
    root = cp_model.CpSolver()  # the bound before any search: the LP alone would say 0
    root.parameters.max_number_of_conflicts = 0
    root.parameters.num_workers = 1
    root.solve(build_model(scenario).model)
    assert root.best_objective_bound >= floor
    proven = solve_checked(scenario, time_limit_s=20)
    assert proven.status is Status.OPTIMAL and proven.schedule.solver.objective is not None
    assert floor <= proven.schedule.solver.objective


@given(units=st.integers(2, 6), weeks=st.integers(2, 5), optional=st.booleans(),
       weight=st.integers(1, 5))
@settings(max_examples=6, deadline=None)
def test_a_bound_stated_early_is_never_above_the_proven_optimum(
        units: int, weeks: int, optional: bool, weight: int) -> None:
    data = _campaign(weight)
    data["units"] = data["units"][:units]
    for unit in data["units"]:
        unit["window"] = {"from": "2025-06-16", "to": str(date(2025, 6, 13) + timedelta(weeks=weeks))}
    data["units"][0]["optional"] = optional
    scenario = make_scenario(data)
    early = solve(scenario, SolveOptions(time_limit_s=0.05, workers=1, seed=0)).schedule.solver
    proven = solve_checked(scenario, time_limit_s=20)
    assert proven.status is Status.OPTIMAL and proven.schedule.solver.objective is not None
    assert early.bound is None or early.bound <= proven.schedule.solver.objective
