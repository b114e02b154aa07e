"""The travel rule of scheduler/routing/travel.py: distances, minutes, and the layout of a day."""

from __future__ import annotations

import math
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.routing.travel import (
    Point,
    TravelParams,
    WorkingDay,
    haversine_km,
    lay_out_day,
    lay_out_route,
    route_minutes,
    route_travel_minutes,
    travel_minutes,
)

HOAN_KIEM = Point(21.0285, 105.8542)
HO_CHI_MINH_CITY = Point(10.7769, 106.7009)


def test_haversine_hanoi_to_ho_chi_minh_city_matches_the_law_of_cosines() -> None:
    a, b = HOAN_KIEM, HO_CHI_MINH_CITY
    la, lb, dl = math.radians(a.lat), math.radians(b.lat), math.radians(b.lon - a.lon)
    cosines = 6371.0088 * math.acos(math.sin(la) * math.sin(lb) + math.cos(la) * math.cos(lb) * math.cos(dl))
    assert haversine_km(a, b) == pytest.approx(cosines, rel=1e-9)
    assert 1135 < haversine_km(a, b) < 1150  # ~1,144 km great circle


def test_one_degree_of_latitude_is_111_km() -> None:
    assert haversine_km(Point(21.0, 105.0), Point(22.0, 105.0)) == pytest.approx(111.2, abs=0.1)


def test_travel_minutes_rounds_up_road_time() -> None:
    a, b = Point(21.0, 105.0), Point(21.1, 105.0)  # 11.12 km straight
    km = haversine_km(a, b) * 1.4
    assert travel_minutes(a, b) == math.ceil(km / 30 * 60) == 32
    assert travel_minutes(a, b, road_factor=1.0, speed_kmh=60) == 12
    assert travel_minutes(a, a) == 0


def test_default_day_has_450_working_minutes() -> None:
    assert WorkingDay().minutes == 450


def test_route_minutes_counts_the_drive_home() -> None:
    a = Point(21.1, 105.8542)
    out = travel_minutes(HOAN_KIEM, a)
    assert route_travel_minutes(HOAN_KIEM, [a]) == 2 * out
    assert route_minutes(HOAN_KIEM, [a], [60]) == 2 * out + 60


def test_a_visit_that_would_span_lunch_waits_for_the_afternoon() -> None:
    slots = lay_out_day(HOAN_KIEM, [HOAN_KIEM, HOAN_KIEM], [210, 60])  # 0 minutes' drive
    assert slots is not None
    first, second = slots
    assert (first.start, first.end) == (8 * 60, 11 * 60 + 30)
    assert (second.start, second.end) == (13 * 60 + 30, 14 * 60 + 30)  # not 11:30-14:00 across the pause


def test_a_visit_that_fits_before_lunch_stays_in_the_morning() -> None:
    slots = lay_out_day(HOAN_KIEM, [HOAN_KIEM, HOAN_KIEM], [180, 60])
    assert slots is not None
    assert (slots[1].start, slots[1].end) == (11 * 60, 12 * 60)


def test_a_drive_before_a_visit_moves_its_start_to_the_next_quarter_hour() -> None:
    far = Point(21.1, 105.8542)
    drive = travel_minutes(HOAN_KIEM, far)  # 23 minutes
    slots = lay_out_day(HOAN_KIEM, [far], [60])
    assert slots is not None
    assert slots[0].travel_before == drive
    assert slots[0].start == 8 * 60 + 30  # 08:23 rounded up to the grid
    hourly = lay_out_day(HOAN_KIEM, [far], [60], WorkingDay(grid=60))
    assert hourly is not None and hourly[0].start == 9 * 60


def test_the_drive_home_must_end_by_the_end_of_the_day() -> None:
    far = Point(21.2, 105.8542)
    assert travel_minutes(HOAN_KIEM, far) == 54  # arrives 08:54, starts 09:00
    morning = lay_out_day(HOAN_KIEM, [far], [180])
    assert morning is not None and (morning[0].start, morning[0].end) == (9 * 60, 12 * 60)
    afternoon = lay_out_day(HOAN_KIEM, [far], [195])  # 13:30-16:45, home 17:39: too late
    assert afternoon is None
    assert lay_out_day(HOAN_KIEM, [far], [150 - 15]) is not None


def test_a_drive_may_use_the_pause_unless_the_rule_says_no() -> None:
    far = Point(21.2, 105.8542)  # 54 minutes away
    visits = [HOAN_KIEM, far]
    slots = lay_out_day(HOAN_KIEM, visits, [240, 60])
    assert slots is not None and slots[1].start == 13 * 60 + 30  # drove 12:00-12:54
    no_pause = WorkingDay(travel_in_pause=False)
    late = lay_out_day(HOAN_KIEM, visits, [240, 60], no_pause)
    assert late is not None and late[1].start == 14 * 60 + 30  # drove 13:30-14:24


def test_a_visit_longer_than_every_session_never_fits() -> None:
    assert lay_out_day(HOAN_KIEM, [HOAN_KIEM], [240]) is not None
    assert lay_out_day(HOAN_KIEM, [HOAN_KIEM], [241]) is None


def test_custom_sessions_and_travel_params() -> None:
    day = WorkingDay(((7 * 60, 11 * 60), (13 * 60, 16 * 60)))
    assert day.minutes == 420
    slots = lay_out_day(HOAN_KIEM, [HOAN_KIEM], [240], day, TravelParams(1.2, 40))
    assert slots is not None and (slots[0].start, slots[0].end) == (7 * 60, 11 * 60)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(20.8, 21.3), st.floats(105.5, 106.0), st.integers(15, 240)),
                min_size=1, max_size=4),
       st.sampled_from([5, 10, 15, 30]), st.booleans())
def test_every_laid_out_visit_is_inside_one_session_on_the_grid(
        stops: list[tuple[float, float, int]], grid: int, in_pause: bool) -> None:
    day = WorkingDay(grid=grid, travel_in_pause=in_pause)
    points = [Point(lat, lon) for lat, lon, _ in stops]
    layout = lay_out_route(HOAN_KIEM, points, [m for *_, m in stops], day)
    if layout is None:
        return
    for slot, (*_, minutes) in zip(layout.slots, stops, strict=True):
        assert slot.start % grid == 0 and slot.end - slot.start == minutes
        assert day.session_of(slot.start, slot.end) is not None
    assert all(a.end <= b.start for a, b in pairwise(layout.slots))
    assert layout.back_at <= day.closes


def test_bad_sessions_are_refused() -> None:
    with pytest.raises(ValueError, match="ordered"):
        WorkingDay(((13 * 60, 17 * 60), (8 * 60, 12 * 60)))
