"""``kiemtra diff``: what changed per unit and why, and who must be told again."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import yaml
from click.testing import CliRunner
from replan_helpers import AS_OF, baseline, campaign, campaign_data, events

from cli import main
from models.loading import load_schedule
from models.rules import RuleId
from models.schedule import VisitState
from scheduler.replan.diff import diff_csv_text, diff_schedules, render_diff
from scheduler.replan.run import ReplanOptions, replan

# These tests read the English wording; the Vietnamese default is tested in test_language.py.
ENGLISH = {"KIEMTRA_LANG": "en"}

OPTIONS = ReplanOptions(time_limit_s=10, workers=1, seed=0)


def _moved_u4() -> tuple:
    result = replan(campaign(), baseline(), AS_OF, events(
        {"kind": "unit_moves", "id": "u4-asks", "unit": "U4", "excluded_dates": ["2025-06-18"]}),
        OPTIONS)
    return result, diff_schedules(baseline(), result.schedule, result.reasons(), AS_OF)


def test_identical_schedules_have_no_change() -> None:
    diff = diff_schedules(baseline(), baseline(), as_of=AS_OF)
    assert diff.changed() == [] and diff.notify_again() == []
    assert render_diff(diff, "en").startswith("0 of 5 unit(s) changed")


def test_moved_announced_visit_says_why_and_must_be_notified_again() -> None:
    result, diff = _moved_u4()
    [change] = diff.changed()
    assert change.unit_id == "U4" and "date" in change.changed
    assert change.events == ["u4-asks"]
    assert any("asked to move" in w for w in change.why)
    assert [c.unit_id for c in diff.notify_again()] == ["U4"]
    assert change.rules == [RuleId.H14_EXCLUDED]
    text = render_diff(diff, "en")
    assert "rule: H14-excluded" in text
    new = result.schedule.assignment_for("U4")
    assert f"report due {new.report_due:%d/%m/%Y}" in text


def test_planned_visit_that_moves_needs_no_second_notice() -> None:
    """U5 was only planned (its announcement day is after the re-plan date)."""
    moved = baseline().model_copy(deep=True)
    u5 = next(a for a in moved.assignments if a.unit_id == "U5")
    u5.start = date(2025, 6, 25)
    diff = diff_schedules(baseline(), moved, as_of=AS_OF)
    assert [c.unit_id for c in diff.changed()] == ["U5"]
    assert diff.changed()[0].why == ["no reason recorded (schedules compared directly)"]
    assert diff.notify_again() == []


def test_cancelled_announced_visit_is_notified() -> None:
    result = replan(campaign(), baseline(), AS_OF, events(
        {"kind": "unit_removed", "unit": "U3"}), OPTIONS)
    diff = diff_schedules(baseline(), result.schedule, result.reasons(), AS_OF)
    [change] = diff.notify_again()
    assert change.unit_id == "U3" and change.changed == ["cancelled"]
    assert "visit cancelled" in render_diff(diff, "en")


def test_csv_has_iso_dates_and_one_row_per_unit() -> None:
    result, diff = _moved_u4()
    rows = list(csv.DictReader(io.StringIO(diff_csv_text(diff))))
    assert [r["unit_id"] for r in rows] == ["U1", "U2", "U3", "U4", "U5"]
    u4 = next(r for r in rows if r["unit_id"] == "U4")
    new = result.schedule.assignment_for("U4")
    assert u4["old_start"] == "2025-06-18" and u4["new_start"] == new.start.isoformat()
    assert u4["new_report_due"] == new.report_due.isoformat()
    assert u4["notify_again"] == "yes"


def test_cli_replan_then_diff(tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(campaign_data(), allow_unicode=True), encoding="utf-8")
    plan = tmp_path / "base" / "schedule.json"
    plan.parent.mkdir()
    plan.write_text(baseline().to_json(), encoding="utf-8")
    ev = tmp_path / "events.yaml"
    ev.write_text("schema: kiemtra.events/1\nevents:\n  - {kind: unit_moves, id: u4-asks, "
                  "unit: U4, excluded_dates: [2025-06-18]}\n", encoding="utf-8")
    out = tmp_path / "out"
    runner = CliRunner(env=ENGLISH)
    result = runner.invoke(main, ["replan", str(scenario), "--baseline", str(plan), "--as-of",
                                  "2025-06-12", "--events", str(ev), "--out", str(out),
                                  "--time-limit", "10", "--workers", "1", "--seed", "0"])
    assert result.exit_code == 0, result.output
    for name in ("schedule.json", "schedule.csv", "scenario.yaml", "replan.json", "diff.txt",
                 "diff.csv"):
        assert (out / name).is_file(), name
    new = load_schedule(out / "schedule.json")
    assert new.assignment_for("U4").start != date(2025, 6, 18)
    assert new.assignment_for("U1").state is VisitState.DONE
    assert json.loads((out / "replan.json").read_text())["as_of"] == "2025-06-12"
    checked = runner.invoke(main, ["check", str(out / "scenario.yaml"), str(out / "schedule.json"),
                                   "--as-of", "2025-06-12"])
    assert checked.exit_code == 0, checked.output
    diffed = runner.invoke(main, ["diff", str(plan), str(out / "schedule.json"), "--csv",
                                  str(tmp_path / "d.csv")])
    assert diffed.exit_code == 0, diffed.output
    assert "u4-asks" in diffed.output and "units to notify again: 1" in diffed.output
    assert (tmp_path / "d.csv").read_text(encoding="utf-8-sig").startswith("unit_id,")


def test_cli_diff_of_a_broken_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "schedule.json"
    bad.write_text("{not json", encoding="utf-8")
    plan = tmp_path / "ok.json"
    plan.write_text(baseline().to_json(), encoding="utf-8")
    result = CliRunner(env=ENGLISH).invoke(main, ["diff", str(plan), str(bad)])
    assert result.exit_code == 2 and "JSON syntax" in result.output
