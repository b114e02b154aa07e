"""A budget never crashes a run or fakes a Ctrl-C: any search cut by a limit returns its best known
plan, and says which limit stopped it. Nothing here asserts what a budget finds."""

from __future__ import annotations

import os
import signal
import threading

import pytest

import scheduler.routing.search as route_search
import scheduler.search.parameters as parameters
from models.scenario import Scenario
from models.schedule import Status
from scheduler.routing.engine import Stop, plan_routes
from scheduler.routing.travel import Point
from scheduler.search.parameters import stopped_by
from scheduler.search.sigint import SigintStops
from scheduler.search.solve import SolveOptions, solve

BASE = Point(21.0240, 105.8573)
STOPS = [Stop(f"V{i}", Point(21.02 + 0.01 * (i % 3), 105.84 + 0.01 * (i // 3)), 60) for i in range(6)]


def test_a_cover_search_cut_before_its_first_cover_keeps_the_greedy_days(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """On a loaded machine the set partitioning once hit its wall safety net before a first cover
    and the run ended in an AssertionError; the greedy days are a valid cover and stand."""
    monkeypatch.setattr(route_search, "partition", lambda *_, **__: None)
    plan = plan_routes(STOPS, BASE, time_limit_s=1.0)
    assert plan.method == "greedy"
    assert sorted(u for r in plan.routes for u in r.unit_ids) == sorted(s.unit_id for s in STOPS)


def test_a_search_cut_by_the_wall_cap_is_not_a_ctrl_c(hanoi: Scenario,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parameters, "wall_cap_s", lambda _limit: 0.3)
    result = solve(hanoi, SolveOptions(time_limit_s=500, workers=1, seed=0))
    assert result.stats["interrupted"] is False
    assert result.stats["stopped_by"] in ("wall_cap", "proof")
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)  # the hint at least: a plan


def test_a_real_sigint_stops_the_search_and_is_remembered() -> None:
    stopped = threading.Event()
    with SigintStops(stopped.set) as sigint:
        os.kill(os.getpid(), signal.SIGINT)
        assert stopped.wait(5.0)
    assert sigint.interrupted
    with SigintStops(stopped.clear) as quiet:
        pass
    assert not quiet.interrupted
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back


@pytest.mark.parametrize(("status", "capped", "interrupted", "why"), [
    (Status.FEASIBLE, False, True, "sigint"),
    (Status.FEASIBLE, True, False, "wall_cap"),
    (Status.FEASIBLE, False, False, "work_limit"),
    (Status.OPTIMAL, False, False, "proof"),
    (Status.UNKNOWN, True, False, "wall_cap"),
])
def test_which_limit_stopped_a_search(status: Status, capped: bool, interrupted: bool, why: str) -> None:
    assert stopped_by(status, capped, interrupted) == why


def test_a_ctrl_c_just_before_the_search_still_stops_it(hanoi: Scenario) -> None:
    """A stop asked before CP-SAT has started its search is asked again until it holds."""
    import time

    from scheduler.model.build import build_model
    from scheduler.search.parameters import solver_parameters

    pm = build_model(hanoi)
    solver = solver_parameters(500.0, 1, 0)
    with SigintStops(solver.stop_search) as sigint:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.2)  # the watcher has already asked for a stop: no search yet to stop
        solver.solve(pm.model)
    assert sigint.interrupted
    assert solver.deterministic_time < 500.0  # stopped, not run to its work limit
