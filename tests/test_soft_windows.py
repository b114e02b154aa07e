"""Expected windows ("thời gian dự kiến") and S11-outside-window, in the model and the cost alike:
a binding window is never left (H02); an expected one may be, at a cost per working day."""

from __future__ import annotations

from typing import Any

import pytest
from scheduler_helpers import only_weight, solve_checked, window
from test_checker import build

import scheduler.model
from conftest import make_scenario, tiny_scenario_data
from models.rules import RuleId
from models.schedule import Status
from scheduler.checker import check_schedule
from scheduler.cost import plan_cost

S11 = RuleId.S11_OUTSIDE_WINDOW
GROUP_D1 = ["A1", "A2"]


def _data(expected: bool, weight: int = 100) -> dict[str, Any]:
    data = only_weight(tiny_scenario_data(), "outside_window", weight)
    for u in data["units"]:  # Mon 16/06 - Fri 20/06/2025
        u["window"] = {**window("2025-06-16", "2025-06-20"), "expected": expected}
        u["team"] = "D1"
    return data


def _priced(data: dict[str, Any], start: str) -> tuple[int, set[str]]:
    scenario = make_scenario(data)
    plan = {"U1": ("D1", start, GROUP_D1, "A1"), "U2": ("D1", "2025-06-17", GROUP_D1, "A1"),
            "U3": None}
    schedule = build(scenario, plan)
    report = check_schedule(scenario, schedule)
    return plan_cost(scenario, schedule).terms[S11], {v.rule_id for v in report.violations}


def test_days_before_and_after_an_expected_window_cost_per_working_day() -> None:
    data = _data(True)
    data["units"][2]["optional"] = True
    assert _priced(data, "2025-06-18") == (0, set())
    assert _priced(data, "2025-06-12") == (200, set())  # Thu 12/06: two working days before
    assert _priced(data, "2025-06-24") == (200, set())  # Tue 24/06: two after Fri 20/06


def test_a_binding_window_left_is_an_h02_violation_and_costs_nothing_here() -> None:
    data = _data(False)
    data["units"][2]["optional"] = True
    cost, rules = _priced(data, "2025-06-24")
    assert cost == 0 and RuleId.H02_WINDOW in rules


def _crowded(expected: bool) -> dict[str, Any]:
    """Three visits for team D1 in a two-day window: one must go outside it."""
    data = _data(expected)
    for u in data["units"]:
        u["window"] = {**window("2025-06-16", "2025-06-17"), "expected": expected}
    return data


@pytest.mark.parametrize("per_team_days", [False, True])
def test_an_expected_window_turns_an_impossible_plan_into_a_priced_one(
        monkeypatch: pytest.MonkeyPatch, per_team_days: bool) -> None:
    if per_team_days:  # one start boolean per team (big scenarios) instead of shared ones
        monkeypatch.setattr(scheduler.model, "SHARED_DAYS_MAX_UNITS", 0)
    assert solve_checked(make_scenario(_crowded(False))).status is Status.INFEASIBLE
    result = solve_checked(make_scenario(_crowded(True)))  # CP-SAT's objective == plan_cost
    assert result.status is Status.OPTIMAL
    assert result.schedule.solver.objective_terms[S11] == 100  # one visit one day outside


def test_with_room_inside_every_visit_stays_in_its_expected_window() -> None:
    data = _data(True)
    data["weights"]["early"] = 1  # early counts from the window, so it cannot pull visits out
    result = solve_checked(make_scenario(data))
    assert result.status is Status.OPTIMAL
    assert result.schedule.solver.objective_terms[S11] == 0
    assert all(a.start.isoformat() >= "2025-06-16" for a in result.schedule.assignments)
