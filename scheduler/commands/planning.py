"""The commands that plan: solve, replan, repair (each through the one planning door)."""


from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from pydantic import ValidationError

from models.calendar import format_vn
from models.loading import InputError, Problem, load_scenario, load_yaml, pydantic_problems
from models.scenario import Scenario, Unit
from scheduler.messages import phase_name, say
from scheduler.output import console
from scheduler.output.command import (
    INTERRUPTED,
    LANG_OPTION,
    MEMBER_SHEETS_OPTION,
    PIN_OPTION,
    SEED,
    TIME_LIMIT,
    UNITS_OPTION,
    WORKERS,
    apply_pins,
    chosen_formats,
    friendly_errors,
    parse_iso,
    recover_folder,
    say_written,
    scenario_bytes,
    writable_folder,
)
from scheduler.output.help import LocalCommand

if TYPE_CHECKING:
    from scheduler.replan.files import Written


def _say_published(written: Written, out: Path) -> None:
    """A re-plan's or repair's set: the diff, who must be told, the calendars warning, the files."""
    from scheduler.replan.diff import notify_list, render_diff, render_notify

    con = console.current()
    diff = written.diff
    if diff is not None:
        con.detail(render_diff(diff))
        con.result(render_notify(diff, con.lang))
        con.record(notify=notify_list(diff, con.lang),
                   notify_again=[c.unit_id for c in diff.notify_again()],
                   cannot_meet=[c.unit_id for c in diff.cannot_meet()])
    if written.schedule is not None:
        con.record(objective=written.schedule.solver.objective,
                   terms=written.schedule.solver.objective_terms,
                   lineage=written.schedule.lineage.model_dump() if written.schedule.lineage
                   else None)
    if written.warning:
        con.warn(written.warning)
    say_written(*(written.paths or [out]))


@click.command("replan", cls=LocalCommand)
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--baseline", required=True, type=click.Path(path_type=Path))
@click.option("--as-of", "as_of", required=True)
@click.option("--events", "events_file", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=Path("out/replan"),
              show_default=True, callback=writable_folder)
@click.option("--time-limit", "time_limit", type=TIME_LIMIT, default=None)
@click.option("--workers", type=WORKERS, default=None)
@click.option("--seed", type=SEED, default=None)
@click.option("--overwrite-baseline", is_flag=True)
@click.option("--formats", default="all", show_default=True)
@UNITS_OPTION
@friendly_errors
def replan_cmd(scenario: Path, baseline: Path, as_of: str, events_file: Path | None, out: Path,
               time_limit: float | None, workers: int | None, seed: int | None,
               overwrite_baseline: bool, formats: str, units_file: Path | None) -> None:
    """Re-plan SCENARIO from a date, changing as little as possible of the baseline."""
    from models.events_reading import load_events
    from scheduler.output import FORMATS
    from scheduler.output.progress import progress_line
    from scheduler.output.sets import output_lock
    from scheduler.replan.files import refuse_baseline_folder, write_replan_files
    from scheduler.replan.plan_import import load_plan
    from scheduler.replan.run import ReplanOptions, replan

    chosen = chosen_formats(formats, FORMATS)
    recover_folder(baseline.parent)
    refuse_baseline_folder(out, baseline, overwrite_baseline)
    click.get_current_context().with_resource(output_lock(out))  # before the solve, not after
    loaded = load_scenario(scenario, units_file)
    plan = load_plan(baseline, loaded)
    day = parse_iso(as_of, "--as-of")
    events = load_events(events_file, loaded) if events_file else None
    s = loaded.solver
    con = console.current()
    options = ReplanOptions(time_limit_s=time_limit or s.time_limit_s,
                            workers=workers or s.workers, seed=s.seed if seed is None else seed,
                            on_progress=lambda p: con.progress(progress_line(p, con.lang)),
                            lang=con.lang)
    con.progress(con.say("replan.start", day=format_vn(day)))
    result = replan(loaded, plan, day, events, options, events_file or "events")
    for phase in result.phases:
        con.progress(say("replan.phase", con.lang, name=phase_name(phase.name, con.lang),
                         n=len(phase.free),
                         status=phase.status.value, wall=phase.wall_s))
    con.record(as_of=day, status=result.status.value,
               phases=[{"name": p.name, "units": len(p.free), "status": p.status.value,
                        "wall_s": p.wall_s} for p in result.phases])
    if result.schedule is None:
        why = result.explanation or con.say("replan.no_time")
        con.error(con.say("replan.none", status=result.status.value, why=why))
        sys.exit(1)
    written = write_replan_files(result, plan, out, baseline, chosen, con.lang)
    _say_published(written, out)
    report = result.check
    if report is not None and not report.ok:
        con.error(con.say("replan.broken", n=len(report.violations), day=format_vn(day))
                  + "".join(f"\n  [{v.rule_id}] {v.unit_id or ''} {v.text(con.lang)}"
                            for v in report.violations)
                  + "\n" + con.say("replan.broken_fix", schedule=out / "schedule.json"))
        sys.exit(1)
    con.result(con.say("replan.checked", day=format_vn(day)))
    if result.interrupted:
        con.error(con.say("replan.interrupted"))
        sys.exit(INTERRUPTED)


