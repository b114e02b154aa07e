"""One door into planning (scheduler/plan/pipeline.py): every planner through the same stages, day
routes as part of the plan, re-planning routed plans, and the stated routes checked.

The five short visits of ``test_day_routes`` (one team, one day, a few km apart) are the small
routed case: one route. Work limits only; the assertions hold for any plan the budget finds.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_day_routes import short_data

import scheduler.plan.pipeline as pipeline
from conftest import make_scenario
from models.events_reading import validate_events
from models.rules import RuleId
from models.scenario import Scenario
from models.schedule import Schedule, Status, VisitState
from scheduler.check.checker import check_schedule
from scheduler.plan.bound import whole_plan_bound
from scheduler.plan.pipeline import greedy_schedule, plan
from scheduler.plan.stage import route_stage
from scheduler.problem.problem import Problem
from scheduler.replan.run import ReplanOptions, replan
from scheduler.routing.reading import with_routes
from scheduler.search.solve import SolveOptions

FAST = SolveOptions(time_limit_s=5, workers=1, seed=0)
SPREAD = "2025-06-20"  # the five visits may fall on any working day up to this one


def routed(to: str = SPREAD, minutes: int = 60) -> tuple[Scenario, Schedule]:
    scenario = make_scenario(short_data(minutes=minutes, to=to))
    outcome = plan(scenario, FAST)
    assert outcome.schedule is not None and outcome.clean, outcome.check
    return scenario, outcome.schedule


def rules_broken(scenario: Scenario, schedule: Schedule) -> set[str]:
    return {v.rule_id for v in check_schedule(scenario, schedule).violations}


# --- the door ------------------------------------------------------------------------------------


@pytest.mark.parametrize("planner", ["cpsat", "greedy"])
def test_every_planner_returns_a_checked_plan_with_its_routes(planner: str) -> None:
    scenario = make_scenario(short_data())
    outcome = plan(scenario, FAST, pipeline.PLANNERS[planner])
    assert outcome.schedule is not None and outcome.clean
    schedule = outcome.schedule
    assert schedule.routes, "short visits come back on day routes"
    stated = {r.id: r for r in schedule.routes}
    for a in schedule.assignments:
        assert a.route_id in stated and a.unit_id in stated[a.route_id].unit_ids
    assert sorted(u for r in schedule.routes for u in r.unit_ids) == sorted(u.id for u in scenario.units)
    assert outcome.stats["planner"] == planner and outcome.stats["routes"] == len(schedule.routes)


def test_the_route_stage_never_calls_a_planner(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_planner(*_: object, **__: object) -> None:
        raise AssertionError("the route stage must not plan the calendar")

    monkeypatch.setattr(pipeline, "solve", no_planner)
    monkeypatch.setattr(pipeline, "greedy_visits", no_planner)
    problem = Problem.of(make_scenario(short_data()))
    calendar, expansion = route_stage(problem, 1.0)
    assert len(calendar.scenario.units) < len(problem.scenario.units)  # a route is one visit there
    assert set(calendar.route_travel) == {u.id for u in calendar.scenario.units}
    assert expansion.source is problem


def test_a_whole_day_problem_passes_the_route_stage_unchanged(tiny: Scenario) -> None:
    problem = Problem.of(tiny)
    calendar, expansion = route_stage(problem, 1.0)
    assert calendar is problem and expansion.routed is None


def test_the_greedy_plan_is_priced_like_any_plan() -> None:
    scenario = make_scenario(short_data())
    schedule = greedy_schedule(scenario)
    report = check_schedule(scenario, schedule)
    assert report.ok and report.objective == schedule.solver.objective
    assert schedule.routes


def test_a_routed_plan_shows_no_bound_of_another_price() -> None:
    """A routed plan's calendar bound counts a route as one visit: it is never shown beside the
    plan's own price; the bound shown is the whole plan's (scheduler.plan.bound)."""
    scenario, schedule = routed()
    info = schedule.solver
    problem = Problem.of(scenario)
    _, expansion = route_stage(problem, 0.25 * (FAST.time_limit_s or 0))
    assert expansion.routed is not None
    whole = whole_plan_bound(problem, expansion.routed)
    assert whole is not None and info.objective is not None
    assert info.bound == min(whole, info.objective)


# --- stated routes ---------------------------------------------------------------------------------


def _forge(schedule: Schedule, **update: Any) -> Schedule:
    first = schedule.routes[0].model_copy(update=update)
    return schedule.model_copy(update={"routes": [first, *schedule.routes[1:]]})


def test_stated_routes_are_recomputed_never_trusted() -> None:
    scenario, schedule = routed(to="2025-06-09")
    assert rules_broken(scenario, schedule) == set()
    route = schedule.routes[0]
    assert len(route.unit_ids) >= 2
    assert rules_broken(scenario, _forge(schedule, travel_minutes=route.travel_minutes + 5)) == {
        RuleId.H16_DAY_HOURS}
    assert rules_broken(scenario, _forge(schedule, travel_km=route.travel_km + 3)) == {RuleId.H16_DAY_HOURS}
    assert rules_broken(scenario, _forge(schedule, unit_ids=route.unit_ids[::-1])) == {RuleId.H17_ONE_ROUTE}
    dangling = schedule.model_copy(update={"assignments": [
        schedule.assignments[0].model_copy(update={"route_id": "D9-2025-06-09-X"}),
        *schedule.assignments[1:]]})
    assert RuleId.H17_ONE_ROUTE in rules_broken(scenario, dangling)
    twice = schedule.model_copy(update={"routes": [*schedule.routes, schedule.routes[0]]})
    assert rules_broken(scenario, twice) == {RuleId.H17_ONE_ROUTE}


def test_a_plan_without_stated_routes_is_judged_on_its_visits_and_gets_them() -> None:
    scenario, schedule = routed(to="2025-06-09")
    bare = schedule.model_copy(update={"routes": [], "assignments": [
        a.model_copy(update={"route_id": None}) for a in schedule.assignments]})
    assert rules_broken(scenario, bare) == set()
    assert with_routes(scenario, bare).routes == schedule.routes


def test_an_edited_csv_without_times_gets_its_routes_from_team_date_and_lead(tmp_path: Any) -> None:
    from scheduler.output.files import schedule_file_contents
    from scheduler.replan.plan_import import load_plan

    scenario, schedule = routed(to="2025-06-09")
    csv_text = schedule_file_contents(schedule)["schedule.csv"]
    path = tmp_path / "schedule.csv"
    path.write_bytes(csv_text)
    read = load_plan(path, scenario)
    assert read.routes and [r.unit_ids for r in read.routes] == [r.unit_ids for r in schedule.routes]
    assert rules_broken(scenario, read) == set()


# --- re-planning routed plans -----------------------------------------------------------------------

OPTIONS = ReplanOptions(time_limit_s=5, workers=1, seed=0)
AS_OF = date(2025, 6, 2)


def test_a_routed_plan_replanned_with_no_events_comes_back_identical() -> None:
    scenario, schedule = routed(to="2025-06-09")
    result = replan(scenario, schedule, AS_OF, None, OPTIONS)
    assert result.schedule is not None and result.check is not None and result.check.ok
    fields = {"state", "announce_by", "report_due"}
    assert [a.model_dump(exclude=fields) for a in result.schedule.assignments] == \
        [a.model_dump(exclude=fields) for a in schedule.assignments]
    assert result.schedule.routes == schedule.routes


def _events(scenario: Scenario, *items: dict[str, Any]) -> Any:
    return validate_events({"schema": "kiemtra.events/1", "events": list(items)}, "events.yaml", scenario)


def test_a_member_away_on_a_route_day_changes_the_group_not_the_times() -> None:
    scenario, schedule = routed(to="2025-06-09")
    day = schedule.assignments[0].start
    away = next(m for m in schedule.assignments[0].member_ids if m != schedule.assignments[0].lead_id)
    result = replan(scenario, schedule, AS_OF, _events(scenario,
        {"kind": "member_unavailable", "id": "away", "member": away,
         "from": day.isoformat(), "to": day.isoformat()}), OPTIONS)
    assert result.schedule is not None and result.check is not None and result.check.ok
    assert all(away not in a.member_ids for a in result.schedule.assignments if a.start == day)
    assert len(result.schedule.routes) == len(schedule.routes)


EVENT_KINDS = st.sampled_from(["member_unavailable", "unit_moves", "surprise_visit", "unit_removed"])


def _random_event(kind: str, schedule: Schedule, pick: int, shift: int) -> dict[str, Any]:
    a = schedule.assignments[pick % len(schedule.assignments)]
    if kind == "member_unavailable":
        return {"kind": kind, "id": "e", "member": a.member_ids[pick % len(a.member_ids)],
                "from": a.start.isoformat(), "to": a.start.isoformat()}
    if kind == "unit_moves":
        return {"kind": kind, "id": "e", "unit": a.unit_id,
                "excluded_dates": [{"from": a.start.isoformat(), "to": a.start.isoformat()}]}
    if kind == "surprise_visit":
        return {"kind": kind, "id": "e", "date": f"2025-06-{10 + shift:02d}",
                "unit": {"id": "NEW", "name": "Xã Mới", "kind": "commune", "visit_minutes": 60,
                         "location": {"lat": 21.02, "lon": 105.85}, "window": {"quarters": [2]}}}
    return {"kind": kind, "id": "e", "unit": a.unit_id}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=EVENT_KINDS, pick=st.integers(0, 20), shift=st.integers(0, 3),
       minutes=st.sampled_from([45, 60, 90]))
def test_random_events_on_routed_plans_give_checked_plans_or_say_why(
        kind: str, pick: int, shift: int, minutes: int) -> None:
    scenario, schedule = routed(minutes=minutes)
    event = _random_event(kind, schedule, pick, shift)
    result = replan(scenario, schedule, AS_OF, _events(scenario, event), OPTIONS)
    if result.schedule is None:
        assert result.status in (Status.INFEASIBLE, Status.UNKNOWN)
        return
    assert result.check is not None and result.check.ok, result.check.violations
    live = [a for a in result.schedule.assignments if a.state is not VisitState.CANCELLED]
    assert all(a.start_time is not None and a.route_id for a in live)
    assert sorted(u for r in result.schedule.routes for u in r.unit_ids) == sorted(a.unit_id for a in live)


def test_units_wanting_different_days_share_no_route_and_get_their_days() -> None:
    """Four wards a few km apart would be one route; the planner wants them 2 + 2 on two days."""
    data = short_data(to=SPREAD)
    data["units"] = data["units"][:4]
    wanted = {"V1": "2025-06-10", "V2": "2025-06-10", "V3": "2025-06-12", "V4": "2025-06-12"}
    for unit in data["units"]:
        unit["preferred_dates"] = [wanted[unit["id"]]]
    data["weights"]["preferred_dates"] = 100
    scenario = make_scenario(data)
    outcome = plan(scenario, FAST)
    assert outcome.schedule is not None and outcome.clean
    days = {a.unit_id: a.start.isoformat() for a in outcome.schedule.assignments}
    assert days == wanted
    assert sorted(sorted(r.unit_ids) for r in outcome.schedule.routes) == [["V1", "V2"], ["V3", "V4"]]


# --- re-planning routed plans: what the review found -------------------------------------------


def _routed_on(day: str, minutes: int = 60) -> tuple[Scenario, Schedule]:
    """The five visits planned on ``day`` (a one-day window), and the scenario with the window open."""
    data = short_data(minutes=minutes, to=day)
    for unit in data["units"]:
        unit["window"] = {"from": day, "to": day}
    narrow = make_scenario(data)
    outcome = plan(narrow, FAST)
    assert outcome.schedule is not None and outcome.clean
    return make_scenario(short_data(minutes=minutes, to=SPREAD)), outcome.schedule


def test_a_member_away_changes_the_route_group_rather_than_moving_the_route() -> None:
    """Moving a route of five costs five moves; the change costs must reach the route's visits."""
    scenario, schedule = _routed_on("2025-06-13")
    away = next(m for m in schedule.assignments[0].member_ids if m != schedule.assignments[0].lead_id)
    result = replan(scenario, schedule, AS_OF, _events(scenario, {
        "kind": "member_unavailable", "id": "away", "member": away,
        "from": "2025-06-13", "to": "2025-06-13"}), OPTIONS)
    assert result.schedule is not None and result.check is not None and result.check.ok
    assert {a.start.isoformat() for a in result.schedule.assignments} == {"2025-06-13"}
    assert all(away not in a.member_ids for a in result.schedule.assignments)


