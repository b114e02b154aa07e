"""The solution checker: re-verifies every rule of a schedule from the schedule and scenario alone.

It knows nothing of the solver (no OR-Tools, no solver module): the rules are re-derived from
CONTRACTS.md, one function per rule id, so a bug in the model cannot hide behind the same bug
here. Every violation is collected (never stop at the first), and garbage in a schedule file
(unknown ids, a start on a holiday, an end that does not match the duration, dates outside the
horizon) becomes a violation, never an exception. Cancelled assignments are ignored everywhere.

The objective is recomputed term by term (S01-S06) with the same integer arithmetic the solver
uses; for a schedule that breaks hard rules it is indicative only.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from models.calendar import CalendarError, WorkCalendar, format_vn
from models.rules import describe
from models.scenario import Form, Member, Scenario, Team, Unit, expand_dates
from models.schedule import Assignment, Schedule, VisitState
from models.timing import (
    baseline_start_index,
    earliest_announcement,
    earliest_visit_date,
    visit_days,
)
from scheduler.schedule_build import scenario_sha256

# A visit of an unknown unit is taken to run from start to end; beyond this it is plainly garbage.
_MAX_UNKNOWN_SPAN_DAYS = 366


@dataclass(frozen=True)
class Violation:
    """One broken rule: which rule, and where (unit, member, day) when that applies."""

    rule_id: str
    unit_id: str | None
    member_id: str | None
    day: date | None
    message: str


@dataclass
class CheckReport:
    """Every violation found, and the recomputed objective with its soft-rule terms."""

    violations: list[Violation] = field(default_factory=list)
    objective: int = 0
    terms: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.violations

    def by_rule(self) -> dict[str, list[Violation]]:
        grouped: dict[str, list[Violation]] = defaultdict(list)
        for v in self.violations:
            grouped[v.rule_id].append(v)
        return dict(grouped)


@dataclass
class _Visit:
    """One non-cancelled assignment with its scenario objects resolved (None when unknown)."""

    a: Assignment
    unit: Unit | None
    team: Team | None
    members: list[Member]  # the known members of the group, each once, in the file's order
    days: list[date]  # the visit's days (see _visit_days)


@dataclass
class _Context:
    scenario: Scenario
    cal: WorkCalendar
    as_of: date | None
    visits: list[_Visit]
    unscheduled: list[str]
    units: dict[str, Unit]
    teams: dict[str, Team]
    members: dict[str, Member]


# --- building the context ----------------------------------------------------------------------


def _visit_days(cal: WorkCalendar, a: Assignment, unit: Unit | None) -> list[date]:
    """The unit's duration from the start (contract), or start..end when the unit is unknown."""
    try:
        if unit is not None:
            return visit_days(cal, a.start, unit.duration)
        if a.start <= a.end and (a.end - a.start).days <= _MAX_UNKNOWN_SPAN_DAYS:
            return cal.working_days_between(a.start, a.end) or [a.start]
    except CalendarError:
        pass
    return [a.start]


def _context(scenario: Scenario, schedule: Schedule, as_of: date | None) -> _Context:
    ctx = _Context(
        scenario=scenario,
        cal=scenario.work_calendar(),
        as_of=as_of,
        visits=[],
        unscheduled=[u.unit_id for u in schedule.unscheduled],
        units={u.id: u for u in scenario.units},
        teams={t.id: t for t in scenario.teams},
        members={m.id: m for m in scenario.members},
    )
    active = [a for a in schedule.assignments if a.state is not VisitState.CANCELLED]
    ctx.visits = [_resolve(ctx, a) for a in active]
    return ctx


def _resolve(ctx: _Context, a: Assignment) -> _Visit:
    unit = ctx.units.get(a.unit_id)
    group = [ctx.members[m] for m in dict.fromkeys(a.member_ids) if m in ctx.members]
    return _Visit(a, unit, ctx.teams.get(a.team_id), group, _visit_days(ctx.cal, a, unit))


