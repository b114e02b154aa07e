"""Independent lower bounds per objective term, to tell a weak solver bound from a poor plan.

CP-SAT's bound on a sum of start offsets stays far below the plans it finds (PERFORMANCE.md), so
a large reported gap may mean a poor plan or only a weak bound. This relaxation answers which:
every visit must start on a day of its window (earliest start over its eligible teams .. latest
start, minus excluded days), and the teams together have a capacity per day (their parallel
sub-teams) and per week (for each team the least of: its sub-team-days, its leads' visit days,
its members' visit days / the minimum group size, and each agency every unit requires). Members
may be pooled across teams and days inside a week, so this only relaxes the rules; the
cheapest assignment of visits to days under those capacities is a min-cost flow, and its cost is
a valid lower bound on S03-early for every plan that obeys the hard rules. The same flow is
solved for each required agency alone (the visits that need it, under its members' visit days
per week), and the best of these bounds is kept.

The other terms get the library's counting floors (``scheduler.plan.term_floors``, which the
stated bound sums too): S01 cannot be 0 when the visit days do not split evenly over the teams;
S05 is at least, for each agency, the visit days that must draw on it inside a span of weeks
divided by the span's weeks. S02, S04 and S06 get 0.
"""

from __future__ import annotations

from ortools.graph.python import min_cost_flow

from models.calendar import WorkCalendar
from models.rules import RuleId
from models.scenario import Scenario, Team, expand_dates
from models.timing import (
    baseline_start_index,
    earliest_start_index,
    early_days,
    eligible_teams,
    latest_start_index,
)
from scheduler.plan.term_floors import agency_spread_floor, team_balance_floor
from scheduler.problem import capacity
from scheduler.problem.capacity import Away
from scheduler.problem.problem import Problem


def start_days(cal: WorkCalendar, scenario: Scenario, unit_index: int) -> list[int]:
    """Days a visit may start on by some eligible team (window, notice, excluded days)."""
    unit = scenario.units[unit_index]
    first = min(earliest_start_index(cal, scenario, unit, t) for t in eligible_teams(scenario, unit))
    last = latest_start_index(cal, scenario, unit)
    excluded = cal.indices(expand_dates(unit.excluded_dates))
    return [d for d in range(max(first, 0), last + 1)
            if not any(d + k in excluded for k in range(unit.duration))]


def team_week_capacity(scenario: Scenario, team: Team, days: list[int], cal: WorkCalendar,
                       always_required: set[str], away: Away) -> int:
    """Visit days a team can give in one week (``scheduler.problem.capacity``), from its forming on."""
    formed = [i for i in days if cal.date_of(i) >= team.formed_on]
    return capacity.team_week_capacity(scenario, team.id, formed, away, sorted(always_required))


def always_required(scenario: Scenario) -> set[str]:
    """Agencies every non-optional unit requires (a group must always include one of them)."""
    sets = [set(u.required_agencies) for u in scenario.units if not u.optional]
    return set.intersection(*sets) if sets else set()


def early_lower_bound(scenario: Scenario) -> int | None:
    """Lower bound on the S03-early term (weighted), or None if a relaxation is infeasible.

    The best of several relaxations: all visits under the teams' capacities, and for each
    required agency the visits that require it under that agency's members' capacity.
    """
    cal = scenario.work_calendar()
    weeks = capacity.calendar_weeks(cal)
    away = capacity.away_days(cal, scenario)
    units = [i for i, u in enumerate(scenario.units) if not u.optional]
    required = always_required(scenario)
    caps = {w: sum(team_week_capacity(scenario, t, days, cal, required, away) for t in scenario.teams)
            for w, days in weeks.items()}
    bounds = [flow_bound(scenario, cal, units, weeks, caps)]
    for agency in sorted({g for u in scenario.units for g in u.required_agencies}):
        needing = [i for i in units if agency in scenario.units[i].required_agencies]
        members = [m for m in scenario.members if m.agency == agency]
        agency_caps = {w: capacity.members_week_days(members, days, away)
                       for w, days in weeks.items()}
        bounds.append(flow_bound(scenario, cal, needing, weeks, agency_caps))
    if any(b is None for b in bounds):
        return None
    return scenario.weights.early * max(b for b in bounds if b is not None)


def flow_bound(scenario: Scenario, cal: WorkCalendar, units: list[int],
               weeks: dict[int, list[int]], week_caps: dict[int, int]) -> int | None:
    """Cheapest placement of ``units`` on days under the day and week capacities (min-cost flow)."""
    flow = min_cost_flow.SimpleMinCostFlow()
    n_units, sink = len(units), len(units) + cal.size + len(weeks)
    week_node = {w: n_units + cal.size + k for k, w in enumerate(sorted(weeks))}
    for k, i in enumerate(units):
        base = baseline_start_index(cal, scenario, scenario.units[i])
        for d in start_days(cal, scenario, i):
            flow.add_arc_with_capacity_and_unit_cost(k, n_units + d, 1, early_days(d, base))
        flow.set_node_supply(k, 1)
    for d in range(cal.size):
        per_day = sum(t.parallel_subteams for t in scenario.teams if cal.date_of(d) >= t.formed_on)
        flow.add_arc_with_capacity_and_unit_cost(n_units + d, week_node[cal.week_of(d)], per_day, 0)
    for w, cap in week_caps.items():
        flow.add_arc_with_capacity_and_unit_cost(week_node[w], sink, cap, 0)
    flow.set_node_supply(sink, -n_units)
    if flow.solve() != flow.OPTIMAL:
        return None
    return flow.optimal_cost()


def team_balance_lower_bound(scenario: Scenario) -> int:
    """S01, weighted (``scheduler.plan.term_floors``: the floor the stated bound uses)."""
    return scenario.weights.team_balance * team_balance_floor(scenario)


def agency_spread_lower_bound(scenario: Scenario) -> int:
    """S05, weighted (``scheduler.plan.term_floors``: the floor the stated bound uses)."""
    return scenario.weights.agency_spread * agency_spread_floor(Problem.of(scenario).domains())


def term_lower_bounds(scenario: Scenario) -> dict[str, int | None]:
    """A valid lower bound on each weighted soft term (None: the relaxation found no plan)."""
    return {
        RuleId.S01_TEAM_BALANCE: team_balance_lower_bound(scenario),
        RuleId.S02_MEMBER_BALANCE: 0,
        RuleId.S03_EARLY: early_lower_bound(scenario),
        RuleId.S04_PREFERRED: 0,
        RuleId.S05_AGENCY_SPREAD: agency_spread_lower_bound(scenario),
        RuleId.S06_OPTIONAL: 0,
    }
