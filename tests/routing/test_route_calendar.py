"""Routes that follow the calendar (issue 20): wanted, excluded and pinned dates, windows and
availability decide which short visits share a day (``scheduler.routing.stage.group_key``), and the
route stage cuts days at the plan's price (``scheduler.cost.routes.RoutePrice``).

Four wards a few km apart in Hoàn Kiếm and Ba Đình, one-hour visits, one team: at the default
weights they make one day route, unless the calendar says otherwise.
"""

from __future__ import annotations

import random
from typing import Any

from conftest import make_scenario, tiny_scenario_data
from models.scenario import Scenario
from scheduler.cost.price import plan_cost
from scheduler.cost.route_price import RoutePrice
from scheduler.plan.pipeline import plan
from scheduler.routing.stage import RoutedScenario, route_scenario
from scheduler.search.solve import SolveOptions

BASE = {"lat": 21.0240, "lon": 105.8573}
# V1 near V3, V2 near V4: by travel alone the pairs would be (V1, V3) and (V2, V4)
SPOTS = [(21.0300, 105.8500), (21.0400, 105.8400), (21.0310, 105.8510), (21.0410, 105.8410)]
WEEK = ("2025-06-09", "2025-06-13")
TUE, THU = "2025-06-10", "2025-06-12"


def wards(**extra: dict[str, Any]) -> dict[str, Any]:
    """The scenario data; ``extra`` maps a unit id to the fields it adds."""
    data = tiny_scenario_data()
    for team in data["teams"]:
        team["base"] = dict(BASE)
    data["units"] = [{"id": f"V{i}", "name": f"Phường {i}", "kind": "ward", "team": "D1",
                      "visit_minutes": 60, "location": {"lat": lat, "lon": lon},
                      "window": {"from": WEEK[0], "to": WEEK[1]}, **extra.get(f"V{i}", {})}
                     for i, (lat, lon) in enumerate(SPOTS, 1)]
    data["weights"] = {**data["weights"], "travel": 1, "team_days": 60, "preferred_dates": 100}
    return data


def route_sets(routed: RoutedScenario) -> set[frozenset[str]]:
    return {frozenset(r.unit_ids) for r in routed.routes.values()}


def routed(data: dict[str, Any]) -> tuple[Scenario, RoutedScenario]:
    scenario = make_scenario(data)
    return scenario, route_scenario(scenario, time_limit_s=1.0)


def test_four_wards_close_together_make_one_day() -> None:
    _, r = routed(wards())
    assert route_sets(r) == {frozenset({"V1", "V2", "V3", "V4"})}


def test_two_wanted_days_make_two_routes_on_those_days() -> None:
    """The planner wants V1, V2 on Tuesday and V3, V4 on Thursday: two routes, met on those days,
    although by travel alone V1 would ride with V3."""
    data = wards(V1={"preferred_dates": [TUE]}, V2={"preferred_dates": [TUE]},
                 V3={"preferred_dates": [THU]}, V4={"preferred_dates": [THU]})
    scenario, r = routed(data)
    assert route_sets(r) == {frozenset({"V1", "V2"}), frozenset({"V3", "V4"})}
    outcome = plan(scenario, SolveOptions(time_limit_s=5, workers=1, seed=0))
    assert outcome.schedule is not None
    starts = {a.unit_id: a.start.isoformat() for a in outcome.schedule.assignments}
    assert starts == {"V1": TUE, "V2": TUE, "V3": THU, "V4": THU}
    assert plan_cost(scenario, outcome.schedule).terms["S04-preferred"] == 0


def test_pinned_dates_make_one_route_per_pin_and_keep_every_pin() -> None:
    data = wards(V1={"date": TUE}, V2={"date": TUE}, V3={"date": THU}, V4={"date": THU})
    _, r = routed(data)
    assert route_sets(r) == {frozenset({"V1", "V2"}), frozenset({"V3", "V4"})}
    pins = {u.id: u.pinned_date for u in r.composite.units}
    assert sorted(str(p) for p in pins.values()) == [TUE, THU]


def test_a_ward_that_excludes_a_day_does_not_bar_its_neighbours_route_from_it() -> None:
    _, r = routed(wards(V1={"excluded_dates": [TUE]}))
    assert route_sets(r) == {frozenset({"V1"}), frozenset({"V2", "V3", "V4"})}
    excluded = {frozenset(x.isoformat() for x in u.excluded_dates) for u in r.composite.units}
    assert excluded == {frozenset({TUE}), frozenset()}


def test_wards_with_the_same_excluded_day_still_share_a_route() -> None:
    same = {"excluded_dates": [TUE]}
    _, r = routed(wards(V1=same, V2=same, V3=same, V4=same))
    assert route_sets(r) == {frozenset({"V1", "V2", "V3", "V4"})}


def test_windows_that_do_not_meet_make_separate_routes() -> None:
    late = {"window": {"from": "2025-06-16", "to": "2025-06-20"}}
    _, r = routed(wards(V3=late, V4=late))
    assert route_sets(r) == {frozenset({"V1", "V2"}), frozenset({"V3", "V4"})}


def test_a_ward_available_later_rides_with_those_available_as_late() -> None:
    later = {"available_from": THU}
    _, r = routed(wards(V2=later, V4=later))
    assert route_sets(r) == {frozenset({"V1", "V3"}), frozenset({"V2", "V4"})}


def test_the_route_stage_prices_days_at_the_scenarios_weights() -> None:
    """Six visits whose least travel takes three days: at 400 a day the stage takes two, with more
    travel (the engine's price is the scenario's, ``RoutePrice.of(weights)``)."""
    rng = random.Random(30)
    spots = [(21.0285 + rng.uniform(-0.1, 0.1), 105.8542 + rng.uniform(-0.1, 0.1), rng.randint(60, 150))
             for _ in range(6)]
    found = []
    for team_days in (0, 400):
        data = wards()
        for team in data["teams"]:
            team["base"] = {"lat": 21.0285, "lon": 105.8542}
        data["units"] = [{**data["units"][0], "id": f"W{i}", "location": {"lat": lat, "lon": lon},
                          "visit_minutes": minutes} for i, (lat, lon, minutes) in enumerate(spots)]
        data["weights"]["team_days"] = team_days
        _, r = routed(data)
        found.append((len(r.routes), r.travel_minutes))
    (days_free, travel_free), (days_dear, travel_dear) = found
    assert days_dear < days_free and travel_dear > travel_free
    assert RoutePrice(1, 400)(travel_dear, days_dear) < RoutePrice(1, 400)(travel_free, days_free)
