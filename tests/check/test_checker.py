"""The solution checker on hand-made schedules: a valid one, then one deliberate break per rule id.

No solver is involved: schedules are written by hand with ``make_assignment``. Each break asserts
that exactly the broken rule id is reported, so a rule cannot hide behind another; each soft rule
has a penalised / not penalised pair whose term is computed by hand in the test.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from typing import Any

import pytest

from conftest import ROOT, make_scenario, tiny_scenario_data
from models.rules import HARD_RULES, RULES, RuleId
from models.scenario import Scenario
from models.schedule import Assignment, Schedule, SolverInfo, Status, VisitState
from scheduler.check.checker import CheckReport, Violation, check_schedule
from scheduler.problem.schedule_build import make_assignment, scenario_sha256, schedule_skeleton

# A row of a hand-made plan: team, start, group, lead (optionally a state).
Row = tuple[Any, ...]
D = date.fromisoformat


def build(scenario: Scenario, plan: dict[str, Row | None]) -> Schedule:
    """A schedule from {unit_id: (team, "YYYY-MM-DD", [members], lead[, state])}; None drops."""
    cal = scenario.work_calendar()
    assignments = [
        make_assignment(scenario, cal, unit_id, row[0], D(row[1]), row[2], row[3], *row[4:])
        for unit_id, row in plan.items()
        if row is not None
    ]
    return schedule_skeleton(scenario, assignments, SolverInfo(status=Status.FEASIBLE))


def with_assignments(schedule: Schedule, assignments: list[Assignment]) -> Schedule:
    return schedule.model_copy(update={"assignments": assignments})


def patch(schedule: Schedule, unit_id: str, **fields: Any) -> Schedule:
    """The schedule with raw fields of one unit's assignment overwritten (no recomputation)."""
    return with_assignments(schedule, [
        a.model_copy(update=fields) if a.unit_id == unit_id else a for a in schedule.assignments
    ])


def rule_ids(report: CheckReport) -> set[str]:
    return {v.rule_id for v in report.violations}


# --- the tiny scenario of conftest (2 teams x 3 members, 3 one-day units) ----------------------

TINY_PLAN: dict[str, Row | None] = {
    "U1": ("D1", "2025-06-09", ["A1", "A2"], "A1"),
    "U2": ("D2", "2025-06-09", ["B1", "B2"], "B1"),
    "U3": ("D1", "2025-06-10", ["A1", "A3"], "A1"),
}


@pytest.fixture
def tiny_schedule(tiny: Scenario) -> Schedule:
    return build(tiny, TINY_PLAN)


def test_tiny_valid_schedule_is_clean(tiny: Scenario, tiny_schedule: Schedule) -> None:
    report = check_schedule(tiny, tiny_schedule)
    assert report.violations == []
    assert report.ok


def test_tiny_objective_by_hand(tiny: Scenario, tiny_schedule: Schedule) -> None:
    # The tiny scenario's weights 20/5/1/10/2/1000.
    # Earliest start: announce 02/06 (index 0) + 0 lead + 5 = 09/06.
    # S01: D1 2 days, D2 1 -> 20 * 1. S02: D1 A1 2, A2 1, A3 1 -> 1; D2 B1 1, B2 1, B3 0 -> 1;
    # 5 * 2. S03: U3 one day after its baseline -> 1. S05: one week; SNV (A1 x2, B2) 3,
    # SKHCN (A2, B1) 2, STP (A3) 1 -> 2 * 6.
    report = check_schedule(tiny, tiny_schedule)
    assert report.terms == {
        RuleId.S01_TEAM_BALANCE: 20, RuleId.S02_MEMBER_BALANCE: 10, RuleId.S03_EARLY: 1,
        RuleId.S04_PREFERRED: 0, RuleId.S05_AGENCY_SPREAD: 12, RuleId.S06_OPTIONAL: 0,
        RuleId.S07_TRAVEL: 0, RuleId.S08_TEAM_DAYS: 0, RuleId.S09_PACE: 0,  # weights 0 here
        RuleId.S10_LEADER_LOAD: 0, RuleId.S11_OUTSIDE_WINDOW: 0, RuleId.S12_GROUP_MEMBERS: 0,
        RuleId.S13_SAMPLE_PRIORITY: 0,
        RuleId.S14_OVERNIGHT: 0,
    }
    assert report.objective == 43


