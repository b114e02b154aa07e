"""A team of several bases (``teams[].bases``): the office and the province's second seat.

The fixture is scenarios/dong-nai-2025-two-seats.yaml: one team, its office in Biên Hòa and the
second seat in Đồng Xoài, a cluster of five communes 74–87 km by road from the office and 18–35 km
from the seat, asked for on 14–16/10/2025, and two wards near the office. From the office alone
two of the cluster are whole-day trips without times; from the seat all five are timed visits on
the days asked for. The checker lays a day out from its stated base, and refuses a base that is
none of the team's.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from route_helpers import untimed_csv

from conftest import SCENARIOS, make_scenario
from models.loading import load_scenario
from models.rules import RuleId
from models.scenario import Scenario
from models.schedule import RoutePoint, Schedule
from scheduler.check.checker import check_schedule
from scheduler.cost.price import plan_cost
from scheduler.output import build_outputs
from scheduler.plan.pipeline import plan
from scheduler.replan.plan_import import load_plan
from scheduler.routing.points import Point, day_base, team_bases
from scheduler.routing.reading import day_routes
from scheduler.routing.stage import route_scenario
from scheduler.search.solve import SolveOptions

OFFICE = Point(10.9470, 106.8230)
SEAT = Point(11.5350, 106.8850)
CLUSTER = {f"X-BP-{i}" for i in range(1, 6)}
ASKED = {date(2025, 10, 14), date(2025, 10, 15), date(2025, 10, 16)}


@pytest.fixture(scope="module")
def two_seats() -> Scenario:
    return load_scenario(SCENARIOS / "dong-nai-2025-two-seats.yaml")


def office_only(scenario: Scenario) -> Scenario:
    team = scenario.teams[0].model_copy(update={"bases": []})
    return scenario.model_copy(update={"teams": [team]})


@pytest.fixture(scope="module")
def planned(two_seats: Scenario) -> Schedule:
    outcome = plan(two_seats, SolveOptions(time_limit_s=5, workers=1, seed=0))
    assert outcome.schedule is not None and outcome.clean, outcome.check
    return outcome.schedule


def violations(scenario: Scenario, schedule: Schedule) -> list[tuple[str, str]]:
    return [(v.rule_id, v.message) for v in check_schedule(scenario, schedule).violations]


# --- the scenario field ------------------------------------------------------------------------


def test_bases_fill_base_with_the_office(two_seats: Scenario) -> None:
    team = two_seats.teams[0]
    assert team.base is not None and Point(team.base.lat, team.base.lon) == OFFICE
    assert team_bases(two_seats, "D1") == [OFFICE, SEAT]


def _team(**fields: Any) -> dict[str, Any]:
    return {"id": "D1", "name": "Đoàn 1", "formed_on": "2025-06-02", **fields}


def test_base_and_bases_must_agree() -> None:
    from models.scenario import Team
    bases = [{"name": "Văn phòng", "lat": 10.947, "lon": 106.823}, {"name": "Trụ sở 2", "lat": 11.535,
                                                                     "lon": 106.885}]
    assert Team.model_validate(_team(base={"lat": 10.947, "lon": 106.823}, bases=bases)).bases
    with pytest.raises(ValidationError, match="differs from the first of 'bases'"):
        Team.model_validate(_team(base={"lat": 11.535, "lon": 106.885}, bases=bases))


@pytest.mark.parametrize(("bases", "message"), [
    ([{"name": "A", "lat": 10.9, "lon": 106.8}, {"name": "A", "lat": 11.5, "lon": 106.9}], "share a name"),
    ([{"name": "A", "lat": 100.0, "lon": 106.8}], "less than or equal to 90"),
    ([{"name": "", "lat": 10.9, "lon": 106.8}], "at least 1 character"),
    ([{"lat": 10.9, "lon": 106.8}], "name"),
])
def test_bad_bases_are_refused(bases: list[dict[str, Any]], message: str) -> None:
    from models.scenario import Team
    with pytest.raises(ValidationError, match=message):
        Team.model_validate(_team(bases=bases))


def test_one_base_teams_are_unchanged(two_seats: Scenario) -> None:
    one = office_only(two_seats)
    units = [one.unit("X-BP-1")]
    assert team_bases(one, "D1") == [OFFICE]
    assert day_base(one, "D1", units) == OFFICE
    assert day_base(one, "D1", units, stated=SEAT) == OFFICE  # not one of its bases


# --- the route stage ---------------------------------------------------------------------------


def test_route_stage_plans_the_far_cluster_from_the_second_seat(two_seats: Scenario) -> None:
    routed = route_scenario(two_seats, time_limit_s=1.0)
    assert not routed.problems  # no whole-day trip: every unit fits a day from some base
    by_unit = {u: r for r in routed.routes.values() for u in r.unit_ids}
    assert {by_unit[u].base for u in CLUSTER} == {SEAT}
    assert {by_unit[u].base for u in ("P-BH-1", "P-BH-2")} == {OFFICE}


def test_from_the_office_alone_part_of_the_cluster_is_whole_day_trips(two_seats: Scenario) -> None:
    routed = route_scenario(office_only(two_seats), time_limit_s=1.0)
    assert {p.unit_id for p in routed.problems} == {"X-BP-1", "X-BP-3"}


def test_the_cluster_gets_timed_visits_from_the_seat_on_the_days_asked_for(
        two_seats: Scenario, planned: Schedule) -> None:
    cluster = [a for a in planned.assignments if a.unit_id in CLUSTER]
    assert len(cluster) == 5 and all(a.start_time is not None for a in cluster)
    assert {a.start for a in cluster} <= ASKED
    routes = [r for r in planned.routes if set(r.unit_ids) <= CLUSTER]
    assert routes and all(r.base is not None and Point(r.base.lat, r.base.lon) == SEAT for r in routes)
    assert {r.base.name for r in routes if r.base} == {"Trụ sở thứ hai của tỉnh (Đồng Xoài)"}
    near = next(r for r in planned.routes if "P-BH-1" in r.unit_ids)
    assert near.base is not None and Point(near.base.lat, near.base.lon) == OFFICE


def test_cost_counts_travel_from_the_chosen_base(two_seats: Scenario, planned: Schedule) -> None:
    travel = plan_cost(two_seats, planned).terms[RuleId.S07_TRAVEL]
    assert travel == sum(r.travel_minutes for r in planned.routes) * two_seats.weights.travel


# --- the checker (H16) -------------------------------------------------------------------------


def _with_route(schedule: Schedule, unit_id: str, **fields: Any) -> Schedule:
    routes = [r.model_copy(update=fields) if unit_id in r.unit_ids else r for r in schedule.routes]
    return schedule.model_copy(update={"routes": routes})


def test_checker_passes_the_plan_from_two_bases(two_seats: Scenario, planned: Schedule) -> None:
    assert violations(two_seats, planned) == []


def test_checker_refuses_a_base_none_of_the_teams(two_seats: Scenario, planned: Schedule) -> None:
    moved = _with_route(planned, "X-BP-5", base=RoutePoint(lat=11.2, lon=106.9))
    found = violations(two_seats, moved)
    assert found and all(rule == RuleId.H16_DAY_HOURS for rule, _ in found)
    assert any("none of team D1's bases" in message for _, message in found)


def test_checker_lays_a_day_out_from_its_stated_base(two_seats: Scenario, planned: Schedule) -> None:
    """A day stated from the office though its times and travel are the seat's: H16."""
    route = next(r for r in planned.routes if "X-BP-5" in r.unit_ids)
    moved = _with_route(planned, "X-BP-5", base=RoutePoint(lat=OFFICE.lat, lon=OFFICE.lon))
    found = violations(two_seats, moved)
    assert found and all(rule == RuleId.H16_DAY_HOURS for rule, _ in found)
    assert any(f"states {route.travel_minutes} minutes of travel" in m for _, m in found)


