"""Excel and HTML exports read back and compared with the schedule."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from html.parser import HTMLParser
from typing import Any

import openpyxl
import pytest
from test_output_files import FORMULA
from test_output_plans import HANOI_PLAN, TINY_PLAN, build, communes_plan, hanoi_schedule, tiny_schedule

from conftest import make_scenario, tiny_scenario_data
from models.calendar import format_vn
from models.rules import RuleId
from models.scenario import Scenario
from models.schedule import Schedule, Status, Unscheduled
from scheduler.output.html import report_html
from scheduler.output.view import build_view
from scheduler.output.xlsx import HEADER_ROW, workbook_bytes


def plans(tiny: Scenario, hanoi: Scenario) -> list[tuple[Scenario, Schedule]]:
    return [(tiny, tiny_schedule(tiny)), (hanoi, hanoi_schedule(hanoi))]


def load_xlsx(scenario: Scenario, schedule: Schedule, lang: str = "vi",
              member_sheets: bool | None = None) -> Any:
    data = workbook_bytes(build_view(scenario, schedule), lang, member_sheets)
    return openpyxl.load_workbook(io.BytesIO(data)), data


def table_rows(ws: Any) -> list[tuple[Any, ...]]:
    return [r for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if r[0] is not None]


# --- Excel --------------------------------------------------------------------------------


@pytest.mark.parametrize("which", [0, 1])
def test_xlsx_plan_sheet_matches_the_schedule(which: int, tiny, hanoi) -> None:
    scenario, schedule = plans(tiny, hanoi)[which]
    wb, _ = load_xlsx(scenario, schedule)
    ws = wb["Lịch kiểm tra"]
    assert [c.value for c in ws[HEADER_ROW]] == [
        "STT", "Đơn vị được kiểm tra", "Đoàn", "Thời gian kiểm tra", "Đến ngày",
        "Hạn gửi báo cáo", "Thông báo trước ngày", "Thành phần đoàn", "Ghi chú", "Tình trạng",
        "Mã đơn vị"]
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    rows = table_rows(ws)
    assert len(rows) == len(schedule.assignments)
    seen = set()
    for number, row in enumerate(rows, start=1):
        a = next(x for x in schedule.assignments if scenario.unit(x.unit_id).name == row[1])
        seen.add(a.unit_id)
        assert row[0] == number
        assert row[2] == scenario.team(a.team_id).name
        assert row[3].date() == a.start and row[4].date() == a.end
        assert row[5].date() == a.report_due
        assert (row[6].date() if row[6] else None) == a.announce_by
        assert row[10] == a.unit_id
        group = row[7].split("\n")
        assert group[0] == scenario.member(a.lead_id).label + " (chủ trì)"
        assert {g.removesuffix(" (chủ trì)") for g in group} == {
            scenario.member(m).label for m in a.member_ids}
    assert seen == {a.unit_id for a in schedule.assignments}
    starts = [r[3] for r in rows]
    assert starts == sorted(starts)
    date_cell = ws.cell(row=HEADER_ROW + 1, column=4)
    assert date_cell.is_date and date_cell.number_format == "dd/mm/yyyy"
    assert ws.column_dimensions["B"].width > 20


def test_xlsx_has_a_sheet_per_team_and_member_and_a_summary(hanoi) -> None:
    schedule = hanoi_schedule(hanoi)
    wb, _ = load_xlsx(hanoi, schedule, member_sheets=True)
    team_names = [t.name for t in hanoi.teams]
    assert wb.sheetnames == ["Lịch kiểm tra", *team_names,
                             *[m.id for m in hanoi.members], "Tổng hợp"]
    for team in hanoi.teams:
        units = {r[1] for r in table_rows(wb[team.name])}
        assert units == {hanoi.unit(a.unit_id).name for a in schedule.assignments
                         if a.team_id == team.id}
    for member in hanoi.members:
        rows = table_rows(wb[member.id])
        mine = [a for a in schedule.assignments if member.id in a.member_ids]
        assert {r[1] for r in rows} == {hanoi.unit(a.unit_id).name for a in mine}
        assert wb[member.id].freeze_panes == f"A{HEADER_ROW + 1}"
    summary = {r[0]: r[1] for r in wb["Tổng hợp"].iter_rows(values_only=True) if r[0]}
    assert summary["Trạng thái"] == "FEASIBLE"
    assert summary["Giá trị mục tiêu"] == 57
    assert summary["Cận dưới"] == 50
    assert summary["Số đơn vị"] == len(hanoi.units)
    assert summary["Chưa xếp lịch"] == 0
    assert summary["Đoàn kiểm tra số 1"] == 7  # visits of team 1 in the per-team block
    assert any(str(k).startswith(RuleId.S03_EARLY) for k in summary)


def test_xlsx_formula_unit_name_stays_inert_text() -> None:
    data = tiny_scenario_data()
    data["units"][0]["name"] = FORMULA
    data["members"][1]["label"] = "+ Thư ký"
    scenario = make_scenario(data)
    wb, raw = load_xlsx(scenario, tiny_schedule(scenario))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells, "the unit name should appear in the workbook"
    for cell in cells:
        assert cell.data_type == "s"
        assert cell.value == "'" + FORMULA
    groups = [c.value for row in wb["Lịch kiểm tra"].iter_rows() for c in row
              if isinstance(c.value, str) and "Thư ký" in c.value]
    assert groups and all(not g.startswith("+") for g in groups)
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert all("<f>" not in archive.read(n).decode() for n in sheets)


def test_xlsx_summary_lists_units_without_a_visit(tiny) -> None:
    schedule = build(tiny, TINY_PLAN[:2], [Unscheduled(unit_id="U3", reason="thiếu người")])
    wb, _ = load_xlsx(tiny, schedule)
    rows = {r[0]: r[1] for r in wb["Tổng hợp"].iter_rows(values_only=True) if r[0]}
    assert rows["Chưa xếp lịch"] == 1
    assert rows["Phường Ba Đình"] == "thiếu người"


def test_xlsx_in_english(tiny) -> None:
    wb, _ = load_xlsx(tiny, tiny_schedule(tiny), lang="en")
    assert wb.sheetnames[0] == "Schedule" and wb.sheetnames[-1] == "Summary"
    assert wb["Schedule"].cell(row=HEADER_ROW, column=2).value == "Inspected unit"


# --- HTML ---------------------------------------------------------------------------------


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [v or "" for k, v in attrs if k in ("src", "href", "xlink:href")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(document: str) -> Collector:
    parser = Collector()
    parser.feed(document)
    parser.close()
    return parser


@pytest.mark.parametrize("which", [0, 1])
def test_html_report_names_every_unit_and_works_offline(which: int, tiny, hanoi) -> None:
    scenario, schedule = plans(tiny, hanoi)[which]
    kept = schedule.assignments[:-1]
    dropped = schedule.assignments[-1].unit_id
    schedule = schedule.model_copy(update={
        "assignments": kept, "unscheduled": [Unscheduled(unit_id=dropped, reason="thiếu người")]})
    parsed = parse_html(report_html(build_view(scenario, schedule)))
    text = "\n".join(parsed.text)
    for unit in scenario.units:
        assert unit.name in text
    assert "thiếu người" in text
    assert "svg" in parsed.tags and "table" in parsed.tags
    assert "script" not in parsed.tags and "link" not in parsed.tags and "img" not in parsed.tags
    assert all(link.startswith("#") for link in parsed.links)
    for a in kept:
        assert format_vn(a.start) in text


def test_html_report_shows_the_solver_figures(hanoi) -> None:
    schedule = hanoi_schedule(hanoi)
    text = "\n".join(parse_html(report_html(build_view(hanoi, schedule), lang="en")).text)
    for figure in ("FEASIBLE", "57", "50", "12.28%", "1.25", RuleId.S01_TEAM_BALANCE, RuleId.S03_EARLY,
                   "Objective", "Bound", "Gap"):
        assert figure in text


# --- headlines in planners' words ---------------------------------------------------------

SOLVER_WORDS = ("OPTIMAL", "FEASIBLE", "Cận dưới", "Giá trị mục tiêu", "Trạng thái")


def headline_and_details(document: str) -> tuple[str, str]:
    """The report's text before its technical-details section, and the section's own text."""
    before, details = document.split("<details>", 1)
    return "\n".join(parse_html(before).text), "\n".join(parse_html(details).text)


def test_html_headline_speaks_plainly_and_folds_the_solver_figures_away(hanoi) -> None:
    headline, details = headline_and_details(report_html(build_view(hanoi, hanoi_schedule(hanoi))))
    assert not [w for w in SOLVER_WORDS if w in headline]
    assert "Kế hoạch hợp lệ, có thể còn cải thiện (chênh lệch tối đa 12,3%)" in headline  # 7/57
    assert "16/06/2025" in headline and "03/07/2025" in headline  # first and last visit
    assert "Chi tiết kỹ thuật" in details
    assert all(w in details for w in ("FEASIBLE", "Cận dưới", "57", "50", "12.28%"))
    proven = build(hanoi, HANOI_PLAN, status=Status.OPTIMAL, objective=50, bound=50)
    headline, details = headline_and_details(report_html(build_view(hanoi, proven)))
    assert "Kế hoạch tốt nhất có thể (đã chứng minh)" in headline
    assert "OPTIMAL" not in headline and "OPTIMAL" in details


def test_html_report_has_a_team_chart_per_month_at_140_units() -> None:
    scenario, schedule = communes_plan()
    document = report_html(build_view(scenario, schedule))
    months = sorted({(d.year, d.month) for a in schedule.assignments
                     for d in (a.start, a.report_due) if d})
    sections = re.findall(r"<section class='month'><h3>Tháng (\d\d)/(\d{4})</h3>", document)
    assert [(int(y), int(m)) for m, y in sections] == months
    assert document.count("<svg") == len(months)
    headline, _ = headline_and_details(document)
    assert not [w for w in SOLVER_WORDS if w in headline]
    assert f"{len(scenario.units)}" in headline


def test_xlsx_summary_puts_planners_words_first_and_solver_figures_below(hanoi) -> None:
    wb, _ = load_xlsx(hanoi, hanoi_schedule(hanoi))
    rows = [r for r in wb["Tổng hợp"].iter_rows(values_only=True) if r[0]]
    split = next(i for i, r in enumerate(rows) if r[0] == "Chi tiết kỹ thuật")
    above = "\n".join(str(v) for r in rows[:split] for v in r if v is not None)
    below = {r[0]: r[1] for r in rows[split:]}
    assert not [w for w in SOLVER_WORDS if w in above]
    first = {r[0]: r[1] for r in rows[:split]}
    assert first["Đánh giá kế hoạch"].startswith("Kế hoạch hợp lệ, có thể còn cải thiện")
    assert first["Ngày kiểm tra đầu tiên"].date() == date(2025, 6, 16)  # a real date cell
    assert first["Ngày kiểm tra cuối cùng"].date() == date(2025, 7, 3)
    assert first["Số ngày đoàn đi kiểm tra"] == len({(a.team_id, a.start)
                                                      for a in hanoi_schedule(hanoi).assignments})
    assert below["Trạng thái"] == "FEASIBLE" and below["Cận dưới"] == 50


def test_team_days_count_a_route_once(tiny) -> None:
    route = [("U1", "D1", date(2025, 6, 10), ["A1", "A2"], "A1"),
             ("U3", "D1", date(2025, 6, 10), ["A1", "A2"], "A1")]
    wb, _ = load_xlsx(tiny, build(tiny, route))
    rows = {r[0]: r[1] for r in wb["Tổng hợp"].iter_rows(values_only=True) if r[0]}
    assert rows["Số ngày đoàn đi kiểm tra"] == 1
    assert rows["Đã xếp lịch"] == 2


def test_the_report_shows_the_campaign_dates_and_each_conclusion() -> None:
    data = tiny_scenario_data()
    data["rules"]["conclusion_days"] = 10
    data["campaign"].update(fieldwork_ends="2025-07-25", report_date="2025-08-15")
    scenario = make_scenario(data)
    schedule = tiny_schedule(scenario)
    html = report_html(build_view(scenario, schedule))
    assert "Kết thúc kiểm tra thực tế: 25/07/2025" in html
    assert "Báo cáo kết quả kiểm tra: 15/08/2025" in html
    for a in schedule.assignments:
        assert a.conclusion_due is not None
        assert f"Hạn ban hành kết luận {format_vn(a.conclusion_due)}" in html
    plain = report_html(build_view(make_scenario(tiny_scenario_data()), tiny_schedule(
        make_scenario(tiny_scenario_data()))))
    assert "Hạn ban hành kết luận" not in plain and "Kết thúc kiểm tra thực tế" not in plain
