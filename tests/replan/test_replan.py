"""Re-planning a small campaign under way: each event kind, mergers, history, no-event identity.

Every re-plan is re-verified by the checker with the re-plan date. One worker, fixed seed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from replan_helpers import AS_OF, BASELINE_VISITS, baseline, campaign, events

import scheduler.plan.pipeline as pipeline
import scheduler.replan.run as replan_module
from models.calendar import format_vn
from models.rules import RuleId
from models.scenario import Scenario
from models.schedule import Assignment, Form, Schedule, Status, Unscheduled, VisitState
from models.timing import visit_days
from scheduler.check.checker import check_schedule
from scheduler.replan.run import CHANGE_COSTS, ReplanOptions, ReplanResult, replan

OPTIONS = ReplanOptions(time_limit_s=10, workers=1, seed=0)


def _replan(*items: dict[str, Any]) -> ReplanResult:
    result = replan(campaign(), baseline(), AS_OF, events(*items) if items else None, OPTIONS)
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE), result.phases
    assert result.schedule is not None
    report = check_schedule(result.applied.scenario, result.schedule, as_of=AS_OF)
    assert report.ok, report.violations
    assert report.objective == result.schedule.solver.objective
    return result


def _where(a: Assignment) -> tuple[str, date, list[str], str]:
    return a.team_id, a.start, sorted(a.member_ids), a.lead_id


def _active(schedule: Schedule) -> dict[str, Assignment]:
    return {a.unit_id: a for a in schedule.assignments if a.state is not VisitState.CANCELLED}


def _assert_done_visits_unchanged(result: ReplanResult) -> None:
    new = _active(result.schedule)
    for old in baseline().assignments:
        if old.start < AS_OF:
            assert new[old.unit_id].model_dump(exclude={"state"}) == old.model_dump(
                exclude={"state"})
            assert new[old.unit_id].state is VisitState.DONE


def test_the_hand_made_baseline_passes_the_checker() -> None:
    assert check_schedule(campaign(), baseline()).ok


def test_no_event_replan_returns_the_baseline_unchanged() -> None:
    result = _replan()
    old, new = baseline(), result.schedule
    assert [a.model_dump(exclude={"state"}) for a in new.assignments] == [
        a.model_dump(exclude={"state"}) for a in old.assignments]
    assert [a.state for a in new.assignments] == [
        VisitState.DONE, VisitState.DONE, VisitState.ANNOUNCED, VisitState.ANNOUNCED,
        VisitState.PLANNED]
    assert result.neighbourhood == []
    assert all(v == 0 for k, v in new.solver.objective_terms.items() if k.startswith("R"))


def test_member_ill_on_an_announced_visit_changes_members_not_the_date() -> None:
    """A3 is ill on U3's announced day: the date and team hold, only the group changes."""
    result = _replan({"kind": "member_unavailable", "member": "A3", "from": "2025-06-16",
                      "to": "2025-06-18"})
    u3 = _active(result.schedule)["U3"]
    assert (u3.team_id, u3.start, u3.state) == ("D1", date(2025, 6, 17), VisitState.ANNOUNCED)
    assert "A3" not in u3.member_ids
    assert result.phases[0].pinned == ["U3"] and result.phases[0].free == ["U3"]
    changed = len(set(u3.member_ids) ^ {"A1", "A3"})
    assert result.schedule.solver.objective_terms[RuleId.R04_MEMBERS_CHANGED] == \
        changed * CHANGE_COSTS.member_changed


def test_leader_ill_moves_the_visit_and_done_visits_never_move() -> None:
    """A1 leads every D1 visit: ill 09/06-30/06, D1's open visits must change; U1 (done) stays."""
    result = _replan({"kind": "member_unavailable", "member": "A1", "from": "2025-06-09",
                      "to": "2025-06-30"})
    _assert_done_visits_unchanged(result)
    new = _active(result.schedule)
    for unit_id in ("U3", "U5"):
        days = visit_days(result.applied.scenario.work_calendar(), new[unit_id].start, 1)
        assert "A1" not in new[unit_id].member_ids or days[0] > date(2025, 6, 30)
    assert new["U4"].start == date(2025, 6, 18)  # announced, untouched by the event


def test_member_leaves_and_a_newcomer_joins() -> None:
    result = _replan(
        {"kind": "member_leaves", "member": "A2", "from": "2025-06-20"},
        {"kind": "member_joins", "from": "2025-06-20", "member": {
            "id": "A4", "label": "Thành viên mới", "agency": "STP", "team": "D1"}})
    u5 = _active(result.schedule)["U5"]
    assert "A2" not in u5.member_ids
    assert u5.start == date(2025, 6, 24)  # planned visit: members change, the date holds


