"""iCalendar files: a calendar per team and per member that updates in place when re-imported.

A team's calendar holds an event per visit, per announce-by day and per report deadline; a
member's holds their visits and report deadlines. Each event's UID is derived from the scenario
name, the unit id and the kind of event only (never the date, team or file), so a visit has one
UID in every calendar and importing a re-optimised plan updates events instead of duplicating
them. ``calendar_files`` is pure: given the files the previous run published it keeps the
SEQUENCE of unchanged events, raises that of changed ones, and publishes as CANCELLED whatever a
calendar held before and lost (a visit moved to the other team, a member dropped, a unit removed);
a calendar is never deleted, so clients always see the cancellation (see ``ics_state``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Component, Event, Timezone, TimezoneStandard

from models.calendar import WorkCalendar, format_vn
from models.scenario import Member, Scenario
from models.schedule import Assignment, VisitState
from scheduler.output.ics_state import (
    ICS_DIR,
    OWNER_PROP,
    PRODID,
    Published,
    calendar_paths,
    owner_key,
    read_published,
    settle,
    top_sequences,
)
from scheduler.output.labels import clock_range, labels
from scheduler.output.view import PlanView

__all__ = ["ICS_DIR", "TZID", "calendar_files", "event_uid"]

UID_NAMESPACE = uuid.UUID("6f1c7e52-3a7b-4d0e-9a51-6b1f0c2d9e11")  # kiemtra's own namespace
TZID = "Asia/Ho_Chi_Minh"
VIETNAM = ZoneInfo(TZID)
REMINDER_AT = time(8, 0)  # reminders ring at the start of the previous working day
STATUS = {VisitState.PLANNED: "TENTATIVE", VisitState.ANNOUNCED: "CONFIRMED",
          VisitState.DONE: "CONFIRMED", VisitState.CANCELLED: "CANCELLED"}


def event_uid(scenario_name: str, unit_id: str, kind: str = "visit") -> str:
    """Stable UID of a unit's ``"visit"``, ``"announce"`` (announce-by day) or ``"report"``."""
    return f"{uuid.uuid5(UID_NAMESPACE, f'{scenario_name}|{unit_id}|{kind}')}@kiemtra"


@dataclass(frozen=True)
class UnitText:
    """What an event says of its unit; a unit that left the scenario (merged, split, removed)
    is named from the schedule, so its cancelled visit can still be withdrawn."""

    id: str
    name: str
    label: str
    address: str | None = None


@dataclass(frozen=True)
class Item:
    """An assignment with its unit and group resolved (cancelled ones included)."""

    assignment: Assignment
    unit: UnitText
    team_name: str
    members: list[Member]


def unit_text(plan: PlanView, unit_id: str) -> UnitText:
    if unit_id in {u.id for u in plan.scenario.units}:
        unit = plan.scenario.unit(unit_id)
        return UnitText(unit.id, unit.name, unit.label, unit.address)
    name = plan.unit_name(unit_id)
    return UnitText(unit_id, name, name)


@dataclass(frozen=True)
class Draft:
    """A calendar before its events are settled against the previous run."""

    title: str
    owner: str | None
    events: list[Event]


def calendar_files(plan: PlanView, lang: str = "vi", stamp: datetime | None = None,
                   previous: Mapping[str, bytes] | None = None) -> dict[str, bytes]:
    """Relative path (``ics/team-D1.ics``, ``ics/member-D1-TD.ics``) -> calendar bytes.

    ``previous`` holds the calendar files the last run published (relative path -> bytes). Every
    team gets a calendar; a member gets one when a visit names them or they had one before; a
    calendar of the previous run whose owner is gone is published again with its events cancelled.
    """
    stamp = utc_stamp(stamp)
    published = read_published(previous or {})
    drafts = team_drafts(plan, lang, published) | member_drafts(plan, lang, published)
    for path, before in published.items():
        drafts.setdefault(path, Draft(before.title, before.owner, []))
    top = top_sequences(published.values())
    return {path: calendar_bytes(draft, settle(draft.events, published.get(path), top, stamp))
            for path, draft in sorted(drafts.items())}


def utc_stamp(stamp: datetime | None) -> datetime:
    stamp = (stamp or datetime.now(UTC)).replace(microsecond=0)
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


