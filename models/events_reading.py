"""Reading an events file: validated as strictly as scenarios, then checked against the campaign it
changes, read in order: an event may not name a unit,
member, team or agency the campaign does not have at that point of the list (a merger's new unit
exists for the events after it). One check per ``EventKind`` in ``CHECKS``."""

from __future__ import annotations

import difflib
import re
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from models.events import (
    EVENT_KINDS,
    EVENTS_SCHEMA,
    EventKind,
    EventsFile,
    MemberJoins,
    SurpriseVisit,
    UnitAdded,
    UnitMoves,
    UnitRemoved,
    UnitsMerged,
    UnitSpec,
    UnitSplit,
    event_label,
)
from models.loading import InputError, Problem, load_yaml, pydantic_problems
from models.messages import Worded, say, worded
from models.scenario import Scenario, Unit

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
    checker = CHECKS[event.kind]
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


CHECKS: dict[EventKind, Any] = {
    EventKind.MEMBER_UNAVAILABLE: _check_member_ref,
    EventKind.MEMBER_LEAVES: _check_member_ref,
    EventKind.MEMBER_JOINS: _check_member_joins,
    EventKind.UNIT_MOVES: _check_moves,
    EventKind.UNIT_ADDED: _check_unit_added,
    EventKind.UNIT_REMOVED: _check_unit_removed,
    EventKind.SURPRISE_VISIT: _check_surprise,
    EventKind.UNITS_MERGED: _check_merged,
    EventKind.UNIT_SPLIT: _check_split,
}
