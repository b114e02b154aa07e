"""A re-planned or repaired plan published whole: the outputs ``solve`` writes, the letters for
the units that must be told, and the notify list, as one set.

The calendars are updated from those last published for the plan's lineage (the baseline's
folder), so their SEQUENCE rises whatever folder the set is written to. Letters go to exactly
the units of the notify list (``diff.notify_list``): a first notice to a unit with no visit
before, a new notice where an announced visit moved, a withdrawal where it was cancelled. A unit
whose deadline can no longer be met gets no letter: the list says to agree a new date.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from models.scenario import Scenario
from models.schedule import Assignment, Schedule, VisitState
from scheduler.messages import why_text
from scheduler.output import FORMATS, build_keeping_the_plan, read_previous_calendars
from scheduler.output.letters import LetterOptions, build_letters, cancellation_letters
from scheduler.output.lineage import no_calendars_warning, published_calendars
from scheduler.output.view import build_view
from scheduler.replan.diff import (
    CANCELLATION,
    FIRST_NOTICE,
    NEW_NOTICE,
    ScheduleDiff,
    notify_list,
)

_CHANGED = {"vi": "kế hoạch kiểm tra được điều chỉnh", "en": "the inspection plan has changed"}
NOTIFY_FILE = "notify.json"
NOTIFY_SCHEMA = "kiemtra.notify/1"
LETTERS_DIR = "letters"


@dataclass
class PublishedSet:
    """Relative path -> bytes of the whole set, and the warning to show (calendars not found)."""

    contents: dict[str, bytes]
    warning: str | None = None
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, why) of outputs not built


def publish_contents(scenario: Scenario, schedule: Schedule, diff: ScheduleDiff, out_dir: Path,
                     formats: Iterable[str] = FORMATS, lang: str = "vi") -> PublishedSet:
    """Every file of the set, built in memory; nothing is written."""
    chosen = set(formats)
    previous = None
    warning = None
    if "ics" in chosen:
        previous = {**published_calendars(schedule), **read_previous_calendars(out_dir)}
        warning = no_calendars_warning(schedule, previous, lang)
    contents, failed = build_keeping_the_plan(scenario, schedule, chosen, lang, previous=previous)
    contents.update(notice_files(scenario, schedule, diff, lang))
    return PublishedSet(contents, warning, failed)


def notice_files(scenario: Scenario, schedule: Schedule, diff: ScheduleDiff,
                 lang: str = "vi") -> dict[str, bytes]:
    """letters/thong-bao-*.docx (first and new notices), letters/huy-lich-*.docx (withdrawals)
    and notify.json."""
    plan = build_view(scenario, schedule)
    options = LetterOptions(lang)
    told = {c.unit_id for c in diff.changes if c.notice in (FIRST_NOTICE, NEW_NOTICE)}
    files = build_letters(plan, None, options, units=told).files if told else {}
    withdrawn: list[tuple[Assignment, str, str]] = []
    for c in diff.changes:
        if c.notice == CANCELLATION and c.old is not None:
            # A visit made a surprise one is withdrawn without a word of why (or when).
            why = ("; ".join(why_text(w, lang) for w in c.why) if c.new is None else "") or _CHANGED[lang]
            withdrawn.append((c.old, c.unit_name, why))
    files.update(cancellation_letters(plan, withdrawn, options))
    contents = {f"{LETTERS_DIR}/{name}": data for name, data in files.items()}
    contents[NOTIFY_FILE] = notify_bytes(diff, lang)
    return contents


def notify_bytes(diff: ScheduleDiff, lang: str) -> bytes:
    record = {"schema": NOTIFY_SCHEMA, "as_of": _iso(diff.as_of),
              "notices": notify_list(diff, lang)}
    return (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# --- `kiemtra letters` on a re-planned or repaired plan ---------------------------------------


def read_notify(schedule_path: Path) -> dict[str, Any] | None:
    """The notify.json beside a schedule (a re-plan's or repair's), if it is one kiemtra wrote."""
    path = schedule_path.parent / NOTIFY_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = isinstance(data, dict) and data.get("schema") == NOTIFY_SCHEMA
    return data if ok and isinstance(data.get("notices"), list) else None


def told_units(record: dict[str, Any]) -> set[str]:
    """Units of a notify list that get a notice of their visit (first or new notice)."""
    return {str(n.get("unit_id")) for n in record["notices"] if isinstance(n, dict)
            and n.get("notice") in (FIRST_NOTICE, NEW_NOTICE)}


def withdrawals(record: dict[str, Any], schedule: Schedule, lang: str
                ) -> list[tuple[Assignment, str, str]]:
    """(withdrawn visit, unit name, reason) of each cancellation of a notify list; a visit made
    a surprise one is withdrawn without saying why (the reason would give its date away)."""
    active = {a.unit_id for a in schedule.assignments if a.state is not VisitState.CANCELLED}
    found = []
    for n in record["notices"]:
        visit = _withdrawn_visit(n) if isinstance(n, dict) and n.get("notice") == CANCELLATION \
            else None
        if visit is None:
            continue
        why = "; ".join(str(w) for w in n.get("why") or []) if visit.unit_id not in active else ""
        found.append((visit, str(n.get("unit_name") or visit.unit_id), why or _CHANGED[lang]))
    return found


def _withdrawn_visit(notice: dict[str, Any]) -> Assignment | None:
    """The announced visit a cancellation withdraws, as notify.json records it."""
    visit = notice.get("visit")
    if not isinstance(visit, dict):
        return None
    try:
        start = date.fromisoformat(str(visit["start"]))
        end = date.fromisoformat(str(visit.get("end") or visit["start"]))
        return Assignment(unit_id=str(notice.get("unit_id")), team_id=str(visit["team_id"]),
                          start=start, end=end, member_ids=[], lead_id="")
    except (KeyError, ValueError):
        return None
