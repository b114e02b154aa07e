"""Reading a plan back from the xlsx/csv kiemtra wrote, after a planner edited it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import main
from conftest import ROOT
from models.loading import InputError
from models.rules import RuleId
from models.scenario import Scenario
from models.schedule import Schedule
from scheduler.check.checker import check_schedule
from scheduler.output import build_outputs
from scheduler.plan.pipeline import greedy_schedule
from scheduler.replan.plan_import import load_plan

COL = {"unit": 2, "team": 3, "start": 4, "group": 8, "unit_id": 11}  # as the xlsx writer lays out
FIRST_ROW = 5


def _key(plan: Schedule) -> list[tuple]:
    return sorted((a.unit_id, a.team_id, a.start, sorted(a.member_ids), a.lead_id, a.state)
                  for a in plan.assignments)


@pytest.fixture
def written(tmp_path: Path, hanoi: Scenario) -> tuple[Path, Schedule]:
    plan = greedy_schedule(hanoi)
    for name, data in build_outputs(hanoi, plan, {"xlsx", "csv", "json"}).items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "scenario.yaml").write_text(
        (ROOT / "scenarios/hanoi-2025.yaml").read_text(encoding="utf-8"),
        encoding="utf-8")
    return tmp_path, plan


@pytest.mark.parametrize("name", ["schedule.xlsx", "schedule.csv", "schedule.json"])
def test_an_unedited_file_reads_back_as_the_same_plan(written: tuple[Path, Schedule],
                                                     hanoi: Scenario, name: str) -> None:
    folder, plan = written
    assert _key(load_plan(folder / name, hanoi)) == _key(plan)


def _edit(folder: Path, changes: dict[tuple[int, str], object], delete_row: int | None = None
          ) -> Path:
    wb = load_workbook(folder / "schedule.xlsx")
    ws = wb["Lịch kiểm tra"]
    for (row, column), value in changes.items():
        ws.cell(row=FIRST_ROW + row, column=COL[column]).value = value
    if delete_row is not None:
        ws.delete_rows(FIRST_ROW + delete_row)
    wb.save(folder / "edited.xlsx")
    return folder / "edited.xlsx"


def test_dates_typed_dd_mm_yyyy_and_members_by_name_or_id(written: tuple[Path, Schedule],
                                                         hanoi: Scenario) -> None:
    folder, plan = written
    first = sorted(plan.assignments, key=lambda a: (a.start, a.team_id, a.unit_id))[0]
    team = [m for m in hanoi.team_members(first.team_id)]
    group = f"{team[0].label} (chủ trì)\n{team[2].id}; {team[3].label}"
    edited = load_plan(_edit(folder, {(0, "start"): "20/06/2025", (0, "group"): group}), hanoi)
    a = edited.assignment_for(first.unit_id)
    assert a is not None and a.start.isoformat() == "2025-06-20"
    assert a.member_ids == [team[0].id, team[2].id, team[3].id] and a.lead_id == team[0].id
    assert a.report_due is not None and a.report_due < a.start  # derived again, not read


def test_a_deleted_row_leaves_the_unit_unvisited_and_check_names_it(
        written: tuple[Path, Schedule], hanoi: Scenario) -> None:
    folder, _ = written
    path = _edit(folder, {}, delete_row=0)
    report = check_schedule(hanoi, load_plan(path, hanoi))
    assert [v.rule_id for v in report.violations] == [RuleId.H01_ONCE]
    result = CliRunner().invoke(main, ["check", str(folder / "scenario.yaml"), str(path)])
    assert result.exit_code == 1 and "H01-once" in result.output


def test_bad_cells_are_named_by_sheet_row_and_what_to_write(written: tuple[Path, Schedule],
                                                            hanoi: Scenario) -> None:
    folder, _ = written
    path = _edit(folder, {(1, "start"): "31/06/2025", (2, "group"): "Ông Không Có",
                          (3, "unit_id"): "", (3, "unit"): "Sở Không Tồn Tại"})
    with pytest.raises(InputError) as err:
        load_plan(path, hanoi)
    text = err.value.render("en")
    assert "row 6" in text and "dd/mm/yyyy" in text
    assert "row 7" in text and "'Ông Không Có' is not in the scenario" in text
    assert "row 8" in text and "'Sở Không Tồn Tại' is not in the scenario" in text
    result = CliRunner().invoke(main, ["check", str(folder / "scenario.yaml"), str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_outputs_read_an_edited_workbook(written: tuple[Path, Schedule]) -> None:
    folder, _ = written
    path = _edit(folder, {(0, "start"): "23/06/2025"})
    result = CliRunner().invoke(main, ["report", str(path), "--out", str(folder / "r.html")])
    assert result.exit_code == 0, result.output
    assert "23/06/2025" in (folder / "r.html").read_text(encoding="utf-8")


def test_repair_keeps_feasible_edits_and_says_which_it_undid(written: tuple[Path, Schedule],
                                                            hanoi: Scenario) -> None:
    folder, plan = written
    order = sorted(plan.assignments, key=lambda a: (a.start, a.team_id, a.unit_id))
    sunday = order[0]
    path = _edit(folder, {(0, "start"): "06/07/2025"})  # a Sunday, after the Q2 window
    out = folder / "repaired"
    result = CliRunner().invoke(main, ["repair", str(folder / "scenario.yaml"), str(path),
                                       "--out", str(out), "--time-limit", "5", "--workers", "1",
                                       "--formats", "json,csv"])
    assert result.exit_code == 0, result.output
    assert f"- {sunday.unit_id} (" in result.output and "[H02-window]" in result.output
    repaired = load_plan(out / "schedule.json", hanoi)
    assert check_schedule(hanoi, repaired).ok
    others = {a.unit_id for a in order[1:]}
    kept = [a for a in repaired.assignments if a.unit_id in others
            and (a.start, a.team_id) == next((b.start, b.team_id) for b in order
                                             if b.unit_id == a.unit_id)]
    assert len(kept) >= len(others) - 1  # the other visits stay where they were
    check = CliRunner().invoke(main, ["check", str(folder / "scenario.yaml"),
                                      str(out / "schedule.json")])
    assert check.exit_code == 0, check.output
