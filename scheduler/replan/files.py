"""The files a re-plan leaves beside its schedule: ``replan.json``, ``diff.txt`` and ``diff.csv``.

``replan.json`` (``kiemtra.replan/1``) records the re-plan date, the neighbourhoods tried and,
per unit, its fate and the reasons; ``kiemtra diff`` reads it back to say why a visit changed.
They are written as one whole set with the schedule and ``scenario.yaml`` (``write_output_set``);
a re-plan never replaces the baseline's folder unless asked. No solver is imported here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from models.loading import InputError, Problem, load_json, pydantic_problems
from models.scenario import Scenario
from models.schedule import Schedule
from models.tables import csv_text
from scheduler.messages import say
from scheduler.output import FORMATS
from scheduler.output.console import OutputsFailed
from scheduler.output.files import atomic_write_bytes, scenario_yaml, schedule_file_contents
from scheduler.output.lineage import lineage_of
from scheduler.output.sets import write_output_set
from scheduler.replan.diff import CSV_COLUMNS as DIFF_COLUMNS
from scheduler.replan.diff import ScheduleDiff, diff_rows, diff_schedules, render_diff
from scheduler.replan.publish import publish_contents
from scheduler.replan.run import ReplanResult

REPLAN_SCHEMA = "kiemtra.replan/1"
REPLAN_FILE = "replan.json"
SCENARIO_FILE = "scenario.yaml"  # the scenario after the events, to check or re-plan again


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


def replan_contents(result: ReplanResult, baseline: Schedule,
                    schedule: Schedule | None = None) -> dict[str, bytes]:
    """Relative path -> bytes of the re-plan's own files (empty without a plan): the schedule
    (``schedule``: the re-plan with its lineage, default the re-plan as found), replan.json,
    scenario.yaml, diff.txt, diff.csv."""
    schedule = schedule or result.schedule
    if schedule is None:
        return {}
    diff = diff_schedules(baseline, schedule, result.reasons(), result.applied.as_of)
    record = json.dumps(replan_record(result), ensure_ascii=False, indent=2)
    return {
        **schedule_file_contents(schedule),
        REPLAN_FILE: record.encode("utf-8"),
        SCENARIO_FILE: scenario_yaml(result.applied.scenario).encode("utf-8"),
        "diff.txt": (render_diff(diff) + "\n").encode("utf-8"),
        "diff.csv": diff_csv_bytes(diff),
    }


@dataclass
class Written:
    """What a re-plan or repair published: the files, the plan as written (with its lineage),
    its diff from the baseline, and a warning when no published calendars were found."""

    paths: list[Path]
    schedule: Schedule | None = None
    diff: ScheduleDiff | None = None
    warning: str | None = None


def with_lineage(schedule: Schedule, baseline: Schedule, baseline_path: Path | None) -> Schedule:
    """The schedule recording the baseline file it was made from (when that file is known)."""
    if baseline_path is None:
        return schedule
    return schedule.model_copy(update={"lineage": lineage_of(baseline_path, baseline)})


def write_replan_files(result: ReplanResult, baseline: Schedule, out_dir: Path,
                       baseline_path: Path | None = None, formats: Iterable[str] = FORMATS,
                       lang: str = "vi") -> Written:
    """The re-plan published whole (``publish``): the outputs of ``formats``, letters and notify
    list, and replan.json, scenario.yaml, diff.txt, diff.csv, as one set (none without a plan)."""
    if result.schedule is None:
        return Written([])
    schedule = with_lineage(result.schedule, baseline, baseline_path)
    diff = diff_schedules(baseline, schedule, result.reasons(), result.applied.as_of)
    built = publish_contents(result.applied.scenario, schedule, diff, out_dir, formats, lang)
    contents = {**built.contents, **replan_contents(result, baseline, schedule)}
    info = {"scenario_sha256": schedule.scenario.sha256,
            "replan_as_of": result.applied.as_of.isoformat()}
    paths = write_output_set(out_dir, contents, info)
    if built.failed:  # the plan and the rest are written; the failing outputs are named (exit 1)
        raise OutputsFailed(paths, built.failed)
    return Written(paths, schedule, diff, built.warning)


def refuse_baseline_folder(out_dir: Path, baseline: Path, overwrite: bool,
                           what: str = "baseline") -> None:
    """Exit 2 when ``--out`` is (or contains) the folder of the plan being read (a re-plan's
    baseline, a repair's edited plan), unless told to overwrite."""
    out, base = out_dir.resolve(), baseline.resolve().parent
    if overwrite or not (out == base or out in base.parents):
        return
    fix, kind = ("out.baseline_fix", "out.what_baseline") if what == "baseline" \
        else ("out.repair_fix", "out.what_edited")
    raise InputError(out_dir, [Problem(
        "--out", say("out.is_baseline", "en", what=say(kind, "en"), plan=baseline,
                     fix=say(fix, "en")),
        say("out.is_baseline", "vi", what=say(kind, "vi"), plan=baseline, fix=say(fix, "vi")))])


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
    try:
        data = load_json(path, f"the {REPLAN_FILE} kiemtra replan wrote")
    except InputError as exc:
        raise InputError(path, [_with_fix(p) for p in exc.problems]) from None
    if not isinstance(data, dict) or data.get("schema") != REPLAN_SCHEMA:
        raise InputError(path, [Problem.of("schema", "replan.record_schema", schema=REPLAN_SCHEMA)])
    try:
        _ReplanRecord.model_validate(data)
    except ValidationError as exc:
        raise InputError(path, [_with_fix(p) for p in pydantic_problems(exc, data)]) from None
    return data


def _with_fix(p: Problem) -> Problem:
    """A problem of the re-plan record, with the fix: re-run the re-plan or delete the file."""
    return Problem(p.where, say("replan.record_fix", "en", problem=p.message),
                   say("replan.record_fix", "vi", problem=p.text("vi")))


def record_as_of(record: dict[str, Any] | None) -> date | None:
    if not record or not record.get("as_of"):
        return None
    return date.fromisoformat(record["as_of"])


def write_repair_files(scenario: Scenario, repaired: Schedule, baseline: Schedule,
                       baseline_path: Path, out_dir: Path, formats: Iterable[str] = FORMATS,
                       lang: str = "vi", extra: dict[str, bytes] | None = None) -> Written:
    """A repaired plan published whole, as a re-plan is: its lineage is ``baseline_path`` (the
    published plan, else the edited file), the notify list and letters come from its diff with
    ``baseline``."""
    schedule = with_lineage(repaired, baseline, baseline_path)
    diff = diff_schedules(baseline, schedule)
    built = publish_contents(scenario, schedule, diff, out_dir, formats, lang)
    contents = {**built.contents, **(extra or {})}
    paths = write_output_set(out_dir, contents, {"scenario_sha256": schedule.scenario.sha256})
    if built.failed:
        raise OutputsFailed(paths, built.failed)
    return Written(paths, schedule, diff, built.warning)
