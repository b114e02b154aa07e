"""Day routes (scheduler/routing/engine.py): optimal on small cases by brute force, problems explained."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence

import pytest

from scheduler.cost.route_price import DEFAULT_PRICE, RoutePrice
from scheduler.routing.bound import lower_bound
from scheduler.routing.engine import (
    Instance,
    RoutePlan,
    RouteProblem,
    Stop,
    greedy_days,
    greedy_routes,
    plan_routes,
    registry_order_routes,
    simple_lower_bound,
)
from scheduler.routing.travel import (
    DEFAULT_DAY,
    DEFAULT_TRAVEL,
    Point,
    WorkingDay,
    lay_out_day,
    route_travel_minutes,
)

BASE = Point(21.0285, 105.8542)


def _stops(count: int, seed: int, minutes: tuple[int, int] = (45, 120), spread: float = 0.12) -> list[Stop]:
    rng = random.Random(seed)
    def near() -> Point:
        return Point(BASE.lat + rng.uniform(-spread, spread), BASE.lon + rng.uniform(-spread, spread))
    return [Stop(f"U{i}", near(), rng.randint(*minutes)) for i in range(count)]


def _partitions(items: list[Stop]) -> Iterator[list[list[Stop]]]:
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in _partitions(rest):
        yield [[first], *part]
        for i in range(len(part)):
            yield [*part[:i], [first, *part[i]], *part[i + 1:]]


def _best_day(group: Sequence[Stop]) -> int | None:
    """Least travel of the group as one day, over every order; None when no order fits."""
    fits = []
    for order in itertools.permutations(group):
        points = [s.point for s in order]
        if lay_out_day(BASE, points, [s.minutes for s in order]) is not None:
            fits.append(route_travel_minutes(BASE, points))
    return min(fits, default=None)


def _brute_force(stops: list[Stop], price: RoutePrice = DEFAULT_PRICE) -> tuple[int, int]:
    """The least price of the routes over every partition into days, and the least travel at it."""
    best: tuple[int, int] | None = None
    for part in _partitions(stops):
        days = [_best_day(g) for g in part]
        if any(d is None for d in days):
            continue
        travel = sum(d for d in days if d is not None)
        key = (price(travel, len(part)), travel)
        best = key if best is None or key < best else best
    assert best is not None
    return best


def _assert_valid(plan: RoutePlan, stops: list[Stop], working: WorkingDay = DEFAULT_DAY) -> None:
    """Every unit once; each day's layout re-derived from the travel rule; bound below the plan."""
    by_id = {s.unit_id: s for s in stops}
    assert sorted(u for r in plan.routes for u in r.unit_ids) == sorted(by_id)
    for r in plan.routes:
        day = [by_id[u] for u in r.unit_ids]
        slots = lay_out_day(BASE, [s.point for s in day], [s.minutes for s in day], working)
        assert slots is not None and tuple(slots) == r.slots
        assert r.travel_minutes == route_travel_minutes(BASE, [s.point for s in day])
    assert plan.lower_bound_minutes <= plan.total_travel_minutes
    assert plan.lower_bound_price <= plan.cost == plan.price(plan.total_travel_minutes, plan.days)


def test_five_short_visits_fit_one_day_in_the_best_order() -> None:
    stops = _stops(5, seed=1, minutes=(45, 60), spread=0.03)
    plan = plan_routes(stops, BASE, time_limit_s=2)
    _assert_valid(plan, stops)
    assert plan.days == 1
    assert plan.total_travel_minutes == _best_day(stops)
    assert plan.method == "enumerated-optimal"


@pytest.mark.parametrize("seed", range(6))
def test_small_random_instances_are_optimal(seed: int) -> None:
    stops = _stops(7, seed=seed, minutes=(60, 170))
    plan = plan_routes(stops, BASE, time_limit_s=2, seed=seed)
    _assert_valid(plan, stops)
    assert plan.cost == _brute_force(stops)[0]
    assert plan.lower_bound_price == plan.cost


