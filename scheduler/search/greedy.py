"""A plan made the way a planner makes it by hand in Excel, in a fraction of a second.

Units are taken in window order (the window that closes first goes first), each on the earliest
day its team can go — or, when the plan keeps an even pace (``weights.pace`` > 0), the first day
from its place on the window's even line — inside an expected window first, then the nearest days
outside it; the
teams taking units in turn; the group is the least-busy lead (the Trưởng đoàn where the unit
asks for him), one member of each required agency, then the whole team that is free
(``group_policy: whole_team``) or the least-busy others up to the size. It is the starting point
(hint) of the CP-SAT search and the benchmark peer for 'what a person does'.
Pure Python; no solver.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from models.groups import goes_as_whole_team, group_floor, team_leaders
from models.scenario import Member, Role, Scenario
from models.schedule import Assignment, Schedule, SolverInfo, Unscheduled
from models.selection import Resolved, resolved_selections, sampled_ids, selections_met
from models.timing import days_outside_window
from scheduler.cost.price import plan_cost
from scheduler.problem.domains import Domains, UnitDomain, visit_indices
from scheduler.problem.pace import pace_groups
from scheduler.problem.schedule_build import make_assignment, schedule_skeleton


@dataclass
class _Load:
    """What is already booked: team visits per day, member days and weekly counts."""

    team_day: Counter[tuple[str, int]] = field(default_factory=Counter)
    member_days: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    member_week: Counter[tuple[str, int]] = field(default_factory=Counter)
    member_total: Counter[str] = field(default_factory=Counter)


@dataclass
class Visit:
    unit_id: str
    team_id: str
    start: int
    member_ids: list[str]
    lead_id: str


def _team_free(dom: Domains, load: _Load, team_id: str, days: range) -> bool:
    cap = dom.scenario.team(team_id).parallel_subteams
    return all(load.team_day[(team_id, d)] < cap for d in days)


def _member_free(dom: Domains, load: _Load, ud: UnitDomain, m: Member, start: int) -> bool:
    days = visit_indices(start, ud.duration)
    if start in ud.forbidden.get(m.id, set()) or load.member_days[m.id] & set(days):
        return False
    if m.max_visits_per_week is None:
        return True
    weeks = Counter(dom.week(d) for d in days)
    return all(load.member_week[(m.id, w)] + n <= m.max_visits_per_week for w, n in weeks.items())


def pick_group(dom: Domains, load: _Load, ud: UnitDomain, team_id: str, start: int
               ) -> list[Member] | None:
    """The lead (the Trưởng đoàn when the unit asks for him, else the least-busy lead), a member
    of each required agency, then the others: all who are free for a whole-team visit, up to
    the unit's or the minimum size otherwise (``models.groups``)."""
    scenario = dom.scenario
    free = [scenario.member(m) for m in ud.members[team_id]]
    free = [m for m in free if _member_free(dom, load, ud, m, start)]
    free.sort(key=lambda m: (load.member_total[m.id], m.id))
    group: list[Member] = []
    lead = _pick_lead(scenario, ud, team_id, _capped_leaders_last(dom, load, free, start))
    if lead is False:
        return None
    if lead is not None:
        group.append(lead)
    whole = goes_as_whole_team(scenario, ud.unit, scenario.team(team_id))
    if whole and lead is not None:
        # The whole team, but another lead only while it leaves him a day this week: the leads'
        # weekly days are what limits a team's visits (a planner then alternates leader and
        # deputy rather than spend both on one visit).
        free = [m for m in free if m is lead or not m.can_lead
                or _days_left(dom, load, m, start) > ud.duration]
        free.sort(key=lambda m: m.can_lead and m is not lead)
    for agency in ud.unit.required_agencies:
        if any(m.agency == agency for m in group):
            continue
        rep = next((m for m in free if m.agency == agency and m not in group), None)
        if rep is None:
            return None
        group.append(rep)
    size = len(free) if whole else group_floor(scenario, ud.unit)
    for m in free:
        if len(group) >= size:
            break
        if m not in group:
            group.append(m)
    fits = ud.unit.group_size in (None, len(group))
    return group if fits and len(group) >= max(1, group_floor(scenario, ud.unit)) else None


