"""Capacity (scheduler.problem.capacity): member days in a week, a team's weekly capacity, the busiest
span of weeks, on the tiny scenario where every figure can be counted by hand."""

from __future__ import annotations

from conftest import make_scenario, tiny_scenario_data
from scheduler.problem.capacity import (
    away_days,
    busiest_span,
    calendar_weeks,
    leads,
    member_week_days,
    members_week_days,
    team_week_capacity,
)


def tiny_with(**member_changes: dict) -> tuple:
    data = tiny_scenario_data()
    for m in data["members"]:
        m.update(member_changes.get(m["id"], {}))
    scenario = make_scenario(data)
    cal = scenario.work_calendar()
    return scenario, cal, calendar_weeks(cal)


def test_weeks_group_the_horizon_by_monday_weeks() -> None:
    _, cal, weeks = tiny_with()
    first = weeks[cal.week_of(0)]
    assert [cal.date_of(i).isoformat() for i in first] == [
        "2025-06-02", "2025-06-03", "2025-06-04", "2025-06-05", "2025-06-06"]
    assert sum(map(len, weeks.values())) == cal.size


def test_member_days_count_absences_and_the_weekly_limit() -> None:
    scenario, cal, weeks = tiny_with(A2={"max_visits_per_week": 2, "unavailable": [
        {"from": "2025-06-02", "to": "2025-06-04"}]}, A3={"unavailable": ["2025-06-05"]})
    week = weeks[cal.week_of(0)]
    away = away_days(cal, scenario)
    a1, a2, a3 = scenario.team_members("D1")
    assert member_week_days(a1, week, away) == 5
    assert member_week_days(a2, week, away) == 2  # 2 days there, limit 2
    assert member_week_days(a2, week, away, weekly_limit=False) == 2
    assert member_week_days(a2, weeks[cal.week_of(5)], away) == 2  # 5 days there, limit 2
    assert member_week_days(a2, weeks[cal.week_of(5)], away, weekly_limit=False) == 5
    assert member_week_days(a3, week, away) == 4
    assert members_week_days([a1, a2, a3], week, away) == 11


def test_team_capacity_is_the_least_of_subteams_leads_group_size_and_agencies() -> None:
    scenario, cal, weeks = tiny_with(A1={"max_visits_per_week": 3})
    week = weeks[cal.week_of(0)]
    away = away_days(cal, scenario)
    assert [m.id for m in leads(scenario, "D1")] == ["A1"]
    # sub-team days 5; leads 3 (A1's limit); members 3 + 5 + 5 = 13 // group of 2 = 6
    assert team_week_capacity(scenario, "D1", week, away) == 3
    assert team_week_capacity(scenario, "D2", week, away) == 5
    # every visit needs STP: D2's one STP member gives 5 days
    assert team_week_capacity(scenario, "D2", week, away, ["STP"]) == 5
    assert team_week_capacity(scenario, "D2", week[:2], away, ["STP"]) == 2


def test_busiest_span_averages_the_forced_days_over_the_span() -> None:
    # 3 visit days forced into week 1 alone; with 4 more into weeks 1-2: ceil(7 / 2) = 4
    assert busiest_span([(1, 1, 3), (1, 2, 4)]) == 4
    assert busiest_span([(1, 1, 3), (2, 3, 1)]) == 3
    assert busiest_span([(1, 1, 3)], per_day=2) == 6
    assert busiest_span([]) == 0
