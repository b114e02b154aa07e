"""The commands that read plans and judge them: check, diff, compare."""


from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from models.loading import load_scenario
from models.scenario import Scenario
from scheduler.commands.inputs import plan_inputs
from scheduler.messages import say
from scheduler.output import console
from scheduler.output.command import (
    LANG_OPTION,
    friendly_errors,
    parse_iso,
    recover_folder,
    say_written,
    write_beside,
)
from scheduler.output.help import LocalCommand


@click.command("check", cls=LocalCommand)
@click.argument("scenario", type=click.Path(path_type=Path))
@click.argument("schedule", type=click.Path(path_type=Path))
@click.option("--as-of", "as_of", default=None)
@LANG_OPTION
@friendly_errors
def check_cmd(scenario: Path, schedule: Path, as_of: str | None, lang: str) -> None:
    """Re-verify every rule of SCHEDULE (schedule.json, or an edited .xlsx/.csv) against SCENARIO;
    exit 1 if any rule is broken or the schedule's own figures are false."""
    from scheduler.check.checker import check_schedule, format_report
    from scheduler.check.claims import false_claims
    from scheduler.replan.plan_import import load_plan

    recover_folder(schedule.parent)
    loaded = load_scenario(scenario)
    plan = load_plan(schedule, loaded)
    day = parse_iso(as_of, "--as-of") if as_of else None
    report = check_schedule(loaded, plan, day)
    con = console.current()
    claims = false_claims(plan, report, loaded)
    text = format_report(loaded, plan, report, lang)
    if claims:
        text += "\n\n" + con.say("check.false_claims", n=len(claims))
        text += "\n" + "\n".join(f"  - {getattr(c, 'vi', c) if con.lang != 'en' else c}"
                                 for c in claims)
    con.result(text)
    hint = _scenario_beside_hint(scenario, schedule, loaded, plan)
    if hint:
        con.warn(hint)
        con.record(hint=hint)
    con.record(ok=report.ok and not claims, objective=report.objective, terms=report.terms,
               violations=[{"rule": v.rule_id, "unit": v.unit_id, "member": v.member_id,
                            "day": v.day, "message": v.message} for v in report.violations],
               false_claims=claims)
    sys.exit(0 if report.ok and not claims else 1)


def _scenario_beside_hint(scenario: Path, schedule: Path, loaded: Scenario, plan: Any) -> str | None:
    """When the plan visits units the scenario lacks (a re-plan after a merger, checked against
    the scenario before it), point to the scenario saved beside the schedule."""
    beside = schedule.parent / "scenario.yaml"
    known = {u.id for u in loaded.units}
    strangers = sorted({a.unit_id for a in plan.assignments
                        if a.unit_id not in known and a.state.value != "cancelled"})
    if not strangers or not beside.is_file() or beside.resolve() == scenario.resolve():
        return None
    shown = ", ".join(strangers[:5]) + (", …" if len(strangers) > 5 else "")
    con = console.current()
    return con.t(f"lịch có {len(strangers)} đơn vị không có trong {scenario} ({shown}); lịch này "
                 f"đi kèm kịch bản {beside}: kiemtra check {beside} {schedule}",
                 f"the plan visits {len(strangers)} unit(s) {scenario} does not have ({shown}); "
                 f"the plan's own scenario is beside it: kiemtra check {beside} {schedule}")


@click.command("diff", cls=LocalCommand)
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--csv", "csv_file", type=click.Path(path_type=Path))
@click.option("--as-of", "as_of", default=None)
@friendly_errors
def diff_cmd(old: Path, new: Path, csv_file: Path | None, as_of: str | None) -> None:
    """Per unit, what changed from OLD to NEW (schedule.json files) and why; who to notify."""
    from models.loading import load_schedule
    from scheduler.replan.diff import diff_schedules, notify_list, render_diff, render_notify
    from scheduler.replan.files import load_replan_record, record_as_of, write_diff_csv

    recover_folder(old.parent)
    recover_folder(new.parent)
    before, after = load_schedule(old), load_schedule(new)
    record = load_replan_record(new)
    day = parse_iso(as_of, "--as-of") if as_of else record_as_of(record)
    diff = diff_schedules(before, after, (record or {}).get("units"), day)
    con = console.current()
    con.result(render_diff(diff, con.lang))
    con.result(render_notify(diff, con.lang))
    con.record(notify=notify_list(diff, con.lang))
    if csv_file is not None:
        write_diff_csv(diff, csv_file)
        say_written(csv_file)


@click.command("compare", cls=LocalCommand)
@click.argument("plans", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path))
@LANG_OPTION
@friendly_errors
def compare_cmd(plans: tuple[Path, ...], out: Path | None, lang: str) -> None:
    """Key figures of plans side by side; each PLAN is a schedule.json or the folder holding it."""
    from scheduler.output.compare import compare_plans, comparison_json, render_table
    from scheduler.output.compare_render import comparison_html, comparison_workbook

    kind = out.suffix.lower() if out is not None else None
    if out is not None and kind not in (".html", ".xlsx"):
        raise click.BadParameter(say("cli.suffix", lang, path=out, a=".html", b=".xlsx"),
                                 param_hint="--out")
    loaded = [_compare_plan(p) for p in plans]
    comparison = compare_plans(loaded, lang)
    sources = [plan.source for plan in loaded]
    con = console.current()
    con.record(**json.loads(comparison_json(comparison, sources)))
    con.result(render_table(comparison))
    if out is not None:
        data = (comparison_html(comparison).encode("utf-8") if kind == ".html"
                else comparison_workbook(comparison))
        say_written(write_beside(out, data))


def _compare_plan(path: Path) -> Any:
    """One plan to compare, labelled by its folder (or file name, or campaign when neither says)."""
    from scheduler.output.compare import Plan

    schedule_path = path / "schedule.json" if path.is_dir() else path
    loaded, plan = plan_inputs(schedule_path, None)
    where = schedule_path.resolve()
    label = where.parent.name if where.name == "schedule.json" else where.stem
    return Plan(label or loaded.campaign.name, loaded, plan, str(schedule_path))


# What cli.py adds to the kiemtra group.
COMMANDS = [check_cmd, diff_cmd, compare_cmd]
