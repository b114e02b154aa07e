"""Solver pieces of the day-route engine: exact enumeration of day routes, set partitioning.

Deterministic for a given input and seed: CP-SAT runs on one worker with a deterministic-time limit
(its wall-clock limit is only a safety net, set well above it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import permutations

from ortools.sat.python import cp_model

from scheduler.cost.route_price import RoutePrice
from scheduler.routing.instance import Instance

Column = tuple[int, ...]  # nodes 1..n in visiting order


def enumerate_routes(inst: Instance, cap: int) -> list[Column] | None:
    """Every feasible day route, each in its least-travel order; None when more than ``cap`` exist.

    Level by level (Apriori): a set is tried only if all its subsets one smaller fit, which is exact
    for the travel-and-minutes relaxation because travel minutes satisfy the triangle inequality
    (haversine, scaled, rounded up), and for the layout too: dropping a stop never makes the rest of an
    order arrive later. Each set's column is its least-travel order that lays out (sessions and grid,
    ``Instance.fits``), exactly up to ``EXACT_ORDERS_UP_TO`` stops.
    """
    c, service, limit = inst.cost, inst.service, inst.capacity
    # level 1: (mask) -> {last: (travel so far, path)}
    level: dict[tuple[int, ...], dict[int, tuple[int, Column]]] = {}
    laid_out: dict[tuple[int, ...], Column] = {}
    for k in range(1, inst.n + 1):
        if inst.fits((k,)):
            level[(k,)] = {k: (c[0][k], (k,))}
            laid_out[(k,)] = (k,)
    columns: list[Column] = list(laid_out.values())
    while level:
        nxt: dict[tuple[int, ...], dict[int, tuple[int, Column]]] = {}
        for subset in level:
            for k in range(subset[-1] + 1, inst.n + 1):
                grown = (*subset, k)
                if any(grown[:i] + grown[i + 1:] not in level for i in range(len(grown) - 1)):
                    continue
                load = sum(service[v] for v in grown)
                ends = _ends(grown, level, c)
                if min(t + c[last][0] for last, (t, _p) in ends.items()) + load > limit:
                    continue
                path = fitting_path(inst, grown, best_path(ends, c))
                if path is not None:
                    nxt[grown], laid_out[grown] = ends, path
                    if len(columns) + len(nxt) > cap:
                        return None
        columns.extend(laid_out[s] for s in nxt)
        level = nxt
    return columns


EXACT_ORDERS_UP_TO = 6  # stops; beyond, a set whose least-travel order does not lay out is left out


def fitting_path(inst: Instance, nodes: Sequence[int], best: Column) -> Column | None:
    """The least-travel order of ``nodes`` that lays out (sessions, grid), if any."""
    if inst.fits(best):
        return best
    if len(nodes) > EXACT_ORDERS_UP_TO:
        return None
    orders = sorted(permutations(nodes), key=lambda o: (inst.tour_travel(o), o))
    return next((o for o in orders if inst.fits(o)), None)


def _ends(grown: tuple[int, ...], level: dict[tuple[int, ...], dict[int, tuple[int, Column]]],
          c: tuple[tuple[int, ...], ...]) -> dict[int, tuple[int, Column]]:
    ends: dict[int, tuple[int, Column]] = {}
    for i, last in enumerate(grown):
        prev = grown[:i] + grown[i + 1:]
        ends[last] = min((t + c[j][last], (*path, last)) for j, (t, path) in level[prev].items())
    return ends


def best_path(ends: dict[int, tuple[int, Column]], c: tuple[tuple[int, ...], ...]) -> Column:
    return min((t + c[last][0], path) for last, (t, path) in ends.items())[1]


@dataclass
class Cover:
    columns: list[Column]
    optimal: bool
    bound: float  # CP-SAT's bound on the routes' rank (``Instance.rank``)


def partition(inst: Instance, columns: Sequence[Column], hint: Sequence[Sequence[int]] | None,
              deterministic_s: float, seed: int, safety_s: float, rank: RoutePrice | None = None,
              ) -> Cover | None:
    """Choose columns covering every unit exactly once at the least price (travel and days at the
    plan's weights, ties broken: ``Instance.rank``; or at ``rank``)."""
    rank = rank or inst.rank
    model = cp_model.CpModel()
    pick = [model.new_bool_var(f"r{i}") for i in range(len(columns))]
    covering: list[list[cp_model.IntVar]] = [[] for _ in range(inst.n + 1)]
    for var, col in zip(pick, columns, strict=True):
        for v in col:
            covering[v].append(var)
    for v in range(1, inst.n + 1):
        model.add_exactly_one(covering[v])
    model.minimize(sum(rank(inst.tour_travel(col), 1) * var for var, col in zip(pick, columns, strict=True)))
    if hint:
        wanted = {frozenset(day) for day in hint}  # hint days may be in any order
        for var, col in zip(pick, columns, strict=True):
            model.add_hint(var, frozenset(col) in wanted)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = deterministic_s
    solver.parameters.max_time_in_seconds = safety_s
    # A short solve: Ctrl-C waits for it and then stops the run (Python keeps its handler).
    solver.parameters.catch_sigint_signal = False
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    chosen = [col for var, col in zip(pick, columns, strict=True) if solver.boolean_value(var)]
    return Cover(chosen, status == cp_model.OPTIMAL, solver.best_objective_bound)
