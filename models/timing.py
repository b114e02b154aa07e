"""Dates of a visit that every layer agrees on: its days, report deadline and announcement.

Shared by the scheduler (to cut domains), the checker (to re-verify) and the outputs (to print),
so that a report deadline means one thing everywhere. Pure functions over the calendar.
"""

from __future__ import annotations

from datetime import date

from models.calendar import WorkCalendar
from models.scenario import Form, Scenario, Team, Unit


def visit_days(cal: WorkCalendar, start: date, duration: int) -> list[date]:
    """The consecutive working days a visit of ``duration`` days starting on ``start`` covers."""
    days = [start]
    while len(days) < duration:
        days.append(cal.shift(days[-1], 1))
    return days


def report_due(cal: WorkCalendar, scenario: Scenario, unit: Unit, start: date) -> date | None:
    """The day the unit's report is due (the N-th working day before the visit), if planned."""
    if unit.form is Form.SURPRISE:
        return None
    return cal.report_deadline(start, scenario.rules.report_deadline_days)


def conclusion_due(cal: WorkCalendar, scenario: Scenario, last_day: date) -> date | None:
    """The team's conclusion is due ``rules.conclusion_days`` working days after the visit's last
    day (None when the scenario sets no such term)."""
    days = scenario.rules.conclusion_days
    return cal.shift(last_day, days) if days else None


def announce_by(cal: WorkCalendar, scenario: Scenario, unit: Unit, start: date) -> date | None:
    """Last day the visit may be announced so the unit has its notice lead before the report."""
    due = report_due(cal, scenario, unit, start)
    if due is None:
        return None
    return cal.shift(due, -scenario.rules.notice_lead_days) if scenario.rules.notice_lead_days else due


def exists_from(scenario: Scenario, unit: Unit) -> date:
    """First day the unit exists for the campaign: no visit, announcement or report deadline
    before it. Commune-level units (xã, phường, đặc khu) exist from ``rules.commune_level_from``
    (the 2025 rearrangement), any unit from its ``available_from``."""
    bounds = [scenario.campaign.horizon.start]
    if unit.available_from is not None:
        bounds.append(unit.available_from)
    if unit.kind.is_commune_level and scenario.rules.commune_level_from is not None:
        bounds.append(scenario.rules.commune_level_from)
    return max(bounds)


def earliest_visit_date(scenario: Scenario, unit: Unit, team: Team | None = None) -> date:
    """First calendar day a visit may take place, before any notice rule: the binding window
    opens (the horizon's start for an expected window) and the unit exists; with ``team``, also
    not before the team is formed."""
    first, _ = scenario.binding_window(unit)
    bounds = [first, exists_from(scenario, unit)]
    if team is not None:
        bounds.append(team.formed_on)
    return max(bounds)


def earliest_announcement(
    scenario: Scenario, team: Team, as_of: date | None = None, unit: Unit | None = None
) -> date:
    """No visit is announced before the plan is issued, the team is formed, (re-plan) today, or,
    given ``unit``, the unit exists (no report is asked of a commune that does not exist yet).

    Leave ``unit`` out only for an announcement already made: after a merger the successor's
    visit keeps the announcement its predecessor received.
    """
    bounds = [scenario.campaign.plan_date, team.formed_on]
    if as_of is not None:
        bounds.append(as_of)
    if unit is not None:
        bounds.append(exists_from(scenario, unit))
    return max(bounds)


def first_notice_date(cal: WorkCalendar, scenario: Scenario, team: Team) -> date:
    """H19-notice-formed: the first day the team may send a notice, the
    ``rules.notice_after_formation_days``-th working day after it is formed (the day of forming
    not counted, Civil Code Art. 147); the day it is formed when the rule is 0."""
    gap = scenario.rules.notice_after_formation_days
    return cal.shift(team.formed_on, gap) if gap else team.formed_on


def eligible_teams(scenario: Scenario, unit: Unit) -> list[Team]:
    """Teams that may visit the unit: its pinned team, or every team."""
    if unit.team is not None:
        return [scenario.team(unit.team)]
    return list(scenario.teams)


def earliest_start_index(
    cal: WorkCalendar, scenario: Scenario, unit: Unit, team: Team, as_of: date | None = None,
    formation_gap: bool = True,
) -> int:
    """First working-day index a visit of ``unit`` by ``team`` may start on.

    Combines the window, the day the unit exists, team formation and, for a planned visit, the
    announcement (not before the unit exists, nor, with ``formation_gap``, before the team's first
    notice day: H19) + notice lead + report deadline. Members and excluded dates are not
    considered. Returns ``cal.size`` when no day is left.
    """
    first = cal.index_on_or_after(earliest_visit_date(scenario, unit, team))
    if as_of is not None:
        first = max(first, cal.index_on_or_after(as_of))
    if unit.form is Form.PLANNED:
        announce = cal.index_on_or_after(earliest_announcement(scenario, team, as_of, unit))
        if formation_gap:
            announce = max(announce, cal.index_on_or_after(first_notice_date(cal, scenario, team)))
        rules = scenario.rules
        first = max(first, announce + rules.notice_lead_days + rules.report_deadline_days)
    return first


def latest_start_index(cal: WorkCalendar, scenario: Scenario, unit: Unit) -> int:
    """Last working-day index a visit may start on so that it ends inside the binding window
    (H02; the horizon for an expected window) (-1: none)."""
    return cal.index_on_or_before(scenario.latest_visit_date(unit)) - (unit.duration - 1)


def window_indices(cal: WorkCalendar, scenario: Scenario, unit: Unit) -> tuple[int, int]:
    """First and last working-day index of the window as written, binding or expected, ending by
    the end of field work. The calendar clamps a window reaching outside the horizon to its first or
    last working day."""
    first, last = scenario.window_bounds(unit)
    return cal.index_on_or_after(first), cal.index_on_or_before(min(last, scenario.fieldwork_end))


def latest_start_in_window(cal: WorkCalendar, scenario: Scenario, unit: Unit) -> int:
    """Last start index whose visit ends inside the window as written (for a binding window,
    ``latest_start_index``)."""
    return window_indices(cal, scenario, unit)[1] - (unit.duration - 1)


def baseline_start_index(cal: WorkCalendar, scenario: Scenario, unit: Unit) -> int:
    """Reference day of the 'visit early' soft rule: the earliest start over eligible teams, and
    not before the window as written opens, so that S03 never pulls a visit out of an expected
    window (a binding window's earliest start is inside it already)."""
    # A team enters the earliest start only through the day it was formed: one per such day.
    teams = {t.formed_on: t for t in eligible_teams(scenario, unit)}.values()
    first = min(earliest_start_index(cal, scenario, unit, t) for t in teams)
    return max(first, window_indices(cal, scenario, unit)[0])


def early_days(start: int, baseline: int) -> int:
    """S03-early for a visit starting on index ``start``: working days after the reference day;
    0 before it (outside an expected window, or a kept visit), never a reward."""
    return max(0, start - baseline)


def days_outside_window(cal: WorkCalendar, scenario: Scenario, unit: Unit, start: int) -> int:
    """S11-outside-window for a visit starting on index ``start``: working days from its start to
    the expected window's first working day, plus from the window's last working day to its
    last day. 0 inside, and for a binding window (H02 keeps the visit inside)."""
    if not unit.window.expected:
        return 0
    opens, closes = window_indices(cal, scenario, unit)
    end = start + unit.duration - 1
    return max(0, opens - start) + max(0, end - closes)
