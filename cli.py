"""kiemtra command line: wires files, the scheduler and the outputs together. No logic lives here."""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from models import limits
from models.calendar import WorkCalendar, format_vn, quarter_bounds
from models.loading import InputError, Problem, load_scenario
from models.scenario import Scenario
from scheduler.messages import phase_name, say
from scheduler.output import console
from scheduler.output.command import (
    INTERRUPTED,
    LANG_OPTION,
    MEMBER_SHEETS_OPTION,
    PIN_OPTION,
    SCENARIO_OPTION,
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
    write_beside,
)
from scheduler.output.help import LocalGroup
from scheduler.output.labels import weekday_name
from scheduler.output.terminal import rekey_report, scenario_summary

if TYPE_CHECKING:
    from scheduler.replan.files import Written


@click.group("kiemtra", cls=LocalGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kiemtra", message="%(prog)s %(version)s")
def main() -> None:
    """Plan inspection campaigns: teams, dates and members, with CP-SAT (help texts, in Vietnamese
    and English: scheduler/output/help_texts.py)."""


@main.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editors that validate YAML as you type)."""
    schema_text = json.dumps(Scenario.model_json_schema(by_alias=True), ensure_ascii=False, indent=2)
    con = console.current()
    if con.as_json:
        con.record(schema=json.loads(schema_text))
    else:
        click.echo(schema_text)


@main.command()
@click.argument("scenario", type=click.Path(path_type=Path))
@UNITS_OPTION
@friendly_errors
def validate(scenario: Path, units_file: Path | None) -> None:
    """Check a scenario file and print a one-screen summary."""
    loaded = load_scenario(scenario, units_file)
    con = console.current()
    con.detail(scenario_summary(loaded, con.lang))
    con.result(say("valid", con.lang, path=scenario))
    con.record(scenario=str(scenario), units=len(loaded.units), teams=len(loaded.teams),
               members=len(loaded.members))


@main.command("calendar")
@click.argument("year", type=click.IntRange(limits.FIRST_YEAR, limits.LAST_YEAR))
@click.option("--scenario", type=click.Path(path_type=Path))
@friendly_errors
def calendar_cmd(year: int, scenario: Path | None) -> None:
    """List holidays, worked weekends and working days per quarter of YEAR."""
    cal = _calendar_for(year, scenario)
    first, last = date(year, 1, 1), date(year, 12, 31)
    con = console.current()
    off = cal.days_off_in(first, last)
    worked = cal.worked_weekends_in(first, last)
    per_quarter = {f"Q{q}": len(cal.working_days_between(*quarter_bounds(year, q)))
                   for q in range(1, 5)}
    lines = [con.say("calendar.off", year=year)]
    lines += [f"  {format_vn(day)} {weekday_name(day, con.lang)}  {name}" for day, name in off]
    lines.append(con.say("calendar.worked"))
    lines += [f"  {format_vn(day)} {weekday_name(day, con.lang)}" for day in worked]
    lines.append(con.say("calendar.quarters"))
    lines += [f"  {q}: {n}" for q, n in per_quarter.items()]
    con.result("\n".join(lines))
    con.record(year=year, days_off=[{"date": d, "name": n} for d, n in off],
               worked_weekends=worked, working_days_per_quarter=per_quarter)


@main.command()
@click.argument("visit_date")
@click.option("--days", type=click.IntRange(0, limits.MAX_NOTICE_DAYS), default=None)
@click.option("--scenario", type=click.Path(path_type=Path))
@friendly_errors
def deadline(visit_date: str, days: int | None, scenario: Path | None) -> None:
    """Print the report deadline of a visit on VISIT_DATE (ISO)."""
    day = parse_iso(visit_date, "VISIT_DATE")
    loaded = load_scenario(scenario) if scenario else None
    cal = loaded.work_calendar() if loaded else WorkCalendar(date(day.year, 1, 1),
                                                             date(day.year, 12, 31))
    notice = days if days is not None else (loaded.rules.report_deadline_days if loaded else 5)
    due = cal.report_deadline(day, notice)
    con = console.current()
    off = cal.day_kind(day)
    if off is not None:
        con.warn(con.t(f"{format_vn(day)} không phải ngày làm việc ({off}): không xếp buổi kiểm tra vào ngày "
                       "này; hạn gửi báo cáo vẫn được tính như thể có buổi kiểm tra ngày đó.",
                       f"{format_vn(day)} is not a working day ({off}): no visit is planned on it; the "
                       "report deadline is still counted as if one were."))
    con.result(format_vn(due))
    con.record(visit=day, days=notice, report_due=due, working_day=off is None, day_off=off)


def _calendar_for(year: int, scenario: Path | None) -> WorkCalendar:
    if scenario is None:
        return WorkCalendar(date(year, 1, 1), date(year, 12, 31))
    loaded = load_scenario(scenario)
    base = loaded.work_calendar()
    return WorkCalendar(date(year, 1, 1), date(year, 12, 31), base.overrides,
                        base.use_builtin_swaps)


# --- kiemtra check: the independent solution checker ---------------------------------------------


@main.command("check")
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


# --- kiemtra communes / rekey: the 2025 unit registry (models/registry.py) ----------------------


def _registry_province(text: str) -> Any:
    from models import registry

    try:
        return registry.find_province(text)
    except registry.UnknownProvince as exc:
        raise click.BadParameter(str(exc), param_hint="--province") from None


def _sheet_path(out: Path) -> Path:
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise click.BadParameter(say("cli.suffix", console.current().lang, path=out,
                                     a=".csv", b=".xlsx"), param_hint="--out")
    return out


@main.command()
@click.option("--province", required=True)
@click.option("--out", type=click.Path(path_type=Path))
@click.option("--window", default="Q3-Q4", show_default=True)
@friendly_errors
def communes(province: str, out: Path | None, window: str) -> None:
    """List the commune-level units in force from 1/7/2025, ready for `validate --units`."""
    from models import registry
    from models.loading import parse_window_text

    try:
        parse_window_text(window)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--window") from None
    prov = _registry_province(province)
    units = registry.new_units(prov.code)
    rows = registry.units_table_rows(units, window)
    if out is None:
        data = registry.table_bytes(registry.UNITS_TABLE_COLUMNS, rows, ".csv")
        con = console.current()
        con.record(province=prov.name, units=[dict(zip(registry.UNITS_TABLE_COLUMNS, row,
                                                       strict=False)) for row in rows])
        if not con.as_json:
            click.echo(data.decode("utf-8").lstrip("\ufeff"), nl=False)
        return
    write_beside(_sheet_path(out), registry.table_bytes(
        registry.UNITS_TABLE_COLUMNS, rows, out.suffix))
    kinds = Counter(u.division_type for u in units)
    detail = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    con = console.current()
    con.result(con.say("communes.written", province=prov.name, n=len(units), detail=detail,
                       out=out) + "\n" + say("cli.rekey_codes", con.lang, source=registry.COORDINATES_SOURCE))
    con.record(province=prov.name, units=len(units), written=[out])


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--province", default="Hà Nội", show_default=True)
@click.option("--out", type=click.Path(path_type=Path))
@friendly_errors
def rekey(source: Path, province: str, out: Path | None) -> None:
    """Map the old (district-era) communes of a scenario (.yaml) or schedule (.json) to new units.

    Splits, merges and ambiguous names are listed for the planner to confirm: nothing is guessed.
    """
    from models import registry
    from models.rekey import REKEY_COLUMNS, rekey, rekey_table_rows

    prov = _registry_province(province)
    if out is not None:
        _sheet_path(out)
    units = _units_to_rekey(source)
    rows = rekey(units, registry.conversion(prov.code))
    con = console.current()
    con.result(rekey_report(rows, prov.name, source, con.lang))
    con.record(units=len(rows), confirm=sum(r.needs_confirmation for r in rows),
               rows=[dict(zip(REKEY_COLUMNS, row, strict=False)) for row in rekey_table_rows(rows)])
    if out is not None:
        write_beside(out, registry.table_bytes(REKEY_COLUMNS, rekey_table_rows(rows), out.suffix))
        say_written(out)


def _units_to_rekey(source: Path) -> list[Any]:
    from models import registry
    from models.loading import load_schedule
    from models.rekey import UnitToRekey

    if source.suffix.lower() == ".json":
        plan = load_schedule(source)
        refs: list[tuple[str, str, str]] = [(u.id, u.name, u.kind.value) for u in plan.units]
        named = {u.id for u in plan.units}
        refs += [(a.unit_id, "", "") for a in plan.assignments if a.unit_id not in named]
    else:
        loaded = load_scenario(source)
        refs = [(u.id, u.name, u.kind.value) for u in loaded.units]
    return [UnitToRekey(uid, name) for uid, name, kind in refs
            if registry.is_rekey_candidate(kind, name) or (not name and kind == "")]


# --- kiemtra gantt / export / report: what planners look at and hand on (scheduler/output) ---


def _out_inputs(schedule_path: Path, scenario_path: Path | None) -> tuple[Scenario, Any]:
    """The plan (schedule.json, or the .xlsx/.csv a planner edited) and its scenario
    (--scenario, else the scenario.yaml saved beside it)."""
    from scheduler.output.view import mismatches
    from scheduler.problem.schedule_build import scenario_sha256
    from scheduler.replan.plan_import import load_plan

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




@main.command()
@click.argument("schedule", type=click.Path(path_type=Path))
@SCENARIO_OPTION
@click.option("--view", type=click.Choice(["team", "member", "load"]), default="team",
              show_default=True)
@click.option("--out", type=click.Path(path_type=Path))
@click.option("--month", metavar="MM/YYYY")
@LANG_OPTION
@friendly_errors
def gantt(schedule: Path, scenario_path: Path | None, view: str, out: Path | None,
          month: str | None, lang: str) -> None:
    """Draw a Gantt chart of SCHEDULE (schedule.json, .xlsx or .csv) as PNG or SVG."""
    from scheduler.output.gantt import build_chart, render_chart
    from scheduler.output.view import build_view

    out = out or schedule.parent / f"gantt-{view}.png"
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise click.BadParameter(say("cli.suffix", lang, path=out, a=".png", b=".svg"),
                                 param_hint="--out")
    months = [parse_month(month)] if month else None
    if months and view == "load":
        raise click.BadParameter(say("cli.month_load", lang), param_hint="--month")
    loaded, plan = _out_inputs(schedule, scenario_path)
    write_beside(out, render_chart(build_chart(build_view(loaded, plan), view, lang, months), fmt))
    say_written(out)


def parse_month(text: str) -> tuple[int, int]:
    """"07/2025" (or "2025-07") as (2025, 7)."""
    parts = text.replace("-", "/").split("/")
    try:
        first, second = (int(p) for p in parts)
    except ValueError:
        raise click.BadParameter(f"{text!r}: write the month as MM/YYYY, e.g. 07/2025",
                                 param_hint="--month") from None
    year, number = (first, second) if first > 12 else (second, first)
    if not 1 <= number <= 12:
        raise click.BadParameter(f"{text!r}: the month must be 01-12", param_hint="--month")
    return year, number


@main.command("map")
@click.argument("schedule", type=click.Path(path_type=Path))
@SCENARIO_OPTION
@click.option("--out", type=click.Path(path_type=Path))
@click.option("--date", "day")
@LANG_OPTION
@friendly_errors
def route_map(schedule: Path, scenario_path: Path | None, out: Path | None, day: str | None,
              lang: str) -> None:
    """Draw the teams' bases, units and day routes of SCHEDULE on a map (offline, PNG or SVG)."""
    from scheduler.output.route_map import render_route_map
    from scheduler.output.view import build_view

    out = out or schedule.parent / "route-map.png"
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise click.BadParameter(say("cli.suffix", lang, path=out, a=".png", b=".svg"),
                                 param_hint="--out")
    when = parse_iso(day, "--date") if day else None
    loaded, plan = _out_inputs(schedule, scenario_path)
    write_beside(out, render_route_map(build_view(loaded, plan), fmt, lang, when))
    say_written(out)