def team_drafts(plan: PlanView, lang: str,
                published: Mapping[str, Published]) -> dict[str, Draft]:
    text, items = labels(lang), all_items(plan)
    teams = plan.scenario.teams
    paths = calendar_paths("team", [t.id for t in teams], published)
    drafts = {}
    for team in teams:
        events = [e for i in items if i.assignment.team_id == team.id
                  for e in item_events(plan, i, text, with_announce=True)]
        title = text["calendar_team"].format(name=f"{team.name} ({team.id})")
        drafts[paths[team.id]] = Draft(title, owner_key("team", team.id), events)
    return drafts


def member_drafts(plan: PlanView, lang: str,
                  published: Mapping[str, Published]) -> dict[str, Draft]:
    text, items = labels(lang), all_items(plan)
    members = plan.scenario.members
    paths = calendar_paths("member", [m.id for m in members], published)
    drafts = {}
    for member in members:
        events = [e for i in items if member.id in i.assignment.member_ids
                  for e in item_events(plan, i, text, with_announce=False)]
        if events or paths[member.id] in published:
            title = text["calendar_member"].format(name=f"{member.display_name} ({member.id})")
            drafts[paths[member.id]] = Draft(title, owner_key("member", member.id), events)
    return drafts


def all_items(plan: PlanView) -> list[Item]:
    scenario = plan.scenario
    assignments = [v.assignment for v in plan.visits] + plan.cancelled()
    return [Item(a, unit_text(plan, a.unit_id), scenario.team(a.team_id).name,
                 [scenario.member(m) for m in a.member_ids]) for a in assignments]


def item_events(plan: PlanView, item: Item, text: Mapping[str, str],
                with_announce: bool) -> list[Event]:
    a = item.assignment
    events = [visit_event(plan.scenario, item, text)]
    if with_announce and a.announce_by is not None:
        events.append(announce_event(plan, item, text))
    if a.report_due is not None:
        events.append(deadline_event(plan, item, text))
    if a.conclusion_due is not None:
        events.append(conclusion_event(plan, item, text))
    return events


def calendar_bytes(draft: Draft, events: Iterable[Component]) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", draft.title)
    cal.add("x-wr-timezone", TZID)
    if draft.owner is not None:  # which id this file belongs to: slugs of two ids may look alike
        cal.add(OWNER_PROP.lower(), draft.owner)
        cal.add("x-wr-caldesc", f"kiemtra {draft.owner.replace(':', ' ', 1)}")
    events = list(events)
    if any("TZID" in e["DTSTART"].params for e in events):
        cal.add_component(vietnam_timezone())
    for event in events:
        cal.add_component(event)
    return bytes(cal.to_ical())


def vietnam_timezone() -> Timezone:
    """Asia/Ho_Chi_Minh has kept UTC+7 without daylight saving since 1975."""
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1975, 6, 13))
    standard.add("tzoffsetfrom", timedelta(hours=7))
    standard.add("tzoffsetto", timedelta(hours=7))
    standard.add("tzname", "+07")
    zone = Timezone()
    zone.add("tzid", TZID)
    zone.add_component(standard)
    return zone


def base_event(uid: str, summary: str, state: VisitState) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("status", STATUS[state])
    return event


def add_days(event: Event, first: date, last: date) -> None:
    event.add("dtstart", first)
    event.add("dtend", last + timedelta(days=1))  # all-day: DTEND is exclusive


def clock(value: object) -> time | None:
    """An optional "HH:MM" (or time) field of an assignment."""
    if value is None or isinstance(value, time):
        return value
    return time.fromisoformat(str(value))


def visit_event(scenario: Scenario, item: Item, text: Mapping[str, str]) -> Event:
    a, unit = item.assignment, item.unit
    event = base_event(event_uid(scenario.campaign.name, unit.id, "visit"),
                       f"{text['visit']}: {unit.name}", a.state)
    starts, ends = clock(getattr(a, "start_time", None)), clock(getattr(a, "end_time", None))
    if starts is not None and ends is not None:
        event.add("dtstart", datetime.combine(a.start, starts, VIETNAM))
        event.add("dtend", datetime.combine(a.end, ends, VIETNAM))
    else:
        add_days(event, a.start, a.end)
    event.add("location", unit.address or unit.name)
    event.add("description", visit_description(item, text, scenario.campaign.report_date))
    event.add("categories", [item.team_name])
    return event


