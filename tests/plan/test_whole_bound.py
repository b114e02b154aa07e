"""A routed plan's bound is a lower bound on its whole price (scheduler/plan/bound.py), and its
progress is shown on that price's scale (scheduler/plan/reprice.py).

Small routed cases (a handful of short visits near one base); work limits only: the assertions
hold for any plan the budget finds.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_day_routes import BASE, short_data

from conftest import make_scenario
from models.scenario import Scenario
from models.schedule import Status
from scheduler.check.claims import false_claims
from scheduler.cost.price import plan_cost
from scheduler.plan.bound import pace_floor_total, whole_plan_bound
from scheduler.plan.pipeline import CPSAT, GREEDY, plan
from scheduler.plan.stage import route_stage
from scheduler.problem.problem import Problem
from scheduler.search.solve import Progress, SolveOptions

FAST = SolveOptions(time_limit_s=3, workers=1, seed=0)
WEIGHTS = {"travel": 1, "team_days": 60, "pace": 1, "member_balance": 5, "team_balance": 20}


def _scenario(spots: list[tuple[float, float]], minutes: int, subteams: int, to: str,
              pinned: bool) -> Scenario:
    data: dict[str, Any] = short_data(minutes=minutes, spots=spots, to=to)
    data["teams"][0]["parallel_subteams"] = subteams
    data["teams"][1]["base"] = {"lat": BASE["lat"] + 0.004, "lon": BASE["lon"]}  # ~0.5 km apart
    if not pinned:
        for unit in data["units"]:
            unit.pop("team")
    data["weights"].update(WEIGHTS)
    return make_scenario(data)


def _bound(scenario: Scenario) -> int | None:
    problem = Problem.of(scenario)
    _, expansion = route_stage(problem, 1.0)
    assert expansion.routed is not None
    return whole_plan_bound(problem, expansion.routed)


SPOT = st.tuples(st.floats(20.99, 21.06), st.floats(105.80, 105.88))


@given(spots=st.lists(SPOT, min_size=2, max_size=6), minutes=st.sampled_from([45, 90, 150]),
       subteams=st.integers(1, 2), to=st.sampled_from(["2025-06-13", "2025-07-04"]),
       pinned=st.booleans())
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_no_plan_costs_less_than_the_whole_plan_bound(
        spots: list[tuple[float, float]], minutes: int, subteams: int, to: str, pinned: bool) -> None:
    scenario = _scenario(spots, minutes, subteams, to, pinned)
    bound = _bound(scenario)
    assert bound is not None
    costs = {}
    for planner in (CPSAT, GREEDY):  # the greedy planner draws other day routes
        outcome = plan(scenario, FAST, planner)
        assert outcome.schedule is not None and outcome.clean
        cost = costs[planner.name] = plan_cost(scenario, outcome.schedule).objective
        assert bound <= cost, (planner.name, bound, cost)
        assert outcome.check is not None
        assert false_claims(outcome.schedule, outcome.check, scenario) == []  # OPTIMAL: bound = cost
        if planner is CPSAT:
            info = outcome.schedule.solver
            assert info.bound == min(bound, cost)  # stated with the plan, never above it
            if outcome.status is Status.OPTIMAL:  # proven for its routes: the bound stays below
                assert info.objective is not None and bound <= info.objective
    assert costs["cpsat"] <= costs["greedy"]  # a first plan is never worse than the quick one


def test_the_bound_holds_the_pace_floor_and_the_route_days() -> None:
    spots = [(21.03, 105.85), (21.04, 105.84), (21.01, 105.83), (21.005, 105.86)]
    scenario = _scenario(spots, 150, 1, "2025-07-04", True)
    bound = _bound(scenario)
    # 4 × 150 minutes need at least two working days: two team-days at 60, at least
    assert bound is not None and bound >= 2 * 60 + pace_floor_total(scenario)


def test_progress_is_shown_on_the_plans_own_price() -> None:
    spots = [(21.03, 105.85), (21.04, 105.84), (21.01, 105.83), (21.005, 105.86), (21.05, 105.87)]
    scenario = _scenario(spots, 90, 1, "2025-07-04", False)
    seen: list[Progress] = []
    outcome = plan(scenario, SolveOptions(time_limit_s=3, workers=1, seed=0, on_progress=seen.append))
    assert outcome.schedule is not None and outcome.clean and seen
    costs = [p.objective for p in seen]
    assert costs == sorted(costs, reverse=True) and len(set(costs)) == len(costs)  # each better
    assert costs[-1] == outcome.schedule.solver.objective == plan_cost(scenario, outcome.schedule).objective
    assert all(p.bound is not None and p.bound <= p.objective for p in seen)


def test_a_plan_with_nights_away_states_a_bound_below_its_price() -> None:
    """A trip's units share its days: the floor counts them no team-day (one each would be no bound)."""
    from conftest import ROOT
    from models.loading import load_scenario

    scenario = load_scenario(ROOT / "scenarios" / "dong-nai-2025-overnight.yaml")
    for planner in (GREEDY, CPSAT):
        outcome = plan(scenario, FAST, planner=planner)
        assert outcome.schedule is not None and outcome.clean
        assert any(a.trip_id for a in outcome.schedule.assignments)
        bound = outcome.schedule.solver.bound
        assert bound is not None and bound <= plan_cost(scenario, outcome.schedule).objective