def test_search_path_is_valid_and_beats_the_peers() -> None:
    """Many short visits: too many day routes to enumerate, so the search path runs."""
    stops = _stops(60, seed=3, minutes=(45, 90), spread=0.05)
    plan = plan_routes(stops, BASE, time_limit_s=3, seed=0)
    assert plan.method == "search"
    _assert_valid(plan, stops)
    greedy, naive = greedy_routes(stops, BASE), registry_order_routes(stops, BASE)
    _assert_valid(greedy, stops)
    _assert_valid(naive, stops)
    assert plan.total_travel_minutes <= greedy.total_travel_minutes <= naive.total_travel_minutes
    assert plan.lower_bound_minutes > 0


def test_same_input_same_routes() -> None:
    stops = _stops(40, seed=5, minutes=(45, 90), spread=0.05)
    first = plan_routes(stops, BASE, time_limit_s=1, seed=2)
    again = plan_routes(stops, BASE, time_limit_s=1, seed=2)
    assert first.routes == again.routes
    assert first.lower_bound_minutes == again.lower_bound_minutes


def test_visit_longer_than_a_session_is_rejected_with_the_numbers() -> None:
    stops = [*_stops(3, seed=0), Stop("X-1", BASE, 300, "UBND xã Ba Vì")]
    with pytest.raises(RouteProblem) as caught:
        plan_routes(stops, BASE, time_limit_s=1)
    assert caught.value.unit_id == "X-1"
    assert "UBND xã Ba Vì: 300 phút làm việc > buổi làm việc dài nhất (240 phút)" in caught.value.message_vi
    assert "300 working minutes > the longest session (240)" in caught.value.message_en


def test_travel_that_makes_a_day_impossible_is_explained() -> None:
    far = Point(BASE.lat + 0.65, BASE.lon)  # ~72 km north: 2 × 146 minutes' drive
    stops = [Stop("X-2", far, 180, "UBND xã Ba Vì")]
    with pytest.raises(RouteProblem) as caught:
        greedy_routes(stops, BASE)
    text = caught.value.message_vi
    assert text.startswith("UBND xã Ba Vì: 180 phút làm việc + 2 × ")
    drive = route_travel_minutes(BASE, [far]) // 2
    assert f"2 × {drive} phút đi lại" in text and "không vừa một buổi làm việc" in text
    assert "overnight" in caught.value.message_en


def test_no_visit_spans_the_lunch_pause() -> None:
    stops = [Stop("A", BASE, 200), Stop("B", BASE, 200)]
    plan = plan_routes(stops, BASE, time_limit_s=1)
    (route,) = plan.routes
    assert route.back_at == 1010  # no drive: back at the base when B ends
    # B does not fit before noon (11:20 + 200): it waits for the afternoon session
    assert [(s.start, s.end) for s in route.slots] == [(480, 680), (810, 1010)]


def test_a_set_that_lays_out_only_in_a_costlier_order_is_still_a_day() -> None:
    """Short A far out, long B near: the least-travel order may put B where it cannot fit."""
    near, far = Point(BASE.lat + 0.02, BASE.lon), Point(BASE.lat + 0.2, BASE.lon)
    stops = [Stop("A", far, 60), Stop("B", near, 210)]
    plan = plan_routes(stops, BASE, time_limit_s=1)
    _assert_valid(plan, stops)
    assert plan.cost == _brute_force(stops)[0]


@pytest.mark.parametrize("seed", range(3))
def test_q_route_bound_never_exceeds_the_brute_force_optimum(seed: int) -> None:
    stops = _stops(7, seed=10 + seed, minutes=(45, 150), spread=0.08)
    inst = Instance.build(stops, BASE, DEFAULT_DAY, DEFAULT_TRAVEL)
    bound = lower_bound(inst, [tuple(d) for d in greedy_days(inst)], max_iterations=200)
    best = _brute_force(stops, RoutePrice(1, 0))[1]  # the least travel at any number of days
    assert bound.converged
    assert bound.value <= best + 1e-6
    assert bound.value >= max(simple_lower_bound(inst) - 1, 0.8 * best)  # and useful


