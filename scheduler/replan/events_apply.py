"""Applying events to a scenario and its baseline schedule, before anything is re-solved.

Answers, for every unit, what the re-plan may do with its visit and why:

- ``history``: the visit started before the re-plan date (or is marked done): it never moves;
- ``kept``: an announced or planned visit that nothing broke: it stays exactly as it is;
- ``released``: an event broke the visit (a member fell ill, the unit asked to move, a merger
  carried it to a new unit): it is re-planned, staying as close as it can to its ``reference``;
- ``new``: a unit with no visit yet (added, born from a merger or split);
- ``cancelled``: the unit left the campaign (removed, merged away, split); its visit is dropped;
- ``covered``: a unit born from a merger or split whose old unit's visit counts for it.

A baseline visit whose announcement day has passed by the re-plan date counts as announced: the
unit was told. Pure: no solver is imported here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from models.calendar import WorkCalendar, format_vn
from models.events import (
    EventKind,
    EventsFile,
    MemberJoins,
    MemberLeaves,
    MemberUnavailable,
    SurpriseVisit,
    UnitAdded,
    UnitMoves,
    UnitRemoved,
    UnitsMerged,
    UnitSpec,
    UnitSplit,
    event_label,
)
from models.loading import InputError, Problem, validate_scenario
from models.rules import RuleId
from models.scenario import Form, Scenario, Window, expand_dates
from models.schedule import Assignment, Schedule, VisitState
from models.timing import visit_days
from scheduler.problem.schedule_build import make_assignment


class Fate(StrEnum):
    HISTORY = "history"
    KEPT = "kept"
    RELEASED = "released"
    NEW = "new"
    CANCELLED = "cancelled"
    COVERED = "covered"


@dataclass
class UnitFate:
    """What happens to one unit's visit in the re-plan, and the reasons, in planners' words."""

    unit_id: str
    fate: Fate
    reference: Assignment | None = None  # the visit to stay close to (baseline or carried)
    reasons: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)  # labels of the events behind the fate
    rules: list[str] = field(default_factory=list)  # rule ids the old visit would break

    def because(self, text: str, event: str | None = None, rule: str | None = None) -> None:
        self.reasons.append(text)
        if event and event not in self.events:
            self.events.append(event)
        if rule and rule not in self.rules:
            self.rules.append(rule)


@dataclass
class AppliedEvents:
    """The new scenario, every unit's fate, and the visits cancelled on the way."""

    scenario: Scenario
    as_of: date
    fates: dict[str, UnitFate]
    cancelled: list[Assignment]

    def with_fate(self, *fates: Fate) -> dict[str, UnitFate]:
        return {u: f for u, f in self.fates.items() if f.fate in fates}

    def history(self) -> dict[str, Assignment]:
        return {u: f.reference for u, f in self.with_fate(Fate.HISTORY).items() if f.reference}

    def kept(self) -> dict[str, Assignment]:
        return {u: f.reference for u, f in self.with_fate(Fate.KEPT).items() if f.reference}

    def released(self) -> dict[str, Assignment | None]:
        return {u: f.reference for u, f in self.with_fate(Fate.RELEASED).items()}

    def new_units(self) -> list[str]:
        return list(self.with_fate(Fate.NEW))


def effective_state(visit: Assignment, as_of: date) -> VisitState:
    """A visit's state on the re-plan date: started: done; announcement day passed: announced."""
    if visit.state in (VisitState.DONE, VisitState.CANCELLED):
        return visit.state
    if visit.start < as_of:
        return VisitState.DONE
    if visit.state is VisitState.ANNOUNCED:
        return visit.state
    if visit.announce_by is not None and visit.announce_by < as_of:
        return VisitState.ANNOUNCED
    return VisitState.PLANNED


def apply_events(
    scenario: Scenario,
    baseline: Schedule,
    as_of: date,
    events: EventsFile | None = None,
    events_path: Path | str = "events",
) -> AppliedEvents:
    """The scenario after the events, and what the re-plan may do with each unit's visit."""
    horizon = scenario.campaign.horizon
    if not horizon.start <= as_of <= horizon.end:
        raise InputError("--as-of", [Problem("", f"{as_of} is outside the campaign horizon "
                                                 f"{horizon.start}..{horizon.end}; pick a day in it")])
    work = _Work(scenario, baseline, as_of, events_path)
    for i, event in enumerate(events.events if events else []):
        work.apply(event_label(i, event), event)
    return work.finish()


