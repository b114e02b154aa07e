"""The whole-plan bound's floors (scheduler/plan/pace_bound.py, term_floors.py): each one holds
against plans (a pass/fail pair per floor), and the stated bound never exceeds a plan's price,
proven optima included (hypothesis, small random campaigns; work limits only)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from test_day_routes import short_data
from test_properties import SETTINGS, campaigns

from conftest import make_scenario, tiny_scenario_data
from models.field_work import GroupPolicy
from models.rules import RuleId
from models.scenario import Scenario
from models.schedule import Status
from scheduler.cost.price import plan_cost
from scheduler.plan.bound import pace_floor_total, whole_plan_bound
from scheduler.plan.excused_floor import demands_of, excused_floor
from scheduler.plan.pace_bound import pace_flow_floor
from scheduler.plan.pipeline import CPSAT, GREEDY, plan
from scheduler.plan.route_days import fewest_routes
from scheduler.plan.term_floors import agency_spread_floor, busiest_week, team_balance_floor
from scheduler.problem.domains import build_domains
from scheduler.problem.problem import Problem
from scheduler.search.solve import SolveOptions

FAST = SolveOptions(time_limit_s=2, workers=1, seed=0)
MONTH = {"from": "2025-06-02", "to": "2025-06-27"}  # four whole weeks


def _units(n: int, window: dict[str, str], **extra: Any) -> list[dict[str, Any]]:
    return [{"id": f"U{i}", "name": f"Sở {i}", "kind": "department", "window": window, **extra}
            for i in range(n)]


def _one_team(away: list[dict[str, str]], units: list[dict[str, Any]]) -> Scenario:
    """One team of two (a leader who gives two days a week), both away on ``away``."""
    data = tiny_scenario_data()
    data["teams"] = data["teams"][:1]
    data["members"] = [{**m, "unavailable": away} for m in data["members"][:2]]
    data["members"][0]["max_visits_per_week"] = 2
    data["units"] = units
    data["weights"].update({"early": 0, "pace": 1, "team_balance": 0, "member_balance": 0,
                            "agency_spread": 0})
    return make_scenario(data)


def test_the_pace_flow_sees_weeks_the_team_cannot_work() -> None:
    # the span: the three weeks from 9/6 (starts from the report deadline on); an even pace has
    # 4/3, 8/3, 4 visits done by their ends: |3 done_k - 4 k| >= 1, 1, 0 in whole numbers
    away = _one_team([MONTH | {"to": "2025-06-13"}], _units(4, MONTH))
    there = _one_team([], _units(4, MONTH))
    assert pace_floor_total(away) == pace_floor_total(there) == 2
    assert pace_flow_floor(Problem.of(there).domains()) == 2
    # away in the first week, two visits a week after: 0, 2, 4 done, |0 - 4| + |6 - 8| + 0
    assert pace_flow_floor(Problem.of(away).domains()) == 6
    outcome = plan(away, FAST)
    assert outcome.schedule is not None and outcome.clean
    assert plan_cost(away, outcome.schedule).terms[RuleId.S09_PACE] == 6  # the floor is reached
    assert outcome.schedule.solver.bound == outcome.schedule.solver.objective == 6


def test_the_pace_flow_is_none_when_its_capacities_are_switched_off() -> None:
    scenario = _one_team([MONTH | {"to": "2025-06-13"}], _units(4, MONTH))
    assert pace_flow_floor(build_domains(scenario)) == 6
    assert pace_flow_floor(build_domains(scenario, skip=frozenset({RuleId.H12_WEEKLY}))) is None


def test_team_balance_floor_counts_days_the_teams_cannot_share() -> None:
    data = tiny_scenario_data()
    odd = make_scenario(data)
    data["units"].append({**data["units"][1], "id": "U4", "name": "Sở 4"})
    even = make_scenario(data)
    assert team_balance_floor(odd) == 1  # three days over two teams
    assert team_balance_floor(even) == 0


def test_agency_spread_floor_counts_a_week_the_visits_must_share() -> None:
    week = {"from": "2025-06-09", "to": "2025-06-13"}  # visits start from 9/6 (the reports)
    data = tiny_scenario_data()
    data["units"] = _units(3, week, required_agencies=["SNV"])
    crowded = make_scenario(data)
    data["units"] = _units(3, MONTH, required_agencies=["SNV"])
    spread = make_scenario(data)
    # three SNV visit days in one week: three SNV member-days that week; groups of two: 6 in all
    assert agency_spread_floor(Problem.of(crowded).domains()) == 6
    assert agency_spread_floor(Problem.of(spread).domains()) == 2  # ceil(3 x 2 / 3 weeks of starts)
    for scenario in (crowded, spread):
        outcome = plan(scenario, FAST)
        assert outcome.schedule is not None and outcome.clean
        spread_cost = plan_cost(scenario, outcome.schedule).terms[RuleId.S05_AGENCY_SPREAD]
        assert spread_cost >= 2 * agency_spread_floor(Problem.of(scenario).domains())


def _weighted(s: Scenario, whole_team: bool, required: bool) -> Scenario:
    weights = s.weights.model_copy(update={"pace": 1, "team_days": 60, "team_balance": 20,
                                           "agency_spread": 2, "group_members": 10,
                                           "leader_load": 20})
    rules = s.rules.model_copy(update={"group_policy": GroupPolicy.WHOLE_TEAM,
                                       "leader_days_per_week": 1}) \
        if whole_team else s.rules
    units = [u.model_copy(update={"optional": False}) for u in s.units] if required else s.units
    return s.model_copy(update={"weights": weights, "rules": rules, "units": units})


@given(campaigns(), st.booleans(), st.booleans())
@SETTINGS
def test_no_plan_costs_less_than_the_stated_bound(s: Scenario, whole_team: bool,
                                                  required: bool) -> None:
    s = _weighted(s, whole_team, required)
    bound = whole_plan_bound(Problem.of(s), None)
    assert bound is not None
    for planner in (CPSAT, GREEDY):
        outcome = plan(s, FAST, planner)
        if outcome.schedule is None or not outcome.clean or outcome.status not in (
                Status.OPTIMAL, Status.FEASIBLE):
            continue
        cost = plan_cost(s, outcome.schedule).objective
        assert bound <= cost, (planner.name, bound, cost)  # a proven optimum included
        info = outcome.schedule.solver
        assert info.bound is not None and bound <= info.bound <= cost


def _whole_team(window: dict[str, str]) -> Scenario:
    """One team of three under the whole-team policy; its leader gives two days a week, one
    without S10; its deputy leads on the others."""
    data = tiny_scenario_data()
    data["teams"] = data["teams"][:1]
    data["members"] = data["members"][:3]
    data["members"][0]["max_visits_per_week"] = 2
    data["members"][1]["role"] = "deputy"
    data["units"] = _units(4, window)
    data["rules"].update({"group_policy": "whole_team", "leader_days_per_week": 1})
    data["weights"].update({"early": 0, "team_balance": 0, "member_balance": 0, "agency_spread": 0,
                            "leader_load": 20, "group_members": 10})
    return make_scenario(data)


def test_excused_floor_prices_the_leader_days_a_crowded_week_forces() -> None:
    crowded = _whole_team({"from": "2025-06-09", "to": "2025-06-13"})  # four visits, one week
    spread = _whole_team(MONTH)  # four visits, three weeks of starts: one week holds two
    for scenario, floor in ((crowded, 10 + 2 * 10), (spread, 10)):
        dom = Problem.of(scenario).domains()
        assert excused_floor(dom, demands_of(dom, [])) == floor
        outcome = plan(scenario, FAST)
        assert outcome.schedule is not None and outcome.clean
        terms = plan_cost(scenario, outcome.schedule).terms
        assert terms[RuleId.S10_LEADER_LOAD] + terms[RuleId.S12_GROUP_MEMBERS] >= floor
    # day 2 over the S10 cap: led (20) or excused (10); days 3 and 4 over H12: excused (10 each)
    assert whole_plan_bound(Problem.of(crowded), None) == 30 + pace_floor_total(crowded)


def test_excused_floor_is_none_of_the_minimum_policy() -> None:
    scenario = _whole_team({"from": "2025-06-09", "to": "2025-06-13"})
    rules = scenario.rules.model_copy(update={"group_policy": GroupPolicy.MINIMUM})
    minimum = scenario.model_copy(update={"rules": rules})
    dom = Problem.of(minimum).domains()
    assert excused_floor(dom, demands_of(dom, [])) == 0


def _short(minutes: int, spots: list[tuple[float, float]]) -> Scenario:
    return make_scenario(short_data(minutes=minutes, spots=spots, to="2025-06-13"))


def test_fewest_routes_counts_what_a_session_holds() -> None:
    near = [(21.03, 105.85), (21.031, 105.851), (21.032, 105.852)]
    long, short = _short(150, near), _short(60, near)
    # 450 minutes fill one working day, but a 240- or 210-minute session holds one 150-minute visit
    assert fewest_routes(long, long.units) == 2
    assert fewest_routes(short, short.units) == 1


def test_fewest_routes_counts_pairs_no_day_holds() -> None:
    north, south = (21.159, 105.8573), (20.889, 105.8573)  # 15 km each way: 42 minutes' drive
    apart = _short(180, [north, south])  # 3:00 each + 84 minutes between: past 17:00
    close = _short(180, [north, (21.03, 105.85)])  # the far one in the morning, home by 16:35
    assert fewest_routes(apart, apart.units) == 2
    assert fewest_routes(close, close.units) == 1
    for scenario, days in ((apart, 2), (close, 1)):
        outcome = plan(scenario, FAST)
        assert outcome.schedule is not None and outcome.clean
        assert len({a.route_key for a in outcome.schedule.assignments}) == days  # its day routes


def test_busiest_week_rounds_whole_visit_days() -> None:
    # three visit days in weeks 1-2: one week holds two, groups of two draw four member-days
    assert busiest_week([(1, 2, 3)], 2) == 4
    assert busiest_week([(1, 2, 2)], 2) == 2  # one a week
    assert busiest_week([(1, 1, 1), (1, 3, 2)], 1) == 1  # week 1 holds one; weeks 1-3, one each
