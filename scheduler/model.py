"""The CP-SAT model of an inspection campaign: one function per rule family.

Decisions, for every unit: whether it is visited (only optional units may be left out), the day
the visit starts (one boolean per feasible start day, plus the start index they add up to), the
team that goes, and which of the team's members go. Time is a working-day index from the
calendar; the start days are cut to each unit's feasible days (``scheduler.domains``) before the
model is built, and there are no member x day booleans.

Hard rules add constraints. Soft rules RETURN penalty terms ``(rule_id, expression, weight)``;
``build_model`` assembles the objective from them in one place. Rule ids come from
``models.rules``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from ortools.sat.python import cp_model

from models.rules import RuleId
from models.scenario import Member, Scenario, expand_dates
from models.schedule import Assignment
from scheduler.bounds import early_lower_bound
from scheduler.domains import Domains, UnitDomain, build_domains, visit_indices

Term = tuple[str, cp_model.LinearExprT, int]
ExtraTerms = Callable[["PlanModel"], list[Term]]


@dataclass
class PlanModel:
    """The model and the variables other parts (hints, re-plan costs, extraction) refer to.

    ``start[u]`` is the start day index, ``team[u][t]`` and ``member[u][m]`` are booleans,
    ``present[u]`` is a boolean for optional units (1 for the others), ``team_day[u][t][d]`` is
    true when team ``t`` starts the visit on day ``d`` and ``day[u][d]`` is their sum over teams.
    """

    model: cp_model.CpModel
    dom: Domains
    present: dict[str, cp_model.IntVar | int] = field(default_factory=dict)
    team: dict[str, dict[str, cp_model.IntVar]] = field(default_factory=dict)
    member: dict[str, dict[str, cp_model.IntVar]] = field(default_factory=dict)
    start: dict[str, cp_model.IntVar] = field(default_factory=dict)
    day: dict[str, dict[int, cp_model.LinearExprT]] = field(default_factory=dict)
    team_day: dict[str, dict[str, dict[int, cp_model.IntVar]]] = field(default_factory=dict)
    terms: list[Term] = field(default_factory=list)
    assumptions: dict[str, cp_model.IntVar] = field(default_factory=dict)
    week_vars: dict[tuple[str, int], cp_model.LinearExprT] = field(default_factory=dict)
    extra_from: int = 0  # terms from this position on came from ``extra_terms``
    shared_days: bool = False  # one start boolean per day for all teams (key SHARED)
    week_counts: dict[str, dict[int, cp_model.LinearExprT]] = field(default_factory=dict)
    early_lb: int | None = None  # unweighted lower bound of S03-early (scheduler.bounds)

    @property
    def scenario(self) -> Scenario:
        return self.dom.scenario

    @property
    def skip(self) -> frozenset[str]:
        return self.dom.skip

    def units(self) -> Iterable[UnitDomain]:
        return self.dom.units.values()

    def stats(self) -> dict[str, int]:
        proto = self.model.proto
        return {"variables": len(proto.variables), "constraints": len(proto.constraints),
                "units": len(self.dom.units),
                "start_booleans": sum(len(d) for t in self.team_day.values() for d in t.values()),
                "member_booleans": sum(map(len, self.member.values()))}


# --- variables ---------------------------------------------------------------------------------


def create_visit_variables(pm: PlanModel, explain: bool) -> None:
    """One visit per unit: presence, start day (booleans + index), team and member choices."""
    for ud in pm.units():
        uid = ud.unit.id
        optional = ud.unit.optional and ud.fixed is None
        present = pm.model.new_bool_var(f"present[{uid}]") if optional or explain else 1
        if explain and not optional:
            pm.assumptions[uid] = present  # type: ignore[assignment]
        pm.present[uid] = present
        days = ud.all_starts
        if pm.shared_days:
            pm.team_day[uid] = {SHARED: {d: pm.model.new_bool_var(f"day[{uid},{d}]")
                                         for d in days}}
        else:
            pm.team_day[uid] = {t: {d: pm.model.new_bool_var(f"day[{uid},{t},{d}]")
                                    for d in ud.starts[t]} for t in ud.teams}
        pm.day[uid] = {d: sum(by_day[d] for by_day in pm.team_day[uid].values() if d in by_day)
                       for d in days}
        first = days[0] if days else 0
        start = pm.model.new_int_var_from_domain(
            cp_model.Domain.FromValues(days or [0]), f"start[{uid}]")
        pm.start[uid] = start
        pm.model.add(start == sum(d * y for d, y in pm.day[uid].items())
                     + first * (1 - present))
        pm.team[uid] = {t: pm.model.new_bool_var(f"team[{uid},{t}]") for t in ud.teams}
        pm.member[uid] = {
            m: pm.model.new_bool_var(f"member[{uid},{m}]")
            for t in ud.teams for m in ud.members[t]
            if not set(ud.starts[t]) <= ud.forbidden.get(m, set())
        }


# --- hard rules --------------------------------------------------------------------------------


def add_once(pm: PlanModel) -> None:
    """H01-once: every unit is visited exactly once, by exactly one team (no duplicates).

    An optional unit is visited at most once; a unit with no possible day cannot be visited.
    """
    for ud in pm.units():
        uid = ud.unit.id
        pm.model.add(sum(pm.team[uid].values()) == pm.present[uid])


def add_team_start_days(pm: PlanModel) -> None:
    """H02-window, H03-team-formed, H04-notice, H14-excluded, H15-pinned-team.

    The start days themselves were cut, per team, to the window, the unit's availability, the
    excluded dates, the team's formation and the notice rule (``scheduler.domains``); here the
    team that goes is the one whose start day is chosen.
    """
    for ud in pm.units():
        uid = ud.unit.id
        if pm.shared_days:
            _link_shared_days(pm, ud)
            continue
        for t, by_day in pm.team_day[uid].items():
            pm.model.add(pm.team[uid][t] == sum(by_day.values()))


def _link_shared_days(pm: PlanModel, ud: UnitDomain) -> None:
    """One start day for all teams: a day open to some teams only goes with one of them."""
    uid = ud.unit.id
    pm.model.add(sum(pm.team_day[uid][SHARED].values()) == pm.present[uid])
    team_days = {t: set(ud.starts[t]) for t in ud.teams}
    for d, y in pm.team_day[uid][SHARED].items():
        open_to = [t for t in ud.teams if d in team_days[t]]
        if len(open_to) < len(ud.teams):
            pm.model.add(y <= sum(pm.team[uid][t] for t in open_to))


def add_fixed_visits(pm: PlanModel) -> None:
    """Visits the planner keeps exactly (announced or done): same day, team and group."""
    for ud in pm.units():
        if ud.fixed is None:
            continue
        uid = ud.unit.id
        for m, z in pm.member[uid].items():
            pm.model.add(z == (pm.present[uid] if m in ud.fixed.member_ids else 0))
        for m in ud.fixed.member_ids:
            if m not in pm.member[uid]:
                pm.model.add_bool_or([])  # a kept member who can no longer go: infeasible


def _team_members(pm: PlanModel, uid: str, team_id: str) -> list[tuple[Member, cp_model.IntVar]]:
    return [(pm.scenario.member(m), z) for m, z in pm.member[uid].items()
            if pm.scenario.member(m).team == team_id]


def add_group_team(pm: PlanModel) -> None:
    """H05-group-team: the members who go belong to the team that visits."""
    for ud in pm.units():
        uid = ud.unit.id
        for t in ud.teams:
            for _, z in _team_members(pm, uid, t):
                pm.model.add_implication(z, pm.team[uid][t])


def add_lead(pm: PlanModel) -> None:
    """H06-lead: every visit has the team leader, the deputy or a named sub-team lead."""
    if not pm.scenario.rules.lead_on_every_visit or RuleId.H06_LEAD in pm.skip:
        return
    for ud in pm.units():
        uid = ud.unit.id
        for t in ud.teams:
            leads = [z for m, z in _team_members(pm, uid, t) if m.can_lead]
            pm.model.add(sum(leads) >= pm.team[uid][t])


def add_group_size(pm: PlanModel) -> None:
    """H07-group-size: the visiting group has at least the minimum size.

    Written as one linear inequality with the team choice (not a reified one): it gives the
    LP relaxation the group size, which lifts the member-balance bound.
    """
    k = 1 if RuleId.H07_GROUP_SIZE in pm.skip else pm.scenario.rules.min_group_size
    for ud in pm.units():
        uid = ud.unit.id
        for t in ud.teams:
            group = [z for _, z in _team_members(pm, uid, t)]
            pm.model.add(sum(group) >= k * pm.team[uid][t])


def add_agencies(pm: PlanModel) -> None:
    """H08-agencies: the group has a member of every agency the unit requires."""
    if RuleId.H08_AGENCIES in pm.skip:
        return
    for ud in pm.units():
        uid = ud.unit.id
        for t in ud.teams:
            for agency in ud.unit.required_agencies:
                reps = [z for m, z in _team_members(pm, uid, t) if m.agency == agency]
                pm.model.add(sum(reps) >= pm.team[uid][t])


def add_member_day(pm: PlanModel) -> None:
    """H10-member-day: a member is on at most one visit a day.

    Implied by H13 for a team that runs one visit a day; added only for teams with sub-teams.
    """
    for m in pm.scenario.members:
        team = pm.scenario.team(m.team)
        if team.parallel_subteams == 1 and RuleId.H13_PARALLEL not in pm.skip:
            continue
        if RuleId.H10_MEMBER_DAY in pm.skip:
            continue
        intervals = [
            pm.model.new_optional_fixed_size_interval_var(
                pm.start[ud.unit.id], ud.duration, pm.member[ud.unit.id][m.id],
                f"visit[{ud.unit.id},{m.id}]")
            for ud in pm.units() if m.id in pm.member[ud.unit.id]
        ]
        if len(intervals) > 1:
            pm.model.add_no_overlap(intervals)


def add_available(pm: PlanModel) -> None:
    """H11-available: a member never goes on a visit that touches a day they are away."""
    for ud in pm.units():
        uid = ud.unit.id
        for m, z in pm.member[uid].items():
            away = [y for d, y in pm.day[uid].items() if d in ud.forbidden.get(m, set())]
            if away:
                pm.model.add(z + sum(away) <= 1)


def add_weekly(pm: PlanModel) -> None:
    """H12-weekly: a member stays within their weekly limit of visit days.

    Each visit day is placed on a week axis (its week number); a cumulative per member caps the
    visit days in any one week at the member's limit. (A linear member x week count was tried:
    exact too, but it slowed Hanoi's proof from ~30 s to none in 60 s.)
    """
    if RuleId.H12_WEEKLY in pm.skip:
        return
    widest = max_days_in_a_week(pm)
    for m in pm.scenario.members:
        if m.max_visits_per_week is None or m.max_visits_per_week >= widest:
            continue
        intervals = member_week_intervals(pm, m.id)
        if len(intervals) > m.max_visits_per_week:
            pm.model.add_cumulative(intervals, [1] * len(intervals), m.max_visits_per_week)


def add_parallel(pm: PlanModel) -> None:
    """H13-parallel: a team runs at most its number of parallel sub-teams on any day."""
    if RuleId.H13_PARALLEL in pm.skip:
        return
    for team in pm.scenario.teams:
        intervals = [
            pm.model.new_optional_fixed_size_interval_var(
                pm.start[ud.unit.id], ud.duration, pm.team[ud.unit.id][team.id],
                f"team_visit[{ud.unit.id},{team.id}]")
            for ud in pm.units() if team.id in pm.team[ud.unit.id]
        ]
        if len(intervals) <= team.parallel_subteams:
            continue
        if team.parallel_subteams == 1:
            pm.model.add_no_overlap(intervals)
        else:
            pm.model.add_cumulative(intervals, [1] * len(intervals), team.parallel_subteams)


# --- week axis (weekly limit and agency spread) -----------------------------------------------


def max_days_in_a_week(pm: PlanModel) -> int:
    weeks: dict[int, int] = defaultdict(int)
    for i in range(pm.dom.cal.size):
        weeks[pm.dom.week(i)] += 1
    return max(weeks.values(), default=0)


def visit_day_week(pm: PlanModel, ud: UnitDomain, offset: int) -> cp_model.LinearExprT:
    """The week number of the visit's ``offset``-th day (shared by all its members)."""
    key = (ud.unit.id, offset)
    if key not in pm.week_vars:
        uid = ud.unit.id
        days = pm.day[uid]
        weeks = {d: pm.dom.week(d + offset) for d in days}
        values = sorted(set(weeks.values())) or [0]
        if len(values) == 1:
            pm.week_vars[key] = values[0]
        else:
            var = pm.model.new_int_var_from_domain(
                cp_model.Domain.FromValues(values), f"week[{uid},{offset}]")
            first = weeks[min(days)]
            pm.model.add(var == sum(w * days[d] for d, w in weeks.items())
                         + first * (1 - pm.present[uid]))
            pm.week_vars[key] = var
    return pm.week_vars[key]


