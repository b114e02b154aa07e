"""What happened since the plan was made: the events file ``kiemtra.events/1``.

A planner lists, in order, what changed in the campaign: a member falls ill or leaves, a unit
asks to move, units are added, removed, merged or split, a surprise visit is inserted. The
re-planner (``scheduler.replan``) applies them to a scenario and a baseline schedule.

Validated as strictly as scenarios: unknown fields are refused, every date is checked, and an
event naming a unit or member the campaign does not have (at that point of the list) is an
error that names the file, the event and the fix. Pure pydantic; no solver is imported here.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from models import limits
from models.field_work import Location
from models.limits import Within, check_supported_dates
from models.messages import worded
from models.scenario import (
    DateOrRange,
    Form,
    Id,
    Member,
    Text,
    Unit,
    UnitKind,
    Window,
)

EVENTS_SCHEMA = "kiemtra.events/1"


class EventKind(StrEnum):
    """Every kind of event, in one registry: each has a reader (its class below), a reference
    check (``models.events_reading.CHECKS``), an applier (``scheduler.replan.events_apply.APPLIERS``)
    and a test (``tests/test_events.py``); ``tests/test_events.py`` holds the four together."""

    MEMBER_UNAVAILABLE = "member_unavailable"
    MEMBER_LEAVES = "member_leaves"
    MEMBER_JOINS = "member_joins"
    UNIT_MOVES = "unit_moves"
    UNIT_ADDED = "unit_added"
    UNIT_REMOVED = "unit_removed"
    SURPRISE_VISIT = "surprise_visit"
    UNITS_MERGED = "units_merged"
    UNIT_SPLIT = "unit_split"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    _supported_dates = field_validator("*")(check_supported_dates)


class _Event(_Strict):
    """Fields every event has: an optional short id (shown in diffs) and a note."""

    id: Id | None = Field(None, description="short name of the event, shown in diffs")
    note: Text | None = Field(None, description="free text, e.g. the decision behind it")


class MemberUnavailable(_Event):
    """A member cannot go on visits from one date to another (illness, mission, leave)."""

    kind: Literal[EventKind.MEMBER_UNAVAILABLE]
    member: Id
    start: date = Field(alias="from")
    end: date = Field(alias="to")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError(worded("events.range_order", start=self.start, end=self.end))
        return self


class MemberLeaves(_Event):
    """A member leaves their team; ``from`` is the first day they no longer go on visits."""

    kind: Literal[EventKind.MEMBER_LEAVES]
    member: Id
    start: date = Field(alias="from")


class MemberJoins(_Event):
    """A new member joins a team; ``from`` is the first day they may go on visits."""

    kind: Literal[EventKind.MEMBER_JOINS]
    member: Member
    start: date = Field(alias="from")


class UnitMoves(_Event):
    """A unit asks to be visited on other dates: dates to avoid, and/or a new window."""

    kind: Literal[EventKind.UNIT_MOVES]
    unit: Id
    excluded_dates: list[DateOrRange] = Field(default_factory=list)
    window: Window | None = None

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not self.excluded_dates and self.window is None:
            raise ValueError("say what the unit asks for: 'excluded_dates', 'window' or both")
        return self


class UnitAdded(_Event):
    """A unit is added to the campaign (written like a scenario unit)."""

    kind: Literal[EventKind.UNIT_ADDED]
    unit: Unit


class UnitRemoved(_Event):
    """A unit is taken off the campaign; its visit, unless already done, is cancelled."""

    kind: Literal[EventKind.UNIT_REMOVED]
    unit: Id


class SurpriseVisit(_Event):
    """A surprise visit (no notice, no report) on a given date, to a listed or a new unit.

    A listed unit's planned visit becomes this visit (never a second one); a new unit is
    written like a scenario unit, and its window is replaced by the date.
    """

    kind: Literal[EventKind.SURPRISE_VISIT]
    unit: Id | Unit
    day: date = Field(alias="date")
    team: Id | None = Field(None, description="team that goes; default: the planner picks")

    @property
    def unit_id(self) -> str:
        return self.unit if isinstance(self.unit, str) else self.unit.id


class UnitSpec(_Strict):
    """A unit born from a merger or split. Fields left out are taken from the first old unit."""

    id: Id
    name: Text | None = None
    short_name: Text | None = None
    kind: UnitKind | None = None
    agency: Id | None = None
    address: Text | None = None
    location: Location | None = None  # the new unit's seat; default: the first old unit's
    window: Window | None = None
    duration: Annotated[int, Within(1, limits.MAX_DURATION_DAYS)] | None = None
    form: Form | None = None
    required_agencies: list[Id] | None = None
    excluded_dates: list[DateOrRange] | None = None
    team: Id | None = None


class UnitsMerged(_Event):
    """Units A, B… become one unit C from date ``from`` (C may be one of them, keeping its id).

    Visits of the old units from that date on become one visit of C. A visit of an old unit before
    that date do not cover C unless ``done_visit_covers`` is true; then C needs no visit of its own.
    """

    kind: Literal[EventKind.UNITS_MERGED]
    units: list[Id] = Field(min_length=2)
    into: UnitSpec
    start: date = Field(alias="from")
    done_visit_covers: bool = False

    @model_validator(mode="after")
    def _distinct(self) -> Self:
        if len(set(self.units)) != len(self.units):
            raise ValueError("a unit is listed twice in 'units'; list each merged unit once")
        return self


class UnitSplit(_Event):
    """Unit A becomes units C, D… from date ``from``; the first of them takes over A's visit."""

    kind: Literal[EventKind.UNIT_SPLIT]
    unit: Id
    into: list[UnitSpec] = Field(min_length=2)
    start: date = Field(alias="from")
    done_visit_covers: bool = False

    @model_validator(mode="after")
    def _distinct(self) -> Self:
        ids = [u.id for u in self.into]
        if len(set(ids)) != len(ids):
            raise ValueError("two new units share an id in 'into'; give each its own id")
        return self


Event = Annotated[
    MemberUnavailable
    | MemberLeaves
    | MemberJoins
    | UnitMoves
    | UnitAdded
    | UnitRemoved
    | SurpriseVisit
    | UnitsMerged
    | UnitSplit,
    Field(discriminator="kind"),
]
EVENT_KINDS = tuple(k.value for k in EventKind)
EVENT_CLASSES: dict[EventKind, type[_Event]] = {
    EventKind.MEMBER_UNAVAILABLE: MemberUnavailable,
    EventKind.MEMBER_LEAVES: MemberLeaves,
    EventKind.MEMBER_JOINS: MemberJoins,
    EventKind.UNIT_MOVES: UnitMoves,
    EventKind.UNIT_ADDED: UnitAdded,
    EventKind.UNIT_REMOVED: UnitRemoved,
    EventKind.SURPRISE_VISIT: SurpriseVisit,
    EventKind.UNITS_MERGED: UnitsMerged,
    EventKind.UNIT_SPLIT: UnitSplit,
}


class EventsFile(_Strict):
    """An ordered list of events; later events may name units that earlier ones created."""

    schema_: str = Field(alias="schema", pattern=r"^kiemtra\.events/1$")
    description: Text | None = None
    events: list[Event] = Field(default_factory=list)


def event_label(index: int, event: Any) -> str:
    """How a planner recognises an event in a diff: its id, or its number and kind."""
    return event.id or f"event {index + 1} ({event.kind})"
