"""schedule.json / schedule.csv, atomic writes and formula-safe cells (scheduler/output/files.py)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from test_output_plans import hanoi_schedule, tiny_schedule

from models.schedule import CSV_FIELDS, Schedule
from scheduler.output import files
from scheduler.output.files import (
    atomic_write_bytes,
    atomic_write_text,
    safe_cell,
    write_schedule_files,
)

FORMULA = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize("text", ["=1+1", "+33", "-2", "@SUM(A1)", "\tx", "\rx", FORMULA])
def test_safe_cell_neutralises_text_a_spreadsheet_would_run(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Sở Y tế", "", "a=b", 3, -2, 1.5, None, date(2025, 6, 2)])
def test_safe_cell_leaves_other_values_alone(value: object) -> None:
    assert safe_cell(value) == value


def test_atomic_write_replaces_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "a.txt"
    atomic_write_text(target, "cũ")
    atomic_write_text(target, "mới")
    assert target.read_text(encoding="utf-8") == "mới"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.txt"]


def test_failed_rename_keeps_the_old_file_and_no_temp(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "schedule.csv"
    target.write_bytes(b"old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["schedule.csv"]


def test_failed_flush_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "schedule.json"
    target.write_bytes(b"old")
    real_fsync = os.fsync

    def broken_fsync(fd: int) -> None:
        raise OSError("I/O error")

    monkeypatch.setattr(files.os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"new" * 1000)
    monkeypatch.setattr(files.os, "fsync", real_fsync)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["schedule.json"]


@pytest.mark.parametrize("which", ["tiny", "hanoi"])
def test_schedule_json_reads_back_as_the_same_schedule(which: str, tiny, hanoi,
                                                        tmp_path: Path) -> None:
    schedule = tiny_schedule(tiny) if which == "tiny" else hanoi_schedule(hanoi)
    paths = write_schedule_files(schedule, tmp_path)
    assert [p.name for p in paths] == ["schedule.json", "schedule.csv"]
    again = Schedule.model_validate_json((tmp_path / "schedule.json").read_text("utf-8"))
    assert again == schedule
    assert again.schema_ == "kiemtra.schedule/1"


@pytest.mark.parametrize("which", ["tiny", "hanoi"])
def test_schedule_csv_has_a_row_per_assignment(which: str, tiny, hanoi, tmp_path: Path) -> None:
    schedule = tiny_schedule(tiny) if which == "tiny" else hanoi_schedule(hanoi)
    write_schedule_files(schedule, tmp_path)
    raw = (tmp_path / "schedule.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())  # Excel opens UTF-8 with a BOM correctly
    frame = pd.read_csv(tmp_path / "schedule.csv", encoding="utf-8-sig", dtype=str,
                        keep_default_na=False)
    assert list(frame.columns) == CSV_FIELDS
    assert len(frame) == len(schedule.assignments)
    for row, a in zip(frame.to_dict("records"), schedule.assignments, strict=True):
        assert row["unit_id"] == a.unit_id
        assert row["team_id"] == a.team_id
        assert date.fromisoformat(row["start"]) == a.start
        assert date.fromisoformat(row["end"]) == a.end
        assert row["member_ids"].split(";") == a.member_ids
        assert row["lead_id"] == a.lead_id
        assert row["form"] == a.form.value
        assert row["report_due"] == (a.report_due.isoformat() if a.report_due else "")
        assert row["announce_by"] == (a.announce_by.isoformat() if a.announce_by else "")
        assert row["state"] == a.state.value


def test_formula_in_csv_stays_inert_text(tiny, tmp_path: Path) -> None:
    schedule = tiny_schedule(tiny)
    first = schedule.assignments[0].model_copy(update={"unit_id": FORMULA, "lead_id": "@A1"})
    schedule = schedule.model_copy(update={"assignments": [first, *schedule.assignments[1:]]})
    write_schedule_files(schedule, tmp_path)
    frame = pd.read_csv(tmp_path / "schedule.csv", encoding="utf-8-sig", dtype=str,
                        keep_default_na=False)
    assert frame.loc[0, "unit_id"] == "'" + FORMULA
    assert frame.loc[0, "lead_id"] == "'@A1"
    assert frame.loc[1, "unit_id"] == "U2"
