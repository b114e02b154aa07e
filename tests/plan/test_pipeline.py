"""The plan pipeline (scheduler/plan/pipeline.py): precheck → solve → explain → check, one call."""

from __future__ import annotations

import pytest
from scheduler_helpers import window

import scheduler.plan.pipeline as pipeline
import scheduler.problem.problem as problem_module
from conftest import make_scenario, tiny_scenario_data
from models.rules import RuleId
from models.scenario import Scenario
from models.schedule import Status
from scheduler.plan.pipeline import plan
from scheduler.search.solve import SolveOptions

FAST = SolveOptions(time_limit_s=10, workers=1, seed=0)


def test_a_feasible_scenario_ends_with_a_checked_plan(tiny: Scenario) -> None:
    outcome = plan(tiny, FAST)
    assert outcome.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert outcome.schedule is not None and outcome.explanation is None
    assert outcome.check is not None and outcome.clean
    assert outcome.check.objective == outcome.schedule.solver.objective
    assert {a.unit_id for a in outcome.schedule.assignments} == {u.id for u in tiny.units}


def test_a_precheck_finding_stops_before_solving(monkeypatch: pytest.MonkeyPatch) -> None:
    data = tiny_scenario_data()
    data["units"] = [{"id": f"V{i}", "name": f"Đơn vị {i}", "kind": "department",
                      "window": window("2025-06-09", "2025-06-10")} for i in range(5)]

    def no_solve(*_: object, **__: object) -> None:
        raise AssertionError("the solver must not run when a pre-check already failed")

    monkeypatch.setattr(pipeline, "solve", no_solve)
    outcome = plan(make_scenario(data), FAST)
    assert outcome.status is Status.INFEASIBLE and outcome.schedule is None
    assert outcome.explanation is not None
    assert outcome.explanation.findings[0].rule_id == RuleId.H13_PARALLEL


def test_an_infeasible_model_is_explained_with_domains_built_once(
        hanoi: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    data = hanoi.model_dump(by_alias=True, mode="json")
    for u in data["units"]:  # without the pins: each Q2 unit alone can be visited (by D2)
        u["team"] = None
        u["window"]["expected"] = False  # binding, or the Q2 units could move to Q3
    for m in data["members"]:
        if m["id"] in ("D1-PTD", "D1-SKHCN", "D2-TK"):
            m["unavailable"] = [window("2025-06-01", "2025-06-30")]
        if m["id"] == "D2-TD":
            m["max_visits_per_week"] = 1
    scenario = Scenario.model_validate(data)
    built: list[int] = []
    real = problem_module.build_domains

    def counting(*args: object, **kwargs: object) -> object:
        built.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(problem_module, "build_domains", counting)
    outcome = plan(scenario, SolveOptions(time_limit_s=20, workers=1, seed=0))
    assert outcome.status is Status.INFEASIBLE and outcome.schedule is None
    assert outcome.explanation is not None and outcome.explanation.unit_ids
    assert RuleId.H08_AGENCIES in outcome.explanation.rule_ids
    assert len(built) == 1