def test_unit_asks_to_move_off_its_announced_date() -> None:
    result = _replan({"kind": "unit_moves", "unit": "U4", "excluded_dates": ["2025-06-18"]})
    u4 = _active(result.schedule)["U4"]
    assert u4.start != date(2025, 6, 18)
    assert u4.state is VisitState.PLANNED  # a new date needs a new announcement
    assert u4.announce_by >= AS_OF
    assert _active(result.schedule)["U3"].start == date(2025, 6, 17)


def test_unit_added_and_removed() -> None:
    result = _replan(
        {"kind": "unit_added", "unit": {"id": "U6", "name": "Xã Mới", "kind": "commune",
                                        "window": {"from": "2025-07-01", "to": "2025-07-31"}}},
        {"kind": "unit_removed", "unit": "U5"})
    new = _active(result.schedule)
    assert date(2025, 7, 1) <= new["U6"].start <= date(2025, 7, 31)
    assert "U5" not in new
    cancelled = [a for a in result.schedule.assignments if a.state is VisitState.CANCELLED]
    assert [a.unit_id for a in cancelled] == ["U5"]
    assert {u: _where(a) for u, a in new.items() if u != "U6"} == {
        u: _where(a) for u, a in _active(baseline()).items() if u != "U5"}


def test_surprise_visit_is_on_its_date_with_no_report() -> None:
    result = _replan({"kind": "surprise_visit", "unit": "U5", "date": "2025-06-26"})
    u5 = _active(result.schedule)["U5"]
    assert u5.start == date(2025, 6, 26)
    assert u5.form is Form.SURPRISE and u5.report_due is None
    assert len([a for a in result.schedule.assignments if a.unit_id == "U5"]) == 1


def test_mid_campaign_merger_keeps_announced_visits_in_place() -> None:
    """U4 (announced 18/06) and U5 (planned 24/06) merge into C1 from 16/06."""
    result = _replan({"kind": "units_merged", "units": ["U4", "U5"], "from": "2025-06-16",
                      "into": {"id": "C1", "name": "Phường Hợp nhất"}})
    new = _active(result.schedule)
    assert set(new) == {"U1", "U2", "U3", "C1"}  # never a duplicate visit
    # C1 was never told: it keeps U4's team, as near U4's 18/06 as a notice allows. C1 exists
    # from the merger (16/06), so it is announced from then, its report due 5 working days
    # before the visit: 23/06.
    assert (new["C1"].team_id, new["C1"].start) == ("D2", date(2025, 6, 23))
    assert new["C1"].state is VisitState.PLANNED
    assert new["C1"].announce_by is not None and new["C1"].announce_by >= AS_OF
    old = _active(baseline())
    assert _where(new["U3"]) == _where(old["U3"])
    assert new["U3"].state is VisitState.ANNOUNCED
    _assert_done_visits_unchanged(result)


def test_merger_of_done_units_gives_the_new_unit_a_visit_after_the_merger() -> None:
    result = _replan({"kind": "units_merged", "units": ["U1", "U2"], "from": "2025-06-16",
                      "into": {"id": "C1", "name": "Hợp nhất"}})
    new = _active(result.schedule)
    assert new["C1"].start >= date(2025, 6, 16)
    _assert_done_visits_unchanged(result)


def test_split_first_new_unit_takes_the_visit_second_gets_its_own() -> None:
    result = _replan({"kind": "unit_split", "unit": "U5", "from": "2025-06-16",
                      "into": [{"id": "C1", "name": "Phường A"}, {"id": "C2", "name": "Phường B"}]})
    new = _active(result.schedule)
    assert "U5" not in new
    assert (new["C1"].team_id, new["C1"].start) == ("D1", date(2025, 6, 24))
    assert new["C2"].start >= date(2025, 6, 16)
    _assert_done_visits_unchanged(result)


@pytest.mark.parametrize("weight", ["announced_moved", "planned_moved", "member_changed"])
def test_change_costs_are_ordered_as_planners_asked(weight: str) -> None:
    c = CHANGE_COSTS
    assert c.announced_moved > 10 * c.planned_moved
    assert c.planned_moved > 8 * c.member_changed  # a whole group of four replaced < one move
    assert c.announced_team >= c.announced_moved and c.planned_team >= c.planned_moved
    assert getattr(c, weight) > 0


def test_dates_in_messages_are_vietnamese_style() -> None:
    result = _replan({"kind": "unit_moves", "unit": "U4", "excluded_dates": ["2025-06-18"]})
    why = " ".join(result.fates["U4"].reasons)
    assert format_vn(date(2025, 6, 18)) in why


