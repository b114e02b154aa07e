"""The travel rule of scheduler/routing/travel.py: distances, minutes, and the layout of a day."""

from __future__ import annotations

import math

import pytest

from scheduler.routing.travel import (
    Point,
    TravelParams,
    WorkingDay,
    haversine_km,
    lay_out_day,
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


def test_visit_straddling_lunch_skips_the_break() -> None:
    near = Point(HOAN_KIEM.lat, HOAN_KIEM.lon)  # 0 minutes' drive
    slots = lay_out_day(HOAN_KIEM, [near, near], [210, 60])
    assert slots is not None
    first, second = slots
    assert (first.start, first.end) == (8 * 60, 11 * 60 + 30)
    assert (second.start, second.end) == (11 * 60 + 30, 14 * 60)  # 30 before, 30 after lunch


def test_visit_starting_at_noon_is_shown_after_lunch() -> None:
    slots = lay_out_day(HOAN_KIEM, [HOAN_KIEM, HOAN_KIEM], [240, 60])
    assert slots is not None
    assert slots[0].end == 12 * 60
    assert (slots[1].start, slots[1].end) == (13 * 60 + 30, 14 * 60 + 30)


def test_a_drive_before_a_visit_moves_its_start() -> None:
    far = Point(21.1, 105.8542)
    drive = travel_minutes(HOAN_KIEM, far)
    slots = lay_out_day(HOAN_KIEM, [far], [60])
    assert slots is not None
    assert slots[0].travel_before == drive
    assert slots[0].start == 8 * 60 + drive


def test_day_that_exceeds_working_minutes_by_the_drive_home_does_not_fit() -> None:
    far = Point(21.1, 105.8542)
    drive = travel_minutes(HOAN_KIEM, far)
    assert lay_out_day(HOAN_KIEM, [far], [450 - 2 * drive]) is not None
    assert lay_out_day(HOAN_KIEM, [far], [450 - 2 * drive + 1]) is None


def test_custom_sessions_and_travel_params() -> None:
    day = WorkingDay(((7 * 60, 11 * 60), (13 * 60, 16 * 60)))
    assert day.minutes == 420
    slots = lay_out_day(HOAN_KIEM, [HOAN_KIEM], [300], day, TravelParams(1.2, 40))
    assert slots is not None and (slots[0].start, slots[0].end) == (7 * 60, 14 * 60)


def test_bad_sessions_are_refused() -> None:
    with pytest.raises(ValueError, match="ordered"):
        WorkingDay(((13 * 60, 17 * 60), (8 * 60, 12 * 60)))