def test_tiny_breaks_collected_together(tiny: Scenario, tiny_schedule: Schedule) -> None:
    broken = patch(tiny_schedule, "U1", member_ids=["A1", "B3"])  # B3 is of team D2
    broken = patch(broken, "U2", lead_id="B2", member_ids=["B2"])  # not a lead; group of 1
    report = check_schedule(tiny, broken)
    assert rule_ids(report) == {RuleId.H05_GROUP_TEAM, RuleId.H06_LEAD, RuleId.H07_GROUP_SIZE}


def test_tiny_parallel_visits_of_one_team(tiny: Scenario) -> None:
    plan = {**TINY_PLAN, "U3": ("D1", "2025-06-09", ["A3", "A2"], "A3")}
    data = tiny_scenario_data()
    data["members"][2]["can_lead_subteam"] = True
    scenario = make_scenario(data)
    report = check_schedule(scenario, build(scenario, plan))
    assert rule_ids(report) == {RuleId.H10_MEMBER_DAY, RuleId.H13_PARALLEL}  # A2 on two visits, 1 sub-team


# --- a richer tiny scenario: multi-day, surprise, weekly limits, preferences, optional units -----


def rich_data() -> dict[str, Any]:
    data = tiny_scenario_data()
    data["calendar"] = {"days_off": ["2025-06-27"]}
    data["rules"] = {"report_deadline_days": 5, "notice_lead_days": 2, "min_group_size": 2,
                     "commune_level_from": "2025-07-01", "group_policy": "minimum",
                     "notice_after_formation_days": 1}
    data["teams"] = [  # D1's first notice day is 02/06, D2's 10/06 (H19)
        {"id": "D1", "name": "Đoàn 1", "formed_on": "2025-05-30", "parallel_subteams": 2},
        {"id": "D2", "name": "Đoàn 2", "formed_on": "2025-06-09"},
    ]
    data["members"] = [
        {"id": "A1", "label": "Trưởng đoàn 1", "agency": "SNV", "team": "D1", "role": "leader",
         "max_visits_per_week": 2},
        {"id": "A2", "label": "Thư ký 1", "agency": "SKHCN", "team": "D1", "role": "secretary"},
        {"id": "A3", "label": "Tổ trưởng 1", "agency": "STP", "team": "D1",
         "can_lead_subteam": True},
        {"id": "A4", "label": "Thành viên 1", "agency": "SKHCN", "team": "D1"},
        {"id": "B1", "label": "Trưởng đoàn 2", "agency": "SKHCN", "team": "D2", "role": "leader"},
        {"id": "B2", "label": "Thư ký 2", "agency": "SNV", "team": "D2", "role": "secretary",
         "unavailable": [{"from": "2025-06-16", "to": "2025-06-20"}]},
        {"id": "B3", "label": "Thành viên 2", "agency": "STP", "team": "D2",
         "max_visits_per_week": 1},
        {"id": "B4", "label": "Phó trưởng đoàn 2", "agency": "SNV", "team": "D2",
         "role": "deputy"},
    ]
    window = {"from": "2025-06-02", "to": "2025-07-31"}
    data["units"] = [
        {"id": "U1", "name": "Sở Y tế", "kind": "department", "agency": "SYT", "window": window,
         "duration": 2, "required_agencies": ["SNV", "SKHCN"]},
        {"id": "U2", "name": "Sở Du lịch", "kind": "department", "window": window,
         "form": "surprise"},
        {"id": "U3", "name": "Phường Ba Đình", "kind": "ward", "window": window},
        {"id": "U4", "name": "Trường CĐ", "kind": "public_service_unit", "window": window,
         "optional": True, "preferred_dates": ["2025-06-18"],
         "excluded_dates": [{"from": "2025-06-19", "to": "2025-06-20"}]},
        {"id": "U5", "name": "Viện Quy hoạch", "kind": "public_service_unit", "agency": "STP",
         "window": window, "team": "D2", "led_by_leader": True},
        {"id": "U6", "name": "Trung tâm Bảo tồn", "kind": "other", "window": window,
         "optional": True},
    ]
    # U4 is the sample of its selection: visited in RICH_PLAN, left out by the H20 break.
    data["selections"] = [{"id": "SN", "name": "Mẫu đơn vị sự nghiệp", "units": ["U4"],
                           "at_least": 1}]
    return data


