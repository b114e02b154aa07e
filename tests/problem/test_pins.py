"""A unit pinned to a date (and a team): in YAML (`date:`) and with `--pin`, in the domains,
the checker (H15) and the pre-check's explanation."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import yaml
from click.testing import CliRunner

from cli import main
from conftest import make_scenario, tiny_scenario_data
from models.rules import RuleId
from scheduler.check.checker import check_schedule
from scheduler.plan.pipeline import plan
from scheduler.search.solve import SolveOptions

FAST = SolveOptions(time_limit_s=5, workers=1, seed=0)


def test_a_date_pinned_in_yaml_is_kept_and_checked() -> None:
    data = tiny_scenario_data()
    data["units"][0].update({"date": "2025-06-24", "team": "D2"})
    scenario = make_scenario(data)
    outcome = plan(scenario, FAST)
    assert outcome.schedule is not None and outcome.clean
    u1 = outcome.schedule.assignment_for("U1")
    assert u1 is not None and (u1.start, u1.team_id) == (date(2025, 6, 24), "D2")
    moved = outcome.schedule.model_copy(update={"assignments": [
        a.model_copy(update={"start": date(2025, 6, 25), "end": date(2025, 6, 25)})
        if a.unit_id == "U1" else a for a in outcome.schedule.assignments]})
    rules = {v.rule_id for v in check_schedule(scenario, moved).violations}
    assert RuleId.H15_PINNED_TEAM in rules


def test_an_impossible_pin_is_explained_before_solving() -> None:
    data = tiny_scenario_data()
    data["units"][0]["date"] = "2025-06-03"  # the day after the plan: no notice possible
    outcome = plan(make_scenario(data), FAST)
    assert outcome.schedule is None and outcome.explanation is not None
    finding = outcome.explanation.findings[0]
    assert finding.rule_id == RuleId.H15_PINNED_TEAM and "03/06/2025" in finding.message


def test_pin_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(tiny_scenario_data(), allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(path), "--out", str(out), "--time-limit", "5",
                                       "--workers", "1", "--formats", "json,csv",
                                       "--pin", "U2=19/06/2025/D1", "--pin", "U3=2025-07-10"])
    assert result.exit_code == 0, result.output
    visits = {a["unit_id"]: a for a in json.loads((out / "schedule.json").read_text())["assignments"]}
    assert (visits["U2"]["start"], visits["U2"]["team_id"]) == ("2025-06-19", "D1")
    assert visits["U3"]["start"] == "2025-07-10"
    check = CliRunner().invoke(main, ["check", str(out / "scenario.yaml"), str(out / "schedule.json")])
    assert check.exit_code == 0, check.output  # the pinned scenario travels with the plan
    bad = CliRunner().invoke(main, ["solve", str(path), "--out", str(tmp_path / "x"),
                                    "--pin", "NOPE=19/06/2025"])
    assert bad.exit_code == 2 and "--pin" in bad.output
