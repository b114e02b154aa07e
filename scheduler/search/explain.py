"""Why a scenario has no plan: the smallest set of units and rule families that clash.

First the cheap checks of ``scheduler.search.precheck``. If they find nothing, the feasibility model is
solved with one assumption per unit ("this unit is visited"); CP-SAT returns a set of units that
cannot all be visited, which a deletion filter shrinks to a minimal one. Then each rule family is
switched off in turn: those whose removal lets the units be planned are the ones in conflict.
The result names units, windows, teams and members in planners' words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

from models.calendar import WorkCalendar, format_vn
from models.rules import RuleId, describe
from models.scenario import Role, Scenario
from models.schedule import Assignment
from models.selection import Selection, resolve
from scheduler.model.build import build_model
from scheduler.problem.domains import RELAXABLE, Domains, build_domains
from scheduler.search.parameters import wall_cap_s
from scheduler.search.precheck import Finding, precheck
from scheduler.search.sigint import python_handles_sigint

# Rule families tried in this order; the most basic come last so the answer names the specific.
_FAMILY_ORDER = [
    RuleId.H12_WEEKLY, RuleId.H11_AVAILABLE, RuleId.H10_MEMBER_DAY, RuleId.H13_PARALLEL,
    RuleId.H08_AGENCIES, RuleId.H09_CONFLICT, RuleId.H18_LEADER_LEADS, RuleId.H06_LEAD,
    RuleId.H07_GROUP_SIZE, RuleId.H14_EXCLUDED, RuleId.H15_PINNED_TEAM, RuleId.H19_NOTICE_FORMED,
    RuleId.H04_NOTICE, RuleId.H03_TEAM_FORMED]


@dataclass
class Explanation:
    """What cannot hold together: pre-solve findings, or a minimal core of units and rules."""

    findings: list[Finding] = field(default_factory=list)
    unit_ids: list[str] = field(default_factory=list)
    rule_ids: list[str] = field(default_factory=list)
    member_ids: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # English
    lines_vi: list[str] = field(default_factory=list)
    proven: bool = True  # False: the solver ran out of time before a minimal set was proven

    def render(self, lang: str = "en") -> str:
        if self.findings:
            head = "Không thể lập kế hoạch:" if lang == "vi" else "The scenario cannot be planned:"
            return "\n".join([head, *("  " + f.render(lang) for f in self.findings)])
        return "\n".join(self.lines_vi if lang == "vi" and self.lines_vi else self.lines)


class _Oracle:
    """Answers 'can these units all be visited when these rule families are dropped?'."""

    def __init__(self, scenario: Scenario, as_of: date | None,
                 fixed: Mapping[str, Assignment] | None, time_limit_s: float) -> None:
        self.scenario, self.as_of, self.fixed = scenario, as_of, fixed
        self.time_limit_s = time_limit_s
        self.timed_out = False
        self.skip: frozenset[str] = frozenset()  # rule families left out of every question

    def solve(self, units: list[str], skip: frozenset[str] = frozenset(),
              scenario: Scenario | None = None) -> tuple[bool | None, list[str]]:
        """(feasible?, sufficient core of units when infeasible); None when undecided."""
        pm = build_model(scenario or self.scenario, self.as_of, self.fixed, skip=skip | self.skip,
                         explain=True)
        lits = [pm.assumptions[u] for u in units if u in pm.assumptions]
        pm.model.add_assumptions(lits)
        solver = cp_model.CpSolver()
        solver.parameters.max_deterministic_time = self.time_limit_s  # reproducible answers
        solver.parameters.max_time_in_seconds = wall_cap_s(self.time_limit_s)
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 0
        status = solver.solve(pm.model)
        python_handles_sigint()
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return True, []
        if status != cp_model.INFEASIBLE:
            self.timed_out = True
            return None, []
        by_index = {lit.index: u for u, lit in pm.assumptions.items()}
        core = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility()
                if i in by_index]
        return False, core or list(units)


def minimal_units(oracle: _Oracle, units: list[str]) -> list[str]:
    """Deletion filter: drop each unit whose removal leaves the rest still impossible."""
    feasible, core = oracle.solve(units)
    if feasible is not False:
        return []
    kept = list(core)
    for uid in list(kept):
        trial = [u for u in kept if u != uid]
        feasible, smaller = oracle.solve(trial)
        if feasible is False:
            kept = [u for u in trial if u in smaller] or trial
    return kept


def rules_in_conflict(oracle: _Oracle, units: list[str]) -> list[str]:
    """Rule families without which these units could all be visited."""
    needed: list[str] = []
    skip: frozenset[str] = frozenset()
    for family in _FAMILY_ORDER:
        if family not in RELAXABLE:
            continue
        feasible, _ = oracle.solve(units, skip | {family})
        if feasible:
            needed.append(family)
        else:
            skip = skip | {family}
    return [RuleId.H01_ONCE, RuleId.H02_WINDOW, *needed]


def agencies_in_conflict(oracle: _Oracle, units: list[str]) -> list[str]:
    """Required agencies without which these units could all be visited."""
    scenario = oracle.scenario
    required = sorted({g for u in units for g in scenario.unit(u).required_agencies})
    critical = []
    for agency in required:
        relaxed = scenario.model_copy(update={"units": [
            u.model_copy(update={"required_agencies": [g for g in u.required_agencies
                                                       if g != agency]})
            if u.id in units else u for u in scenario.units]})
        feasible, _ = oracle.solve(units, scenario=relaxed)
        if feasible:
            critical.append(agency)
    return critical


def _unit_line(scenario: Scenario, uid: str, dom_starts: list[int], cal: WorkCalendar,
               lang: str) -> str:
    unit = scenario.unit(uid)
    first, last = scenario.window_bounds(unit)  # as written; the start days show what binds
    vi = lang == "vi"
    expected = unit.window.expected  # the visit may leave it (S11), so say so
    teams = unit.team or ("mọi đoàn" if vi else "any team")
    span = (f"{format_vn(cal.date_of(dom_starts[0]))} – {format_vn(cal.date_of(dom_starts[-1]))}"
            if dom_starts else "")
    if vi:
        days = (f"có thể bắt đầu {span} ({len(dom_starts)} ngày làm việc)" if dom_starts
                else "không còn ngày nào có thể bắt đầu")
        when = "thời gian dự kiến" if expected else "thời gian"
        return (f"  - {unit.name} ({uid}): {when} {unit.window.label()} ({format_vn(first)} – "
                f"{format_vn(last)}), {unit.duration} ngày, {teams}; {days}")
    days = (f"possible start days {span} ({len(dom_starts)} working days)" if dom_starts
            else "no possible start day")
    when = "expected window" if expected else "window"
    return (f"  - {unit.name} ({uid}): {when} {unit.window.label()} "
            f"({format_vn(first)} – {format_vn(last)}), {unit.duration} day(s), {teams}; {days}")


def _members_involved(scenario: Scenario, rule_ids: list[str], unit_ids: list[str],
                      agencies: list[str]) -> list[str]:
    """Members the clash is about: of the critical agencies, else the leads, else the limited."""
    units = [scenario.unit(u) for u in unit_ids]
    team_ids = {u.team for u in units if u.team} or {t.id for t in scenario.teams}
    members = [m for m in scenario.members if m.team in team_ids]
    if RuleId.H08_AGENCIES in rule_ids and agencies:
        return [m.id for m in members if m.agency in agencies]
    if RuleId.H18_LEADER_LEADS in rule_ids:
        return [m.id for m in members if m.role is Role.LEADER]
    if RuleId.H06_LEAD in rule_ids:
        return [m.id for m in members if m.can_lead]
    if {RuleId.H11_AVAILABLE, RuleId.H12_WEEKLY} & set(rule_ids):
        return [m.id for m in members if m.unavailable or m.max_visits_per_week]
    return []


def explain_infeasible(scenario: Scenario, as_of: date | None = None,
                       fixed: Mapping[str, Assignment] | None = None,
                       time_limit_s: float = 10.0, prechecked: bool = False) -> Explanation:
    """Why no plan exists, in planners' words (pre-solve findings first, unless the caller
    already ran the pre-checks and they found nothing: ``prechecked``)."""
    findings = [] if prechecked else precheck(scenario, as_of, fixed)
    if findings:
        return Explanation(findings=findings)
    oracle = _Oracle(scenario, as_of, fixed, time_limit_s)
    required = [u.id for u in scenario.units if not u.optional or (fixed and u.id in fixed)]
    if scenario.selections:
        short = selections_in_conflict(oracle, required)
        if short:
            return _selection_explanation(scenario, short, not oracle.timed_out)
        oracle.skip = frozenset({RuleId.H20_SELECTION})  # the clash is among the units themselves
    units = minimal_units(oracle, required)
    if not units:
        return Explanation(proven=False, lines=[
            "No plan was found, but no clash could be proven in the time given; "
            "try a longer --time-limit."], lines_vi=[
            "Không tìm được kế hoạch, nhưng trong thời gian cho phép chưa chứng minh được xung "
            "đột nào; hãy tăng --time-limit."])
    rule_ids = rules_in_conflict(oracle, units)
    agencies = agencies_in_conflict(oracle, units) if RuleId.H08_AGENCIES in rule_ids else []
    members = _members_involved(scenario, rule_ids, units, agencies)
    dom = build_domains(scenario, as_of, fixed)
    found = _Found(units, rule_ids, agencies, members)
    lines = _lines(scenario, dom, found, "en")
    lines_vi = _lines(scenario, dom, found, "vi")
    return Explanation(unit_ids=units, rule_ids=rule_ids, member_ids=members, lines=lines,
                       lines_vi=lines_vi, proven=not oracle.timed_out)


def selections_in_conflict(oracle: _Oracle, required: list[str]) -> list[Selection]:
    """Selections that cannot be met with the required units all visited: those failing on
    their own, else all of them together ([] when the required units clash without them)."""
    scenario = oracle.scenario
    if oracle.solve(required, frozenset({RuleId.H20_SELECTION}))[0] is not True:
        return []
    alone = [s for s in scenario.selections
             if oracle.solve(required, scenario=scenario.model_copy(update={"selections": [s]}))[0]
             is False]
    return alone or list(scenario.selections)


def _selection_explanation(scenario: Scenario, short: list[Selection], proven: bool) -> Explanation:
    lines: dict[str, list[str]] = {}
    for lang in ("en", "vi"):
        vi = lang == "vi"
        lines[lang] = [
            "Các nhóm chọn mẫu sau không thể đạt được khi mọi đơn vị bắt buộc đều được kiểm tra:"
            if vi else "These selections cannot be met with every required unit visited:",
            f"  [{RuleId.H20_SELECTION}] {describe(RuleId.H20_SELECTION, lang, scenario.rules)}"]
        lines[lang] += [f"  - {r.name} ({r.id}): {r.wording(lang)}"
                        for s in short for r in resolve(s, scenario.units)]
        lines[lang].append(
            "Hãy giảm at_least / at_least_percent, thêm đơn vị vào nhóm, mở rộng thời gian của các "
            "đơn vị hoặc bổ sung thành viên rồi lập lại." if vi else "Lower at_least / "
            "at_least_percent, add units to the selection, widen their windows or add members, "
            "and solve again.")
    return Explanation(rule_ids=[RuleId.H20_SELECTION], lines=lines["en"], lines_vi=lines["vi"],
                       proven=proven)


@dataclass(frozen=True)
class _Found:
    units: list[str]
    rule_ids: list[str]
    agencies: list[str]
    members: list[str]


def _lines(scenario: Scenario, dom: Domains, found: _Found, lang: str) -> list[str]:
    """The explanation in planners' words, in ``lang``."""
    vi = lang == "vi"
    lines = [f"{len(found.units)} đơn vị sau không thể cùng được kiểm tra khi áp dụng đồng thời "
             "các quy tắc:" if vi else
             f"These {len(found.units)} unit(s) cannot all be visited under these rules together:"]
    lines += [f"  [{r}] {describe(r, lang, scenario.rules)}" for r in found.rule_ids]
    lines.append("Đơn vị:" if vi else "Units:")
    lines += [_unit_line(scenario, u, dom.units[u].all_starts, dom.cal, lang) for u in found.units]
    if found.agencies:
        lines.append(("Cơ quan cần có mặt nhưng không đủ người: " if vi else
                      "Agencies the units require and cannot get enough of: ") + ", ".join(
            scenario.agency_name(g) for g in found.agencies))
    if found.members:
        lines.append(("Thành viên liên quan: " if vi else "Members involved: ") + ", ".join(
            f"{scenario.member(m).label} ({m})" for m in found.members))
    lines.append("Hãy nới một trong các quy tắc này cho các đơn vị trên (mở rộng thời gian, thêm "
                 "thành viên, tăng giới hạn mỗi tuần, cho đơn vị là không bắt buộc) rồi lập lại."
                 if vi else "Relax one of these rules for these units (widen a window, add a "
                 "member, raise a weekly limit, make a unit optional) and solve again.")
    return lines
