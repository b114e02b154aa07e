"""Where each visit can possibly go, worked out before any model is built.

For every unit and every team that may visit it, the working days a visit may start on (window,
availability, team formation, notice, excluded dates, the visit fitting before the window
closes), and the members who may go (the team's members minus those from the unit's own agency).
The CP-SAT model, the greedy planner and the pre-solve checks all read these domains, so that
a rule cut here is cut the same way everywhere. Pure Python; no solver.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from models.calendar import WorkCalendar
from models.rules import RuleId
from models.scenario import Form, Member, Scenario, Team, Unit, expand_dates
from models.schedule import Assignment
from models.timing import baseline_start_index, earliest_start_index, latest_start_index
from scheduler.problem.capacity import away_days
from scheduler.problem.pace import PaceGroup, PaceOutside, pace_groups

# Rule families the infeasibility explanation may switch off one at a time.
RELAXABLE = frozenset({
    RuleId.H03_TEAM_FORMED, RuleId.H04_NOTICE, RuleId.H06_LEAD, RuleId.H07_GROUP_SIZE, RuleId.H08_AGENCIES,
    RuleId.H09_CONFLICT, RuleId.H10_MEMBER_DAY, RuleId.H11_AVAILABLE, RuleId.H12_WEEKLY, RuleId.H13_PARALLEL,
    RuleId.H14_EXCLUDED, RuleId.H15_PINNED_TEAM, RuleId.H18_LEADER_LEADS, RuleId.H19_NOTICE_FORMED,
})


@dataclass
class UnitDomain:
    """The choices left for one unit: teams, start days per team, members per team."""

    unit: Unit
    starts: dict[str, list[int]]  # team id -> feasible start indices, ascending
    members: dict[str, list[str]]  # team id -> members who may go (same team, no conflict)
    forbidden: dict[str, set[int]]  # member id -> start indices on which the member is away
    baseline: int  # reference day of the 'visit early' rule
    fixed: Assignment | None = None  # kept exactly: day, team and group
    held: Assignment | None = None  # announced: day and team kept, the group may change

    @property
    def all_starts(self) -> list[int]:
        return sorted({d for days in self.starts.values() for d in days})

    @property
    def teams(self) -> list[str]:
        return [t for t, days in self.starts.items() if days]

    @property
    def duration(self) -> int:
        return self.unit.duration


@dataclass
class Domains:
    """Domains of every unit plus the calendar facts the model needs."""

    scenario: Scenario
    cal: WorkCalendar
    units: dict[str, UnitDomain]
    skip: frozenset[str] = frozenset()
    unavailable: dict[str, set[int]] = field(default_factory=dict)  # member -> day indices
    # Day routes (after the route stage): route id -> team id -> travel minutes from its base.
    route_travel: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    route_units: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # route id -> its units
    route_days: Mapping[str, int] = field(default_factory=dict)  # unit on a trip -> its day in it
    # A region of a larger plan (``scheduler.search.neighbourhoods``): per pace group, its visits
    # outside the region, so the region's S09 is the whole group's (``scheduler.problem.pace``).
    pace_outside: Mapping[tuple[object, ...], PaceOutside] = field(default_factory=dict)

    weeks: list[int] = field(default_factory=list)  # week number per day index (cache)
    _pace_groups: list[PaceGroup] | None = None  # the scenario's pace groups (cache)

    def pace_groups(self) -> list[PaceGroup]:
        if self._pace_groups is None:
            self._pace_groups = pace_groups(self.scenario, self.cal)
        return self._pace_groups

    def week(self, index: int) -> int:
        if not self.weeks:
            self.weeks = [self.cal.week_of(i) for i in range(self.cal.size)]
        return self.weeks[index] if 0 <= index < len(self.weeks) else self.cal.week_of(index)


def visit_indices(start: int, duration: int) -> range:
    """Working-day indices a visit covers: consecutive working days from its start."""
    return range(start, start + duration)


def eligible_team_ids(scenario: Scenario, unit: Unit, skip: frozenset[str]) -> list[str]:
    """H15-pinned-team: a unit pinned to a team may only be visited by that team."""
    if unit.team is not None and RuleId.H15_PINNED_TEAM not in skip:
        return [unit.team]
    return [t.id for t in scenario.teams]


def pinned_days(cal: WorkCalendar, unit: Unit, days: list[int],
                skip: frozenset[str]) -> list[int]:
    """H15-pinned-team: a unit pinned to a date starts on that day (if the rules allow it)."""
    if unit.pinned_date is None or RuleId.H15_PINNED_TEAM in skip:
        return days
    return [d for d in days if cal.date_of(d) == unit.pinned_date]


def window_starts(
    cal: WorkCalendar, scenario: Scenario, unit: Unit, team: Team, as_of: date | None,
    skip: frozenset[str],
) -> range:
    """H02-window, H03-team-formed, H04-notice, H19-notice-formed: the start days the window and
    notice allow.

    The visit starts on or after the unit's window opens (and its available_from, and the commune
    rearrangement date), after the team is formed, late enough for the announcement + notice lead
    + report deadline (the announcement not before the team's first notice day), and ends by the
    window's last working day and the end of field work.
    """
    if RuleId.H03_TEAM_FORMED in skip:
        team = team.model_copy(update={"formed_on": scenario.campaign.horizon.start})
    first = earliest_start_index(cal, scenario, _maybe_surprise(unit, skip), team, as_of,
                                 formation_gap=RuleId.H19_NOTICE_FORMED not in skip)
    last = latest_start_index(cal, scenario, unit)
    return range(max(first, 0), last + 1)


def _maybe_surprise(unit: Unit, skip: frozenset[str]) -> Unit:
    """Without the notice rule a planned visit is dated like a surprise one."""
    if RuleId.H04_NOTICE in skip:
        return unit.model_copy(update={"form": Form.SURPRISE})
    return unit


def excluded_indices(cal: WorkCalendar, unit: Unit, skip: frozenset[str]) -> set[int]:
    """H14-excluded: working days the unit asked not to be visited on."""
    if RuleId.H14_EXCLUDED in skip:
        return set()
    return cal.indices(expand_dates(unit.excluded_dates))


def clashing_starts(starts: Iterable[int], duration: int, days: set[int]) -> set[int]:
    """Start days whose visit would touch one of ``days``."""
    if not days:
        return set()
    # A visit of ``duration`` days from s touches d exactly when d - duration < s <= d.
    return {d - k for d in days for k in range(duration)}.intersection(starts)


def eligible_members(
    scenario: Scenario, unit: Unit, team_id: str, skip: frozenset[str]
) -> list[Member]:
    """H05-group-team, H09-conflict: the team's members, minus those of the unit's own agency."""
    members = scenario.team_members(team_id)
    if scenario.rules.conflict_of_interest and RuleId.H09_CONFLICT not in skip and unit.agency:
        members = [m for m in members if m.agency != unit.agency]
    return members


# The hard rules enforced by cutting the domains, each with the function that cuts for it (the
# others are constraints of the model: ``scheduler.model.hard.HARD_RULES``). H05 is both: only
# the team's members are eligible, and the model ties each member to the team that goes.
DOMAIN_CUTS: dict[RuleId, Callable[..., object]] = {
    RuleId.H02_WINDOW: window_starts,
    RuleId.H03_TEAM_FORMED: window_starts,
    RuleId.H04_NOTICE: window_starts,
    RuleId.H19_NOTICE_FORMED: window_starts,
    RuleId.H09_CONFLICT: eligible_members,
    RuleId.H14_EXCLUDED: excluded_indices,
    RuleId.H15_PINNED_TEAM: eligible_team_ids,
}


def unit_domain(
    dom: Domains, unit: Unit, as_of: date | None, fixed: Assignment | None,
    held: Assignment | None = None,
) -> UnitDomain:
    """The start days per team and the members per team left for one unit.

    A fixed visit keeps its day, team and group. A held visit (announced: the unit was told its
    date) keeps its day and team whatever the window and notice rules would now allow, since the
    notice was given when it was announced; its group is chosen again from the team.
    """
    cal, scenario, skip = dom.cal, dom.scenario, dom.skip
    team_ids = eligible_team_ids(scenario, unit, skip)
    kept = fixed or held
    if kept is not None:
        team_ids = [kept.team_id]
    excluded = excluded_indices(cal, unit, skip)
    starts: dict[str, list[int]] = {}
    members: dict[str, list[str]] = {}
    for team_id in team_ids:
        if fixed is not None:
            days = [cal.index(fixed.start)]
            ids = list(fixed.member_ids)
        elif held is not None:
            days = [cal.index(held.start)]
            ids = [m.id for m in eligible_members(scenario, unit, team_id, skip)]
        else:
            days = list(window_starts(cal, scenario, unit, scenario.team(team_id), as_of, skip))
            clash = clashing_starts(days, unit.duration, excluded)
            days = [d for d in days if d not in clash]
            days = pinned_days(cal, unit, days, skip)
            ids = [m.id for m in eligible_members(scenario, unit, team_id, skip)]
        starts[team_id] = days
        members[team_id] = ids
    forbidden = {}
    all_days = {d for days in starts.values() for d in days}
    for ids in members.values():
        for m in ids:
            forbidden[m] = clashing_starts(all_days, unit.duration, dom.unavailable.get(m, set()))
    return UnitDomain(unit, starts, members, forbidden, baseline_start_index(cal, scenario, unit),
                      fixed, held)


def member_unavailable(cal: WorkCalendar, scenario: Scenario, skip: frozenset[str]
                       ) -> dict[str, set[int]]:
    """H11-available: the working days each member cannot go (none when H11 is switched off)."""
    return {} if RuleId.H11_AVAILABLE in skip else away_days(cal, scenario)


def build_domains(
    scenario: Scenario,
    as_of: date | None = None,
    fixed: Mapping[str, Assignment] | None = None,
    skip: frozenset[str] = frozenset(),
    cal: WorkCalendar | None = None,
    held: Mapping[str, Assignment] | None = None,
    route_travel: Mapping[str, Mapping[str, int]] | None = None,
    route_units: Mapping[str, tuple[str, ...]] | None = None,
    route_days: Mapping[str, int] | None = None,
) -> Domains:
    """Domains of every unit; ``skip`` drops rule families (for the infeasibility explanation);
    ``fixed`` visits are kept exactly, ``held`` ones keep their day and team."""
    cal = cal or scenario.work_calendar()
    fixed, held = fixed or {}, held or {}
    dom = Domains(scenario, cal, {}, skip, member_unavailable(cal, scenario, skip),
                  route_travel=route_travel or {}, route_units=route_units or {},
                  route_days=route_days or {})
    for unit in scenario.units:
        dom.units[unit.id] = unit_domain(dom, unit, as_of, fixed.get(unit.id),
                                         held.get(unit.id))
    return dom
