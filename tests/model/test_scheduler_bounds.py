"""The S03-early lower bound (scheduler.model.bounds): exact on a hand-made case, never above the
optimum of small cases solved to optimality, and the floor of the bound the solver reports."""

from __future__ import annotations

from typing import Any

import pytest
from scheduler_helpers import only_weight, solve_checked

from conftest import make_scenario, tiny_scenario_data
from models.rules import RuleId
from models.schedule import Status
from scheduler.model.bounds import early_lower_bound
from scheduler.problem.domains import build_domains


def crowded(units: int, **member_changes: Any) -> dict[str, Any]:
    """``units`` units with the same window: the teams' leads decide how late some must go."""
    data = only_weight(tiny_scenario_data(), "early")
    template = data["units"][1]
    data["units"] = [{**template, "id": f"U{i}", "name": f"Đơn vị {i}"} for i in range(units)]
    for member in data["members"]:
        member.update(member_changes.get(member["id"], {}))
    return data


def test_two_teams_with_one_lead_each_take_two_visits_a_day() -> None:
    # Six units, two leads (one a team, one visit a day each): days b, b, b+1, b+1, b+2, b+2.
    dom = build_domains(make_scenario(crowded(6)))
    assert early_lower_bound(dom) == 0 + 0 + 1 + 1 + 2 + 2


def test_weekly_limit_of_the_leads_pushes_visits_to_the_next_week() -> None:
    # One visit day a week per lead: two visits a week; with six units, weeks 0, 1 and 2.
    data = crowded(6, A1={"max_visits_per_week": 1}, B1={"max_visits_per_week": 1})
    scenario = make_scenario(data)
    dom = build_domains(scenario)
    lb = early_lower_bound(dom)
    assert lb is not None and lb > 6  # later than the day-by-day packing above
    result = solve_checked(scenario, time_limit_s=20)
    assert result.status is Status.OPTIMAL
    assert lb <= result.schedule.solver.objective_terms[RuleId.S03_EARLY]


@pytest.mark.parametrize("changes", [
    {},
    {"A1": {"unavailable": ["2025-06-02", "2025-06-03"]}},
    {"A1": {"max_visits_per_week": 2}, "B1": {"unavailable": [{"from": "2025-06-02",
                                                               "to": "2025-06-06"}]}},
])
def test_bound_never_exceeds_the_proven_optimum(changes: dict[str, Any]) -> None:
    scenario = make_scenario(crowded(5, **changes))
    lb = early_lower_bound(build_domains(scenario))
    result = solve_checked(scenario, time_limit_s=20)
    assert result.status is Status.OPTIMAL
    assert lb is not None
    assert lb <= result.schedule.solver.objective_terms[RuleId.S03_EARLY]
    # The reported bound is the proven optimum, never below the relaxation's floor.
    assert result.schedule.solver.bound == result.schedule.solver.objective >= lb


def test_no_bound_when_a_rule_it_relies_on_is_switched_off() -> None:
    scenario = make_scenario(crowded(3))
    assert early_lower_bound(build_domains(scenario, skip=frozenset({RuleId.H06_LEAD}))) is None
