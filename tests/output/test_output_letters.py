"""Notice letters: written as .docx, opened with python-docx and read back field by field."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from test_output_plans import TINY_PLAN, build

from cli import main
from conftest import SCENARIOS, make_scenario, tiny_scenario_data
from models.calendar import format_vn
from models.scenario import Scenario
from models.schedule import Schedule, VisitState
from scheduler.output.letter_text import addressee
from scheduler.output.letters import (
    COMBINED_NAME,
    PLACEHOLDERS,
    LetterOptions,
    build_letters,
    letter_file_names,
)
from scheduler.output.view import build_view
from scheduler.plan.pipeline import greedy_schedule


def document_text(data: bytes) -> str:
    """Every paragraph of the body and of its tables (nested too), one per line."""
    doc = docx.Document(io.BytesIO(data))
    return "\n".join(Paragraph(p, doc).text for p in doc.element.body.iter(qn("w:p")))


def table_rows(data: bytes) -> list[list[str]]:
    doc = docx.Document(io.BytesIO(data))
    return [[c.text for c in row.cells] for t in doc.tables for row in t.rows]


@pytest.fixture(scope="module")
def hanoi_letters() -> tuple[Scenario, Schedule, dict[str, bytes]]:
    from models.loading import load_scenario

    scenario = load_scenario(SCENARIOS / "hanoi-2025.yaml")
    schedule = greedy_schedule(scenario)
    options = LetterOptions(issuer="UBND thành phố Hà Nội", place="Hà Nội")
    letters = build_letters(build_view(scenario, schedule), options=options)
    return scenario, schedule, letters.files


def test_each_planned_visit_gets_a_letter_with_its_fields(hanoi_letters) -> None:
    scenario, schedule, files = hanoi_letters
    names = letter_file_names([a.unit_id for a in schedule.assignments])
    assert set(files) == {*names.values(), COMBINED_NAME}
    for a in schedule.assignments:
        data = files[names[a.unit_id]]
        text = document_text(data)
        unit = scenario.unit(a.unit_id)
        assert f"Kính gửi: {addressee(unit)}." in text
        assert format_vn(a.start) in text and a.report_due is not None
        assert f"chậm nhất ngày {format_vn(a.report_due)}" in text
        assert "trước ngày " + format_vn(a.report_due) not in text
        assert "Thứ" in text.split("1. Thời gian:")[1].splitlines()[0]
        rows = table_rows(data)
        members = [scenario.member(m) for m in a.member_ids]
        listed = [r[1] for r in rows if r[0].isdigit()]
        assert sorted(listed) == sorted(m.label for m in members)
        lead_row = next(r for r in rows if r[1] == scenario.member(a.lead_id).label)
        assert "chủ trì" in lead_row[2]
        assert "{{" not in text and "}}" not in text
        assert unicodedata.is_normalized("NFC", text)
        assert "UBND THÀNH PHỐ HÀ NỘI" in text and "Hà Nội, ngày" in text
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert "Kế hoạch số 114/KH-UBND ngày 23/4/2025 của Ủy ban nhân dân Thành phố" in text
        assert "Quyết định số 2745/QĐ-UBND ngày 30/5/2025 của Ủy ban nhân dân Thành phố" in text
        assert "mục II.2.1.a và mục IV.1" in text


def test_weekday_is_the_visit_days_weekday(hanoi_letters) -> None:
    _, schedule, files = hanoi_letters
    weekdays = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]
    names = letter_file_names([a.unit_id for a in schedule.assignments])
    for a in schedule.assignments:
        line = next(x for x in document_text(files[names[a.unit_id]]).splitlines()
                    if x.startswith("1. Thời gian:"))
        assert line == f"1. Thời gian: {weekdays[a.start.weekday()]}, ngày {format_vn(a.start)}."


def test_combined_file_holds_every_letter_with_page_breaks(hanoi_letters) -> None:
    scenario, schedule, files = hanoi_letters
    combined = files[COMBINED_NAME]
    text = document_text(combined)
    for a in schedule.assignments:
        assert f"Kính gửi: {addressee(scenario.unit(a.unit_id))}." in text
    doc = docx.Document(io.BytesIO(combined))
    # a section per letter (a new page), each numbering its pages from 1
    sections = list(doc.element.body.iter(qn("w:sectPr")))
    assert len(sections) == len(schedule.assignments)
    starts = [s.find(qn("w:pgNumType")).get(qn("w:start")) for s in sections]
    assert starts == ["1"] * len(sections)
    assert all(s.find(qn("w:footerReference")) is not None for s in sections)
    assert text.count("THÔNG BÁO") == len(schedule.assignments)


def test_english_letters(hanoi_letters) -> None:
    scenario, schedule, _ = hanoi_letters
    files = build_letters(build_view(scenario, schedule), options=LetterOptions(lang="en")).files
    a = schedule.assignments[0]
    text = document_text(files[letter_file_names([a.unit_id])[a.unit_id]])
    assert "NOTICE" in text and a.start.strftime("%A") in text and "{{" not in text


# --- templates --------------------------------------------------------------------------------


def split_template() -> bytes:
    """A planner's template where Word split placeholders across runs, in a paragraph and a cell,
    with a member row to repeat."""
    doc = docx.Document()
    p = doc.add_paragraph()
    p.add_run("Kính gửi: {{don_").bold = True
    p.add_run("vi}}, ngày {{ngay_")
    p.add_run("kiem_tra}} hạn {{han_bao").italic = True
    p.add_run("_cao}}.")
    table = doc.add_table(rows=2, cols=2)
    cell = table.cell(0, 0).paragraphs[0]
    cell.add_run("{{do")
    cell.add_run("an}}")
    table.cell(1, 0).paragraphs[0].add_run("{{tv_stt}}")
    table.cell(1, 1).paragraphs[0].add_run("{{tv_t")
    table.cell(1, 1).paragraphs[0].add_run("en}}")
    doc.add_paragraph("{{thanh_vien}}")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def tiny_plan(**unit_changes: dict[str, Any]) -> tuple[Scenario, Schedule]:
    data = tiny_scenario_data()
    for unit in data["units"]:
        unit.update(unit_changes.get(unit["id"], {}))
    scenario = make_scenario(data)
    return scenario, build(scenario, TINY_PLAN)


def test_custom_template_with_split_placeholders() -> None:
    scenario, schedule = tiny_plan()
    files = build_letters(build_view(scenario, schedule), split_template()).files
    a = schedule.assignment_for("U1")
    assert a is not None and a.report_due is not None
    doc = docx.Document(io.BytesIO(files["thong-bao-U1.docx"]))
    first = doc.paragraphs[0]
    assert first.text == f"Kính gửi: Sở Y tế, ngày {format_vn(a.start)} hạn {format_vn(a.report_due)}."
    assert first.runs[0].bold and first.runs[0].text.startswith("Kính gửi: Sở Y tế")
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert rows[0][0] == "Đoàn 1"
    labels = [scenario.member(m).label for m in a.member_ids]
    assert [r[0] for r in rows[1:]] == [str(i) for i in range(1, len(labels) + 1)]
    assert sorted(r[1] for r in rows[1:]) == sorted(labels)
    lines = doc.paragraphs[-1].text.split("\n")
    assert len(lines) == len(labels) and all(any(lb in ln for lb in labels) for ln in lines)
    assert "{{" not in document_text(files["thong-bao-U1.docx"])


def test_written_default_template_gives_the_same_letters(tmp_path: Path) -> None:
    scenario, schedule = tiny_plan()
    path = tmp_path / "mau.docx"
    result = CliRunner().invoke(main, ["letters", "--write-template", str(path)])
    assert result.exit_code == 0, result.output
    plan = build_view(scenario, schedule)
    mine = build_letters(plan, path.read_bytes()).files
    default = build_letters(plan).files
    assert {k: document_text(v) for k, v in mine.items()} == {k: document_text(v) for k, v in default.items()}


def write_run(tmp_path: Path, scenario_data: dict[str, Any], schedule: Schedule) -> Path:
    (tmp_path / "scenario.yaml").write_text(yaml.safe_dump(scenario_data, allow_unicode=True), "utf-8")
    path = tmp_path / "schedule.json"
    path.write_text(schedule.to_json(), "utf-8")
    return path


def test_unknown_placeholder_is_exit_2_naming_it(tmp_path: Path) -> None:
    _, schedule = tiny_plan()
    bad = docx.Document()
    bad.add_paragraph("Kính gửi: {{don_vi}} ngày {{ngay_kiemtra}}")
    bad.add_paragraph().add_run("hạn {{han-bao").bold = True
    bad.paragraphs[-1].add_run("-cao}}")
    bad.save(str(tmp_path / "bad.docx"))
    sched = write_run(tmp_path, tiny_scenario_data(), schedule)
    result = CliRunner().invoke(main, ["letters", str(sched), "--template", str(tmp_path / "bad.docx")])
    assert result.exit_code == 2
    assert "bad.docx" in result.output and "{{ngay_kiemtra}}" in result.output
    assert "{{han-bao-cao}}" in result.output  # a typo split across runs is still named
    assert "{{ngay_kiem_tra}}" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "letters").exists()


def test_template_that_is_not_a_docx_is_exit_2(tmp_path: Path) -> None:
    _, schedule = tiny_plan()
    (tmp_path / "mau.docx").write_text("not a word file", "utf-8")
    sched = write_run(tmp_path, tiny_scenario_data(), schedule)
    result = CliRunner().invoke(main, ["letters", str(sched), "--template", str(tmp_path / "mau.docx")])
    assert result.exit_code == 2 and "mau.docx" in result.output and ".docx" in result.output


def test_every_placeholder_of_the_default_template_is_known() -> None:
    from scheduler.output.docx_fill import open_docx, placeholder_names
    from scheduler.output.letter_template import default_template_bytes

    for lang in ("vi", "en"):
        used = placeholder_names(open_docx(default_template_bytes(lang)))
        core = {"kinh_gui", "co_quan", "can_cu", "quyet_dinh_doan", "ky_kiem_tra", "mau_bao_cao",
                "noi_nhan", "nguoi_ky", "thoi_gian", "han_bao_cao", "doan", "tv_ten"}
        assert used <= set(PLACEHOLDERS) and core <= used


# --- who gets a letter, and file names ----------------------------------------------------------


def test_surprise_and_cancelled_visits_get_no_letter(tmp_path: Path) -> None:
    data = tiny_scenario_data()
    data["units"][1]["form"] = "surprise"
    scenario = make_scenario(data)
    schedule = build(scenario, TINY_PLAN)
    schedule.assignments[2] = schedule.assignments[2].model_copy(update={"state": VisitState.CANCELLED})
    sched = write_run(tmp_path, data, schedule)
    out = tmp_path / "out"
    from scheduler.output.sets import write_output_set  # an earlier run's letter: in its manifest

    write_output_set(out, {"thong-bao-U3.docx": b"old letter of a visit since cancelled"})
    result = CliRunner().invoke(main, ["letters", str(sched), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "không có thư: U2 (Đột xuất)" in result.output and "không có thư: U3 (Đã hủy)" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "thong-bao-U1.docx", COMBINED_NAME]
    assert "Sở Du lịch" not in document_text((out / COMBINED_NAME).read_bytes())


def test_default_folder_is_letters_beside_the_schedule(tmp_path: Path) -> None:
    _, schedule = tiny_plan()
    sched = write_run(tmp_path, tiny_scenario_data(), schedule)
    result = CliRunner().invoke(main, ["letters", str(sched)])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "letters").glob("*.docx"))) == 4


def test_file_names_are_unique_and_safe() -> None:
    ids = ["A/B", "A_B", "a_b", "tat-ca", "../etc", "Đà-Lạt", "x" * 64]
    names = letter_file_names(ids)
    assert len({n.lower() for n in names.values()} | {COMBINED_NAME}) == len(ids) + 1
    for name in names.values():
        assert "/" not in name and "\\" not in name and not name.startswith(".")
        assert name.startswith("thong-bao-") and name.endswith(".docx") and name.isascii()
    assert names["Đà-Lạt"] == "thong-bao-Da-Lat.docx"
    assert letter_file_names(list(reversed(ids))) == names  # independent of order


def test_units_whose_ids_differ_by_slash_get_two_letters(tmp_path: Path) -> None:
    data = tiny_scenario_data()
    data["units"][0]["id"], data["units"][1]["id"] = "SYT/1", "SYT_1"
    scenario = make_scenario(data)
    plan = [("SYT/1" if u == "U1" else "SYT_1" if u == "U2" else u, *rest) for u, *rest in TINY_PLAN]
    schedule = build(scenario, plan)  # type: ignore[arg-type]
    sched = write_run(tmp_path, data, schedule)
    result = CliRunner().invoke(main, ["letters", str(sched), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    letters = sorted((tmp_path / "out").glob("thong-bao-SYT_1*.docx"))
    assert len(letters) == 2
    texts = {document_text(p.read_bytes()).split("Kính gửi: ")[1].split(".")[0] for p in letters}
    assert texts == {"Giám đốc Sở Y tế", "Giám đốc Sở Du lịch"}
