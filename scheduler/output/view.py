"""A schedule joined with its scenario: what every output draws from.

Resolves ids to names, computes each visit's days and its sub-team lane, and checks that the
schedule and the scenario belong together. Cancelled visits are left out (they count nowhere).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from models.calendar import WorkCalendar
from models.messages import Worded
from models.scenario import Member, Role, Scenario, Team, Unit
from models.schedule import Assignment, Schedule, VisitState
from scheduler.messages import worded

ROLE_ORDER = {Role.LEADER: 0, Role.DEPUTY: 1, Role.SECRETARY: 2, Role.MEMBER: 3}


class OutputError(ValueError):
    """The schedule cannot be drawn with this scenario (it names what the scenario lacks)."""


@dataclass(frozen=True)
class Visit:
    """One non-cancelled assignment with everything resolved."""

    assignment: Assignment
    unit: Unit
    team: Team
    members: list[Member]  # lead first, then by role
    lead: Member
    days: list[date]
    lane: int = 0  # sub-team lane inside the team, 0-based

    @property
    def start(self) -> date:
        return self.assignment.start

    @property
    def end(self) -> date:
        return self.assignment.end

    @property
    def start_time(self) -> str | None:
        """"HH:MM" of a short visit along a route, if the schedule gives it."""
        return getattr(self.assignment, "start_time", None)

    @property
    def end_time(self) -> str | None:
        return getattr(self.assignment, "end_time", None)

    @property
    def route_key(self) -> tuple[str, date, date, str]:
        """Visits of one team on the same days under the same lead are one route, not sub-teams."""
        return self.team.id, self.start, self.end, self.lead.id


@dataclass
class PlanView:
    scenario: Scenario
    schedule: Schedule
    cal: WorkCalendar
    visits: list[Visit]
    lanes: dict[str, int] = field(default_factory=dict)  # team id -> number of lanes

    def team_visits(self, team_id: str) -> list[Visit]:
        return [v for v in self.visits if v.team.id == team_id]

    def member_visits(self, member_id: str) -> list[Visit]:
        return [v for v in self.visits if any(m.id == member_id for m in v.members)]

    def unit_name(self, unit_id: str) -> str:
        unit = next((u for u in self.scenario.units if u.id == unit_id), None)
        if unit is not None:
            return unit.name
        ref = next((u for u in self.schedule.units if u.id == unit_id), None)
        return ref.name if ref is not None else unit_id

    def cancelled(self) -> list[Assignment]:
        return [a for a in self.schedule.assignments if a.state is VisitState.CANCELLED]


def mismatches(scenario: Scenario, schedule: Schedule) -> list[Worded]:
    """What the schedule names that the scenario does not have (empty when they fit; English,
    each carrying its Vietnamese wording as ``.vi``).

    A cancelled visit of a unit that left the scenario (merged, split, removed) fits when the
    schedule still names the unit: re-plans keep such visits so calendars can withdraw them.
    """
    units = {u.id for u in scenario.units}
    teams = {t.id for t in scenario.teams}
    members = {m.id for m in scenario.members}
    retired = {u.id for u in schedule.units} - units  # merged, split or removed since
    problems = []
    for i, a in enumerate(schedule.assignments):
        where = f"assignments.{i} ({a.unit_id})"
        if a.state is VisitState.CANCELLED and a.unit_id in retired:
            continue  # a withdrawn visit of a unit that is gone: named from the schedule
        if a.unit_id not in units:
            problems.append(_at(where, worded("v.unknown_unit", id=a.unit_id)))
        if a.team_id not in teams:
            problems.append(_at(where, worded("v.unknown_team", id=a.team_id)))
        for m in [*a.member_ids, a.lead_id]:
            if m not in members:
                problems.append(_at(where, worded("v.unknown_member", id=m)))
    return problems


def _at(where: str, message: Worded) -> Worded:
    return Worded(f"{where}: {message}", f"{where}: {message.vi}")


def build_view(scenario: Scenario, schedule: Schedule) -> PlanView:
    """Join ``schedule`` with ``scenario``; OutputError if they do not belong together."""
    problems = mismatches(scenario, schedule)
    if problems:
        raise OutputError(
            "the schedule does not fit the scenario (give the scenario it was made for):\n  "
            + "\n  ".join(problems)
        )
    cal = scenario.work_calendar()
    active = [a for a in schedule.assignments if a.state is not VisitState.CANCELLED]
    visits = [_visit(scenario, cal, a) for a in active]
    visits.sort(key=lambda v: (v.start, v.team.id, v.start_time or "", v.unit.id))
    visits, lanes = _assign_lanes(scenario, visits)
    return PlanView(scenario, schedule, cal, visits, lanes)


def _visit(scenario: Scenario, cal: WorkCalendar, a: Assignment) -> Visit:
    members = [scenario.member(m) for m in dict.fromkeys(a.member_ids)]
    members.sort(key=lambda m: (m.id != a.lead_id, ROLE_ORDER[m.role], m.id))
    unit = scenario.unit(a.unit_id)
    # The days the schedule states; a broken schedule (start on a holiday) still gets drawn.
    days = cal.working_days_between(a.start, a.end) or [a.start]
    return Visit(a, unit, scenario.team(a.team_id), members, scenario.member(a.lead_id), days)


def _assign_lanes(scenario: Scenario, visits: list[Visit]) -> tuple[list[Visit], dict[str, int]]:
    """Interval partitioning per team: each visit goes to the first sub-team lane free that day.

    A visit on the route of an earlier one (same team, days and lead) joins that visit's lane:
    short visits one after another are one group travelling, not parallel sub-teams.
    """
    lane_ends: dict[str, list[date]] = defaultdict(list)
    route_lanes: dict[tuple[str, date, date, str], int] = {}
    placed = []
    for v in visits:
        ends = lane_ends[v.team.id]
        lane = route_lanes.get(v.route_key)
        if lane is None:
            lane = next((i for i, end in enumerate(ends) if end < v.start), len(ends))
            if lane == len(ends):
                ends.append(v.end)
            else:
                ends[lane] = v.end
            route_lanes[v.route_key] = lane
        placed.append(Visit(v.assignment, v.unit, v.team, v.members, v.lead, v.days, lane))
    lanes = {t.id: max(t.parallel_subteams, len(lane_ends[t.id]), 1) for t in scenario.teams}
    return placed, lanes


def missing_units(plan: PlanView, cancelled_reason: str,
                  with_cancelled: bool = True) -> list[tuple[str, str]]:
    """(unit name, reason) of every unit without a visit: listed unscheduled, cancelled (unless
    ``with_cancelled`` is False), or simply absent from the schedule (reason empty)."""
    scheduled = {v.unit.id for v in plan.visits}
    reasons = {u.unit_id: u.reason for u in plan.schedule.unscheduled}
    for a in plan.cancelled() if with_cancelled else []:
        reasons.setdefault(a.unit_id, cancelled_reason)
    for unit in plan.scenario.units:
        reasons.setdefault(unit.id, "")
    return [(plan.unit_name(uid), reason) for uid, reason in reasons.items()
            if uid not in scheduled]


def cancelled_units(plan: PlanView) -> list[str]:
    """Ids of the units whose visit was cancelled (merged, split, removed) and that have no
    other visit: counted apart from planned and unscheduled units."""
    scheduled = {v.unit.id for v in plan.visits}
    return sorted({a.unit_id for a in plan.cancelled()} - scheduled)


def solver_gap(objective: int | None, bound: int | None) -> float | None:
    """Relative gap between the plan and the proven bound (0 when optimal), if both are known."""
    if objective is None or bound is None:
        return None
    return abs(objective - bound) / max(1, abs(objective))
