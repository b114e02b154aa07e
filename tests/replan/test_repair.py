"""Repair keeps every valid edit (date, team, members, lead), undoes the others field by field
with the rule behind each, and puts a swapped-out member back.

Property tests run on the small campaign of the re-plan tests, with a deputy in each team so
that a lead can move; every single edit of a visit is enumerated and sorted valid or invalid by
the checker, and hypothesis draws among them."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from replan_helpers import baseline, campaign_data

from cli import main
from conftest import make_scenario
from models.scenario import Scenario
from models.schedule import Assignment, Schedule
from scheduler.check.checker import check_schedule
from scheduler.output import build_outputs
from scheduler.plan.pipeline import greedy_schedule
from scheduler.problem.schedule_build import make_assignment
from scheduler.replan.plan_import import load_plan
from scheduler.replan.repair import RepairResult, repair
from scheduler.search.solve import SolveOptions

OPTIONS = SolveOptions(time_limit_s=5, workers=1, seed=0)
PROPERTY = settings(max_examples=8, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


@cache
def scenario() -> Scenario:
    data = campaign_data()
    for member in data["members"]:
        if member["id"] in ("A3", "B3"):
            member["role"] = "deputy"  # a lead can move to the deputy
    return make_scenario(data)


Edit = tuple[str, str, Assignment]  # unit, field edited, the edited visit


def _visit(plan: Schedule, unit_id: str) -> Assignment:
    found = plan.assignment_for(unit_id)
    assert found is not None
    return found


def _edited(a: Assignment, team: str, start: date, members: list[str], lead: str) -> Assignment:
    s = scenario()
    return make_assignment(s, s.work_calendar(), a.unit_id, team, start, members, lead, a.state)


def _single_edits() -> list[Edit]:
    """Every edit of one field of one visit: date, team, members (a swap), lead."""
    s, plan = scenario(), baseline(scenario())
    teams = {t.id: [m.id for m in s.team_members(t.id)] for t in s.teams}
    found: list[Edit] = []
    for a in plan.assignments:
        for shift in range(-9, 10):
            day = a.start + timedelta(days=shift)
            if shift:
                found.append((a.unit_id, "date", _edited(a, a.team_id, day, a.member_ids,
                                                         a.lead_id)))
        other = next(t for t in teams if t != a.team_id)
        found.append((a.unit_id, "team", _edited(a, other, a.start, teams[other][:1] + teams[other][2:],
                                                 teams[other][0])))
        for out in a.member_ids:
            for into in [m for ids in teams.values() for m in ids if m not in a.member_ids]:
                group = [into if m == out else m for m in a.member_ids]
                lead = into if out == a.lead_id else a.lead_id
                found.append((a.unit_id, "members", _edited(a, a.team_id, a.start, group, lead)))
        for lead in a.member_ids:
            if lead != a.lead_id:
                found.append((a.unit_id, "lead", _edited(a, a.team_id, a.start, a.member_ids, lead)))
    return found


def _apply(plan: Schedule, *edits: Edit) -> Schedule:
    changed = {unit: visit for unit, _, visit in edits}
    return plan.model_copy(update={"assignments": [changed.get(a.unit_id, a)
                                                   for a in plan.assignments]})


@cache
def _sorted_edits() -> tuple[list[Edit], list[Edit]]:
    """(valid, invalid) single edits; an invalid one here breaks a rule of its own visit only
    (a weekend, a member of the other team, a lead who may not lead), so only undoing it helps."""
    valid, invalid = [], []
    for edit in _single_edits():
        report = check_schedule(scenario(), _apply(baseline(scenario()), edit))
        if report.ok:
            valid.append(edit)
        elif {v.unit_id for v in report.violations} == {edit[0]} and \
                not any(v.rule_id.startswith(("H07", "H08", "H10", "H12")) for v in report.violations):
            invalid.append(edit)
    return valid, invalid


# The anchor: an edit that breaks a rule on U2 alone (the secretary made lead), so repair runs.
def _anchor() -> Edit:
    a = _visit(baseline(scenario()), "U2")
    return ("U2", "lead", _edited(a, a.team_id, a.start, a.member_ids, "B2"))


def _same(a: Assignment | None, b: Assignment) -> bool:
    return a is not None and (a.team_id, a.start, sorted(a.member_ids), a.lead_id) == (
        b.team_id, b.start, sorted(b.member_ids), b.lead_id)


def _repair(edited: Schedule) -> tuple[RepairResult, Schedule]:
    result = repair(scenario(), edited, OPTIONS, published=baseline(scenario()))
    assert result.schedule is not None
    assert check_schedule(scenario(), result.schedule).ok
    return result, result.schedule


def test_the_edit_families_hold_valid_and_invalid_edits_of_every_field() -> None:
    valid, invalid = _sorted_edits()
    assert {f for _, f, _ in valid} == {"date", "team", "members", "lead"}
    assert {"date", "members", "lead"} <= {f for _, f, _ in invalid}
    assert not check_schedule(scenario(), _apply(baseline(scenario()), _anchor())).ok


@PROPERTY
@given(st.data())
def test_an_unedited_plan_comes_back_identical(data: st.DataObject) -> None:
    """The published plan, or one whose every edit is valid: nothing to repair, same plan."""
    valid, _ = _sorted_edits()
    edits = data.draw(st.lists(st.sampled_from(valid), max_size=1))
    plan = _apply(baseline(scenario()), *edits)
    result = repair(scenario(), plan, OPTIONS, published=baseline(scenario()))
    assert result.schedule == plan and result.undone == [] and not result.needed


@PROPERTY
@given(st.data())
def test_a_random_valid_edit_is_kept(data: st.DataObject) -> None:
    valid, _ = _sorted_edits()
    field = data.draw(st.sampled_from(["date", "team", "members", "lead"]))
    unit, field, visit = data.draw(st.sampled_from(
        [e for e in valid if e[0] != "U2" and e[1] == field]))
    result, repaired = _repair(_apply(baseline(scenario()), _anchor(), (unit, field, visit)))
    assert _same(repaired.assignment_for(unit), visit), (field, visit)
    assert unit not in {u.unit_id for u in result.undone}
    [undone] = result.undone  # the anchor alone, its lead put back
    assert undone.unit_id == "U2" and [f.field for f in undone.fields()] == ["lead"]
    assert undone.fields()[0].rules == ("H06-lead",)


@PROPERTY
@given(st.data())
def test_a_random_invalid_edit_is_undone_and_listed(data: st.DataObject) -> None:
    _, invalid = _sorted_edits()
    field = data.draw(st.sampled_from(["date", "members", "lead"]))
    unit, field, visit = data.draw(st.sampled_from([e for e in invalid if e[1] == field]))
    edited = _apply(baseline(scenario()), (unit, field, visit))
    broken = {str(v.rule_id) for v in check_schedule(scenario(), edited).violations}
    result, repaired = _repair(edited)
    [undone] = [u for u in result.undone if u.unit_id == unit]
    fields = undone.fields()
    assert fields and all(set(f.rules) <= broken and f.rules for f in fields)
    if field == "members":  # a swap undone: the member it replaced is back
        original = _visit(baseline(scenario()), unit)
        assert sorted(_visit(repaired, unit).member_ids) == sorted(original.member_ids)


# --- the command, on the Hanoi plan a planner edited in the workbook -------------------------

COL = {"start": 4, "group": 8}
FIRST_ROW = 5


@pytest.fixture
def edited_workbook(tmp_path: Path, hanoi: Scenario) -> tuple[Path, Schedule]:
    plan = greedy_schedule(hanoi)
    for name, data in build_outputs(hanoi, plan, {"xlsx", "csv", "json", "ics"}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    root = Path(__file__).resolve().parents[2]
    (tmp_path / "scenario.yaml").write_bytes((root / "scenarios/hanoi-2025.yaml").read_bytes())
    return tmp_path, plan


def _group_text(members: list[str], lead: str) -> str:
    return "\n".join(f"{m} (chủ trì)" if m == lead else m for m in [lead, *[
        m for m in members if m != lead]])


def test_repair_command_keeps_the_lead_moved_to_the_deputy_and_puts_a_swapped_member_back(
        edited_workbook: tuple[Path, Schedule], hanoi: Scenario) -> None:
    folder, plan = edited_workbook
    order = sorted(plan.assignments, key=lambda a: (a.start, a.team_id, a.unit_id))
    deputy_row = next(i for i, a in enumerate(order[1:], 1)
                      if a.lead_id != hanoi.team_members(a.team_id)[1].id
                      and any(hanoi.member(m).role.value == "deputy" for m in a.member_ids))
    led = order[deputy_row]
    deputy = next(m for m in led.member_ids if hanoi.member(m).role.value == "deputy")
    swap_row = next(i for i, a in enumerate(order) if i not in (0, deputy_row))
    swapped = order[swap_row]
    out_of_team = next(m.id for m in hanoi.members if m.team != swapped.team_id)
    gone = next(m for m in swapped.member_ids if m != swapped.lead_id)
    wb = load_workbook(folder / "schedule.xlsx")
    ws = wb["Lịch kiểm tra"]
    ws.cell(FIRST_ROW, COL["start"]).value = "06/07/2025"  # a Sunday, after the Q2 window
    ws.cell(FIRST_ROW + deputy_row, COL["group"]).value = _group_text(led.member_ids, deputy)
    ws.cell(FIRST_ROW + swap_row, COL["group"]).value = _group_text(
        [out_of_team if m == gone else m for m in swapped.member_ids], swapped.lead_id)
    wb.save(folder / "edited.xlsx")
    out = folder / "repaired"
    result = CliRunner().invoke(main, ["repair", str(folder / "scenario.yaml"),
                                       str(folder / "edited.xlsx"), "--out", str(out),
                                       "--time-limit", "5", "--workers", "1",
                                       "--formats", "json,csv,xlsx,ics"])
    assert result.exit_code == 0, result.output
    repaired = load_plan(out / "schedule.json", hanoi)
    assert _visit(repaired, led.unit_id).lead_id == deputy  # the valid edit is kept
    assert sorted(_visit(repaired, swapped.unit_id).member_ids) == sorted(swapped.member_ids)
    assert f"- {order[0].unit_id} (" in result.output and "[H02-window" in result.output
    for name in ("schedule.xlsx", "ics/team-D1.ics", "notify.json", "scenario.yaml"):
        assert (out / name).is_file(), name
    lineage = repaired.lineage
    assert lineage is not None and lineage.baseline_path == str((folder / "schedule.json").resolve())
    assert lineage.ics_dir == str((folder / "ics").resolve())
