"""The files a re-plan leaves beside its schedule: ``replan.json``, ``diff.txt`` and ``diff.csv``.

``replan.json`` (``kiemtra.replan/1``) records the re-plan date, the neighbourhoods tried and,
per unit, its fate and the reasons; ``kiemtra diff`` reads it back to say why a visit changed.
They are written as one whole set with the schedule and ``scenario.yaml`` (``write_output_set``);
a re-plan never replaces the baseline's folder unless asked. No solver is imported here.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, ValidationError

from models.loading import InputError, Problem, load_json, pydantic_problems
from models.scenario import Scenario
from models.schedule import Schedule
from models.tables import csv_text
from scheduler.output.files import atomic_write_bytes, schedule_file_contents
from scheduler.output.sets import write_output_set
from scheduler.replan.diff import CSV_COLUMNS as DIFF_COLUMNS
from scheduler.replan.diff import ScheduleDiff, diff_rows, diff_schedules, render_diff
from scheduler.replan.run import ReplanResult

REPLAN_SCHEMA = "kiemtra.replan/1"
REPLAN_FILE = "replan.json"
SCENARIO_FILE = "scenario.yaml"  # the scenario after the events, to check or re-plan again


def scenario_yaml(scenario: Scenario,
                  header: str = "# Scenario after the events of a re-plan (written by kiemtra "
                                "replan).\n") -> str:
    """A scenario as YAML a planner can read, edit and load again."""
    data = scenario.model_dump(by_alias=True, mode="json", exclude_none=True)
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def replan_record(result: ReplanResult) -> dict[str, Any]:
    return {
        "schema": REPLAN_SCHEMA,
        "as_of": result.applied.as_of.isoformat(),
        "status": result.status.value,
        "wall_s": result.wall_s,
        "phases": [{"name": p.name, "free": p.free, "pinned": p.pinned,
                    "status": p.status.value, "wall_s": p.wall_s,
                    "first_solution_s": p.first_solution_s, "objective": p.objective,
                    "bound": p.bound} for p in result.phases],
        "units": result.reasons(),
    }


def replan_contents(result: ReplanResult, baseline: Schedule) -> dict[str, bytes]:
    """Relative path -> bytes of every file of a re-plan's set (empty without a plan)."""
    if result.schedule is None:
        return {}
    diff = diff_schedules(baseline, result.schedule, result.reasons(), result.applied.as_of)
    record = json.dumps(replan_record(result), ensure_ascii=False, indent=2)
    return {
        **schedule_file_contents(result.schedule),
        REPLAN_FILE: record.encode("utf-8"),
        SCENARIO_FILE: scenario_yaml(result.applied.scenario).encode("utf-8"),
        "diff.txt": (render_diff(diff) + "\n").encode("utf-8"),
        "diff.csv": diff_csv_bytes(diff),
    }


def write_replan_files(result: ReplanResult, baseline: Schedule, out_dir: Path) -> list[Path]:
    """schedule.json/csv, replan.json, scenario.yaml, diff.txt, diff.csv as one set (none without
    a plan)."""
    contents = replan_contents(result, baseline)
    if not contents or result.schedule is None:
        return []
    info = {"scenario_sha256": result.schedule.scenario.sha256,
            "replan_as_of": result.applied.as_of.isoformat()}
    return write_output_set(out_dir, contents, info)


def refuse_baseline_folder(out_dir: Path, baseline: Path, overwrite: bool,
                           what: str = "baseline") -> None:
    """Exit 2 when ``--out`` is (or contains) the folder of the plan being read (a re-plan's
    baseline, a repair's edited plan), unless told to overwrite."""
    out, base = out_dir.resolve(), baseline.resolve().parent
    if overwrite or not (out == base or out in base.parents):
        return
    allow = (" Choose another --out, or pass --overwrite-baseline if that is what you want"
             if what == "baseline" else " Choose another --out, e.g. out/repaired")
    raise InputError(out_dir, [Problem("--out", f"is the folder of the {what} {baseline} (or "
                                       "contains it); writing there would replace that plan "
                                       "and its calendars, workbook and scenario." + allow)])


def diff_csv_bytes(diff: ScheduleDiff) -> bytes:
    """The diff as CSV (UTF-8 with BOM so Excel shows Vietnamese names), cells formula-safe."""
    return csv_text(DIFF_COLUMNS, diff_rows(diff)).encode("utf-8")


def write_diff_csv(diff: ScheduleDiff, path: Path) -> Path:
    """``kiemtra diff --csv``: one file, written atomically."""
    return atomic_write_bytes(path, diff_csv_bytes(diff))


class _UnitRecord(BaseModel):
    """What ``kiemtra diff`` reads of a unit in replan.json (other keys are kept, unread)."""

    fate: str = ""
    why: list[str] = Field(default_factory=list)
    events: list[str] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list)


class _ReplanRecord(BaseModel):
    schema_: Literal["kiemtra.replan/1"] = Field(alias="schema")
    as_of: date | None = None
    units: dict[str, _UnitRecord] = Field(default_factory=dict)


def load_replan_record(schedule_path: Path) -> dict[str, Any] | None:
    """The ``replan.json`` beside a schedule file, if the re-planner left one."""
    path = schedule_path.parent / REPLAN_FILE
    if not path.exists():
        return None
    fix = "; re-run kiemtra replan or delete the file"
    try:
        data = load_json(path, f"the {REPLAN_FILE} kiemtra replan wrote")
    except InputError as exc:
        raise InputError(path, [Problem(p.where, p.message + fix) for p in exc.problems]) from None
    if not isinstance(data, dict) or data.get("schema") != REPLAN_SCHEMA:
        raise InputError(path, [Problem("schema", f"expected '{REPLAN_SCHEMA}'{fix}")])
    try:
        _ReplanRecord.model_validate(data)
    except ValidationError as exc:
        raise InputError(path, [Problem(p.where, p.message + fix)
                                for p in pydantic_problems(exc, data)]) from None
    return data


def record_as_of(record: dict[str, Any] | None) -> date | None:
    if not record or not record.get("as_of"):
        return None
    return date.fromisoformat(record["as_of"])
