"""Day routes: which short visits one team makes on the same day, and in what order.

Input: the short-visit units of one group that can share days (same team options, compatible
windows: the caller groups them), each with a point and visit minutes; the team's base; the working
day and travel parameters of ``scheduler.routing.travel`` (whose docstring states the day rule).

Objective: the plan's own price of its routes, travel minutes × ``weights.travel`` + days ×
``weights.team_days`` (``scheduler.cost.routes.RoutePrice``, the formula ``plan_cost`` prices S07 and
S08 with), so a day is saved when it costs less than the driving it adds; ties (a weight of 0) are
broken by travel, then days (``RoutePrice.ranking``). Travel first and days
second was the rule before issue 17: on 136 three-hour visits it kept 101 days where 98 were 151
points cheaper at the default weights.

``plan_routes`` (the engine):
- every stop is first checked to fit a day alone (``RouteProblem`` otherwise, in planners' terms);
- when every feasible day route can be enumerated (at most ``ENUMERATION_CAP`` routes: the long
  visits, <= 2-3 a day) it picks a cover by set partitioning with CP-SAT: the result is optimal and
  the lower bound equals it when CP-SAT proves it;
- otherwise (short visits, 5-10 a day): greedy nearest-neighbour days, improved by seeded ruin and
  recreate (``scheduler.routing.lns``, an iteration budget: deterministic), then a CP-SAT set
  partitioning over the pool of routes seen (the search's, the bound's walks, all 1-2 stop days).
Every day is re-ordered exactly (Held-Karp; kept as found when the least-travel order does not lay out)
and laid out by ``travel.lay_out``, the one test of a day, before it is returned.

``lower_bound_price`` is a VALID lower bound on the routes' price (CP-SAT's bound over every day route
when they are enumerated; else the travel bound at the fewest days). ``lower_bound_minutes`` is a
VALID lower bound on total travel for the real problem, the best of
(a) "half the two cheapest incident arcs" per unit plus half the base arcs of the fewest days,
(b) the Lagrangian bound of the set-partitioning LP over q-routes (``scheduler.routing.bound``), and
(c) when every day route is enumerated, the least-travel cover's (a second, short cover search).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

from scheduler.cost.route_price import DEFAULT_PRICE, RoutePrice
from scheduler.routing.instance import Instance, Stop

if TYPE_CHECKING:
    from scheduler.routing.search import Cover
from scheduler.routing.travel import (
    DEFAULT_DAY,
    DEFAULT_TRAVEL,
    Point,
    Slot,
    TravelParams,
    WorkingDay,
    fmt_clock,
    haversine_km,
    lay_out,
    travel_of,
)

ENUMERATION_CAP = 15_000  # day routes; beyond it the search path is taken (3h Hanoi profile: ~1,700)


@dataclass(frozen=True)
class Route:
    """One team-day: units in visiting order with their clock times."""

    unit_ids: tuple[str, ...]
    slots: tuple[Slot, ...]
    travel_minutes: int  # all driving, home included
    km: float  # road km (straight line × road factor)
    back_at: int  # clock minute the team is back at the base

    def describe(self) -> str:
        parts = [f"{fmt_clock(s.start)}-{fmt_clock(s.end)} {u}" for u, s in zip(self.unit_ids, self.slots,
                                                                                   strict=True)]
        return f"{'; '.join(parts)}; về {fmt_clock(self.back_at)} (đi lại {self.travel_minutes} phút)"


@dataclass
class RoutePlan:
    routes: list[Route]
    lower_bound_minutes: int
    method: str  # "enumerated-optimal", "enumerated", "search", "greedy", "registry-order"
    notes: list[str] = field(default_factory=list)
    price: RoutePrice = DEFAULT_PRICE
    lower_bound_price: int = 0

    @property
    def cost(self) -> int:
        """The routes' price in the plan (S07 + S08 at its weights)."""
        return self.price(self.total_travel_minutes, self.days)

    @property
    def total_travel_minutes(self) -> int:
        return sum(r.travel_minutes for r in self.routes)

    @property
    def total_km(self) -> float:
        return sum(r.km for r in self.routes)

    @property
    def days(self) -> int:
        return len(self.routes)

    @property
    def gap(self) -> float:
        total = self.total_travel_minutes
        return 0.0 if total == 0 else (total - self.lower_bound_minutes) / total


class RouteProblem(ValueError):
    """A unit that cannot be visited in one working day even alone."""

    def __init__(self, unit_id: str, message_vi: str, message_en: str) -> None:
        super().__init__(f"{message_vi} / {message_en}")
        self.unit_id = unit_id
        self.message_vi = message_vi
        self.message_en = message_en