def member_week_intervals(pm: PlanModel, member_id: str) -> list[cp_model.IntervalVar]:
    """One unit-length interval on the week axis per visit day the member may be on."""
    intervals = []
    for ud in pm.units():
        z = pm.member[ud.unit.id].get(member_id)
        if z is None:
            continue
        for k in range(ud.duration):
            week = visit_day_week(pm, ud, k)
            intervals.append(pm.model.new_optional_fixed_size_interval_var(
                week, 1, z, f"week_visit[{ud.unit.id},{member_id},{k}]"))
    return intervals


# --- redundant cuts (same solutions, better bounds) --------------------------------------------


def add_capacity_cuts(pm: PlanModel) -> None:
    """Redundant, per team: visits in progress per day within its sub-teams, and visit days per
    week within what its leads, and its members of each required agency, can give that week.
    Same plans, but a much better bound on 'visit early'."""
    week_days: dict[int, list[int]] = defaultdict(list)
    for i in range(pm.dom.cal.size):
        week_days[pm.dom.week(i)].append(i)
    if pm.shared_days:
        _all_teams_cuts(pm, week_days)
        return
    for team in pm.scenario.teams:
        covering: dict[int, list[tuple[UnitDomain, cp_model.IntVar]]] = defaultdict(list)
        for ud in pm.units():
            for d, y in pm.team_day[ud.unit.id].get(team.id, {}).items():
                for i in visit_indices(d, ud.duration):
                    covering[i].append((ud, y))
        if RuleId.H13_PARALLEL not in pm.skip:
            for items in covering.values():
                if len(items) > team.parallel_subteams:
                    pm.model.add(sum(y for _, y in items) <= team.parallel_subteams)
        for days in week_days.values():
            items = [item for i in days for item in covering.get(i, [])]
            if items:
                _weekly_team_cuts(pm, team.id, days, items)