RICH_PLAN: dict[str, Row | None] = {
    "U1": ("D1", "2025-06-11", ["A1", "A2"], "A1"),  # 2 days: 11 and 12/06
    "U2": ("D2", "2025-06-09", ["B1", "B3"], "B1"),  # surprise, on the day D2 is formed
    "U3": ("D1", "2025-07-10", ["A3", "A4"], "A3"),  # ward: announced from the rearrangement on
    "U4": ("D1", "2025-06-18", ["A3", "A4"], "A3"),  # optional, on its preferred date
    "U5": ("D2", "2025-06-23", ["B1", "B2"], "B1"),  # pinned to D2, led by its Trưởng đoàn B1
    # U6 (optional) is left unscheduled
}


@pytest.fixture(scope="module")
def rich() -> Scenario:
    return make_scenario(rich_data())


def rich_schedule(rich: Scenario, **changes: Row | None) -> Schedule:
    return build(rich, {**RICH_PLAN, **changes})


def test_rich_valid_schedule_is_clean(rich: Scenario) -> None:
    report = check_schedule(rich, rich_schedule(rich))
    assert report.violations == []


def test_rich_objective_by_hand(rich: Scenario) -> None:
    # Indices: 09/06=5, 11/06=7, 18/06=12, 23/06=15, 01/07=20 (27/06 is a day off).
    # Baselines: planned by D1 7 (announce 0 + lead 2 + report 5), by D2 13 (formed at 5, first
    # notice one working day later, H19);
    # surprise U2 0 (D1 may visit from day 0); ward U3 20 (01/07).
    # S01: D1 U1 2 + U3 1 + U4 1 = 4, D2 U2 1 + U5 1 = 2 -> 20 * 2.
    # S02: D1 all members 2 -> 0; D2 B1 2, B2 1, B3 1, B4 0 -> 5 * 2.
    # S03: U1 0 + U2 5 + U3 0 + U4 5 + U5 2 = 12. S04: U4 on its preferred date -> 0.
    # S05: SNV peak 2 (A1 on U1's two days), SKHCN peak 3 (A2 x2 + B1, week of 09/06),
    # STP peak 1 -> 2 * 6. S06: U6 left -> 1000.
    report = check_schedule(rich, rich_schedule(rich))
    assert report.terms == {
        RuleId.S01_TEAM_BALANCE: 40, RuleId.S02_MEMBER_BALANCE: 10, RuleId.S03_EARLY: 12,
        RuleId.S04_PREFERRED: 0, RuleId.S05_AGENCY_SPREAD: 12, RuleId.S06_OPTIONAL: 1000,
        RuleId.S07_TRAVEL: 0, RuleId.S08_TEAM_DAYS: 0, RuleId.S09_PACE: 0,
        RuleId.S10_LEADER_LOAD: 0, RuleId.S11_OUTSIDE_WINDOW: 0, RuleId.S12_GROUP_MEMBERS: 0,
        RuleId.S13_SAMPLE_PRIORITY: 0,
        RuleId.S14_OVERNIGHT: 0,
    }
    assert report.objective == 1074


