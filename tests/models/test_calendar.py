"""Calendar facts from DOMAIN.md: holidays, swaps, deadlines, and scenario overrides."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import make_scenario, tiny_scenario_data
from models.calendar import CalendarError, CalendarOverrides, WorkCalendar, format_clock_vn, parse_date_text

CAL_2025 = WorkCalendar(date(2025, 1, 1), date(2025, 12, 31))
CAL_2026 = WorkCalendar(date(2026, 1, 1), date(2026, 12, 31))


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 4, 26), True),  # Saturday worked to bridge 30/4-2/5
        (date(2025, 5, 2), False),
        (date(2025, 4, 30), False),
        (date(2025, 5, 1), False),
        (date(2025, 9, 1), False),
        (date(2025, 9, 2), False),
        (date(2025, 1, 27), False),  # Tết
        (date(2025, 1, 31), False),
        (date(2025, 4, 7), False),  # Giỗ Tổ
        (date(2025, 4, 28), True),
        (date(2025, 4, 27), False),  # an ordinary Sunday
    ],
)
def test_2025_days(day: date, working: bool) -> None:
    assert CAL_2025.is_working_day(day) is working


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 1, 2), False),  # swapped with Sat 10/1
        (date(2026, 1, 10), True),
        (date(2026, 2, 16), False),
        (date(2026, 2, 20), False),
        (date(2026, 4, 27), False),  # Giỗ Tổ on Sunday, observed Monday
        (date(2026, 4, 30), False),
        (date(2026, 5, 1), False),
    ],
)
def test_2026_days(day: date, working: bool) -> None:
    assert CAL_2026.is_working_day(day) is working


def test_report_deadline_counts_worked_saturday_and_skips_holidays() -> None:
    assert CAL_2025.report_deadline(date(2025, 5, 5)) == date(2025, 4, 24)


def test_report_deadline_excludes_the_visit_day_itself() -> None:
    # Fri 13/6/2025: five working days before are 12, 11, 10, 9, 6 June.
    assert CAL_2025.report_deadline(date(2025, 6, 13)) == date(2025, 6, 6)
    assert CAL_2025.report_deadline(date(2025, 6, 13), 1) == date(2025, 6, 12)


def test_shift_forward_and_zero() -> None:
    assert CAL_2025.shift(date(2025, 4, 29), 1) == date(2025, 5, 5)
    assert CAL_2025.shift(date(2025, 5, 3), 0) == date(2025, 5, 5)
    assert CAL_2025.shift(date(2025, 5, 5), 0) == date(2025, 5, 5)


def test_working_days_between_counts_both_ends() -> None:
    days = CAL_2025.working_days_between(date(2025, 4, 25), date(2025, 5, 5))
    assert days == [date(2025, 4, 25), date(2025, 4, 26), date(2025, 4, 28),
                    date(2025, 4, 29), date(2025, 5, 5)]


def test_index_round_trip_and_errors() -> None:
    cal = WorkCalendar(date(2025, 4, 23), date(2025, 12, 31))
    assert cal.date_of(0) == date(2025, 4, 23)
    assert cal.index(date(2025, 4, 26)) == 3
    for i in (0, 10, cal.size - 1):
        assert cal.index(cal.date_of(i)) == i
    with pytest.raises(CalendarError):
        cal.index(date(2025, 5, 1))
    with pytest.raises(CalendarError):
        cal.date_of(cal.size)
    assert cal.index_on_or_after(date(2025, 4, 30)) == cal.index(date(2025, 5, 5))
    assert cal.index_on_or_before(date(2025, 5, 4)) == cal.index(date(2025, 4, 29))


def test_overrides_win_over_the_library() -> None:
    overrides = CalendarOverrides(
        days_off=frozenset({date(2025, 6, 10)}),
        worked_days=frozenset({date(2025, 6, 14)}),
        dropped_holidays=frozenset({date(2025, 9, 2)}),
    )
    cal = WorkCalendar(date(2025, 1, 1), date(2025, 12, 31), overrides)
    assert not cal.is_working_day(date(2025, 6, 10))
    assert cal.is_working_day(date(2025, 6, 14))
    assert cal.is_working_day(date(2025, 9, 2))
    assert not cal.is_working_day(date(2025, 9, 1))


def test_scenario_calendar_overrides_apply() -> None:
    data = tiny_scenario_data()
    data["calendar"] = {
        "days_off": [{"from": "2025-06-09", "to": "2025-06-10"}],
        "worked_days": ["2025-06-14"],
        "dropped_holidays": ["2025-09-02"],
    }
    cal = make_scenario(data).work_calendar()
    assert not cal.is_working_day(date(2025, 6, 9))
    assert not cal.is_working_day(date(2025, 6, 10))
    assert cal.is_working_day(date(2025, 6, 14))
    assert cal.is_working_day(date(2025, 9, 2))


def test_builtin_swaps_can_be_switched_off() -> None:
    cal = WorkCalendar(date(2026, 1, 1), date(2026, 12, 31), use_builtin_swaps=False)
    assert cal.is_working_day(date(2026, 1, 2))
    assert not cal.is_working_day(date(2026, 1, 10))


def test_week_numbers_are_monday_based() -> None:
    cal = WorkCalendar(date(2025, 6, 4), date(2025, 6, 30))  # a Wednesday
    assert cal.week_of(cal.index(date(2025, 6, 6))) == 0
    assert cal.week_of(cal.index(date(2025, 6, 9))) == 1


# The days every report deadline of 2025-2026 depends on. A `holidays` release that changes any of
# them changes deadlines already announced: pyproject.toml pins the release these were read from,
# and this test fails if an installed one differs.
DAYS_OFF = {
    2025: ["2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31",
           "2025-04-07", "2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02"],
    2026: ["2026-01-01", "2026-01-02", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
           "2026-02-20", "2026-04-27", "2026-04-30", "2026-05-01", "2026-08-31", "2026-09-01",
           "2026-09-02", "2026-11-24"],
}
WORKED_WEEKENDS = {2025: ["2025-04-26"], 2026: ["2026-01-10", "2026-08-22"]}


@pytest.mark.parametrize("year", [2025, 2026])
def test_weekday_holidays_and_worked_weekends_are_those_deadlines_were_tested_with(year: int) -> None:
    cal = WorkCalendar(date(year, 1, 1), date(year, 12, 31))
    off = [d.isoformat() for d, _ in cal.days_off_in(date(year, 1, 1), date(year, 12, 31))]
    worked = [d.isoformat() for d in cal.worked_weekends_in(date(year, 1, 1), date(year, 12, 31))]
    assert off == DAYS_OFF[year]
    assert worked == WORKED_WEEKENDS[year]


@pytest.mark.parametrize(("visit", "due"), [
    (date(2026, 1, 12), date(2026, 1, 6)),  # Sat 10/1 counts as a working day
    (date(2026, 2, 25), date(2026, 2, 11)),  # Tết 16-20/2
    (date(2026, 5, 6), date(2026, 4, 24)),  # 27/4, 30/4, 1/5 off
    (date(2026, 9, 4), date(2026, 8, 25)),  # Mon 31/8 (swapped for Sat 22/8), 1-2/9 off
    (date(2026, 11, 27), date(2026, 11, 19)),  # Ngày Văn hóa Việt Nam, Tue 24/11
])
def test_2026_report_deadlines(visit: date, due: date) -> None:
    assert CAL_2026.report_deadline(visit) == due


@pytest.mark.parametrize(("text", "day"), [
    ("05/06/2025", date(2025, 6, 5)), ("5/6/2025", date(2025, 6, 5)),
    ("05.06.2025", date(2025, 6, 5)), (" 2025-06-05 ", date(2025, 6, 5)),
])
def test_dates_are_read_as_planners_type_them(text: str, day: date) -> None:
    assert parse_date_text(text) == day


@pytest.mark.parametrize("text", ["31/06/2025", "2025-13-01", "06/2025", "hôm nay"])
def test_a_bad_date_says_both_accepted_forms(text: str) -> None:
    with pytest.raises(ValueError, match="dd/mm/yyyy"):
        parse_date_text(text)


@pytest.mark.parametrize(("hhmm", "vi", "en"), [
    ("08:00", "8 giờ 00", "08:00"), ("14:30", "14 giờ 30", "14:30"), ("13:05", "13 giờ 05", "13:05")])
def test_clock_times_as_notices_write_them(hhmm: str, vi: str, en: str) -> None:
    assert format_clock_vn(hhmm) == vi and format_clock_vn(hhmm, "en") == en


def test_a_day_off_not_yet_in_force_is_marked_expected() -> None:
    assert CAL_2026.holiday_name(date(2026, 11, 24)) == "Ngày Văn hóa Việt Nam (dự kiến)"
    assert not CAL_2026.is_working_day(date(2026, 11, 24))  # still planned as a day off
    assert (date(2026, 11, 24), "Ngày Văn hóa Việt Nam (dự kiến)") in CAL_2026.days_off_in(
        date(2026, 11, 1), date(2026, 11, 30))
    national_day = CAL_2026.holiday_name(date(2026, 9, 2))
    assert national_day is not None and "(dự kiến)" not in national_day
    assert CAL_2026.day_kind(date(2026, 11, 29)) == "Chủ nhật"
    assert CAL_2026.day_kind(date(2026, 11, 25)) is None
