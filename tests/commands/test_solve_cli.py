"""`kiemtra solve`: exit codes, progress, the plan table, and the files written."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from cli import main
from conftest import ROOT, SCENARIOS, tiny_scenario_data
from models.loading import load_scenario, load_schedule
from models.rules import RuleId
from scheduler.check.checker import check_schedule


def _write(tmp_path: Path, data: dict[str, Any], name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _solve(*args: str):
    return CliRunner().invoke(main, ["solve", *args])


def test_solve_writes_a_checked_plan_and_prints_it(tmp_path: Path) -> None:
    scenario = _write(tmp_path, tiny_scenario_data())
    out = tmp_path / "out"
    result = _solve(str(scenario), "--out", str(out), "--time-limit", "10", "--workers", "1",
                    "--seed", "0")
    assert result.exit_code == 0, result.output
    assert "kế hoạch tốt hơn" in result.output and "kế hoạch tối ưu (đã chứng minh)" in result.output
    assert "chênh lệch 0.0%" in result.output and "Sở Y tế" in result.output
    assert "Trưởng đoàn 1 (A1)" in result.output or "Trưởng đoàn 2 (B1)" in result.output
    schedule = load_schedule(out / "schedule.json")
    loaded = load_scenario(scenario)
    report = check_schedule(loaded, schedule)
    assert report.ok and report.objective == schedule.solver.objective
    assert json.loads((out / "schedule.json").read_text())["schema"] == "kiemtra.schedule/1"
    rows = (out / "schedule.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("unit_id,team_id,start") and len(rows) == 1 + len(loaded.units)


def test_solve_infeasible_exits_1_with_the_reason_and_writes_nothing(tmp_path: Path) -> None:
    data = tiny_scenario_data()
    data["units"][0].update(agency="STP", required_agencies=["STP"])
    out = tmp_path / "out"
    result = _solve(str(_write(tmp_path, data)), "--out", str(out), "--workers", "1")
    assert result.exit_code == 1
    assert "Sở Y tế (U1)" in result.output and "conflict of interest" in result.output
    assert not out.exists()


def test_solve_infeasible_after_search_is_explained(tmp_path: Path) -> None:
    data = tiny_scenario_data()
    for u in data["units"]:
        u.update(team="D1", window={"from": "2025-06-09", "to": "2025-06-13"})
    data["members"][0]["max_visits_per_week"] = 2  # A1, the only lead of team D1
    result = _solve(str(_write(tmp_path, data)), "--out", str(tmp_path / "o"),
                    "--time-limit", "10", "--workers", "1", "--lang", "en")
    assert result.exit_code == 1, result.output
    assert "INFEASIBLE" in result.output and RuleId.H12_WEEKLY in result.output
    assert "(A1)" in result.output


def test_the_explanation_is_vietnamese_by_default_and_json_carries_it(tmp_path: Path) -> None:
    data = tiny_scenario_data()
    for u in data["units"]:
        u.update(team="D1", window={"from": "2025-06-09", "to": "2025-06-13"})
    data["members"][0]["max_visits_per_week"] = 2
    args = [str(_write(tmp_path, data)), "--out", str(tmp_path / "o"), "--time-limit", "10",
            "--workers", "1"]
    result = _solve(*args)
    assert result.exit_code == 1
    assert "KHÔNG CÓ KẾ HOẠCH" in result.stdout and "không thể cùng được kiểm tra" in result.stdout
    assert "Thành viên liên quan" in result.stdout and "cannot" not in result.stdout
    as_json = _solve(*args, "--json")
    summary = json.loads(as_json.stdout)
    assert summary["exit_code"] == 1 and summary["status"] == "INFEASIBLE"
    assert "H12-weekly" in summary["explanation"]


def test_json_summary_and_quiet(tmp_path: Path) -> None:
    path = _write(tmp_path, tiny_scenario_data())
    result = _solve(str(path), "--out", str(tmp_path / "o"), "--time-limit", "5", "--workers",
                    "1", "--formats", "json,csv", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)  # stdout holds only the JSON
    assert summary["ok"] and summary["status"] in ("OPTIMAL", "FEASIBLE")
    assert summary["checker_ok"] and summary["visits"] == 3
    assert any(p.endswith("schedule.json") for p in summary["written"])
    quiet = _solve(str(path), "--out", str(tmp_path / "q"), "--time-limit", "5", "--workers", "1",
                   "--formats", "json,csv", "--quiet")
    assert quiet.exit_code == 0 and "kế hoạch tốt hơn" not in quiet.output
    assert "Đoàn" not in quiet.stdout  # no plan table
    assert "kiểm tra độc lập" in quiet.stdout  # the verdict stays


def test_solve_bad_input_exits_2_without_traceback(tmp_path: Path) -> None:
    data = tiny_scenario_data()
    data["units"][0]["window"] = {"quarters": [2, 4]}
    result = _solve(str(_write(tmp_path, data)), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert "scenario.yaml" in result.output and "Traceback" not in result.output
    missing = _solve(str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2 and "không tìm thấy tệp" in missing.output


def test_solve_rejects_a_bad_option(tmp_path: Path) -> None:
    scenario = _write(tmp_path, tiny_scenario_data())
    assert _solve(str(scenario), "--time-limit", "0").exit_code == 2
    assert _solve(str(scenario), "--workers", "0").exit_code == 2


def test_ctrl_c_writes_the_best_plan_so_far_and_exits_130(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "cli.py"), "solve", str(SCENARIOS / "hanoi-2025-communes.yaml"),
         "--out", str(out), "--time-limit", "300", "--workers", "1", "--formats", "json,csv"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stderr is not None
    for line in proc.stderr:  # progress goes to stderr: wait until the search has a plan
        if "better plan" in line or "kế hoạch tốt hơn" in line:
            break
    time.sleep(2.0)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Ctrl-C" in err and "Traceback" not in err
    assert (out / "schedule.json").exists()
    check = subprocess.run([sys.executable, str(ROOT / "cli.py"), "check", str(out / "scenario.yaml"),
                            str(out / "schedule.json")], capture_output=True, text=True, cwd=ROOT)
    assert check.returncode == 0, check.stdout
