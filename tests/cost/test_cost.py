"""The one cost (scheduler.cost.price): S01-S06 and R01-R05 of a plan, and the CP-SAT model prices
plans the same way (soft rules: tests/test_scheduler_soft.py through ``solve_checked``; change
costs: a proven re-plan here, with every R-term paid)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from typing import Any

import pytest

from conftest import ROOT, make_scenario, tiny_scenario_data
from models.rules import CHANGE_RULES, SOFT_RULES, RuleId
from models.scenario import Scenario
from models.schedule import Assignment, SolverInfo, Status, VisitState
from scheduler.cost.price import CHANGE_COSTS, ChangeCosts, change_terms, plan_cost
from scheduler.problem.schedule_build import make_assignment, schedule_skeleton
from scheduler.replan.neighbourhoods import change_terms as change_model_terms
from scheduler.search.solve import SolveOptions, solve

D = date.fromisoformat


def visit(scenario: Scenario, unit: str, team: str, day: str, members: list[str],
          state: VisitState = VisitState.PLANNED) -> Assignment:
    return make_assignment(scenario, scenario.work_calendar(), unit, team, D(day), members,
                           members[0], state)


def schedule_of(scenario: Scenario, assignments: list[Assignment]) -> Any:
    return schedule_skeleton(scenario, assignments, SolverInfo(status=Status.FEASIBLE), [])


@pytest.fixture
def tiny() -> Scenario:
    return make_scenario(tiny_scenario_data())


def test_terms_are_keyed_by_every_soft_rule_and_priced_by_its_weight(tiny: Scenario) -> None:
    plan = schedule_of(tiny, [visit(tiny, "U1", "D1", "2025-06-10", ["A1", "A2"]),
                              visit(tiny, "U2", "D1", "2025-06-11", ["A1", "A3"])])
    cost = plan_cost(tiny, plan)
    assert set(cost.terms) == {r.id for r in SOFT_RULES}
    # D1 has 2 visit days, D2 none; A1 2 days, A2/A3 1, B* 0; U1 starts 1 day late, U2 2 days;
    # SNV draws 2 member-days that week, SKHCN 1, STP 1; U3 is not optional, so S06 is 0.
    w = tiny.weights
    assert cost.terms[RuleId.S01_TEAM_BALANCE] == 2 * w.team_balance
    assert cost.terms[RuleId.S02_MEMBER_BALANCE] == (1 + 0) * w.member_balance
    assert cost.terms[RuleId.S03_EARLY] == (1 + 2) * w.early
    assert cost.terms[RuleId.S05_AGENCY_SPREAD] == (2 + 1 + 1) * w.agency_spread
    assert cost.objective == cost.total == sum(cost.terms.values())


def test_a_start_off_the_working_days_counts_from_the_next_one(tiny: Scenario) -> None:
    """S03 has one meaning: a start on a Saturday (an H02 break) counts from Monday, not raises."""
    saturday = visit(tiny, "U1", "D1", "2025-06-09", ["A1", "A2"]).model_copy(
        update={"start": D("2025-06-14"), "end": D("2025-06-14")})
    monday = visit(tiny, "U1", "D1", "2025-06-16", ["A1", "A2"])
    early = [plan_cost(tiny, schedule_of(tiny, [a])).terms[RuleId.S03_EARLY]
             for a in (saturday, monday)]
    assert early[0] == early[1] == 5 * tiny.weights.early


def test_cancelled_and_unknown_visits_are_priced_not_raised(tiny: Scenario) -> None:
    kept = visit(tiny, "U1", "D1", "2025-06-09", ["A1", "A2"])
    cancelled = visit(tiny, "U2", "D2", "2025-06-09", ["B1", "B2"], VisitState.CANCELLED)
    ghost = kept.model_copy(update={"unit_id": "U9", "team_id": "D9", "member_ids": ["Z1"]})
    alone = plan_cost(tiny, schedule_of(tiny, [kept])).terms
    assert plan_cost(tiny, schedule_of(tiny, [kept, cancelled, ghost])).terms == alone


def test_change_terms_price_each_change_once(tiny: Scenario) -> None:
    cal = tiny.work_calendar()
    refs = {"U1": visit(tiny, "U1", "D1", "2025-06-09", ["A1", "A2"], VisitState.ANNOUNCED),
            "U2": visit(tiny, "U2", "D2", "2025-06-09", ["B1", "B2"])}
    new = schedule_of(tiny, [visit(tiny, "U1", "D1", "2025-06-12", ["A1", "A2"]),
                             visit(tiny, "U2", "D1", "2025-06-09", ["A1", "A3"])])
    c = ChangeCosts(announced_moved=7, announced_team=11, planned_moved=13, planned_team=17,
                    member_changed=19, per_day_shifted=23)
    assert change_terms(refs, new, cal, c) == {
        RuleId.R01_MOVED_ANNOUNCED: 7,  # U1 moved 3 working days, team and group kept
        RuleId.R02_MOVED_PLANNED: 0,
        RuleId.R03_TEAM_CHANGED: 17,  # U2 went to D1 on the same day
        RuleId.R04_MEMBERS_CHANGED: 19 * 4,  # B1, B2 left; A1, A3 joined
        RuleId.R05_DAYS_SHIFTED: 23 * 3,
    }
    cost = plan_cost(tiny, new, cal, refs, c)
    assert set(cost.terms) == {r.id for r in [*SOFT_RULES, *CHANGE_RULES]}
    assert cost.total == cost.objective + 7 + 17 + 19 * 4 + 23 * 3


def test_a_proven_replan_is_priced_by_cp_sat_as_by_the_cost_function() -> None:
    """Every R-term is paid: U1 was announced on a day now too early (R01, R05), U2 and U3 were
    both given to D2 on their one possible day (one moves team and group: R03, R04), U4's
    planned day became excluded (R02, R05). CP-SAT's objective must equal the cost's total."""
    data = tiny_scenario_data()
    day = {"from": "2025-06-09", "to": "2025-06-09"}
    data["units"][1]["window"] = day
    data["units"][2]["window"] = day
    data["units"].append({"id": "U4", "name": "Sở Xây dựng", "kind": "department",
                          "window": {"from": "2025-06-02", "to": "2025-07-31"},
                          "excluded_dates": ["2025-06-10"]})
    scenario = make_scenario(data)
    cal = scenario.work_calendar()
    refs = {"U1": visit(scenario, "U1", "D1", "2025-06-05", ["A1", "A2"], VisitState.ANNOUNCED),
            "U2": visit(scenario, "U2", "D2", "2025-06-09", ["B1", "B2"]),
            "U3": visit(scenario, "U3", "D2", "2025-06-09", ["B1", "B3"]),
            "U4": visit(scenario, "U4", "D1", "2025-06-10", ["A1", "A3"])}
    result = solve(scenario, SolveOptions(time_limit_s=20, workers=1, seed=0,
                                          extra_terms=change_model_terms(refs, CHANGE_COSTS, cal)))
    assert result.status is Status.OPTIMAL
    cost = plan_cost(scenario, result.schedule, cal, refs)
    assert all(cost.terms[r.id] > 0 for r in CHANGE_RULES), cost.terms
    assert result.stats["solver_objective"] == cost.total
    assert result.schedule.solver.objective_terms == cost.terms


def test_cost_does_not_import_ortools() -> None:
    code = "import sys, scheduler.cost.price, scheduler.problem.capacity; assert 'ortools' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
