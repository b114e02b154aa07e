"""write_outputs (everything at once, atomically) and the gantt / export / report commands."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from icalendar import Calendar
from test_output_plans import TINY_PLAN, build, hanoi_schedule, tiny_schedule

import scheduler.output as output
import scheduler.output.sets as output_sets
from cli import main
from conftest import ROOT, SCENARIOS
from models.schedule import Schedule, Unscheduled
from scheduler.output import FORMATS, OutputError, write_outputs
from scheduler.output.console import OutputsFailed
from scheduler.output.files import write_schedule_files

STAMP = datetime(2025, 6, 1, 8, 0, 0)
EXPECTED = {"schedule.json", "schedule.csv", "schedule.xlsx", "report.html",
            *(f"gantt-{v}.{f}" for v in ("team", "load") for f in ("png", "svg")),
            "gantt-member-2025-06.png", "gantt-member-2025-06.svg",  # the member chart a month a file
            "ics/team-D1.ics", "ics/team-D2.ics", "ics/member-A1.ics", "ics/member-A2.ics",
            "ics/member-A3.ics", "ics/member-B1.ics", "ics/member-B3.ics"}
QUICK = {"json", "csv", "xlsx", "ics"}  # no charts: fast


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*") if p.is_file()}


def test_write_outputs_writes_every_format(tiny, tmp_path: Path) -> None:
    schedule = tiny_schedule(tiny)
    paths = write_outputs(tiny, schedule, tmp_path, FORMATS, stamp=STAMP)
    names = {p.relative_to(tmp_path).as_posix() for p in paths}
    assert names == EXPECTED
    assert set(snapshot(tmp_path)) == EXPECTED | {"manifest.json"}
    beside = {p.name for p in tmp_path.parent.iterdir() if p.name.startswith(f".{tmp_path.name}.")}
    assert not beside  # no staging folder, old set or lock file left
    assert Schedule.model_validate_json((tmp_path / "schedule.json").read_text()) == schedule
    assert "Sở Y tế" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_english_outputs(tiny, tmp_path: Path) -> None:
    write_outputs(tiny, tiny_schedule(tiny), tmp_path, {"xlsx", "html"}, lang="en")
    assert openpyxl.load_workbook(tmp_path / "schedule.xlsx").sheetnames[0] == "Schedule"
    assert "Inspection schedule report" in (tmp_path / "report.html").read_text("utf-8")
    with pytest.raises(ValueError, match="language"):
        write_outputs(tiny, tiny_schedule(tiny), tmp_path, {"json"}, lang="fr")


def test_a_failing_build_keeps_the_new_plan_and_names_the_output(tiny, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch
                                                                  ) -> None:
    write_outputs(tiny, tiny_schedule(tiny), tmp_path, QUICK, stamp=STAMP)
    moved = build(tiny, [TINY_PLAN[0], TINY_PLAN[1]])

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(output, "workbook_bytes", broken)
    with pytest.raises(OutputsFailed) as caught:
        write_outputs(tiny, moved, tmp_path, QUICK, stamp=STAMP)
    assert caught.value.failed == [("schedule.xlsx", "renderer crashed")]
    assert (tmp_path / "schedule.json").read_text("utf-8") == moved.to_json()
    assert not (tmp_path / "schedule.xlsx").exists()  # never the old run's workbook beside it


def test_a_failing_write_leaves_every_old_file_whole(tiny, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    write_outputs(tiny, tiny_schedule(tiny), tmp_path, QUICK, stamp=STAMP)
    before = snapshot(tmp_path)
    real_write = output_sets.write_durably
    calls = []

    def fails_on_third(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise OSError("disk full")
        real_write(path, data)

    monkeypatch.setattr(output_sets, "write_durably", fails_on_third)
    with pytest.raises(OSError, match="disk full"):
        write_outputs(tiny, build(tiny, TINY_PLAN[:2]), tmp_path, QUICK, stamp=STAMP)
    assert snapshot(tmp_path) == before


def test_calendars_are_updated_from_the_previous_run_and_never_removed(tiny,
                                                                      tmp_path: Path) -> None:
    write_outputs(tiny, tiny_schedule(tiny), tmp_path, {"ics"}, stamp=STAMP)
    (tmp_path / "ics" / "notes.ics").write_text("mine")
    write_outputs(tiny, build(tiny, TINY_PLAN[:2]), tmp_path, {"ics"}, stamp=STAMP)
    left = {p.name for p in (tmp_path / "ics").iterdir()}
    assert {"member-A3.ics", "member-A1.ics", "team-D1.ics", "notes.ics"} <= left
    a3 = Calendar.from_ical((tmp_path / "ics" / "member-A3.ics").read_bytes())
    statuses = {str(e["STATUS"]) for e in a3.walk("VEVENT")}  # A3 only went to U3, now gone
    assert statuses == {"CANCELLED"} and (tmp_path / "ics" / "notes.ics").read_text() == "mine"


def test_a_schedule_from_another_scenario_is_refused(tiny, hanoi, tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="SYT"):
        write_outputs(tiny, hanoi_schedule(hanoi), tmp_path, {"json"})
    assert not any(tmp_path.iterdir())


# --- command line -------------------------------------------------------------------------


@pytest.fixture
def run_dir(hanoi, tmp_path: Path) -> Path:
    """A solve output folder: schedule.json and the scenario.yaml copy beside it."""
    write_schedule_files(hanoi_schedule(hanoi), tmp_path)
    shutil.copy(SCENARIOS / "hanoi-2025.yaml", tmp_path / "scenario.yaml")
    return tmp_path


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def test_cli_export_xlsx_and_ics(run_dir: Path) -> None:
    code, out = invoke("export", str(run_dir / "schedule.json"), "--format", "xlsx")
    assert code == 0, out
    wb = openpyxl.load_workbook(run_dir / "schedule.xlsx")
    assert wb.sheetnames[0] == "Lịch kiểm tra"
    code, out = invoke("export", str(run_dir / "schedule.json"), "--format", "ics",
                       "--out", str(run_dir / "cal"))
    assert code == 0, out
    assert (run_dir / "cal" / "ics" / "team-D1.ics").exists()


def test_cli_export_ics_updates_the_calendars_already_there(run_dir: Path) -> None:
    schedule = Schedule.model_validate_json((run_dir / "schedule.json").read_text())
    first = schedule.assignments[0]
    args = ("export", str(run_dir / "schedule.json"), "--format", "ics")
    assert invoke(*args)[0] == 0
    moved = first.model_copy(update={"team_id": "D2" if first.team_id == "D1" else "D1"})
    write_schedule_files(schedule.model_copy(
        update={"assignments": [moved, *schedule.assignments[1:]]}), run_dir)
    code, out = invoke(*args)
    assert code == 0, out
    old = Calendar.from_ical((run_dir / "ics" / f"team-{first.team_id}.ics").read_bytes())
    cancelled = [e for e in old.walk("VEVENT") if str(e["STATUS"]) == "CANCELLED"]
    kinds = 3 + (first.conclusion_due is not None)  # visit, announce-by, report (and conclusion)
    assert len(cancelled) == kinds and {int(e["SEQUENCE"]) for e in cancelled} == {1}


def test_cli_gantt_and_report(run_dir: Path) -> None:
    code, out = invoke("gantt", str(run_dir / "schedule.json"), "--view", "load",
                       "--out", str(run_dir / "load.svg"), "--lang", "en")
    assert code == 0, out
    assert b"<svg" in (run_dir / "load.svg").read_bytes()
    code, out = invoke("report", str(run_dir / "schedule.json"))
    assert code == 0, out
    assert "Sở Y tế" in (run_dir / "report.html").read_text("utf-8")


def test_cli_without_a_scenario_explains_and_exits_2(run_dir: Path) -> None:
    (run_dir / "scenario.yaml").unlink()
    code, out = invoke("report", str(run_dir / "schedule.json"))
    assert code == 2
    assert "--scenario" in out and "Traceback" not in out
    code, out = invoke("report", str(run_dir / "schedule.json"), "--scenario",
                       str(SCENARIOS / "hanoi-2025.yaml"), "--out", str(run_dir / "r.html"))
    assert code == 0, out


def test_cli_refuses_to_overwrite_the_schedule_it_reads(run_dir: Path) -> None:
    before = (run_dir / "schedule.json").read_bytes()
    code, _ = invoke("export", str(run_dir / "schedule.json"), "--format", "json")
    assert code == 2
    assert (run_dir / "schedule.json").read_bytes() == before


def test_an_infeasible_result_still_gets_readable_outputs(tiny, tmp_path: Path) -> None:
    reasons = [Unscheduled(unit_id=u.id, reason="không có ngày phù hợp") for u in tiny.units]
    schedule = build(tiny, [], reasons, status="INFEASIBLE", objective=None, bound=None,
                     objective_terms={})
    paths = write_outputs(tiny, schedule, tmp_path, {"csv", "xlsx", "ics", "html"})
    assert {p.name for p in paths} == {"schedule.csv", "schedule.xlsx", "team-D1.ics",
                                       "team-D2.ics", "report.html"}
    html = (tmp_path / "report.html").read_text("utf-8")
    assert "INFEASIBLE" in html and html.count("không có ngày phù hợp") == len(tiny.units)


def test_outputs_never_import_the_solver() -> None:
    code = ("import sys, scheduler.output, scheduler.output.gantt, scheduler.output.xlsx, "
            "scheduler.output.ics, scheduler.output.html\n"
            "bad = sorted(m for m in sys.modules if m.startswith(('ortools', 'scheduler.search.solve', "
            "'scheduler.model.build')))\nassert not bad, bad")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
