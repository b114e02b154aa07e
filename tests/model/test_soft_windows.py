"""Expected windows (thời gian dự kiến, Kế hoạch 114/KH-UBND) and S11-outside-window.

A binding window cuts a visit's days (H02-window); an expected one only prices the working days a
visit lies outside it, in the model and the cost alike (``models.timing.days_outside_window``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from scheduler_helpers import only_weight, solve_checked, window

from conftest import make_scenario, tiny_scenario_data
from models.rules import RuleId
from models.scenario import Scenario
from models.schedule import Schedule, SolverInfo, Status
from models.timing import days_outside_window
from scheduler.check.checker import check_schedule
from scheduler.cost.price import plan_cost
from scheduler.plan.pipeline import greedy_schedule
from scheduler.problem.pace import pace_groups
from scheduler.problem.schedule_build import make_assignment, schedule_skeleton
from scheduler.routing.stage import route_scenario
from scheduler.search.precheck import precheck

D = date.fromisoformat
WEEK = ("2025-06-16", "2025-06-20")  # Monday to Friday, no holiday


def _one_unit(expected: bool, duration: int = 1, first: str = WEEK[0], last: str = WEEK[1],
              weight: int = 1) -> Scenario:
    """The tiny scenario with one unit whose window is ``first``..``last``."""
    data = only_weight(tiny_scenario_data(), "outside_window", weight)
    data["units"] = [{"id": "U", "name": "Sở Du lịch", "kind": "department", "duration": duration,
                      "window": {**window(first, last), "expected": expected}}]
    return make_scenario(data)


def _plan(scenario: Scenario, day: str) -> Schedule:
    visit = make_assignment(scenario, scenario.work_calendar(), "U", "D1", D(day), ["A1", "A2"], "A1")
    return schedule_skeleton(scenario, [visit], SolverInfo(status=Status.FEASIBLE))


# --- the count, and the cost that uses it -------------------------------------------------------


@pytest.mark.parametrize(("day", "duration", "outside"), [
    ("2025-06-18", 1, 0),  # inside
    ("2025-06-16", 1, 0),  # on the first day
    ("2025-06-12", 1, 2),  # Thursday and Friday before the window: 2 working days
    ("2025-06-13", 1, 1),
    ("2025-06-25", 1, 3),  # Wednesday after: Monday, Tuesday, Wednesday past its last day
    ("2025-06-20", 2, 1),  # starts on the last day, its second day sticks out
    ("2025-06-19", 2, 0),
])
def test_days_outside_an_expected_window(day: str, duration: int, outside: int) -> None:
    scenario = _one_unit(expected=True, duration=duration, weight=7)
    plan = _plan(scenario, day)
    assert plan_cost(scenario, plan).terms[RuleId.S11_OUTSIDE_WINDOW] == 7 * outside
    cal = scenario.work_calendar()
    assert days_outside_window(cal, scenario, scenario.units[0], cal.index(D(day))) == outside


def test_a_window_reaching_outside_the_horizon_is_clamped_to_it() -> None:
    # Opens before the horizon (2 June): a visit on its first day is 0 days outside, not -n.
    scenario = _one_unit(expected=True, first="2025-05-05", last="2025-06-06")
    assert plan_cost(scenario, _plan(scenario, "2025-06-09")).terms[RuleId.S11_OUTSIDE_WINDOW] == 1
    cal = scenario.work_calendar()
    assert days_outside_window(cal, scenario, scenario.units[0], 0) == 0


def test_a_binding_window_is_h02_and_an_expected_one_only_costs() -> None:
    binding, expected = _one_unit(expected=False), _one_unit(expected=True)
    late = check_schedule(binding, _plan(binding, "2025-06-24"))
    assert {v.rule_id for v in late.violations} == {RuleId.H02_WINDOW}
    assert late.terms[RuleId.S11_OUTSIDE_WINDOW] == 0  # H02's business, never priced
    priced = check_schedule(expected, _plan(expected, "2025-06-24"))
    assert priced.ok, [v.message for v in priced.violations]
    assert priced.terms[RuleId.S11_OUTSIDE_WINDOW] == 2
    # The horizon and the notice still bind an expected window.
    early = {v.rule_id for v in check_schedule(expected, _plan(expected, "2025-06-04")).violations}
    assert RuleId.H04_NOTICE in early and RuleId.H02_WINDOW not in early


def test_early_counts_from_inside_the_window_and_never_below_zero() -> None:
    data = only_weight(tiny_scenario_data(), "early", 1)
    data["units"] = [{"id": "U", "name": "Sở Du lịch", "kind": "department",
                      "window": {**window(*WEEK), "expected": True}}]
    scenario = make_scenario(data)
    early = plan_cost(scenario, _plan(scenario, "2025-06-12")).terms[RuleId.S03_EARLY]
    assert early == 0  # two days before the window, not -2
    assert plan_cost(scenario, _plan(scenario, "2025-06-18")).terms[RuleId.S03_EARLY] == 2


# --- the model ----------------------------------------------------------------------------------


def _crowded(expected: bool) -> Scenario:
    """One team, two units, a one-day window: the team makes one visit a day (H13)."""
    data = only_weight(tiny_scenario_data(), "outside_window", 10)
    data["teams"] = data["teams"][:1]
    data["members"] = [m for m in data["members"] if m["team"] == "D1"]
    data["units"] = [{"id": f"U{i}", "name": f"Đơn vị {i}", "kind": "department",
                      "window": {**window("2025-06-16", "2025-06-16"), "expected": expected}}
                     for i in (1, 2)]
    return make_scenario(data)


def test_a_window_too_tight_is_infeasible_when_binding_and_costs_a_day_when_expected() -> None:
    assert solve_checked(_crowded(expected=False), time_limit_s=10).status is Status.INFEASIBLE
    result = solve_checked(_crowded(expected=True), time_limit_s=10)
    assert result.status is Status.OPTIMAL  # solve_checked: CP-SAT's objective == plan_cost
    terms = result.schedule.solver.objective_terms
    assert terms[RuleId.S11_OUTSIDE_WINDOW] == 10 * 1  # one unit a working day off the window
    assert result.schedule.solver.objective == 10


def _wants_out(outside_weight: int) -> dict[str, Any]:
    """Three units of an expected week, one of which prefers a day before it."""
    data = only_weight(tiny_scenario_data(), "outside_window", outside_weight)
    data["weights"]["preferred_dates"] = 10
    data["units"] = [{"id": f"U{i}", "name": f"Đơn vị {i}", "kind": "department",
                      "window": {**window(*WEEK), "expected": True}} for i in (1, 2, 3)]
    data["units"][0]["preferred_dates"] = ["2025-06-12"]
    return data


def test_a_high_weight_keeps_every_visit_inside_its_window() -> None:
    result = solve_checked(make_scenario(_wants_out(100)), time_limit_s=10)
    assert result.status is Status.OPTIMAL
    assert all(D(WEEK[0]) <= a.start and a.end <= D(WEEK[1]) for a in result.schedule.assignments)
    assert result.schedule.solver.objective_terms[RuleId.S11_OUTSIDE_WINDOW] == 0
    assert result.schedule.solver.objective_terms[RuleId.S04_PREFERRED] == 10
    # Cheaper to leave: the preferred day wins, two working days outside the window.
    cheap = solve_checked(make_scenario(_wants_out(1)), time_limit_s=10)
    assert cheap.status is Status.OPTIMAL
    terms = cheap.schedule.solver.objective_terms
    assert (terms[RuleId.S04_PREFERRED], terms[RuleId.S11_OUTSIDE_WINDOW]) == (0, 2)


def test_a_unit_available_only_after_its_expected_window_is_visited_after_it() -> None:
    data = only_weight(tiny_scenario_data(), "outside_window", 1)
    data["units"] = [{"id": "U", "name": "Sở Du lịch", "kind": "department", "form": "surprise",
                      "available_from": "2025-06-25", "window": {**window(*WEEK), "expected": True}}]
    result = solve_checked(make_scenario(data), time_limit_s=10)
    assert result.status is Status.OPTIMAL  # a surprise visit: on the day it exists, 23-25/06 out
    assert result.schedule.solver.objective_terms[RuleId.S11_OUTSIDE_WINDOW] == 3
    data["units"][0]["window"]["expected"] = False
    with pytest.raises(ValueError, match="after the window closes"):
        make_scenario(data)


def test_precheck_names_the_campaign_when_only_it_binds() -> None:
    data = tiny_scenario_data()
    for team in data["teams"]:
        team["formed_on"] = "2025-07-30"  # too late for the notice before the horizon ends
    data["units"] = [{"id": "U", "name": "Sở Du lịch", "kind": "department",
                      "window": {**window(*WEEK), "expected": True}}]
    findings = precheck(make_scenario(data))
    assert [f.rule_id for f in findings] == [RuleId.H04_NOTICE]
    assert "campaign (02/06/2025 – 31/07/2025)" in findings[0].message


# --- greedy, routes, pace -----------------------------------------------------------------------


def test_greedy_tries_the_days_inside_an_expected_window_first() -> None:
    plan = greedy_schedule(_one_unit(expected=True))
    assert plan.assignments and D(WEEK[0]) <= plan.assignments[0].start <= D(WEEK[1])
    crowded = greedy_schedule(_crowded(expected=True))
    assert crowded.solver.status is Status.FEASIBLE
    assert crowded.solver.objective_terms[RuleId.S11_OUTSIDE_WINDOW] == 10  # the nearest day out


def test_a_route_of_short_visits_keeps_its_expected_window() -> None:
    data = tiny_scenario_data()
    data["units"] = [{"id": f"U{i}", "name": f"Đơn vị {i}", "kind": "department", "visit_minutes": 60,
                      "window": {**window(*WEEK), "expected": expected}}
                     for i, expected in ((1, True), (2, True), (3, False))]
    routed = route_scenario(make_scenario(data), greedy=True)
    windows = sorted((u.window.expected, len(routed.routes[u.id].unit_ids))
                     for u in routed.composite.units)
    assert windows == [(False, 1), (True, 2)]  # binding and expected never share a route
    composite = routed.composite
    assert all(composite.window_bounds(u) == (D(WEEK[0]), D(WEEK[1])) for u in composite.units)


def test_pace_spans_an_expected_window_as_written() -> None:
    def groups(expected: bool) -> list[Any]:
        data = tiny_scenario_data()
        for u in data["units"]:
            u["window"] = {**window("2025-06-16", "2025-07-11"), "expected": expected}
        scenario = make_scenario(data)
        return pace_groups(scenario, scenario.work_calendar())

    assert groups(expected=True) == groups(expected=False) != []
