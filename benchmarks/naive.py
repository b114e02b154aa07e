"""The naive CP-SAT formulation, kept as a peer for the benchmarks (not used by the product).

It is what one writes first from the rules: an integer start day and a boolean per eligible team
for every unit, an optional interval per unit and member with a NoOverlap per member, per-week
counts built from "member goes" x "visit falls in week" products, and the objective S01-S06 of
CONTRACTS.md as one weighted sum. No hint, no decomposition, no symmetry breaking, and no domain
cutting beyond the obvious (each start lies between the window's bounds; a member from the unit's
own agency never goes). It returns a ``Schedule`` so the same checker judges it.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from models.calendar import WorkCalendar
from models.rules import RuleId
from models.scenario import Member, Scenario, Unit, expand_dates
from models.schedule import Schedule, SolverInfo, Status, Unscheduled
from models.timing import (
    baseline_start_index,
    earliest_start_index,
    eligible_teams,
    latest_start_index,
)
from scheduler.problem.schedule_build import make_assignment, schedule_skeleton
from scheduler.search.parameters import wall_cap_s

ProgressFn = Callable[[float, int, int], None]  # elapsed_s, objective, bound

_STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
    cp_model.MODEL_INVALID: Status.UNKNOWN,
    cp_model.UNKNOWN: Status.UNKNOWN,
}


@dataclass
class NaiveModel:
    """The CP-SAT model and the variables needed to read a schedule back."""

    scenario: Scenario
    cal: WorkCalendar
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    start: dict[str, cp_model.IntVar] = field(default_factory=dict)
    team: dict[str, dict[str, cp_model.IntVar]] = field(default_factory=dict)
    goes: dict[str, dict[str, cp_model.IntVar]] = field(default_factory=dict)
    present: dict[str, cp_model.LinearExprT] = field(default_factory=dict)
    member_intervals: dict[str, list[cp_model.IntervalVar]] = field(default_factory=lambda: defaultdict(list))
    team_intervals: dict[str, list[cp_model.IntervalVar]] = field(default_factory=lambda: defaultdict(list))
    terms: dict[str, cp_model.LinearExprT] = field(default_factory=dict)


@dataclass
class NaiveResult:
    schedule: Schedule
    status: Status
    first_solution_s: float | None
    wall_s: float
    stats: dict[str, float]


# --- variables and hard rules -------------------------------------------------------------------


def add_unit(nm: NaiveModel, unit: Unit) -> None:
    """H01-once, H02/H03/H04 (window, team formed, notice), H14-excluded, H15-pinned-team."""
    m, cal, s = nm.model, nm.cal, nm.scenario
    teams = eligible_teams(s, unit)
    firsts = {t.id: earliest_start_index(cal, s, unit, t) for t in teams}
    last = latest_start_index(cal, s, unit)
    start = m.new_int_var(min(firsts.values()), max(last, min(firsts.values())), f"start[{unit.id}]")
    nm.start[unit.id] = start
    nm.team[unit.id] = {t.id: m.new_bool_var(f"team[{unit.id},{t.id}]") for t in teams}
    chosen = sum(nm.team[unit.id].values())
    if unit.optional:
        present = m.new_bool_var(f"present[{unit.id}]")
        m.add(chosen == present)
        nm.present[unit.id] = present
    else:
        m.add(chosen == 1)
        nm.present[unit.id] = 1
    for t in teams:
        m.add(start >= firsts[t.id]).only_enforce_if(nm.team[unit.id][t.id])
        m.add(start <= last).only_enforce_if(nm.team[unit.id][t.id])
    for day in sorted(cal.indices(expand_dates(unit.excluded_dates))):
        for s_ in range(day - unit.duration + 1, day + 1):
            m.add(start != s_)


def add_group(nm: NaiveModel, unit: Unit) -> None:
    """H05-H09: group from the chosen team, a lead, minimum size, required agencies, no conflict."""
    m, s = nm.model, nm.scenario
    nm.goes[unit.id] = {}
    for team_id, chose in nm.team[unit.id].items():
        members = s.team_members(team_id)
        goes = {mb.id: m.new_bool_var(f"goes[{unit.id},{mb.id}]") for mb in members}
        nm.goes[unit.id].update(goes)
        for mb in members:
            m.add_implication(goes[mb.id], chose)
            if s.rules.conflict_of_interest and unit.agency == mb.agency:
                m.add(goes[mb.id] == 0)
        m.add(sum(goes.values()) >= s.rules.min_group_size).only_enforce_if(chose)
        if s.rules.lead_on_every_visit:
            m.add(sum(goes[mb.id] for mb in members if mb.can_lead) >= 1).only_enforce_if(chose)
        for agency in unit.required_agencies:
            m.add(sum(goes[mb.id] for mb in members if mb.agency == agency) >= 1).only_enforce_if(chose)
        add_member_intervals(nm, unit, members, goes)
        add_team_interval(nm, unit, team_id, chose)


def add_member_intervals(
    nm: NaiveModel, unit: Unit, members: list[Member], goes: dict[str, cp_model.IntVar]
) -> None:
    """One optional interval per unit and member (H10 via a NoOverlap per member)."""
    start = nm.start[unit.id]
    for mb in members:
        iv = nm.model.new_optional_fixed_size_interval_var(
            start, unit.duration, goes[mb.id], f"iv[{unit.id},{mb.id}]"
        )
        nm.member_intervals[mb.id].append(iv)


def add_team_interval(nm: NaiveModel, unit: Unit, team_id: str, chose: cp_model.IntVar) -> None:
    iv = nm.model.new_optional_fixed_size_interval_var(
        nm.start[unit.id], unit.duration, chose, f"team_iv[{unit.id},{team_id}]"
    )
    nm.team_intervals[team_id].append(iv)


def add_member_days(nm: NaiveModel) -> None:
    """H10-member-day and H11-available: a NoOverlap per member, with their days off as blocks."""
    for mb in nm.scenario.members:
        away = sorted(nm.cal.indices(expand_dates(mb.unavailable)))
        blocks = [nm.model.new_fixed_size_interval_var(d, 1, f"away[{mb.id},{d}]") for d in away]
        nm.model.add_no_overlap(nm.member_intervals[mb.id] + blocks)


def add_team_parallel(nm: NaiveModel) -> None:
    """H13-parallel: a cumulative per team, capacity its parallel sub-teams."""
    for team in nm.scenario.teams:
        intervals = nm.team_intervals.get(team.id, [])
        if intervals:
            nm.model.add_cumulative(intervals, [1] * len(intervals), team.parallel_subteams)


# --- weeks: per-member weekly limit and the agency spread ----------------------------------------


def week_days(nm: NaiveModel, unit: Unit) -> dict[int, cp_model.LinearExprT]:
    """Visit days of the unit falling in each week, as expressions of its start day."""
    start = nm.start[unit.id]
    domain = list(start.proto.domain)  # this repeated field ignores negative indices
    lo, hi = domain[0], domain[len(domain) - 1]
    by_week: dict[int, list[int]] = defaultdict(lambda: [0] * (hi - lo + 1))
    for s_ in range(lo, hi + 1):
        for d in range(s_, min(s_ + unit.duration, nm.cal.size)):
            by_week[nm.cal.week_of(d)][s_ - lo] += 1
    out: dict[int, cp_model.LinearExprT] = {}
    for wk, table in by_week.items():
        var = nm.model.new_int_var(0, unit.duration, f"wdays[{unit.id},{wk}]")
        nm.model.add_element(start - lo, table, var)
        out[wk] = var
    return out


def add_weeks(nm: NaiveModel) -> dict[tuple[str, int], list[cp_model.IntVar]]:
    """Member-day counts per week (products of 'goes' and the unit's days in that week)."""
    per_member_week: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    for unit in nm.scenario.units:
        days = week_days(nm, unit)
        for mid, goes in nm.goes[unit.id].items():
            for wk, n in days.items():
                z = nm.model.new_int_var(0, unit.duration, f"z[{unit.id},{mid},{wk}]")
                nm.model.add(z >= n - unit.duration * (1 - goes))
                per_member_week[(mid, wk)].append(z)
    return per_member_week


def add_weekly_limits(nm: NaiveModel, per_member_week: dict[tuple[str, int], list]) -> None:
    """H12-weekly: a member's visit days per week stay within their limit."""
    limits = {mb.id: mb.max_visits_per_week for mb in nm.scenario.members}
    for (mid, _wk), zs in per_member_week.items():
        if limits[mid] is not None:
            nm.model.add(sum(zs) <= limits[mid])


# --- objective S01-S06 -------------------------------------------------------------------------


def spread(m: cp_model.CpModel, exprs: list, ub: int, name: str) -> cp_model.LinearExprT:
    hi, lo = m.new_int_var(0, ub, f"max[{name}]"), m.new_int_var(0, ub, f"min[{name}]")
    m.add_max_equality(hi, exprs)
    m.add_min_equality(lo, exprs)
    return hi - lo


def add_objective(nm: NaiveModel, per_member_week: dict[tuple[str, int], list]) -> None:
    m, s = nm.model, nm.scenario
    w = s.weights
    total_days = sum(u.duration for u in s.units)
    loads = {t.id: sum(u.duration * nm.team[u.id][t.id] for u in s.units if t.id in nm.team[u.id])
             for t in s.teams}
    nm.terms[RuleId.S01_TEAM_BALANCE] = (
        w.team_balance * spread(m, list(loads.values()), total_days, "teams") if len(loads) > 1 else 0
    )
    member_load = {mb.id: sum(u.duration * nm.goes[u.id][mb.id] for u in s.units if mb.id in nm.goes[u.id])
                   for mb in s.members}
    s02 = []
    for t in s.teams:
        ids = [mb.id for mb in s.team_members(t.id)]
        if len(ids) >= 2:
            s02.append(spread(m, [member_load[i] for i in ids], total_days, f"members {t.id}"))
    nm.terms[RuleId.S02_MEMBER_BALANCE] = w.member_balance * sum(s02)
    nm.terms[RuleId.S03_EARLY] = w.early * sum(early_offset(nm, u) for u in s.units)
    nm.terms[RuleId.S04_PREFERRED] = w.preferred_dates * sum(missed_preference(nm, u) for u in s.units)
    nm.terms[RuleId.S05_AGENCY_SPREAD] = w.agency_spread * agency_peaks(nm, per_member_week)
    nm.terms[RuleId.S06_OPTIONAL] = w.unscheduled_optional * sum(
        1 - nm.present[u.id] for u in s.units if u.optional
    )
    m.minimize(sum(nm.terms.values()))


def early_offset(nm: NaiveModel, unit: Unit) -> cp_model.LinearExprT:
    base = baseline_start_index(nm.cal, nm.scenario, unit)
    if not unit.optional:
        return nm.start[unit.id] - base
    off = nm.model.new_int_var(0, nm.cal.size, f"early[{unit.id}]")
    nm.model.add(off >= nm.start[unit.id] - base).only_enforce_if(nm.present[unit.id])
    return off


def missed_preference(nm: NaiveModel, unit: Unit) -> cp_model.LinearExprT:
    if not unit.preferred_dates:
        return 0
    days = sorted(nm.cal.indices(expand_dates(unit.preferred_dates)))
    hit = nm.model.new_bool_var(f"preferred[{unit.id}]")
    if days:
        nm.model.add_linear_expression_in_domain(
            nm.start[unit.id], cp_model.Domain.from_values(days)
        ).only_enforce_if(hit)
    else:
        nm.model.add(hit == 0)
    miss = nm.model.new_bool_var(f"missed[{unit.id}]")
    nm.model.add(miss >= nm.present[unit.id] - hit)
    return miss


def agency_peaks(nm: NaiveModel, per_member_week: dict[tuple[str, int], list]) -> cp_model.LinearExprT:
    agency_of = {mb.id: mb.agency for mb in nm.scenario.members}
    draw: dict[tuple[str, int], list] = defaultdict(list)
    for (mid, wk), zs in per_member_week.items():
        draw[(agency_of[mid], wk)] += zs
    by_agency: dict[str, list] = defaultdict(list)
    for (agency, _wk), zs in draw.items():
        by_agency[agency].append(sum(zs))
    peaks = []
    for agency, weekly in by_agency.items():
        peak = nm.model.new_int_var(0, sum(u.duration for u in nm.scenario.units) * 50, f"peak[{agency}]")
        for expr in weekly:
            nm.model.add(peak >= expr)
        peaks.append(peak)
    return sum(peaks)


def build(scenario: Scenario) -> NaiveModel:
    """The whole naive model of ``scenario``."""
    nm = NaiveModel(scenario, scenario.work_calendar())
    for unit in scenario.units:
        add_unit(nm, unit)
        add_group(nm, unit)
    add_member_days(nm)
    add_team_parallel(nm)
    per_member_week = add_weeks(nm)
    add_weekly_limits(nm, per_member_week)
    add_objective(nm, per_member_week)
    return nm


# --- solving and reading back ------------------------------------------------------------------


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, t0: float, on_progress: ProgressFn | None) -> None:
        super().__init__()
        self.t0 = t0
        self.first: float | None = None
        self.on_progress = on_progress

    def on_solution_callback(self) -> None:
        elapsed = time.perf_counter() - self.t0
        if self.first is None:
            self.first = elapsed
        if self.on_progress is not None:
            self.on_progress(elapsed, int(self.objective_value), int(self.best_objective_bound))