def visit_description(item: Item, text: Mapping[str, str], report_date: date | None = None) -> str:
    a = item.assignment
    lead = next((m for m in item.members if m.id == a.lead_id), None)
    lines = [f"{text['unit']}: {item.unit.name}", f"{text['team']}: {item.team_name}"]
    if getattr(a, "start_time", None) and getattr(a, "end_time", None):
        lines.append(f"{text['hours_line']}: {clock_range(str(a.start_time), str(a.end_time), text['lang'])}")
    if lead is not None:
        lines.append(f"{text['lead_line']}: {lead.display_name}")
    lines.append(f"{text['members_line']}:")
    lines += [f"- {m.display_name}" for m in item.members]
    if a.report_due is not None:
        lines.append(f"{text['report_due']}: {format_vn(a.report_due)}")
    if a.announce_by is not None:
        lines.append(f"{text['announce_by']}: {format_vn(a.announce_by)}")
    if a.conclusion_due is not None:
        lines.append(f"{text['conclusion_due']}: {format_vn(a.conclusion_due)}")
    if report_date is not None:
        lines.append(f"{text['report_date']}: {format_vn(report_date)}")
    lines.append(f"{text['form']}: {text['form.' + a.form.value]}; "
                 f"{text['status']}: {text['state.' + a.state.value]}")
    return "\n".join(lines)


def announce_event(plan: PlanView, item: Item, text: Mapping[str, str]) -> Event:
    a, unit = item.assignment, item.unit
    day = a.announce_by
    assert day is not None  # only planned visits have an announce-by day
    summary = f"{text['announce_event']} {unit.name}"
    event = base_event(event_uid(plan.scenario.campaign.name, unit.id, "announce"), summary,
                       a.state)
    add_days(event, day, day)
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    event.add("description", f"{text['unit']}: {unit.name}\n{text['team']}: {item.team_name}\n"
                             f"{text['start']}: {format_vn(a.start)}")
    if a.state is VisitState.PLANNED:  # once announced, there is nothing left to remind of
        event.add_component(reminder(plan.cal, day, summary))
    return event


def deadline_event(plan: PlanView, item: Item, text: Mapping[str, str]) -> Event:
    a, unit = item.assignment, item.unit
    due = a.report_due
    assert due is not None  # only planned visits have a report deadline
    summary = f"{text['deadline_event']}: {unit.label}"
    event = base_event(event_uid(plan.scenario.campaign.name, unit.id, "report"), summary,
                       a.state)
    add_days(event, due, due)
    event.add("transp", "TRANSPARENT")
    event.add("description", f"{text['unit']}: {unit.name}\n{text['team']}: {item.team_name}\n"
                             f"{text['start']}: {format_vn(a.start)}")
    if a.state in (VisitState.PLANNED, VisitState.ANNOUNCED):  # a done visit's report is in
        event.add_component(reminder(plan.cal, due, summary))
    return event


def conclusion_event(plan: PlanView, item: Item, text: Mapping[str, str]) -> Event:
    """The day the team's conclusion on the visit is due (rules.conclusion_days after it)."""
    a, unit = item.assignment, item.unit
    due = a.conclusion_due
    assert due is not None
    event = base_event(event_uid(plan.scenario.campaign.name, unit.id, "conclusion"),
                       f"{text['conclusion_event']}: {unit.label}", a.state)
    add_days(event, due, due)
    event.add("transp", "TRANSPARENT")
    event.add("description", f"{text['unit']}: {unit.name}\n{text['team']}: {item.team_name}\n"
                             f"{text['start']}: {format_vn(a.start)}")
    return event


def reminder(cal: WorkCalendar, day: date, summary: str) -> Alarm:
    """A DISPLAY alarm at 08:00 on the working day before ``day`` (relative to the all-day start,
    which every client supports, unlike absolute triggers)."""
    before = datetime.combine(cal.shift(day, -1), REMINDER_AT)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", before - datetime.combine(day, time(0, 0)))
    return alarm
