"""Ruin and recreate for day routes: remove a cluster of nearby visits, re-insert them cheaply.

Why not OR-Tools routing: on the 140-visit Hanoi short profile its guided local search reached
6,476-6,691 travel minutes in 10 s (three first-solution strategies) and 6,503 after 55 s, and is
only reproducible with a solution limit; this ruin and recreate with simulated annealing (after
SISR, Christiaens and Vanden Berghe 2020) reached 6,505 in 1.1 s (5,000 iterations), and the engine
6,454 within 60 s (bound 6,351). Seeded, with an iteration budget: deterministic.

It minimises the plan's price of the routes (``Instance.rank``: travel minutes and team-days at the
plan's weights, ties broken): an insertion into a day costs its extra travel, a new day its travel
and its day; one ruin in four empties a whole day, so that days are saved where the price says so.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from scheduler.routing.instance import Instance

Day = list[int]


class _State:
    def __init__(self, inst: Instance, days: Sequence[Sequence[int]]) -> None:
        self.inst = inst
        self.days: list[Day] = [list(d) for d in days if d]
        self.busy = [self._busy(d) for d in self.days]

    def _busy(self, day: Sequence[int]) -> int:
        return self.inst.tour_travel(day) + sum(self.inst.service[v] for v in day)

    def travel(self) -> int:
        return sum(self.inst.tour_travel(d) for d in self.days)

    def copy(self) -> _State:
        other = _State.__new__(_State)
        other.inst, other.days, other.busy = self.inst, [list(d) for d in self.days], list(self.busy)
        return other

    def remove(self, victims: set[int]) -> None:
        kept_days, kept_busy = [], []
        for day in self.days:
            rest = [v for v in day if v not in victims]
            if rest:
                kept_days.append(rest)
                kept_busy.append(self._busy(rest))
        self.days, self.busy = kept_days, kept_busy

    def insert(self, v: int, near: set[int], rng: random.Random, blink: float) -> None:
        """Cheapest feasible position among days holding a neighbour of v, or a new day."""
        c, s, cap = self.inst.cost, self.inst.service, self.inst.capacity
        price = self.inst.rank
        best = (price(2 * c[0][v], 1), -1, 0)  # a new day: its travel and its day
        for r, day in enumerate(self.days):
            if self.busy[r] + s[v] > cap or not near.intersection(day):
                continue
            path = [0, *day, 0]
            for pos in range(len(path) - 1):
                a, b = path[pos], path[pos + 1]
                delta = c[a][v] + c[v][b] - c[a][b]
                if (self.busy[r] + delta + s[v] <= cap and price(delta, 0) < best[0] and rng.random() >= blink
                        and self.inst.fits([*day[:pos], v, *day[pos:]])):
                    best = (price(delta, 0), r, pos)
        _cost, r, pos = best
        if r < 0:
            self.days.append([v])
            self.busy.append(self._busy([v]))
        else:
            self.days[r].insert(pos, v)
            self.busy[r] = self._busy(self.days[r])


def neighbours(inst: Instance) -> list[list[int]]:
    """Per unit, the other units by increasing travel (index 0 unused)."""
    units = range(1, inst.n + 1)
    return [[]] + [sorted((u for u in units if u != v), key=lambda u: (inst.cost[v][u], u)) for v in units]


def ruin_and_recreate(inst: Instance, start: Sequence[Sequence[int]], iterations: int, seed: int,
                      ) -> tuple[list[list[int]], list[tuple[int, ...]]]:
    """Best days found, and every distinct day of the accepted solutions (a pool for a final cover)."""
    rng = random.Random(seed)
    near = neighbours(inst)
    near_sets = [set(ns[:25]) for ns in near]
    current = _State(inst, start)
    best, best_key = current.copy(), _key(current)
    current_key = best_key
    pool: set[tuple[int, ...]] = {tuple(d) for d in current.days}
    # travel minutes, in price points: accept a worse plan by ~T minutes with probability 1/e
    scale = max(1, inst.rank.per_minute)
    t_start, t_end = 20.0 * scale, 0.5 * scale
    for it in range(iterations):
        temperature = t_start * (t_end / t_start) ** (it / max(1, iterations - 1))
        trial = current.copy()
        victims = _victims(trial, near, rng)
        trial.remove(set(victims))
        order = _recreate_order(inst, victims, rng)
        for v in order:
            trial.insert(v, near_sets[v] | {0}, rng, blink=0.01)
        key = _key(trial)
        if key <= current_key or rng.random() < math.exp(-(key[0] - current_key[0]) / temperature):
            current, current_key = trial, key
            pool.update(tuple(d) for d in trial.days)
            if key < best_key:
                best, best_key = trial.copy(), key
    return best.days, sorted(pool)


def _victims(state: _State, near: list[list[int]], rng: random.Random) -> list[int]:
    """A cluster: a unit and its nearest; or (one time in four) a whole day and its neighbours'."""
    n = state.inst.n
    size = rng.randint(3, min(18, n))
    if len(state.days) > 1 and rng.random() < 0.25:
        day = state.days[rng.randrange(len(state.days))]
        around = [u for u in near[day[0]] if u not in day][: max(0, size - len(day))]
        return [*day, *around]
    seed_unit = rng.randrange(1, n + 1)
    return [seed_unit, *near[seed_unit][: size - 1]]


def _recreate_order(inst: Instance, victims: list[int], rng: random.Random) -> list[int]:
    """Far, long visits first (hardest to place), with a little noise."""
    def hardness(v: int) -> float:
        return (inst.cost[0][v] + inst.service[v]) * rng.uniform(0.8, 1.2)
    return sorted(victims, key=hardness, reverse=True)


def _key(state: _State) -> tuple[int, int]:
    """The routes' price, then travel (ties: the plan that drives less)."""
    travel = state.travel()
    return state.inst.rank(travel, len(state.days)), travel