def _week(cal: WorkCalendar, day: date) -> int:
    """Week number of a visit day; days H02 rejects still count, in the same Monday-based weeks."""
    return cal.week_of_date(day)


def _v(rule_id: str, visit: _Visit | None, message: str, *, member: str | None = None,
       day: date | None = None, unit: str | None = None) -> Violation:
    unit_id = unit if unit is not None else (visit.a.unit_id if visit else None)
    return Violation(rule_id, unit_id, member, day, message)


# --- hard rules -------------------------------------------------------------------------------


def check_once(ctx: _Context) -> list[Violation]:
    """H01-once: every unit is visited exactly once, by one team (no duplicates); an optional
    unit at most once; an assignment names only units, teams and members of the scenario."""
    found: list[Violation] = []
    for v in ctx.visits:
        found += _unknown_names(ctx, v)
    count = Counter(v.a.unit_id for v in ctx.visits)
    for unit in ctx.scenario.units:
        n = count.get(unit.id, 0)
        if n == 0 and not unit.optional:
            found.append(_v("H01-once", None, f"{unit.label} is never visited", unit=unit.id))
        elif n > 1:
            found.append(_v("H01-once", None, f"{unit.label} is visited {n} times", unit=unit.id))
    for unit_id in ctx.unscheduled:
        if count.get(unit_id, 0) or unit_id not in ctx.units:
            found.append(_v("H01-once", None, f"'{unit_id}' is listed as unscheduled but is "
                            "visited or is not a unit of the scenario", unit=unit_id))
    return found


def _unknown_names(ctx: _Context, v: _Visit) -> list[Violation]:
    a = v.a
    found = []
    if v.unit is None:
        found.append(_v("H01-once", v, f"unit '{a.unit_id}' is not in the scenario"))
    if v.team is None:
        found.append(_v("H01-once", v, f"team '{a.team_id}' is not in the scenario"))
    named = [*dict.fromkeys(a.member_ids)]
    if a.lead_id not in named:
        named.append(a.lead_id)
    for m in named:
        if m not in ctx.members:
            found.append(_v("H01-once", v, f"member '{m}' is not in the scenario", member=m))
    return found


def check_window(ctx: _Context) -> list[Violation]:
    """H02-window: a visit falls on working days inside the unit's window, after it is available
    (and, for communes and wards, after the rearrangement); its end is its last visit day."""
    found: list[Violation] = []
    for v in ctx.visits:
        for d in v.days:
            if not ctx.cal.is_working_day(d):
                found.append(_v("H02-window", v, f"{format_vn(d)} is not a working day", day=d))
        if v.unit is None:
            continue
        # Without the team-formation bound: that one is H03.
        first = earliest_visit_date(ctx.scenario, v.unit)
        last = ctx.scenario.latest_visit_date(v.unit)
        if v.a.start < first:
            found.append(_v("H02-window", v, f"starts {format_vn(v.a.start)}, before the "
                            f"earliest visit date {format_vn(first)}", day=v.a.start))
        if v.days[-1] > last:
            found.append(_v("H02-window", v, f"last visit day {format_vn(v.days[-1])} is after "
                            f"the window closes {format_vn(last)}", day=v.days[-1]))
        if ctx.as_of is not None and v.a.state is VisitState.PLANNED and v.a.start < ctx.as_of:
            found.append(_v("H02-window", v, f"a visit still to plan starts {format_vn(v.a.start)}, "
                            f"before the re-plan date {format_vn(ctx.as_of)}", day=v.a.start))
        if v.a.end != v.days[-1]:
            found.append(_v("H02-window", v, f"end {format_vn(v.a.end)} does not match a "
                            f"{v.unit.duration}-day visit from {format_vn(v.a.start)} (ends "
                            f"{format_vn(v.days[-1])})", day=v.a.end))
    return found


