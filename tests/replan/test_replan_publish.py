"""A re-plan published whole: the outputs of solve, calendars that update from any folder,
letters for exactly the units to tell, and a notify list with reasons."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from docx import Document
from icalendar import Calendar
from replan_helpers import AS_OF, baseline, campaign, campaign_data, events

from cli import main
from models.loading import load_schedule
from models.schedule import Form, VisitState
from scheduler.output import write_outputs
from scheduler.output.headline import headline_rows
from scheduler.output.labels import labels
from scheduler.output.view import build_view
from scheduler.replan.diff import (
    CANCELLATION,
    CANNOT_MEET,
    FIRST_NOTICE,
    NEW_NOTICE,
    diff_schedules,
    notify_list,
)
from scheduler.replan.publish import notice_files
from scheduler.replan.run import ReplanOptions, replan

OPTIONS = ReplanOptions(time_limit_s=10, workers=1, seed=0)
EVENTS = """schema: kiemtra.events/1
events:
  - {kind: unit_moves, id: u4-asks, unit: U4, excluded_dates: [2025-06-18]}
  - {kind: unit_removed, id: u3-out, unit: U3}
  - kind: unit_added
    id: u9-in
    unit: {id: U9, name: Phường Mới, kind: ward, window: {from: 2025-06-02, to: 2025-07-31}}