def test_neighbourhood_widens_only_when_the_broken_visits_cannot_fit() -> None:
    """U6 must be visited by D1 on 24/06, U5's planned day: U5 has to make room."""
    result = _replan({"kind": "unit_added", "unit": {
        "id": "U6", "name": "Xã Mới", "kind": "commune", "team": "D1",
        "window": {"from": "2025-06-24", "to": "2025-06-24"}}})
    assert all(p.status is Status.INFEASIBLE for p in result.phases[:-1])
    assert result.phases[0].free == ["U6"]
    assert "may move" in result.phases[-1].name  # groups alone could not make room
    assert "U5" in result.neighbourhood and "U5" not in result.phases[-1].pinned
    assert "U3" in result.phases[-1].pinned  # announced: only its group could have changed
    new = _active(result.schedule)
    assert new["U6"].start == date(2025, 6, 24) and new["U5"].start != date(2025, 6, 24)
    assert _where(new["U3"]) == _where(_active(baseline())["U3"])  # announced: not touched
    assert any("make room" in w for w in result.reasons()["U5"]["why"])


def test_optional_unit_left_out_in_the_baseline_stays_out() -> None:
    data_scenario = campaign().model_dump(by_alias=True, mode="json", exclude_none=True)
    data_scenario["units"].append({"id": "U7", "name": "Tuỳ chọn", "kind": "ward",
                                   "optional": True,
                                   "window": {"from": "2025-06-02", "to": "2025-07-31"}})
    scenario = Scenario.model_validate(data_scenario)
    plan = baseline(scenario)
    plan.unscheduled.append(Unscheduled(unit_id="U7", reason="left out"))
    result = replan(scenario, plan, AS_OF, None, OPTIONS)
    assert result.schedule.assignment_for("U7") is None
    assert [u.unit_id for u in result.schedule.unscheduled] == ["U7"]
    assert check_schedule(scenario, result.schedule, as_of=AS_OF).ok


def test_impossible_replan_is_explained() -> None:
    """Both leaders leave: no visit can have a lead; the re-plan says so in planners' words."""
    result = replan(campaign(), baseline(), AS_OF, events(
        {"kind": "member_leaves", "member": "A1", "from": "2025-06-13"},
        {"kind": "member_leaves", "member": "B1", "from": "2025-06-13"}), OPTIONS)
    assert result.schedule is None and result.status is Status.INFEASIBLE
    assert set(result.phases[-1].free) == {"U3", "U4", "U5"}  # every open visit was tried
    assert result.phases[-1].pinned == []
    assert RuleId.H06_LEAD in result.explanation or RuleId.H11_AVAILABLE in result.explanation


_TWO_NEW = (
    {"kind": "unit_added", "unit": {"id": "U6", "name": "Xã Một", "kind": "commune",
                                    "window": {"from": "2025-07-01", "to": "2025-07-31"}}},
    {"kind": "unit_added", "unit": {"id": "U7", "name": "Xã Hai", "kind": "commune",
                                    "window": {"from": "2025-06-23", "to": "2025-07-31"}}},
)


def test_large_neighbourhood_is_placed_batch_by_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replan_module, "BATCH_SIZE", 1)
    result = _replan(*_TWO_NEW)
    assert result.status is Status.FEASIBLE  # batches are not proven optimal together
    new = _active(result.schedule)
    assert date(2025, 7, 1) <= new["U6"].start and date(2025, 6, 23) <= new["U7"].start
    assert {u: _where(a) for u, a in new.items() if u in BASELINE_VISITS} == {
        u: _where(a) for u, a in _active(baseline()).items()}


def test_greedy_placement_stands_in_when_cp_sat_runs_out_of_time(
        monkeypatch: pytest.MonkeyPatch) -> None:
    real_solve = pipeline.solve

    def out_of_time(scenario: Any, options: Any, dom: Any = None) -> Any:
        solved = real_solve(scenario, options, dom=dom)
        return replace(solved, status=Status.UNKNOWN)

    monkeypatch.setattr(pipeline, "solve", out_of_time)
    result = _replan(*_TWO_NEW)
    assert "greedy planner" in result.phases[0].name
    assert {"U6", "U7"} <= set(_active(result.schedule))


def test_an_announced_optional_visit_is_moved_before_it_is_dropped() -> None:
    """U3 (announced, D1 on 17/06) is optional; D1's only lead A1 leaves: leaving U3 out would
    cost less than moving it under the usual soft rules, but an announced visit must be moved
    (to D2, told again) rather than silently dropped."""
    from replan_helpers import campaign_data

    from conftest import make_scenario

    data = campaign_data()
    next(u for u in data["units"] if u["id"] == "U3")["optional"] = True
    scenario = make_scenario(data)
    leaves = events({"kind": "member_leaves", "member": "A1", "from": "2025-06-12"},
                    scenario=scenario)
    result = replan(scenario, baseline(scenario), AS_OF, leaves, OPTIONS)
    assert result.schedule is not None
    u3 = _active(result.schedule).get("U3")
    assert u3 is not None, "the announced visit was dropped"
    assert u3.team_id == "D2"
    assert check_schedule(result.applied.scenario, result.schedule, as_of=AS_OF).ok
