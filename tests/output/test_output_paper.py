"""Paper: the workbook's print settings and row heights, read back with openpyxl."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from test_output_exports import table_rows
from test_output_plans import hanoi_schedule, tiny_schedule

from cli import main
from conftest import tiny_scenario_data
from models.scenario import Scenario
from scheduler.output import write_outputs
from scheduler.output.gantt import render_months
from scheduler.output.gantt_page import A4_LANDSCAPE_IN, PAGE_MARGIN_IN
from scheduler.output.gantt_parts import panel_months
from scheduler.output.html import report_html
from scheduler.output.labels import labels
from scheduler.output.pdf import COLUMNS, Row, make_row, paginate, plan_pdf, visit_values
from scheduler.output.view import build_view
from scheduler.output.xlsx import HEADER_ROW, MEMBER_SHEETS_MAX, PLAN_COLUMNS, workbook_bytes
from scheduler.output.xlsx_print import LINE_PT, lines_shown


def workbook(scenario: Scenario, member_sheets: bool | None = None) -> Any:
    schedule = hanoi_schedule(scenario) if len(scenario.members) > 6 else tiny_schedule(scenario)
    data = workbook_bytes(build_view(scenario, schedule), "vi", member_sheets)
    return openpyxl.load_workbook(io.BytesIO(data))


def test_every_sheet_prints_a4_landscape_one_page_wide(hanoi: Scenario) -> None:
    wb = workbook(hanoi, member_sheets=True)
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert int(setup.paperSize) == int(ws.PAPERSIZE_A4) == 9, ws.title  # 9: A4
        assert setup.orientation == "landscape", ws.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_margins.left <= 0.5 and ws.page_margins.right <= 0.5, ws.title
        assert "&P" in (ws.oddFooter.center.text or ""), ws.title


def test_visit_tables_repeat_their_header_and_print_without_the_id_columns(hanoi: Scenario) -> None:
    wb = workbook(hanoi)
    ws = wb["Lịch kiểm tra"]
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    rows = len(table_rows(ws))
    assert ws.print_area == f"'Lịch kiểm tra'!$A$1:$I${HEADER_ROW + rows}"
    printed = sum(ws.column_dimensions[chr(ord("A") + i)].width for i in range(len(PLAN_COLUMNS) - 2))
    # A4 landscape less 0.8" of margins is ~785 pt; a width unit is ~5.3 pt of 11-pt Calibri:
    # the printed columns stay within ~1.15 pages, i.e. a scale of at least ~85 %.
    assert printed * 5.3 < 785 / 0.85


def test_row_heights_show_every_member_line(hanoi: Scenario) -> None:
    ws = workbook(hanoi)["Lịch kiểm tra"]
    group_col = PLAN_COLUMNS.index("group") + 1
    width = ws.column_dimensions[chr(ord("A") + group_col - 1)].width
    checked = 0
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        group = ws.cell(row=row, column=group_col).value
        if not group:
            continue
        lines = group.count("\n") + 1
        height = ws.row_dimensions[row].height
        assert height is not None and height >= lines * LINE_PT, (row, lines, height)
        assert height >= lines_shown(group, width) * LINE_PT
        checked += 1
    assert checked == len(table_rows(ws))


def test_lines_shown_counts_breaks_and_wrapping() -> None:
    assert lines_shown("a\nb\nc", 40) == 3
    assert lines_shown("x" * 100, 20) > 4
    assert lines_shown("", 10) == 1


def test_member_sheets_are_off_above_the_threshold_and_the_summary_says_so(hanoi: Scenario) -> None:
    assert len(hanoi.members) > MEMBER_SHEETS_MAX
    wb = workbook(hanoi)
    assert not set(wb.sheetnames) & {m.id for m in hanoi.members}
    summary = {r[0]: r[1] for r in wb["Tổng hợp"].iter_rows(values_only=True) if r[0]}
    assert "--member-sheets" in summary["Trang theo thành viên"]
    assert set(workbook(hanoi, member_sheets=True).sheetnames) >= {m.id for m in hanoi.members}


def test_member_sheets_on_by_default_for_a_small_team_and_off_when_asked(tiny: Scenario) -> None:
    assert len(tiny.members) <= MEMBER_SHEETS_MAX
    assert set(workbook(tiny).sheetnames) >= {m.id for m in tiny.members}
    wb = workbook(tiny, member_sheets=False)
    assert not set(wb.sheetnames) & {m.id for m in tiny.members}


# --- the PDF -------------------------------------------------------------------------------

A4_LANDSCAPE_PT = (841.68, 595.44)


def pdf_pages(data: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of every page, from the PDF's MediaBox entries."""
    assert data.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    pages = len(re.findall(rb"/Type /Page\b(?!s)", data))
    assert len(boxes) == pages
    return [(float(w), float(h)) for w, h in boxes]


