"""A schedule's visits resolved against the scenario, as every price reads them (pure Python)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models.calendar import CalendarError, WorkCalendar
from models.scenario import Member, Scenario, Team, Unit
from models.schedule import Assignment, RoutePoint, Schedule, VisitState
from models.timing import visit_days

# A visit of an unknown unit is taken to run from start to end; beyond this it is plainly garbage.
MAX_UNKNOWN_SPAN_DAYS = 366


@dataclass
class PricedVisit:
    """One non-cancelled assignment with its scenario objects resolved (None when unknown)."""

    a: Assignment
    unit: Unit | None
    team: Team | None
    members: list[Member]  # the known members of the group, each once, in the file's order
    days: list[date]  # the visit's days (see ``visit_dates``)
    route_base: RoutePoint | None = None  # the base its stated route (``Schedule.routes``) names



def visit_dates(cal: WorkCalendar, a: Assignment, unit: Unit | None) -> list[date]:
    """The unit's duration from the start (contract), or start..end when the unit is unknown."""
    try:
        if unit is not None:
            return visit_days(cal, a.start, unit.duration)
        if a.start <= a.end and (a.end - a.start).days <= MAX_UNKNOWN_SPAN_DAYS:
            return cal.working_days_between(a.start, a.end) or [a.start]
    except CalendarError:
        pass
    return [a.start]


def priced_visits(scenario: Scenario, schedule: Schedule, cal: WorkCalendar) -> list[PricedVisit]:
    """The schedule's non-cancelled visits, resolved against the scenario."""
    units = {u.id: u for u in scenario.units}
    teams = {t.id: t for t in scenario.teams}
    members = {m.id: m for m in scenario.members}
    bases = {r.id: r.base for r in schedule.routes}
    found = []
    for a in schedule.assignments:
        if a.state is VisitState.CANCELLED:
            continue
        unit = units.get(a.unit_id)
        group = [members[m] for m in dict.fromkeys(a.member_ids) if m in members]
        found.append(PricedVisit(a, unit, teams.get(a.team_id), group, visit_dates(cal, a, unit),
                                 bases.get(a.route_id or "")))
    return found


