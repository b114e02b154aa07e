"""The CP-SAT model's soft rules: each returns its penalty terms, keyed by ``RuleId`` in ``SOFT_RULES``.

A term is ``(rule_id, expression, weight)``; ``scheduler.model.build.build_model`` assembles the
objective from them in one place. Each expression prices a plan exactly as ``scheduler.cost.price``
does (tests: a proven plan's CP-SAT objective equals its cost). The agency-spread draw cuts sit
here because they bound the S05 peak variables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from ortools.sat.python import cp_model

from models.groups import group_floor
from models.rules import RuleId
from models.scenario import expand_dates
from models.selection import sampled_ids
from models.timing import days_outside_window, early_days
from scheduler.model.bounds import early_lower_bound
from scheduler.model.groups import group_members_term
from scheduler.model.leaders import leader_load_term
from scheduler.model.routes import overnight_term, team_days_term, travel_term
from scheduler.model.selection import sample_priority_left
from scheduler.model.variables import (
    PlanModel,
    Term,
    member_loads,
    member_week_intervals,
    week_day_counts,
)
from scheduler.problem.capacity import busiest_span
from scheduler.problem.pace import PaceGroup, PaceOutside, least_deviation, pace_groups, region_groups

SoftRule = Callable[[PlanModel], list[Term]]


def _spread(pm: PlanModel, values: Sequence[cp_model.LinearExprT], ub: int, name: str
            ) -> cp_model.LinearExprT:
    """max - min of some loads, as exact variables."""
    hi = pm.model.new_int_var(0, ub, f"max[{name}]")
    lo = pm.model.new_int_var(0, ub, f"min[{name}]")
    pm.model.add_max_equality(hi, values)
    pm.model.add_min_equality(lo, values)
    return hi - lo


def _total_days(pm: PlanModel) -> int:
    return sum(ud.duration for ud in pm.units())


def team_balance(pm: PlanModel) -> list[Term]:
    """S01-team-balance: balance visit days between the teams (max load - min load)."""
    w = pm.scenario.weights.team_balance
    teams = pm.scenario.teams
    if w == 0 or len(teams) < 2:
        return []
    loads = [sum(ud.duration * pm.team[ud.unit.id][t.id]
                 for ud in pm.units() if t.id in pm.team[ud.unit.id]) for t in teams]
    return [(RuleId.S01_TEAM_BALANCE, _spread(pm, loads, _total_days(pm), "teams"), w)]


def member_balance(pm: PlanModel) -> list[Term]:
    """S02-member-balance: balance visit days between the members of each team."""
    w = pm.scenario.weights.member_balance
    if w == 0:
        return []
    spreads = []
    for team in pm.scenario.teams:
        members = pm.scenario.team_members(team.id)
        if len(members) >= 2:
            loads = [member_loads(pm, m.id) for m in members]
            spreads.append(_spread(pm, loads, _total_days(pm), f"members {team.id}"))
    return [(RuleId.S02_MEMBER_BALANCE, sum(spreads), w)] if spreads else []


def early(pm: PlanModel) -> list[Term]:
    """S03-early: visit early in the window, leaving slack for a re-inspection.

    The penalty is the number of working days between the unit's earliest possible start (over
    the teams that may visit it, inside the window as written) and the day it is visited.
    """
    w = pm.scenario.weights.early
    if w == 0:
        return []
    expr = sum(early_days(d, ud.baseline) * ud.unit.stands_for * y
               for ud in pm.units() for d, y in pm.day[ud.unit.id].items())
    # Valid for every plan (scheduler.model.bounds): the floor of the reported bound. Not added as a
    # constraint `expr >= lb`: that cost 1-2% of plan quality on province-300 in 60 s (measured).
    pm.early_lb = early_lower_bound(pm.dom)
    return [(RuleId.S03_EARLY, expr, w)]


def preferred(pm: PlanModel) -> list[Term]:
    """S04-preferred: honour the dates a unit asked for; each visit off them is penalised."""
    w = pm.scenario.weights.preferred_dates
    misses = []
    for ud in pm.units():
        if not ud.unit.preferred_dates or w == 0:
            continue
        uid = ud.unit.id
        wanted = pm.dom.cal.indices(expand_dates(ud.unit.preferred_dates))
        miss = pm.present[uid] - sum(y for d, y in pm.day[uid].items() if d in wanted)
        misses.append(ud.unit.stands_for * miss)
    return [(RuleId.S04_PREFERRED, sum(misses), w)] if misses else []


def agency_spread(pm: PlanModel) -> list[Term]:
    """S05-agency-spread: spread each agency's draw on its members over the weeks.

    The penalty is, per agency, its busiest week: the number of (member, visit day) pairs it
    gives in that week. Each agency's visit days sit on the week axis under a cumulative whose
    capacity is that busiest week.
    """
    w = pm.scenario.weights.agency_spread
    if w == 0:
        return []
    peaks = []
    for agency in pm.scenario.agencies:
        members = {m.id for m in pm.scenario.members if m.agency == agency.id}
        peak = _cumulative_peak(pm, agency.id, members)
        if peak is None:
            continue
        peaks.append(peak)
        add_required_draw_cuts(pm, agency.id, peak)
    if peaks:
        add_group_draw_cuts(pm, sum(peaks))
    return [(RuleId.S05_AGENCY_SPREAD, sum(peaks), w)] if peaks else []


def _cumulative_peak(pm: PlanModel, agency_id: str, members: set[str]
                     ) -> cp_model.IntVar | None:
    """The agency's busiest week, as the capacity of a cumulative on the week axis."""
    intervals = [iv for m in sorted(members) for iv in member_week_intervals(pm, m)]
    if not intervals:
        return None
    lb = agency_peak_lower_bound(pm, agency_id)
    peak = pm.model.new_int_var(lb, max(lb, len(intervals)), f"peak[{agency_id}]")
    pm.model.add_cumulative(intervals, [1] * len(intervals), peak)
    return peak


