"""Short visits on day routes: routes first (scheduler.routing.stage), then the calendar model.

One team (D1, base in Hoàn Kiếm) and five one-hour visits a few km apart, all on Mon 09/06/2025:
one route, times in order, travel recomputed by the checker. The route rules H16-day-hours and
H17-one-route are broken one at a time and flagged with exactly that id; the model side (the
route stage and the composite calendar model) refuses the same breaks.
"""

from __future__ import annotations

import time
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from ortools.sat.python import cp_model
from pydantic import ValidationError
from scheduler_helpers import ZERO_WEIGHTS, solve_checked

from cli import main
from conftest import SCENARIOS, make_scenario, tiny_scenario_data
from models.field_work import Travel
from models.loading import load_scenario
from models.rules import RuleId
from models.scenario import Scenario
from models.schedule import Assignment, Schedule, Status
from scheduler.check.checker import check_schedule
from scheduler.cost.price import plan_cost
from scheduler.model.build import build_model
from scheduler.plan.pipeline import PlanOutcome, greedy_schedule, plan
from scheduler.plan.stage import route_findings
from scheduler.problem.schedule_build import make_assignment
from scheduler.routing.reading import timed_routes
from scheduler.routing.stage import (
    ROUTE_CUTS,
    expand_schedule,
    route_assignments,
    route_scenario,
    route_travel,
)
from scheduler.routing.travel import Point, fits_day
from scheduler.search.solve import SolveOptions

BASE = {"lat": 21.0240, "lon": 105.8573}
SPOTS = [(21.0300, 105.8500), (21.0400, 105.8400), (21.0100, 105.8300), (21.0050, 105.8600),
         (21.0350, 105.8700)]
DAY = "2025-06-09"


def short_data(minutes: int = 60, spots: list[tuple[float, float]] = SPOTS, to: str = DAY) -> dict[str, Any]:
    data = tiny_scenario_data()
    for team in data["teams"]:
        team["base"] = dict(BASE)
    data["teams"][0]["parallel_subteams"] = 2
    data["members"][1]["can_lead_subteam"] = True  # A2 may lead a second route of D1
    data["units"] = [{"id": f"V{i}", "name": f"Xã {i}", "kind": "commune", "team": "D1",
                      "visit_minutes": minutes, "location": {"lat": lat, "lon": lon},
                      "window": {"from": DAY, "to": to}} for i, (lat, lon) in enumerate(spots, 1)]
    data["weights"] = dict(ZERO_WEIGHTS)
    return data


def solved(data: dict[str, Any], **options: Any) -> tuple[Scenario, PlanOutcome]:
    scenario = make_scenario(data)
    return scenario, plan(scenario, SolveOptions(time_limit_s=5, workers=1, seed=0, **options))


@pytest.fixture(scope="module")
def five() -> tuple[Scenario, Schedule]:
    scenario, outcome = solved(short_data())
    assert outcome.schedule is not None
    return scenario, outcome.schedule


def ids(scenario: Scenario, schedule: Schedule) -> set[str]:
    return {v.rule_id for v in check_schedule(scenario, schedule).violations}


def test_five_short_visits_make_one_route(five: tuple[Scenario, Schedule]) -> None:
    scenario, schedule = five
    visits = schedule.assignments
    assert len(visits) == 5
    assert len({(a.team_id, a.start, a.lead_id, tuple(a.member_ids)) for a in visits}) == 1
    ordered = sorted(visits, key=lambda a: a.start_time or "")
    assert all((a.end_time or "") <= (b.start_time or "") for a, b in pairwise(ordered))
    assert ordered[0].start_time is not None and ordered[0].start_time > "08:00"  # drove there first
    assert sum(a.travel_minutes or 0 for a in visits) < route_travel(scenario, visits)  # + the way home
    assert ids(scenario, schedule) == set()


