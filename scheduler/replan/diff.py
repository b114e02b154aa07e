"""What changed between two schedules, unit by unit, and who must be told again.

For every unit: its old and new visit (team, date, members), what changed, and why — the event,
merger or rule behind it when the re-planner recorded it (``replan.json`` beside the new
schedule), else what the schedules alone show. Units whose announced visit moved to another
date or team, or was cancelled, must be notified again; the list gives their new report
deadlines. Pure: no solver.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from models.calendar import format_vn
from models.rules import RULES, describe
from models.scenario import Form
from models.schedule import Assignment, Schedule, VisitState
from scheduler.messages import say, why_text

UNCHANGED = "unchanged"
_INFERRED = {key: (say(key, "vi"), say(key, "en"))
             for key in ("why.only_new", "why.only_old", "why.unrecorded")}
CSV_COLUMNS = [
    "unit_id", "unit_name", "change", "old_team", "new_team", "old_start", "new_start",
    "old_members", "new_members", "new_state", "notify_again", "new_report_due",
    "new_announce_by", "why", "events", "rules", "notice",
]

# What a unit must be told (``UnitChange.notice``): the letters go to exactly these.
FIRST_NOTICE = "first_notice"  # a new unit, or one born of a merger or split
NEW_NOTICE = "new_notice"  # an announced visit moved to another date or team
CANCELLATION = "cancellation"  # an announced visit withdrawn (cancelled, or made a surprise)
# A visit that needs a notice whose announcement or report deadline is already past on the
# re-plan day: no letter can be on time, the planner agrees a new date with the unit.
CANNOT_MEET = "cannot_meet"
LETTER_NOTICES = (FIRST_NOTICE, NEW_NOTICE, CANCELLATION)


@dataclass
class UnitChange:
    """One unit's visit before and after, what changed and why."""

    unit_id: str
    unit_name: str
    old: Assignment | None
    new: Assignment | None
    changed: list[str]  # among: new, cancelled, date, team, members
    why: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    notify_again: bool = False  # gets a letter: first notice, new notice or cancellation
    rules: list[str] = field(default_factory=list)  # rule ids the old visit would have broken
    notice: str | None = None  # FIRST_NOTICE, NEW_NOTICE, CANCELLATION, CANNOT_MEET or None

    @property
    def change(self) -> str:
        return ", ".join(self.changed) if self.changed else UNCHANGED


@dataclass
class ScheduleDiff:
    changes: list[UnitChange]
    as_of: date | None = None

    def changed(self) -> list[UnitChange]:
        return [c for c in self.changes if c.changed]

    def notify_again(self) -> list[UnitChange]:
        """The units that get a letter: first notices, new notices and cancellations."""
        return [c for c in self.changes if c.notify_again]

    def cannot_meet(self) -> list[UnitChange]:
        """Visits needing a notice whose deadline has passed: agree a new date instead."""
        return [c for c in self.changes if c.notice == CANNOT_MEET]


def _active(schedule: Schedule) -> dict[str, Assignment]:
    return {a.unit_id: a for a in schedule.assignments if a.state is not VisitState.CANCELLED}


def _was_announced(visit: Assignment | None, as_of: date | None) -> bool:
    """The unit was told: marked announced, or its announcement day passed by ``as_of``."""
    if visit is None:
        return False
    if visit.state is VisitState.ANNOUNCED:
        return True
    return (as_of is not None and visit.state is VisitState.PLANNED and visit.start >= as_of
            and visit.announce_by is not None and visit.announce_by < as_of)


def _what_changed(old: Assignment | None, new: Assignment | None) -> list[str]:
    if old is None and new is None:
        return []
    if old is None:
        return ["new"]
    if new is None:
        return ["cancelled"]
    found = []
    if old.start != new.start:
        found.append("date")
    elif (old.start_time, old.end_time) != (new.start_time, new.end_time):
        found.append("time")  # the same day at other hours (a day route re-laid out)
    if old.team_id != new.team_id:
        found.append("team")
    if sorted(old.member_ids) != sorted(new.member_ids):
        found.append("members")
    return found


def _inferred_why(changed: list[str]) -> list[str]:
    """The reason when none was recorded, in English (the data); ``render_diff`` words it."""
    if not changed:
        return []
    keys: dict[tuple[str, ...], str] = {("new",): "why.only_new", ("cancelled",): "why.only_old"}
    key = keys.get(tuple(changed), "why.unrecorded")
    return [say(key, "en")]