def check_team_formed(ctx: _Context) -> list[Violation]:
    """H03-team-formed: no visit before the decision forming the team."""
    return [
        _v("H03-team-formed", v, f"starts {format_vn(v.a.start)}, before {v.team.id} was formed "
           f"on {format_vn(v.team.formed_on)}", day=v.a.start)
        for v in ctx.visits
        if v.team is not None and v.a.start < v.team.formed_on
    ]


def check_notice(ctx: _Context) -> list[Violation]:
    """H04-notice: a planned visit is announced in time for the unit to send its report 5 working
    days before the visit (report deadline and announcement day as the rules compute them); a
    surprise visit has neither."""
    found: list[Violation] = []
    for v in ctx.visits:
        form = v.unit.form if v.unit is not None else v.a.form
        if v.a.form is not form:
            found.append(_v("H04-notice", v, f"form is '{v.a.form}' but the unit is '{form}'"))
        if form is Form.SURPRISE:
            found += _surprise_dates(v)
        else:
            found += _planned_dates(ctx, v)
    return found


def _surprise_dates(v: _Visit) -> list[Violation]:
    if v.a.report_due is None and v.a.announce_by is None:
        return []
    return [_v("H04-notice", v, "a surprise visit has no report deadline nor announcement day")]


def _planned_dates(ctx: _Context, v: _Visit) -> list[Violation]:
    rules = ctx.scenario.rules
    try:
        due = ctx.cal.report_deadline(v.a.start, rules.report_deadline_days)
        announce = ctx.cal.shift(due, -rules.notice_lead_days) if rules.notice_lead_days else due
    except CalendarError as exc:
        return [_v("H04-notice", v, f"no report deadline can be computed: {exc}")]
    found = []
    if v.a.report_due != due:
        found.append(_v("H04-notice", v, f"report due {_vn(v.a.report_due)}, should be "
                        f"{format_vn(due)}", day=v.a.report_due))
    if v.a.announce_by != announce:
        found.append(_v("H04-notice", v, f"announce by {_vn(v.a.announce_by)}, should be "
                        f"{format_vn(announce)}", day=v.a.announce_by))
    if v.team is not None:
        # An announced or done visit was announced already (after a merger: to a predecessor).
        to_announce = v.a.state is VisitState.PLANNED
        as_of = ctx.as_of if to_announce else None
        unit = v.unit if to_announce else None
        earliest = earliest_announcement(ctx.scenario, v.team, as_of, unit)
        if announce < earliest:
            found.append(_v("H04-notice", v, f"must be announced by {format_vn(announce)}, but "
                            f"no announcement is possible before {format_vn(earliest)}",
                            day=announce))
    return found


def _vn(day: date | None) -> str:
    return format_vn(day) if day is not None else "(none)"


def check_group_team(ctx: _Context) -> list[Violation]:
    """H05-group-team: the visiting group comes from the unit's team, each member once, and the
    lead is one of the group."""
    found: list[Violation] = []
    for v in ctx.visits:
        for m in v.members:
            if v.team is not None and m.team != v.team.id:
                found.append(_v("H05-group-team", v, f"{m.label} belongs to {m.team}, not "
                                f"{v.team.id}", member=m.id))
        for m, n in Counter(v.a.member_ids).items():
            if n > 1:
                found.append(_v("H05-group-team", v, f"{m} is listed {n} times", member=m))
        if v.a.lead_id not in v.a.member_ids:
            found.append(_v("H05-group-team", v, f"the lead {v.a.lead_id} is not in the group",
                            member=v.a.lead_id))
    return found


def check_lead(ctx: _Context) -> list[Violation]:
    """H06-lead: every visit is led by the team leader, the deputy or a named sub-team lead."""
    if not ctx.scenario.rules.lead_on_every_visit:
        return []
    found = []
    for v in ctx.visits:
        lead = ctx.members.get(v.a.lead_id)
        if lead is not None and not lead.can_lead:
            found.append(_v("H06-lead", v, f"{lead.label} ({lead.role}) may not lead a visit",
                            member=lead.id))
    return found


