"""Cheap checks before solving that prove a scenario cannot be planned, in planners' words.

- a unit with no day left (window, team formation, notice, excluded dates);
- a unit no group can visit (no lead, a required agency with no member outside the unit's own
  agency, too few members free on any possible day);
- a window (a span of working days) that must hold more visit days than the teams can make in it;
- a selection with fewer units that can be visited at all than it needs (H20-selection).

Every finding names the rule, the units, the members and the dates. Pure Python; no solver.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from models.calendar import format_vn
from models.groups import group_floor, team_leaders
from models.rules import RuleId, describe
from models.scenario import Scenario
from models.schedule import Assignment
from models.selection import resolved_selections
from models.timing import earliest_visit_date
from scheduler.problem.capacity import leads, members_week_days, weeks_of
from scheduler.problem.domains import (
    Domains,
    UnitDomain,
    build_domains,
    eligible_members,
    window_starts,
)


@dataclass(frozen=True)
class Finding:
    """One reason the plan cannot exist."""

    rule_id: str
    message: str
    unit_ids: tuple[str, ...] = ()
    member_ids: tuple[str, ...] = ()
    wording: str = ""  # the rule's wording with the scenario's numbers (set by ``precheck``)

    def render(self, lang: str = "en") -> str:
        wording = self.wording if self.wording and lang == "en" else describe(self.rule_id, lang)
        return f"[{self.rule_id}] {wording}:\n    {self.message}"


SHOWN_NAMES = 12  # a finding about thousands of units names a few and counts the rest


def _some_names(names: list[str]) -> str:
    shown = ", ".join(names[:SHOWN_NAMES])
    rest = len(names) - SHOWN_NAMES
    return f"{shown} and {rest} more" if rest > 0 else shown


def _d(dom: Domains, index: int) -> str:
    return format_vn(dom.cal.date_of(index))


def _unit_name(ud: UnitDomain) -> str:
    return f"{ud.unit.name} ({ud.unit.id})"


# --- a unit with no day ------------------------------------------------------------------------


def no_day_left(dom: Domains) -> list[Finding]:
    """Units whose window, once formation, notice and excluded dates are applied, is empty."""
    findings = []
    for ud in dom.units.values():
        if ud.all_starts or ud.unit.optional or ud.fixed is not None:
            continue
        findings.append(_why_no_day(dom, ud))
    return findings


def _why_no_day(dom: Domains, ud: UnitDomain) -> Finding:
    s, unit = dom.scenario, ud.unit
    first, last = s.binding_window(unit)
    window = f"window {unit.window.label()} ({format_vn(first)} – {format_vn(last)})"
    if s.fieldwork_end < last:
        window += f", field work ending {format_vn(s.fieldwork_end)} (campaign.fieldwork_ends)"
        last = s.fieldwork_end
    if unit.window.expected:  # only the campaign's days bind; a wider window would not help
        window = f"campaign ({format_vn(first)} – {format_vn(last)})"
    open_days = set()
    for t in ud.starts:
        open_days |= set(window_starts(dom.cal, s, unit, s.team(t), None, frozenset()))
    if unit.pinned_date is not None and open_days:
        allowed = f"{_d(dom, min(open_days))} – {_d(dom, max(open_days))}"
        return Finding(RuleId.H15_PINNED_TEAM, (
            f"{_unit_name(ud)} is pinned to {format_vn(unit.pinned_date)}, but its {window}, "
            f"the notice and its excluded dates allow only working days {allowed}; pin it to one "
            "of those days or remove the pin"), (unit.id,))
    if open_days:
        return Finding(RuleId.H14_EXCLUDED, (
            f"{_unit_name(ud)}: every day its {window} still allows "
            f"({len(open_days)} working day(s) from {_d(dom, min(open_days))}) is one of its "
            "excluded dates; shorten excluded_dates or widen the window"), (unit.id,))
    team = min((s.team(t) for t in ud.starts), key=lambda t: t.formed_on)
    earliest = earliest_visit_date(s, unit, team)
    rules = s.rules
    notice = rules.notice_lead_days + rules.report_deadline_days
    gap = (f", the first notice {rules.notice_after_formation_days} working days after the team is "
           "formed" if unit.form.value == "planned" and rules.notice_after_formation_days else "")
    return Finding(RuleId.H04_NOTICE if unit.form.value == "planned" else RuleId.H02_WINDOW, (
        f"{_unit_name(ud)}: its {window} leaves no working day for a visit of "
        f"{unit.duration} day(s) starting on or after {format_vn(earliest)} (team formed "
        f"{format_vn(team.formed_on)}) with {notice} working days for the announcement "
        f"and the report{gap}; widen the window, plan the visit as a surprise one, or shorten the "
        "notice"), (unit.id,))


# --- a unit no group can visit -----------------------------------------------------------------


def _group_problem(dom: Domains, ud: UnitDomain, team_id: str, start: int) -> str | None:
    """Why no valid group of ``team_id`` can visit on ``start`` (None: one can)."""
    s = dom.scenario
    free = [s.member(m) for m in ud.members[team_id]
            if start not in ud.forbidden.get(m, set())]
    if ud.unit.led_by_leader:
        leaders = {m.id for m in team_leaders(s, team_id)}
        if not any(m.id in leaders for m in free):
            return "the unit asks for the Trưởng đoàn himself, and he cannot go"
    if s.rules.lead_on_every_visit and not any(m.can_lead for m in free):
        return "no leader, deputy or sub-team lead of the team can go"
    for agency in ud.unit.required_agencies:
        if not any(m.agency == agency for m in free):
            return _missing_agency(dom, ud, team_id, agency)
    if len(free) < group_floor(s, ud.unit):
        return (f"only {len(free)} member(s) can go but a group needs "
                f"{group_floor(s, ud.unit)}")
    return None


def _missing_agency(dom: Domains, ud: UnitDomain, team_id: str, agency: str) -> str:
    s = dom.scenario
    name = s.agency_name(agency)
    of_team = [m for m in s.team_members(team_id) if m.agency == agency]
    if not of_team:
        return f"the team has no member from {name}, which the unit requires"
    if agency == ud.unit.agency and s.rules.conflict_of_interest:
        ids = ", ".join(m.id for m in of_team)
        return (f"the unit requires {name}, but its members ({ids}) may not inspect their own "
                "agency (conflict of interest)")
    return f"no member from {name} is available"


def no_group_possible(dom: Domains) -> list[Finding]:
    """Units that no eligible team can visit with a valid group on any possible day."""
    findings = []
    for ud in dom.units.values():
        if not ud.all_starts or ud.unit.optional or ud.fixed is not None:
            continue
        reasons: dict[str, str] = {}
        for team_id in ud.teams:
            reason = _no_group_on_any_day(dom, ud, team_id)
            if reason is None:
                break
            reasons[team_id] = reason
        else:
            findings.append(_group_finding(dom, ud, reasons))
    return findings


def _no_group_on_any_day(dom: Domains, ud: UnitDomain, team_id: str) -> str | None:
    """Why ``team_id`` can field no valid group on any of its days (its first day's reason);
    None as soon as one day can (a 1,000-unit campaign is checked in a fraction of a second)."""
    first: str | None = None
    for day in ud.starts[team_id]:
        problem = _group_problem(dom, ud, team_id, day)
        if problem is None:
            return None
        first = first or problem
    return first


def _group_finding(dom: Domains, ud: UnitDomain, reasons: Mapping[str, str]) -> Finding:
    s = dom.scenario
    text = "; ".join(f"{s.team(t).name}: {r}" for t, r in reasons.items())
    rule = RuleId.H06_LEAD
    if "Trưởng đoàn himself" in text:
        rule = RuleId.H18_LEADER_LEADS
    elif "conflict of interest" in text:
        rule = RuleId.H09_CONFLICT
    elif "requires" in text or "from " in text:
        rule = RuleId.H08_AGENCIES
    elif "a group needs" in text:
        rule = RuleId.H07_GROUP_SIZE
    members = tuple(sorted({m.id for t in reasons for m in s.team_members(t)}))
    return Finding(rule, f"{_unit_name(ud)} cannot be visited by any team: {text}",
                   (ud.unit.id,), members)


# --- a window too full -------------------------------------------------------------------------


def _span(ud: UnitDomain) -> tuple[int, int]:
    starts = ud.all_starts
    return starts[0], starts[-1] + ud.duration - 1


def _capacity(dom: Domains, first: int, last: int, team_ids: list[str]) -> int:
    """Visit days the teams can make between two days: sub-teams and leads' weekly limits
    (``scheduler.problem.capacity``; absences are left to the solver, as the finding says)."""
    s = dom.scenario
    weeks = weeks_of(range(first, last + 1), dom.week).values()
    total = 0
    for team_id in team_ids:
        cap = s.team(team_id).parallel_subteams * (last - first + 1)
        if s.rules.lead_on_every_visit:
            cap = min(cap, sum(members_week_days(leads(s, team_id), days) for days in weeks))
        total += cap
    return total


def window_overload(dom: Domains) -> list[Finding]:
    """A span of working days holding more visit days than the teams can make in it."""
    units = [ud for ud in dom.units.values() if ud.all_starts and not ud.unit.optional]
    spans = {ud.unit.id: _span(ud) for ud in units}
    firsts = sorted({a for a, _ in spans.values()})
    lasts = sorted({b for _, b in spans.values()})
    team_ids = [t.id for t in dom.scenario.teams]
    for first in firsts:
        for last in (b for b in lasts if b >= first):
            inside = [ud for ud in units if first <= spans[ud.unit.id][0]
                      and spans[ud.unit.id][1] <= last]
            need = sum(ud.duration for ud in inside)
            cap = _capacity(dom, first, last, team_ids)
            if need > cap:
                return [_overload_finding(dom, inside, first, last, need, cap)]
    return []


def _overload_finding(dom: Domains, inside: list[UnitDomain], first: int, last: int,
                      need: int, cap: int) -> Finding:
    names = _some_names([ud.unit.label for ud in inside])
    leads = tuple(m.id for m in dom.scenario.members if m.can_lead)
    return Finding(RuleId.H13_PARALLEL, (
        f"between {_d(dom, first)} and {_d(dom, last)} ({last - first + 1} working days) "
        f"{len(inside)} unit(s) need {need} visit day(s), but the teams can make at most {cap} "
        f"there (one visit a day per sub-team, and the leads' weekly limits): {names}; widen "
        "these windows, add sub-teams or leads, or make some units optional"),
        tuple(ud.unit.id for ud in inside), leads)


# --- a selection too few units can meet ---------------------------------------------------------


def _can_be_visited(dom: Domains, ud: UnitDomain) -> bool:
    """A kept visit, or some team and day with a valid group."""
    return ud.fixed is not None or any(
        _group_problem(dom, ud, t, d) is None for t in ud.teams for d in ud.starts[t])


def selection_short(dom: Domains) -> list[Finding]:
    """Selections whose units that can be visited at all (a day in the window, a group that may
    go) are fewer than the selection needs (H20-selection)."""
    findings = []
    for r in resolved_selections(dom.scenario):
        listed = Counter(r.unit_ids)
        able = {u for u in listed if u in dom.units and _can_be_visited(dom, dom.units[u])}
        n = sum(listed[u] for u in able)
        if n >= r.need:
            continue
        stuck = [u for u in listed if u not in able]
        names = _some_names([dom.units[u].unit.label if u in dom.units else u for u in stuck])
        findings.append(Finding(RuleId.H20_SELECTION, (
            f"selection {r.name} ({r.id}) needs {r.wording('en')} of its "
            f"units visited, but only {n} can be visited at all; no day in the window or no group "
            f"that may go for: {names}; widen those windows, add units to the selection or lower "
            "its at_least / at_least_percent"), tuple(stuck)))
    return findings


# --- entry point -------------------------------------------------------------------------------


def precheck(scenario: Scenario, as_of: date | None = None,
             fixed: Mapping[str, Assignment] | None = None,
             dom: Domains | None = None) -> list[Finding]:
    """Every reason found without solving that the scenario cannot be planned ([] = none)."""
    dom = dom or build_domains(scenario, as_of, fixed)
    findings = no_day_left(dom) + no_group_possible(dom) + selection_short(dom) or window_overload(dom)
    return [replace(f, wording=describe(f.rule_id, "en", scenario.rules)) for f in findings]


def members_named(scenario: Scenario, unit_id: str) -> list[str]:
    """Members who could visit a unit (used when explaining)."""
    unit = scenario.unit(unit_id)
    teams = [unit.team] if unit.team else [t.id for t in scenario.teams]
    return [m.id for t in teams for m in eligible_members(scenario, unit, t, frozenset())]
