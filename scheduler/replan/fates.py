"""What a re-plan may do with each unit's visit (its fate), and why, in planners' words.

``scheduler.replan.events_apply`` decides the fates; the re-plan's neighbourhoods and its report
read them. Pure: no solver is imported here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from models.scenario import Scenario
from models.schedule import Assignment, VisitState


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
