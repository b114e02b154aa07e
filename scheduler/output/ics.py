"""iCalendar files: a calendar per team and per member, an all-day event per visit and one per
report deadline.

Each event's UID is derived from the scenario name and the unit id only (never the date), so
importing a re-optimised plan updates the events already in a calendar instead of adding
duplicates; a later export carries a higher SEQUENCE so that clients honouring it take the new
copy. Cancelled visits are exported with STATUS:CANCELLED so that they disappear on re-import.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from models.calendar import format_vn
from models.scenario import Member, Scenario, Unit
from models.schedule import Assignment, VisitState
from scheduler.output.labels import labels
from scheduler.output.view import PlanView

ICS_DIR = "ics"
UID_NAMESPACE = uuid.UUID("6f1c7e52-3a7b-4d0e-9a51-6b1f0c2d9e11")  # kiemtra's own namespace
SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
PRODID = "-//kiemtra//inspection schedule//VI"


def event_uid(scenario_name: str, unit_id: str, kind: str = "visit") -> str:
    """Stable UID of a unit's visit (``kind="visit"``) or report deadline (``"report"``)."""
    return f"{uuid.uuid5(UID_NAMESPACE, f'{scenario_name}|{unit_id}|{kind}')}@kiemtra"


@dataclass(frozen=True)
class Item:
    """An assignment with its unit and group resolved (cancelled ones included)."""

    assignment: Assignment
    unit: Unit
    team_name: str
    members: list[Member]


def calendar_files(plan: PlanView, lang: str = "vi",
                   stamp: datetime | None = None) -> dict[str, bytes]:
    """Relative path (``ics/team-D1.ics``, ``ics/member-D1-TD.ics``) -> calendar bytes.

    Every team gets a calendar; a member gets one when some visit names them (an iCalendar file
    needs at least one event).
    """
    stamp = (stamp or datetime.now(UTC)).replace(microsecond=0)
    if stamp.tzinfo is None:  # a naive stamp is taken as UTC
        stamp = stamp.replace(tzinfo=UTC)
    items = all_items(plan)
    text = labels(lang)
    files: dict[str, bytes] = {}
    for team in plan.scenario.teams:
        mine = [i for i in items if i.assignment.team_id == team.id]
        title = text["calendar_team"].format(name=team.name)
        files[f"{ICS_DIR}/team-{file_part(team.id)}.ics"] = calendar_bytes(plan.scenario, mine,
                                                                            title, text, stamp)
    for member in plan.scenario.members:
        mine = [i for i in items if member.id in i.assignment.member_ids]
        if mine:
            title = text["calendar_member"].format(name=f"{member.label} ({member.id})")
            files[f"{ICS_DIR}/member-{file_part(member.id)}.ics"] = calendar_bytes(
                plan.scenario, mine, title, text, stamp)
    return files


def file_part(identifier: str) -> str:
    """An id made safe for a file name."""
    return re.sub(r"[^\w.-]", "_", identifier)


def all_items(plan: PlanView) -> list[Item]:
    scenario = plan.scenario
    assignments = [v.assignment for v in plan.visits] + plan.cancelled()
    return [Item(a, scenario.unit(a.unit_id), scenario.team(a.team_id).name,
                 [scenario.member(m) for m in a.member_ids]) for a in assignments]


def calendar_bytes(scenario: Scenario, items: Iterable[Item], title: str,
                   text: Mapping[str, str], stamp: datetime) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", title)
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    for item in items:
        cal.add_component(visit_event(scenario, item, text, stamp))
        if item.assignment.report_due is not None:
            cal.add_component(deadline_event(scenario, item, text, stamp))
    return cal.to_ical()


def base_event(uid: str, day: date, last: date, summary: str, stamp: datetime,
               cancelled: bool) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("sequence", int((stamp - SEQUENCE_EPOCH).total_seconds() // 60))
    event.add("dtstart", day)
    event.add("dtend", last + timedelta(days=1))  # all-day: DTEND is exclusive
    event.add("summary", summary)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def visit_event(scenario: Scenario, item: Item, text: Mapping[str, str],
                stamp: datetime) -> Event:
    a, unit = item.assignment, item.unit
    cancelled = a.state is VisitState.CANCELLED
    event = base_event(event_uid(scenario.campaign.name, unit.id, "visit"), a.start, a.end,
                       f"{text['visit']}: {unit.name}", stamp, cancelled)
    event.add("location", unit.address or unit.name)
    event.add("description", visit_description(item, text))
    event.add("categories", [item.team_name])
    return event


def visit_description(item: Item, text: Mapping[str, str]) -> str:
    a = item.assignment
    lead = next((m for m in item.members if m.id == a.lead_id), None)
    lines = [f"{text['unit']}: {item.unit.name}", f"{text['team']}: {item.team_name}"]
    if lead is not None:
        lines.append(f"{text['lead_line']}: {lead.label}")
    lines.append(f"{text['members_line']}:")
    lines += [f"- {m.label}" for m in item.members]
    if a.report_due is not None:
        lines.append(f"{text['report_due']}: {format_vn(a.report_due)}")
    if a.announce_by is not None:
        lines.append(f"{text['announce_by']}: {format_vn(a.announce_by)}")
    lines.append(f"{text['form']}: {text['form.' + a.form.value]}; "
                 f"{text['status']}: {text['state.' + a.state.value]}")
    return "\n".join(lines)


def deadline_event(scenario: Scenario, item: Item, text: Mapping[str, str],
                   stamp: datetime) -> Event:
    a, unit = item.assignment, item.unit
    due = a.report_due
    assert due is not None  # only planned visits have a report deadline
    event = base_event(event_uid(scenario.campaign.name, unit.id, "report"), due, due,
                       f"{text['deadline_event']}: {unit.label}", stamp,
                       a.state is VisitState.CANCELLED)
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    event.add("description", f"{text['unit']}: {unit.name}\n{text['team']}: {item.team_name}\n"
                             f"{text['start']}: {format_vn(a.start)}")
    return event
