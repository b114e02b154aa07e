"""The checker's hard rules: one function per rule id, keyed by ``RuleId`` in ``RULE_CHECKS``.

Each function re-derives its rule from CONTRACTS.md and the scenario alone (no OR-Tools, no
solver module), so a bug in the model cannot hide behind the same bug here; each returns every
violation it finds, never stopping at the first. Cancelled assignments are ignored everywhere.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from models.calendar import CalendarError, WorkCalendar, format_vn
from models.rules import RuleId
from models.scenario import Form, Member, Scenario, Team, Unit, expand_dates
from models.schedule import RouteKey, Schedule, VisitState
from models.timing import earliest_announcement, earliest_visit_date
from scheduler.check.route_list import StatedRouteProblem, stated_route_problems
from scheduler.check.routes import (
    member_visit_key,
    visit_key,
)
from scheduler.cost.visits import PricedVisit, priced_visits
from scheduler.messages import worded
from scheduler.routing.points import Point
from scheduler.routing.reading import stated_bases


@dataclass(frozen=True)
class Violation:
    """One broken rule: which rule, and where (unit, member, day) when that applies."""

    rule_id: str
    unit_id: str | None
    member_id: str | None
    day: date | None
    message: str
    vi: str = ""  # the message in Vietnamese (the planner's default)

    def text(self, lang: str = "vi") -> str:
        return self.vi if lang != "en" and self.vi else self.message


@dataclass
class CheckContext:
    """What every check reads: the scenario by id, the calendar and the resolved visits."""

    scenario: Scenario
    cal: WorkCalendar
    as_of: date | None
    visits: list[PricedVisit]
    unscheduled: list[str]
    units: dict[str, Unit]
    teams: dict[str, Team]
    members: dict[str, Member]
    stated_routes: list[StatedRouteProblem] = field(default_factory=list)  # Schedule.routes vs its visits
    stated_bases: dict[RouteKey, Point] = field(default_factory=dict)  # where stated routes start


def check_context(scenario: Scenario, schedule: Schedule, as_of: date | None,
                  cal: WorkCalendar | None = None) -> CheckContext:
    cal = cal or scenario.work_calendar()
    return CheckContext(
        scenario=scenario,
        cal=cal,
        as_of=as_of,
        visits=priced_visits(scenario, schedule, cal),
        unscheduled=[u.unit_id for u in schedule.unscheduled],
        units={u.id: u for u in scenario.units},
        teams={t.id: t for t in scenario.teams},
        members={m.id: m for m in scenario.members},
        stated_routes=stated_route_problems(scenario, schedule),
        stated_bases=stated_bases(schedule),
    )


def _week(cal: WorkCalendar, day: date) -> int:
    """Week number of a visit day; days H02 rejects still count, in the same Monday-based weeks."""
    return cal.week_of_date(day)


def _v(rule_id: str, visit: PricedVisit | None, message: str, *, member: str | None = None,
       day: date | None = None, unit: str | None = None) -> Violation:
    """A violation; ``message`` is English, or a ``Worded`` text that carries its Vietnamese."""
    unit_id = unit if unit is not None else (visit.a.unit_id if visit else None)
    return Violation(rule_id, unit_id, member, day, str(message), getattr(message, "vi", ""))



# --- hard rules -------------------------------------------------------------------------------


def check_once(ctx: CheckContext) -> list[Violation]:
    """H01-once: every unit is visited exactly once, by one team (no duplicates); an optional
    unit at most once; an assignment names only units, teams and members of the scenario."""
    found: list[Violation] = []
    for v in ctx.visits:
        found += _unknown_names(ctx, v)
    count = Counter(v.a.unit_id for v in ctx.visits)
    for unit in ctx.scenario.units:
        n = count.get(unit.id, 0)
        if n == 0 and not unit.optional:
            found.append(_v(RuleId.H01_ONCE, None, worded("v.never_visited", unit=unit.label), unit=unit.id))
        elif n > 1:
            found.append(_v(RuleId.H01_ONCE, None, worded("v.visited_n", unit=unit.label, n=n), unit=unit.id))
    for unit_id in ctx.unscheduled:
        if count.get(unit_id, 0) or unit_id not in ctx.units:
            found.append(_v(RuleId.H01_ONCE, None, worded("v.unscheduled_wrong", unit=unit_id), unit=unit_id))
    return found


def _unknown_names(ctx: CheckContext, v: PricedVisit) -> list[Violation]:
    a = v.a
    found = []
    if v.unit is None:
        found.append(_v(RuleId.H01_ONCE, v, worded("v.unknown_unit", id=a.unit_id)))
    if v.team is None:
        found.append(_v(RuleId.H01_ONCE, v, worded("v.unknown_team", id=a.team_id)))
    named = [*dict.fromkeys(a.member_ids)]
    if a.lead_id not in named:
        named.append(a.lead_id)
    for m in named:
        if m not in ctx.members:
            found.append(_v(RuleId.H01_ONCE, v, worded("v.unknown_member", id=m), member=m))
    return found


def check_window(ctx: CheckContext) -> list[Violation]:
    """H02-window: a visit falls on working days inside the unit's window (the horizon when the
    window is only expected: S11 prices the days outside it), after it is available (and, for
    communes and wards, after the rearrangement); its end is its last visit day."""
    found: list[Violation] = []
    for v in ctx.visits:
        for d in v.days:
            if not ctx.cal.is_working_day(d):
                found.append(_v(RuleId.H02_WINDOW, v, worded("v.not_working_day", day=format_vn(d)), day=d))
        if v.unit is None:
            continue
        # Without the team-formation bound: that one is H03.
        first = earliest_visit_date(ctx.scenario, v.unit)
        last = ctx.scenario.latest_visit_date(v.unit)
        if v.a.start < first:
            found.append(_v(RuleId.H02_WINDOW, v, worded("v.before_earliest", start=format_vn(v.a.start),
                                   first=format_vn(first)), day=v.a.start))
        if v.days[-1] > last:
            key = "v.after_fieldwork" if last == ctx.scenario.campaign.fieldwork_ends else _closes(v.unit)
            found.append(_v(RuleId.H02_WINDOW, v, worded(key, day=format_vn(v.days[-1]),
                                   last=format_vn(last)), day=v.days[-1]))
        if ctx.as_of is not None and v.a.state is VisitState.PLANNED and v.a.start < ctx.as_of:
            found.append(_v(RuleId.H02_WINDOW, v, worded("v.before_as_of", start=format_vn(v.a.start),
                                   as_of=format_vn(ctx.as_of)), day=v.a.start))
        if v.a.end != v.days[-1]:
            found.append(_v(RuleId.H02_WINDOW, v, worded(
                "v.end_mismatch", end=format_vn(v.a.end), n=v.unit.duration,
                start=format_vn(v.a.start), last=format_vn(v.days[-1])), day=v.a.end))
    return found


def _closes(unit: Unit) -> str:
    """What ends a unit's days: its window, or for an expected window the campaign."""
    return "v.after_campaign" if unit.window.expected else "v.after_window"