def _all_teams_cuts(pm: PlanModel, week_days: Mapping[int, list[int]]) -> None:
    """With shared start days: per day and per week, all teams' capacity together."""
    covering: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for ud in pm.units():
        for d, y in pm.team_day[ud.unit.id][SHARED].items():
            for i in visit_indices(d, ud.duration):
                covering[i].append(y)
    if RuleId.H13_PARALLEL not in pm.skip:
        per_day = sum(t.parallel_subteams for t in pm.scenario.teams)
        for ys in covering.values():
            if len(ys) > per_day:
                pm.model.add(sum(ys) <= per_day)
    lead_rule = pm.scenario.rules.lead_on_every_visit and RuleId.H06_LEAD not in pm.skip
    for days in week_days.values():
        ys = [y for i in days for y in covering.get(i, [])]
        cap = 0
        for team in pm.scenario.teams:
            team_cap = team.parallel_subteams * len(days)
            if lead_rule:
                leads = [m for m in pm.scenario.team_members(team.id) if m.can_lead]
                team_cap = min(team_cap, _supply(pm, leads, days))
            cap += team_cap
        if cap < len(ys):
            pm.model.add(sum(ys) <= cap)


def _supply(pm: PlanModel, members: list[Member], days: list[int]) -> int:
    """Member-days a group of members can give in a week (weekly limits, absences)."""
    total = 0
    for m in members:
        free = len(days)
        if RuleId.H11_AVAILABLE not in pm.skip:
            free -= len(pm.dom.unavailable.get(m.id, set()) & set(days))
        if m.max_visits_per_week is not None and RuleId.H12_WEEKLY not in pm.skip:
            free = min(free, m.max_visits_per_week)
        total += max(free, 0)
    return total