def stop_problems(stops: Sequence[Stop], base: Point, day: WorkingDay = DEFAULT_DAY,
                  travel: TravelParams = DEFAULT_TRAVEL) -> list[RouteProblem]:
    """Every unit that does not fit a day alone, explained (empty when all fit)."""
    problems = []
    for s in stops:
        drive = travel_of(base, s.point, travel)
        back = travel_of(s.point, base, travel)
        if lay_out([drive, back], [s.minutes], day) is not None:
            continue
        km = haversine_km(base, s.point) * travel.road_factor
        cap = day.longest_session
        if s.minutes > cap:
            vi = (f"{s.label}: {s.minutes} phút làm việc > buổi làm việc dài nhất ({cap} phút); một buổi "
                  "làm việc không kéo qua giờ nghỉ trưa: bố trí cả ngày (không xếp theo tuyến).")
            en = (f"{s.label}: {s.minutes} working minutes > the longest session ({cap}); a visit never "
                  "spans the pause: plan it as a whole-day visit, not on a day route.")
        else:
            vi = (f"{s.label}: {s.minutes} phút làm việc + 2 × {drive} phút đi lại (~{km:.0f} km mỗi chiều) "
                  "không vừa một buổi làm việc và đường về trong giờ làm việc; rút ngắn buổi làm việc, "
                  "đặt điểm xuất phát gần hơn hoặc bố trí ở lại.")
            en = (f"{s.label}: {s.minutes} working minutes + 2 × {drive} minutes' travel (~{km:.0f} km each "
                  "way) do not fit one session and the drive home within the working hours; shorten the "
                  "visit, start from a nearer base or plan an overnight stay.")
        problems.append(RouteProblem(s.unit_id, vi, en))
    return problems