def add_required_draw_cuts(pm: PlanModel, agency_id: str, peak: cp_model.IntVar) -> None:
    """Redundant: an agency's busiest week draws at least one member per visit day, in that
    week, of the units that require the agency. Links the spread bound to the visit days."""
    if RuleId.H08_AGENCIES in pm.skip:
        return
    per_week: dict[int, list] = defaultdict(list)
    for ud in pm.units():
        if agency_id in ud.unit.required_agencies:
            for wk, n in week_day_counts(pm, ud).items():
                per_week[wk].append(n)
    for ns in per_week.values():
        if len(ns) > 1:
            pm.model.add(peak >= sum(ns))


def add_group_draw_cuts(pm: PlanModel, peaks: cp_model.LinearExprT) -> None:
    """Redundant: all agencies' busiest weeks together hold at least the week's member-days."""
    relaxed = RuleId.H07_GROUP_SIZE in pm.skip
    per_week: dict[int, list] = defaultdict(list)
    for ud in pm.units():
        k = 1 if relaxed else group_floor(pm.scenario, ud.unit)
        for wk, n in week_day_counts(pm, ud).items():
            per_week[wk].append(k * n)
    for ns in per_week.values():
        if len(ns) > 1:
            pm.model.add(peaks >= sum(ns))


def agency_peak_lower_bound(pm: PlanModel, agency_id: str) -> int:
    """Visit days that must draw on the agency inside a span of weeks, over the span's weeks."""
    needs = []
    for ud in pm.units():
        days = ud.all_starts
        required = agency_id in ud.unit.required_agencies and RuleId.H08_AGENCIES not in pm.skip
        if not days or not required or ud.unit.optional:
            continue
        needs.append((pm.dom.week(days[0]), pm.dom.week(days[-1] + ud.duration - 1), ud.duration))
    return busiest_span(needs)


def optional_left(pm: PlanModel) -> list[Term]:
    """S06-optional: an optional unit left unscheduled (one a selection samples is priced by
    S13-sample-priority instead, ``scheduler.model.selection``)."""
    w = pm.scenario.weights.unscheduled_optional
    sampled = sampled_ids(pm.scenario)
    left = [ud.unit.stands_for * (1 - pm.present[ud.unit.id]) for ud in pm.units()
            if ud.unit.optional and ud.fixed is None and ud.unit.id not in sampled]
    return [(RuleId.S06_OPTIONAL, sum(left), w)] if left and w else []


