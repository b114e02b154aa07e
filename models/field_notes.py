"""What `kiemtra validate` notes about field work: missing or odd coordinates, short visits.

Notes, not errors: a unit without coordinates is treated as at its team's base, and a visit that
does not fit a working day is refused when the scenario is read (``Scenario._visit_problems``).
The round-trip travel check (base → unit → base inside the day) belongs to the route engine.
"""

from __future__ import annotations

from collections.abc import Sequence

from models.field_work import Location
from models.scenario import Scenario

SHOWN_IDS = 5


def field_notes(scenario: Scenario) -> list[str]:
    """One line per kind of note; empty when there is nothing to say."""
    notes = []
    no_location = [u.id for u in scenario.units if u.location is None]
    if no_location:
        notes.append(f"units without location: {_ids(no_location)} (treated as at their team's base)")
    no_base = [t.id for t in scenario.teams if t.base is None]
    if no_base:
        notes.append(f"teams without base: {_ids(no_base)} (travel cannot be estimated for them)")
    places: list[tuple[str, Location | None]] = [
        *((u.id, u.location) for u in scenario.units), *((t.id, t.base) for t in scenario.teams)]
    abroad = [where for where, point in places if point is not None and not point.in_vietnam]
    if abroad:
        notes.append(f"coordinates outside Vietnam: {_ids(abroad)} (a typo, or lat and lon swapped?)")
    notes += _short_visit_note(scenario)
    return notes


def _short_visit_note(scenario: Scenario) -> list[str]:
    minutes = sorted({u.visit_minutes for u in scenario.units if u.visit_minutes is not None})
    if not minutes:
        return []
    count = sum(u.visit_minutes is not None for u in scenario.units)
    spread = f"{minutes[0]}" if len(minutes) == 1 else f"{minutes[0]}–{minutes[-1]}"
    return [f"short visits: {count} unit(s), {spread} minutes on site; working day "
            f"{scenario.rules.working_hours.minutes} minutes"]


def _ids(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:SHOWN_IDS])
    more = f", … ({len(ids) - SHOWN_IDS} more)" if len(ids) > SHOWN_IDS else ""
    return f"{len(ids)} — {shown}{more}"
