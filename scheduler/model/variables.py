"""The CP-SAT model's variables: ``PlanModel`` and the visit and week-axis variables.

Decisions, for every unit: whether it is visited (only optional units may be left out), the day
the visit starts (one boolean per feasible start day, plus the start index they add up to), the
team that goes, and which of the team's members go (a member who always goes with the team shares its boolean,
``scheduler.problem.compact``). Time is a working-day index from the
calendar; the start days are cut to each unit's feasible days (``scheduler.problem.domains``) before the
model is built, and there are no member x day booleans. The hard rules (``scheduler.model.hard``),
the redundant cuts (``scheduler.model.cuts``) and the soft terms (``scheduler.model.soft``) read
these variables; ``scheduler.model.build.build_model`` assembles them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import cast

from ortools.sat.python import cp_model

from models.scenario import Member, Scenario
from scheduler.problem.domains import Domains, UnitDomain, visit_indices

Term = tuple[str, cp_model.LinearExprT, int]
ExtraTerms = Callable[["PlanModel"], list[Term]]
SHARED = "*"  # the team key of start booleans shared by all teams (``PlanModel.shared_days``)


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
    day: dict[str, dict[int, cp_model.LinearExpr]] = field(default_factory=dict)
    team_day: dict[str, dict[str, dict[int, cp_model.IntVar]]] = field(default_factory=dict)
    terms: list[Term] = field(default_factory=list)
    assumptions: dict[str, cp_model.IntVar] = field(default_factory=dict)
    week_vars: dict[tuple[str, int], cp_model.LinearExprT] = field(default_factory=dict)
    extra_from: int = 0  # terms from this position on came from ``extra_terms``
    shared_days: bool = False  # one start boolean per day for all teams (key SHARED)
    week_counts: dict[str, dict[int, cp_model.LinearExprT]] = field(default_factory=dict)
    early_lb: int | None = None  # unweighted lower bound of S03-early (scheduler.model.bounds)
    # Per unit, members whose boolean is their team's (scheduler.problem.compact.tied_members).
    tied: dict[str, dict[str, str]] = field(default_factory=dict)
    compact: bool = False  # scheduler.problem.compact's reductions (a single team: no boolean)

    @property
    def scenario(self) -> Scenario:
        return self.dom.scenario

    @property
    def skip(self) -> frozenset[str]:
        return self.dom.skip

    def units(self) -> Iterable[UnitDomain]:
        return self.dom.units.values()

    def is_tied(self, uid: str, member_id: str) -> bool:
        return member_id in self.tied.get(uid, ())

    def single_team(self, uid: str) -> bool:
        """The unit's team boolean is its presence (or the constant 1): compact, one team."""
        return self.compact and len(self.team[uid]) == 1

    def stats(self) -> dict[str, int]:
        proto = self.model.proto
        tied = sum(map(len, self.tied.values()))
        return {"variables": len(proto.variables), "constraints": len(proto.constraints),
                "units": len(self.dom.units),
                "start_booleans": sum(len(d) for t in self.team_day.values() for d in t.values()),
                "member_booleans": sum(map(len, self.member.values())) - tied,
                "tied_members": tied}


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
        pm.day[uid] = {d: cast(cp_model.LinearExpr, sum(by_day[d] for by_day in pm.team_day[uid].values()
                                                        if d in by_day))
                       for d in days}
        first = days[0] if days else 0
        start = pm.model.new_int_var_from_domain(
            cp_model.Domain.FromValues(days or [0]), f"start[{uid}]")
        pm.start[uid] = start
        pm.model.add(start == sum(d * y for d, y in pm.day[uid].items())
                     + first * (1 - present))
        pm.team[uid] = _team_choice(pm, uid, ud.teams, present)
        ties = pm.tied.get(uid, {})
        pm.member[uid] = {
            m: pm.team[uid][t] if ties.get(m) == t else pm.model.new_bool_var(f"member[{uid},{m}]")
            for t in ud.teams for m in ud.members[t]
            if not set(ud.starts[t]) <= ud.forbidden.get(m, set())
        }


def _team_choice(pm: PlanModel, uid: str, teams: list[str], present: cp_model.IntVar | int
                 ) -> dict[str, cp_model.IntVar]:
    """A boolean per team that may go; in the compact model a unit only one team may visit has
    none of its own: the team goes exactly when the unit is visited (H01)."""
    if pm.compact and len(teams) == 1:
        return {teams[0]: present if isinstance(present, cp_model.IntVar)
                else pm.model.new_constant(1)}
    return {t: pm.model.new_bool_var(f"team[{uid},{t}]") for t in teams}


def team_member_vars(pm: PlanModel, uid: str, team_id: str) -> list[tuple[Member, cp_model.IntVar]]:
    """The member booleans of a unit's visit that belong to one team, with the members."""
    return [(pm.scenario.member(m), z) for m, z in pm.member[uid].items()
            if pm.scenario.member(m).team == team_id]


def member_loads(pm: PlanModel, member_id: str) -> cp_model.LinearExprT:
    """A member's visit days, as a linear sum of their member booleans."""
    return sum(ud.duration * pm.member[ud.unit.id][member_id]
               for ud in pm.units() if member_id in pm.member[ud.unit.id])


# --- week axis (weekly limit and agency spread) -----------------------------------------------


def max_days_in_a_week(pm: PlanModel) -> int:
    """Working days in the horizon's fullest week."""
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