def early_start(scenario: Scenario, schedule: Schedule) -> tuple[Scenario, Schedule]:
    """H16 broken: the first visit is stated at 08:00, when the team is still driving there."""
    first = min(schedule.assignments, key=lambda a: a.start_time or "")
    moved = [a.model_copy(update={"start_time": "08:00"}) if a is first else a for a in schedule.assignments]
    return scenario, schedule.model_copy(update={"assignments": moved})


def two_routes_one_member(scenario: Scenario, schedule: Schedule) -> tuple[Scenario, Schedule]:
    """H17 broken: A2 is on D1's route led by A1 and on its second route led by A2, the same day."""
    visit = schedule.assignments[0].model_copy(update={"member_ids": ["A1", "A2"], "lead_id": "A1"})
    second = visit.model_copy(update={"member_ids": ["A2", "A3"], "lead_id": "A2"})
    routes = (route_assignments(scenario, ["V1", "V2", "V3"], visit)
              + route_assignments(scenario, ["V4", "V5"], second))
    return scenario, schedule.model_copy(update={"assignments": routes})


# The checker's break of each route rule (the other hard rules' breaks: tests/test_checker.py BREAKS)
ROUTE_BREAKS = {RuleId.H16_DAY_HOURS: early_start, RuleId.H17_ONE_ROUTE: two_routes_one_member}


@pytest.mark.parametrize("rule_id", sorted(ROUTE_BREAKS))
def test_each_route_break_reports_exactly_its_rule(five: tuple[Scenario, Schedule], rule_id: RuleId) -> None:
    assert ids(*ROUTE_BREAKS[rule_id](*five)) == {rule_id}


def test_a_route_longer_than_the_day_is_h16(five: tuple[Scenario, Schedule]) -> None:
    _, schedule = five
    longer = make_scenario(short_data(minutes=90))  # 5 × 90 = 450: no minute left to drive
    assert ids(longer, schedule) == {RuleId.H16_DAY_HOURS}


def _restated(schedule: Schedule, unit_id: str, start: str, end: str) -> Schedule:
    moved = [a.model_copy(update={"start_time": start, "end_time": end}) if a.unit_id == unit_id else a
             for a in schedule.assignments]
    return schedule.model_copy(update={"assignments": moved})


def test_every_planned_visit_is_inside_one_session_on_the_grid(five: tuple[Scenario, Schedule]) -> None:
    _, schedule = five
    for a in schedule.assignments:
        assert a.start_time is not None and a.end_time is not None
        assert a.start_time[-2:] in {"00", "15", "30", "45"}
        assert a.end_time <= "12:00" or a.start_time >= "13:30"


def test_a_visit_across_the_pause_or_off_the_grid_is_h16() -> None:
    scenario = make_scenario(short_data(minutes=60, spots=SPOTS[:1]))
    one = plan(scenario, SolveOptions(time_limit_s=5, workers=1, seed=0)).schedule
    assert one is not None and ids(scenario, one) == set()
    (visit,) = one.assignments
    assert (visit.start_time, visit.end_time) == ("08:15", "09:15")  # a few minutes' drive, then the grid
    across = check_schedule(scenario, _restated(one, "V1", "11:30", "14:00")).violations
    assert {v.rule_id for v in across} == {RuleId.H16_DAY_HOURS}
    assert any("not inside one working session" in v.message for v in across)
    odd = check_schedule(scenario, _restated(one, "V1", "08:07", "09:07")).violations
    assert any("off the 15-minute grid" in v.message for v in odd)


def test_one_route_of_the_same_members_passes_h17(five: tuple[Scenario, Schedule]) -> None:
    scenario, schedule = five
    visit = schedule.assignments[0].model_copy(update={"member_ids": ["A1", "A2"], "lead_id": "A1"})
    one_route = route_assignments(scenario, ["V1", "V2", "V3", "V4", "V5"], visit)
    assert ids(scenario, schedule.model_copy(update={"assignments": one_route})) == set()