def test_an_announced_visit_whose_hours_move_is_told_again() -> None:
    from scheduler.replan.diff import NEW_NOTICE, diff_schedules

    scenario, schedule = _routed_on("2025-06-13")
    announced = schedule.model_copy(update={"assignments": [
        a.model_copy(update={"state": VisitState.ANNOUNCED}) for a in schedule.assignments]})
    first = min(announced.assignments, key=lambda a: a.start_time or "")
    result = replan(scenario, announced, AS_OF, _events(scenario, {
        "kind": "unit_removed", "id": "gone", "unit": first.unit_id}), OPTIONS)
    assert result.schedule is not None and result.check is not None and result.check.ok
    diff = diff_schedules(announced, result.schedule, result.reasons(), AS_OF)
    moved = [c for c in diff.changes if c.old is not None and c.new is not None
             and c.old.start_time != c.new.start_time]
    assert moved, "the others move up when the first visit of the day goes"
    assert all(c.notice == NEW_NOTICE for c in moved)


def test_a_kept_day_that_no_longer_fits_is_named_not_a_crash() -> None:
    """Visits made longer after the plan: the kept day cannot be laid out; the re-plan says which
    rule breaks instead of raising."""
    _, schedule = _routed_on("2025-06-13", minutes=60)
    longer = make_scenario(short_data(minutes=100, to=SPREAD))
    result = replan(longer, schedule, AS_OF, None, OPTIONS)
    assert result.schedule is None or result.check is not None


