"""``plan_trips`` on random far units: whatever it returns is a plan the day rule accepts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.routing.instance import Stop
from scheduler.routing.travel import DEFAULT_DAY, DEFAULT_TRAVEL, Point, lay_out_route
from scheduler.routing.trips import TripPrices, lay_out_leg, plan_trips

BASE = Point(10.95, 106.82)
FAR = 10**9


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(11.2, 11.6), st.floats(106.7, 107.2), st.integers(30, 180)),
                min_size=1, max_size=5),
       st.integers(1, 3))
def test_every_trip_lays_out_and_keeps_to_its_nights(points: list[tuple[float, float, int]],
                                                      nights: int) -> None:
    stops = [Stop(f"U{i}", Point(lat, lon), minutes, f"U{i}") for i, (lat, lon, minutes) in enumerate(points)]
    alone = [lay_out_route(BASE, [s.point], [s.minutes]) is not None for s in stops]
    trips, left = plan_trips(stops, BASE, DEFAULT_DAY, DEFAULT_TRAVEL, nights, TripPrices(1, 60, 100),
                             [0 if fits else FAR for fits in alone])
    on_trips = [u for trip in trips for day in trip for u in day]
    assert sorted(on_trips + left) == sorted(s.unit_id for s in stops)  # each unit once
    far = {s.unit_id for s, fits in zip(stops, alone, strict=True) if not fits}
    assert all(far & {u for day in trip for u in day} for trip in trips)  # a free day never joins alone
    by_id = {s.unit_id: s for s in stops}
    for trip in trips:
        assert 2 <= len(trip) <= nights + 1
        here = BASE
        for i, day in enumerate(trip):
            end = BASE if i == len(trip) - 1 else None
            day_stops = [by_id[u] for u in day]
            assert lay_out_leg(here, [s.point for s in day_stops], [s.minutes for s in day_stops], end,
                               DEFAULT_DAY, DEFAULT_TRAVEL) is not None
            here = day_stops[-1].point