def test_the_route_stage_never_builds_a_day_that_does_not_fit() -> None:
    scenario = make_scenario(short_data(minutes=150))  # 5 × 150: three days at least
    routed = route_scenario(scenario, time_limit_s=2)
    assert set(ROUTE_CUTS) == {RuleId.H16_DAY_HOURS, RuleId.H17_ONE_ROUTE}
    assert len(routed.routes) >= 3
    base = scenario.team("D1").base
    assert base is not None
    for route in routed.routes.values():
        units = [scenario.unit(i) for i in route.unit_ids]
        points = [(u.location.lat, u.location.lon) for u in units if u.location]
        assert fits_day(Point(base.lat, base.lon), [Point(*p) for p in points], [150] * len(units))


def test_the_model_refuses_a_member_on_two_routes_a_day() -> None:
    scenario = make_scenario(short_data(minutes=150, to="2025-06-13"))
    routed = route_scenario(scenario, time_limit_s=2)
    composite = routed.composite
    a, b = sorted(routed.routes)[:2]
    first = route_fixed(composite, a, ["A1", "A2"], "A1")
    assert fixed_status(composite, {a: first}) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    assert fixed_status(composite, {a: first, b: first.model_copy(update={
        "unit_id": b, "member_ids": ["A2", "A3"], "lead_id": "A2"})}) == cp_model.INFEASIBLE  # A2 twice


def route_fixed(composite: Scenario, unit_id: str, members: list[str], lead: str) -> Assignment:
    cal = composite.work_calendar()
    return make_assignment(composite, cal, unit_id, "D1", date(2025, 6, 9), members, lead)


def fixed_status(composite: Scenario, fixed: dict[str, Assignment]) -> int:
    pm = build_model(composite, fixed=fixed)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 5
    return solver.solve(pm.model)


def test_a_nine_hour_visit_is_refused_when_the_scenario_is_read() -> None:
    with pytest.raises(ValidationError, match="visit_minutes"):
        make_scenario(short_data(minutes=540))


def test_travel_that_makes_a_day_impossible_is_explained_and_planned_as_a_day_trip() -> None:
    far = [*SPOTS[:4], (21.1800, 105.3500)]  # ~55 km west of the base
    scenario, outcome = solved(short_data(minutes=180, spots=far, to="2025-06-13"))
    findings = route_findings(scenario)
    assert [(f.rule_id, f.unit_ids) for f in findings] == [(RuleId.H16_DAY_HOURS, ("V5",))]
    assert "Xã 5: 180 phút làm việc + 2 ×" in findings[0].message
    assert "không vừa một buổi làm việc" in findings[0].message
    assert outcome.schedule is not None and outcome.clean
    assert outcome.stats["day_trips"] == [f"{RuleId.H16_DAY_HOURS}: {findings[0].message}"]
    trip = outcome.schedule.assignment_for("V5")
    assert trip is not None and trip.start_time is None  # the whole day: leave early or stay over
    others = [a for a in outcome.schedule.assignments if a.unit_id != "V5"]
    assert trip.start not in {a.start for a in others if a.team_id == trip.team_id}


