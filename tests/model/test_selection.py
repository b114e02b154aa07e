"""Sampling (H20-selection, S13-sample-priority): the model, greedy, the pre-check, the
explanation and the route stage each keep a selection, and priority decides which units go.

The tiny scenario (tests/conftest.py): two teams of three, first possible visit Mon 09/06/2025.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from scheduler_helpers import ZERO_WEIGHTS, solve_checked, window

from conftest import make_scenario, tiny_scenario_data
from models.events_reading import validate_events
from models.rules import RuleId
from models.scenario import Scenario
from models.schedule import Status
from scheduler.check.checker import check_schedule, format_report
from scheduler.plan.pipeline import GREEDY
from scheduler.plan.pipeline import plan as run_pipeline
from scheduler.plan.stage import route_stage
from scheduler.problem.problem import Problem
from scheduler.replan.run import ReplanOptions, replan
from scheduler.search.solve import SolveOptions

ONE_WEEK = window("2025-06-09", "2025-06-13")


def wards(n: int, days: dict[str, str] | None = None, **extra: Any) -> list[dict[str, Any]]:
    """n optional wards of one former district, each with priority i (W0 lowest)."""
    return [{"id": f"W{i}", "name": f"Phường {i}", "kind": "ward", "area": "Quận Ba Đình",
             "window": days or ONE_WEEK, "optional": True, "priority": i, **extra}
            for i in range(n)]


def sampled(n: int = 6, share: float = 50, **weights: int) -> dict[str, Any]:
    """n optional wards and one selection of ``share`` % of them, by match."""
    data = tiny_scenario_data()
    data["units"] = wards(n)
    data["selections"] = [{"id": "BD", "name": "Phường thuộc quận Ba Đình cũ",
                           "match": {"kind": ["ward"], "area": ["Quận Ba Đình"]},
                           "at_least_percent": share}]
    data["weights"] = {**ZERO_WEIGHTS, "team_days": 60, "sample_priority": 10, **weights}
    return data


def visited(schedule: Any) -> list[str]:
    return sorted(a.unit_id for a in schedule.assignments)


def outcome(data: dict[str, Any], **kwargs: Any) -> Any:
    return run_pipeline(make_scenario(data), SolveOptions(time_limit_s=10, workers=1, seed=0),
                        **kwargs)


# --- the model: the highest priorities, and only as many as the selection needs -------------------


def test_model_visits_the_needed_share_highest_priority_first() -> None:
    result = solve_checked(make_scenario(sampled()))
    assert result.status is Status.OPTIMAL
    assert visited(result.schedule) == ["W3", "W4", "W5"]  # 50% of 6, the top three
    # S13: W0, W1, W2 left out: priority 0 + 1 + 2, 10 a point; three team-days at 60.
    assert result.schedule.solver.objective_terms[RuleId.S13_SAMPLE_PRIORITY] == 30
    assert result.schedule.solver.objective_terms[RuleId.S06_OPTIONAL] == 0


def test_model_a_high_priority_beyond_the_need_is_visited_when_worth_it() -> None:
    data = sampled()
    data["units"][0]["priority"] = 100  # leaving W0 out costs 1,000, a team-day 60
    result = solve_checked(make_scenario(data))
    assert set(visited(result.schedule)) >= {"W0", "W4", "W5"}


def test_each_former_district_gets_its_share_and_the_checker_counts_per_district() -> None:
    data = sampled(n=6, share=50)
    data["selections"][0]["each"] = "area"
    data["selections"][0].update(match={"kind": ["ward"]}, name="Phường theo quận cũ")
    for u in data["units"][4:]:
        u["area"] = "Quận Tây Hồ"  # Ba Đình: W0-W3 (need 2), Tây Hồ: W4, W5 (need 1)
    scenario = make_scenario(data)
    result = solve_checked(scenario)
    assert visited(result.schedule) == ["W2", "W3", "W5"]
    short = result.schedule.model_copy(update={"assignments": [
        a for a in result.schedule.assignments if a.unit_id != "W5"]})
    messages = [v.message for v in check_schedule(scenario, short).violations]
    assert messages == ["selection Phường theo quận cũ – Quận Tây Hồ (BD/Quận Tây Hồ) "
                        "needs at least 50% (1 of 2) of its units visited but has 0"]


def test_required_units_count_towards_the_selection() -> None:
    data = sampled()
    data["units"][0]["optional"] = False
    data["units"][0]["priority"] = 0
    result = solve_checked(make_scenario(data))
    assert visited(result.schedule) == ["W0", "W4", "W5"]


def test_selection_that_windows_cannot_meet_is_named_before_solving() -> None:
    data = sampled()
    for u in data["units"][1:]:
        u["window"] = window("2025-06-02", "2025-06-06")  # before the first possible day
    result = outcome(data)
    assert result.status is Status.INFEASIBLE
    assert result.explanation is not None
    finding, = result.explanation.findings
    assert finding.rule_id == RuleId.H20_SELECTION
    assert "Phường thuộc quận Ba Đình cũ (BD)" in finding.message
    assert "at least 50% (3 of 6)" in finding.message


def test_selection_that_capacity_cannot_meet_is_explained_by_the_solver() -> None:
    data = sampled()
    one_day = window("2025-06-09", "2025-06-09")  # two teams, one visit each that day
    for u in data["units"]:
        u["window"] = one_day
    result = outcome(data)
    assert result.status is Status.INFEASIBLE
    assert result.explanation is not None
    assert result.explanation.rule_ids == [RuleId.H20_SELECTION]
    assert "BD" in result.explanation.render("en")
    assert "nhóm chọn mẫu" in result.explanation.render("vi")


# --- greedy -------------------------------------------------------------------------------------


def test_greedy_meets_the_selection_with_the_highest_priorities() -> None:
    result = outcome(sampled(), planner=GREEDY)
    assert result.status is Status.FEASIBLE and result.clean
    assert visited(result.schedule) == ["W3", "W4", "W5"]
    reasons = {u.unit_id: u.reason for u in result.schedule.unscheduled}
    assert set(reasons) == {"W0", "W1", "W2"}
    assert all("H20-selection" in r for r in reasons.values())


def test_greedy_books_the_sample_first_when_the_rest_would_crowd_it_out() -> None:
    data = sampled(n=2, share=100)
    for u in data["units"]:
        u["window"] = window("2025-06-09", "2025-06-09")
    # Two required departments that could also go on 10/06: placed first, each on its earliest
    # day, they would take both teams' 09/06, the wards' only day.
    data["units"] += [{"id": f"U{i}", "name": f"Sở {i}", "kind": "department",
                       "window": window("2025-06-09", "2025-06-10")} for i in range(2)]
    result = outcome(data, planner=GREEDY)
    assert result.status is Status.FEASIBLE and result.clean
    assert visited(result.schedule) == ["U0", "U1", "W0", "W1"]


# --- the route stage: a route counts each of its units ---------------------------------------------


def short_wards(n: int, need: int) -> Scenario:
    data = tiny_scenario_data()
    data["units"] = wards(n, visit_minutes=90)
    for u in data["units"]:
        u["priority"] = 0
    data["selections"] = [{"id": "BD", "name": "Ba Đình", "units": [u["id"] for u in data["units"]],
                           "at_least": need}]
    data["weights"] = {**ZERO_WEIGHTS, "team_days": 60}
    return make_scenario(data)


def test_routes_count_their_units_and_the_checker_agrees() -> None:
    scenario = short_wards(6, 4)
    result = run_pipeline(scenario, SolveOptions(time_limit_s=10, workers=1, seed=0))
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE) and result.clean
    assert len(result.schedule.assignments) >= 4
    assert check_schedule(scenario, result.schedule).ok


def test_the_calendar_problem_lists_a_route_once_per_unit_and_keeps_priorities_apart() -> None:
    data = tiny_scenario_data()
    data["units"] = wards(4, visit_minutes=90)
    for u in data["units"]:
        u["priority"] = 1 if u["id"] in ("W0", "W1") else 3
    data["selections"] = [{"id": "BD", "name": "Ba Đình", "units": ["W0", "W1", "W2", "W3"],
                           "at_least_percent": 50}]
    calendar, expansion = route_stage(Problem.of(make_scenario(data)), greedy=True)
    assert expansion.routed is not None
    routes = {r.unit_ids: rid for rid, r in expansion.routed.routes.items()}
    assert {frozenset(k) for k in routes} == {frozenset({"W0", "W1"}), frozenset({"W2", "W3"})}
    sel, = calendar.scenario.selections
    assert sel.at_least == 2 and sorted(sel.units or []) == sorted(2 * list(routes.values()))
    priorities = {u.id: u.priority for u in calendar.scenario.units}
    assert sorted(priorities.values()) == [2, 6]  # a route carries its units' points (S13)


# --- re-planning: a selection still holds after events -------------------------------------------


def test_replan_visits_another_unit_when_an_event_takes_a_sampled_one_away() -> None:
    scenario = make_scenario(sampled(n=4, share=50))  # W2, W3 in the baseline
    first = run_pipeline(scenario, SolveOptions(time_limit_s=10, workers=1, seed=0))
    assert first.schedule is not None and visited(first.schedule) == ["W2", "W3"]
    gone = {"kind": "unit_removed", "unit": "W3"}
    events = validate_events({"schema": "kiemtra.events/1", "events": [gone]}, "events.yaml",
                             scenario)
    result = replan(scenario, first.schedule, date(2025, 6, 2), events,
                    ReplanOptions(time_limit_s=10))
    assert result.schedule is not None and result.check is not None and result.check.ok
    kept = [a.unit_id for a in result.schedule.assignments if a.state.value != "cancelled"]
    assert sorted(kept) == ["W1", "W2"]  # 50% of the 3 left: W1, the next priority, joins
    assert {u.unit_id for u in result.schedule.unscheduled} == {"W0"}


# --- the checker's report ---------------------------------------------------------------------------


def test_the_checker_names_a_short_selection_in_both_languages() -> None:
    scenario = make_scenario(sampled(n=4, share=50))
    plan = solve_checked(scenario).schedule
    short = plan.model_copy(update={"assignments": plan.assignments[:1]})
    report = check_schedule(scenario, short)
    assert [v.rule_id for v in report.violations] == [RuleId.H20_SELECTION]
    en = format_report(scenario, short, report, "en")
    assert "  - selection Phường thuộc quận Ba Đình cũ (BD) needs at least 50% (2 of 4) of its " \
           "units visited but has 1" in en
    assert "cần ít nhất 50% (2 trên 4) đơn vị được kiểm tra nhưng chỉ có 1" in \
        format_report(scenario, short, report, "vi")
