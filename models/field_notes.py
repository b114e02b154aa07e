"""What `kiemtra validate` notes about field work: missing or odd coordinates, short visits, and
what each selection samples.

Notes, not errors: a unit without coordinates is treated as at its team's base, and a visit that
does not fit a working day is refused when the scenario is read (``models.scenario_problems.visit_problems``).
The round-trip travel check (base → unit → base inside the day) belongs to the route engine.
"""

from __future__ import annotations

from collections.abc import Sequence

from models.field_work import Location
from models.messages import say
from models.scenario import Scenario
from models.selection import resolved_selections

SHOWN_IDS = 5


def field_notes(scenario: Scenario, lang: str = "vi") -> list[str]:
    """One line per kind of note; empty when there is nothing to say."""
    notes = []
    no_location = [u.id for u in scenario.units if u.location is None]
    if no_location:
        notes.append(say("note.no_location", lang, ids=_ids(no_location, lang)))
    no_base = [t.id for t in scenario.teams if t.base is None]
    if no_base:
        notes.append(say("note.no_base", lang, ids=_ids(no_base, lang)))
    places: list[tuple[str, Location | None]] = [
        *((u.id, u.location) for u in scenario.units), *((t.id, t.base) for t in scenario.teams),
        *((f"{t.id} ({b.name})", b) for t in scenario.teams for b in t.bases[1:])]
    abroad = [where for where, point in places if point is not None and not point.in_vietnam]
    if abroad:
        notes.append(say("note.abroad", lang, ids=_ids(abroad, lang)))
    notes += _short_visit_note(scenario, lang)
    notes += [say("note.selection", lang, name=r.name, id=r.id, wording=r.wording(lang),
                  optional=sum(scenario.unit(u).optional for u in r.unit_ids))
              for r in resolved_selections(scenario)]
    return notes


def _short_visit_note(scenario: Scenario, lang: str) -> list[str]:
    minutes = sorted({u.visit_minutes for u in scenario.units if u.visit_minutes is not None})
    if not minutes:
        return []
    count = sum(u.visit_minutes is not None for u in scenario.units)
    spread = f"{minutes[0]}" if len(minutes) == 1 else f"{minutes[0]}–{minutes[-1]}"
    return [say("note.short_visits", lang, n=count, spread=spread,
                day=scenario.rules.working_hours.minutes)]


def _ids(ids: Sequence[str], lang: str) -> str:
    shown = ", ".join(ids[:SHOWN_IDS])
    more = say("note.more", lang, n=len(ids) - SHOWN_IDS) if len(ids) > SHOWN_IDS else ""
    return f"{len(ids)} — {shown}{more}"