def _pick_lead(scenario: Scenario, ud: UnitDomain, team_id: str, free: list[Member]
               ) -> Member | Literal[False] | None:
    """H18 then H06: who leads (None: no lead needed; False: nobody free may lead)."""
    if ud.unit.led_by_leader:
        leaders = {m.id for m in team_leaders(scenario, team_id)}
        return next((m for m in free if m.id in leaders), False)
    if scenario.rules.lead_on_every_visit:
        return next((m for m in free if m.can_lead), False)
    return None


def _capped_leaders_last(dom: Domains, load: _Load, free: list[Member], start: int
                        ) -> list[Member]:
    """A Trưởng đoàn who already gives ``rules.leader_days_per_week`` days this week leads only
    when no one else can (S10-leader-load)."""
    cap = dom.scenario.rules.leader_days_per_week
    if cap is None or dom.scenario.weights.leader_load == 0:
        return free
    week = dom.week(start)
    return sorted(free, key=lambda m: m.role is Role.LEADER
                  and load.member_week[(m.id, week)] >= cap)


def _days_left(dom: Domains, load: _Load, m: Member, start: int) -> int:
    """Visit days the member still has in the week of ``start`` (many when unlimited)."""
    if m.max_visits_per_week is None:
        return 7
    return m.max_visits_per_week - load.member_week[(m.id, dom.week(start))]


def _book(dom: Domains, load: _Load, visit: Visit, duration: int) -> None:
    for d in visit_indices(visit.start, duration):
        load.team_day[(visit.team_id, d)] += 1
        for m in visit.member_ids:
            load.member_days[m].add(d)
            load.member_week[(m, dom.week(d))] += 1
    for m in visit.member_ids:
        load.member_total[m] += duration


def _lead_of(scenario: Scenario, group: list[Member]) -> str:
    order = {"leader": 0, "deputy": 1}
    leads = [m for m in group if m.can_lead] or group
    return min(leads, key=lambda m: (order.get(m.role.value, 2), m.id)).id


def _outside(dom: Domains, ud: UnitDomain, start: int) -> int:
    """S11's count for a start: 0 inside the window (always, for a binding window)."""
    return days_outside_window(dom.cal, dom.scenario, ud.unit, start)


def _tried_days(dom: Domains, ud: UnitDomain, team_id: str, target: int | None = None
                ) -> list[int]:
    """The team's start days in the order a planner tries them: inside the window, earliest
    first (from ``target`` on, then back from it, when the plan keeps an even pace); then, for
    an expected window, the days outside it by distance (the domain spans the horizon, and its
    first day would otherwise pull every visit to the campaign's start)."""
    starts = ud.starts.get(team_id, [])
    if not ud.unit.window.expected and target is None:
        return starts
    aim = target if target is not None else -1
    return sorted(starts, key=lambda d: (_outside(dom, ud, d), d < aim, abs(d - aim)))


