"""The editable scenario a re-plan's events are applied to, and the helpers they share.

Pure: no solver is imported here.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from models.calendar import WorkCalendar
from models.loading import InputError, Problem, validate_scenario
from models.scenario import Scenario
from models.schedule import Assignment, Schedule, VisitState
from models.timing import visit_days
from scheduler.problem.schedule_build import make_assignment
from scheduler.replan.fates import AppliedEvents, Fate, UnitFate, effective_state


class EventsWork:
    """The scenario as editable data while the events are applied one after the other: its state
    and the helpers every event applier uses (``scheduler.replan.events_apply._Work``)."""

    def __init__(self, scenario: Scenario, baseline: Schedule, as_of: date,
                 events_path: Path | str) -> None:
        self.original = scenario
        self.as_of = as_of
        self.path = events_path
        self.cal: WorkCalendar = scenario.work_calendar()
        self.data: dict[str, Any] = scenario.model_dump(by_alias=True, mode="json",
                                                        exclude_none=True)
        self.fates: dict[str, UnitFate] = {}
        self.cancelled: list[Assignment] = []
        self.carried: dict[str, Assignment] = {}  # new unit id -> visit it takes over
        self._start_from_baseline(baseline)

    # --- set-up ----------------------------------------------------------------------------

    def _start_from_baseline(self, baseline: Schedule) -> None:
        visits = {a.unit_id: a for a in baseline.assignments if a.state is not VisitState.CANCELLED}
        strangers = sorted(set(visits) - {u.id for u in self.original.units})
        if strangers:
            raise InputError("baseline schedule", [Problem(
                f"assignments ({', '.join(strangers)})",
                "visits of units the scenario does not have; re-plan with the scenario the "
                "baseline was made for (kiemtra rekey maps old units to new ones)")])
        left_out = {u.unit_id for u in baseline.unscheduled}
        for unit in self.original.units:
            visit = visits.get(unit.id)
            if visit is None and unit.optional and unit.id in left_out:
                fate = UnitFate(unit.id, Fate.KEPT)
                fate.because("optional unit left out in the baseline")
                self.fates[unit.id] = fate
                continue
            if visit is None:
                fate = UnitFate(unit.id, Fate.NEW)
                fate.because("no visit in the baseline yet")
                self.fates[unit.id] = fate
                continue
            state = effective_state(visit, self.as_of)
            visit = visit.model_copy(update={"state": state})
            kind = Fate.HISTORY if state is VisitState.DONE else Fate.KEPT
            self.fates[unit.id] = UnitFate(unit.id, kind, reference=visit)

    # --- helpers ---------------------------------------------------------------------------

    def fail(self, where: str, message: str) -> None:
        raise InputError(self.path, [Problem(where, message)])

    def unit(self, unit_id: str) -> dict[str, Any]:
        return next(u for u in self.data["units"] if u["id"] == unit_id)

    def member(self, member_id: str) -> dict[str, Any]:
        return next(m for m in self.data["members"] if m["id"] == member_id)

    def drop_unit(self, unit_id: str) -> None:
        """The unit leaves the scenario, and the selections that list it by id."""
        self.data["units"] = [u for u in self.data["units"] if u["id"] != unit_id]
        for selection in self.data.get("selections", []):
            if "units" in selection:
                selection["units"] = [u for u in selection["units"] if u != unit_id]

    def visit(self, unit_id: str) -> Assignment | None:
        """The unit's visit as it stands: done, kept or released (None if it has none)."""
        fate = self.fates.get(unit_id)
        live = (Fate.HISTORY, Fate.KEPT, Fate.RELEASED)
        return fate.reference if fate and fate.fate in live else None

    def is_history(self, unit_id: str) -> bool:
        fate = self.fates.get(unit_id)
        return fate is not None and fate.fate is Fate.HISTORY

    def days_of(self, visit: Assignment) -> list[date]:
        return visit_days(self.cal, visit.start, self.unit(visit.unit_id).get("duration", 1))

    def open_visits(self) -> list[Assignment]:
        """Visits that may still change: not history, not cancelled, not new."""
        return [f.reference for f in self.fates.values()
                if f.fate in (Fate.KEPT, Fate.RELEASED) and f.reference is not None]

    def release(self, unit_id: str, text: str, event: str, rule: str | None = None) -> None:
        fate = self.fates[unit_id]
        if fate.fate is Fate.KEPT:
            fate.fate = Fate.RELEASED
        fate.because(text, event, rule)

    def cancel(self, unit_id: str, text: str, event: str) -> None:
        fate = self.fates.get(unit_id)
        visit = fate.reference if fate and fate.fate in (Fate.KEPT, Fate.RELEASED) else None
        if visit is not None and visit.unit_id == unit_id:
            self.cancelled.append(visit.model_copy(update={"state": VisitState.CANCELLED}))
        new = UnitFate(unit_id, Fate.CANCELLED, reference=visit)
        new.because(text, event)
        self.fates[unit_id] = new
        self.drop_unit(unit_id)

    # --- result ----------------------------------------------------------------------------

    def finish(self) -> AppliedEvents:
        scenario = validate_scenario(self.data, self.path)
        for unit_id in self.carried:
            self._recompute_carried(scenario, unit_id)
        return AppliedEvents(scenario, self.as_of, self.fates, self.cancelled)

    def _recompute_carried(self, scenario: Scenario, unit_id: str) -> None:
        """A carried visit's end and report deadline follow the new unit's length and form."""
        fate = self.fates[unit_id]
        ref = fate.reference
        if ref is None:
            return
        fate.reference = make_assignment(scenario, self.cal, unit_id, ref.team_id, ref.start,
                                         ref.member_ids, ref.lead_id, ref.state)