def check_group_size(ctx: _Context) -> list[Violation]:
    """H07-group-size: the visiting group has at least the minimum number of members."""
    need = ctx.scenario.rules.min_group_size
    return [
        _v("H07-group-size", v, f"{len(v.a.member_ids)} member(s), at least {need} needed")
        for v in ctx.visits
        if len(v.a.member_ids) < need
    ]


def check_agencies(ctx: _Context) -> list[Violation]:
    """H08-agencies: the group has a member from every agency the unit requires."""
    found = []
    for v in ctx.visits:
        if v.unit is None:
            continue
        present = {m.agency for m in v.members}
        for agency in v.unit.required_agencies:
            if agency not in present:
                found.append(_v("H08-agencies", v, f"no member from "
                                f"{ctx.scenario.agency_name(agency)} ({agency})"))
    return found


def check_conflict(ctx: _Context) -> list[Violation]:
    """H09-conflict: no member comes from the inspected unit's own agency."""
    if not ctx.scenario.rules.conflict_of_interest:
        return []
    return [
        _v("H09-conflict", v, f"{m.label} comes from {ctx.scenario.agency_name(m.agency)}, "
           "the inspected unit's own agency", member=m.id)
        for v in ctx.visits
        if v.unit is not None and v.unit.agency is not None
        for m in v.members
        if m.agency == v.unit.agency
    ]


def _member_days(ctx: _Context) -> dict[str, list[tuple[date, _Visit]]]:
    """For each member, every (visit day, visit) they are on."""
    days: dict[str, list[tuple[date, _Visit]]] = defaultdict(list)
    for v in ctx.visits:
        for m in v.members:
            days[m.id] += [(d, v) for d in v.days]
    return days


def check_member_day(ctx: _Context) -> list[Violation]:
    """H10-member-day: a member is on at most one visit a day."""
    found = []
    for member_id, pairs in _member_days(ctx).items():
        units_on: dict[date, list[str]] = defaultdict(list)
        for d, v in pairs:
            units_on[d].append(v.a.unit_id)
        for d, units in sorted(units_on.items()):
            if len(units) > 1:
                found.append(_v("H10-member-day", None, f"on {len(units)} visits the same day: "
                                f"{', '.join(units)}", member=member_id, day=d, unit=units[1]))
    return found


def check_available(ctx: _Context) -> list[Violation]:
    """H11-available: a member is never sent on a day they are unavailable."""
    found = []
    for member_id, pairs in _member_days(ctx).items():
        away = expand_dates(ctx.members[member_id].unavailable)
        found += [
            _v("H11-available", v, "the member is unavailable that day", member=member_id, day=d)
            for d, v in pairs
            if d in away
        ]
    return found


def check_weekly(ctx: _Context) -> list[Violation]:
    """H12-weekly: a member stays within their weekly limit of visit days."""
    found = []
    for member_id, pairs in _member_days(ctx).items():
        limit = ctx.members[member_id].max_visits_per_week
        if limit is None:
            continue
        per_week: dict[int, list[date]] = defaultdict(list)
        for d, _ in pairs:
            per_week[_week(ctx.cal, d)].append(d)
        for days in per_week.values():
            if len(days) > limit:
                first = min(days)
                found.append(_v("H12-weekly", None, f"{len(days)} visit days in the week of "
                                f"{format_vn(first)}, limit {limit}", member=member_id, day=first))
    return found


def check_parallel(ctx: _Context) -> list[Violation]:
    """H13-parallel: a team runs at most its number of parallel sub-teams on a day."""
    running: dict[tuple[str, date], list[str]] = defaultdict(list)
    for v in ctx.visits:
        if v.team is not None:
            for d in v.days:
                running[(v.team.id, d)].append(v.a.unit_id)
    found = []
    for (team_id, d), units in sorted(running.items()):
        cap = ctx.teams[team_id].parallel_subteams
        if len(units) > cap:
            found.append(_v("H13-parallel", None, f"{team_id} runs {len(units)} visits "
                            f"({', '.join(units)}), at most {cap}", day=d, unit=units[-1]))
    return found