BREAKS: dict[str, dict[str, Row | None]] = {
    RuleId.H01_ONCE: {"U1": None},  # a unit nobody visits
    # ends 01/08, after the window (a ward before 01/07 now also breaks H04: see test_timing)
    RuleId.H02_WINDOW: {"U1": ("D1", "2025-07-31", ["A1", "A2"], "A1")},
    RuleId.H03_TEAM_FORMED: {"U2": ("D2", "2025-06-06", ["B1", "B3"], "B1")},  # D2 formed 09/06
    RuleId.H04_NOTICE: {"U5": ("D2", "2025-06-16", ["B1", "B4"], "B1")},  # announce before 09/06
    RuleId.H05_GROUP_TEAM: {"U4": ("D1", "2025-06-18", ["A3", "B3"], "A3")},
    RuleId.H06_LEAD: {"U4": ("D1", "2025-06-18", ["A3", "A4"], "A4")},
    RuleId.H07_GROUP_SIZE: {"U4": ("D1", "2025-06-18", ["A3"], "A3")},
    RuleId.H08_AGENCIES: {"U1": ("D1", "2025-06-11", ["A1", "A3"], "A1")},  # no SKHCN
    RuleId.H09_CONFLICT: {"U5": ("D2", "2025-06-23", ["B1", "B2", "B3"], "B1")},  # B3 is STP
    RuleId.H10_MEMBER_DAY: {"U4": ("D1", "2025-06-12", ["A3", "A2"], "A3")},  # A2 also on U1
    RuleId.H11_AVAILABLE: {"U5": ("D2", "2025-06-19", ["B1", "B2"], "B1")},  # B2 away 16-20/06
    RuleId.H12_WEEKLY: {"U4": ("D1", "2025-06-13", ["A1", "A4"], "A1")},  # A1: 3 days, limit 2
    RuleId.H13_PARALLEL: {"U2": ("D2", "2025-06-23", ["B4", "B3"], "B4")},  # D2 + U5 same day
    RuleId.H14_EXCLUDED: {"U4": ("D1", "2025-06-19", ["A3", "A4"], "A3")},
    RuleId.H15_PINNED_TEAM: {"U5": ("D1", "2025-06-23", ["A1", "A2"], "A1")},
    RuleId.H18_LEADER_LEADS: {"U5": ("D2", "2025-06-23", ["B4", "B2"], "B4")},  # the deputy leads
    # announce by 09/06, the day D2 is formed: its first notice day is 10/06
    RuleId.H19_NOTICE_FORMED: {"U5": ("D2", "2025-06-18", ["B1", "B4"], "B1")},
    RuleId.H20_SELECTION: {"U4": None},  # the selection's one unit left out
}


@pytest.mark.parametrize("rule_id", sorted(BREAKS))
def test_each_break_reports_exactly_its_rule(rich: Scenario, rule_id: str) -> None:
    report = check_schedule(rich, rich_schedule(rich, **BREAKS[rule_id]))
    assert rule_ids(report) == {rule_id}
    assert not report.ok


def test_every_hard_rule_has_a_break() -> None:
    from test_day_routes import ROUTE_BREAKS  # H16, H17 need short visits: a scenario of their own

    assert sorted([*BREAKS, *ROUTE_BREAKS]) == sorted(r.id for r in HARD_RULES)


def test_violation_names_unit_member_and_day(rich: Scenario) -> None:
    report = check_schedule(rich, rich_schedule(rich, **BREAKS[RuleId.H11_AVAILABLE]))
    assert report.violations == [
        Violation(RuleId.H11_AVAILABLE, "U5", "B2", D("2025-06-19"), report.violations[0].message,
                  report.violations[0].vi)
    ]
    assert report.violations[0].text("vi") == "thành viên vắng mặt ngày đó"
    assert report.violations[0].text("en") == "the member is unavailable that day"


# --- H01 in detail ------------------------------------------------------------------------------


def test_h01_duplicate_and_unknown_names(rich: Scenario) -> None:
    valid = rich_schedule(rich)
    u4 = valid.assignment_for("U4")
    assert u4 is not None
    again = build(rich, {"U4": ("D1", "2025-06-25", ["A3", "A4"], "A3")}).assignments
    cases = [
        [*valid.assignments, *again],  # an optional unit twice
        [*valid.assignments, u4.model_copy(update={"unit_id": "U99", "member_ids": ["A1", "A2"],
                                                   "lead_id": "A1"})],  # unknown unit
        patch(valid, "U4", team_id="D9").assignments,  # unknown team
        patch(valid, "U4", member_ids=["A3", "A4", "ZZ"]).assignments,  # unknown member
    ]
    for assignments in cases:
        report = check_schedule(rich, with_assignments(valid, assignments))
        assert rule_ids(report) == {RuleId.H01_ONCE}, assignments


def test_h01_mandatory_unit_twice(rich: Scenario) -> None:
    extra = build(rich, {"U2": ("D1", "2025-06-25", ["A1", "A2"], "A1")}).assignments
    report = check_schedule(rich, with_assignments(rich_schedule(rich),
                                                   [*rich_schedule(rich).assignments, *extra]))
    assert [(v.rule_id, v.unit_id) for v in report.violations] == [(RuleId.H01_ONCE, "U2")]


