"""Each hard rule family: a tiny case the planner solves cleanly and one it must call infeasible.

The tiny scenario (tests/conftest.py): teams D1 (A1 leader SNV, A2 SKHCN, A3 STP) and D2 (B1 leader
SKHCN, B2 SNV, B3 STP), plan date Mon 02/06/2025, report due 5 working days before a visit and no
announcement lead, so the first possible visit is Mon 09/06/2025. Every plan found is re-checked by
the independent checker at the same cost (``solve_checked``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from scheduler_helpers import ZERO_WEIGHTS, solve_checked, window

from conftest import make_scenario, tiny_scenario_data
from models.rules import RuleId
from models.schedule import Status
from scheduler.plan.pipeline import PlanOutcome
from scheduler.plan.pipeline import plan as run_pipeline
from scheduler.search.precheck import precheck
from scheduler.search.solve import SolveOptions

FIRST_DAY = date(2025, 6, 9)


def base(units: int = 3) -> dict[str, Any]:
    data = tiny_scenario_data()
    data["units"] = data["units"][:units]
    data["weights"] = dict(ZERO_WEIGHTS)
    return data


def one_day_units(data: dict[str, Any], day: str, n: int, **extra: Any) -> dict[str, Any]:
    data["units"] = [{"id": f"V{i}", "name": f"Đơn vị {i}", "kind": "department",
                      "window": window(day, day), **extra} for i in range(n)]
    return data


def plan(data: dict[str, Any]):
    return solve_checked(make_scenario(data))


def assert_infeasible(data: dict[str, Any]) -> None:
    assert plan(data).status is Status.INFEASIBLE


# --- H01-once -----------------------------------------------------------------------------------


def test_once_every_unit_visited_exactly_once() -> None:
    result = plan(base())
    assert result.status is Status.OPTIMAL
    assert sorted(a.unit_id for a in result.schedule.assignments) == ["U1", "U2", "U3"]


def test_once_required_unit_without_place_is_infeasible_optional_is_left_out() -> None:
    data = base(1)
    data["units"][0]["required_agencies"] = ["STP"]
    data["members"] = [m for m in data["members"] if m["agency"] != "STP"]
    assert_infeasible(data)
    data["units"][0]["optional"] = True
    result = plan(data)
    assert result.status is Status.OPTIMAL
    assert [u.unit_id for u in result.schedule.unscheduled] == ["U1"]


# --- H02-window ---------------------------------------------------------------------------------


def test_window_visit_falls_inside_a_one_day_window() -> None:
    result = plan(one_day_units(base(), "2025-06-16", 1))
    assert [a.start for a in result.schedule.assignments] == [date(2025, 6, 16)]


def test_window_closing_before_the_notice_allows_is_infeasible() -> None:
    data = one_day_units(base(), "2025-06-05", 1)
    assert_infeasible(data)
    assert precheck(make_scenario(data))[0].unit_ids == ("V0",)


def test_no_visit_after_field_work_ends() -> None:
    data = base(3)
    data["campaign"]["fieldwork_ends"] = "2025-06-13"
    result = plan(data)
    assert result.status is Status.OPTIMAL
    assert max(a.end for a in result.schedule.assignments) <= date(2025, 6, 13)
    data["campaign"]["fieldwork_ends"] = "2025-06-06"  # before the first day the notice allows
    assert_infeasible(data)


# --- H03-team-formed ----------------------------------------------------------------------------


def test_team_formed_late_visits_only_after_forming() -> None:
    data = base(1)
    data["teams"][0]["formed_on"] = "2025-07-01"
    data["units"][0]["team"] = "D1"
    result = plan(data)
    assert result.schedule.assignments[0].start >= date(2025, 7, 1)


def test_team_formed_after_the_window_is_infeasible() -> None:
    data = base(1)
    data["teams"][0]["formed_on"] = "2025-07-01"
    data["units"][0].update(team="D1", window=window("2025-06-02", "2025-06-30"))
    assert_infeasible(data)


# --- H04-notice ---------------------------------------------------------------------------------


def test_notice_surprise_visit_needs_no_notice() -> None:
    data = one_day_units(base(), "2025-06-03", 1, form="surprise")
    result = plan(data)
    a = result.schedule.assignments[0]
    assert a.start == date(2025, 6, 3) and a.report_due is None and a.announce_by is None


def test_notice_planned_visit_too_soon_is_infeasible() -> None:
    assert_infeasible(one_day_units(base(), "2025-06-06", 1))


def test_notice_lead_moves_the_first_visit() -> None:
    data = base(1)
    data["rules"]["notice_lead_days"] = 5
    data["weights"]["early"] = 1
    result = plan(data)
    a = result.schedule.assignments[0]
    assert a.start == date(2025, 6, 16) and a.announce_by == date(2025, 6, 2)


# --- H05-group-team, H15-pinned-team ------------------------------------------------------------


def test_group_team_and_pinned_team() -> None:
    data = base()
    for u in data["units"]:
        u["team"] = "D2"
    result = plan(data)
    for a in result.schedule.assignments:
        assert a.team_id == "D2" and set(a.member_ids) <= {"B1", "B2", "B3"}


def test_pinned_team_that_cannot_go_is_infeasible_though_the_other_team_could() -> None:
    data = one_day_units(base(), "2025-06-16", 1)
    data["members"][3]["unavailable"] = ["2025-06-16"]  # B1, the only lead of D2
    assert plan(data).schedule.assignments[0].team_id == "D1"
    data["units"][0]["team"] = "D2"
    assert_infeasible(data)


def test_team_without_members_cannot_take_a_pinned_unit() -> None:
    data = base(1)
    data["members"] = [m for m in data["members"] if m["team"] == "D1"]
    data["units"][0]["team"] = "D2"
    assert_infeasible(data)


# --- H06-lead -----------------------------------------------------------------------------------


def test_lead_may_be_a_named_subteam_lead() -> None:
    data = base(1)
    data["members"][0]["role"] = "member"
    data["members"][2]["can_lead_subteam"] = True
    data["units"][0]["team"] = "D1"
    result = plan(data)
    assert result.schedule.assignments[0].lead_id == "A3"


def test_lead_missing_is_infeasible() -> None:
    data = base(1)
    data["members"][0]["role"] = "member"
    data["units"][0]["team"] = "D1"
    assert_infeasible(data)
    assert precheck(make_scenario(data))[0].rule_id == RuleId.H06_LEAD


# --- H07-group-size -----------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "status"), [(3, Status.OPTIMAL), (4, Status.INFEASIBLE)])
def test_group_size(size: int, status: Status) -> None:
    data = base(1)
    data["rules"]["min_group_size"] = size
    result = plan(data)
    assert result.status is status
    if status is Status.OPTIMAL:
        assert len(result.schedule.assignments[0].member_ids) == 3


@pytest.mark.parametrize(("size", "status"), [(2, Status.OPTIMAL), (4, Status.INFEASIBLE)])
def test_a_units_own_group_size_is_exact(size: int, status: Status) -> None:
    data = base(1)
    data["rules"]["min_group_size"] = 3  # the unit's own size overrides the minimum
    data["units"][0]["group_size"] = size
    data["units"][0]["team"] = "D1"
    data["members"].append({"id": "A4", "label": "Thành viên", "agency": "STP", "team": "D1",
                            "unavailable": [{"from": "2025-06-01", "to": "2025-07-31"}]})
    result = plan(data)
    assert result.status is status
    if status is Status.OPTIMAL:
        assert len(result.schedule.assignments[0].member_ids) == size


# --- H08-agencies, H09-conflict -----------------------------------------------------------------


def test_agencies_required_member_goes() -> None:
    data = base(1)
    data["units"][0]["required_agencies"] = ["STP"]
    a = plan(data).schedule.assignments[0]
    assert any(m in ("A3", "B3") for m in a.member_ids)


def test_agencies_nobody_from_required_agency_is_infeasible() -> None:
    data = base(1)
    data["agencies"].append({"id": "STC", "name": "Sở Tài chính"})
    data["units"][0]["required_agencies"] = ["STC"]
    assert_infeasible(data)


def test_conflict_required_agency_is_the_units_own() -> None:
    data = base(1)
    data["units"][0].update(agency="STP", required_agencies=["STP"])
    assert_infeasible(data)
    finding = precheck(make_scenario(data))[0]
    assert finding.rule_id == RuleId.H09_CONFLICT and "own agency" in finding.message
    data["rules"]["conflict_of_interest"] = False
    assert plan(data).status is Status.OPTIMAL


def test_conflict_member_of_the_units_agency_never_goes() -> None:
    data = base(1)
    data["rules"]["min_group_size"] = 2
    data["units"][0]["agency"] = "SNV"
    data["units"][0]["team"] = "D2"
    a = plan(data).schedule.assignments[0]
    assert "B2" not in a.member_ids


# --- H10-member-day, H13-parallel ---------------------------------------------------------------


def _two_visits_same_day(parallel: int, size: int) -> dict[str, Any]:
    data = one_day_units(base(), "2025-06-16", 2, team="D1")
    data["teams"][0]["parallel_subteams"] = parallel
    data["rules"].update(min_group_size=size, lead_on_every_visit=False)
    return data


def test_parallel_subteams_allow_two_visits_a_day() -> None:
    result = plan(_two_visits_same_day(parallel=2, size=1))
    assert result.status is Status.OPTIMAL
    groups = [set(a.member_ids) for a in result.schedule.assignments]
    assert not groups[0] & groups[1]


def test_parallel_one_subteam_is_infeasible() -> None:
    assert_infeasible(_two_visits_same_day(parallel=1, size=1))


def test_member_day_not_enough_members_for_two_visits() -> None:
    assert_infeasible(_two_visits_same_day(parallel=2, size=2))


# --- H11-available ------------------------------------------------------------------------------


@pytest.mark.parametrize(("away", "status"), [("2025-06-17", Status.OPTIMAL),
                                              ("2025-06-16", Status.INFEASIBLE)])
def test_available(away: str, status: Status) -> None:
    data = one_day_units(base(), "2025-06-16", 1, team="D1")
    data["members"][0]["unavailable"] = [away]
    assert plan(data).status is status


def test_available_two_day_visit_avoids_an_absence_on_its_second_day() -> None:
    data = base(1)
    data["units"][0].update(team="D1", duration=2, window=window("2025-06-16", "2025-06-18"))
    data["members"][0]["unavailable"] = ["2025-06-17"]
    data["rules"]["min_group_size"] = 2
    assert_infeasible(data)


# --- H12-weekly ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("limit", "status"), [(3, Status.OPTIMAL), (2, Status.INFEASIBLE)])
def test_weekly_limit(limit: int, status: Status) -> None:
    data = base()
    for u in data["units"]:
        u.update(team="D1", window=window("2025-06-09", "2025-06-13"))
    data["members"][0]["max_visits_per_week"] = limit
    assert plan(data).status is status


# --- H14-excluded -------------------------------------------------------------------------------


def test_excluded_date_is_avoided() -> None:
    data = base(1)
    data["weights"]["early"] = 1
    data["units"][0]["excluded_dates"] = [window("2025-06-09", "2025-06-10")]
    assert plan(data).schedule.assignments[0].start == date(2025, 6, 11)


def test_excluded_whole_window_is_infeasible() -> None:
    data = one_day_units(base(), "2025-06-16", 1)
    data["units"][0]["excluded_dates"] = ["2025-06-16"]
    assert_infeasible(data)
    assert precheck(make_scenario(data))[0].rule_id == RuleId.H14_EXCLUDED


# --- H18-leader-leads ---------------------------------------------------------------------------


def test_a_unit_led_by_the_leader_gets_him_even_when_the_deputy_could_lead() -> None:
    data = base(2)
    data["members"][4]["role"] = "deputy"  # B2 may lead D2's visits too
    for u in data["units"]:
        u["team"], u["led_by_leader"] = "D2", True
    data["units"][1]["led_by_leader"] = False
    data["units"][1]["group_size"] = 2
    data["members"][3]["unavailable"] = ["2025-06-09"]  # B1 away on the first day
    result = plan(data)
    assert result.status is Status.OPTIMAL
    led = next(a for a in result.schedule.assignments if a.unit_id == data["units"][0]["id"])
    assert led.lead_id == "B1" and "B1" in led.member_ids


def test_a_unit_led_by_the_leader_whose_leader_is_away_is_infeasible_and_explained() -> None:
    data = base(1)
    data["units"][0].update(team="D2", led_by_leader=True)
    data["members"][4]["role"] = "deputy"  # someone else could lead, but not the one asked for
    data["members"][3]["unavailable"] = [{"from": "2025-06-01", "to": "2025-07-31"}]
    assert_infeasible(data)
    finding = precheck(make_scenario(data))[0]
    assert finding.rule_id == RuleId.H18_LEADER_LEADS
    assert "Trưởng đoàn" in finding.render("en")


# --- H19-notice-formed --------------------------------------------------------------------------


def test_first_notice_waits_the_formation_gap() -> None:
    """Teams formed Mon 02/06; a 5-day gap puts the first notice on Mon 09/06, the visit 16/06."""
    data = base(1)
    data["rules"]["notice_after_formation_days"] = 5
    data["weights"]["early"] = 1
    result = plan(data)
    a = result.schedule.assignments[0]
    assert a.announce_by == date(2025, 6, 9) and a.start == date(2025, 6, 16)


def test_a_window_closing_before_the_formation_gap_allows_is_infeasible() -> None:
    data = one_day_units(base(), "2025-06-13", 1)
    assert plan(data).status is Status.OPTIMAL  # no gap: announce 06/06, visit 13/06
    data["rules"]["notice_after_formation_days"] = 5
    assert_infeasible(data)
    assert precheck(make_scenario(data))[0].unit_ids == ("V0",)
    surprise = one_day_units(base(), "2025-06-13", 1, form="surprise")
    surprise["rules"]["notice_after_formation_days"] = 5
    assert plan(surprise).status is Status.OPTIMAL  # a surprise visit sends no notice


# --- H20-selection ------------------------------------------------------------------------------


def test_selection_of_two_optional_units_is_met_and_one_day_cannot_hold_three() -> None:
    """Three optional one-day units on Mon 09/06, two teams: at least 2 fit, 3 cannot."""
    data = one_day_units(base(), "2025-06-09", 3, optional=True)
    data["selections"] = [{"id": "S", "name": "Mẫu", "units": ["V0", "V1", "V2"], "at_least": 2}]
    assert len(plan(data).schedule.assignments) == 2  # none without it: nothing prices them
    data["selections"][0]["at_least"] = 3
    assert_infeasible(data)


# --- H16-day-hours, H17-one-route ---------------------------------------------------------------


def short_visits(minutes: int, last: str = "2025-06-09") -> dict[str, Any]:
    """Four short visits by D1 from Mon 09/06 to ``last``, a few km from its base (Hoàn Kiếm)."""
    data = base()
    for team in data["teams"]:
        team["base"] = {"lat": 21.024, "lon": 105.857}
    spots = [(21.03, 105.85), (21.04, 105.84), (21.01, 105.83), (21.005, 105.86)]
    data["units"] = [{"id": f"V{i}", "name": f"Xã {i}", "kind": "commune", "team": "D1",
                      "visit_minutes": minutes, "location": {"lat": lat, "lon": lon},
                      "window": window("2025-06-09", last)} for i, (lat, lon) in enumerate(spots)]
    return data


def routed(data: dict[str, Any]) -> PlanOutcome:
    """Short visits go through the pipeline: routes first, then the model (scheduler.routing.stage)."""
    return run_pipeline(make_scenario(data), SolveOptions(time_limit_s=5, workers=1, seed=0))


def test_day_hours_four_short_visits_share_one_day_route() -> None:
    result = routed(short_visits(90))  # 4 × 90 = 360 minutes + about 40 minutes' driving
    assert result.status is Status.OPTIMAL and result.clean and result.schedule is not None
    assert len({(a.team_id, a.start, a.lead_id) for a in result.schedule.assignments}) == 1


def test_day_hours_visits_that_need_two_routes_on_the_day_one_subteam_is_infeasible() -> None:
    assert routed(short_visits(110)).status is Status.INFEASIBLE  # 440 + driving > 450: 2 routes
    assert routed(short_visits(110, last="2025-06-10")).clean  # two days: one route each