class _Work:
    """The scenario as editable data while the events are applied one after the other."""

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

    # --- events ----------------------------------------------------------------------------

    def apply(self, label: str, event: Any) -> None:
        APPLIERS[event.kind](self, label, event)

    def member_unavailable(self, label: str, event: MemberUnavailable) -> None:
        """A member's absence releases every open visit of theirs that falls in it."""
        span = f"{format_vn(event.start)}–{format_vn(event.end)}"
        self._absent(event.member, event.start, event.end, label,
                     f"member {event.member} unavailable {span}")

    def member_leaves(self, label: str, event: MemberLeaves) -> None:
        """From the day they leave, the member is taken off every open visit."""
        end = max(self.original.campaign.horizon.end, event.start)
        self._absent(event.member, event.start, end, label,
                     f"member {event.member} leaves the team on {format_vn(event.start)}")

    def _absent(self, member_id: str, first: date, last: date, label: str, text: str) -> None:
        """Record an absence from the re-plan date on: done visits before it stay as they were."""
        first = max(first, self.as_of, self._busy_until(member_id))
        if last < first:
            return
        self.member(member_id).setdefault("unavailable", []).append(
            {"from": first.isoformat(), "to": last.isoformat()})
        self._release_member_visits(member_id, first, last, label, text)

    def _busy_until(self, member_id: str) -> date:
        """The day after the member's last visit already under way (started before as_of)."""
        ends = [self.days_of(f.reference)[-1] for f in self.fates.values()
                if f.fate is Fate.HISTORY and f.reference and member_id in f.reference.member_ids]
        return max(ends, default=self.as_of - timedelta(days=1)) + timedelta(days=1)

    def _release_member_visits(self, member_id: str, first: date, last: date, label: str,
                               text: str) -> None:
        for visit in self.open_visits():
            if member_id in visit.member_ids and any(
                    first <= d <= last for d in self.days_of(visit)):
                self.release(visit.unit_id, text, label, RuleId.H11_AVAILABLE)

    def member_joins(self, label: str, event: MemberJoins) -> None:
        """A newcomer may be sent from the day they join; no visit breaks."""
        member = event.member.model_dump(by_alias=True, mode="json", exclude_none=True)
        start = self.original.campaign.horizon.start
        if event.start > start:
            member.setdefault("unavailable", []).append(
                {"from": start.isoformat(), "to": (event.start - timedelta(days=1)).isoformat()})
        self.data["members"].append(member)

    def unit_moves(self, label: str, event: UnitMoves) -> None:
        """A unit's request to move: its visit is released only if it no longer fits."""
        if self.is_history(event.unit):
            self.fates[event.unit].because(
                "asked to move, but was already visited: request noted, visit unchanged", label)
            return
        unit = self.unit(event.unit)
        extra = [d.model_dump(by_alias=True, mode="json") if hasattr(d, "model_dump")
                 else d.isoformat() for d in event.excluded_dates]
        unit["excluded_dates"] = [*unit.get("excluded_dates", []), *extra]
        if event.window is not None:
            unit["window"] = event.window.model_dump(by_alias=True, mode="json",
                                                     exclude_none=True)
        visit = self.visit(event.unit)
        if visit is None:
            self.fates[event.unit].because("asked to move before being planned", label)
            return
        clash = self._move_clash(visit, event)
        if clash:
            self.release(event.unit, f"the unit asked to move: {clash[0]}", label, clash[1])
        else:
            self.fates[event.unit].because("asked to move; the planned date already fits", label)

    def _move_clash(self, visit: Assignment, event: UnitMoves) -> tuple[str, str] | None:
        days = self.days_of(visit)
        excluded = expand_dates(event.excluded_dates)
        if any(d in excluded for d in days):
            return f"{format_vn(visit.start)} is now excluded", RuleId.H14_EXCLUDED
        if event.window is not None:
            first, last = event.window.bounds(self.original.campaign.horizon.start.year)
            # Released even from an expected window: the unit asked to move, the solver weighs
            # bringing it in (S11) against the change costs.
            rule = RuleId.S11_OUTSIDE_WINDOW if event.window.expected else RuleId.H02_WINDOW
            if days[0] < first or days[-1] > last:
                return f"{format_vn(visit.start)} is outside the new window", rule
        return None

    def unit_added(self, label: str, event: UnitAdded) -> None:
        self.data["units"].append(event.unit.model_dump(by_alias=True, mode="json",
                                                        exclude_none=True))
        fate = UnitFate(event.unit.id, Fate.NEW)
        fate.because("unit added to the campaign", label)
        self.fates[event.unit.id] = fate

    def unit_removed(self, label: str, event: UnitRemoved) -> None:
        if self.is_history(event.unit):
            self.fates[event.unit].because(
                "removal asked, but the unit was already visited: the done visit stays", label)
            return
        self.cancel(event.unit, "unit removed from the campaign", label)

    def surprise_visit(self, label: str, event: SurpriseVisit) -> None:
        """The unit's visit becomes a surprise visit on the given date (never a second visit)."""
        day = event.day
        if day < self.as_of:
            self.fail(f"{label}.date", f"{day} is before the re-plan date {self.as_of}: "
                      "record a past visit in the baseline schedule instead")
        if not self.cal.is_working_day(day):
            self.fail(f"{label}.date", f"{format_vn(day)} is not a working day; pick another")
        unit_id = event.unit_id
        if isinstance(event.unit, str):
            if self.is_history(unit_id):
                self.fail(f"{label}.unit", f"'{unit_id}' was already visited; a second visit "
                          "would be a duplicate (add a new unit for a re-inspection)")
            unit = self.unit(unit_id)
        else:
            unit = event.unit.model_dump(by_alias=True, mode="json", exclude_none=True)
            self.data["units"].append(unit)
            self.fates[unit_id] = UnitFate(unit_id, Fate.NEW)
        last = visit_days(self.cal, day, unit.get("duration", 1))[-1]
        unit.update(form=Form.SURPRISE.value, window={"from": day.isoformat(),
                                                      "to": last.isoformat()})
        unit.pop("available_from", None)
        if event.team:
            unit["team"] = event.team
        text = f"surprise visit inserted on {format_vn(day)}"
        if self.fates[unit_id].fate is Fate.NEW:
            self.fates[unit_id].because(text, label)
        else:
            self.release(unit_id, text, label, RuleId.H02_WINDOW)

    # --- mergers and splits ------------------------------------------------------------------

    def _successor(self, spec: UnitSpec, source_id: str, start: date) -> dict[str, Any]:
        """A unit born from a merger or split: given fields, the rest from the old unit."""
        unit = {k: v for k, v in self.unit(source_id).items() if k not in ("id", "short_name")}
        unit.update(spec.model_dump(by_alias=True, mode="json", exclude_none=True))
        unit.setdefault("name", spec.id)
        current = unit.get("available_from")
        unit["available_from"] = max(start, date.fromisoformat(current)).isoformat() \
            if current else start.isoformat()
        return unit

    def _before(self, unit_id: str, start: date) -> Assignment | None:
        """The unit's visit if it counts as made before the change: done, or dated before it."""
        visit = self.visit(unit_id)
        if visit is None:
            return None
        return visit if visit.start < start or self.is_history(unit_id) else None

    def _after(self, unit_id: str, start: date) -> Assignment | None:
        """The unit's open visit dated on or after the change (it passes to a new unit)."""
        visit = self.visit(unit_id)
        return visit if visit is not None and self._before(unit_id, start) is None else None

    def _keep_until(self, unit_id: str, start: date) -> None:
        """An old unit visited before the merger stays, its window closing the day before."""
        if self.is_history(unit_id):
            return
        unit = self.unit(unit_id)
        year = self.original.campaign.horizon.start.year
        first, last = Window.model_validate(unit["window"]).bounds(year)
        unit["window"] = {"from": first.isoformat(),
                          "to": min(last, start - timedelta(days=1)).isoformat()}

    def _check_reuse(self, label: str, new_id: str, old_ids: list[str], start: date,
                     covers: bool) -> None:
        if new_id in old_ids and self._before(new_id, start) is not None and not covers:
            self.fail(f"{label}.into", f"'{new_id}' keeps the id of an old unit visited before "
                      f"{start}; give the new unit an id of its own, or set done_visit_covers")

    def units_merged(self, label: str, event: UnitsMerged) -> None:
        """A, B -> C: later visits become one visit of C; earlier ones cover C only if asked."""
        start, new_id = event.start, event.into.id
        self._check_reuse(label, new_id, event.units, start, event.done_visit_covers)
        unit = self._successor(event.into, event.units[0], start)
        earlier = [v for u in event.units if (v := self._before(u, start)) is not None]
        later = sorted((v for u in event.units if (v := self._after(u, start)) is not None),
                       key=lambda v: (v.start, v.team_id, v.unit_id))
        names = ", ".join(event.units)
        self._retire_old_units(label, event.units, start, f"merged into {new_id}", earlier)
        self._place_successor(label, new_id, unit, later[:1], earlier, event.done_visit_covers,
                              f"merger of {names} on {format_vn(start)}")

    def unit_split(self, label: str, event: UnitSplit) -> None:
        """A -> C, D: A's later visit goes to C; D (and C without one) get visits of their own."""
        start, old = event.start, event.unit
        for spec in event.into:
            self._check_reuse(label, spec.id, [old], start, event.done_visit_covers)
        successors = [self._successor(spec, old, start) for spec in event.into]
        earlier = [v for v in [self._before(old, start)] if v is not None]
        later = [v for v in [self._after(old, start)] if v is not None]
        names = ", ".join(spec.id for spec in event.into)
        self._retire_old_units(label, [old], start, f"split into {names}", earlier)
        for i, (spec, unit) in enumerate(zip(event.into, successors, strict=True)):
            self._place_successor(label, spec.id, unit, later if i == 0 else [], earlier,
                                  event.done_visit_covers, f"split of {old} on {format_vn(start)}")

    def _retire_old_units(self, label: str, old_ids: list[str], start: date, text: str,
                          earlier: list[Assignment]) -> None:
        visited_before = {v.unit_id for v in earlier}
        for unit_id in old_ids:
            if unit_id in visited_before:
                self._keep_until(unit_id, start)
                self.fates[unit_id].because(f"{text}; visited before, so this visit stays", label)
            else:
                self.cancel(unit_id, text, label)

    def _place_successor(self, label: str, new_id: str, unit: dict[str, Any],
                         carried: list[Assignment], earlier: list[Assignment], covers: bool,
                         origin: str) -> None:
        if covers and earlier:
            first = min(earlier, key=lambda v: v.start)
            if new_id in {v.unit_id for v in earlier}:  # C keeps the id of a visited old unit
                self.fates[new_id].because(f"{origin}: its own visit covers the new unit", label)
                return
            fate = UnitFate(new_id, Fate.COVERED, reference=None)
            fate.because(f"born from the {origin}; covered by the visit of {first.unit_id} on "
                         f"{format_vn(first.start)} (done_visit_covers)", label)
            self.fates[new_id] = fate
            return
        self.drop_unit(new_id)  # the id may be an old unit's: the new unit replaces it
        self.data["units"].append({"id": new_id, **unit})
        if carried:
            visit = carried[0]
            # The new unit was never told of this visit (its predecessor was): it is planned
            # again, announced from the re-plan date on, never in the past.
            fate = UnitFate(new_id, Fate.RELEASED, reference=visit.model_copy(
                update={"unit_id": new_id, "state": VisitState.PLANNED}))
            fate.because(f"born from the {origin}; takes over the visit of {visit.unit_id} on "
                         f"{format_vn(visit.start)} ({visit.team_id})", label)
            self.carried[new_id] = visit
        else:
            fate = UnitFate(new_id, Fate.NEW)
            fate.because(f"born from the {origin}; gets its own visit after "
                         f"{format_vn(date.fromisoformat(unit['available_from']))}", label)
        self.fates[new_id] = fate

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


# One applier per event kind (``models.events.EventKind``); tests/test_events.py holds them together.
APPLIERS: dict[EventKind, Callable[[_Work, str, Any], None]] = {
    EventKind.MEMBER_UNAVAILABLE: _Work.member_unavailable,
    EventKind.MEMBER_LEAVES: _Work.member_leaves,
    EventKind.MEMBER_JOINS: _Work.member_joins,
    EventKind.UNIT_MOVES: _Work.unit_moves,
    EventKind.UNIT_ADDED: _Work.unit_added,
    EventKind.UNIT_REMOVED: _Work.unit_removed,
    EventKind.SURPRISE_VISIT: _Work.surprise_visit,
    EventKind.UNITS_MERGED: _Work.units_merged,
    EventKind.UNIT_SPLIT: _Work.unit_split,
}
