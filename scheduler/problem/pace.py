"""An even pace over each window: what S09-pace compares a plan with (pure Python).

Units that share a window (the same first and last visit dates) and a level (commune-level or
not: ``pace_key``) form a group; its span runs from the first day any of them can start
(``baseline_start_index``, the S03 reference) to the last start inside the window as written and
before field work ends (``latest_start_in_window``: an expected window's span is still the window,
not the horizon its visits may reach), in the calendar's Monday-based weeks.
An even pace has visited ``k/W`` of the group by the end of week ``k`` of ``W``. The penalty
is, summed over the weeks, how far the visits made so far stray from that line, counted in
``1/W`` visits so that it stays an integer: ``sum_k |W * done_k - k * planned|`` (``planned`` =
the group's visits in the plan). A composite visit of the route stage (a day route, a trip) counts
once per unit it stands for (``Unit.stands_for``), as the expanded plan does. The CP-SAT model
(``model_soft.pace``) and the cost (``cost.pace``) both use these groups, so they price a plan the
same way.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from models.calendar import WorkCalendar
from models.scenario import Scenario, Unit
from models.timing import baseline_start_index, latest_start_in_window


@dataclass(frozen=True)
class PaceGroup:
    unit_ids: tuple[str, ...]
    weeks: tuple[int, ...]  # the span's week numbers, in order
    sizes: tuple[int, ...] = ()  # units each visit stands for (``Unit.stands_for``); () = 1 each
    key: tuple[object, ...] = ()  # its ``pace_key``

    @property
    def stands_for(self) -> dict[str, int]:
        """Each visit's id -> the units it stands for (1, or a composite visit's units)."""
        return dict(zip(self.unit_ids, self.sizes or (1,) * len(self.unit_ids), strict=True))

    def unit_weeks(self, start_weeks: Mapping[str, int], leave_out: Iterable[str] = ()) -> list[int]:
        """The start week of each planned unit of the group (in ``start_weeks``), a composite
        visit's once per unit it stands for; none for the visits ``leave_out`` names."""
        skip = set(leave_out)
        return [start_weeks[u] for u, n in self.stands_for.items()
                if u in start_weeks and u not in skip for _ in range(n)]

    @property
    def units(self) -> int:
        """The units of the group, a composite visit counted once per unit it stands for."""
        return sum(self.sizes) if self.sizes else len(self.unit_ids)

    def week_rank(self, week: int) -> int:
        """1-based rank of ``week`` in the span (0 before it, W after it)."""
        return bisect_right(self.weeks, week)


def pace_groups(scenario: Scenario, cal: WorkCalendar) -> list[PaceGroup]:
    """Groups of at least two units sharing a window whose span covers at least two weeks (a
    composite visit counts its units)."""
    by_window: dict[tuple, list[str]] = defaultdict(list)
    for unit in scenario.units:
        by_window[pace_key(scenario, unit)].append(unit.id)
    groups = []
    for key, ids in by_window.items():
        units = [scenario.unit(u) for u in ids]
        first = max(0, min(baseline_start_index(cal, scenario, u) for u in units))
        last = min(cal.size - 1, max(latest_start_in_window(cal, scenario, u) for u in units))
        weeks = tuple(sorted({cal.week_of(d) for d in range(first, last + 1)}))
        if sum(u.stands_for for u in units) >= 2 and len(weeks) >= 2:
            groups.append(_group(units, weeks, key))
    return groups


def pace_key(scenario: Scenario, unit: Unit) -> tuple[object, ...]:
    """Units paced together: the same window and the same level (communes and wards, which may
    exist only from the rearrangement, never share a line with departments)."""
    return (scenario.window_bounds(unit), unit.kind.is_commune_level)


def pace_penalty(group: PaceGroup, start_weeks: list[int]) -> int:
    """``sum_k |W * done_k - k * planned|`` for the group's visits starting in these weeks (one
    entry per unit: a composite visit's week once per unit it stands for)."""
    size, planned = len(group.weeks), len(start_weeks)
    ranks = [group.week_rank(w) for w in start_weeks]
    return sum(abs(size * sum(1 for r in ranks if r <= k) - k * planned)
               for k in range(1, size + 1))


def least_deviation(size: int, planned: int, k: int) -> int:
    """The least ``|W * done_k - k * planned|`` over whole numbers ``done_k``: the distance from
    ``k * planned`` to the nearest multiple of ``W``. Every plan's week ``k`` strays at least this
    far (the LP relaxation, with a fractional ``done_k``, sees 0)."""
    return min((k * planned) % size, -(k * planned) % size)


def pace_floor(group: PaceGroup, planned: int) -> int:
    """A lower bound on the group's penalty when ``planned`` of its units are visited."""
    size = len(group.weeks)
    return sum(least_deviation(size, planned, k) for k in range(1, size + 1))


@dataclass(frozen=True)
class PaceOutside:
    """A pace group's visits outside a region of the plan (``scheduler.search.neighbourhoods``):
    the region's sub-model prices its units on the whole group's line, these being fixed."""

    weeks: tuple[int, ...]  # the whole group's span
    done: tuple[int, ...]  # per week rank k = 1..W: the outside visits started by its end
    planned: int  # the outside visits in the plan


def pace_outside(group: PaceGroup, start_weeks: Mapping[str, int], inside: set[str]) -> PaceOutside:
    """The group's visits that are not ``inside``, from each planned unit's start week."""
    ranks = [group.week_rank(w) for w in group.unit_weeks(start_weeks, inside)]
    done = tuple(sum(1 for r in ranks if r <= k) for k in range(1, len(group.weeks) + 1))
    return PaceOutside(group.weeks, done, len(ranks))


def region_groups(scenario: Scenario, outside: Mapping[tuple[object, ...], PaceOutside]
                  ) -> list[tuple[PaceGroup, PaceOutside]]:
    """A region's units by pace group, each on its whole group's span, with the group's visits
    outside the region; a group with a single unit in the region is one too."""
    by_key: dict[tuple[object, ...], list[Unit]] = defaultdict(list)
    for unit in scenario.units:
        by_key[pace_key(scenario, unit)].append(unit)
    out = []
    for key, units in by_key.items():
        rest = outside.get(key)
        if rest is not None:
            out.append((_group(units, rest.weeks, key), rest))
    return out


def _group(units: list[Unit], weeks: tuple[int, ...], key: tuple[object, ...]) -> PaceGroup:
    sizes = tuple(u.stands_for for u in units)
    return PaceGroup(tuple(u.id for u in units), weeks, sizes if any(n > 1 for n in sizes) else (), key)
