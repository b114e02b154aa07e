"""Capacity arithmetic: can the teams' weekly capacity hold the visits of each window at all?

For every stretch of working days between a window's first and a window's last possible start,
the visit days of units that must fall inside it are compared with what the teams can give
there. A team's capacity in a week is the smallest of: its working days x parallel sub-teams,
its leads' visit days (leaders, deputies, sub-team leads, each within their weekly limit and
availability), its members' visit days / the minimum group size, and each required agency's
members' visit days. This is a relaxation (conflicts of interest, member-day clashes and
multi-day visits are ignored): failing it proves a scenario infeasible; passing it is the
"simple capacity arithmetic" a planner would do, not a proof of feasibility.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from models.calendar import WorkCalendar
from models.scenario import Scenario
from models.timing import earliest_start_index, eligible_teams, latest_start_index
from scheduler.problem.capacity import away_days, calendar_weeks, team_week_capacity


@dataclass(frozen=True)
class StretchCapacity:
    first: int  # working-day index
    last: int
    visit_days: int  # demand: visit days of units whose whole range lies in the stretch
    capacity: int  # supply: the teams' capacity in the stretch

    @property
    def fits(self) -> bool:
        return self.visit_days <= self.capacity

    @property
    def load(self) -> float:
        return self.visit_days / self.capacity if self.capacity else float("inf")


def unit_ranges(scenario: Scenario, cal: WorkCalendar) -> list[tuple[int, int, int]]:
    """(first start, last day, visit days) of every non-optional unit, in working-day indices."""
    ranges = []
    for unit in scenario.units:
        if unit.optional:
            continue
        first = min(earliest_start_index(cal, scenario, unit, t)
                    for t in eligible_teams(scenario, unit))
        last = latest_start_index(cal, scenario, unit) + unit.duration - 1
        ranges.append((first, last, unit.duration))
    return ranges


def capacity_report(scenario: Scenario) -> list[StretchCapacity]:
    """Demand and capacity of every stretch from a window's first day to a window's last."""
    cal = scenario.work_calendar()
    ranges = unit_ranges(scenario, cal)
    weekly = _weekly_capacity(scenario, cal)
    starts = sorted({r[0] for r in ranges})
    ends = sorted({r[1] for r in ranges})
    report = []
    for first in starts:
        for last in (e for e in ends if e >= first):
            demand = sum(d for a, b, d in ranges if first <= a and b <= last)
            supply = sum(weekly(first, last))
            report.append(StretchCapacity(first, last, demand, supply))
    return report


def _weekly_capacity(scenario: Scenario, cal: WorkCalendar) -> Callable[[int, int], list[int]]:
    required = sorted({a for u in scenario.units for a in u.required_agencies})
    away = away_days(cal, scenario)

    def weekly(first: int, last: int) -> list[int]:
        return [team_week_capacity(scenario, t.id, [i for i in days if cal.date_of(i) >= t.formed_on],
                                   away, required)
                for days in calendar_weeks(cal, first, last).values() for t in scenario.teams]

    return weekly


def tightest(scenario: Scenario) -> StretchCapacity:
    """The stretch with the highest load (demand / capacity)."""
    return max(capacity_report(scenario), key=lambda s: (s.load, s.visit_days))