def test_a_day_trip_stays_a_day_trip_in_a_replan() -> None:
    scenario, schedule = _routed_on("2025-06-13")
    trip = schedule.assignments[0].model_copy(update={
        "start_time": None, "end_time": None, "travel_minutes": None, "travel_km": None, "route_id": None,
        "lead_id": schedule.assignments[0].member_ids[-1]})
    baseline = with_routes(scenario, schedule.model_copy(update={"assignments": [trip]}))
    one = scenario.model_copy(update={"units": [scenario.unit(trip.unit_id)]})
    result = replan(one, baseline, AS_OF, None, OPTIONS)
    assert result.schedule is not None
    assert result.schedule.assignments[0].start_time is None and not result.schedule.routes


def test_the_workbook_kiemtra_writes_reads_back_with_its_hours_and_routes(tmp_path: Any) -> None:
    from scheduler.output.view import build_view
    from scheduler.output.xlsx import workbook_bytes
    from scheduler.replan.plan_import import load_plan

    scenario, schedule = routed(to="2025-06-09")
    path = tmp_path / "schedule.xlsx"
    path.write_bytes(workbook_bytes(build_view(scenario, schedule), "vi"))
    read = load_plan(path, scenario)
    assert {a.unit_id: a.start_time for a in read.assignments} == \
        {a.unit_id: a.start_time for a in schedule.assignments}
    assert read.routes == schedule.routes
    assert rules_broken(scenario, read) == set()