def test_checker_refuses_travel_stated_from_the_wrong_base(two_seats: Scenario, planned: Schedule) -> None:
    """The seat stated, but the travel the office would give: H16."""
    route = next(r for r in planned.routes if "X-BP-5" in r.unit_ids)
    office_day = day_routes(two_seats, [a for a in planned.assignments if a.route_id == route.id],
                            {route.key: OFFICE})[0]
    assert office_day.travel_minutes > route.travel_minutes
    forged = _with_route(planned, "X-BP-5", travel_minutes=office_day.travel_minutes)
    assert [rule for rule, _ in violations(two_seats, forged)] == [RuleId.H16_DAY_HOURS]


# --- outputs and reading a table back ----------------------------------------------------------


def test_an_untimed_table_is_laid_out_from_the_cheapest_base(tmp_path: Path, two_seats: Scenario,
                                                             planned: Schedule) -> None:
    read = load_plan(untimed_csv(two_seats, planned, tmp_path / "edited.csv"), two_seats)
    assert [(r.unit_ids, r.base) for r in read.routes] == [(r.unit_ids, r.base) for r in planned.routes]
    assert violations(two_seats, read) == []


def test_route_sheet_and_map_name_the_base(two_seats: Scenario, planned: Schedule) -> None:
    files = build_outputs(two_seats, planned, {"html"})
    page = next(data for name, data in files.items() if name.endswith(".html")).decode("utf-8")
    assert "Trụ sở thứ hai của tỉnh (Đồng Xoài)" in page
    assert "Trụ sở Sở Nội vụ (Biên Hòa)" in page


