"""Members by name (issue 18, item 7): ``members[].name`` is optional, the label stays the role,
and a name given is shown in the plan table, the workbook, the charts, the calendars and the
letters (the leader's name under the signature). The Hanoi scenario names nobody (its sources
give no personal names), so the names here are a test fixture."""

from __future__ import annotations

import io
import unicodedata

import pytest
from openpyxl import load_workbook
from test_output_letters import document_text

from conftest import SCENARIOS, tiny_scenario_data
from models.loading import load_scenario
from models.scenario import Scenario
from models.schedule import Schedule
from scheduler.output.gantt_parts import member_title
from scheduler.output.ics import calendar_files
from scheduler.output.letters import build_letters
from scheduler.output.progress import plan_table
from scheduler.output.view import PlanView, build_view
from scheduler.output.xlsx import workbook_bytes
from scheduler.plan.pipeline import greedy_schedule

NAMES = {"D1-TD": "Nguyễn Văn An", "D1-TK": "Trần Thị Bình", "D1-STP": "Lê Minh Châu",
         "D2-TD": "Phạm Quốc Dũng"}


HANOI = load_scenario(SCENARIOS / "hanoi-2025.yaml")


def named(names: dict[str, str]) -> Scenario:
    members = [m.model_copy(update={"name": names.get(m.id)}) for m in HANOI.members]
    return HANOI.model_copy(update={"members": members})


@pytest.fixture(scope="module")
def plan() -> tuple[Scenario, Schedule, PlanView]:
    scenario = named(NAMES)
    schedule = greedy_schedule(scenario)
    return scenario, schedule, build_view(scenario, schedule)


def test_name_is_optional_and_the_label_stays_the_role() -> None:
    data = tiny_scenario_data()
    plain = Scenario.model_validate(data).members[0]
    assert plain.name is None and plain.display_name == plain.label
    data["members"][0]["name"] = unicodedata.normalize("NFD", "Nguyễn Văn An")
    member = Scenario.model_validate(data).members[0]
    assert member.name == unicodedata.normalize("NFC", "Nguyễn Văn An")  # NFC on input
    assert member.label == plain.label
    assert member.display_name == f"Nguyễn Văn An ({plain.label})"
    data["members"][0]["name"] = ""
    with pytest.raises(ValueError):
        Scenario.model_validate(data)


def test_plan_table_shows_names_beside_agencies(plan) -> None:
    scenario, schedule, _ = plan
    table = plan_table(scenario, schedule)
    assert "Nguyễn Văn An (Giám đốc Sở Nội vụ) (D1-TD)" in table
    assert "Lê Minh Châu (Sở Tư pháp)" in table
    unnamed = plan_table(named({}), schedule)
    assert "Nguyễn Văn An" not in unnamed and "Giám đốc Sở Nội vụ (D1-TD)" in unnamed


def test_workbook_names_the_group_and_the_member_sheets(plan) -> None:
    _, _, view = plan
    book = load_workbook(io.BytesIO(workbook_bytes(view)))
    cells = [str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
             for c in row if c]
    assert any("Nguyễn Văn An (Trưởng đoàn – Giám đốc Sở Nội vụ)" in c for c in cells)
    assert any("Trần Thị Bình (Thư ký – Sở Nội vụ) (D1-TK)" in c for c in cells)


def test_charts_and_calendars_name_members(plan) -> None:
    scenario, _, view = plan
    leader = next(m for m in scenario.members if m.id == "D1-TD")
    assert member_title(leader) == "Nguyễn Văn An (Giám đốc Sở Nội vụ) (D1-TD)"
    files = calendar_files(view)
    text = b"".join(files.values()).decode("utf-8").replace("\r\n ", "")
    assert "Nguyễn Văn An (Trưởng đoàn – Giám đốc Sở Nội vụ)" in text
    assert "Phạm Quốc Dũng" in files["ics/member-D2-TD.ics"].decode("utf-8").replace("\r\n ", "")


def test_letters_name_the_group_and_the_leader_signs(plan) -> None:
    _, schedule, view = plan
    files = build_letters(view).files
    d1 = next(a for a in schedule.assignments if a.team_id == "D1")
    d2 = next(a for a in schedule.assignments if a.team_id == "D2")
    letter = next(text for name, data in files.items() if d1.unit_id in name
                  for text in [document_text(data)])
    lines = letter.splitlines()
    sign = lines.index("TRƯỞNG ĐOÀN")
    assert "Nguyễn Văn An" in lines[sign + 1:]  # the signer, under the signature space
    assert "Trần Thị Bình (Thư ký – Sở Nội vụ)" in letter  # contact
    other = next(document_text(data) for name, data in files.items() if d2.unit_id in name)
    assert "Phạm Quốc Dũng" in other.splitlines()[other.splitlines().index("TRƯỞNG ĐOÀN") + 1:]
    unnamed = build_letters(build_view(named({}), schedule)).files
    assert not any("Nguyễn Văn An" in document_text(d) for d in unnamed.values())


def test_schedule_files_carry_names_and_read_back(plan, tmp_path) -> None:
    from scheduler.output.files import schedule_file_contents
    from scheduler.replan.plan_import import load_plan

    scenario, schedule, _ = plan
    leader = next(m for m in schedule.members if m.id == "D1-TD")
    assert leader.name == "Nguyễn Văn An (Trưởng đoàn – Giám đốc Sở Nội vụ)"
    csv_text = schedule_file_contents(schedule)["schedule.csv"].decode("utf-8")
    header = csv_text.lstrip("\ufeff").splitlines()[0]
    assert header.endswith(",member_names")
    d1 = next(a for a in schedule.assignments if a.team_id == "D1")
    assert "Nguyễn Văn An (Trưởng đoàn – Giám đốc Sở Nội vụ)" in csv_text
    assert "Thành viên – Sở Tài chính" in csv_text  # unnamed members by their label
    path = tmp_path / "schedule.csv"
    path.write_text(csv_text, encoding="utf-8")
    again = load_plan(path, scenario).assignment_for(d1.unit_id)
    assert again is not None and sorted(again.member_ids) == sorted(d1.member_ids)