def test_cancelled_assignments_are_ignored(rich: Scenario) -> None:
    valid = rich_schedule(rich)
    u1 = valid.assignment_for("U1")
    assert u1 is not None
    ghost = u1.model_copy(update={"state": VisitState.CANCELLED, "member_ids": ["B3"]})
    assert check_schedule(rich, with_assignments(valid, [*valid.assignments, ghost])).ok
    only_ghost = [ghost if a.unit_id == "U1" else a for a in valid.assignments]
    report = check_schedule(rich, with_assignments(valid, only_ghost))
    assert [(v.rule_id, v.unit_id) for v in report.violations] == [(RuleId.H01_ONCE, "U1")]


# --- H02 and H04 in detail ----------------------------------------------------------------------


@pytest.mark.parametrize("plan", [
    {"U4": ("D1", "2025-06-27", ["A3", "A4"], "A3")},  # a day off of the scenario
    {"U4": ("D1", "2025-06-21", ["A3", "A4"], "A3")},  # a Saturday
    {"U3": ("D1", "2025-08-04", ["A3", "A4"], "A3")},  # after the horizon
    {"U1": ("D1", "2025-07-31", ["A1", "A2"], "A1")},  # second day falls after the window
])
def test_h02_window_cases(rich: Scenario, plan: dict[str, Row]) -> None:
    assert rule_ids(check_schedule(rich, rich_schedule(rich, **plan))) == {RuleId.H02_WINDOW}


def test_h02_end_inconsistent_with_duration(rich: Scenario) -> None:
    report = check_schedule(rich, patch(rich_schedule(rich), "U1", end=D("2025-06-11")))
    assert rule_ids(report) == {RuleId.H02_WINDOW}


def test_before_the_horizon_breaks_window_and_team_formed(rich: Scenario) -> None:
    plan = {"U2": ("D2", "2025-05-30", ["B1", "B3"], "B1")}  # D2 formed 09/06
    assert rule_ids(check_schedule(rich, rich_schedule(rich, **plan))) == {
        RuleId.H02_WINDOW, RuleId.H03_TEAM_FORMED}


@pytest.mark.parametrize("fields", [
    {"report_due": D("2025-06-05")},  # 23/06 - 5 working days is 16/06
    {"announce_by": D("2025-06-16")},  # lead 2: must be 12/06
    {"report_due": None, "announce_by": None},
    {"form": "surprise", "report_due": None, "announce_by": None},  # the unit is planned
])
def test_h04_planned_dates_must_match(rich: Scenario, fields: dict[str, Any]) -> None:
    report = check_schedule(rich, patch(rich_schedule(rich), "U5", **fields))
    assert rule_ids(report) == {RuleId.H04_NOTICE}


def test_h04_surprise_visit_has_no_dates(rich: Scenario) -> None:
    report = check_schedule(rich, patch(rich_schedule(rich), "U2", report_due=D("2025-06-02")))
    assert rule_ids(report) == {RuleId.H04_NOTICE}


def test_h04_as_of_applies_to_planned_visits_only(rich: Scenario) -> None:
    valid = rich_schedule(rich)
    replan = check_schedule(rich, valid, as_of=D("2025-06-05"))
    assert [(v.rule_id, v.unit_id) for v in replan.violations] == [(RuleId.H04_NOTICE, "U1")]
    announced = patch(valid, "U1", state=VisitState.ANNOUNCED)
    assert check_schedule(rich, announced, as_of=D("2025-06-05")).ok


def test_h05_duplicate_member_and_lead_outside_group(rich: Scenario) -> None:
    valid = rich_schedule(rich)
    for fields in ({"member_ids": ["A3", "A4", "A4"]}, {"lead_id": "A1"}):
        report = check_schedule(rich, patch(valid, "U4", **fields))
        assert rule_ids(report) == {RuleId.H05_GROUP_TEAM}, fields


def test_rules_switched_off(rich: Scenario) -> None:
    data = rich_data()
    data["rules"] |= {"lead_on_every_visit": False, "conflict_of_interest": False}
    relaxed = make_scenario(data)
    for rule_id in (RuleId.H06_LEAD, RuleId.H09_CONFLICT):
        assert check_schedule(relaxed, rich_schedule(relaxed, **BREAKS[rule_id])).ok