def check_team_formed(ctx: CheckContext) -> list[Violation]:
    """H03-team-formed: no visit before the decision forming the team."""
    return [
        _v(RuleId.H03_TEAM_FORMED, v, worded("v.before_formed", start=format_vn(v.a.start), team=v.team.id,
                  formed=format_vn(v.team.formed_on)), day=v.a.start)
        for v in ctx.visits
        if v.team is not None and v.a.start < v.team.formed_on
    ]


def check_notice(ctx: CheckContext) -> list[Violation]:
    """H04-notice: a planned visit is announced in time for the unit to send its report 5 working
    days before the visit (report deadline and announcement day as the rules compute them); a
    surprise visit has neither."""
    found: list[Violation] = []
    for v in ctx.visits:
        form = v.unit.form if v.unit is not None else v.a.form
        if v.a.form is not form:
            found.append(_v(RuleId.H04_NOTICE, v, worded("v.form", form=v.a.form, unit_form=form)))
        if form is Form.SURPRISE:
            found += _surprise_dates(v)
        else:
            found += _planned_dates(ctx, v)
    return found


def _surprise_dates(v: PricedVisit) -> list[Violation]:
    if v.a.report_due is None and v.a.announce_by is None:
        return []
    return [_v(RuleId.H04_NOTICE, v, worded("v.surprise_dates"))]


