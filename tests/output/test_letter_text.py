"""Letters a chief signs: addressee, period under review, citations, "chậm nhất", Nơi nhận, the
signer's name, the heading's one-line motto and date line, page numbers. Read back with python-docx."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from test_output_letters import document_text
from test_output_plans import build, communes_plan

from conftest import make_scenario, tiny_scenario_data
from models.calendar import format_vn
from models.documents import LegalDocument
from models.scenario import Scenario
from scheduler.output.letter_template import default_template
from scheduler.output.letter_text import addressee, inspected_body, review_start
from scheduler.output.letters import LetterOptions, build_letters, letter_file_names, letter_values
from scheduler.output.view import build_view

PLAN = [  # the ward after the rearrangement, the departments before it
    ("U1", "D1", date(2025, 6, 10), ["A1", "A2"], "A1"),
    ("U2", "D2", date(2025, 6, 10), ["B1", "B3"], "B1"),
    ("U3", "D1", date(2025, 7, 15), ["A1", "A3"], "A1"),
]
PLAN_114 = {"number": "114/KH-UBND", "date": "2025-04-23", "issuer": "Ủy ban nhân dân Thành phố"}
QD_2745 = {"number": "2745/QĐ-UBND", "date": "2025-05-30", "issuer": "Ủy ban nhân dân Thành phố"}


def scenario_with(**campaign: Any) -> tuple[dict[str, Any], Scenario]:
    data = tiny_scenario_data()
    data["campaign"].update(campaign)
    data["rules"]["commune_level_from"] = "2025-07-01"
    return data, make_scenario(data)


def letters_of(data: dict[str, Any], lang: str = "vi") -> dict[str, str]:
    """Unit id -> the text of its letter."""
    scenario = make_scenario(data)
    files = build_letters(build_view(scenario, build(scenario, PLAN)),
                          options=LetterOptions(lang=lang)).files
    names = letter_file_names([u for u, *_ in PLAN])
    return {uid: document_text(files[name]) for uid, name in names.items()}


def hanoi_like() -> dict[str, Any]:
    data, _ = scenario_with(legal_basis=[PLAN_114], review_from="2025-01-01",
                            report_template="theo Biểu mẫu, Đề cương báo cáo (mục II.2.1.a, IV.1)")
    for team in data["teams"]:
        team["decision"] = QD_2745
    data["units"][2]["predecessors"] = ["Phường Phúc Xá", "Phường Trúc Bạch"]
    data["members"][0]["name"] = "Nguyễn Văn A"
    return data


# --- addressee -----------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "name", "expected"), [
    ("ward", "Phường Hoàn Kiếm", "Ủy ban nhân dân phường Hoàn Kiếm"),
    ("commune", "Xã Ba Vì", "Ủy ban nhân dân xã Ba Vì"),
    ("special_zone", "Đặc khu Côn Đảo", "Ủy ban nhân dân đặc khu Côn Đảo"),
    ("commune", "Minh Châu", "Ủy ban nhân dân xã Minh Châu"),
    ("department", "Sở Y tế", "Giám đốc Sở Y tế"),
    ("department", "Thanh tra Thành phố", "Chánh Thanh tra Thành phố"),
    ("public_service_unit", "Trường Cao đẳng Thương mại và Du lịch Hà Nội",
     "Hiệu trưởng Trường Cao đẳng Thương mại và Du lịch Hà Nội"),
    ("public_service_unit", "Ban Quản lý dự án", "Giám đốc Ban Quản lý dự án"),
    ("other", "Công ty Nước sạch", "Thủ trưởng Công ty Nước sạch"),
])
def test_addressee_by_kind(kind: str, name: str, expected: str) -> None:
    data = tiny_scenario_data()
    data["units"][0].update(kind=kind, name=name)
    data["units"][0].pop("agency")
    unit = make_scenario(data).units[0]
    assert addressee(unit) == expected


def test_a_units_own_addressee_wins() -> None:
    data = tiny_scenario_data()
    data["units"][0]["addressee"] = "Ban Giám đốc Sở Y tế"
    assert addressee(make_scenario(data).units[0]) == "Ban Giám đốc Sở Y tế"


def test_the_ward_is_addressed_as_its_peoples_committee() -> None:
    text = letters_of(hanoi_like())["U3"]
    assert "Kính gửi: Ủy ban nhân dân phường Ba Đình." in text
    assert "Kính gửi: Phường Ba Đình" not in text
    assert "Đề nghị Ủy ban nhân dân phường Ba Đình:" in text
    assert "Kính gửi: Giám đốc Sở Y tế." in letters_of(hanoi_like())["U1"]


# --- period under review -------------------------------------------------------------------


def test_review_starts_at_the_later_of_the_plan_and_the_units_birth() -> None:
    data = hanoi_like()
    scenario = make_scenario(data)
    ward, department = scenario.unit("U3"), scenario.unit("U1")
    assert review_start(scenario, ward, 2025) == date(2025, 7, 1)
    assert review_start(scenario, department, 2025) == date(2025, 1, 1)
    texts = letters_of(data)
    assert "thời kỳ kiểm tra từ ngày 01/01/2025 đến thời điểm kiểm tra" in texts["U1"]
    ward_text = texts["U3"]
    assert "thời kỳ kiểm tra từ ngày 01/07/2025" in ward_text and "01/01/2025" not in ward_text
    assert "hình thành từ Phường Phúc Xá, Phường Trúc Bạch" in ward_text


def test_review_from_later_than_the_birth_is_kept() -> None:
    data = hanoi_like()
    data["campaign"]["review_from"] = "2025-08-01"
    scenario = make_scenario(data)
    assert review_start(scenario, scenario.unit("U3"), 2025) == date(2025, 8, 1)
    assert "hình thành từ" not in letters_of(data)["U3"]


# --- citations, deadline, template, Nơi nhận, signer -----------------------------------------


def test_plan_and_decision_cited_by_number_date_and_issuer() -> None:
    text = letters_of(hanoi_like())["U1"]
    assert "Kế hoạch số 114/KH-UBND ngày 23/4/2025 của Ủy ban nhân dân Thành phố" in text
    assert "Quyết định số 2745/QĐ-UBND ngày 30/5/2025 của Ủy ban nhân dân Thành phố" in text
    assert "(mục II.2.1.a, IV.1)" in text


def test_a_bare_number_is_cited_without_an_invented_date() -> None:
    data, _ = scenario_with(legal_basis="114/KH-UBND")
    text = letters_of(data)["U1"]
    assert "Thực hiện Kế hoạch số 114/KH-UBND (" in text and " ngày 23/4" not in text
    assert "quyết định thành lập Đoàn kiểm tra" in text


def test_report_deadline_is_the_last_day() -> None:
    data = hanoi_like()
    scenario = make_scenario(data)
    schedule = build(scenario, PLAN)
    due = schedule.assignments[0].report_due
    assert due is not None
    text = letters_of(data)["U1"]
    assert f"chậm nhất ngày {format_vn(due)}" in text and f"trước ngày {format_vn(due)}" not in text


def test_default_recipients_name_the_plans_issuer_and_home_affairs() -> None:
    text = letters_of(hanoi_like())["U1"]
    lines = text.split("Nơi nhận:")[1].splitlines()
    assert lines[1:6] == ["- Như trên;", "- Ủy ban nhân dân Thành phố (để báo cáo);", "- Sở Nội vụ;",
                          "- Thành viên Đoàn 1;", "- Lưu: VT."]


def test_recipients_from_the_scenario() -> None:
    data = hanoi_like()
    data["campaign"]["recipients"] = ["UBND tỉnh (để b/c)", "Sở Nội vụ"]
    lines = letters_of(data)["U1"].split("Nơi nhận:")[1].splitlines()
    assert lines[1:5] == ["- Như trên;", "- UBND tỉnh (để b/c);", "- Sở Nội vụ;", "- Lưu: VT."]


def test_signers_name_under_the_title_when_given() -> None:
    texts = letters_of(hanoi_like())
    assert "TRƯỞNG ĐOÀN" in texts["U1"] and texts["U1"].rstrip().endswith("Nguyễn Văn A")
    assert "Nguyễn Văn A" not in texts["U2"]  # Đoàn 2's leader has no name in the scenario


def test_english_letter_cites_in_english() -> None:
    text = letters_of(hanoi_like(), lang="en")["U1"]
    assert "Plan No. 114/KH-UBND of 23/4/2025 by Ủy ban nhân dân Thành phố" in text
    assert "no later than" in text


def test_citation_kinds() -> None:
    assert LegalDocument(number="2745/QĐ-UBND").citation() == "Quyết định số 2745/QĐ-UBND"
    assert LegalDocument(number="X-1").citation() == "X-1"
    assert LegalDocument(number="9", kind="Công văn", issuer="Bộ Nội vụ").citation() == \
        "Công văn số 9 của Bộ Nội vụ"


# --- layout --------------------------------------------------------------------------------


def test_footer_holds_a_page_number_field() -> None:
    data = hanoi_like()
    scenario = make_scenario(data)
    files = build_letters(build_view(scenario, build(scenario, PLAN))).files
    doc = docx.Document(io.BytesIO(next(iter(files.values()))))
    footer = doc.sections[0].footer._element
    fields = [f.get(qn("w:instr")).strip() for f in footer.iter(qn("w:fldSimple"))]
    assert fields == ["PAGE"]


def test_heading_columns_are_wide_enough_for_one_line_motto() -> None:
    """The table grid carries the widths (Word and LibreOffice lay out by it): the motto's column
    is 10 cm, not half the text width."""
    doc = default_template("vi")
    heading = doc.tables[0]
    widths = [col.w.cm for col in heading._tbl.tblGrid.gridCol_lst]
    assert widths == pytest.approx([6.5, 10.0], abs=0.01)
    assert heading._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_inspected_body_keeps_a_name_that_already_says_it() -> None:
    data = tiny_scenario_data()
    data["units"][2]["name"] = "Ủy ban nhân dân phường Ba Đình"
    assert inspected_body(make_scenario(data).units[2]) == "Ủy ban nhân dân phường Ba Đình"


# --- the Hanoi communes file ---------------------------------------------------------------


def test_hanoi_ward_letter_reads_as_a_chief_signs() -> None:
    scenario, schedule = communes_plan()
    plan = build_view(scenario, schedule)
    visit = next(v for v in plan.visits if v.unit.id == "P-00070")  # Phường Hoàn Kiếm
    values = letter_values(plan, visit, LetterOptions())
    assert values["kinh_gui"] == "Ủy ban nhân dân phường Hoàn Kiếm"
    assert values["can_cu"] == "Kế hoạch số 114/KH-UBND ngày 23/4/2025 của Ủy ban nhân dân Thành phố"
    assert values["quyet_dinh_doan"].startswith(
        "Quyết định số 2745/QĐ-UBND ngày 30/5/2025 của Ủy ban nhân dân Thành phố")
    period = values["ky_kiem_tra"]
    assert period.startswith("từ ngày 01/07/2025") and "Phường Hàng Bạc (Quận Hoàn Kiếm)" in period
    assert "Ủy ban nhân dân Thành phố (để báo cáo)" in values["noi_nhan"]
    department = next(v for v in plan.visits if v.unit.kind.value == "department")
    dept = letter_values(plan, department, LetterOptions())
    assert dept["kinh_gui"] == f"Giám đốc {department.unit.name}"
    assert dept["ky_kiem_tra"].startswith("từ ngày 01/01/2025 đến")
