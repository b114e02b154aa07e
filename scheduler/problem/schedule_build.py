"""Building a ``kiemtra.schedule/1`` from decisions: one assignment, then the whole schedule.

Shared by the solver (turning a CP-SAT solution into a schedule), the re-planner and the tests
(hand-made schedules for the checker). The dates derived from a visit's start (its end, report
deadline and announcement day) come from ``models.timing`` only, so that every layer agrees.
Imports no solver.
"""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Iterable
from datetime import date
from importlib import metadata

from models.calendar import WorkCalendar
from models.scenario import Scenario, Unit
from models.schedule import (
    Assignment,
    MemberRef,
    ScenarioRef,
    Schedule,
    SolverInfo,
    TeamRef,
    UnitRef,
    Unscheduled,
    VisitState,
)
from models.timing import announce_by, conclusion_due, report_due, visit_days


def _unit(scenario: Scenario, unit_id: str) -> Unit:
    try:
        return scenario.unit(unit_id)  # by id: a scan per visit was quadratic on 10,000 units
    except KeyError:
        raise KeyError(f"unit '{unit_id}' is not in the scenario") from None


def make_assignment(
    scenario: Scenario,
    cal: WorkCalendar,
    unit_id: str,
    team_id: str,
    start: date,
    member_ids: Iterable[str],
    lead_id: str,
    state: VisitState = VisitState.PLANNED,
) -> Assignment:
    """An assignment whose end, report deadline and announcement day follow from ``start``.

    The form (planned or surprise) is the unit's; a surprise visit has no report deadline and
    no announcement day. ``start`` should be a working day (the checker reports it if not).
    """
    unit = _unit(scenario, unit_id)
    days = visit_days(cal, start, unit.duration)
    return Assignment(
        unit_id=unit_id,
        team_id=team_id,
        start=start,
        end=days[-1],
        member_ids=list(member_ids),
        lead_id=lead_id,
        form=unit.form,
        report_due=report_due(cal, scenario, unit, start),
        announce_by=announce_by(cal, scenario, unit, start),
        state=state,
        conclusion_due=conclusion_due(cal, scenario, days[-1]),
    )


def runtime_versions() -> dict[str, str]:
    """What a plan depends on besides its scenario, seed and options (to reproduce it)."""
    found = {"python": platform.python_version()}
    for name in ("kiemtra", "ortools", "holidays"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "unknown"
    return found


def scenario_sha256(scenario: Scenario) -> str:
    """Fingerprint of the scenario a schedule was made for (its canonical JSON)."""
    return hashlib.sha256(scenario.model_dump_json(by_alias=True).encode()).hexdigest()


def schedule_skeleton(
    scenario: Scenario,
    assignments: Iterable[Assignment],
    solver_info: SolverInfo,
    unscheduled: Iterable[Unscheduled] = (),
) -> Schedule:
    """A complete schedule: scenario reference, teams, members, units and the assignments."""
    if not solver_info.versions:
        solver_info = solver_info.model_copy(update={"versions": runtime_versions()})
    return Schedule(
        scenario=ScenarioRef(name=scenario.campaign.name, sha256=scenario_sha256(scenario)),
        solver=solver_info,
        teams=[TeamRef(id=t.id, name=t.name) for t in scenario.teams],
        members=[
            MemberRef(id=m.id, name=m.display_name, agency=m.agency, team=m.team, role=m.role)
            for m in scenario.members
        ],
        units=[UnitRef(id=u.id, name=u.name, kind=u.kind, agency=u.agency) for u in scenario.units],
        assignments=list(assignments),
        unscheduled=list(unscheduled),
    )