def _planned_dates(ctx: CheckContext, v: PricedVisit) -> list[Violation]:
    rules = ctx.scenario.rules
    try:
        due = ctx.cal.report_deadline(v.a.start, rules.report_deadline_days)
        announce = ctx.cal.shift(due, -rules.notice_lead_days) if rules.notice_lead_days else due
    except CalendarError as exc:
        return [_v(RuleId.H04_NOTICE, v, worded("v.no_deadline", why=exc))]
    found = []
    if v.a.report_due != due:
        found.append(_v(RuleId.H04_NOTICE, v, worded("v.due_wrong", got=_vn(v.a.report_due),
                                                     want=format_vn(due)), day=v.a.report_due))
    if v.a.announce_by != announce:
        found.append(_v(RuleId.H04_NOTICE, v, worded("v.announce_wrong", got=_vn(v.a.announce_by),
                               want=format_vn(announce)), day=v.a.announce_by))
    if v.team is not None:
        # An announced or done visit was announced already (after a merger: to a predecessor).
        to_announce = v.a.state is VisitState.PLANNED
        as_of = ctx.as_of if to_announce else None
        unit = v.unit if to_announce else None
        earliest = earliest_announcement(ctx.scenario, v.team, as_of, unit)
        if announce < earliest:
            found.append(_v(RuleId.H04_NOTICE, v, worded("v.announce_late", announce=format_vn(announce),
                                   earliest=format_vn(earliest)),
                            day=announce))
    return found


def _vn(day: date | None) -> str:
    return format_vn(day) if day is not None else "—"


def check_group_team(ctx: CheckContext) -> list[Violation]:
    """H05-group-team: the visiting group comes from the unit's team, each member once, and the
    lead is one of the group."""
    found: list[Violation] = []
    for v in ctx.visits:
        for m in v.members:
            if v.team is not None and m.team != v.team.id:
                found.append(_v(RuleId.H05_GROUP_TEAM, v, worded("v.other_team", member=m.label, team=m.team,
                                       visit_team=v.team.id), member=m.id))
        for member_id, n in Counter(v.a.member_ids).items():
            if n > 1:
                found.append(_v(RuleId.H05_GROUP_TEAM, v, worded("v.listed_n", member=member_id, n=n),
                                member=member_id))
        if v.a.lead_id not in v.a.member_ids:
            found.append(_v(RuleId.H05_GROUP_TEAM, v, worded("v.lead_outside", lead=v.a.lead_id),
                            member=v.a.lead_id))
    return found


def check_lead(ctx: CheckContext) -> list[Violation]:
    """H06-lead: every visit is led by the team leader, the deputy or a named sub-team lead."""
    if not ctx.scenario.rules.lead_on_every_visit:
        return []
    found = []
    for v in ctx.visits:
        lead = ctx.members.get(v.a.lead_id)
        if lead is not None and not lead.can_lead:
            found.append(_v(RuleId.H06_LEAD, v, worded("v.may_not_lead", lead=lead.label, role=lead.role),
                            member=lead.id))
    return found


def check_agencies(ctx: CheckContext) -> list[Violation]:
    """H08-agencies: the group has a member from every agency the unit requires."""
    found = []
    for v in ctx.visits:
        if v.unit is None:
            continue
        present = {m.agency for m in v.members}
        for agency in v.unit.required_agencies:
            if agency not in present:
                found.append(_v(RuleId.H08_AGENCIES, v, worded("v.no_agency",
                                       name=ctx.scenario.agency_name(agency), id=agency)))
    return found


def check_conflict(ctx: CheckContext) -> list[Violation]:
    """H09-conflict: no member comes from the inspected unit's own agency."""
    if not ctx.scenario.rules.conflict_of_interest:
        return []
    return [
        _v(RuleId.H09_CONFLICT, v, worded("v.conflict", member=m.label,
                                          agency=ctx.scenario.agency_name(m.agency)), member=m.id)
        for v in ctx.visits
        if v.unit is not None and v.unit.agency is not None
        for m in v.members
        if m.agency == v.unit.agency
    ]


def _member_days(ctx: CheckContext) -> dict[str, list[tuple[date, PricedVisit]]]:
    """For each member, every (visit day, visit) they are on."""
    days: dict[str, list[tuple[date, PricedVisit]]] = defaultdict(list)
    for v in ctx.visits:
        for m in v.members:
            days[m.id] += [(d, v) for d in v.days]
    return days


def check_member_day(ctx: CheckContext) -> list[Violation]:
    """H10-member-day: a member is on at most one visit a day."""
    found = []
    for member_id, pairs in _member_days(ctx).items():
        units_on: dict[date, list[str]] = defaultdict(list)
        keys_on: dict[date, set[object]] = defaultdict(set)  # timed visits: one route, H17's matter
        for d, v in pairs:
            units_on[d].append(v.a.unit_id)
            keys_on[d].add(member_visit_key(v.a))
        for d, units in sorted(units_on.items()):
            if len(keys_on[d]) > 1:
                found.append(_v(RuleId.H10_MEMBER_DAY, None,
                                worded("v.same_day", n=len(units), units=", ".join(units)),
                                member=member_id, day=d, unit=units[1]))
    return found