def solve_naive(
    scenario: Scenario,
    time_limit_s: float = 10.0,
    workers: int = 2,
    seed: int = 0,
    on_progress: ProgressFn | None = None,
) -> NaiveResult:
    """Build and solve the naive model; the schedule is empty when no plan was found."""
    t0 = time.perf_counter()
    nm = build(scenario)
    build_s = time.perf_counter() - t0
    solver = cp_model.CpSolver()
    # A work limit, as for ours: the same plan (or none) on an idle or a loaded machine; wall
    # time only as a safety cap.
    solver.parameters.max_deterministic_time = time_limit_s
    solver.parameters.max_time_in_seconds = wall_cap_s(time_limit_s)
    solver.parameters.num_workers = workers
    solver.parameters.interleave_search = workers >= 2
    solver.parameters.random_seed = seed
    callback = _Progress(t0, on_progress)
    code = solver.solve(nm.model, callback)
    wall = time.perf_counter() - t0
    status = _STATUS[code]
    found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    info = SolverInfo(
        status=status,
        objective=int(solver.objective_value) if found else None,
        bound=int(solver.best_objective_bound) if found else None,
        wall_s=round(wall, 3),
        seed=seed,
        workers=workers,
        objective_terms={k: int(solver.value(v)) for k, v in nm.terms.items()} if found else {},
    )
    schedule = read_schedule(nm, solver, info) if found else schedule_skeleton(
        scenario, [], info, [Unscheduled(unit_id=u.id, reason="no plan found") for u in scenario.units]
    )
    stats = {**model_stats(nm), "build_s": round(build_s, 3)}
    return NaiveResult(schedule, status, callback.first, wall, stats)