def _weekly_team_cuts(pm: PlanModel, team_id: str, days: list[int],
                      items: list[tuple[UnitDomain, cp_model.IntVar]]) -> None:
    members = pm.scenario.team_members(team_id)
    cap = len(items)
    if RuleId.H13_PARALLEL not in pm.skip:
        cap = min(cap, pm.scenario.team(team_id).parallel_subteams * len(days))
    if pm.scenario.rules.lead_on_every_visit and RuleId.H06_LEAD not in pm.skip:
        cap = min(cap, _supply(pm, [m for m in members if m.can_lead], days))
    if cap < len(items):
        pm.model.add(sum(y for _, y in items) <= cap)
    if RuleId.H08_AGENCIES in pm.skip:
        return
    for agency in sorted({g for ud, _ in items for g in ud.unit.required_agencies}):
        needing = [y for ud, y in items if agency in ud.unit.required_agencies]
        supply = _supply(pm, [m for m in members if m.agency == agency], days)
        if supply < len(needing):
            pm.model.add(sum(needing) <= supply)


# --- soft rules (each returns its penalty terms) -----------------------------------------------


def _spread(pm: PlanModel, values: list[cp_model.LinearExprT], ub: int, name: str
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


def member_loads(pm: PlanModel, member_id: str) -> cp_model.LinearExprT:
    return sum(ud.duration * pm.member[ud.unit.id][member_id]
               for ud in pm.units() if member_id in pm.member[ud.unit.id])


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
    the teams that may visit it) and the day it is visited.
    """
    w = pm.scenario.weights.early
    if w == 0:
        return []
    expr = sum((d - ud.baseline) * y for ud in pm.units() for d, y in pm.day[ud.unit.id].items())
    # Valid for every plan (scheduler.bounds): the floor of the reported bound. Not added as a
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
        misses.append(pm.present[uid] - sum(y for d, y in pm.day[uid].items() if d in wanted))
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


def week_day_counts(pm: PlanModel, ud: UnitDomain) -> dict[int, cp_model.LinearExprT]:
    """Per week, the unit's visit days in it, as a linear sum of its start-day booleans."""
    if ud.unit.id in pm.week_counts:
        return pm.week_counts[ud.unit.id]
    counts: dict[int, list] = defaultdict(list)
    for d, y in pm.day[ud.unit.id].items():
        for i in visit_indices(d, ud.duration):
            counts[pm.dom.week(i)].append(y)
    pm.week_counts[ud.unit.id] = {wk: sum(ys) for wk, ys in counts.items()}
    return pm.week_counts[ud.unit.id]


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
    k = 1 if RuleId.H07_GROUP_SIZE in pm.skip else pm.scenario.rules.min_group_size
    per_week: dict[int, list] = defaultdict(list)
    for ud in pm.units():
        for wk, n in week_day_counts(pm, ud).items():
            per_week[wk].append(n)
    for ns in per_week.values():
        if len(ns) > 1:
            pm.model.add(peaks >= k * sum(ns))