@click.command("repair", cls=LocalCommand)
@click.argument("scenario", type=click.Path(path_type=Path))
@click.argument("edited", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=Path("out/repaired"),
              show_default=True, callback=writable_folder)
@click.option("--time-limit", "time_limit", type=click.FloatRange(min=0, min_open=True),
              default=None)
@click.option("--workers", type=click.IntRange(min=1), default=None)
@click.option("--seed", type=click.IntRange(min=0), default=None)
@click.option("--formats", default="all", show_default=True)
@LANG_OPTION
@friendly_errors
def repair_cmd(scenario: Path, edited: Path, out: Path, time_limit: float | None,
               workers: int | None, seed: int | None, formats: str, lang: str) -> None:
    """Repair EDITED (schedule.xlsx, .csv or .json a planner changed): the nearest plan of
    SCENARIO that meets every rule, keeping the edits the rules allow."""
    from scheduler.output import FORMATS
    from scheduler.output.sets import output_lock
    from scheduler.replan.files import refuse_baseline_folder, write_repair_files
    from scheduler.replan.plan_import import load_plan
    from scheduler.replan.repair import repair, repair_lines
    from scheduler.search.solve import SolveOptions

    chosen = chosen_formats(formats, FORMATS)
    recover_folder(edited.parent)
    refuse_baseline_folder(out, edited, False, what="edited plan")
    click.get_current_context().with_resource(output_lock(out))  # before the solve, not after
    loaded = load_scenario(scenario)
    saved_scenario = scenario_bytes(scenario, loaded, ())  # read now: it travels with the plan
    edited_plan = load_plan(edited, loaded)
    published_path = _published_beside(edited)
    published = load_plan(published_path, loaded) if published_path else None
    result = repair(loaded, edited_plan, SolveOptions(time_limit_s=time_limit, workers=workers,
                                                      seed=seed), published=published)
    names = {u.id: u.label for u in loaded.units}
    con = console.current()
    con.result("\n".join(repair_lines(result, names, con.lang)))
    con.record(violations_before=len(result.before.violations),
               undone=[{"unit": u.unit_id, "changes": u.changes(con.lang), "why": u.why,
                        "fields": [{"field": f.field, "edited": f.edited, "repaired": f.repaired,
                                    "rules": list(f.rules)} for f in u.fields()]}
                       for u in result.undone])
    if result.schedule is None:
        why = result.outcome.explanation.render(con.lang) if result.outcome and \
            result.outcome.explanation else con.say("repair.no_time")
        con.error(con.say("repair.none", why=why))
        sys.exit(1)
    written = write_repair_files(loaded, result.schedule, published or edited_plan,
                                 published_path or edited, out, chosen, lang,
                                 {"scenario.yaml": saved_scenario})
    _say_published(written, out)