def check_stops(stops: Sequence[Stop], base: Point, day: WorkingDay, travel: TravelParams) -> None:
    """Raise the first ``RouteProblem``; duplicate ids are a caller's error."""
    ids = [s.unit_id for s in stops]
    if len(set(ids)) != len(ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise ValueError(f"duplicate unit ids among the stops: {twice}")
    for s in stops:
        if s.minutes <= 0:
            raise ValueError(f"{s.label}: visit minutes must be positive, not {s.minutes}")
    problems = stop_problems(stops, base, day, travel)
    if problems:
        raise problems[0]


# --- exact order of one day (Held-Karp) -------------------------------------------------------------


def best_order(inst: Instance, nodes: Sequence[int]) -> tuple[int, ...]:
    """The order of ``nodes`` with least travel from and back to the base (ties: smallest order)."""
    nodes = sorted(nodes)
    k = len(nodes)
    if k <= 1:
        return tuple(nodes)
    c = inst.cost
    best: dict[tuple[int, int], tuple[int, tuple[int, ...]]] = {
        (1 << i, i): (c[0][v], (v,)) for i, v in enumerate(nodes)}
    for mask in range(1, 1 << k):
        for last in range(k):
            entry = best.get((mask, last))
            if entry is None:
                continue
            for nxt in range(k):
                if mask >> nxt & 1:
                    continue
                cand = (entry[0] + c[nodes[last]][nodes[nxt]], (*entry[1], nodes[nxt]))
                key = (mask | 1 << nxt, nxt)
                if key not in best or cand < best[key]:
                    best[key] = cand
    full = (1 << k) - 1
    return min((best[(full, i)][0] + c[nodes[i]][0], best[(full, i)][1]) for i in range(k))[1]


def make_route(inst: Instance, nodes: Sequence[int]) -> Route:
    """Lay out the nodes (1-based) in the given order; the caller guarantees they fit."""
    stops = [inst.stops[i - 1] for i in nodes]
    layout = inst.layout(nodes)
    if layout is None:
        raise AssertionError(f"route does not fit the day: {[s.unit_id for s in stops]}")
    path = [inst.base, *(s.point for s in stops), inst.base]
    km = sum(haversine_km(a, b) for a, b in pairwise(path)) * inst.travel.road_factor
    return Route(tuple(s.unit_id for s in stops), tuple(layout.slots), inst.tour_travel(nodes), km,
                 layout.back_at)


def fitting_order(inst: Instance, nodes: Sequence[int]) -> tuple[int, ...] | None:
    """The least-travel order when it lays out, else the given order when it does (None: neither)."""
    best = best_order(inst, nodes)
    if inst.fits(best):
        return best
    return tuple(nodes) if inst.fits(nodes) else None


def finish_routes(inst: Instance, days: Sequence[Sequence[int]]) -> list[Route]:
    """Re-order every day exactly; fullest days first, then least travel, then ids (stable output)."""
    routes = [make_route(inst, fitting_order(inst, d) or tuple(d)) for d in days if d]
    return sorted(routes, key=lambda r: (-len(r.unit_ids), r.travel_minutes, r.unit_ids))


# --- peers: how a planner would do it, and the naive margin ---------------------------------------


def _fill_days(inst: Instance, nearest: bool) -> list[list[int]]:
    """Days one after another; each takes the next unit (nearest, or first in order) while it fits."""
    left = list(range(1, inst.n + 1))
    days: list[list[int]] = []
    while left:
        day: list[int] = []
        here = 0
        while left:
            fitting = [j for j in left if inst.fits([*day, j])]
            if nearest and fitting:
                j = min(fitting, key=lambda v: (inst.cost[here][v], v))
            elif not nearest and left[0] in fitting:
                j = left[0]
            else:
                break
            day.append(j)
            left.remove(j)
            here = j
        days.append(day)
    return days


def greedy_days(inst: Instance) -> list[list[int]]:
    """Nearest neighbour within a day (from the base), days one after another."""
    return _fill_days(inst, nearest=True)


def greedy_routes(stops: Sequence[Stop], base: Point, day: WorkingDay = DEFAULT_DAY,
                  travel: TravelParams = DEFAULT_TRAVEL, price: RoutePrice | None = None) -> RoutePlan:
    """A planner's plan: each day, go to the nearest unvisited unit that still fits, then the next."""
    check_stops(stops, base, day, travel)
    inst = Instance.build(stops, base, day, travel, price)
    routes = [make_route(inst, d) for d in greedy_days(inst)]
    return RoutePlan(routes, simple_lower_bound(inst), "greedy", price=inst.price,
                     lower_bound_price=price_bound(inst, simple_lower_bound(inst)))


def registry_order_routes(stops: Sequence[Stop], base: Point, day: WorkingDay = DEFAULT_DAY,
                          travel: TravelParams = DEFAULT_TRAVEL,
                          price: RoutePrice | None = None) -> RoutePlan:
    """The naive margin: visit in the given (registry) order; a new day when the next does not fit."""
    check_stops(stops, base, day, travel)
    inst = Instance.build(stops, base, day, travel, price)
    routes = [make_route(inst, d) for d in _fill_days(inst, nearest=False)]
    return RoutePlan(routes, simple_lower_bound(inst), "registry-order", price=inst.price,
                     lower_bound_price=price_bound(inst, simple_lower_bound(inst)))


def simple_lower_bound(inst: Instance) -> int:
    """Valid travel bound: every arc's cost split half to each end.

    Each unit has one arc in and one out, so it gets at least half its two cheapest incident arcs (a
    base arc may count twice: a one-stop day). The base gets half of two base arcs per day, and there
    are at least ceil(total visit minutes / day minutes) days, each with two base arcs.
    """
    n, c = inst.n, inst.cost
    half_sum = 0
    for i in range(1, n + 1):
        others = sorted(c[i][j] for j in range(1, n + 1) if j != i)
        half_sum += min(2 * c[i][0], c[i][0] + (others[0] if others else c[i][0]),
                        sum(others[:2]) if len(others) >= 2 else 10**9)
    min_days = fewest_days(inst)
    base_arcs = sorted(2 * [c[0][j] for j in range(1, n + 1)])  # a one-stop day uses its arc twice
    half_sum += sum(base_arcs[: 2 * min_days])
    return math.ceil(half_sum / 2)


def fewest_days(inst: Instance) -> int:
    """Valid bound on the days: the visits lie in sessions."""
    return math.ceil(sum(inst.service) / inst.day.minutes) if inst.n else 0


def price_bound(inst: Instance, travel_bound: int) -> int:
    """Valid bound on the routes' price: the travel bound at the fewest days (both weights >= 0)."""
    return inst.price(travel_bound, fewest_days(inst))


# --- the engine --------------------------------------------------------------------------------------

# Deterministic work budgets per second of ``time_limit_s``, measured on the 140-visit Hanoi short
# profile on this machine class (LNS ~2,200 iterations/s, one q-route pricing ~0.3 s at 140 units); the result
# never depends on the clock, only on the input, the time limit and the seed.
LNS_ITERATIONS_PER_S = 1200
CG_ITERATIONS_PER_S = 3
CP_SAT_DETERMINISTIC_SHARE = 0.15
# Before convergence the Lagrangian bound (κ = n days) is near 0 on Hanoi; it converged in 28.
CG_MIN_ITERATIONS = 20


def plan_routes(stops: Sequence[Stop], base: Point, day: WorkingDay = DEFAULT_DAY,
                travel: TravelParams = DEFAULT_TRAVEL, *, time_limit_s: float = 30.0,
                seed: int = 0, price: RoutePrice | None = None) -> RoutePlan:
    """Day routes covering every stop once at the least price (see module docstring)."""
    from scheduler.routing.bound import lower_bound
    from scheduler.routing.lns import ruin_and_recreate
    from scheduler.routing.search import enumerate_routes, partition

    check_stops(stops, base, day, travel)
    inst = Instance.build(stops, base, day, travel, price)
    if inst.n == 0:
        return RoutePlan([], 0, "enumerated-optimal", price=inst.price)
    simple = simple_lower_bound(inst)
    greedy = [tuple(d) for d in greedy_days(inst)]
    short_days = pair_columns(inst)
    # many two-stop days mean many more three-stop ones: skip the (then failing) enumeration
    columns = enumerate_routes(inst, ENUMERATION_CAP) if len(short_days) <= ENUMERATION_CAP // 2 else None
    if columns is not None:
        cover = partition(inst, columns, greedy, time_limit_s, seed, safety_s=4 * time_limit_s)
        if cover is None:  # its wall safety net cut it before a first cover: the greedy days stand
            return RoutePlan(finish_routes(inst, greedy), simple, "greedy",
                             ["the cover search stopped before its first cover (wall safety net)"],
                             inst.price, price_bound(inst, simple))
        proven = math.ceil(cover.bound - 1e-9) if inst.rank == inst.price else 0
        bound = inst.plan_price(cover.columns) if cover.optimal else proven
        least = travel_bound(inst, columns, cover, CP_SAT_DETERMINISTIC_SHARE * time_limit_s, seed)
        return RoutePlan(finish_routes(inst, cover.columns), max(simple, least),
                         "enumerated-optimal" if cover.optimal else "enumerated", [], inst.price,
                         max(bound, price_bound(inst, least)))
    found, pool = ruin_and_recreate(inst, greedy, max(100, int(LNS_ITERATIONS_PER_S * time_limit_s)), seed)
    # one pricing costs ~n² × day minutes: smaller groups get proportionally more iterations
    cg_iterations = int(CG_ITERATIONS_PER_S * time_limit_s * min(10.0, (140 / inst.n) ** 2))
    cg = lower_bound(inst, greedy, cg_iterations) if cg_iterations >= CG_MIN_ITERATIONS else None
    walks = cg.elementary if cg else []
    pool_columns = sorted({o for d in [*pool, *walks] if (o := fitting_order(inst, d))} | set(short_days))
    cover = partition(inst, pool_columns, found, CP_SAT_DETERMINISTIC_SHARE * time_limit_s, seed,
                      safety_s=time_limit_s)
    days = cover.columns if cover is not None and _better(inst, cover.columns, found) else found
    notes = [f"simple bound {simple}", f"cover over {len(pool_columns)} routes "
             f"{'improved' if days is not found else 'kept'} the search's plan"]
    if cg:
        notes.append(f"LP over q-routes {'converged' if cg.converged else 'not converged'} after "
                     f"{cg.iterations} iterations (LP {cg.lp:.0f}, bound {cg.value:.0f})")
    bound = max(simple, math.ceil(cg.value - 1e-6) if cg else 0)
    return RoutePlan(finish_routes(inst, days), bound, "search", notes, inst.price, price_bound(inst, bound))


def travel_bound(inst: Instance, columns: Sequence[tuple[int, ...]], cover: Cover, deterministic_s: float,
                 seed: int) -> int:
    """A valid travel bound over every day route: the least travel cover's (travel, then days),
    the price cover itself when the price ranks so; 0 when the search stops without one."""
    from scheduler.routing.search import partition

    by_travel = RoutePrice(inst.n + 1, 1)  # days <= n: exactly travel first
    least = cover if inst.rank == by_travel else partition(
        inst, columns, cover.columns, deterministic_s, seed, safety_s=4 * deterministic_s + 1,
        rank=by_travel)
    if least is None:
        return 0
    if least.optimal:
        return inst_travel(inst, least.columns)
    return max(0, math.ceil((least.bound - inst.n) / (inst.n + 1) - 1e-9))


def inst_travel(inst: Instance, days: Sequence[Sequence[int]]) -> int:
    return sum(inst.tour_travel(d) for d in days)


def _better(inst: Instance, a: Sequence[Sequence[int]], b: Sequence[Sequence[int]]) -> bool:
    return (inst.plan_rank(a), inst_travel(inst, a)) <= (inst.plan_rank(b), inst_travel(inst, b))


def pair_columns(inst: Instance) -> list[tuple[int, ...]]:
    """Every one- and two-stop day that fits: cheap, and they let the cover repair a search plan."""
    cols: list[tuple[int, ...]] = [(v,) for v in range(1, inst.n + 1)]
    for a in range(1, inst.n + 1):
        for b in range(a + 1, inst.n + 1):
            order = fitting_order(inst, (a, b)) or fitting_order(inst, (b, a))
            if order is not None:
                cols.append(order)
    return cols
