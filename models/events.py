"""What happened since the plan was made: the events file ``kiemtra.events/1``.

A planner lists, in order, what changed in the campaign: a member falls ill or leaves, a unit
asks to move, units are added, removed, merged or split, a surprise visit is inserted. The
re-planner (``scheduler.replan``) applies them to a scenario and a baseline schedule.

Validated as strictly as scenarios: unknown fields are refused, every date is checked, and an
event naming a unit or member the campaign does not have (at that point of the list) is an
error that names the file, the event and the fix. Pure pydantic; no solver is imported here.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from models import limits
from models.field_work import Location
from models.limits import Within, check_supported_dates
from models.loading import InputError, Problem, load_yaml, pydantic_problems
from models.messages import Worded, say, worded
from models.scenario import (
    DateOrRange,
    Form,
    Id,
    Member,
    Scenario,
    Text,
    Unit,
    UnitKind,
    Window,
)

EVENTS_SCHEMA = "kiemtra.events/1"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    _supported_dates = field_validator("*")(check_supported_dates)


class _Event(_Strict):
    """Fields every event has: an optional short id (shown in diffs) and a note."""

    id: Id | None = Field(None, description="short name of the event, shown in diffs")
    note: Text | None = Field(None, description="free text, e.g. the decision behind it")


class MemberUnavailable(_Event):
    """A member cannot go on visits from one date to another (illness, mission, leave)."""

    kind: Literal["member_unavailable"]
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

    kind: Literal["member_leaves"]
    member: Id
    start: date = Field(alias="from")


class MemberJoins(_Event):
    """A new member joins a team; ``from`` is the first day they may go on visits."""

    kind: Literal["member_joins"]
    member: Member
    start: date = Field(alias="from")


class UnitMoves(_Event):
    """A unit asks to be visited on other dates: dates to avoid, and/or a new window."""

    kind: Literal["unit_moves"]
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

    kind: Literal["unit_added"]
    unit: Unit


class UnitRemoved(_Event):
    """A unit is taken off the campaign; its visit, unless already done, is cancelled."""

    kind: Literal["unit_removed"]
    unit: Id


class SurpriseVisit(_Event):
    """A surprise visit (no notice, no report) on a given date, to a listed or a new unit.

    A listed unit's planned visit becomes this visit (never a second one); a new unit is
    written like a scenario unit, and its window is replaced by the date.
    """

    kind: Literal["surprise_visit"]
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

    kind: Literal["units_merged"]
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

    kind: Literal["unit_split"]
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
EVENT_KINDS = (
    "member_unavailable", "member_leaves", "member_joins", "unit_moves", "unit_added",
    "unit_removed", "surprise_visit", "units_merged", "unit_split",
)


class EventsFile(_Strict):
    """An ordered list of events; later events may name units that earlier ones created."""

    schema_: str = Field(alias="schema", pattern=r"^kiemtra\.events/1$")
    description: Text | None = None
    events: list[Event] = Field(default_factory=list)


def event_label(index: int, event: Any) -> str:
    """How a planner recognises an event in a diff: its id, or its number and kind."""
    return event.id or f"event {index + 1} ({event.kind})"


# --- loading -------------------------------------------------------------------------------


def load_events(path: Path | str, scenario: Scenario) -> EventsFile:
    """Read and validate an events file against the scenario it changes."""
    path = Path(path)
    data = load_yaml(path)
    return validate_events(data, path, scenario)


def validate_events(data: Any, path: Path | str, scenario: Scenario) -> EventsFile:
    if not isinstance(data, dict):
        raise InputError(path, [Problem.of("", "events.not_mapping", schema=EVENTS_SCHEMA)])
    if data.get("schema") != EVENTS_SCHEMA:
        got = data.get("schema")
        raise InputError(path, [Problem.of("schema", "events.schema", schema=EVENTS_SCHEMA,
                                           got=repr(got))])
    yaml_traps = _yaml_key_traps(data)
    if yaml_traps:
        raise InputError(path, yaml_traps)
    try:
        events = EventsFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(path, [_readable(p) for p in pydantic_problems(exc, data)]) from None
    problems = reference_problems(events, scenario)
    if problems:
        raise InputError(path, problems)
    return events


_TAG = re.compile(r"^(events\[\d+\](?: \(id [^)]*\))?)\.(" + "|".join(EVENT_KINDS) + r")")


def _readable(problem: Problem) -> Problem:
    """``events[2].unit_moves.window`` reads better as ``events[2] (unit_moves).window``."""
    where = _TAG.sub(r"\1 (\2)", problem.where)
    message = problem.message
    kinds = ", ".join(EVENT_KINDS)
    if "found using 'kind'" in message:
        tag = re.search(r"Input tag '([^']*)'", message)
        return Problem.of(where, "events.unknown_kind", got=f" '{tag.group(1)}'" if tag else "",
                          kinds=kinds)
    if "Unable to extract tag using discriminator 'kind'" in message:
        return Problem.of(where, "events.no_kind", kinds=kinds)
    return Problem(where, message, problem.vi)


def _yaml_key_traps(data: dict[str, Any]) -> list[Problem]:
    """YAML reads a key ``on:``/``yes:``/``no:`` as true/false: say so instead of a riddle."""
    events = data.get("events")
    if not isinstance(events, list):
        return []
    return [
        Problem.of(f"events[{i}]", "events.yaml_bool_key")
        for i, event in enumerate(events) if isinstance(event, dict)
        for key in event if isinstance(key, bool)
    ]


class _Known:
    """Units, members, teams and agencies as they stand while the event list is read in order."""

    def __init__(self, scenario: Scenario) -> None:
        self.units = {u.id for u in scenario.units}
        self.members = {m.id for m in scenario.members}
        self.teams = {t.id for t in scenario.teams}
        self.agencies = {a.id for a in scenario.agencies}
        self.horizon = scenario.campaign.horizon


def reference_problems(events: EventsFile, scenario: Scenario) -> list[Problem]:
    """Events naming units, members, teams or agencies the campaign does not have."""
    known = _Known(scenario)
    problems: list[Problem] = []
    for i, event in enumerate(events.events):
        where = f"events[{i}] ({event_label(i, event)})"
        problems += [Problem(f"{where}.{field}", msg, getattr(msg, "vi", ""))
                     for field, msg in _check(event, known)]
    return problems


def _check(event: Any, known: _Known) -> list[tuple[str, str]]:
    checker = _CHECKS[event.kind]
    return [*_dates_in_horizon(event, known), *checker(event, known)]


def _dates_in_horizon(event: Any, known: _Known) -> list[tuple[str, str]]:
    h = known.horizon
    found: list[tuple[str, str]] = []
    for field in ("day", "start", "end"):
        value = getattr(event, field, None)
        if isinstance(value, date) and not h.start <= value <= h.end:
            shown = {"start": "from", "end": "to", "day": "date"}[field]
            found.append((shown, worded("events.outside_horizon", day=value, start=h.start,
                                        end=h.end)))
    return found


def _unknown(kind: str, value: str, known: set[str]) -> str:
    """The unknown reference, in English with its Vietnamese wording attached."""
    return Worded(_unknown_in(kind, value, known, "en"), _unknown_in(kind, value, known, "vi"))


def _unknown_in(kind: str, value: str, known: set[str], lang: str) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=3)
    names = ", ".join(sorted(known)[:10]) + ("…" if len(known) > 10 else "")
    kind_text = say(f"kind.{kind}", lang)
    hint = say("input.did_you_mean", lang, names=", ".join(close)) if close else \
        say("input.known", lang, kind=kind_text, names=names)
    return say("input.not_in_campaign", lang, value=value, kind=kind_text, hint=hint)


def _need(kind: str, value: str | None, pool: set[str], field: str) -> list[tuple[str, str]]:
    if value is None or value in pool:
        return []
    return [(field, _unknown(kind, value, pool))]


def _check_member_ref(event: Any, known: _Known) -> list[tuple[str, str]]:
    return _need("member", event.member, known.members, "member")


def _check_member_joins(event: MemberJoins, known: _Known) -> list[tuple[str, str]]:
    m = event.member
    found = _need("team", m.team, known.teams, "member.team")
    found += _need("agency", m.agency, known.agencies, "member.agency")
    if m.id in known.members:
        found.append(("member.id", worded("events.member_exists", id=m.id)))
    known.members.add(m.id)
    return found


def _check_new_unit(unit: Unit | UnitSpec, known: _Known, field: str,
                    may_reuse: frozenset[str] | set[str] = frozenset()) -> list[tuple[str, str]]:
    found = _need("agency", unit.agency, known.agencies, f"{field}.agency")
    found += _need("team", unit.team, known.teams, f"{field}.team")
    for j, agency in enumerate(unit.required_agencies or []):
        found += _need("agency", agency, known.agencies, f"{field}.required_agencies[{j}]")
    if unit.id in known.units and unit.id not in may_reuse:
        found.append((f"{field}.id", worded("events.unit_exists", id=unit.id)))
    return found


def _check_unit_added(event: UnitAdded, known: _Known) -> list[tuple[str, str]]:
    found = _check_new_unit(event.unit, known, "unit")
    known.units.add(event.unit.id)
    return found


def _check_unit_ref(event: Any, known: _Known) -> list[tuple[str, str]]:
    return _need("unit", event.unit, known.units, "unit")


def _check_unit_removed(event: UnitRemoved, known: _Known) -> list[tuple[str, str]]:
    found = _need("unit", event.unit, known.units, "unit")
    known.units.discard(event.unit)
    return found


def _check_surprise(event: SurpriseVisit, known: _Known) -> list[tuple[str, str]]:
    found = _need("team", event.team, known.teams, "team")
    if isinstance(event.unit, str):
        return found + _need("unit", event.unit, known.units, "unit")
    found += _check_new_unit(event.unit, known, "unit")
    known.units.add(event.unit.id)
    return found


def _check_merged(event: UnitsMerged, known: _Known) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for j, unit_id in enumerate(event.units):
        found += _need("unit", unit_id, known.units, f"units[{j}]")
    found += _check_new_unit(event.into, known, "into", may_reuse=set(event.units))
    known.units -= set(event.units)
    known.units.add(event.into.id)
    return found


def _check_split(event: UnitSplit, known: _Known) -> list[tuple[str, str]]:
    found = _need("unit", event.unit, known.units, "unit")
    for j, spec in enumerate(event.into):
        found += _check_new_unit(spec, known, f"into[{j}]", may_reuse={event.unit})
    known.units.discard(event.unit)
    known.units.update(spec.id for spec in event.into)
    return found


def _check_moves(event: UnitMoves, known: _Known) -> list[tuple[str, str]]:
    return _need("unit", event.unit, known.units, "unit")


_CHECKS: dict[str, Any] = {
    "member_unavailable": _check_member_ref,
    "member_leaves": _check_member_ref,
    "member_joins": _check_member_joins,
    "unit_moves": _check_moves,
    "unit_added": _check_unit_added,
    "unit_removed": _check_unit_removed,
    "surprise_visit": _check_surprise,
    "units_merged": _check_merged,
    "unit_split": _check_split,
}