def test_search_bound_is_close_when_the_lp_converges() -> None:
    """The bound relaxes the day to travel + visits <= its minutes: close when travel cannot use the
    pause and visits need no rounding (a 15-minute grid and driving over lunch widen the gap to ~20%)."""
    stops = _stops(45, seed=4, minutes=(45, 90), spread=0.15)
    day = WorkingDay(grid=1, travel_in_pause=False)
    plan = plan_routes(stops, BASE, day, time_limit_s=7, seed=0)
    assert plan.method == "search"
    _assert_valid(plan, stops, day)
    assert any("converged after" in note for note in plan.notes)
    assert plan.gap < 0.08


@pytest.mark.parametrize("price", [RoutePrice(1, 0), RoutePrice(1, 60), RoutePrice(1, 400), RoutePrice(0, 1)])
@pytest.mark.parametrize("seed", range(3))
def test_the_engine_minimises_the_plans_price_of_travel_and_days(price: RoutePrice, seed: int) -> None:
    """Any weights: the cover is the least travel × weight + days × weight over every partition."""
    stops = _stops(7, seed=20 + seed, minutes=(60, 150), spread=0.1)
    plan = plan_routes(stops, BASE, time_limit_s=2, seed=seed, price=price)
    _assert_valid(plan, stops)
    assert plan.cost == _brute_force(stops, price)[0]
    assert plan.lower_bound_price == plan.cost
    # the travel bound is still the least travel over every plan, whatever the price chose
    assert plan.lower_bound_minutes == _brute_force(stops, RoutePrice(len(stops) + 1, 1))[1]


def test_a_dearer_day_buys_fewer_days_with_more_travel() -> None:
    """Where the least travel takes more days, a day priced above the travel it saves is saved."""
    stops = _stops(6, seed=30, minutes=(60, 150), spread=0.1)
    travel_first = plan_routes(stops, BASE, time_limit_s=2, price=RoutePrice(1, 0))
    days_dear = plan_routes(stops, BASE, time_limit_s=2, price=RoutePrice(1, 400))
    assert days_dear.days < travel_first.days
    assert days_dear.total_travel_minutes > travel_first.total_travel_minutes
    assert days_dear.price(travel_first.total_travel_minutes, travel_first.days) > days_dear.cost


def test_the_search_path_minimises_the_price_too() -> None:
    """Beyond enumeration: the search's plan costs no more than greedy's at the same price."""
    stops = _stops(60, seed=3, minutes=(45, 90), spread=0.05)
    for price in (RoutePrice(1, 0), RoutePrice(1, 200)):
        plan = plan_routes(stops, BASE, time_limit_s=2, seed=0, price=price)
        assert plan.method == "search"
        _assert_valid(plan, stops)
        assert plan.cost <= greedy_routes(stops, BASE, price=price).cost


@pytest.mark.parametrize("price", [RoutePrice(0, 0), RoutePrice(3, 0), RoutePrice(0, 5)])
def test_a_weight_of_zero_breaks_ties_by_travel_then_days(price: RoutePrice) -> None:
    """Free days (or free travel, or both): the least price still, ties broken by travel, then
    days; with both free the travel optimum of the old rule."""
    stops = _stops(6, seed=30, minutes=(60, 150), spread=0.1)
    plan = plan_routes(stops, BASE, time_limit_s=2, price=price)
    _assert_valid(plan, stops)
    assert plan.cost == _brute_force(stops, price)[0]
    least_travel = _brute_force(stops, RoutePrice(len(stops) + 1, 1))
    if price.per_minute > 0 or price.per_day == 0:
        rank = plan.price.ranking(len(stops), DEFAULT_DAY.span)
        assert rank(plan.total_travel_minutes, plan.days) == least_travel[0]
