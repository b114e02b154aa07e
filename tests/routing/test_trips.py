"""Trips with nights away (``rules.overnight``): far units on consecutive working days of one team.

The fixture is scenarios/dong-nai-2025-two-seats.yaml with the office alone: two of the five
communes of the far cluster cannot be visited in a day from Biên Hòa (whole-day visits without
times), the three others each take a day route of ~300 minutes' driving. With up to two nights
away the cluster becomes one timed trip; the checker lays its days out from their legs (day 1 from
the office, later days from the previous day's last unit, home only on the last day).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from route_helpers import untimed_csv

from conftest import SCENARIOS
from models.events import EventsFile
from models.loading import load_scenario
from models.rules import RuleId
from models.scenario import Scenario
from models.schedule import Assignment, Schedule, VisitState
from scheduler.check.checker import check_schedule
from scheduler.cost.price import plan_cost
from scheduler.output import build_outputs
from scheduler.plan.pipeline import plan
from scheduler.plan.stage import route_stage
from scheduler.problem.problem import Problem
from scheduler.problem.schedule_build import make_assignment
from scheduler.replan.plan_import import load_plan
from scheduler.replan.run import ReplanOptions, replan
from scheduler.routing.instance import Stop
from scheduler.routing.points import Point, travel_params, unit_point, working_day
from scheduler.routing.reading import day_routes, with_routes
from scheduler.routing.stage import lay_out_days, route_scenario
from scheduler.routing.trips import TripPrices, plan_trips
from scheduler.search.solve import SolveOptions

CLUSTER = {f"X-BP-{i}" for i in range(1, 6)}
OFFICE = Point(10.9470, 106.8230)


def office_only(nights: int) -> Scenario:
    scenario = load_scenario(SCENARIOS / "dong-nai-2025-two-seats.yaml")
    team = scenario.teams[0].model_copy(update={"bases": []})
    rules = scenario.rules.model_copy(update={
        "overnight": scenario.rules.overnight.model_copy(update={"max_nights": nights})})
    return scenario.model_copy(update={"teams": [team], "rules": rules})


@pytest.fixture(scope="module")
def trips() -> Scenario:
    return office_only(2)


def _plan(scenario: Scenario) -> Schedule:
    outcome = plan(scenario, SolveOptions(time_limit_s=5, workers=1, seed=0))
    assert outcome.schedule is not None and outcome.clean, outcome.check
    return outcome.schedule


@pytest.fixture(scope="module")
def planned(trips: Scenario) -> Schedule:
    return _plan(trips)


def violations(scenario: Scenario, schedule: Schedule) -> list[tuple[str, str]]:
    return [(v.rule_id, v.message) for v in check_schedule(scenario, schedule).violations]


def _trip_routes(schedule: Schedule) -> list:
    return sorted((r for r in schedule.routes if r.trip_id is not None), key=lambda r: r.date)


# --- the route stage -----------------------------------------------------------------------------


def test_the_route_stage_puts_the_far_cluster_on_one_trip(trips: Scenario) -> None:
    routed = route_scenario(trips, greedy=True)
    assert not routed.problems  # no unit is left a whole-day visit without times
    (trip,) = routed.trips.values()
    assert set(trip.unit_ids) == CLUSTER and 2 <= len(trip.days) <= 3
    composite = next(u for u in routed.composite.units if u.id == trip.trip_id)
    assert composite.duration == len(trip.days) and composite.visit_minutes is None


def test_without_nights_the_far_units_stay_whole_day_visits() -> None:
    routed = route_scenario(office_only(0), greedy=True)
    assert not routed.trips
    assert {p.unit_id for p in routed.problems} == {"X-BP-1", "X-BP-3"}


def test_trips_keep_to_the_nights_allowed(trips: Scenario) -> None:
    units = [u for u in trips.units if u.id in CLUSTER]
    stops = [Stop(u.id, unit_point(u, OFFICE), u.visit_minutes or 0, u.label) for u in units]
    day, travel = working_day(trips), travel_params(trips)
    far = [10**9 if u.id in {"X-BP-1", "X-BP-3"} else 400 for u in units]
    for nights in (1, 2):
        found, left = plan_trips(stops, OFFICE, day, travel, nights, TripPrices(1, 60, 100), far)
        assert all(2 <= len(t) <= nights + 1 for t in found) and not set(left) & {"X-BP-1", "X-BP-3"}
    # a unit that fits a day route is left off when its own day is cheaper than any trip with it
    found, left = plan_trips(stops, OFFICE, day, travel, 2, TripPrices(1, 60, 100), [10**9, 0, 10**9, 0, 0])
    assert {u for t in found for d in t for u in d} == {"X-BP-1", "X-BP-3"} and len(left) == 3


# --- the plan ------------------------------------------------------------------------------------


def test_the_cluster_is_a_timed_trip_on_consecutive_days(trips: Scenario, planned: Schedule) -> None:
    visits = {a.unit_id: a for a in planned.assignments}
    assert all(visits[u].start_time is not None for u in CLUSTER)
    assert len({visits[u].trip_id for u in CLUSTER}) == 1
    days = _trip_routes(planned)
    cal = trips.work_calendar()
    assert [cal.shift(a.date, 1) for a in days[:-1]] == [b.date for b in days[1:]]
    assert [r.night_at for r in days] == [r.unit_ids[-1] for r in days[:-1]] + [None]
    assert sum(r.travel_minutes for r in days) == 384  # 894 as day routes, two visits untimed
    assert violations(trips, planned) == []


def test_the_cost_prices_each_night(trips: Scenario, planned: Schedule) -> None:
    nights = len(_trip_routes(planned)) - 1
    terms = plan_cost(trips, planned).terms
    assert nights >= 1 and terms[RuleId.S14_OVERNIGHT] == 100 * nights
    dearer = trips.model_copy(update={"weights": trips.weights.model_copy(update={"overnight": 7})})
    assert plan_cost(dearer, planned).terms[RuleId.S14_OVERNIGHT] == 7 * nights
    assert terms[RuleId.S07_TRAVEL] == sum(r.travel_minutes for r in planned.routes)
    assert planned.solver.objective_terms[RuleId.S14_OVERNIGHT] == terms[RuleId.S14_OVERNIGHT]


def test_a_trip_is_cheaper_than_the_day_routes(trips: Scenario, planned: Schedule) -> None:
    off = office_only(0)
    day_plan = _plan(off)
    untimed = [a.unit_id for a in day_plan.assignments if a.unit_id in CLUSTER and a.start_time is None]
    assert sorted(untimed) == ["X-BP-1", "X-BP-3"]
    assert plan_cost(off, day_plan).terms[RuleId.S07_TRAVEL] == 894 + 32
    assert plan_cost(trips, planned).terms[RuleId.S07_TRAVEL] == 384 + 32


# --- the checker: pass/fail pairs ------------------------------------------------------------------


def _to(scenario: Scenario, a: Assignment, day: date) -> Assignment:
    """The visit on another day, its report deadline and announcement day following."""
    made = make_assignment(scenario, scenario.work_calendar(), a.unit_id, a.team_id, day, a.member_ids,
                           a.lead_id, a.state)
    return made.model_copy(update={"start_time": a.start_time, "trip_id": a.trip_id})


def _moved(scenario: Scenario, schedule: Schedule, day: date, to: date) -> Schedule:
    """The plan with the visits of ``day`` moved to ``to``, re-timed and its routes restated."""
    moved = [_to(scenario, a, to) if a.start == day else a
             for a in schedule.assignments]
    return with_routes(scenario, lay_out_days(scenario, schedule.model_copy(update={"assignments": moved}),
                                              untimed=True))


def test_a_trip_on_days_that_are_not_consecutive_is_refused(trips: Scenario, planned: Schedule) -> None:
    last = _trip_routes(planned)[-1].date
    later = trips.work_calendar().shift(last, 1)
    gap = _moved(trips, planned, last, later)
    assert any(r == RuleId.H16_DAY_HOURS and "consecutive" in m for r, m in violations(trips, gap))
    assert violations(trips, _moved(trips, planned, last, last)) == []


def _three_days(trips: Scenario, planned: Schedule) -> Schedule:
    """The trip with its last day's last visit moved to the next working day: one more night."""
    last = _trip_routes(planned)[-1]
    after = trips.work_calendar().shift(last.date, 1)
    moved = [_to(trips, a, after).model_copy(update={"start_time": "08:00"})
             if a.unit_id == last.unit_ids[-1] else a for a in planned.assignments]
    return with_routes(trips, lay_out_days(trips, planned.model_copy(update={"assignments": moved})))


