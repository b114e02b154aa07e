"""A valid lower bound on total travel: column generation over q-routes, Lagrangian bound.

Master LP: min Σ travel_r x_r  s.t.  Σ_r a_ir x_r >= 1 for every unit i, x >= 0 (GLOP). Covering
(>= 1) relaxes partitioning (= 1), so its optimum is below the real optimum.

Pricing: a q-route is a walk base -> ... -> base whose travel + visit minutes fit the day but which
may visit a unit more than once (a_ir = times visited). Every real day route is a q-route, so the LP
over *all* q-routes is a relaxation of the real problem. It is priced exactly by dynamic programming
over (working minutes used, last unit), without immediate returns (i -> j -> i).

The bound is Lagrangian, hence valid at every iteration, converged or not: for duals π >= 0,
``Σ π_i + κ · min(0, least reduced cost)`` where κ = n bounds the days of any solution. At
convergence (no negative reduced cost) it equals the LP optimum. Iterations are capped, not timed,
so the bound is reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from ortools.linear_solver import pywraplp

from scheduler.routing.instance import Instance

INF = 1e18


@dataclass
class Bound:
    value: float  # lower bound on total travel minutes
    lp: float  # last master LP value
    converged: bool
    iterations: int
    elementary: list[tuple[int, ...]] = field(default_factory=list)  # priced walks minus repeats: real days


class _Master:
    def __init__(self, n: int) -> None:
        solver = pywraplp.Solver.CreateSolver("GLOP")
        if solver is None:
            raise RuntimeError("GLOP is not available in this OR-Tools build")
        self.solver = solver
        self.rows = [solver.Constraint(1.0, solver.infinity()) for _ in range(n)]
        self.objective = solver.Objective()
        self.objective.SetMinimization()
        self.seen: set[tuple[int, ...]] = set()
        self.walks: list[tuple[int, ...]] = []  # in variable order

    def add(self, walk: tuple[int, ...], travel: int) -> bool:
        if walk in self.seen:
            return False
        self.seen.add(walk)
        self.walks.append(walk)
        var = self.solver.NumVar(0.0, self.solver.infinity(), "")
        self.objective.SetCoefficient(var, float(travel))
        for v in set(walk):
            self.rows[v - 1].SetCoefficient(var, float(walk.count(v)))
        return True

    def solve(self) -> tuple[float, np.ndarray]:
        if self.solver.Solve() != pywraplp.Solver.OPTIMAL:
            raise RuntimeError("the route LP was not solved to optimality")
        duals = np.array([max(0.0, row.dual_value()) for row in self.rows])
        return self.objective.Value(), duals


class _Pricer:
    """Least reduced-cost q-routes by DP over (minutes used, last unit), no i -> j -> i."""

    def __init__(self, inst: Instance) -> None:
        self.n, self.cap = inst.n, inst.capacity
        self.c = np.array(inst.cost, dtype=np.int64)
        service = np.array(inst.service, dtype=np.int64)
        self.step = self.c + service[None, :]  # minutes of driving a -> b then visiting b

    def price(self, duals: np.ndarray) -> tuple[float, list[tuple[int, ...]]]:
        """Least reduced cost over all q-routes, and the best walk ending at each unit if negative."""
        n, cap = self.n, self.cap
        pi = np.concatenate([[0.0], duals])
        # best[t, k], second[t, k]: two labels with different predecessors (for 2-cycle elimination)
        best = np.full((cap + 1, n + 1), INF)
        pred = np.zeros((cap + 1, n + 1), dtype=np.int64)
        second = np.full((cap + 1, n + 1), INF)
        pred2 = np.zeros((cap + 1, n + 1), dtype=np.int64)
        for k in range(1, n + 1):
            t = self.step[0, k]
            if t <= cap:
                best[t, k] = self.c[0, k] - pi[k]
        arc = self.c[1:, 1:] - pi[None, 1:]  # j -> k
        np.fill_diagonal(arc, INF)  # j -> j costs no travel: without this the walks stay put
        step = self.step[1:, 1:]
        cols = np.arange(1, n + 1)
        for t in range(cap + 1):
            src = t - step  # (j, k): time at j before moving to k
            ok = src >= 0
            src_c = np.where(ok, src, 0)
            b_val = best[src_c, cols[:, None]]
            b_pred = pred[src_c, cols[:, None]]
            # coming to k from j whose best label came from k is a 2-cycle: use j's second label
            use2 = b_pred == cols[None, :]
            val = np.where(use2, second[src_c, cols[:, None]], b_val)
            val = np.where(ok, val + arc, INF)
            self._merge(t, val, best, pred, second, pred2)
        closing = best[:, 1:] + self.c[1:, 0][None, :]
        reach = np.arange(cap + 1)[:, None] + self.c[1:, 0][None, :] <= cap
        closing = np.where(reach, closing, INF)
        least = float(closing.min())
        walks: list[tuple[int, ...]] = []
        if least < -1e-6:
            for k in np.argsort(closing.min(axis=0)):  # every end unit with a negative walk
                t = int(np.argmin(closing[:, k]))
                if closing[t, k] < -1e-6:
                    walks.append(self._walk(t, int(k) + 1, pred, pred2, best))
        return least, walks

    @staticmethod
    def _merge(t: int, val: np.ndarray, best: np.ndarray, pred: np.ndarray, second: np.ndarray,
               pred2: np.ndarray) -> None:
        cols = np.arange(val.shape[1])
        first_j = np.argmin(val, axis=0)  # two best predecessors j per k (argsort was 3× slower)
        masked = val.copy()
        masked[first_j, cols] = INF
        order = (first_j, np.argmin(masked, axis=0))
        values = np.vstack([best[t, 1:], second[t, 1:], val[order[0], cols], val[order[1], cols]])
        preds = np.vstack([pred[t, 1:], pred2[t, 1:], order[0] + 1, order[1] + 1])
        first = np.argmin(values, axis=0)
        first_pred = preds[first, cols]
        others = np.where(preds != first_pred[None, :], values, INF)
        other = np.argmin(others, axis=0)
        best[t, 1:], pred[t, 1:] = values[first, cols], first_pred
        second[t, 1:], pred2[t, 1:] = others[other, cols], np.where(
            others[other, cols] < INF, preds[other, cols], 0)

    def _walk(self, t: int, k: int, pred: np.ndarray, pred2: np.ndarray, best: np.ndarray
              ) -> tuple[int, ...]:
        walk = [k]
        after = 0  # the unit visited after k in the walk (0: back at base)
        while True:
            j = int(pred2[t, k]) if after and int(pred[t, k]) == after else int(pred[t, k])
            if j == 0:
                break
            t -= int(self.step[j, k])
            walk.append(j)
            after, k = k, j
        return tuple(reversed(walk))


def lower_bound(inst: Instance, start: list[tuple[int, ...]], max_iterations: int) -> Bound:
    """Column generation from the ``start`` routes (they must cover every unit)."""
    n = inst.n
    master, pricer = _Master(n), _Pricer(inst)
    for col in start:
        master.add(col, inst.tour_travel(col))
    for v in range(1, n + 1):
        master.add((v,), inst.tour_travel((v,)))
    bound, lp, converged = 0.0, 0.0, False
    elementary: set[tuple[int, ...]] = set()
    iterations = 0
    for iterations in range(1, max_iterations + 1):  # noqa: B007 (reported)
        lp, duals = master.solve()
        least, walks = pricer.price(duals)
        bound = max(bound, float(duals.sum()) + n * min(0.0, least))
        if least >= -1e-6:
            converged = True
            break
        for walk in walks:
            master.add(walk, inst.tour_travel(walk))
            # a walk without its repeat visits is a real day route (shorter: triangle inequality)
            elementary.add(tuple(dict.fromkeys(walk)))
    return Bound(bound, lp, converged, iterations, sorted(elementary))
