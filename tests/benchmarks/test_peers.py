"""Smoke test of the route peers (benchmarks/peers.py) on a few Hanoi stops: every solver's days
cover each visit once, lay out by the engine's own test of a day, and are priced the plan's way.
VROOM is an optional extra (``bench``): the engine and OR-Tools' routing library are tested here."""

from __future__ import annotations

from benchmarks.peers import communes_instance, engine, ortools, row, start_times, three_hour_instance
from scheduler.routing.instance import Instance


def small() -> Instance:
    inst = three_hour_instance()
    return Instance.build(inst.stops[:8], inst.base, inst.day, inst.travel, inst.price)


def test_start_times_keep_a_visit_inside_one_session_on_the_grid() -> None:
    inst = small()
    for node in range(1, inst.n + 1):
        for t in start_times(inst, node):
            assert t % inst.day.grid == 0
            assert inst.day.session_of(t, t + inst.service[node]) is not None


def test_engine_and_routing_library_give_valid_days_at_the_plans_price() -> None:
    inst = small()
    for solver in (engine, ortools):
        result = solver(inst, 1.0)
        _name, price, travel, days, bad, once, *_ = row(inst, result)
        assert (bad, once) == ("0", "yes")
        assert int(price.replace(",", "")) == inst.price(int(travel.replace(",", "")), int(days))


def test_the_communes_instance_is_its_largest_route_group() -> None:
    instance = communes_instance()
    assert len(instance.stops) >= 10  # the wards and communes sharing one window and form
    assert all(s.minutes > 0 for s in instance.stops)