def _published_beside(edited: Path) -> Path | None:
    """The schedule.json kiemtra wrote beside an edited workbook or CSV: the plan before the
    edits (its members come back where a swap is undone; its units are told of changes)."""
    beside = edited.parent / "schedule.json"
    if beside.is_file() and beside.resolve() != edited.resolve():
        return beside
    return None


@click.command("solve", cls=LocalCommand)
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
              callback=writable_folder)
@click.option("--time-limit", "time_limit", type=TIME_LIMIT,
              default=None)
@click.option("--workers", type=WORKERS, default=None)
@click.option("--seed", type=SEED, default=None)
@click.option("--formats", default="all", show_default=True)
@click.option("--planner", type=click.Choice(["cpsat", "greedy"]), default="cpsat", show_default=True)
@MEMBER_SHEETS_OPTION
@LANG_OPTION
@UNITS_OPTION
@PIN_OPTION
@friendly_errors
def solve_cmd(scenario: Path, out: Path, time_limit: float | None, workers: int | None,
              seed: int | None, formats: str, planner: str, member_sheets: bool | None, lang: str,
              units_file: Path | None, pins: tuple[str, ...]) -> None:
    """Plan SCENARIO: teams, dates and members; write the plan, charts and exports into --out."""
    from models.schedule import Status
    from scheduler.output import FORMATS, write_outputs
    from scheduler.output.progress import plan_table, progress_line, summary_lines
    from scheduler.output.sets import output_lock
    from scheduler.plan.pipeline import PLANNERS, plan
    from scheduler.search.solve import SolveOptions

    chosen = chosen_formats(formats, FORMATS)
    click.get_current_context().with_resource(output_lock(out))  # a busy or unwritable --out: exit 2 now
    loaded = apply_pins(load_scenario(scenario, units_file), pins)
    con = console.current()
    con.progress(con.say("solve.start", campaign=loaded.campaign.name, units=len(loaded.units),
                         teams=len(loaded.teams), members=len(loaded.members)))
    options = SolveOptions(time_limit_s=time_limit, workers=workers, seed=seed,
                           on_progress=lambda p: con.progress(progress_line(p, con.lang)))
    outcome = plan(loaded, options, PLANNERS[planner])
    con.record(status=outcome.status.value, wall_s=round(outcome.wall_s, 3),
               first_plan_s=outcome.first_solution_s)
    if outcome.schedule is None:
        if outcome.status is Status.INFEASIBLE:
            why = outcome.explanation.render(con.lang) if outcome.explanation else ""
            con.record(explanation=why)
            con.result(con.say("solve.infeasible"))
            con.result(why)
        else:
            con.error(con.say("solve.unknown", wall=outcome.wall_s))
        sys.exit(1)
    con.detail("\n" + plan_table(loaded, outcome.schedule, con.lang) + "\n")
    for line in summary_lines(outcome.schedule, outcome.first_solution_s, con.lang):
        con.result(line)
    report = outcome.check
    assert report is not None  # a plan is always checked
    verdict = con.say("solve.all_hold") if report.ok else \
        con.say("solve.violations", n=len(report.violations))
    con.result(con.say("solve.checked", verdict=verdict, objective=report.objective))
    info = outcome.schedule.solver
    con.record(objective=info.objective, bound=info.bound, terms=info.objective_terms,
               visits=len(outcome.schedule.assignments),
               unscheduled=[u.unit_id for u in outcome.schedule.unscheduled],
               checker_ok=report.ok)
    # The scenario travels with its plan, so gantt/export/report/replan find it beside schedule.json.
    written = write_outputs(loaded, outcome.schedule, out, formats=chosen, lang=lang,
                            extra={"scenario.yaml": scenario_bytes(scenario, loaded, pins)},
                            member_sheets=member_sheets)
    say_written(*written)
    if outcome.stats.get("interrupted"):
        con.error(con.say("solve.interrupted"))
        sys.exit(INTERRUPTED)
    if not report.ok:
        sys.exit(1)