def _allowing(scenario: Scenario, nights: int) -> Scenario:
    overnight = scenario.rules.overnight.model_copy(update={"max_nights": nights})
    return scenario.model_copy(update={"rules": scenario.rules.model_copy(update={"overnight": overnight})})


def test_more_nights_than_allowed_are_refused(trips: Scenario, planned: Schedule) -> None:
    longer = _three_days(trips, planned)
    nights = len(_trip_routes(longer)) - 1
    assert violations(_allowing(trips, nights), longer) == []
    found = violations(_allowing(trips, nights - 1), longer)
    assert any(r == RuleId.H16_DAY_HOURS and "more than the" in m for r, m in found)


def test_nights_away_are_refused_when_overnight_stays_are_off(planned: Schedule) -> None:
    found = violations(office_only(0), planned)
    assert any(r == RuleId.H16_DAY_HOURS and "overnight stays are off" in m for r, m in found)
    assert violations(office_only(1), planned) == []


def test_forged_trip_travel_is_refused(trips: Scenario, planned: Schedule) -> None:
    first = _trip_routes(planned)[0]
    forged = planned.model_copy(update={"routes": [
        r.model_copy(update={"travel_minutes": r.travel_minutes + 148}) if r.id == first.id else r
        for r in planned.routes]})
    assert any(r == RuleId.H16_DAY_HOURS and "minutes of travel" in m for r, m in violations(trips, forged))
    unstated = planned.model_copy(update={"routes": [
        r.model_copy(update={"trip_id": None}) if r.id == first.id else r for r in planned.routes]})
    assert any(r == RuleId.H16_DAY_HOURS and "states trip None" in m for r, m in violations(trips, unstated))
    elsewhere = planned.model_copy(update={"routes": [
        r.model_copy(update={"night_at": "X-BP-5"}) if r.id == first.id else r for r in planned.routes]})
    found = violations(trips, elsewhere)
    assert any(r == RuleId.H16_DAY_HOURS and "night at 'X-BP-5'" in m for r, m in found)
    # the trip's days laid out as day routes from the office do not hold
    untripped = planned.model_copy(update={"assignments": [a.model_copy(update={"trip_id": None})
                                                           for a in planned.assignments]})
    assert any(r == RuleId.H16_DAY_HOURS for r, _ in violations(trips, with_routes(trips, untripped)))