def pace_targets(dom: Domains, todo: list[UnitDomain]) -> dict[str, int]:
    """Where a planner keeping an even pace (``weights.pace`` > 0, S09) aims each unit: the i-th
    of a window's n units, in window order, at (i + 1/2)/n of the window's span of days (a day route
    counts its units)."""
    if dom.scenario.weights.pace == 0:
        return {}
    rank = {ud.unit.id: i for i, ud in enumerate(todo)}
    targets: dict[str, int] = {}
    for group in pace_groups(dom.scenario, dom.cal):
        weeks = set(group.weeks)
        days = [d for d in range(dom.cal.size) if dom.week(d) in weeks]
        sizes = {u: n for u, n in group.stands_for.items() if u in rank}
        total, before = sum(sizes.values()), 0
        for unit_id in sorted(sizes, key=rank.__getitem__):
            # a composite visit (a day route) aims at the middle of the units it stands for
            middle = 2 * before + sizes[unit_id]
            targets[unit_id] = days[min(len(days) - 1, middle * len(days) // (2 * total))]
            before += sizes[unit_id]
    return targets


def _first_fit(dom: Domains, load: _Load, ud: UnitDomain, team_id: str,
               target: int | None = None) -> Visit | None:
    """The first day (``_tried_days``) ``team_id`` can visit the unit with a full group."""
    for start in _tried_days(dom, ud, team_id, target):
        if not _team_free(dom, load, team_id, visit_indices(start, ud.duration)):
            continue
        group = pick_group(dom, load, ud, team_id, start)
        if group is not None:
            ids = sorted(m.id for m in group)
            return Visit(ud.unit.id, team_id, start, ids, _lead_of(dom.scenario, group))
    return None


def place_unit(dom: Domains, load: _Load, ud: UnitDomain, teams: list[str],
               in_turn: bool = True, target: int | None = None) -> Visit | None:
    """In turn: the first team (in turn order) that can go, on its first tried day. Otherwise
    the team that can go earliest, fewest days outside an expected window first (ties: turn
    order)."""
    best: Visit | None = None
    for team_id in teams:
        visit = _first_fit(dom, load, ud, team_id, target)
        if visit is not None and in_turn:
            return visit
        if visit is not None and (best is None
                                  or _rank(dom, ud, visit, target) < _rank(dom, ud, best, target)):
            best = visit
    return best


def _rank(dom: Domains, ud: UnitDomain, visit: Visit, target: int | None = None
          ) -> tuple[int, bool, int]:
    aim = target if target is not None else -1
    return _outside(dom, ud, visit.start), visit.start < aim, abs(visit.start - aim)


def _window_order(dom: Domains, ud: UnitDomain) -> tuple[int, int, str]:
    """Window order: the last and first possible starts inside the window as written (an
    expected window's domain spans the horizon; a binding one's is all inside), else the
    domain's own ends."""
    starts = [d for d in ud.all_starts if _outside(dom, ud, d) == 0] or ud.all_starts
    if not starts:
        return -1, -1, ud.unit.id
    return starts[-1], starts[0], ud.unit.id


def _fixed_visit(ud: UnitDomain, dom: Domains) -> Visit:
    a = ud.fixed
    assert a is not None
    return Visit(a.unit_id, a.team_id, dom.cal.index(a.start), list(a.member_ids), a.lead_id)


def greedy_visits(dom: Domains, in_turn: bool = True) -> tuple[list[Visit], list[str]]:
    """Visits placed in window order with teams in turn (or earliest team first, for the
    solver's hint), and the units that found no place.

    The optional units selections sample (H20-selection) come after the others, highest
    priority first, each only while one of its selections is short; when that leaves a
    selection short, they go first instead (the planner books the sample before the rest)."""
    samples = Samples.of(dom)
    todo = [ud for ud in dom.units.values() if ud.fixed is None]
    todo.sort(key=lambda ud: _window_order(dom, ud))
    targets = pace_targets(dom, todo)
    rest = [ud for ud in todo if ud.unit.id not in samples.priority]
    chosen = sorted((ud for ud in todo if ud.unit.id in samples.priority),
                    key=lambda ud: (-samples.priority[ud.unit.id], _window_order(dom, ud)))
    visits, missing = _place_in_order(dom, [*rest, *chosen], samples, targets, in_turn)
    if samples.short({v.unit_id for v in visits}):
        first = _place_in_order(dom, [*chosen, *rest], samples, targets, in_turn)
        if not samples.short({v.unit_id for v in first[0]}) and _required(dom, first[1]) <= \
                _required(dom, missing):
            return first
    return visits, missing


def greedy_complete(dom: Domains, visits: list[Visit], missing: list[str]) -> bool:
    """Every required unit placed and every selection met: a plan, not a partial one."""
    return not any(not dom.units[u].unit.optional for u in missing) and selections_met(
        dom.scenario, {v.unit_id for v in visits})


@dataclass
class Samples:
    """The selections (over the domains' units: a route once per unit it visits) and, for each
    optional unit they sample, its priority per unit visited."""

    selections: list[Resolved]
    priority: dict[str, float]

    @classmethod
    def of(cls, dom: Domains) -> Samples:
        selections = resolved_selections(dom.scenario)
        listed = {u for r in selections for u in r.unit_ids}
        priority = {uid: ud.unit.priority / len(dom.route_units.get(uid, (uid,)))
                    for uid, ud in dom.units.items()
                    if uid in listed and ud.unit.optional and ud.fixed is None}
        return cls(selections, priority)

    def short(self, visited: set[str]) -> list[Resolved]:
        return [r for r in self.selections if r.count(visited) < r.need]

    def wanted(self, unit_id: str, visited: set[str]) -> bool:
        """A sampled unit is visited only while a selection counting it is short."""
        return unit_id not in self.priority or any(
            unit_id in r.unit_ids for r in self.short(visited))


def _required(dom: Domains, missing: list[str]) -> int:
    return sum(1 for u in missing if not dom.units[u].unit.optional)


def _place_in_order(dom: Domains, todo: list[UnitDomain], samples: Samples,
                    targets: Mapping[str, int], in_turn: bool) -> tuple[list[Visit], list[str]]:
    load = _Load()
    visits: list[Visit] = []
    missing: list[str] = []
    for ud in dom.units.values():
        if ud.fixed is not None:
            visits.append(_fixed_visit(ud, dom))
            _book(dom, load, visits[-1], ud.duration)
    team_ids = [t.id for t in dom.scenario.teams]
    turn = 0
    for ud in todo:
        if ud.unit.id in samples.priority and not samples.wanted(
                ud.unit.id, {v.unit_id for v in visits}):
            missing.append(ud.unit.id)
            continue
        order = team_ids[turn:] + team_ids[:turn]
        visit = place_unit(dom, load, ud, [t for t in order if t in ud.starts], in_turn,
                           targets.get(ud.unit.id))
        if visit is None:
            missing.append(ud.unit.id)
            continue
        visits.append(visit)
        _book(dom, load, visit, ud.duration)
        turn = (team_ids.index(visit.team_id) + 1) % len(team_ids)
    return visits, missing


def visits_to_schedule(dom: Domains, visits: list[Visit], missing: list[str],
                       info: SolverInfo, fixed: Mapping[str, Assignment] | None = None
                       ) -> Schedule:
    """A ``kiemtra.schedule/1`` with dates, report deadlines and objective terms filled in."""
    fixed = fixed or {}
    assignments = [
        fixed[v.unit_id] if v.unit_id in fixed else make_assignment(
            dom.scenario, dom.cal, v.unit_id, v.team_id, dom.cal.date_of(v.start),
            v.member_ids, v.lead_id)
        for v in visits
    ]
    unscheduled = [Unscheduled(unit_id=u, reason=_reason(dom, u)) for u in missing]
    schedule = schedule_skeleton(dom.scenario, assignments, info, unscheduled)
    cost = plan_cost(dom.scenario, schedule, dom.cal, route_travel=dom.route_travel)
    schedule.solver.objective_terms = cost.terms
    schedule.solver.objective = cost.objective
    return schedule


def _reason(dom: Domains, unit_id: str) -> str:
    if unit_id in sampled_ids(dom.scenario) and dom.scenario.unit(unit_id).optional:
        return "optional unit of a selection, not in its sample (H20-selection, S13-sample-priority)"
    if dom.scenario.unit(unit_id).optional:
        return "optional unit left unscheduled (S06-optional)"
    return "no team could take it on a free day with a full group"


def candidate_visits(dom: Domains, unit_id: str) -> list[Visit]:
    """Every (team, day) where one more unit fits beside the fixed visits, each with the group a
    planner would send (``pick_group``): the places ``kiemtra suggest`` ranks."""
    load = _Load()
    for ud in dom.units.values():
        if ud.fixed is not None:
            _book(dom, load, _fixed_visit(ud, dom), ud.duration)
    ud = dom.units[unit_id]
    found = []
    for team_id, starts in ud.starts.items():
        for start in starts:
            if not _team_free(dom, load, team_id, visit_indices(start, ud.duration)):
                continue
            group = pick_group(dom, load, ud, team_id, start)
            if group is not None:
                found.append(Visit(unit_id, team_id, start, [m.id for m in group],
                                   _lead_of(dom.scenario, group)))
    return found