def test_pdf_is_the_appendix_then_each_chart_a_month_a_page(hanoi: Scenario) -> None:
    plan = build_view(hanoi, hanoi_schedule(hanoi))
    data = plan_pdf(plan)
    sizes = pdf_pages(data)
    months = panel_months(plan)
    rows = [make_row(visit_values(plan, n, v, labels("vi"))) for n, v in enumerate(plan.visits, 1)]
    table = len(paginate(rows, make_row(["x"] * len(COLUMNS))))
    assert len(sizes) == table + 2 * len(months)  # the team and the member chart a month a page
    assert all(size == pytest.approx(A4_LANDSCAPE_PT, abs=0.5) for size in sizes)
    assert plan_pdf(plan) == data  # the same plan, the same file


def test_pdf_table_rows_never_pass_the_page_foot() -> None:
    tall = Row(tuple([["line"] * 20] + [[""]] * (len(COLUMNS) - 1)))
    pages = paginate([tall] * 9, tall)
    assert all(pages) and sum(len(p) for p in pages) == 9
    room = A4_LANDSCAPE_IN[1] - 2 * PAGE_MARGIN_IN - tall.height
    assert all(sum(r.height for r in page) <= room for page in pages)


def test_export_pdf_from_the_command_line(tiny: Scenario, tmp_path: Path) -> None:
    folder = tmp_path / "run"
    write_outputs(tiny, tiny_schedule(tiny), folder, {"json"},
                  extra={"scenario.yaml": yaml.safe_dump(tiny_scenario_data()).encode()})
    result = CliRunner().invoke(main, ["export", str(folder / "schedule.json"), "--format", "pdf"])
    assert result.exit_code == 0, result.output
    sizes = pdf_pages((folder / "ke-hoach.pdf").read_bytes())
    assert len(sizes) == 1 + 2  # one table page; June (every visit and deadline), team and member
    bad = CliRunner().invoke(main, ["export", str(folder / "schedule.json"), "--format", "pdf",
                                    "--out", str(tmp_path / "plan.png")])
    assert bad.exit_code == 2 and ".pdf" in bad.output
    assert not (tmp_path / "plan.png").exists()


# --- the HTML report on paper --------------------------------------------------------------


def test_report_prints_a_month_of_chart_a_landscape_page(hanoi: Scenario) -> None:
    plan = build_view(hanoi, hanoi_schedule(hanoi))
    months = render_months(plan, "team", "svg")
    page = report_html(plan, team_svgs=months)
    css = page.split("<style>")[1].split("</style>")[0]
    assert "@page{size:A4 landscape" in css
    assert ".month + .month{break-before:page}" in css and "thead{display:table-header-group}" in css
    assert page.count("<section class='month'>") == len(months) >= 2
    for _, svg in months:  # drawn for the page: at most the A4 landscape width between margins
        width_pt = float(re.search(rb'<svg[^>]* width="([\d.]+)pt"', svg).group(1))  # type: ignore[union-attr]
        assert width_pt <= 11.3 * 72


def test_gantt_draws_one_month_when_asked(tiny: Scenario, tmp_path: Path) -> None:
    folder = tmp_path / "run"
    write_outputs(tiny, tiny_schedule(tiny), folder, {"json"},
                  extra={"scenario.yaml": yaml.safe_dump(tiny_scenario_data()).encode()})
    out = tmp_path / "june.svg"
    result = CliRunner().invoke(main, ["gantt", str(folder / "schedule.json"), "--view", "member",
                                       "--month", "06/2025", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().count("<g id=\"axes_") == 1  # one month's panel
    bad = CliRunner().invoke(main, ["gantt", str(folder / "schedule.json"), "--month", "13/2025",
                                    "--out", str(tmp_path / "x.svg")])
    assert bad.exit_code == 2 and "01-12" in bad.output


def test_export_member_sheets_flag(tiny: Scenario, tmp_path: Path) -> None:
    folder = tmp_path / "run"
    write_outputs(tiny, tiny_schedule(tiny), folder, {"json"},
                  extra={"scenario.yaml": yaml.safe_dump(tiny_scenario_data()).encode()})
    sheets = {}
    for flag in ("--member-sheets", "--no-member-sheets"):
        out = tmp_path / f"{flag}.xlsx"
        result = CliRunner().invoke(main, ["export", str(folder / "schedule.json"), "--format", "xlsx",
                                           "--out", str(out), flag])
        assert result.exit_code == 0, result.output
        sheets[flag] = set(openpyxl.load_workbook(out).sheetnames)
    members = {m.id for m in tiny.members}
    assert members <= sheets["--member-sheets"] and not members & sheets["--no-member-sheets"]
