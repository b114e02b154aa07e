"""Smoke test of the benchmarks: a tiny generated campaign through the runner, end to end.

Benchmarks are measurements, not pass/fail tests: nothing here asserts a time. It asserts that the
runner writes its files, that every planner appears with the checker's verdict, and that the
plans it reports are the ones the checker accepted.
"""

from __future__ import annotations

import csv
from pathlib import Path

from benchmarks.generate import generate_data, scenario_yaml
from benchmarks.run import main
from models.rules import SOFT_RULES

TINY_UNITS = 5


def tiny_generated_scenario(folder: Path) -> Path:
    """The generated hanoi-full campaign cut down to its first few units, as a YAML file."""
    data = generate_data("hanoi-full", seed=0)
    data["units"] = data["units"][:TINY_UNITS]
    path = folder / "tiny-generated.yaml"
    path.write_text(scenario_yaml(data), encoding="utf-8")
    return path


def test_runner_writes_table_and_csv_for_every_planner(tmp_path: Path) -> None:
    scenario = tiny_generated_scenario(tmp_path)
    out = tmp_path / "results"
    code = main(["--instances", str(scenario), "--time-limit", "2", "--workers", "1",
                 "--seed", "0", "--quiet", "--out", str(out)])
    assert code == 0
    md, table = out / "latest.md", out / "latest.csv"
    assert md.is_file() and table.is_file()
    text = md.read_text(encoding="utf-8")
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    assert [r["planner"] for r in rows] == ["ours", "greedy", "naive"]
    for row in rows:
        assert row["instance"] == "tiny-generated"
        assert row["units"] == str(TINY_UNITS)
        assert f"| tiny-generated | {row['planner']} |" in text
        assert row["checker"] in text
    ours = rows[0]
    assert ours["checker"] == "ok", ours
    assert int(ours["objective"]) == sum(int(ours[r.id]) for r in SOFT_RULES)
    assert float(ours["peak_mb"]) > 0
    assert "checker" in text and "objective ours/peer" in text
    assert "## Planners' figures" in text
    for row in rows:  # the generated campaign has whole-day visits only: no travel, team-days counted
        assert row["travel_min"] == "" and int(row["team_days"]) >= 1
        assert int(row["leader_max_week_days"]) >= 1
