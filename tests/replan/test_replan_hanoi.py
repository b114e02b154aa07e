"""The Hanoi plan re-planned on 1 July 2025, when the new communes and wards come into force.

The baseline is the greedy plan of scenarios/hanoi-2025.yaml; the events file adds 10 of the new
wards (ids and names from the registry packages). Every earlier visit must be kept and every new
unit placed in Q3-Q4, from 1 July on; the checker must pass with the re-plan date.
"""

from __future__ import annotations

from datetime import date

import pytest

from conftest import SCENARIOS
from models.events import EventsFile
from models.events_reading import load_events
from models.scenario import Scenario
from models.schedule import Schedule, Status, VisitState
from scheduler.check.checker import check_schedule
from scheduler.plan.pipeline import greedy_schedule
from scheduler.replan.run import ReplanOptions, ReplanResult, replan

AS_OF = date(2025, 7, 1)
EVENTS = SCENARIOS / "events" / "hanoi-2025-07-01-rearrangement.yaml"
Outcome = tuple[Schedule, EventsFile, ReplanResult]


@pytest.fixture(scope="module")
def hanoi_baseline(hanoi: Scenario) -> Schedule:
    """The plan being executed: the greedy plan (instant, and no solver timing in the way)."""
    base = greedy_schedule(hanoi)
    assert base.solver.status is Status.FEASIBLE and check_schedule(hanoi, base).ok
    return base


@pytest.fixture(scope="module")
def hanoi_replan(hanoi: Scenario, hanoi_baseline: Schedule) -> Outcome:
    events = load_events(EVENTS, hanoi)
    result = replan(hanoi, hanoi_baseline, AS_OF, events,
                    ReplanOptions(time_limit_s=5, workers=1, seed=0))
    return hanoi_baseline, events, result


def test_hanoi_replan_keeps_every_earlier_visit(hanoi_replan: Outcome) -> None:
    base, _, result = hanoi_replan
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
    new = {a.unit_id: a for a in result.schedule.assignments}
    for old in base.assignments:
        kept = new[old.unit_id]
        assert kept.model_dump(exclude={"state"}) == old.model_dump(exclude={"state"})
        assert kept.state is (VisitState.DONE if old.start < AS_OF else kept.state)
    assert len(result.phases) == 1  # no need to widen
    assert result.phases[0].name.startswith("broken visits only")


def test_hanoi_replan_places_every_new_unit_in_q3_q4(hanoi_replan: Outcome) -> None:
    _, events, result = hanoi_replan
    added = {e.unit.id for e in events.events}
    assert len(added) == 10
    assert sorted(result.neighbourhood) == sorted(added)  # only the new units were re-solved
    new = {a.unit_id: a for a in result.schedule.assignments}
    for unit_id in added:
        assert AS_OF <= new[unit_id].start <= date(2025, 12, 31)
        assert new[unit_id].announce_by >= AS_OF
        assert new[unit_id].state is VisitState.PLANNED


def test_hanoi_replan_passes_the_checker(hanoi_replan: Outcome) -> None:
    _, _, result = hanoi_replan
    report = check_schedule(result.applied.scenario, result.schedule, as_of=AS_OF)
    assert report.ok, report.violations
    assert report.objective == result.schedule.solver.objective
    assert all(v == 0 for k, v in result.schedule.solver.objective_terms.items()
               if k.startswith("R"))  # nothing that had a place was changed


def test_hanoi_member_ill_example_runs_and_checks(hanoi: Scenario,
                                                 hanoi_baseline: Schedule) -> None:
    """scenarios/events/hanoi-2025-member-ill.yaml: leader of D1 ill, Sở NN&MT asks to move."""
    events = load_events(SCENARIOS / "events" / "hanoi-2025-member-ill.yaml", hanoi)
    result = replan(hanoi, hanoi_baseline, AS_OF, events,
                    ReplanOptions(time_limit_s=5, workers=1, seed=0))
    assert result.schedule is not None
    assert check_schedule(result.applied.scenario, result.schedule, as_of=AS_OF).ok
    new = {a.unit_id: a for a in result.schedule.assignments}
    for old in hanoi_baseline.assignments:
        if old.start < AS_OF:
            assert new[old.unit_id].model_dump(exclude={"state"}) == old.model_dump(
                exclude={"state"})
        if "D1-TD" in new[old.unit_id].member_ids:
            assert not date(2025, 7, 1) <= new[old.unit_id].start <= date(2025, 7, 14)
    assert not date(2025, 7, 1) <= new["SNNMT"].start <= date(2025, 7, 4)