def agency_peak_lower_bound(pm: PlanModel, agency_id: str) -> int:
    """Visit days that must draw on the agency inside a span of weeks, over the span's weeks."""
    needs = []
    for ud in pm.units():
        days = ud.all_starts
        required = agency_id in ud.unit.required_agencies and RuleId.H08_AGENCIES not in pm.skip
        if not days or not required or ud.unit.optional:
            continue
        first, last = pm.dom.week(days[0]), pm.dom.week(days[-1] + ud.duration - 1)
        needs.append((first, last, ud.duration))
    best = 0
    lasts = sorted({b for _, b, _ in needs})
    for first in sorted({a for a, _, _ in needs}):  # distinct spans only: same maximum
        inside = [(b, n) for a, b, n in needs if a >= first]
        for last in (b for b in lasts if b >= first):
            demand = sum(n for b, n in inside if b <= last)
            best = max(best, math.ceil(demand / (last - first + 1)))
    return best


def optional_left(pm: PlanModel) -> list[Term]:
    """S06-optional: an optional unit left unscheduled."""
    w = pm.scenario.weights.unscheduled_optional
    left = [1 - pm.present[ud.unit.id] for ud in pm.units()
            if ud.unit.optional and ud.fixed is None]
    return [(RuleId.S06_OPTIONAL, sum(left), w)] if left and w else []