# --- tables read back -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["schedule.csv", "schedule.xlsx"])
def test_a_trip_survives_its_own_table(tmp_path: Path, trips: Scenario, planned: Schedule, name: str) -> None:
    (tmp_path / name).write_bytes(build_outputs(trips, planned, {name.split(".")[1]})[name])
    read = load_plan(tmp_path / name, trips)
    assert [(r.id, r.trip_id, r.night_at, r.unit_ids, r.travel_minutes) for r in read.routes] == \
        [(r.id, r.trip_id, r.night_at, r.unit_ids, r.travel_minutes) for r in planned.routes]
    assert violations(trips, read) == []


def test_the_csv_states_the_trip(trips: Scenario, planned: Schedule) -> None:
    text = build_outputs(trips, planned, {"csv"})["schedule.csv"].decode("utf-8-sig")
    rows = {r["unit_id"]: r for r in csv.DictReader(io.StringIO(text))}
    assert {rows[u]["trip_id"] for u in CLUSTER} == {_trip_routes(planned)[0].trip_id}
    assert all(rows[u]["trip_id"] == "" for u in ("P-BH-1", "P-BH-2"))


def test_the_route_sheet_and_map_name_the_night(trips: Scenario, planned: Schedule) -> None:
    files = build_outputs(trips, planned, {"html"})
    page = next(data for name, data in files.items() if name.endswith(".html")).decode("utf-8")
    night = next(r for r in day_routes(trips, planned.assignments) if r.night_at is not None)
    assert f"Nghỉ đêm tại {night.stops[-1].unit.name}" in page  # the day's last row
    assert f"nghỉ đêm tại {night.stops[-1].unit.name}" in page  # the map's line
    assert f"Xuất phát từ nơi nghỉ đêm tại {night.stops[-1].unit.name}" in page  # the next day