@main.command()
@click.argument("schedule", type=click.Path(path_type=Path))
@SCENARIO_OPTION
@click.option("--format", "fmt", type=click.Choice(["xlsx", "ics", "csv", "json", "pdf"]),
              required=True)
@click.option("--out", type=click.Path(path_type=Path))
@MEMBER_SHEETS_OPTION
@LANG_OPTION
@friendly_errors
def export(schedule: Path, scenario_path: Path | None, fmt: str, out: Path | None,
           member_sheets: bool | None, lang: str) -> None:
    """Export SCHEDULE (schedule.json, .xlsx or .csv) for Excel, calendars, paper or other tools."""
    from scheduler.output import build_outputs, read_previous_calendars, replace_calendars
    from scheduler.output.lineage import no_calendars_warning, published_calendars

    loaded, plan = _out_inputs(schedule, scenario_path)
    if fmt == "pdf":
        export_pdf(loaded, plan, out or schedule.parent / "ke-hoach.pdf", lang)
        return
    folder = out or schedule.parent
    previous = None
    if fmt == "ics":  # from those last published for the plan: its lineage's, its own, the folder's
        previous = {**published_calendars(plan, [schedule.parent]),
                    **read_previous_calendars(folder)}
        warning = no_calendars_warning(plan, previous, lang)
        if warning:
            console.current().warn(warning)
    contents = build_outputs(loaded, plan, {fmt}, lang, previous=previous, member_sheets=member_sheets)
    if fmt == "ics":  # the folder's set is replaced whole, with only ics/ changed
        written = replace_calendars(folder, contents, {"scenario_sha256": plan.scenario.sha256})
        say_written(*written)
        return
    (name, data), = contents.items()
    target = out or schedule.parent / name
    if target.resolve() == schedule.resolve():
        raise click.BadParameter(say("cli.same_file", lang, path=target), param_hint="--out")
    write_beside(target, data)
    say_written(target)