def check_excluded(ctx: _Context) -> list[Violation]:
    """H14-excluded: no visit on a date the unit asked to avoid."""
    found = []
    for v in ctx.visits:
        if v.unit is None or not v.unit.excluded_dates:
            continue
        excluded = expand_dates(v.unit.excluded_dates)
        found += [_v("H14-excluded", v, "the unit excluded this date", day=d)
                  for d in v.days if d in excluded]
    return found


def check_pinned_team(ctx: _Context) -> list[Violation]:
    """H15-pinned-team: a unit pinned to a team is visited by that team."""
    return [
        _v("H15-pinned-team", v, f"visited by {v.a.team_id}, but the unit is pinned to "
           f"{v.unit.team}")
        for v in ctx.visits
        if v.unit is not None and v.unit.team is not None and v.a.team_id != v.unit.team
    ]


HARD_CHECKS: dict[str, Callable[[_Context], list[Violation]]] = {
    "H01-once": check_once,
    "H02-window": check_window,
    "H03-team-formed": check_team_formed,
    "H04-notice": check_notice,
    "H05-group-team": check_group_team,
    "H06-lead": check_lead,
    "H07-group-size": check_group_size,
    "H08-agencies": check_agencies,
    "H09-conflict": check_conflict,
    "H10-member-day": check_member_day,
    "H11-available": check_available,
    "H12-weekly": check_weekly,
    "H13-parallel": check_parallel,
    "H14-excluded": check_excluded,
    "H15-pinned-team": check_pinned_team,
}


# --- soft rules (each returns its weighted term) -------------------------------------------------


def _spread(values: Iterable[int]) -> int:
    values = list(values)
    return max(values) - min(values) if values else 0


def team_balance(ctx: _Context) -> int:
    """S01-team-balance: balance visit days between the teams (max - min team load)."""
    load = Counter({t.id: 0 for t in ctx.scenario.teams})
    for v in ctx.visits:
        if v.team is not None:
            load[v.team.id] += len(v.days)
    return ctx.scenario.weights.team_balance * _spread(load.values())


def member_balance(ctx: _Context) -> int:
    """S02-member-balance: balance visit days between the members of each team."""
    load = Counter({m.id: 0 for m in ctx.scenario.members})
    for v in ctx.visits:
        for m in v.members:
            load[m.id] += len(v.days)
    total = 0
    for team in ctx.scenario.teams:
        team_loads = [load[m.id] for m in ctx.scenario.team_members(team.id)]
        if len(team_loads) >= 2:
            total += _spread(team_loads)
    return ctx.scenario.weights.member_balance * total


def early(ctx: _Context) -> int:
    """S03-early: visit early in the window (working days after the earliest possible start).

    A start that is not a working day of the horizon (an H02 violation) counts from the next one.
    """
    total = 0
    for v in ctx.visits:
        if v.unit is None:
            continue
        start = ctx.cal.index_on_or_after(v.a.start)
        total += start - baseline_start_index(ctx.cal, ctx.scenario, v.unit)
    return ctx.scenario.weights.early * total


def preferred(ctx: _Context) -> int:
    """S04-preferred: honour the unit's preferred dates (count of visits starting elsewhere)."""
    missed = sum(
        1
        for v in ctx.visits
        if v.unit is not None
        and v.unit.preferred_dates
        and v.a.start not in expand_dates(v.unit.preferred_dates)
    )
    return ctx.scenario.weights.preferred_dates * missed


