"""Bad-input corpus, the surfaces added since the first one: workbooks and CSV plans read back,
unit lists, Word templates and control characters (README "Bad input").

Each case spoils one thing of a solved Hanoi plan (``surface_helpers.solved_folder``) and expects
exit 2 naming the file, the sheet, row or field and the fix, with no traceback, or, where the
input is valid after all (a renamed plan sheet), the plan read as the planner sees it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook
from surface_helpers import assert_refused, copy_plan, declare_dimension, rezip, run

from conftest import SCENARIOS
from models.workbook import MAX_CELLS, MAX_COLUMNS, MAX_ROWS

PLAN_SHEET = "Lịch kiểm tra"
HEADER_ROW = 4
Edit = Callable[[Any], None]


def edited_workbook(tmp: Path, edit: Edit) -> tuple[Path, Path]:
    """(scenario.yaml, schedule.xlsx) of a copied plan, the workbook changed by ``edit``."""
    folder = copy_plan(tmp)
    book = folder / "schedule.xlsx"
    wb = load_workbook(book)
    edit(wb)
    wb.save(book)
    return folder / "scenario.yaml", book


def first_row_cell(column: int, value: Any, sheet: str = PLAN_SHEET) -> Edit:
    def edit(wb: Any) -> None:
        wb[sheet].cell(HEADER_ROW + 1, column, value)
    return edit


def plan_columns(wb: Any) -> dict[str, int]:
    return {str(c.value): c.column for c in wb[PLAN_SHEET][HEADER_ROW] if c.value}


# --- workbooks that would not fit: refused before reading, by every command that reads one ------

DIMENSIONS = [("A1:XFD1048576", "declares"), (f"A1:K{MAX_ROWS + 1}", "rows"),
              (f"A1:{'ZZ'}10", "columns"), (f"A1:IV{MAX_CELLS // MAX_COLUMNS + 1}", "cells")]
READERS: list[Callable[[Path, Path, Path], list[str]]] = [
    lambda sc, book, tmp: ["check", str(sc), str(book)],
    lambda sc, book, tmp: ["repair", str(sc), str(book), "--out", str(tmp / "r")],
    lambda sc, book, tmp: ["replan", str(sc), "--baseline", str(book), "--as-of", "2025-08-01",
                           "--out", str(tmp / "re")],
    lambda sc, book, tmp: ["gantt", str(book), "--out", str(tmp / "g.png")],
    lambda sc, book, tmp: ["export", str(book), "--format", "csv", "--out", str(tmp / "x.csv")],
]


@pytest.mark.parametrize("ref,word", DIMENSIONS)
@pytest.mark.parametrize("reader", READERS, ids=["check", "repair", "replan", "gantt", "export"])
def test_declared_dimension_too_big_is_refused(tmp_path: Path, ref: str, word: str,
                                               reader: Callable[..., list[str]]) -> None:
    folder = copy_plan(tmp_path)
    declare_dimension(folder / "schedule.xlsx", ref)
    result = run(reader(folder / "scenario.yaml", folder / "schedule.xlsx", tmp_path))
    assert_refused(result, "schedule.xlsx", f"sheet {PLAN_SHEET}", word, "Ctrl+End")
    assert not (tmp_path / "r").exists() and not (tmp_path / "re").exists()


@pytest.mark.parametrize("megabytes", [51, 200])
def test_workbook_unpacking_to_more_than_the_limit_is_refused(tmp_path: Path, megabytes: int) -> None:
    folder = copy_plan(tmp_path)
    rezip(folder / "schedule.xlsx", lambda name, data: data,
          {"xl/media/padding.bin": b"\0" * (megabytes * 2**20)})
    assert_refused(run(["check", str(folder / "scenario.yaml"), str(folder / "schedule.xlsx")]),
                   "schedule.xlsx", "unpacks to", "keep only")


def test_sheet_holding_more_rows_than_declared_is_refused(tmp_path: Path) -> None:
    def pad(wb: Any) -> None:
        ws = wb[PLAN_SHEET]
        ws.cell(MAX_ROWS + 10, 1, "x")
    sc, book = edited_workbook(tmp_path, pad)
    declare_dimension(book, "A1:K18")  # the declaration lies: the rows read are counted
    assert_refused(run(["check", str(sc), str(book)]), "schedule.xlsx", "row", "Ctrl+End")


@pytest.mark.parametrize("content", [b"", b"not a zip", b"PK\x03\x04broken", b"\x00" * 4096])
def test_file_that_is_no_workbook_is_refused(tmp_path: Path, content: bytes) -> None:
    folder = copy_plan(tmp_path)
    (folder / "schedule.xlsx").write_bytes(content)
    assert_refused(run(["check", str(folder / "scenario.yaml"), str(folder / "schedule.xlsx")]),
                   "schedule.xlsx", "save it from Excel")


# --- which sheet is the plan ---------------------------------------------------------------------


def hide(state: str) -> Edit:
    def edit(wb: Any) -> None:
        wb[PLAN_SHEET].sheet_state = state
    return edit


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_hidden_plan_sheet_is_not_read(tmp_path: Path, state: str) -> None:
    sc, book = edited_workbook(tmp_path, hide(state))
    assert_refused(run(["check", str(sc), str(book)]), "schedule.xlsx", "no visible sheet", "unhide")


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_visible_copy_of_a_hidden_plan_sheet_is_the_one_read(tmp_path: Path, state: str) -> None:
    def edit(wb: Any) -> None:
        copy = wb.copy_worksheet(wb[PLAN_SHEET])
        copy.title = "Bản sửa"
        copy.cell(HEADER_ROW + 1, plan_columns(wb)["Đoàn"], "Đoàn không có")
        wb[PLAN_SHEET].sheet_state = state
    sc, book = edited_workbook(tmp_path, edit)
    assert_refused(run(["check", str(sc), str(book)]), "sheet Bản sửa, row 5", "Đoàn không có")


@pytest.mark.parametrize("copies", [1, 2])
def test_two_candidate_plan_sheets_are_refused_naming_both(tmp_path: Path, copies: int) -> None:
    def edit(wb: Any) -> None:
        for n in range(copies):
            wb.copy_worksheet(wb[PLAN_SHEET]).title = f"Bản {n + 1}"
    sc, book = edited_workbook(tmp_path, edit)
    assert_refused(run(["check", str(sc), str(book)]), "two sheets could be the plan",
                   f"'{PLAN_SHEET}'", "'Bản 1'", "delete or hide")


@pytest.mark.parametrize("title", ["Kế hoạch", "Sheet1", "Lich kiem tra (sua)"])
def test_renamed_plan_sheet_is_still_the_plan(tmp_path: Path, title: str) -> None:
    def edit(wb: Any) -> None:
        wb[PLAN_SHEET].title = title
    sc, book = edited_workbook(tmp_path, edit)
    result = run(["check", str(sc), str(book)])
    assert result.exit_code == 0, result.output  # a team's sheet read instead misses visits: exit 1


def test_plan_sheet_without_its_header_row_is_refused(tmp_path: Path) -> None:
    def edit(wb: Any) -> None:
        wb[PLAN_SHEET].delete_rows(HEADER_ROW)
    sc, book = edited_workbook(tmp_path, edit)
    assert_refused(run(["check", str(sc), str(book)]), "no visible sheet", "header")


# --- cells a planner typed ------------------------------------------------------------------------

CELLS = [("Mã đơn vị+Đơn vị được kiểm tra", "Sở Không Có", "is not in the scenario"),
         ("Đoàn", "Đoàn 9", "team 'Đoàn 9'"),
         ("Thời gian kiểm tra", "31/02/2025", "the visit date"),
         ("Thời gian kiểm tra", "ngày mai", "the visit date"),
         ("Thành phần đoàn", "Ông Không Có", "member 'Ông Không Có'")]


@pytest.mark.parametrize("column,value,expected", CELLS)
def test_bad_cell_is_named_by_sheet_and_row(tmp_path: Path, column: str, value: str,
                                            expected: str) -> None:
    def edit(wb: Any) -> None:
        cols = plan_columns(wb)
        for name in column.split("+"):
            wb[PLAN_SHEET].cell(HEADER_ROW + 1, cols[name], value)
    sc, book = edited_workbook(tmp_path, edit)
    assert_refused(run(["check", str(sc), str(book)]), "schedule.xlsx", f"sheet {PLAN_SHEET}, row 5",
                   expected)


def test_duplicated_row_is_refused(tmp_path: Path) -> None:
    def edit(wb: Any) -> None:
        ws = wb[PLAN_SHEET]
        ws.append([c.value for c in ws[HEADER_ROW + 1]])
    sc, book = edited_workbook(tmp_path, edit)
    assert_refused(run(["check", str(sc), str(book)]), "already has a visit", "delete one of the rows")


# --- CSV plans -------------------------------------------------------------------------------------

CSV_CASES: list[tuple[Callable[[str], str], str]] = [
    (lambda t: t.replace("unit_id", "unit", 1), "missing column"),
    (lambda t: t.replace("team_id", "doan", 1), "missing column"),
    (lambda t: t.splitlines()[0] + "\r\nKHONG,D1,2025-07-01,,\r\n", "KHONG"),
    (lambda t: t.replace(",D1,", ",D9,", 1), "team 'D9'"),
    (lambda t: t.replace("2025-", "2025-13-", 1), "the visit date"),
    (lambda t: t + t.splitlines()[1] + "\r\n", "already has a visit"),
    (lambda t: "", "empty"),
]


@pytest.mark.parametrize("spoil,expected", CSV_CASES)
def test_bad_plan_csv_is_refused(tmp_path: Path, spoil: Callable[[str], str], expected: str) -> None:
    folder = copy_plan(tmp_path)
    path = folder / "schedule.csv"
    path.write_text(spoil(path.read_text("utf-8-sig")), "utf-8")
    assert_refused(run(["check", str(folder / "scenario.yaml"), str(path)]), "schedule.csv", expected)


def test_plan_csv_not_in_utf8_is_refused(tmp_path: Path) -> None:
    folder = copy_plan(tmp_path)
    (folder / "schedule.csv").write_bytes(b"unit_id,team_id\n\xff\xfe\xfa,D1\n")
    assert_refused(run(["check", str(folder / "scenario.yaml"), str(folder / "schedule.csv")]),
                   "schedule.csv")


# --- unit lists (validate --units) -------------------------------------------------------------------

UNITS = [{"id": "X1", "name": "Phường Một", "kind": "ward", "agency": "", "window": "Q3-Q4"}]


def units_book(tmp: Path, rows: list[dict[str, str]], hidden_first: bool = False) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    if hidden_first:
        ws.title, ws.sheet_state = "cũ", "hidden"
        ws.append(["nothing"])
        ws = wb.create_sheet("Đơn vị")
    ws.append(list(rows[0]))
    for row in rows:
        ws.append(list(row.values()))
    wb.save(tmp / "units.xlsx")
    return tmp / "units.xlsx"


def test_units_list_hidden_sheet_is_passed_over(tmp_path: Path) -> None:
    path = units_book(tmp_path, UNITS, hidden_first=True)
    result = run(["validate", str(SCENARIOS / "hanoi-2025.yaml"), "--units", str(path)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("ref", ["A1:XFD1048576", "A1:E200000", "A1:ZZ2"])
def test_units_list_declaring_too_much_is_refused(tmp_path: Path, ref: str) -> None:
    path = units_book(tmp_path, UNITS)
    declare_dimension(path, ref)
    assert_refused(run(["validate", str(SCENARIOS / "hanoi-2025.yaml"), "--units", str(path)]),
                   "units.xlsx", "declares")


CONTROL_IN_LISTS = [(".csv", c) for c in ("\x07", "\x1b", "\x7f", "\x85")] + \
    [(".xlsx", c) for c in ("\x7f", "\x85")]  # a workbook cannot hold C0 characters at all


@pytest.mark.parametrize("suffix,char", CONTROL_IN_LISTS)
def test_units_list_control_character_is_named(tmp_path: Path, suffix: str, char: str) -> None:
    rows = [{**UNITS[0], "name": f"Phường{char}Một"}]
    path = tmp_path / "units.csv"
    if suffix == ".csv":
        path.write_text("id,name,kind,agency,window\n" + ",".join(rows[0].values()) + "\n", "utf-8")
    else:
        path = units_book(tmp_path, rows)
    assert_refused(run(["validate", str(SCENARIOS / "hanoi-2025.yaml"), "--units", str(path)]),
                   path.name, "row 2", "control character", "retype")


# --- control characters in scenarios and schedules ------------------------------------------------

FIELDS = ["campaign.name", "teams.0.name", "members.0.label", "units.0.name", "units.0.id",
          "agencies.0.name"]


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\u0085"])
@pytest.mark.parametrize("field", FIELDS)
def test_control_character_in_scenario_is_named(tmp_path: Path, field: str, char: str) -> None:
    data = yaml.safe_load((SCENARIOS / "hanoi-2025.yaml").read_text("utf-8"))
    node: Any = data
    *parents, last = [int(k) if k.isdigit() else k for k in field.split(".")]
    for key in parents:
        node = node[key]
    node[last] = f"{node[last]}{char}x"
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=False), "utf-8")
    result = run(["validate", str(path)])
    assert_refused(result, "s.yaml", "control character", "retype")
    assert field.split(".")[0] in result.output


@pytest.mark.parametrize("where", ["units.0.name", "teams.0.name", "members.0.name"])
def test_control_character_in_schedule_json_is_named(tmp_path: Path, where: str) -> None:
    import json

    folder = copy_plan(tmp_path)
    data = json.loads((folder / "schedule.json").read_text("utf-8"))
    section, index, key = where.split(".")
    data[section][int(index)][key] += "\x1b"
    (folder / "schedule.json").write_text(json.dumps(data), "utf-8")
    assert_refused(run(["check", str(folder / "scenario.yaml"), str(folder / "schedule.json")]),
                   "schedule.json", "control character")


# --- Word templates ---------------------------------------------------------------------------------


def template_of(tmp: Path, spoil: Callable[[Path], object]) -> Path:
    path = tmp / "mau.docx"
    assert run(["letters", "--write-template", str(path)]).exit_code == 0
    spoil(path)
    return path


TEMPLATES: list[tuple[Callable[[Path], object], str]] = [
    (lambda p: p.write_bytes(b""), "mau.docx"),
    (lambda p: p.write_bytes(b"PK\x05\x06" + b"\0" * 18), "mau.docx"),
    (lambda p: rezip(p, lambda n, d: None if n == "word/document.xml" else d), "mau.docx"),
    (lambda p: rezip(p, lambda n, d: d, {"word/media/pad.bin": b"\0" * (60 * 2**20)}), "unpacks to"),
    (lambda p: rezip(p, lambda n, d: d.replace(b"{{kinh_gui}}", b"{{kinh_guj}}")
                     if n == "word/document.xml" else d), "{{kinh_guj}}"),
    (lambda p: shutil.copy(SCENARIOS / "hanoi-2025.yaml", p), "mau.docx"),
]


@pytest.mark.parametrize("spoil,expected", TEMPLATES)
def test_bad_word_template_is_refused_and_writes_nothing(tmp_path: Path, spoil: Callable[[Path], object],
                                                         expected: str) -> None:
    folder = copy_plan(tmp_path)
    template = template_of(tmp_path, spoil)
    result = run(["letters", str(folder / "schedule.json"), "--template", str(template),
                  "--out", str(tmp_path / "thu")])
    assert_refused(result, expected)
    assert not (tmp_path / "thu").exists()