def test_a_scenario_with_bases_round_trips_through_its_file(two_seats: Scenario) -> None:
    data = two_seats.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert make_scenario(data).teams[0].bases == two_seats.teams[0].bases


def test_validate_notes_a_second_seat_outside_vietnam(two_seats: Scenario) -> None:
    from models.field_notes import field_notes
    team = two_seats.teams[0]
    swapped = team.bases[1].model_copy(update={"lat": team.bases[1].lon, "lon": team.bases[1].lat})
    moved_team = team.model_copy(update={"bases": [team.bases[0], swapped]})
    moved = two_seats.model_copy(update={"teams": [moved_team]})
    assert not any("outside Vietnam" in n for n in field_notes(two_seats, "en"))
    assert any("D1 (Trụ sở thứ hai của tỉnh (Đồng Xoài))" in n for n in field_notes(moved, "en"))


def test_a_day_from_the_other_base_laid_out_from_it_holds_and_costs_its_travel(
        two_seats: Scenario, planned: Schedule) -> None:
    """The planner may send the team from the office after all: the day laid out from it, stated
    with it, passes the checker and is priced by its own (longer) travel."""
    from scheduler.routing.reading import published_route
    from scheduler.routing.stage import route_assignments
    route = next(r for r in planned.routes if r.unit_ids == ["X-BP-5"])
    visit = next(a for a in planned.assignments if a.unit_id == "X-BP-5")
    one = office_only(two_seats)  # lays the day out from the office
    laid = route_assignments(one, ["X-BP-5"], visit)[0]
    office_day = day_routes(two_seats, [laid], {route.key: OFFICE})[0]
    stated = published_route(office_day)
    moved = planned.model_copy(update={
        "assignments": [laid if a.unit_id == "X-BP-5" else a for a in planned.assignments],
        "routes": [stated if r.id == route.id else r for r in planned.routes]})
    assert violations(two_seats, moved) == []
    before = plan_cost(two_seats, planned).terms[RuleId.S07_TRAVEL]
    after = plan_cost(two_seats, moved).terms[RuleId.S07_TRAVEL]
    assert after - before == (stated.travel_minutes - route.travel_minutes) * two_seats.weights.travel > 0


def test_a_team_without_a_base_plans_from_its_first_unit_as_before(two_seats: Scenario) -> None:
    """No base at all: each group's routes start at one stand-in point, its first located unit."""
    team = two_seats.teams[0].model_copy(update={"bases": [], "base": None})
    none = two_seats.model_copy(update={"teams": [team]})
    routed = route_scenario(none, time_limit_s=1.0)
    for first, group in (("X-BP-1", CLUSTER), ("P-BH-1", {"P-BH-1", "P-BH-2"})):
        where = none.unit(first).location
        assert where is not None
        assert {r.base for r in routed.routes.values() if set(r.unit_ids) <= group} == \
            {Point(where.lat, where.lon)}