def agency_spread(ctx: _Context) -> int:
    """S05-agency-spread: spread each agency's draw on its members over the weeks (sum over
    agencies of the busiest week's member-days)."""
    draw: Counter[tuple[str, int]] = Counter()
    for v in ctx.visits:
        for m in v.members:
            for d in v.days:
                draw[(m.agency, _week(ctx.cal, d))] += 1
    peak: dict[str, int] = defaultdict(int)
    for (agency, _), n in draw.items():
        peak[agency] = max(peak[agency], n)
    return ctx.scenario.weights.agency_spread * sum(peak.values())


def optional_left(ctx: _Context) -> int:
    """S06-optional: an optional unit left unscheduled."""
    visited = {v.a.unit_id for v in ctx.visits}
    left = sum(1 for u in ctx.scenario.units if u.optional and u.id not in visited)
    return ctx.scenario.weights.unscheduled_optional * left


SOFT_TERMS: dict[str, Callable[[_Context], int]] = {
    "S01-team-balance": team_balance,
    "S02-member-balance": member_balance,
    "S03-early": early,
    "S04-preferred": preferred,
    "S05-agency-spread": agency_spread,
    "S06-optional": optional_left,
}


# --- entry point ------------------------------------------------------------------------------


def check_schedule(scenario: Scenario, schedule: Schedule, as_of: date | None = None) -> CheckReport:
    """Every violation of H01-H15 and the recomputed objective (S01-S06) of ``schedule``.

    ``as_of`` is the re-plan date: visits still in state planned may not be announced before it.
    """
    ctx = _context(scenario, schedule, as_of)
    violations = [v for check in HARD_CHECKS.values() for v in check(ctx)]
    terms = {rule_id: term(ctx) for rule_id, term in SOFT_TERMS.items()}
    return CheckReport(violations=violations, objective=sum(terms.values()), terms=terms)


# --- the report as planners read it (printed by `kiemtra check`) ---------------------------------


def format_report(
    scenario: Scenario, schedule: Schedule, report: CheckReport, lang: str = "vi"
) -> str:
    """Violations grouped by rule (with the rule's wording), then the objective term by term."""
    lines = [f"{scenario.campaign.name}: {len(schedule.assignments)} assignment(s) checked"]
    if schedule.scenario.sha256 != scenario_sha256(scenario):
        lines.append("warning: the schedule was made for another version of this scenario "
                     "(sha256 differs)")
    lines.append("")
    lines += _violation_lines(scenario, report, lang) if report.violations else [
        "OK: no rule is broken."]
    lines.append("")
    lines += _objective_lines(schedule, report, lang)
    return "\n".join(lines)


def _violation_lines(scenario: Scenario, report: CheckReport, lang: str) -> list[str]:
    grouped = report.by_rule()
    lines = [f"{len(report.violations)} violation(s) of {len(grouped)} rule(s):"]
    labels = {u.id: u.label for u in scenario.units}
    for rule_id, found in grouped.items():
        lines.append(f"{rule_id}: {describe(rule_id, lang)}")
        for v in found:
            where = [f"unit {v.unit_id} ({labels[v.unit_id]})" if v.unit_id in labels
                     else f"unit {v.unit_id}" if v.unit_id else "",
                     f"member {v.member_id}" if v.member_id else "",
                     format_vn(v.day) if v.day else ""]
            lines.append(f"  - {' · '.join(w for w in where if w)}: {v.message}")
    return lines


def _objective_lines(schedule: Schedule, report: CheckReport, lang: str) -> list[str]:
    claimed = schedule.solver.objective_terms
    lines = [f"objective (recomputed): {report.objective}"]
    for rule_id, value in report.terms.items():
        note = ""
        if rule_id in claimed and claimed[rule_id] != value:
            note = f"  (the schedule says {claimed[rule_id]})"
        lines.append(f"  {rule_id:<20} {value:>8}  {describe(rule_id, lang)}{note}")
    said = schedule.solver.objective
    if said is not None:
        verdict = "matches" if said == report.objective else f"differs by {said - report.objective}"
        lines.append(f"the schedule says objective {said}: {verdict}")
    return lines