def read_schedule(nm: NaiveModel, solver: cp_model.CpSolver, info: SolverInfo) -> Schedule:
    assignments, unscheduled = [], []
    for unit in nm.scenario.units:
        team_id = next((t for t, v in nm.team[unit.id].items() if solver.boolean_value(v)), None)
        if team_id is None:
            unscheduled.append(Unscheduled(unit_id=unit.id, reason="optional unit left out"))
            continue
        ids = [mid for mid, v in nm.goes[unit.id].items() if solver.boolean_value(v)]
        lead = pick_lead(nm.scenario, ids)
        day = nm.cal.date_of(solver.value(nm.start[unit.id]))
        assignments.append(make_assignment(nm.scenario, nm.cal, unit.id, team_id, day, ids, lead))
    return schedule_skeleton(nm.scenario, assignments, info, unscheduled)


def pick_lead(scenario: Scenario, member_ids: list[str]) -> str:
    """The first member who may lead (a leader or deputy before a sub-team lead)."""
    members = [scenario.member(i) for i in member_ids]
    ranked = sorted(members, key=lambda mb: (not mb.can_lead, mb.role.value not in ("leader", "deputy")))
    return ranked[0].id if ranked else ""


def model_stats(nm: NaiveModel) -> dict[str, int]:
    proto = nm.model.proto
    return {"variables": len(proto.variables), "constraints": len(proto.constraints)}
