"""Each soft rule: a case where the optimum pays it and one where it does not, with known costs.

Only the rule under test has a weight; the others are 0, so the optimum is known by hand.
The planner must prove it (OPTIMAL), and the checker must agree to the unit.
"""

from __future__ import annotations

from typing import Any

import pytest
from scheduler_helpers import only_weight, solve_checked, window

from conftest import make_scenario, tiny_scenario_data
from models.rules import RuleId
from models.schedule import Status


def optimum(data: dict[str, Any], rule_id: str) -> int:
    result = solve_checked(make_scenario(data))
    assert result.status is Status.OPTIMAL
    info = result.schedule.solver
    assert info.objective == info.bound == info.objective_terms[rule_id]
    return info.objective


def test_team_balance_odd_number_of_units_is_penalised() -> None:
    assert optimum(only_weight(tiny_scenario_data(), "team_balance"), RuleId.S01_TEAM_BALANCE) == 20


def test_team_balance_even_number_of_units_is_free() -> None:
    data = only_weight(tiny_scenario_data(), "team_balance")
    data["units"] = data["units"][:2]
    assert optimum(data, RuleId.S01_TEAM_BALANCE) == 0


def test_team_balance_counts_visit_days() -> None:
    data = only_weight(tiny_scenario_data(), "team_balance")
    data["units"][0]["duration"] = 2  # loads 2 | 1+1
    assert optimum(data, RuleId.S01_TEAM_BALANCE) == 0


@pytest.mark.parametrize(("away", "expected"), [(False, 0), (True, 5)])
def test_member_balance(away: bool, expected: int) -> None:
    data = only_weight(tiny_scenario_data(), "member_balance")
    data["units"] = [dict(data["units"][0], team="D1")]
    if away:  # A3 cannot go, so the team's loads are 1, 1, 0
        data["members"][2]["unavailable"] = [window("2025-06-01", "2025-07-31")]
    assert optimum(data, RuleId.S02_MEMBER_BALANCE) == expected


@pytest.mark.parametrize(("excluded", "expected"), [(None, 0), ("2025-06-11", 3)])
def test_early(excluded: str | None, expected: int) -> None:
    data = only_weight(tiny_scenario_data(), "early")
    data["units"] = data["units"][:1]
    if excluded:  # the first three possible days (09-11/06) are excluded
        data["units"][0]["excluded_dates"] = [window("2025-06-09", excluded)]
    assert optimum(data, RuleId.S03_EARLY) == expected


@pytest.mark.parametrize(("wanted", "expected"), [("2025-06-20", 0), ("2025-06-05", 10)])
def test_preferred(wanted: str, expected: int) -> None:
    data = only_weight(tiny_scenario_data(), "preferred_dates")
    data["units"][0]["preferred_dates"] = [wanted]  # 05/06 is before any visit may take place
    assert optimum(data, RuleId.S04_PREFERRED) == expected


@pytest.mark.parametrize(("same_week", "expected"), [(False, 4), (True, 8)])
def test_agency_spread(same_week: bool, expected: int) -> None:
    """Two visits of two members each: apart, each agency is drawn once a week at most (2
    agencies x 1); in one week the four member-days add up however they are spread."""
    data = only_weight(tiny_scenario_data(), "agency_spread")
    data["units"] = data["units"][:2]
    data["units"][0]["window"] = window("2025-06-09", "2025-06-13")
    second = ("2025-06-09", "2025-06-13") if same_week else ("2025-06-16", "2025-06-20")
    data["units"][1]["window"] = window(*second)
    assert optimum(data, RuleId.S05_AGENCY_SPREAD) == expected


@pytest.mark.parametrize(("possible", "expected"), [(True, 0), (False, 1000)])
def test_optional_left_out(possible: bool, expected: int) -> None:
    data = only_weight(tiny_scenario_data(), "unscheduled_optional")
    data["units"][2]["optional"] = True
    if not possible:
        data["agencies"].append({"id": "STC", "name": "Sở Tài chính"})
        data["units"][2]["required_agencies"] = ["STC"]
    assert optimum(data, RuleId.S06_OPTIONAL) == expected


def test_all_weights_together_checker_agrees() -> None:
    data = tiny_scenario_data()
    data["units"][0]["preferred_dates"] = ["2025-06-12"]
    data["units"][1]["duration"] = 2
    data["members"][1]["max_visits_per_week"] = 1
    result = solve_checked(make_scenario(data))
    assert result.status is Status.OPTIMAL
    assert result.schedule.solver.objective == result.schedule.solver.bound