def notice_for(old: Assignment | None, new: Assignment | None, changed: list[str],
               as_of: date | None) -> str | None:
    """What the unit must be told: a cancellation or a new notice when it was told of a visit
    that is now withdrawn or moved; a first notice when it had no visit before (a new unit, or
    one born of a merger or split) and now has an announced-form visit to come."""
    if old is not None and old.form is Form.SURPRISE:
        kind = None  # a surprise visit was never announced: nothing to withdraw or move
    elif _was_announced(old, as_of):
        if new is None or new.form is Form.SURPRISE:
            return CANCELLATION
        kind = NEW_NOTICE if {"date", "time", "team"} & set(changed) else None
    elif old is None and new is not None and new.form is Form.PLANNED \
            and new.state is not VisitState.DONE:
        kind = FIRST_NOTICE
    else:
        kind = None
    if kind is not None and new is not None and _deadline_passed(new, as_of):
        return CANNOT_MEET
    return kind


def _deadline_passed(visit: Assignment, as_of: date | None) -> bool:
    """The announcement or report deadline is before the re-plan day: no notice is on time."""
    if as_of is None:
        return False
    return any(d is not None and d < as_of for d in (visit.announce_by, visit.report_due))


def diff_schedules(
    old: Schedule,
    new: Schedule,
    reasons: dict[str, dict[str, Any]] | None = None,
    as_of: date | None = None,
) -> ScheduleDiff:
    """Per unit of either schedule: old and new visit, what changed, why, notify again or not."""
    reasons = reasons or {}
    before, after = _active(old), _active(new)
    names = {u.id: u.name for u in [*old.units, *new.units]}
    order = [*before, *(u for u in after if u not in before)]
    order += [u for u in reasons if u not in before and u not in after]
    changes = []
    for unit_id in order:
        o, n = before.get(unit_id), after.get(unit_id)
        changed = _what_changed(o, n)
        reason = reasons.get(unit_id, {})
        why = list(reason.get("why") or []) if changed or reason.get("fate") in (
            "cancelled", "covered") else []
        if reason.get("fate") == "covered" and not changed:
            changed = ["covered"]
        notice = notice_for(o, n, changed, as_of)
        changes.append(UnitChange(
            unit_id, names.get(unit_id, unit_id), o, n, changed,
            why or _inferred_why(changed), list(reason.get("events") or []),
            notice in LETTER_NOTICES, list(reason.get("rules") or []), notice))
    return ScheduleDiff(changes, as_of)


# --- presenting ----------------------------------------------------------------------------------


def _visit_text(a: Assignment | None) -> str:
    if a is None:
        return "—"
    hours = f" {a.start_time}–{a.end_time}" if a.start_time else ""
    return f"{a.team_id} {format_vn(a.start)}{hours} [{', '.join(a.member_ids)}]"


def render_diff(diff: ScheduleDiff, lang: str = "vi") -> str:
    """The changes in planners' words, then the units to notify again with their deadlines."""
    changed = diff.changed()
    lines = [say("diff.head", lang, changed=len(changed), total=len(diff.changes))]
    for c in changed:
        what = ", ".join(say(f"change.{k}", lang) for k in c.changed)
        lines.append(f"- {c.unit_id} ({c.unit_name}): {what}")
        lines.append(say("diff.before", lang, visit=_visit_text(c.old)))
        lines.append(say("diff.after", lang, visit=_visit_text(c.new)))
        lines += [say("diff.why", lang, why=_why_text(why, lang)) for why in c.why]
        if c.events:
            lines.append(say("diff.events", lang, events=", ".join(c.events)))
        lines += [say("diff.rule", lang, rule=rule_id, text=describe(rule_id, lang))
                  for rule_id in c.rules if rule_id in RULES]
    notify = diff.notify_again()
    lines.append("")
    lines.append(say("diff.notify", lang, n=len(notify)))
    for c in notify:
        lines.append(f"- {c.unit_id} ({c.unit_name}): {_notice_text(c.new, lang)}")
    late = diff.cannot_meet()
    if late:
        lines.append("")
        lines.append(f"{NOTICE_WORDS['en'][CANNOT_MEET]}: {len(late)}")
        lines += [f"- {c.unit_id} ({c.unit_name}): {_visit_text(c.new)}" for c in late]
    return "\n".join(lines)