@click.command("suggest", cls=LocalCommand)
@click.argument("scenario", type=click.Path(path_type=Path))
@click.argument("schedule", type=click.Path(path_type=Path))
@click.option("--add", "unit_file", type=click.Path(path_type=Path), required=True)
@click.option("--top", type=click.IntRange(1, 50), default=5, show_default=True)
@LANG_OPTION
@friendly_errors
def suggest_cmd(scenario: Path, schedule: Path, unit_file: Path, top: int, lang: str) -> None:
    """Where can one more unit go: the best places in SCHEDULE for the unit of --add UNIT.yaml,
    each with what it adds to the plan's cost, changing nothing."""
    from scheduler.plan.suggest import UnitAlreadyPlanned, suggest_places
    from scheduler.replan.plan_import import load_plan

    loaded = load_scenario(scenario)
    plan = load_plan(schedule, loaded)
    unit = read_unit(unit_file)
    try:
        places = suggest_places(loaded, plan, unit, top)
    except UnitAlreadyPlanned:
        raise InputError(unit_file, [Problem("id", f"unit {unit.id} is already in the scenario; give "
                                             "the new unit an id of its own",
                                             f"đơn vị {unit.id} đã có trong kịch bản; đặt cho đơn "
                                             "vị mới một mã riêng")]) from None
    con = console.current()
    con.result("\n".join(place_lines(loaded, places, con.lang)))
    con.record(unit=unit.id, places=[{
        "team_id": p.visit.team_id, "date": p.day, "start_time": p.visit.start_time,
        "end_time": p.visit.end_time, "member_ids": p.visit.member_ids, "lead_id": p.visit.lead_id,
        "route_id": p.route_id, "position": p.position, "cost_change": p.cost_change,
        "terms_change": p.terms_change, "retimed": p.retimed} for p in places])
    sys.exit(0 if places else 1)


def read_unit(path: Path) -> Unit:
    """The one unit of a YAML file written like a scenario's unit (its fields, no list)."""
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise InputError(path, [Problem("", "write one unit as a scenario's unit is written (id, "
                                            "name, kind, window, ...), not a list",
                                        "ghi một đơn vị như trong kịch bản (id, name, kind, "
                                        "window, ...), không phải một danh sách")])
    try:
        return Unit.model_validate(data)
    except ValidationError as exc:
        raise InputError(path, pydantic_problems(exc, data)) from None


def place_lines(scenario: Scenario, places: list[Any], lang: str) -> list[str]:
    """The places, best first, in planners' words."""
    vi = lang == "vi"
    if not places:
        return ["không có chỗ nào cho đơn vị này mà không phải dời cuộc kiểm tra khác; hãy lập lại "
                "kế hoạch (kiemtra replan) với sự kiện unit_added" if vi else
                "no place fits without moving another visit; re-plan (kiemtra replan) with a "
                "unit_added event"]
    lines = []
    for n, p in enumerate(places, 1):
        a = p.visit
        hours = f" {a.start_time}–{a.end_time}" if a.start_time else ""
        lead = scenario.member(a.lead_id).display_name
        where = (f"ghép vào lộ trình {p.route_id}, điểm thứ {p.position}" if vi else
                 f"joins route {p.route_id} as stop {p.position}") if p.route_id else \
            ("một ngày riêng" if vi else "a day of its own")
        cost = f"{p.cost_change:+d}"
        terms = ", ".join(f"{k} {v:+d}" for k, v in p.terms_change.items())
        lines.append(f"{n}. {format_vn(a.start)}{hours}  {a.team_id}  "
                     f"{'chủ trì' if vi else 'lead'}: {lead}  ({where}; "
                     f"{'chi phí' if vi else 'cost'} {cost}{': ' + terms if terms else ''})")
        if p.retimed:
            lines.append(("    đổi giờ: " if vi else "    re-timed: ") + ", ".join(p.retimed))
    return lines


# What cli.py adds to the kiemtra group.
COMMANDS = [replan_cmd, repair_cmd, solve_cmd, suggest_cmd]