def test_validate_lists_the_units_too_far_for_a_day(tmp_path: Path) -> None:
    far = [*SPOTS[:4], (21.1800, 105.3500)]
    path = tmp_path / "far.yaml"
    path.write_text(yaml.safe_dump(short_data(minutes=180, spots=far), allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "H16-day-hours: Xã 5: 180 phút làm việc + 2 ×" in result.output
    assert "Xã 1:" not in result.output


def test_greedy_plans_routes_like_a_planner_and_checks_clean() -> None:
    scenario = make_scenario(short_data(minutes=150, to="2025-06-13"))
    schedule = greedy_schedule(scenario)
    assert schedule.solver.status is Status.FEASIBLE
    assert check_schedule(scenario, schedule).ok
    routes = timed_routes(schedule.assignments)
    assert len(routes) >= 3 and sum(len(r) for r in routes.values()) == 5


def test_a_replan_keeps_announced_visits_and_their_times() -> None:
    # Simplest acceptable: the kept visits of a team-day stay one fixed route with their times; the
    # released ones are re-routed on their own (here: another day of the week).
    data = short_data(to="2025-06-13")
    _, first = solved(data)
    assert first.schedule is not None
    kept = {a.unit_id: a for a in sorted(first.schedule.assignments, key=lambda a: a.start_time or "")[:2]}
    _, outcome = solved(data, fixed=kept)
    assert outcome.schedule is not None and outcome.clean
    for unit_id, a in kept.items():
        again = outcome.schedule.assignment_for(unit_id)
        assert again is not None and (again.start, again.start_time, again.end_time) == \
            (a.start, a.start_time, a.end_time)


def test_expanding_a_plan_without_routes_changes_nothing(five: tuple[Scenario, Schedule]) -> None:
    scenario, schedule = five
    routed = route_scenario(scenario.model_copy(update={"units": []}))
    assert expand_schedule(routed, schedule).assignments == schedule.assignments


def test_travel_and_team_days_are_priced_from_the_schedule_and_match_the_model() -> None:
    data = short_data(to="2025-06-10")
    data["weights"].update(travel=2, team_days=100)
    scenario, outcome = solved(data)
    assert outcome.status is Status.OPTIMAL and outcome.schedule is not None and outcome.clean
    visits = outcome.schedule.assignments
    terms = plan_cost(scenario, outcome.schedule).terms
    assert terms[RuleId.S07_TRAVEL] == 2 * route_travel(scenario, visits) > 0
    assert terms[RuleId.S08_TEAM_DAYS] == 100 * len({(a.team_id, a.start) for a in visits}) == 100
    assert outcome.stats["solver_objective"] == outcome.schedule.solver.objective  # S01-S08 alike
    lied = [a.model_copy(update={"travel_minutes": 0, "travel_km": 0.0}) for a in visits]
    assert plan_cost(scenario, outcome.schedule.model_copy(update={"assignments": lied})).terms == terms


def test_team_days_in_the_model_equal_the_cost_for_whole_day_visits() -> None:
    data = tiny_scenario_data()
    data["weights"] = {**ZERO_WEIGHTS, "team_days": 7}
    data["teams"][0]["parallel_subteams"] = 2
    result = solve_checked(make_scenario(data))  # asserts the CP-SAT objective equals the cost
    assert result.status is Status.OPTIMAL
    assert result.schedule.solver.objective_terms[RuleId.S08_TEAM_DAYS] == 7 * len(
        {(a.team_id, a.start) for a in result.schedule.assignments})


def test_hanoi_communes_on_day_routes_solve_and_check_clean() -> None:
    hanoi = load_scenario(SCENARIOS / "hanoi-2025-communes.yaml")
    # At 30 km/h, 9 outer communes cannot be visited for 3 hours and driven back in one day (see
    # the H16 test above); 40 km/h (a car outside rush hours) makes every one fit.
    rules = hanoi.rules.model_copy(update={"travel": Travel(road_factor=1.4, speed_kmh=40)})
    scenario = hanoi.model_copy(update={"rules": rules})
    t0 = time.perf_counter()
    outcome = plan(scenario, SolveOptions(time_limit_s=10, workers=2, seed=0))
    assert outcome.schedule is not None and outcome.clean
    routes = timed_routes(outcome.schedule.assignments)
    travel = sum(route_travel(scenario, r) for r in routes.values())
    bound, planned = outcome.stats["route_lower_bound_minutes"], outcome.stats["route_travel_minutes"]
    assert planned >= bound
    # routes are planned from D1's base; D2 sets out 0.6 km away, so driven travel differs a little
    assert abs(travel - planned) <= 0.01 * planned
    print(f"\nHanoi communes: {len(routes)} team-days, travel {travel} min "
          f"(planned {planned}, bound {bound}), first plan {outcome.first_solution_s:.1f} s, "
          f"total {time.perf_counter() - t0:.1f} s, status {outcome.status}")
