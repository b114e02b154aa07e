"""S10-leader-load: a Trưởng đoàn's visit days in a calendar week above ``leader_days_per_week``,
in the model and the cost alike. A route's short visits are one visit-day; a multi-day visit
counts each of its days in its own week; without a cap nothing counts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from scheduler_helpers import only_weight, solve_checked, window
from test_checker import build
from test_day_routes import short_data

import scheduler.model.build
from conftest import make_scenario, tiny_scenario_data
from models.rules import RuleId
from models.schedule import Assignment, SolverInfo, Status
from scheduler.cost.price import plan_cost
from scheduler.plan.pipeline import plan
from scheduler.problem.schedule_build import make_assignment, schedule_skeleton
from scheduler.routing.stage import route_assignments
from scheduler.search.solve import SolveOptions, solve

S10 = RuleId.S10_LEADER_LOAD


def _data(cap: int | None, weight: int = 10) -> dict[str, Any]:
    data = only_weight(tiny_scenario_data(), "leader_load", weight)
    data["rules"]["leader_days_per_week"] = cap
    return data


def _s10(data: dict[str, Any], plan: dict) -> int:
    scenario = make_scenario(data)
    return plan_cost(scenario, build(scenario, plan)).terms[S10]


# --- the cost, by hand -----------------------------------------------------------------------------

# A1 (Trưởng đoàn of D1) and A2 (secretary) on three visits in the week of Mon 09/06/2025.
THREE_DAYS = {"U1": ("D1", "2025-06-09", ["A1", "A2"], "A1"),
              "U2": ("D1", "2025-06-10", ["A1", "A2"], "A1"),
              "U3": ("D1", "2025-06-11", ["A1", "A2"], "A1")}


def test_a_leaders_days_above_the_cap_count_and_other_members_do_not() -> None:
    assert _s10(_data(2), THREE_DAYS) == 10  # 3 days, cap 2: one day above (A2 is no leader)
    assert _s10(_data(3), THREE_DAYS) == 0
    assert _s10(_data(None), THREE_DAYS) == 0  # no cap: nothing counts
    # the third visit a week later: two days in each week, none above
    assert _s10(_data(2), {**THREE_DAYS, "U3": ("D1", "2025-06-16", ["A1", "A2"], "A1")}) == 0


def test_a_multi_day_visit_counts_each_day_in_its_own_week() -> None:
    data = _data(2)
    data["units"][0]["duration"] = 3  # U1 from Thu 12/06: Thu, Fri and Mon 16/06
    plan = {**THREE_DAYS, "U1": ("D1", "2025-06-12", ["A1", "A2"], "A1")}
    assert _s10(data, plan) == 10 * (4 - 2)  # 10, 11, 12, 13/06 in the first week; 16/06 alone


def test_the_short_visits_of_one_route_are_one_day() -> None:
    data = short_data(to="2025-06-13")
    data["weights"]["leader_load"] = 1
    data["rules"]["leader_days_per_week"] = 1
    scenario = make_scenario(data)
    cal = scenario.work_calendar()

    def route(unit_ids: list[str], day: str) -> list[Assignment]:
        visit = make_assignment(scenario, cal, unit_ids[0], "D1", date.fromisoformat(day),
                                ["A1", "A2"], "A1")
        return route_assignments(scenario, unit_ids, visit)

    visits = route(["V1", "V2", "V3"], "2025-06-09") + route(["V4", "V5"], "2025-06-10")
    schedule = schedule_skeleton(scenario, visits, SolverInfo(status=Status.FEASIBLE))
    assert plan_cost(scenario, schedule).terms[S10] == 2 - 1  # two route days, not five visits


# --- the model prices as the cost ------------------------------------------------------------------


def _pinned(leader_load: int, early: int = 0, durations: tuple[int, ...] = (1, 1, 1, 1)
            ) -> dict[str, Any]:
    """D1's whole team (min_group_size 3) on every visit of units pinned to D1 over two weeks:
    the Trưởng đoàn goes on every one, so only the days chosen move his weekly load."""
    data = _data(1, leader_load)
    data["weights"]["early"] = early
    data["rules"]["min_group_size"] = 3
    data["units"] = [{"id": f"V{i}", "name": f"Đơn vị {i}", "kind": "department", "team": "D1",
                      "duration": n, "window": window("2025-06-09", "2025-06-20")}
                     for i, n in enumerate(durations)]
    return data


@pytest.mark.parametrize("durations", [(1, 1, 1, 1), (3, 1)])
@pytest.mark.parametrize("per_team_days", [False, True])
def test_a_proven_plan_spreads_the_leaders_weeks_and_prices_as_the_cost(
        monkeypatch: pytest.MonkeyPatch, per_team_days: bool, durations: tuple[int, ...]) -> None:
    if per_team_days:  # one start boolean per team (big scenarios) instead of shared ones
        monkeypatch.setattr(scheduler.model.build, "SHARED_DAYS_MAX_UNITS", 0)
    scenario = make_scenario(_pinned(10, durations=durations))
    result = solve_checked(scenario)  # asserts CP-SAT's objective == plan_cost
    assert result.status is Status.OPTIMAL
    # four visit days over two weeks, cap 1: at best two a week, one above the cap in each
    assert result.schedule.solver.objective_terms[S10] == 10 * 2
    # Without the term, an early plan packs the four days into the first week (3 above the cap)
    front = solve_checked(make_scenario(_pinned(0, early=1, durations=durations))).schedule
    assert plan_cost(scenario, front).terms[S10] > result.schedule.solver.objective_terms[S10]


def test_a_fixed_visit_is_priced_with_the_others() -> None:
    scenario = make_scenario(_pinned(10))
    kept = make_assignment(scenario, scenario.work_calendar(), "V0", "D1", date(2025, 6, 9),
                           ["A1", "A2", "A3"], "A1")
    result = solve(scenario, SolveOptions(time_limit_s=20, workers=1, seed=0, fixed={"V0": kept}))
    assert result.status is Status.OPTIMAL
    assert result.stats["solver_objective"] == result.schedule.solver.objective == \
        plan_cost(scenario, result.schedule).objective == 10 * 2


def test_day_routes_are_priced_as_one_day_each() -> None:
    data = short_data(minutes=150)  # five visits of 150 min: three routes, one a day
    data["weights"]["leader_load"] = 1
    data["rules"]["leader_days_per_week"] = 1
    data["rules"]["min_group_size"] = 3  # the whole of D1, its Trưởng đoàn too, on every route
    for unit in data["units"]:
        unit["window"] = window("2025-06-09", "2025-06-13")
    scenario = make_scenario(data)
    outcome = plan(scenario, SolveOptions(time_limit_s=10, workers=1, seed=0))
    # The calendar model proves its plan for the given routes; the plan as a whole is OPTIMAL only
    # when the whole-plan bound (which knows nothing of S10) reaches its price.
    assert outcome.stats["planner_status"] == Status.OPTIMAL.value
    assert outcome.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert outcome.schedule is not None and outcome.clean
    days = {a.start for a in outcome.schedule.assignments}
    assert outcome.schedule.solver.objective_terms[S10] == len(days) - 1 < 5 - 1
    assert outcome.stats["solver_objective"] == outcome.schedule.solver.objective