# --- symmetry ----------------------------------------------------------------------------------


def interchangeable_members(scenario: Scenario) -> list[list[str]]:
    """Classes of members no rule tells apart (same team, agency, lead right, limit, absences)."""
    classes: dict[tuple, list[str]] = defaultdict(list)
    for m in scenario.members:
        key = (m.team, m.agency, m.can_lead, m.max_visits_per_week, repr(m.unavailable))
        classes[key].append(m.id)
    return [ids for ids in classes.values() if len(ids) > 1]


def break_member_symmetry(pm: PlanModel) -> None:
    """Interchangeable members are taken in order: the first of a class has the most visit days.

    Valid because swapping two such members in a plan changes neither its rules nor its cost.
    """
    for ids in interchangeable_members(pm.scenario):
        loads = [member_loads(pm, m) for m in ids]
        for a, b in pairwise(loads):
            pm.model.add(a >= b)


# --- assembly ----------------------------------------------------------------------------------

HARD_RULES = [add_once, add_team_start_days, add_fixed_visits, add_group_team, add_lead,
              add_group_size, add_agencies, add_member_day, add_available, add_weekly,
              add_parallel]
SOFT_RULES = [team_balance, member_balance, early, preferred, agency_spread, optional_left]


SHARED = "*"
# Up to this many units, one start boolean per day serves all teams: a smaller search space
# (Hanoi proved in ~30 s against none in 60 s with per-team days, default workers); above,
# one boolean per team and day gives a better bound on large campaigns (per-team weekly
# capacity: bound 2,500 instead of 1,900 on the 140-unit case).
SHARED_DAYS_MAX_UNITS = 40


def build_model(
    scenario: Scenario,
    as_of: date | None = None,
    fixed: Mapping[str, Assignment] | None = None,
    extra_terms: ExtraTerms | None = None,
    skip: frozenset[str] = frozenset(),
    explain: bool = False,
    dom: Domains | None = None,
) -> PlanModel:
    """The whole model: variables, hard rules, redundant cuts, and the objective.

    ``explain`` builds the feasibility version used to explain an infeasible scenario: every
    unit's visit is an assumption and there is no objective.
    """
    dom = dom or build_domains(scenario, as_of, fixed, skip)
    pm = PlanModel(cp_model.CpModel(), dom,
                   shared_days=len(dom.units) <= SHARED_DAYS_MAX_UNITS or explain)
    create_visit_variables(pm, explain)
    for rule in HARD_RULES:
        rule(pm)
    if explain:
        return pm
    add_capacity_cuts(pm)
    if not fixed and extra_terms is None:
        break_member_symmetry(pm)
    for soft in SOFT_RULES:
        pm.terms.extend(soft(pm))
    pm.extra_from = len(pm.terms)
    if extra_terms is not None:
        pm.terms.extend(extra_terms(pm))
    pm.model.minimize(sum(w * expr for _, expr, w in pm.terms))
    return pm
