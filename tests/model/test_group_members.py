"""The whole team by default (Kế hoạch 114/KH-UBND §IV.3) and S12-group-members, in the model and
the cost alike: excused members of a whole-team visit cost, extra members under ``minimum`` cost,
a unit's own group_size is exact and costs nothing."""

from __future__ import annotations

from typing import Any

import pytest
from scheduler_helpers import only_weight, solve_checked, window
from test_checker import build

import scheduler.model.build
from conftest import make_scenario, tiny_scenario_data
from models.rules import RuleId
from models.schedule import Status
from scheduler.cost.price import plan_cost

S12 = RuleId.S12_GROUP_MEMBERS


def _data(policy: str, weight: int = 10) -> dict[str, Any]:
    data = only_weight(tiny_scenario_data(), "group_members", weight)
    data["rules"]["group_policy"] = policy
    data["members"].append({"id": "A4", "label": "Thành viên", "agency": "STP", "team": "D1",
                            "unavailable": ["2025-06-10"]})
    return data


def _s12(data: dict[str, Any], plan: dict) -> int:
    scenario = make_scenario(data)
    return plan_cost(scenario, build(scenario, plan)).terms[S12]


# --- the cost, by hand -----------------------------------------------------------------------------


def test_whole_team_counts_each_member_left_behind_who_could_go() -> None:
    data = _data("whole_team")
    whole = {"U1": ("D1", "2025-06-09", ["A1", "A2", "A3", "A4"], "A1"),
             "U2": ("D2", "2025-06-09", ["B1", "B2", "B3"], "B1"),
             "U3": ("D2", "2025-07-10", ["B1", "B2", "B3"], "B1")}
    assert _s12(data, whole) == 0
    # A4 stays behind on a day he could go: one member-day, weighted 10
    assert _s12(data, {**whole, "U1": ("D1", "2025-06-09", ["A1", "A2", "A3"], "A1")}) == 10
    # ... but not on the day he is away (10/06), nor on a unit of his own agency (conflict):
    assert _s12(data, {**whole, "U1": ("D1", "2025-06-10", ["A1", "A2", "A3"], "A1")}) == 0
    data["units"][1]["agency"] = "STP"
    assert _s12(data, {**whole, "U2": ("D1", "2025-06-11", ["A1", "A2"], "A1"),
                       "U1": ("D2", "2025-06-11", ["B1", "B2", "B3"], "B1")}) == 0


def test_minimum_counts_members_above_the_floor_and_a_units_own_size_counts_nothing() -> None:
    data = _data("minimum")
    plan = {"U1": ("D1", "2025-06-09", ["A1", "A2", "A3", "A4"], "A1"),  # 2 above the floor of 2
            "U2": ("D2", "2025-06-09", ["B1", "B2"], "B1"),
            "U3": ("D2", "2025-07-10", ["B1", "B2", "B3"], "B1")}  # 1 above
    assert _s12(data, plan) == 30
    data["units"][0]["group_size"] = 4
    assert _s12(data, plan) == 10


def test_a_team_with_sub_teams_is_priced_like_the_minimum() -> None:
    data = _data("whole_team")
    data["teams"][0]["parallel_subteams"] = 2
    plan = {"U1": ("D1", "2025-06-09", ["A1", "A2"], "A1"),  # a sub-team of two: nobody excused
            "U2": ("D1", "2025-06-09", ["A3", "A4"], "A3"),
            "U3": ("D2", "2025-07-10", ["B1", "B2", "B3"], "B1")}
    assert _s12(data, plan) == 0


# --- the model prices as the cost ------------------------------------------------------------------


@pytest.mark.parametrize("per_team_days", [False, True])
def test_whole_team_plans_send_everyone_who_can_go(monkeypatch: pytest.MonkeyPatch,
                                                   per_team_days: bool) -> None:
    if per_team_days:  # one start boolean per team (big scenarios) instead of shared ones
        monkeypatch.setattr(scheduler.model.build, "SHARED_DAYS_MAX_UNITS", 0)
    data = _data("whole_team")
    data["weights"]["member_balance"] = 5  # balance must not buy absences
    result = solve_checked(make_scenario(data))  # CP-SAT's objective == plan_cost
    assert result.status is Status.OPTIMAL
    assert result.schedule.solver.objective_terms[S12] == 0
    assert all(len(a.member_ids) in (3, 4) for a in result.schedule.assignments)


@pytest.mark.parametrize("per_team_days", [False, True])
def test_a_weekly_limit_forces_an_excuse_and_prices_it_exactly(monkeypatch: pytest.MonkeyPatch,
                                                               per_team_days: bool) -> None:
    if per_team_days:
        monkeypatch.setattr(scheduler.model.build, "SHARED_DAYS_MAX_UNITS", 0)
    data = _data("whole_team")
    data["units"] = [{"id": f"V{i}", "name": f"Đơn vị {i}", "kind": "department", "team": "D2",
                      "window": window("2025-06-09", "2025-06-13")} for i in range(3)]
    data["members"][5]["max_visits_per_week"] = 2  # B3 can make two of D2's three visits
    result = solve_checked(make_scenario(data))
    assert result.status is Status.OPTIMAL
    assert result.schedule.solver.objective_terms[S12] == 10  # B3 excused once


def test_minimum_plans_never_pad_groups_to_balance_days() -> None:
    data = _data("minimum")
    data["weights"]["member_balance"] = 5
    result = solve_checked(make_scenario(data))
    assert result.status is Status.OPTIMAL
    assert all(len(a.member_ids) == 2 for a in result.schedule.assignments)
    assert result.schedule.solver.objective_terms[S12] == 0