def outside_window(pm: PlanModel) -> list[Term]:
    """S11-outside-window: working days a visit lies outside its expected window, a constant per
    start day (``models.timing.days_outside_window``, the count ``cost.outside_window`` uses)."""
    w = pm.scenario.weights.outside_window
    expected = [ud for ud in pm.units() if ud.unit.window.expected]
    if w == 0 or not expected:
        return []
    cal, scenario = pm.dom.cal, pm.scenario
    expr = sum(days_outside_window(cal, scenario, ud.unit, d) * ud.unit.stands_for * y
               for ud in expected for d, y in pm.day[ud.unit.id].items())
    return [(RuleId.S11_OUTSIDE_WINDOW, expr, w)]


def pace(pm: PlanModel) -> list[Term]:
    """S09-pace: an even pace over each window (``scheduler.problem.pace``): summed over the weeks of a
    window's span, how far the visits started so far stray from the straight line (a composite
    visit counted once per unit it stands for). In a region of a larger plan each group is priced
    on its whole line, its visits outside the region fixed (``Domains.pace_outside``)."""
    w = pm.scenario.weights.pace
    if w == 0:
        return []
    outside = pm.dom.pace_outside
    groups: list[tuple[PaceGroup, PaceOutside | None]] = list(region_groups(pm.scenario, outside)) \
        if outside else [(g, None) for g in pace_groups(pm.scenario, pm.dom.cal)]
    terms = [dev for group, rest in groups for dev in _pace_deviations(pm, group, rest)]
    return [(RuleId.S09_PACE, sum(terms), w)] if terms else []


def _pace_deviations(pm: PlanModel, group: PaceGroup, rest: PaceOutside | None
                     ) -> list[cp_model.IntVar]:
    """Each week's ``|W * done_k - k * planned|`` of one group, as a variable."""
    sizes = {u: n for u, n in group.stands_for.items() if u in pm.day}
    size = len(group.weeks)
    out_planned = rest.planned if rest else 0
    planned = sum(n * pm.present[u] for u, n in sizes.items()) + out_planned
    # With the number visited known, each week's deviation is at least its whole-number
    # least (scheduler.problem.pace.least_deviation): Hanoi proven in 2 work-s, not in 60.
    count = _fixed_count(pm, sizes)
    devs = []
    for k in range(1, size + 1):
        done = sum(n * y for u, n in sizes.items() for d, y in pm.day[u].items()
                   if group.week_rank(pm.dom.week(d)) <= k) + (rest.done[k - 1] if rest else 0)
        least = 0 if count is None else least_deviation(size, count + out_planned, k)
        top = size * (sum(sizes.values()) + out_planned)
        dev = pm.model.new_int_var(least, max(least, top), f"pace[{group.unit_ids[0]},{k}]")
        pm.model.add(dev >= size * done - k * planned)
        pm.model.add(dev >= k * planned - size * done)
        devs.append(dev)
    return devs


def _fixed_count(pm: PlanModel, sizes: dict[str, int]) -> int | None:
    """How many of these units every plan visits, when that is known (no optional unit)."""
    known = [n * p for u, n in sizes.items() if isinstance(p := pm.present[u], int)]
    return sum(known) if len(known) == len(sizes) else None


SOFT_RULES: dict[RuleId, SoftRule] = {
    RuleId.S01_TEAM_BALANCE: team_balance,
    RuleId.S02_MEMBER_BALANCE: member_balance,
    RuleId.S03_EARLY: early,
    RuleId.S04_PREFERRED: preferred,
    RuleId.S05_AGENCY_SPREAD: agency_spread,
    RuleId.S06_OPTIONAL: optional_left,
    RuleId.S07_TRAVEL: travel_term,  # scheduler.model.routes
    RuleId.S08_TEAM_DAYS: team_days_term,
    RuleId.S09_PACE: pace,
    RuleId.S10_LEADER_LOAD: leader_load_term,  # scheduler.model.leaders
    RuleId.S11_OUTSIDE_WINDOW: outside_window,
    RuleId.S12_GROUP_MEMBERS: group_members_term,  # scheduler.model.groups
    RuleId.S13_SAMPLE_PRIORITY: sample_priority_left,  # scheduler.model.selection
    RuleId.S14_OVERNIGHT: overnight_term,  # scheduler.model.routes
}
