"""Where can one more unit go (scheduler/plan/suggest.py): the best places, checked, nothing changed."""

from __future__ import annotations

from typing import Any

import pytest
from test_day_routes import short_data

from conftest import make_scenario
from models.scenario import Scenario, Unit
from models.schedule import Schedule
from scheduler.check.checker import check_schedule
from scheduler.cost.price import plan_cost
from scheduler.plan.pipeline import plan
from scheduler.plan.suggest import UnitAlreadyPlanned, suggest_places
from scheduler.search.solve import SolveOptions

FAST = SolveOptions(time_limit_s=5, workers=1, seed=0)


def _planned(data: dict[str, Any]) -> tuple[Scenario, Schedule]:
    scenario = make_scenario(data)
    outcome = plan(scenario, FAST)
    assert outcome.schedule is not None and outcome.clean
    return scenario, outcome.schedule


def _new_unit(**fields: Any) -> Unit:
    base = {"id": "NEW", "name": "Phường Mới", "kind": "ward", "team": "D1",
            "window": {"from": "2025-06-09", "to": "2025-06-13"}}
    return Unit.model_validate({**base, **fields})


def test_places_are_ranked_by_what_they_add_to_the_plans_price_and_all_pass_the_checker() -> None:
    data = short_data(minutes=45, to="2025-06-09")
    data["weights"].update({"travel": 1, "team_days": 60})  # a day of its own costs 60
    scenario, schedule = _planned(data)
    unit = _new_unit(visit_minutes=45, location={"lat": 21.027, "lon": 105.852})
    places = suggest_places(scenario, schedule, unit, top=4)
    assert places and [p.cost_change for p in places] == sorted(p.cost_change for p in places)
    grown = scenario.model_copy(update={"units": [*scenario.units, unit]})
    before = plan_cost(scenario, schedule).objective
    best = places[0]
    assert best.route_id is not None, "a short visit near a day route joins it rather than taking a day"
    assert best.position is not None and 1 <= best.position <= len(schedule.routes[0].unit_ids) + 1
    assert best.cost_change < min((p.cost_change for p in places if p.route_id is None), default=10**9)
    for place in places:
        assert place.visit.unit_id == "NEW" and place.visit.team_id == "D1"
        assert grown.unit("NEW").team == place.visit.team_id
    assert plan_cost(scenario, schedule).objective == before  # the plan itself is unchanged


def test_a_whole_day_unit_gets_days_of_its_own_with_a_full_group() -> None:
    data = short_data(to="2025-06-09")
    scenario, schedule = _planned(data)
    places = suggest_places(scenario, schedule, _new_unit(), top=3)
    assert len(places) == 3 and all(p.route_id is None and p.visit.start_time is None for p in places)
    grown = scenario.model_copy(update={"units": [*scenario.units, _new_unit()]})
    for p in places:
        trial = schedule.model_copy(update={"assignments": [*schedule.assignments, p.visit]})
        assert check_schedule(grown, trial).ok


def test_a_unit_already_in_the_scenario_is_refused() -> None:
    scenario, schedule = _planned(short_data(to="2025-06-09"))
    with pytest.raises(UnitAlreadyPlanned):
        suggest_places(scenario, schedule, scenario.units[0])


def test_no_place_when_the_window_allows_none() -> None:
    scenario, schedule = _planned(short_data(to="2025-06-09"))
    closed = _new_unit(window={"from": "2025-06-07", "to": "2025-06-08"})  # a weekend
    assert suggest_places(scenario, schedule, closed) == []
