"""`kiemtra check SCENARIO SCHEDULE`: exit 0 when clean, 1 when a rule is broken, 2 for a bad file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from test_checker import BREAKS, RICH_PLAN, build, patch, rich_data

from cli import main
from conftest import make_scenario
from models.rules import RuleId
from models.schedule import Schedule, Status

# These tests read the English wording; the Vietnamese default is tested in test_language.py.
ENGLISH = {"KIEMTRA_LANG": "en"}

EXPECTED_TERMS = {RuleId.S01_TEAM_BALANCE: 40, RuleId.S02_MEMBER_BALANCE: 10, RuleId.S03_EARLY: 12,
                  RuleId.S04_PREFERRED: 0, RuleId.S05_AGENCY_SPREAD: 12, RuleId.S06_OPTIONAL: 1000}


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "rich.yaml"
    path.write_text(yaml.safe_dump(rich_data(), allow_unicode=True), encoding="utf-8")
    return path


def schedule_file(tmp_path: Path, schedule: Schedule, name: str = "schedule.json") -> Path:
    path = tmp_path / name
    path.write_text(schedule.to_json(), encoding="utf-8")
    return path


def valid_schedule() -> Schedule:
    return build(make_scenario(rich_data()), RICH_PLAN)


def run(*args: Path | str, env: dict[str, str] = ENGLISH) -> tuple[int, str, str]:
    result = CliRunner(env=env).invoke(main, ["check", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


def test_clean_schedule_exits_0_with_objective(scenario_file: Path, tmp_path: Path) -> None:
    code, out, _ = run(scenario_file, schedule_file(tmp_path, valid_schedule()))
    assert code == 0
    assert "OK: no rule is broken." in out
    assert "objective (recomputed): 1074" in out
    for rule_id, value in EXPECTED_TERMS.items():
        assert any(line.split()[:2] == [rule_id, str(value)] for line in out.splitlines())
    assert "warning" not in out


def test_broken_schedule_exits_1_naming_rule_unit_member_day(
    scenario_file: Path, tmp_path: Path
) -> None:
    broken = build(make_scenario(rich_data()), {**RICH_PLAN, **BREAKS[RuleId.H11_AVAILABLE]})
    code, out, _ = run(scenario_file, schedule_file(tmp_path, broken), env={})
    assert code == 1
    assert "1 vi phạm của 1 quy tắc" in out
    assert "H11-available: Không cử thành viên vào ngày vắng mặt" in out
    assert "đơn vị U5 (Viện Quy hoạch) · thành viên B2 · 19/06/2025: thành viên vắng mặt ngày đó" in out


def test_english_wording_and_every_violation_listed(scenario_file: Path, tmp_path: Path) -> None:
    broken = patch(valid_schedule(), "U4", member_ids=["A3"], lead_id="A4")
    code, out, _ = run(scenario_file, schedule_file(tmp_path, broken), "--lang", "en")
    assert code == 1
    for line in ("H05-group-team: The visiting group comes from the unit's team",
                 "H06-lead: Every visit has the team leader",
                 "H07-group-size: The visiting group has at least 2 members"):
        assert line in out


def test_as_of_applies_to_planned_visits(scenario_file: Path, tmp_path: Path) -> None:
    path = schedule_file(tmp_path, valid_schedule())
    code, out, _ = run(scenario_file, path, "--as-of", "2025-06-05")
    assert code == 1 and RuleId.H04_NOTICE in out and "unit U1" in out
    code, out_vn, _ = run(scenario_file, path, "--as-of", "05/06/2025")  # dd/mm/yyyy as typed
    assert code == 1 and out_vn == out
    code, _, err = run(scenario_file, path, "--as-of", "31/06/2025")
    assert code == 2 and "--as-of" in err and "dd/mm/yyyy" in err


def test_solver_claims_are_compared(scenario_file: Path, tmp_path: Path) -> None:
    schedule = valid_schedule()
    solver = schedule.solver.model_copy(update={
        "objective": 1070, "objective_terms": {**EXPECTED_TERMS, RuleId.S03_EARLY: 8}})
    schedule = schedule.model_copy(update={"solver": solver})
    schedule = schedule.model_copy(update={"scenario": schedule.scenario.model_copy(
        update={"sha256": "0" * 64})})
    code, out, _ = run(scenario_file, schedule_file(tmp_path, schedule))
    assert code == 1  # a schedule whose own figures are false does not pass
    assert "the schedule says objective 1070: differs by -4" in out
    assert "(the schedule says 8)" in out
    assert "states cost 1070, but the plan costs 1074" in out
    assert "states S03-early = 8, but the plan gives 12" in out
    assert "warning: the schedule was made for another version of this scenario" in out


@pytest.mark.parametrize(("claim", "said"), [
    ({"status": Status.OPTIMAL, "objective": 1, "bound": 1}, "states cost 1, but the plan costs 1074"),
    ({"status": Status.OPTIMAL, "objective": 1074, "bound": 1000}, "optimality is not proven"),
    ({"status": Status.OPTIMAL, "objective": 1074, "bound": None}, "claims OPTIMAL without a bound"),
    ({"status": Status.FEASIBLE, "objective": 1074, "bound": 2000}, "no bound can exceed"),
    ({"status": Status.INFEASIBLE, "objective": None, "bound": None}, "claims INFEASIBLE (no plan)"),
])
def test_forged_status_and_cost_fail_the_check(
        scenario_file: Path, tmp_path: Path, claim: dict, said: str) -> None:
    schedule = valid_schedule()
    schedule = schedule.model_copy(update={"solver": schedule.solver.model_copy(update=claim)})
    code, out, _ = run(scenario_file, schedule_file(tmp_path, schedule))
    assert code == 1 and said in out


def test_true_claims_pass(scenario_file: Path, tmp_path: Path) -> None:
    schedule = valid_schedule()
    schedule = schedule.model_copy(update={"solver": schedule.solver.model_copy(update={
        "status": Status.OPTIMAL, "objective": 1074, "bound": 1074,
        "objective_terms": dict(EXPECTED_TERMS)})})
    code, out, _ = run(scenario_file, schedule_file(tmp_path, schedule))
    assert code == 0 and "do not hold" not in out


@pytest.mark.parametrize("text, where", [
    ("{not json", "JSON syntax"),
    ('{"schema": "kiemtra.schedule/1", "scenario": {"name": "x", "sha256": "y"}}', "solver"),
])
def test_bad_schedule_file_exits_2(
    scenario_file: Path, tmp_path: Path, text: str, where: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(scenario_file, path)
    assert code == 2
    assert str(path) in err and where in err and "Traceback" not in err + out


def test_missing_scenario_file_exits_2(tmp_path: Path) -> None:
    code, _, err = run(tmp_path / "nope.yaml", schedule_file(tmp_path, valid_schedule()))
    assert code == 2 and "nope.yaml" in err