def test_garbage_is_reported_not_raised(rich: Scenario) -> None:
    valid = rich_schedule(rich)
    junk = Assignment(unit_id="??", team_id="??", start=D("1999-01-01"), end=D("1998-01-01"),
                      member_ids=[], lead_id="??", report_due=D("2099-12-31"))
    far = patch(valid, "U1", start=D("2031-02-01"), end=D("2031-02-02"), member_ids=["B2"] * 3)
    report = check_schedule(rich, with_assignments(far, [*far.assignments, junk]))
    assert {RuleId.H01_ONCE, RuleId.H02_WINDOW, RuleId.H04_NOTICE, RuleId.H05_GROUP_TEAM,
            RuleId.H07_GROUP_SIZE, RuleId.H08_AGENCIES} <= rule_ids(report)
    assert isinstance(report.objective, int)
    assert {v.rule_id for v in report.violations} <= set(RULES)


# --- soft rules: a penalised / not penalised pair each, computed by hand --------------------------


def two_unit_scenario(**unit_changes: Any) -> Scenario:
    data = tiny_scenario_data()
    data["units"] = data["units"][:2]
    data["units"][0] |= unit_changes
    return make_scenario(data)


def soft_term(scenario: Scenario, plan: dict[str, Row | None], rule_id: str) -> int:
    report = check_schedule(scenario, build(scenario, plan))
    assert report.ok, report.violations
    assert report.objective == sum(report.terms.values())
    return report.terms[rule_id]


ONE_EACH = {"U1": ("D1", "2025-06-09", ["A1", "A2"], "A1"),
            "U2": ("D2", "2025-06-09", ["B1", "B2"], "B1")}


def test_s01_team_balance_pair() -> None:
    s = two_unit_scenario()
    assert soft_term(s, ONE_EACH, RuleId.S01_TEAM_BALANCE) == 0
    both_d1 = {**ONE_EACH, "U2": ("D1", "2025-06-10", ["A1", "A3"], "A1")}
    assert soft_term(s, both_d1, RuleId.S01_TEAM_BALANCE) == 20 * 2


def test_s01_counts_visit_days_not_visits() -> None:
    s = two_unit_scenario(duration=3)
    assert soft_term(s, ONE_EACH, RuleId.S01_TEAM_BALANCE) == 20 * (3 - 1)


def test_s02_member_balance_pair() -> None:
    s = two_unit_scenario()
    assert soft_term(s, ONE_EACH, RuleId.S02_MEMBER_BALANCE) == 5 * (1 + 1)  # A3 and B3 stay home
    everyone = {"U1": ("D1", "2025-06-09", ["A1", "A2", "A3"], "A1"),
                "U2": ("D2", "2025-06-09", ["B1", "B2", "B3"], "B1")}
    assert soft_term(s, everyone, RuleId.S02_MEMBER_BALANCE) == 0


def test_s03_early_pair() -> None:
    data = tiny_scenario_data()
    data["weights"] = {"early": 2}
    s = make_scenario(data)
    assert soft_term(s, TINY_PLAN, RuleId.S03_EARLY) == 2 * 1
    late = {**TINY_PLAN, "U2": ("D2", "2025-06-13", ["B1", "B2"], "B1")}  # 4 days late
    assert soft_term(s, late, RuleId.S03_EARLY) == 2 * (1 + 4)


def test_s04_preferred_pair() -> None:
    s = two_unit_scenario(preferred_dates=[{"from": "2025-06-11", "to": "2025-06-12"}])
    assert soft_term(s, ONE_EACH, RuleId.S04_PREFERRED) == 10
    on_time = {**ONE_EACH, "U1": ("D1", "2025-06-12", ["A1", "A2"], "A1")}
    assert soft_term(s, on_time, RuleId.S04_PREFERRED) == 0


def test_s05_agency_spread_pair() -> None:
    s = two_unit_scenario()
    # Same week: SNV (A1, B2) 2 and SKHCN (A2, B1) 2 -> 2 * 4.
    assert soft_term(s, ONE_EACH, RuleId.S05_AGENCY_SPREAD) == 2 * 4
    spread = {**ONE_EACH, "U2": ("D2", "2025-06-16", ["B1", "B2"], "B1")}
    assert soft_term(s, spread, RuleId.S05_AGENCY_SPREAD) == 2 * 2  # 1 per agency per week


