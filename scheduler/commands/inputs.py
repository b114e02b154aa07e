"""What the commands that read a plan start from: the plan and the scenario it was made for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from models.loading import InputError, Problem, load_scenario
from models.scenario import Scenario
from scheduler.messages import say
from scheduler.output import console
from scheduler.output.command import recover_folder
from scheduler.output.view import mismatches
from scheduler.problem.schedule_build import scenario_sha256
from scheduler.replan.plan_import import load_plan


def plan_inputs(schedule_path: Path, scenario_path: Path | None) -> tuple[Scenario, Any]:
    """The plan (schedule.json, or the .xlsx/.csv a planner edited) and its scenario
    (--scenario, else the scenario.yaml saved beside it)."""
    recover_folder(schedule_path.parent)
    if scenario_path is None:
        scenario_path = schedule_path.parent / "scenario.yaml"
        if not scenario_path.exists():
            raise InputError(schedule_path, [Problem.of("scenario", "input.no_scenario_beside",
                                                        name=scenario_path.name)])
    loaded = load_scenario(scenario_path)
    plan = load_plan(schedule_path, loaded)
    problems = mismatches(loaded, plan)
    if problems:
        raise InputError(scenario_path, [
            Problem("", say("input.pass_scenario", "en", problem=p),
                    say("input.pass_scenario", "vi", problem=p.vi)) for p in problems])
    if schedule_path.suffix.lower() == ".json" and plan.scenario.sha256 != scenario_sha256(loaded):
        con = console.current()
        con.warn(con.say("out.other_version", schedule=schedule_path, scenario=scenario_path))
    return loaded, plan
