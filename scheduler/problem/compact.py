"""What the CP-SAT model can leave out without losing a plan it could prefer (issue 17, item 1).

Two reductions, both read from the domains and proven below, shared by the model
(``scheduler.model.build``) and the size estimate (``scheduler.search.large``):

- **Start days no group can go on.** A visit of team t starting on d needs members of t who
  may go (not of the unit's agency, H09) and are there on every day it covers (H11): as many as
  the group floor (H07), a lead (H06), the Trưởng đoàn when the unit asks for him (H18), one of
  each required agency (H08). A start without them is in no feasible plan, so it is cut. (This
  covers a team's week with no capacity for the unit's floor or agencies: every start that
  week fails.)
- **Members whose choice is no choice.** Under the whole-team policy a member goes unless
  excused, at ``group_members`` per member-day (S12). Taking an excused member back onto a visit
  keeps every hard rule when the member is eligible, there on every start day of that team, and
  the member's weekly limit (H12) cannot bind: the team's visit-days in a week never exceed
  it (one visit a day, H13; each visit-day needs a lead, H06). It changes the price by at most,
  per visit-day: ``- group_members + member_balance`` (one member's load, S02) ``+ agency_spread``
  (one agency's busiest week, S05) ``+ leader_load`` (a Trưởng đoàn under a cap, S10). When that
  is never positive, some optimal plan takes the member whenever the team goes: the member's
  boolean is the team's (no variable of its own).

Both are off for the infeasibility explanation (rules switched off one at a time) and for
re-plans priced by change terms (an excused member may be what keeps the group unchanged).
Pure Python; no solver.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import cache

from models.groups import goes_as_whole_team, group_floor, team_leaders
from models.scenario import Member, Scenario
from scheduler.problem.capacity import calendar_weeks, leads, members_week_days
from scheduler.problem.domains import Domains, UnitDomain


def cut_domains(dom: Domains) -> Domains:
    """The domains without the start days no valid group can go on (kept visits untouched)."""
    if dom.skip:
        return dom
    closed = _ClosedDays(dom)
    units: dict[str, UnitDomain] = {}
    changed = False
    for uid, ud in dom.units.items():
        starts = ud.starts if ud.fixed or ud.held else {
            t: _open(days, closed(ud, t)) for t, days in ud.starts.items()}
        if starts != ud.starts:
            changed = True
            ud = replace(ud, starts=starts)
        units[uid] = ud
    return replace(dom, units=units) if changed else dom


def _open(days: list[int], closed: frozenset[int]) -> list[int]:
    return [d for d in days if d not in closed] if closed else days


class _ClosedDays:
    """The start days on which a team's members who may go (H09) and are there on every day of
    the visit (H11) cannot make a valid group: the floor (H07), a lead (H06), the Trưởng đoàn if
    asked for (H18), each required agency (H08). Worked out once per kind of unit."""

    def __init__(self, dom: Domains) -> None:
        self.dom = dom
        scenario = dom.scenario
        self.lead_rule = scenario.rules.lead_on_every_visit
        self.leaders = {m.id for t in scenario.teams for m in team_leaders(scenario, t.id)}
        self.closed = cache(self._closed)

    def __call__(self, ud: UnitDomain, team_id: str) -> frozenset[int]:
        unit = ud.unit
        return self.closed(tuple(ud.members[team_id]), unit.duration,
                           group_floor(self.dom.scenario, unit), tuple(unit.required_agencies),
                           unit.led_by_leader)

    def _closed(self, member_ids: tuple[str, ...], duration: int, floor: int,
                agencies: tuple[str, ...], led_by_leader: bool) -> frozenset[int]:
        members = [self.dom.scenario.member(m) for m in member_ids]
        away = {m.id: self.dom.unavailable.get(m.id, set()) for m in members}
        closed = set()
        for start in range(self.dom.cal.size):
            days = range(start, start + duration)
            there = [m for m in members if away[m.id].isdisjoint(days)]
            if not self._valid(there, floor, agencies, led_by_leader):
                closed.add(start)
        return frozenset(closed)

    def _valid(self, there: list[Member], floor: int, agencies: tuple[str, ...],
               led_by_leader: bool) -> bool:
        if len(there) < floor:
            return False
        if self.lead_rule and not any(m.can_lead for m in there):
            return False
        if led_by_leader and not any(m.id in self.leaders for m in there):
            return False
        return all(any(m.agency == g for m in there) for g in agencies)


# --- members tied to their team -----------------------------------------------------------------


def tied_members(dom: Domains) -> dict[str, dict[str, str]]:
    """Per unit, the members whose boolean is their team's (member id -> team id)."""
    if dom.skip:
        return {}
    scenario = dom.scenario
    most = {t.id: _most_team_days_a_week(dom, t.id) for t in scenario.teams}
    free_to_tie = {m.id for m in scenario.members if _never_worth_excusing(scenario, m, most[m.team])}
    tied: dict[str, dict[str, str]] = {}
    if not free_to_tie:
        return tied
    for uid, ud in dom.units.items():
        if ud.fixed is not None:
            continue
        ties = {m: t for t in ud.teams if goes_as_whole_team(scenario, ud.unit, scenario.team(t))
                for m in _always_there(ud, t, [m for m in ud.members[t] if m in free_to_tie])}
        if ties:
            tied[uid] = ties
    return tied


def _always_there(ud: UnitDomain, team_id: str, member_ids: Iterable[str]) -> list[str]:
    days = set(ud.starts[team_id])
    return [m for m in member_ids if not days & ud.forbidden.get(m, set())]


def _never_worth_excusing(scenario: Scenario, member: Member, team_days: int) -> bool:
    """The price bound of the module docstring, and a weekly limit that cannot bind."""
    if member.max_visits_per_week is not None and member.max_visits_per_week < team_days:
        return False
    w = scenario.weights
    gain = w.agency_spread
    if len(scenario.team_members(member.team)) > 1:
        gain += w.member_balance
    leaders = {m.id for m in team_leaders(scenario, member.team)}  # S10 counts them
    if scenario.rules.leader_days_per_week is not None and member.id in leaders:
        gain += w.leader_load
    return gain <= w.group_members


def _most_team_days_a_week(dom: Domains, team_id: str) -> int:
    """The most visit-days a one-visit-a-day team can make in any week: its working days, and
    (H06) the visit-days its leads can give that week."""
    scenario = dom.scenario
    lead_rule = scenario.rules.lead_on_every_visit
    most = 0
    for days in calendar_weeks(dom.cal).values():
        cap = len(days) * scenario.team(team_id).parallel_subteams
        if lead_rule:
            cap = min(cap, members_week_days(leads(scenario, team_id), days, dom.unavailable))
        most = max(most, cap)
    return most