"""
FORMATS = "json,csv,xlsx,ics,html"


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """The baseline published with its calendars in base/, as solve would leave it."""
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(campaign_data(), allow_unicode=True), encoding="utf-8")
    write_outputs(campaign(), baseline(), tmp_path / "base", formats={"json", "csv", "ics"},
                  extra={"scenario.yaml": scenario.read_bytes()})
    (tmp_path / "events.yaml").write_text(EVENTS, encoding="utf-8")
    return tmp_path


def _replan_cli(root: Path, out: Path, *extra: str) -> Any:
    result = CliRunner().invoke(main, [
        "replan", str(root / "scenario.yaml"), "--baseline", str(root / "base/schedule.json"),
        "--as-of", AS_OF.isoformat(), "--events", str(root / "events.yaml"), "--out", str(out),
        "--time-limit", "10", "--workers", "1", "--seed", "0", "--formats", FORMATS, *extra])
    assert result.exit_code == 0, result.output
    return result


def _events_by_summary(folder: Path, name: str) -> dict[str, tuple[int, str]]:
    cal = Calendar.from_ical((folder / "ics" / name).read_bytes())
    return {str(e["SUMMARY"]): (int(e.get("SEQUENCE", 0)), str(e.get("STATUS", "")))
            for e in cal.walk("VEVENT")}


def _visit_event(found: dict[str, tuple[int, str]], unit_name: str) -> tuple[int, str]:
    return next(v for k, v in found.items() if k.startswith("Kiểm tra") and unit_name in k)


def test_replan_writes_the_whole_set_with_letters_for_exactly_the_units_to_tell(
        published: Path) -> None:
    out = published / "lap-lai"
    result = _replan_cli(published, out, "--json")
    for name in ("schedule.json", "schedule.csv", "schedule.xlsx", "report.html", "ics/team-D1.ics",
                 "notify.json", "replan.json", "diff.txt", "diff.csv", "scenario.yaml"):
        assert (out / name).is_file(), name
    letters = sorted(p.name for p in (out / "letters").iterdir())
    assert letters == ["huy-lich-U3.docx", "thong-bao-U4.docx", "thong-bao-U9.docx",
                       "thong-bao-tat-ca.docx"]
    notices = {n["unit_id"]: n for n in json.loads((out / "notify.json").read_text())["notices"]}
    assert {u: n["notice"] for u, n in notices.items()} == {
        "U3": CANCELLATION, "U4": NEW_NOTICE, "U9": FIRST_NOTICE}
    assert notices["U4"]["why"] == ["đơn vị đề nghị dời lịch: ngày 18/06/2025 nay bị tránh"]  # worded in vi
    summary = json.loads(result.stdout)
    assert sorted(summary["notify_again"]) == ["U3", "U4", "U9"]
    assert summary["lineage"]["ics_dir"] == str((published / "base/ics").resolve())
    assert summary["warnings"] == []


def test_calendars_of_a_replan_update_from_any_folder(published: Path) -> None:
    """The baseline's calendars gave SEQUENCE 0; the re-plan's, in its own folder and exported
    anywhere else, raise it for the moved and the cancelled visit, and keep it elsewhere."""
    out = published / "lap-lai"
    _replan_cli(published, out)
    plan = load_schedule(out / "schedule.json")
    assert plan.lineage is not None
    assert plan.lineage.baseline_path == str((published / "base/schedule.json").resolve())
    elsewhere = published / "elsewhere"
    exported = CliRunner().invoke(main, ["export", str(out / "schedule.json"), "--format", "ics",
                                         "--out", str(elsewhere)])
    assert exported.exit_code == 0, exported.output
    for folder in (out, elsewhere):
        d1, d2 = (_events_by_summary(folder, f"team-{t}.ics") for t in ("D1", "D2"))
        assert _visit_event(d2, "Ban Quản lý dự án") == (1, "TENTATIVE")  # U4 moved, to announce
        assert _visit_event(d1, "Phường Ba Đình") == (1, "CANCELLED")  # U3 removed
        assert _visit_event(d1, "Phường Hoàn Kiếm")[0] == 0  # U5 unchanged


def test_no_published_calendars_is_a_warning_also_in_json(published: Path) -> None:
    for path in (published / "base/ics").iterdir():
        path.unlink()
    result = _replan_cli(published, published / "lap-lai", "--json")
    [warning] = json.loads(result.stdout)["warnings"]
    assert "SEQUENCE 0" in warning and "không tìm thấy lịch" in warning


def test_letters_command_on_a_replan_writes_only_the_notify_list(published: Path) -> None:
    out = published / "lap-lai"
    _replan_cli(published, out)
    result = CliRunner().invoke(main, ["letters", str(out / "schedule.json"), "--out",
                                       str(published / "thu")])
    assert result.exit_code == 0, result.output
    names = {p.name for p in (published / "thu").glob("*.docx")}
    assert names == {"huy-lich-U3.docx", "thong-bao-U4.docx", "thong-bao-U9.docx",
                     "thong-bao-tat-ca.docx"}


def test_check_against_the_old_scenario_points_to_the_one_beside_the_plan(
        published: Path) -> None:
    out = published / "lap-lai"
    _replan_cli(published, out)
    result = CliRunner().invoke(main, ["check", str(published / "scenario.yaml"),
                                       str(out / "schedule.json"), "--json"])
    hint = json.loads(result.stdout)["hint"]
    assert "U9" in hint and str(out / "scenario.yaml") in hint
    same = CliRunner().invoke(main, ["check", str(out / "scenario.yaml"),
                                     str(out / "schedule.json"), "--json"])
    assert "hint" not in json.loads(same.stdout)


def test_report_counts_cancelled_units_apart() -> None:
    result = replan(campaign(), baseline(), AS_OF, events({"kind": "unit_removed", "unit": "U3"}),
                    OPTIONS)
    assert result.schedule is not None
    text = labels("en")
    rows = dict(headline_rows(build_view(result.applied.scenario, result.schedule), text, "en"))
    assert rows[text["units_total"]] == 4 and rows[text["units_scheduled"]] == 4
    assert rows[text["units_unscheduled"]] == 0 and rows[text["units_cancelled"]] == 1


@pytest.mark.parametrize("event", [
    {"kind": "units_merged", "units": ["U4", "U5"], "from": "2025-06-12",
     "into": {"id": "C1", "name": "Phường Hợp nhất"}},
    {"kind": "unit_split", "unit": "U4", "from": "2025-06-12",
     "into": [{"id": "C1", "name": "Phường A"}, {"id": "C2", "name": "Phường B"}]},
    {"kind": "unit_added", "unit": {"id": "C1", "name": "Phường Mới", "kind": "ward",
                                    "window": {"from": "2025-06-02", "to": "2025-07-31"}}},
])
def test_a_replan_never_plans_a_visit_whose_deadline_is_past(event: dict[str, Any]) -> None:
    """Units born of a merger or split, or added, on the re-plan day: their notice and report
    deadline fall on or after it (domains cut every earlier start of a visit still to announce),
    and each gets a first notice."""
    result = replan(campaign(), baseline(), AS_OF, events(event), OPTIONS)
    assert result.schedule is not None
    for a in result.schedule.assignments:
        if a.state is VisitState.PLANNED and a.form is Form.PLANNED:
            assert a.announce_by is not None and a.announce_by >= AS_OF, a
            assert a.report_due is not None and a.report_due >= AS_OF, a
    diff = diff_schedules(baseline(), result.schedule, result.reasons(), AS_OF)
    assert {c.unit_id for c in diff.changes if c.notice == FIRST_NOTICE} >= {"C1"}


def test_a_notice_whose_deadline_passed_asks_to_agree_a_new_date() -> None:
    """A unit with no visit before whose visit is kept on a date it can no longer be told in
    time: no letter, listed as 'agree a new date'."""
    old = baseline()
    new = old.model_copy(deep=True)
    u4 = next(a for a in new.assignments if a.unit_id == "U4")
    u4.unit_id = "C1"  # e.g. a successor kept on its predecessor's announced date
    diff = diff_schedules(old, new, as_of=date(2025, 6, 16))
    [late] = diff.cannot_meet()
    assert late.unit_id == "C1" and not late.notify_again
    assert "C1" not in {c.unit_id for c in diff.notify_again()}
    [item] = [n for n in notify_list(diff, "vi") if n["unit_id"] == "C1"]
    assert item["notice"] == CANNOT_MEET and "thống nhất ngày mới" in item["notice_text"]
    assert diff_schedules(old, new, as_of=date(2025, 6, 2)).cannot_meet() == []


def test_an_announced_visit_made_a_surprise_is_withdrawn_without_giving_its_date() -> None:
    result = replan(campaign(), baseline(), AS_OF, events(
        {"kind": "surprise_visit", "unit": "U3", "date": "2025-06-19"}), OPTIONS)
    assert result.schedule is not None
    diff = diff_schedules(baseline(), result.schedule, result.reasons(), AS_OF)
    [item] = notify_list(diff, "vi")
    assert item["unit_id"] == "U3" and item["notice"] == CANCELLATION
    assert item["visit"]["start"] == "2025-06-17"  # the announced visit it withdraws
    files = notice_files(result.applied.scenario, result.schedule, diff)
    assert sorted(files) == ["letters/huy-lich-U3.docx", "notify.json"]
    text = "\n".join(p.text for p in Document(io.BytesIO(files["letters/huy-lich-U3.docx"]))
                     .paragraphs)
    assert "17/06/2025" in text and "19/06/2025" not in text
