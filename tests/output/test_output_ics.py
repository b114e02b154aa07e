"""iCalendar files read back with icalendar: content, one UID per visit, updates across runs
(SEQUENCE, cancellations), status by visit state, reminders, file names and timed visits."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from icalendar import Calendar
from test_output_plans import TINY_PLAN, build, hanoi_schedule, tiny_schedule

from conftest import SCENARIOS, make_scenario, tiny_scenario_data
from models.loading import load_scenario
from models.scenario import Scenario
from models.schedule import Assignment, Schedule, VisitState
from scheduler.output.ics import TZID, calendar_files, event_uid
from scheduler.output.view import OutputError, build_view
from scheduler.plan.pipeline import greedy_schedule

STAMP = datetime(2025, 6, 1, 8, 0, 0)
LATER = STAMP + timedelta(days=3)


def parse_calendars(files: dict[str, bytes]) -> dict[str, Calendar]:
    return {name: Calendar.from_ical(data) for name, data in files.items()}


def events(cal: Calendar) -> dict[str, Any]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def calendars(scenario: Scenario, schedule: Schedule, stamp: datetime = STAMP,
              previous: dict[str, bytes] | None = None) -> dict[str, bytes]:
    return calendar_files(build_view(scenario, schedule), stamp=stamp, previous=previous)


def with_assignments(schedule: Schedule, assignments: list[Assignment]) -> Schedule:
    return schedule.model_copy(update={"assignments": assignments})


def replace(schedule: Schedule, unit_id: str, **update: Any) -> Schedule:
    return with_assignments(schedule, [a.model_copy(update=update) if a.unit_id == unit_id else a
                                       for a in schedule.assignments])


def uid(scenario: Scenario, unit_id: str, kind: str = "visit") -> str:
    return event_uid(scenario.campaign.name, unit_id, kind)


# --- content ------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["tiny", "hanoi"])
def test_team_calendars_hold_every_visit_announcement_and_deadline(which: str, request) -> None:
    scenario = request.getfixturevalue(which)
    schedule = tiny_schedule(scenario) if which == "tiny" else hanoi_schedule(scenario)
    cals = parse_calendars(calendars(scenario, schedule))
    for team in scenario.teams:
        by_uid = events(cals[f"ics/team-{team.id}.ics"])
        mine = [a for a in schedule.assignments if a.team_id == team.id]
        # a visit, an announce-by day and a report deadline (and the conclusion's day, when set)
        assert len(by_uid) == sum(3 + (a.conclusion_due is not None) for a in mine)
        for a in mine:
            unit = scenario.unit(a.unit_id)
            visit = by_uid[uid(scenario, a.unit_id)]
            assert visit.decoded("DTSTART") == a.start
            assert visit.decoded("DTEND") == a.end + timedelta(days=1)
            assert str(visit["SUMMARY"]) == f"Kiểm tra: {unit.name}"
            assert str(visit["LOCATION"]) == (unit.address or unit.name)
            assert all(scenario.member(m).label in str(visit["DESCRIPTION"]) for m in a.member_ids)
            announce = by_uid[uid(scenario, a.unit_id, "announce")]
            assert announce.decoded("DTSTART") == a.announce_by
            assert str(announce["SUMMARY"]) == f"Thông báo lịch kiểm tra cho {unit.name}"
            due = by_uid[uid(scenario, a.unit_id, "report")]
            assert due.decoded("DTSTART") == a.report_due
            assert str(due["SUMMARY"]) == f"Hạn gửi báo cáo: {unit.label}"
            assert str(due["TRANSP"]) == str(announce["TRANSP"]) == "TRANSPARENT"


def test_member_calendars_share_the_visit_uids_and_skip_announcements(hanoi) -> None:
    schedule = hanoi_schedule(hanoi)
    cals = parse_calendars(calendars(hanoi, schedule))
    for member in hanoi.members:
        mine = [a for a in schedule.assignments if member.id in a.member_ids]
        name = f"ics/member-{member.id}.ics"
        if not mine:
            assert name not in cals
            continue
        expected = {uid(hanoi, a.unit_id, k) for a in mine
                    for k in ("visit", "report", "conclusion")[:2 + (a.conclusion_due is not None)]}
        assert set(events(cals[name])) == expected
        team_events = {u: e for a in mine for u, e in
                       events(cals[f"ics/team-{a.team_id}.ics"]).items()}
        for u, event in events(cals[name]).items():  # the same event as in the team calendar
            assert event.to_ical() == team_events[u].to_ical()


def test_uids_depend_on_campaign_unit_and_kind_only(tiny) -> None:
    kinds = ("visit", "announce", "report")
    assert len({uid(tiny, u.id, k) for u in tiny.units for k in kinds}) == 3 * len(tiny.units)
    assert event_uid("Another campaign", "U1") != uid(tiny, "U1")


@pytest.mark.parametrize(("state", "status"), [
    (VisitState.PLANNED, "TENTATIVE"), (VisitState.ANNOUNCED, "CONFIRMED"),
    (VisitState.DONE, "CONFIRMED"), (VisitState.CANCELLED, "CANCELLED")])
def test_status_follows_the_visit_state(tiny, state: VisitState, status: str) -> None:
    schedule = replace(tiny_schedule(tiny), "U1", state=state)
    cals = parse_calendars(calendars(tiny, schedule))
    for name in ("ics/team-D1.ics", "ics/member-A2.ics"):
        found = events(cals[name])
        assert str(found[uid(tiny, "U1")]["STATUS"]) == status
        assert str(found[uid(tiny, "U1", "report")]["STATUS"]) == status
    assert str(events(cals["ics/team-D1.ics"])[uid(tiny, "U3")]["STATUS"]) == "TENTATIVE"


# --- reminders ----------------------------------------------------------------------------


def alarm_time(event: Any) -> datetime | None:
    alarms = event.walk("VALARM")
    if not alarms:
        return None
    (alarm,) = alarms
    assert str(alarm["ACTION"]) == "DISPLAY" and str(alarm["DESCRIPTION"]) == str(event["SUMMARY"])
    return datetime.combine(event.decoded("DTSTART"), time(0, 0)) + alarm.decoded("TRIGGER")


def test_announce_by_and_report_deadline_remind_the_working_day_before(tiny) -> None:
    cal = tiny.work_calendar()
    schedule = replace(tiny_schedule(tiny), "U3", state=VisitState.ANNOUNCED)
    team = events(parse_calendars(calendars(tiny, schedule))["ics/team-D1.ics"])
    u1 = schedule.assignment_for("U1")
    assert u1 is not None and u1.announce_by is not None and u1.report_due is not None
    for kind, day in (("announce", u1.announce_by), ("report", u1.report_due)):
        rings = alarm_time(team[uid(tiny, "U1", kind)])
        assert rings == datetime.combine(cal.shift(day, -1), time(8, 0))
        assert rings is not None and cal.is_working_day(rings.date()) and rings.date() < day
    assert alarm_time(team[uid(tiny, "U3", "announce")]) is None  # already announced
    assert alarm_time(team[uid(tiny, "U3", "report")]) is not None
    assert alarm_time(team[uid(tiny, "U1")]) is None  # the visit itself: no alarm
    done = replace(schedule, "U3", state=VisitState.DONE)
    team = events(parse_calendars(calendars(tiny, done))["ics/team-D1.ics"])
    assert alarm_time(team[uid(tiny, "U3", "report")]) is None


# --- updates across runs ------------------------------------------------------------------


@pytest.fixture(scope="module")
def greedy_hanoi() -> tuple[Scenario, Schedule]:
    scenario = load_scenario(SCENARIOS / "hanoi-2025.yaml")
    return scenario, greedy_schedule(scenario)


def sequences(files: dict[str, bytes]) -> dict[tuple[str, str], tuple[int, str, str]]:
    """(file, UID) -> (SEQUENCE, STATUS, DTSTAMP)."""
    return {(name, u): (int(e["SEQUENCE"]), str(e["STATUS"]), e.decoded("DTSTAMP").isoformat())
            for name, cal in parse_calendars(files).items() for u, e in events(cal).items()}


def test_a_changed_plan_cancels_what_left_a_calendar_and_bumps_what_changed(greedy_hanoi) -> None:
    scenario, schedule = greedy_hanoi
    moved, shrunk = schedule.assignments[0], schedule.assignments[1]
    other = next(t.id for t in scenario.teams if t.id != moved.team_id)
    dropped = next(m for m in shrunk.member_ids if m != shrunk.lead_id)
    changed = replace(replace(schedule, moved.unit_id, team_id=other), shrunk.unit_id,
                      member_ids=[m for m in shrunk.member_ids if m != dropped])
    first = calendars(scenario, schedule)
    second = calendars(scenario, changed, LATER, previous=first)
    before, after = sequences(first), sequences(second)
    assert set(first) <= set(second)  # no calendar disappears

    old_team, new_team = f"ics/team-{moved.team_id}.ics", f"ics/team-{other}.ics"
    kinds = ("visit", "announce", "report", "conclusion")[:3 + (moved.conclusion_due is not None)]
    for kind in kinds:
        key = (old_team, uid(scenario, moved.unit_id, kind))
        assert after[key][1] == "CANCELLED" and after[key][0] > before[key][0]
        assert after[(new_team, key[1])][1] == "TENTATIVE"
        assert after[(new_team, key[1])][0] > before[key][0]
    gone = (f"ics/member-{dropped}.ics", uid(scenario, shrunk.unit_id))
    assert after[gone][1] == "CANCELLED" and after[gone][0] > before[gone][0]
    still = (f"ics/team-{shrunk.team_id}.ics", uid(scenario, shrunk.unit_id))
    assert after[still] == (before[still][0] + 1, "TENTATIVE", LATER.isoformat() + "+00:00")

    touched = {uid(scenario, a.unit_id, k) for a in (moved, shrunk)
               for k in ("visit", "announce", "report", "conclusion")}
    unchanged = [k for k in before if k[1] not in touched]
    assert unchanged and all(after[k] == before[k] for k in unchanged)  # SEQUENCE and DTSTAMP


def test_republishing_the_same_plan_changes_no_byte(greedy_hanoi) -> None:
    scenario, schedule = greedy_hanoi
    first = calendars(scenario, schedule)
    moved = replace(schedule, schedule.assignments[0].unit_id,
                    team_id=next(t.id for t in scenario.teams
                                 if t.id != schedule.assignments[0].team_id))
    second = calendars(scenario, moved, LATER, previous=first)
    assert calendars(scenario, schedule, LATER, previous=first) == first
    assert calendars(scenario, moved, LATER + timedelta(days=1), previous=second) == second


def test_a_calendar_whose_owner_lost_every_event_still_publishes_the_cancellations(tiny) -> None:
    first = calendars(tiny, tiny_schedule(tiny))
    data = tiny_scenario_data()
    data["members"] = [m for m in data["members"] if m["id"] != "A3"]
    without_a3 = make_scenario(data)
    second = parse_calendars(calendars(without_a3, build(without_a3, TINY_PLAN[:2]), LATER,
                                       previous=first))
    a3 = events(second["ics/member-A3.ics"])  # A3 left the scenario; U3 was removed
    assert set(a3) == {uid(tiny, "U3"), uid(tiny, "U3", "report")}
    assert all(str(e["STATUS"]) == "CANCELLED" and int(e["SEQUENCE"]) == 1 for e in a3.values())
    assert all(not e.walk("VALARM") for e in a3.values())
    assert str(second["ics/member-A3.ics"]["X-WR-CALNAME"]).endswith("(A3)")
    team = events(second["ics/team-D1.ics"])
    assert str(team[uid(tiny, "U3", "announce")]["STATUS"]) == "CANCELLED"
    assert str(team[uid(tiny, "U1")]["STATUS"]) == "TENTATIVE"


def test_a_visit_moved_back_is_live_again_above_its_cancellation(tiny) -> None:
    schedule = tiny_schedule(tiny)
    away = replace(schedule, "U1", team_id="D2")
    first = calendars(tiny, schedule)
    second = calendars(tiny, away, LATER, previous=first)
    third = sequences(calendars(tiny, schedule, LATER + timedelta(days=1), previous=second))
    key = ("ics/team-D1.ics", uid(tiny, "U1"))
    assert third[key][1] == "TENTATIVE" and third[key][0] > sequences(second)[key][0]
    assert third[("ics/team-D2.ics", uid(tiny, "U1"))][1] == "CANCELLED"


def test_previous_files_that_are_not_kiemtra_calendars(tiny) -> None:
    first = calendars(tiny, tiny_schedule(tiny))
    foreign = b"BEGIN:VCALENDAR\r\nPRODID:-//someone//else//EN\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    files = calendars(tiny, tiny_schedule(tiny), previous={**first, "ics/notes.ics": b"mine",
                                                           "ics/member-X9.ics": foreign})
    assert files == first  # neither is ours: not rewritten, not read
    with pytest.raises(OutputError, match=r"ics/team-D1\.ics.*move it out"):
        calendars(tiny, tiny_schedule(tiny), previous={"ics/team-D1.ics": b"garbage"})


# --- file names ---------------------------------------------------------------------------


def colliding_scenario(member_ids: tuple[str, str]) -> tuple[Scenario, Schedule]:
    data = tiny_scenario_data()
    renames = dict(zip(("A2", "A3"), member_ids, strict=True))
    for member in data["members"]:
        member["id"] = renames.get(member["id"], member["id"])
    scenario = make_scenario(data)
    plan = [("U1", "D1", date(2025, 6, 10), ["A1", member_ids[0]], "A1"),
            ("U3", "D1", date(2025, 6, 12), ["A1", member_ids[1]], "A1")]
    return scenario, build(scenario, plan)


def owners(files: dict[str, bytes]) -> dict[str, str]:
    return {str(cal["X-KIEMTRA-OWNER"]): name for name, cal in parse_calendars(files).items()}


@pytest.mark.parametrize("ids", [("M/7", "M_7"), ("m7", "M7"), ("Đ7", "D7")])
def test_ids_with_the_same_slug_get_distinct_files(ids: tuple[str, str]) -> None:
    scenario, schedule = colliding_scenario(ids)
    files = owners(calendars(scenario, schedule))
    names = [files[f"member:{i}"] for i in ids]
    assert len({n.casefold() for n in names}) == 2  # distinct even where case is ignored
    assert all(n.isascii() and "/" not in n.removeprefix("ics/") for n in names)
    for member_id, name in zip(ids, names, strict=True):
        cal = Calendar.from_ical(calendars(scenario, schedule)[name])
        assert str(cal["X-WR-CALNAME"]).endswith(f"({member_id})")
        visits = {u for u in events(cal) if u in (uid(scenario, "U1"), uid(scenario, "U3"))}
        assert len(visits) == 1


def test_an_id_keeps_its_file_when_a_colliding_id_arrives() -> None:
    first = calendars(*colliding_scenario(("A2", "M_7")))
    scenario, schedule = colliding_scenario(("M/7", "M_7"))
    assert "ics/member-M_7.ics" in first  # no collision yet: the plain slug
    both = owners(calendars(scenario, schedule, LATER, previous=first))
    assert both["member:M_7"] == "ics/member-M_7.ics"
    assert both["member:M/7"].startswith("ics/member-M_7-")


# --- timed visits -------------------------------------------------------------------------


def test_visits_with_times_are_timed_events_in_vietnam_time(tiny) -> None:
    schedule = tiny_schedule(tiny)
    timed = [a.model_copy(update={"start_time": "08:00", "end_time": "11:30"})
             if a.unit_id == "U1" else a for a in schedule.assignments]
    assert getattr(timed[0], "start_time", None) == "08:00"
    files = calendars(tiny, with_assignments(schedule, timed))
    raw = files["ics/team-D1.ics"].decode("utf-8")
    assert f"DTSTART;TZID={TZID}:20250610T080000" in raw
    cal = Calendar.from_ical(files["ics/team-D1.ics"])
    (zone,) = cal.walk("VTIMEZONE")
    assert str(zone["TZID"]) == TZID
    visit = events(cal)[uid(tiny, "U1")]
    assert visit.decoded("DTSTART").utcoffset() == timedelta(hours=7)
    assert visit.decoded("DTEND") - visit.decoded("DTSTART") == timedelta(hours=3, minutes=30)
    assert events(cal)[uid(tiny, "U3")].decoded("DTSTART") == date(2025, 6, 12)  # all-day
    assert "Thời gian: từ 8 giờ 00 đến 11 giờ 30" in str(visit["DESCRIPTION"])
    assert not Calendar.from_ical(files["ics/team-D2.ics"]).walk("VTIMEZONE")


def test_conclusions_and_the_campaign_report_date_are_in_the_calendars() -> None:
    data = tiny_scenario_data()
    data["rules"]["conclusion_days"] = 10
    data["campaign"]["report_date"] = "2025-08-15"
    scenario = make_scenario(data)
    schedule = tiny_schedule(scenario)
    cal = scenario.work_calendar()
    for a in schedule.assignments:
        assert a.conclusion_due == cal.shift(a.end, 10)
    by_uid = events(parse_calendars(calendars(scenario, schedule))["ics/team-D1.ics"])
    first = next(a for a in schedule.assignments if a.team_id == "D1")
    conclusion = by_uid[uid(scenario, first.unit_id, "conclusion")]
    assert conclusion.decoded("DTSTART") == first.conclusion_due
    description = str(by_uid[uid(scenario, first.unit_id)]["DESCRIPTION"])
    assert f"Hạn ban hành kết luận: {first.conclusion_due:%d/%m/%Y}" in description
    assert "Báo cáo kết quả kiểm tra: 15/08/2025" in description
    plain = tiny_schedule(make_scenario(tiny_scenario_data()))
    assert all(a.conclusion_due is None for a in plain.assignments)  # no term set: none shown
