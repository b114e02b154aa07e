"""CLI commands of the foundation: validate, schema, calendar, deadline; exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from conftest import ROOT, SCENARIOS

# These tests read the English wording; the Vietnamese default is tested in test_language.py.
ENGLISH = {"KIEMTRA_LANG": "en"}

HANOI = str(SCENARIOS / "hanoi-2025.yaml")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner(env=ENGLISH).invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_validate_prints_summary() -> None:
    code, out, _ = run("validate", HANOI)
    assert code == 0
    assert "units: 14" in out and "members: 18" in out
    assert "Quý III, IV" in out and "working days" in out


def test_validate_bad_file_exits_2_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("campaign: {name: x}\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), "validate", str(bad)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert proc.returncode == 2
    assert str(bad) in proc.stderr and "campaign.plan_date" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_validate_missing_file_exits_2(tmp_path: Path) -> None:
    code, _, err = run("validate", str(tmp_path / "missing.yaml"))
    assert code == 2 and "not found" in err


def test_deadline_default_and_custom() -> None:
    # shown dd/mm/yyyy as documents write it; typed either way
    assert run("deadline", "2025-05-05")[1].strip() == "24/04/2025"
    assert run("deadline", "05/05/2025", "--days", "1")[1].strip() == "29/04/2025"
    assert run("deadline", "2025-05-05", "--scenario", HANOI)[1].strip() == "24/04/2025"
    code, out, _ = run("deadline", "05/05/2025", "--json")
    assert code == 0 and json.loads(out)["report_due"] == "2025-04-24"


@pytest.mark.parametrize(("day", "why"), [("08/06/2025", "Chủ nhật"), ("02/09/2025", "Quốc khánh"),
                                         ("24/11/2026", "Ngày Văn hóa Việt Nam (dự kiến)")])
def test_deadline_on_a_day_off_warns(day: str, why: str) -> None:
    code, out, err = run("deadline", day)
    assert code == 0 and out.strip()  # still answers
    assert f"{day} is not a working day" in err and why in err
    vietnamese = CliRunner().invoke(main, ["deadline", day])
    assert f"{day} không phải ngày làm việc" in vietnamese.stderr and why in vietnamese.stderr


def test_deadline_on_a_working_day_does_not_warn() -> None:
    code, _, err = run("deadline", "09/06/2025")
    assert code == 0 and "not a working day" not in err
    assert json.loads(run("deadline", "09/06/2025", "--json")[1])["working_day"] is True


def test_deadline_rejects_bad_date() -> None:
    code, _, err = run("deadline", "2025-02-30")
    assert code == 2 and "dd/mm/yyyy" in err and "YYYY-MM-DD" in err


def test_calendar_lists_swaps() -> None:
    code, out, _ = run("calendar", "2025")
    assert code == 0
    assert "26/04/2025" in out and "02/05/2025" in out and "02/09/2025" in out
    assert "Q2: 62" in out


def test_schema_is_json_schema() -> None:
    code, out, _ = run("schema")
    schema = json.loads(out)
    assert code == 0 and "units" in schema["properties"]


@pytest.mark.parametrize("command", ["validate", "calendar", "deadline", "schema"])
def test_help(command: str) -> None:
    assert run(command, "--help")[0] == 0
