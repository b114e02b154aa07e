"""The Vietnamese working-day calendar: the one place that maps dates to working-day indices.

Civil servants work Monday to Friday, minus public holidays (from the ``holidays`` package,
country VN), plus the official swaps each year's government decision adds (a Saturday worked to
bridge a holiday). Days are counted as in the Civil Code 2015, Art. 147-148: the day of the event
itself is not counted, so the report deadline of a visit on day D is the 5th working day before D.

Inside the model, time is an index of working days: index 0 is the first working day on or after
the horizon start. Only this module converts between dates and indices.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

import holidays as holidays_lib

from models.messages import worded

# Official swaps the holidays package does not always carry (DOMAIN.md "Working days").
BUILTIN_DAYS_OFF: dict[date, str] = {
    date(2025, 1, 27): "Tết Nguyên đán (nghỉ bù)",
    date(2025, 5, 2): "Nghỉ hoán đổi (làm bù thứ Bảy 26/04/2025)",
    date(2026, 1, 2): "Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)",
    date(2026, 2, 16): "Tết Nguyên đán",
    date(2026, 2, 17): "Tết Nguyên đán",
    date(2026, 2, 18): "Tết Nguyên đán",
    date(2026, 2, 19): "Tết Nguyên đán",
    date(2026, 2, 20): "Tết Nguyên đán",
    date(2026, 4, 27): "Giỗ Tổ Hùng Vương (nghỉ bù)",
}
BUILTIN_WORKED_WEEKENDS: dict[date, str] = {
    date(2025, 4, 26): "Làm bù cho ngày 02/05/2025",
    date(2026, 1, 10): "Làm bù cho ngày 02/01/2026",
}

# Days off the holidays package lists that no law in force grants yet: kept as days off (a plan does
# not count on working them) but shown "(dự kiến)" (expected). Ngày Văn hóa Việt Nam, 24/11 from 2026:
# announced, the Labour Code amendment not yet in force in any source found.
EXPECTED_DAYS_OFF = frozenset({"Ngày Văn hóa Việt Nam"})
EXPECTED_MARK = "(dự kiến)"

# Searching further than this for a working day means the calendar is broken (all days off).
_MAX_SEARCH_DAYS = 3660


class CalendarError(ValueError):
    """A date question the calendar cannot answer (outside the horizon, no working day)."""


@dataclass(frozen=True)
class CalendarOverrides:
    """Scenario-level changes to the national calendar."""

    days_off: frozenset[date] = frozenset()
    worked_days: frozenset[date] = frozenset()
    dropped_holidays: frozenset[date] = frozenset()


@dataclass
class WorkCalendar:
    """Working days between ``start`` and ``end`` (inclusive) with date <-> index conversion.

    Questions about dates outside the horizon (a report deadline before the horizon starts)
    are still answered by walking the calendar day by day; only indices are horizon-bound.
    """

    start: date
    end: date
    overrides: CalendarOverrides = field(default_factory=CalendarOverrides)
    use_builtin_swaps: bool = True

    @cached_property
    def _holidays(self) -> holidays_lib.HolidayBase:
        years = range(self.start.year - 1, self.end.year + 2)
        return holidays_lib.country_holidays("VN", years=years, language="vi")

    @cached_property
    def _extra_off(self) -> dict[date, str]:
        extra = dict(BUILTIN_DAYS_OFF) if self.use_builtin_swaps else {}
        extra.update({d: "Ngày nghỉ bổ sung (kịch bản)" for d in self.overrides.days_off})
        return extra

    @cached_property
    def _extra_worked(self) -> dict[date, str]:
        worked = dict(BUILTIN_WORKED_WEEKENDS) if self.use_builtin_swaps else {}
        worked.update({d: "Ngày làm bù (kịch bản)" for d in self.overrides.worked_days})
        return worked

    def holiday_name(self, day: date) -> str | None:
        """Name of the holiday or day off on ``day``, if it is one (weekends excluded)."""
        if day in self.overrides.dropped_holidays or day in self.overrides.worked_days:
            return None
        name = self._holidays.get(day)
        if name:
            return f"{name} {EXPECTED_MARK}" if self.is_expected_day_off(day) else str(name)
        return self._extra_off.get(day)

    def is_expected_day_off(self, day: date) -> bool:
        """A day off announced but not yet in force (``EXPECTED_DAYS_OFF``)."""
        names = str(self._holidays.get(day) or "").split("; ")
        return any(n in EXPECTED_DAYS_OFF for n in names) and day not in self._extra_off

    def day_kind(self, day: date) -> str | None:
        """Why ``day`` is not a working day ("Chủ nhật", a holiday's name), None when it is one."""
        if self.is_working_day(day):
            return None
        if day.weekday() < 5 or self.holiday_name(day):
            return self.holiday_name(day) or "Ngày nghỉ (kịch bản)"
        return "Thứ Bảy" if day.weekday() == 5 else "Chủ nhật"

    def is_working_day(self, day: date) -> bool:
        """Monday-Friday, not a holiday; a worked Saturday or Sunday counts."""
        known = self._working.get(day)
        if known is None:  # asked millions of times on a 10,000-unit campaign: remembered
            known = self._working[day] = self._is_working_day(day)
        return known

    @cached_property
    def _working(self) -> dict[date, bool]:
        return {}

    def _is_working_day(self, day: date) -> bool:
        if day in self.overrides.days_off:
            return False
        if day in self._extra_worked:
            return True
        if day.weekday() >= 5:
            return self._library_weekend_workday(day)
        return self.holiday_name(day) is None

    def _library_weekend_workday(self, day: date) -> bool:
        if day in self.overrides.dropped_holidays:
            return False
        try:
            return day in self._holidays.weekend_workdays
        except AttributeError:  # older holidays releases have no weekend_workdays
            return False

    def iter_days(self, first: date, last: date) -> Iterator[date]:
        """Every calendar day from ``first`` to ``last`` inclusive."""
        for offset in range((last - first).days + 1):
            yield first + timedelta(days=offset)

    def working_days_between(self, first: date, last: date) -> list[date]:
        """Working days from ``first`` to ``last``, both included."""
        return [d for d in self.iter_days(first, last) if self.is_working_day(d)]

    def shift(self, day: date, n: int) -> date:
        """The n-th working day after ``day`` (n > 0) or before it (n < 0); ``day`` not counted.

        ``shift(d, 0)`` is ``d`` if it is a working day, else the next working day.
        """
        key = (day, n)
        if key not in self._shifts:
            self._shifts[key] = self._shift(day, n)
        return self._shifts[key]

    @cached_property
    def _shifts(self) -> dict[tuple[date, int], date]:
        return {}

    def _shift(self, day: date, n: int) -> date:
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        current = day
        if n == 0:
            return self.next_working_day(day)
        for _ in range(_MAX_SEARCH_DAYS):
            current += timedelta(days=step)
            if self.is_working_day(current):
                remaining -= 1
                if remaining == 0:
                    return current
        raise CalendarError(f"no working day found near {day.isoformat()}")

    def next_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, else the first working day after it."""
        current = day
        for _ in range(_MAX_SEARCH_DAYS):
            if self.is_working_day(current):
                return current
            current += timedelta(days=1)
        raise CalendarError(f"no working day on or after {day.isoformat()}")

    def report_deadline(self, visit_day: date, notice_days: int = 5) -> date:
        """Last day the unit may send its report: the ``notice_days``-th working day before."""
        return self.shift(visit_day, -notice_days)

    # --- index view -----------------------------------------------------------------------

    @cached_property
    def days(self) -> list[date]:
        """The working days of the horizon; position in this list is the working-day index."""
        return self.working_days_between(self.start, self.end)

    @property
    def size(self) -> int:
        return len(self.days)

    def index(self, day: date) -> int:
        """Index of a working day inside the horizon."""
        pos = bisect.bisect_left(self.days, day)
        if pos == len(self.days) or self.days[pos] != day:
            raise CalendarError(f"{day.isoformat()} is not a working day of the horizon")
        return pos

    def index_on_or_after(self, day: date) -> int:
        """Index of the first horizon working day on or after ``day`` (``size`` if none)."""
        return bisect.bisect_left(self.days, day)

    def index_on_or_before(self, day: date) -> int:
        """Index of the last horizon working day on or before ``day`` (-1 if none)."""
        return bisect.bisect_right(self.days, day) - 1

    def date_of(self, index: int) -> date:
        """The working day at ``index``."""
        if not 0 <= index < len(self.days):
            raise CalendarError(f"working-day index {index} is outside the horizon")
        return self.days[index]

    def indices(self, days: Iterable[date]) -> set[int]:
        """Indices of those of ``days`` that are horizon working days."""
        return {self.index(d) for d in days if self.start <= d <= self.end and self.is_working_day(d)}

    def week_of(self, index: int) -> int:
        """A week number (Monday-based, counted from the horizon start) for a working-day index."""
        return self.week_of_date(self.date_of(index))

    def week_of_date(self, day: date) -> int:
        """The Monday-based week number of any date, counted from the horizon's first week."""
        monday0 = self.start - timedelta(days=self.start.weekday())
        return (day - monday0).days // 7

    # --- listings ------------------------------------------------------------------------

    def days_off_in(self, first: date, last: date) -> list[tuple[date, str]]:
        """Weekday holidays and extra days off between two dates, with their names."""
        listing = []
        for d in self.iter_days(first, last):
            if d.weekday() < 5 and not self.is_working_day(d):
                listing.append((d, self.holiday_name(d) or "Ngày nghỉ (kịch bản)"))
        return listing

    def worked_weekends_in(self, first: date, last: date) -> list[date]:
        """Saturdays and Sundays that are working days."""
        return [d for d in self.iter_days(first, last) if d.weekday() >= 5 and self.is_working_day(d)]


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last calendar day of a quarter."""
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, last - timedelta(days=1)


def format_vn(day: date) -> str:
    """dd/mm/yyyy, as Vietnamese documents write dates."""
    return day.strftime("%d/%m/%Y")


def format_clock_vn(hhmm: str, lang: str = "vi") -> str:
    """A clock time as documents write it: "8 giờ 00", "14 giờ 30" (English: "08:00")."""
    hours, minutes = hhmm.split(":")[:2]
    return f"{int(hours)} giờ {minutes}" if lang == "vi" else f"{int(hours):02d}:{minutes}"


_VN_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")


def parse_date_text(text: str) -> date:
    """A date as planners type it: dd/mm/yyyy (also d/m/yyyy, dd.mm.yyyy, dd-mm-yyyy) or ISO
    YYYY-MM-DD. ValueError saying both accepted forms otherwise."""
    value = text.strip()
    match = _VN_DATE.match(value)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(worded("date.not_a_date", text=text)) from None
