"""A day route is one visit of the calendar model but several units of the plan (issue 17).

The calendar problem's composite visits count once per unit they stand for in the per-unit terms
(S03, S04, S06, S09, S11: ``Unit.stands_for``), and their travel comes from the route stage's table
(``plan_cost(route_travel=...)``), so the calendar plan, its expansion and the CP-SAT model's own
objective price a routed plan alike. Six wards a few km apart in Hoàn Kiếm and Ba Đình, one-hour
visits, one team, a four-week window.
"""

from __future__ import annotations

from typing import Any

from conftest import make_scenario, tiny_scenario_data
from models.scenario import Scenario
from models.schedule import Status
from scheduler.cost.price import plan_cost
from scheduler.plan.stage import route_stage
from scheduler.problem.pace import pace_groups, pace_penalty
from scheduler.problem.problem import Problem
from scheduler.search.solve import SolveOptions, solve

BASE = {"lat": 21.0240, "lon": 105.8573}
SPOTS = [(21.0300, 105.8500), (21.0400, 105.8400), (21.0310, 105.8510), (21.0410, 105.8410),
         (21.0500, 105.8600), (21.0510, 105.8610)]
PER_UNIT = ("S03-early", "S04-preferred", "S06-optional", "S09-pace", "S11-outside-window")


def wards(weights: dict[str, int] | None = None, **extra: dict[str, Any]) -> Scenario:
    data = tiny_scenario_data()
    for team in data["teams"]:
        team["base"] = dict(BASE)
    data["units"] = [{"id": f"V{i}", "name": f"Phường {i}", "kind": "ward", "team": "D1",
                      "visit_minutes": 60, "location": {"lat": lat, "lon": lon},
                      "window": {"from": "2025-06-02", "to": "2025-06-27"}, **extra.get(f"V{i}", {})}
                     for i, (lat, lon) in enumerate(SPOTS, 1)]
    data["weights"] = {**data["weights"], "travel": 1, "team_days": 60, "pace": 10, "early": 3,
                       **(weights or {})}
    return make_scenario(data)


def routed_solve(scenario: Scenario) -> tuple[Problem, Any, Any]:
    calendar, expansion = route_stage(Problem.of(scenario), 1.0)
    result = solve(calendar.scenario, SolveOptions(time_limit_s=10, workers=1, seed=0),
                   dom=calendar.domains())
    return calendar, expansion, result


def test_a_composite_stands_for_its_routes_units() -> None:
    calendar, expansion, _ = routed_solve(wards())
    routes = expansion.routed.routes
    assert routes
    for unit in calendar.scenario.units:
        assert unit.stands_for == len(routes[unit.id].unit_ids)
    assert sum(u.stands_for for u in calendar.scenario.units) == 6


def test_the_calendar_plan_prices_as_its_expansion_and_the_model_agrees() -> None:
    scenario = wards()
    calendar, expansion, result = routed_solve(scenario)
    assert result.status is Status.OPTIMAL
    on_calendar = plan_cost(calendar.scenario, result.schedule, route_travel=calendar.route_travel)
    expanded = plan_cost(scenario, expansion.expand(result.schedule))
    assert on_calendar.terms == expanded.terms
    assert result.stats["solver_objective"] == expanded.objective
    assert expanded.terms["S07-travel"] > 0  # the table's travel is in it


def test_without_the_travel_table_a_calendar_plan_has_no_travel() -> None:
    calendar, _, result = routed_solve(wards())
    assert plan_cost(calendar.scenario, result.schedule).terms["S07-travel"] == 0


def test_per_unit_terms_count_a_composite_once_per_unit() -> None:
    """Every ward asks for a day it cannot get together with its neighbours on one route: the
    route misses it once per ward (S04), as the expansion does."""
    scenario = wards(weights={"preferred_dates": 100},
                     **{f"V{i}": {"preferred_dates": ["2025-06-04"]} for i in range(1, 7)})
    calendar, expansion, result = routed_solve(scenario)
    composite = plan_cost(calendar.scenario, result.schedule, route_travel=calendar.route_travel)
    expanded = plan_cost(scenario, expansion.expand(result.schedule))
    for rule in PER_UNIT:
        assert composite.terms[rule] == expanded.terms[rule], rule


def test_one_route_of_six_wards_is_a_pace_group() -> None:
    """Six wards on one route: one composite visit, still six units on the even-pace line."""
    calendar, _, _ = routed_solve(wards())
    groups = pace_groups(calendar.scenario, calendar.scenario.work_calendar())
    assert sum(g.units for g in groups) == 6


def test_pace_counts_each_unit_of_a_route() -> None:
    """Fail pair: a group of 1 composite of 4 units and 2 single ones, all in week 1 of a 4-week
    span, strays more than the same visits counted once each."""
    from scheduler.problem.pace import PaceGroup
    weighted = PaceGroup(("R", "A", "B"), (1, 2, 3, 4), (4, 1, 1))
    plain = PaceGroup(("R", "A", "B"), (1, 2, 3, 4))
    assert weighted.units == 6 and plain.units == 3
    assert pace_penalty(weighted, [1] * 6) == sum(abs(4 * 6 - k * 6) for k in range(1, 5))
    assert pace_penalty(weighted, [1] * 6) > pace_penalty(plain, [1] * 3)


def test_a_routes_members_give_the_agency_one_day() -> None:
    """S05 counts member-days: a route's visits share theirs (the expansion, as the calendar)."""
    scenario = wards(weights={"agency_spread": 1})
    calendar, expansion, result = routed_solve(scenario)
    expanded = expansion.expand(result.schedule)
    on_calendar = plan_cost(calendar.scenario, result.schedule, route_travel=calendar.route_travel)
    assert plan_cost(scenario, expanded).terms["S05-agency-spread"] == \
        on_calendar.terms["S05-agency-spread"]