# What each kind of notice is called (Vietnamese by default; English with --lang en).
NOTICE_WORDS: dict[str, dict[str, str]] = {
    "vi": {FIRST_NOTICE: "thông báo lần đầu", NEW_NOTICE: "thông báo lịch mới",
           CANCELLATION: "thông báo hủy lịch",
           CANNOT_MEET: "không còn kịp hạn thông báo/báo cáo: thống nhất ngày mới với đơn vị"},
    "en": {FIRST_NOTICE: "first notice", NEW_NOTICE: "new notice", CANCELLATION: "cancellation",
           CANNOT_MEET: "deadline can no longer be met: agree a new date"},
}


def notify_list(diff: ScheduleDiff, lang: str = "vi") -> list[dict[str, Any]]:
    """Every unit that must be told, or with whom a new date must be agreed: its kind of
    notice, the reason in planners' words, and the visit it concerns (ISO dates)."""
    words = NOTICE_WORDS["vi" if lang == "vi" else "en"]
    return [{"unit_id": c.unit_id, "unit_name": c.unit_name, "notice": c.notice,
             "notice_text": words[c.notice], "why": [_why_text(w, lang) for w in c.why],
             "visit": _visit_fields(c.old if c.notice == CANCELLATION or c.new is None
                                    else c.new)}
            for c in diff.changes if c.notice is not None]


def _visit_fields(a: Assignment | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {"team_id": a.team_id, "start": _iso(a.start), "end": _iso(a.end),
            "report_due": _iso(a.report_due),
            "announce_by": _iso(a.announce_by), "form": a.form.value}


def render_notify(diff: ScheduleDiff, lang: str = "vi") -> str:
    """Who must be told, grouped by kind of notice, each with its reason."""
    vi = lang == "vi"
    words = NOTICE_WORDS["vi" if vi else "en"]
    lines = []
    for kind in (*LETTER_NOTICES, CANNOT_MEET):
        items = [c for c in diff.changes if c.notice == kind]
        if not items:
            continue
        lines.append(f"{words[kind]} ({len(items)}):")
        for c in items:
            why = "; ".join(_why_text(w, lang) for w in c.why)
            lines.append(f"- {c.unit_id} ({c.unit_name}): {_visit_text(c.new or c.old)}"
                         + (f" — {'lý do' if vi else 'why'}: {why}" if why else ""))
    if not lines:
        return "không có đơn vị nào cần thông báo" if vi else "no unit needs to be told"
    return "\n".join(lines)


def _why_text(why: str, lang: str) -> str:
    """A reason the diff inferred itself is worded in ``lang``; a recorded one is shown as is."""
    for key, (_, en) in _INFERRED.items():
        if why == en:
            return say(key, lang)
    return why_text(why, lang)


def _notice_text(a: Assignment | None, lang: str) -> str:
    if a is None:
        return say("diff.cancelled", lang)
    if a.report_due is None:
        return say("diff.withdrawn", lang)
    announce = say("diff.announce_by", lang, day=format_vn(a.announce_by)) if a.announce_by else ""
    return say("diff.visit", lang, start=format_vn(a.start), team=a.team_id,
               due=format_vn(a.report_due), announce=announce)


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def diff_rows(diff: ScheduleDiff) -> list[dict[str, str]]:
    """One row per unit for the CSV (ISO dates)."""
    rows = []
    for c in diff.changes:
        o, n = c.old, c.new
        rows.append({
            "unit_id": c.unit_id, "unit_name": c.unit_name, "change": c.change,
            "old_team": o.team_id if o else "", "new_team": n.team_id if n else "",
            "old_start": _iso(o.start if o else None), "new_start": _iso(n.start if n else None),
            "old_members": ";".join(o.member_ids) if o else "",
            "new_members": ";".join(n.member_ids) if n else "",
            "new_state": n.state.value if n else "",
            "notify_again": "yes" if c.notify_again else "no",
            "new_report_due": _iso(n.report_due if n else None),
            "new_announce_by": _iso(n.announce_by if n else None),
            "why": " | ".join(c.why), "events": ";".join(c.events), "rules": ";".join(c.rules),
            "notice": c.notice or "",
        })
    return rows


def diff_csv_text(diff: ScheduleDiff, safe: Any = None) -> str:
    """The diff as CSV text; ``safe`` (e.g. ``safe_cell``) guards cells against formulas."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in diff_rows(diff):
        writer.writerow({k: safe(v) if safe else v for k, v in row.items()})
    return out.getvalue()