def check_available(ctx: CheckContext) -> list[Violation]:
    """H11-available: a member is never sent on a day they are unavailable."""
    found = []
    for member_id, pairs in _member_days(ctx).items():
        away = expand_dates(ctx.members[member_id].unavailable)
        found += [
            _v(RuleId.H11_AVAILABLE, v, worded("v.unavailable"), member=member_id, day=d)
            for d, v in pairs
            if d in away
        ]
    return found


def check_weekly(ctx: CheckContext) -> list[Violation]:
    """H12-weekly: a member stays within their weekly limit of visit days."""
    found = []
    for member_id, pairs in _member_days(ctx).items():
        limit = ctx.members[member_id].max_visits_per_week
        if limit is None:
            continue
        per_week: dict[int, set[date]] = defaultdict(set)
        for d, _ in pairs:  # visit days: two visits on one day (an H10 matter) are one day
            per_week[_week(ctx.cal, d)].add(d)
        for days in per_week.values():
            if len(days) > limit:
                first = min(days)
                found.append(_v(RuleId.H12_WEEKLY, None, worded(
                    "v.weekly", n=len(days), week=format_vn(first), limit=limit),
                    member=member_id, day=first))
    return found


def check_parallel(ctx: CheckContext) -> list[Violation]:
    """H13-parallel: a team runs at most its number of parallel sub-teams on a day."""
    running: dict[tuple[str, date], list[str]] = defaultdict(list)
    subteams: dict[tuple[str, date], set[object]] = defaultdict(set)  # one route is one sub-team
    for v in ctx.visits:
        if v.team is not None:
            for d in v.days:
                running[(v.team.id, d)].append(v.a.unit_id)
                subteams[(v.team.id, d)].add(visit_key(v.a))
    found = []
    for (team_id, d), units in sorted(running.items()):
        cap = ctx.teams[team_id].parallel_subteams
        if len(subteams[(team_id, d)]) > cap:
            found.append(_v(RuleId.H13_PARALLEL, None, worded("v.parallel", team=team_id, n=len(units),
                                   units=", ".join(units), cap=cap), day=d, unit=units[-1]))
    return found


def check_excluded(ctx: CheckContext) -> list[Violation]:
    """H14-excluded: no visit on a date the unit asked to avoid."""
    found = []
    for v in ctx.visits:
        if v.unit is None or not v.unit.excluded_dates:
            continue
        excluded = expand_dates(v.unit.excluded_dates)
        found += [_v(RuleId.H14_EXCLUDED, v, worded("v.excluded"), day=d)
                  for d in v.days if d in excluded]
    return found


def check_pinned_team(ctx: CheckContext) -> list[Violation]:
    """H15-pinned-team: a unit pinned to a team (or a date) is visited by that team (that day)."""
    found = []
    for v in ctx.visits:
        if v.unit is None:
            continue
        if v.unit.team is not None and v.a.team_id != v.unit.team:
            found.append(_v(RuleId.H15_PINNED_TEAM, v, worded("v.pinned_team", team=v.a.team_id,
                                                              pinned=v.unit.team)))
        if v.unit.pinned_date is not None and v.a.start != v.unit.pinned_date:
            found.append(_v(RuleId.H15_PINNED_TEAM, v, worded("v.pinned_date", start=format_vn(v.a.start),
                                   pinned=format_vn(v.unit.pinned_date)), day=v.a.start))
    return found


# H07 and H18 (who goes) are in ``scheduler.check.groups``, H16 and H17 (day routes) in
# ``scheduler.check.route_rules``; ``scheduler.check.checker`` joins the three tables.
RULE_CHECKS: dict[RuleId, Callable[[CheckContext], list[Violation]]] = {
    RuleId.H01_ONCE: check_once,
    RuleId.H02_WINDOW: check_window,
    RuleId.H03_TEAM_FORMED: check_team_formed,
    RuleId.H04_NOTICE: check_notice,
    RuleId.H05_GROUP_TEAM: check_group_team,
    RuleId.H06_LEAD: check_lead,
    RuleId.H08_AGENCIES: check_agencies,
    RuleId.H09_CONFLICT: check_conflict,
    RuleId.H10_MEMBER_DAY: check_member_day,
    RuleId.H11_AVAILABLE: check_available,
    RuleId.H12_WEEKLY: check_weekly,
    RuleId.H13_PARALLEL: check_parallel,
    RuleId.H14_EXCLUDED: check_excluded,
    RuleId.H15_PINNED_TEAM: check_pinned_team,
}