def test_s06_optional_pair() -> None:
    s = two_unit_scenario(optional=True)
    assert soft_term(s, ONE_EACH, RuleId.S06_OPTIONAL) == 0
    assert soft_term(s, {**ONE_EACH, "U1": None}, RuleId.S06_OPTIONAL) == 1000


# --- independence and the schedule helpers -------------------------------------------------------


@pytest.mark.parametrize("module", ["scheduler.check.checker", "scheduler.replan.plan_import"])
def test_checker_does_not_import_ortools(module: str) -> None:
    """The checker, and reading the plan it checks (``kiemtra check``), never load the solver."""
    code = (f"import sys, {module}; "
            "print([m for m in sys.modules if m.startswith(('ortools', 'scheduler.search.solve'))])")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_make_assignment_fills_derived_dates(rich: Scenario) -> None:
    cal = rich.work_calendar()
    planned = make_assignment(rich, cal, "U1", "D1", D("2025-06-11"), ["A1", "A2"], "A1")
    assert (planned.end, planned.report_due, planned.announce_by) == (
        D("2025-06-12"), D("2025-06-04"), D("2025-06-02"))
    surprise = make_assignment(rich, cal, "U2", "D2", D("2025-06-09"), ["B1"], "B1")
    assert (surprise.form, surprise.report_due, surprise.announce_by) == ("surprise", None, None)


def test_schedule_skeleton_refs(rich: Scenario) -> None:
    schedule = rich_schedule(rich)
    assert schedule.scenario.sha256 == scenario_sha256(rich)
    assert [m.name for m in schedule.members][:1] == ["Trưởng đoàn 1"]
    assert {u.id for u in schedule.units} == {u.id for u in rich.units}
    assert Schedule.model_validate_json(schedule.to_json()) == schedule


def test_hanoi_empty_schedule_misses_every_mandatory_unit(hanoi: Scenario) -> None:
    empty = schedule_skeleton(hanoi, [], SolverInfo(status=Status.UNKNOWN))
    report = check_schedule(hanoi, empty)
    assert {v.rule_id for v in report.violations} == {RuleId.H01_ONCE}
    assert sorted(v.unit_id or "" for v in report.violations) == sorted(
        u.id for u in hanoi.units if not u.optional)
    optional = sum(u.optional for u in hanoi.units)
    assert report.terms[RuleId.S06_OPTIONAL] == hanoi.weights.unscheduled_optional * optional
    assert report.objective == report.terms[RuleId.S06_OPTIONAL]


def test_h02_as_of_a_planned_visit_cannot_start_in_the_past(tiny: Scenario,
                                                             tiny_schedule: Schedule) -> None:
    report = check_schedule(tiny, tiny_schedule, as_of=D("2025-06-10"))
    assert (RuleId.H02_WINDOW, "U1") in [(v.rule_id, v.unit_id) for v in report.violations]
    done = patch(patch(tiny_schedule, "U1", state=VisitState.DONE), "U2", state=VisitState.DONE)
    assert RuleId.H02_WINDOW not in rule_ids(check_schedule(tiny, done, as_of=D("2025-06-10")))


def test_h01_unscheduled_list_must_not_name_a_visited_unit(tiny: Scenario,
                                                           tiny_schedule: Schedule) -> None:
    from models.schedule import Unscheduled

    listed = tiny_schedule.model_copy(update={"unscheduled": [Unscheduled(unit_id="U1", reason="x")]})
    assert rule_ids(check_schedule(tiny, listed)) == {RuleId.H01_ONCE}


def test_a_visit_after_field_work_ends_is_h02() -> None:
    data = rich_data()
    data["campaign"]["fieldwork_ends"] = "2025-07-09"
    scenario = make_scenario(data)
    report = check_schedule(scenario, rich_schedule(scenario))  # U3 on 10/07
    assert rule_ids(report) == {RuleId.H02_WINDOW}
    assert [v.unit_id for v in report.violations] == ["U3"]
    assert "end of field work" in report.violations[0].message
    data["campaign"]["fieldwork_ends"] = "2025-07-10"
    scenario = make_scenario(data)
    assert check_schedule(scenario, rich_schedule(scenario)).ok