# --- re-plans ---------------------------------------------------------------------------------------


def test_a_re_plan_keeps_an_announced_trip_whole(trips: Scenario, planned: Schedule) -> None:
    announced = planned.model_copy(update={"assignments": [
        a.model_copy(update={"state": VisitState.ANNOUNCED}) if a.trip_id else a
        for a in planned.assignments]})
    result = replan(trips, announced, date(2025, 10, 1), None, ReplanOptions(time_limit_s=3))
    assert result.schedule is not None and result.check is not None and result.check.violations == []
    kept = {a.unit_id: a for a in result.schedule.assignments if a.unit_id in CLUSTER}
    before = {a.unit_id: a for a in planned.assignments if a.unit_id in CLUSTER}
    assert {u: (a.start, a.start_time, a.trip_id) for u, a in kept.items()} == \
        {u: (a.start, a.start_time, a.trip_id) for u, a in before.items()}
    assert plan_cost(trips, result.schedule).terms[RuleId.S14_OVERNIGHT] == \
        plan_cost(trips, planned).terms[RuleId.S14_OVERNIGHT]


def test_a_plan_with_a_trip_is_a_hint_the_route_stage_reads(trips: Scenario, planned: Schedule) -> None:
    routed, expansion = route_stage(Problem.of(trips), greedy=True)
    assert expansion.routed is not None
    (trip_id,) = expansion.routed.trips
    # each unit's day in its trip: a re-plan prices a move of the unit from its own day
    trip = expansion.routed.trips[trip_id]
    assert routed.route_days == {u: k for k, day in enumerate(trip.days) for u in day}
    assert set(routed.route_days.values()) == set(range(len(trip.days)))
    hint = expansion.route_hint(planned)
    first = min(a.start for a in planned.assignments if a.unit_id in CLUSTER)
    assert [(a.unit_id, a.start) for a in hint.assignments if a.unit_id == trip_id] == [(trip_id, first)]
    assert not {a.unit_id for a in hint.assignments} & CLUSTER


@pytest.mark.parametrize("event", [
    # a unit of the trip asks to move off its days: the rest of the trip keeps its days (a kept
    # trip that still lays out from its legs), the unit is routed again
    {"kind": "unit_moves", "id": "move", "unit": "X-BP-2",
     "excluded_dates": [{"from": "2025-10-13", "to": "2025-10-17"}]},
    # a member is away on the trip's days: the released trip moves whole, or keeps its days without him
    {"kind": "member_unavailable", "id": "ill", "member": "D1-TK", "from": "2025-10-14", "to": "2025-10-15"},
])
def test_a_re_planned_trip_is_clean(trips: Scenario, planned: Schedule, event: dict[str, object]) -> None:
    events = EventsFile.model_validate({"schema": "kiemtra.events/1", "events": [event]})
    result = replan(trips, planned, date(2025, 10, 1), events, ReplanOptions(time_limit_s=3))
    assert result.schedule is not None and result.check is not None and result.check.violations == []
    assert all(a.start_time is not None for a in result.schedule.assignments)
    days = _trip_routes(result.schedule)
    cal = trips.work_calendar()
    assert len({r.trip_id for r in days}) == 1 and len(days) >= 2
    assert [cal.shift(a.date, 1) for a in days[:-1]] == [b.date for b in days[1:]]


def test_a_trip_whose_hours_were_cleared_is_laid_out_again(tmp_path: Path, trips: Scenario,
                                                           planned: Schedule) -> None:
    read = load_plan(untimed_csv(trips, planned, tmp_path / "edited.csv"), trips)
    assert [(r.trip_id, r.unit_ids, r.travel_minutes) for r in read.routes] == \
        [(r.trip_id, r.unit_ids, r.travel_minutes) for r in planned.routes]
    assert violations(trips, read) == []
