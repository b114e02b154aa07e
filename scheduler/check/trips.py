"""The checker's trip rules (H16-day-hours): trips with nights away (``rules.overnight``).

A trip (the timed visits sharing a ``trip_id``) is one team and one lead on consecutive working
days, one route a day, with at most ``rules.overnight.max_nights`` nights (its days less one), and
none when overnight stays are off. Its days are laid out from their legs
(``scheduler.routing.trips.trip_legs``) by ``scheduler.check.routes.day_hours_problems``. Pure Python.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from models.calendar import CalendarError, WorkCalendar
from models.messages import register
from models.scenario import Scenario
from models.schedule import Assignment
from scheduler.messages import worded
from scheduler.routing.trips import trip_days


def trip_problems(scenario: Scenario, cal: WorkCalendar, visits: list[Assignment]
                  ) -> list[tuple[str, date, str]]:
    """(unit id, day, message) for each way a trip breaks H16."""
    allowed = scenario.rules.overnight.max_nights
    found: list[tuple[str, date, str]] = []
    for trip_id, days in sorted(trip_days(visits).items()):
        first = days[0][0]
        crews = sorted({(a.team_id, a.lead_id) for d in days for a in d})
        if len(crews) > 1:
            found.append((first.unit_id, first.start, worded("v.trip_crews", trip=trip_id, crews=crews)))
        dates = [d[0].start for d in days]
        if len(set(dates)) < len(dates):
            found.append((first.unit_id, first.start, worded("v.trip_two_routes", trip=trip_id)))
        elif not _consecutive(cal, dates):
            found.append((first.unit_id, first.start, worded(
                "v.trip_gap", trip=trip_id, days=", ".join(f"{d:%d/%m/%Y}" for d in dates))))
        nights = len(days) - 1
        if nights > allowed:
            key = "v.trip_nights_off" if allowed == 0 else "v.trip_nights"
            found.append((first.unit_id, first.start, worded(key, trip=trip_id, nights=nights,
                                                             allowed=allowed)))
    return found


def _consecutive(cal: WorkCalendar, dates: list[date]) -> bool:
    try:
        return all(cal.shift(a, 1) == b for a, b in pairwise(dates))
    except CalendarError:
        return False


register({
    "v.trip_crews": ("chuyến công tác {trip} đi với nhiều đoàn hoặc người chủ trì: {crews}",
                     "trip {trip} has several teams or leads: {crews}"),
    "v.trip_two_routes": ("chuyến công tác {trip} có hai lộ trình trong cùng một ngày",
                          "trip {trip} has two routes on one day"),
    "v.trip_gap": ("chuyến công tác {trip} không đi vào các ngày làm việc liền nhau ({days})",
                   "trip {trip} is not on consecutive working days ({days})"),
    "v.trip_nights": ("chuyến công tác {trip} nghỉ lại {nights} đêm, quá {allowed} đêm cho phép "
                      "(rules.overnight.max_nights)",
                      "trip {trip} stays {nights} nights away, more than the {allowed} allowed "
                      "(rules.overnight.max_nights)"),
    "v.trip_nights_off": ("chuyến công tác {trip} nghỉ lại {nights} đêm, nhưng kế hoạch không cho "
                          "nghỉ lại qua đêm (rules.overnight.max_nights là 0)",
                          "trip {trip} stays {nights} nights away, but overnight stays are off "
                          "(rules.overnight.max_nights is 0)"),
})
