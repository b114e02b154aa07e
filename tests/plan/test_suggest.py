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


def test_the_suggest_command_lists_places_and_refuses_a_bad_unit_file(tmp_path: Any) -> None:
    import json

    import yaml
    from click.testing import CliRunner

    from cli import main
    from conftest import SCENARIOS

    out = tmp_path / "h"
    solved = CliRunner().invoke(main, ["solve", str(SCENARIOS / "hanoi-2025.yaml"), "--out", str(out),
                                       "--time-limit", "3", "--workers", "1", "--formats", "json", "-q"])
    assert solved.exit_code == 0, solved.output
    unit = tmp_path / "unit.yaml"
    unit.write_text(yaml.safe_dump({"id": "NEW", "name": "Trung tâm Lưu trữ lịch sử",
                                    "kind": "public_service_unit", "window": {"quarters": [3]}},
                                   allow_unicode=True), encoding="utf-8")
    args = ["suggest", str(SCENARIOS / "hanoi-2025.yaml"), str(out / "schedule.json"), "--add", str(unit)]
    shown = CliRunner().invoke(main, [*args, "--top", "2"])
    assert shown.exit_code == 0 and "chi phí" in shown.output and shown.output.startswith("1. ")
    summary = json.loads(CliRunner().invoke(main, [*args, "--json"]).stdout)
    costs = [p["cost_change"] for p in summary["places"]]
    assert len(costs) == 5 and costs == sorted(costs)
    unit.write_text("- id: NEW\n", encoding="utf-8")
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 2 and "unit.yaml" in refused.output and "Traceback" not in refused.output