def export_pdf(loaded: Any, plan: Any, target: Path, lang: str) -> None:
    """The plan appendix and the Gantt charts a month a page, as one A4 landscape PDF."""
    from scheduler.output.files import atomic_write_bytes
    from scheduler.output.pdf import plan_pdf
    from scheduler.output.view import build_view

    if target.suffix.lower() != ".pdf":
        raise click.BadParameter(say("cli.suffix_one", lang, path=target, a=".pdf"), param_hint="--out")
    atomic_write_bytes(target, plan_pdf(build_view(loaded, plan), lang))
    say_written(target)


@main.command()
@click.argument("schedule", type=click.Path(path_type=Path))
@SCENARIO_OPTION
@click.option("--out", type=click.Path(path_type=Path))
@LANG_OPTION
@friendly_errors
def report(schedule: Path, scenario_path: Path | None, out: Path | None, lang: str) -> None:
    """Write a one-file HTML report of SCHEDULE, readable offline."""
    from scheduler.output import build_outputs

    loaded, plan = _out_inputs(schedule, scenario_path)
    contents = build_outputs(loaded, plan, {"html"}, lang)
    target = out or schedule.parent / "report.html"
    write_beside(target, contents["report.html"])
    say_written(target)


@main.command()
@click.argument("schedule", type=click.Path(path_type=Path), required=False)
@SCENARIO_OPTION
@click.option("--out", type=click.Path(path_type=Path))
@click.option("--template", "template_path", type=click.Path(path_type=Path))
@click.option("--write-template", "write_template", type=click.Path(path_type=Path))
@click.option("--issuer")
@click.option("--place")
@LANG_OPTION
@friendly_errors
def letters(schedule: Path | None, scenario_path: Path | None, out: Path | None,
            template_path: Path | None, write_template: Path | None, issuer: str | None,
            place: str | None, lang: str) -> None:
    """Write a notice letter (.docx) per announced unit of SCHEDULE, and all in one file."""
    from scheduler.output.letter_template import default_template_bytes
    from scheduler.output.letters import (
        LetterOptions,
        TemplateError,
        build_letters,
        cancellation_letters,
        write_letters,
    )
    from scheduler.output.view import build_view
    from scheduler.replan.publish import NOTIFY_FILE, read_notify, told_units, withdrawals

    if write_template is not None:
        write_beside(write_template, default_template_bytes(lang))
        say_written(write_template)
        return
    if schedule is None:
        raise click.UsageError(say("cli.schedule_or_template", lang))
    loaded, plan = _out_inputs(schedule, scenario_path)
    template = _read_input_bytes(template_path) if template_path else None
    options = LetterOptions(lang, issuer, place)
    notify = read_notify(schedule)  # a re-plan or repair: exactly the units its notify list holds
    view = build_view(loaded, plan)
    try:
        result = build_letters(view, template, options,
                               units=told_units(notify) if notify is not None else None)
    except TemplateError as exc:
        raise InputError(template_path or "template", [Problem(w, m) for w, m in exc.problems]) from None
    con = console.current()
    if notify is not None:
        result.files.update(cancellation_letters(view, withdrawals(notify, plan, lang), options))
        con.progress(con.t(f"chỉ các đơn vị trong danh sách cần thông báo ({NOTIFY_FILE})",
                           f"only the units of the notify list ({NOTIFY_FILE})"))
    for unit_id, why in result.skipped:
        con.progress(con.say("letters.skipped", unit=unit_id, why=why))
    folder = out or schedule.parent / "letters"
    written = write_letters(result, folder)
    con.record(skipped=[{"unit": u, "why": w} for u, w in result.skipped])
    say_written(*written, summary=con.say("letters.written", n=len(result.unit_files),
                                          folder=folder))


def _read_input_bytes(path: Path) -> bytes:
    """A planner's Word template, refused before reading when too big, packed or unpacked."""
    from models.paths import check_input_file
    from models.workbook import check_unpacked_size

    check_input_file(path)
    check_unpacked_size(path, ".docx document", "Word")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(path, [Problem.of("", "input.cannot_read", why=exc.strerror)]) from None


# --- kiemtra replan / diff: re-planning after events (issue 5) -------------------------------


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


@main.command("replan")
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


@main.command("diff")
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


# --- repair: the nearest valid plan to one a planner edited ----------------------------------


@main.command("repair")
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



@main.command("compare")
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
    loaded, plan = _out_inputs(schedule_path, None)
    where = schedule_path.resolve()
    label = where.parent.name if where.name == "schedule.json" else where.stem
    return Plan(label or loaded.campaign.name, loaded, plan, str(schedule_path))


# --- solve (planner) ------------------------------------------------------------------------------


@main.command("solve")
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


if __name__ == "__main__":
    main()
