"""kiemtra command line: wires files, the scheduler and the outputs together. No logic lives here."""

from __future__ import annotations

import functools
import json
import math
import sys
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from models import limits
from models.calendar import WorkCalendar, format_vn, quarter_bounds
from models.loading import InputError, Problem, load_scenario
from models.paths import check_writable_folder
from models.scenario import Scenario, Unit
from models.timing import earliest_start_index, eligible_teams, latest_start_index

F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(func: F) -> F:
    """Bad input: a clear message naming the file and field, exit code 2, no traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            click.echo(f"error: {exc.render()}", err=True)
            sys.exit(2)
        except OSError as exc:  # a file given on the command line that cannot be read or written
            click.echo(f"error: {file_problem(exc).render()}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def file_problem(exc: OSError) -> InputError:
    """An OSError (read-only folder, full disk, missing parent) as the planner's input error."""
    where = exc.filename or "output"
    if isinstance(exc, FileExistsError | NotADirectoryError):
        return InputError(where, [Problem("", "a file stands where a folder is needed; "
                                          "choose another path")])
    return InputError(where, [Problem("", f"cannot use this path ({exc.strerror or exc}); check "
                                      "that its folder exists, is writable and has free space")])


def writable_folder(_ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Click callback: refuse an output folder that cannot be written before any work starts."""
    if value is not None:
        try:
            check_writable_folder(value)
        except InputError as exc:
            raise click.BadParameter(exc.render(), param=param) from None
    return value


class FiniteRange(click.FloatRange):
    """A FloatRange that also refuses NaN, which passes every comparison click makes."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a number; give seconds, e.g. 30", param, ctx)
        return number


# Numeric options share their ranges with the scenario's solver settings (models/limits.py).
TIME_LIMIT = FiniteRange(0, limits.MAX_TIME_LIMIT_S, min_open=True)
WORKERS = click.IntRange(1, limits.MAX_WORKERS)
SEED = click.IntRange(0, limits.MAX_SEED)


def parse_iso(value: str, what: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{what} must be an ISO date YYYY-MM-DD, got {value!r}") from None
    try:
        return limits.check_supported_date(day)
    except ValueError as exc:
        raise click.BadParameter(f"{what}: {exc}") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kiemtra")
def main() -> None:
    """Plan inspection campaigns: teams, dates and members, with CP-SAT."""


@main.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editors that validate YAML as you type)."""
    click.echo(json.dumps(Scenario.model_json_schema(by_alias=True), ensure_ascii=False, indent=2))


@main.command()
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--units", "units_file", type=click.Path(path_type=Path),
              help="Add units from a CSV/XLSX list (columns id, name, kind, agency, window).")
@friendly_errors
def validate(scenario: Path, units_file: Path | None) -> None:
    """Check a scenario file and print a one-screen summary."""
    loaded = load_scenario(scenario, units_file)
    click.echo(scenario_summary(loaded))


def usable_start_days(s: Scenario, cal: WorkCalendar, unit: Unit) -> int:
    """Working days a visit of the unit could start on, for the best-placed team."""
    first = min(earliest_start_index(cal, s, unit, t) for t in eligible_teams(s, unit))
    return max(0, latest_start_index(cal, s, unit) - first + 1)


def scenario_summary(s: Scenario) -> str:
    cal = s.work_calendar()
    lines = [f"{s.campaign.name} ({s.campaign.legal_basis or 'no legal basis'})",
             f"horizon {format_vn(s.campaign.horizon.start)} – {format_vn(s.campaign.horizon.end)}"
             f", {cal.size} working days", ""]
    by_window = Counter(u.window.label() for u in s.units)
    by_kind = Counter(u.kind.value for u in s.units)
    lines.append(f"units: {len(s.units)}")
    lines += [f"  {label:<24} {n:>4}" for label, n in sorted(by_window.items())]
    lines += [f"  {kind:<24} {n:>4}" for kind, n in sorted(by_kind.items())]
    lines.append(f"members: {len(s.members)}")
    for team in s.teams:
        agencies = Counter(m.agency for m in s.team_members(team.id))
        detail = ", ".join(f"{a} {n}" for a, n in sorted(agencies.items()))
        lines.append(f"  {team.id} {team.name} (formed {format_vn(team.formed_on)}): "
                     f"{sum(agencies.values())} — {detail}")
    lines.append("working days per window (usable: after team formation and notice):")
    seen: set[str] = set()
    for unit in s.units:
        label = unit.window.label()
        if label in seen:
            continue
        seen.add(label)
        first, last = s.window_bounds(unit)
        total = len(cal.working_days_between(first, last))
        usable = usable_start_days(s, cal, unit)
        lines.append(f"  {label:<24} {format_vn(first)} – {format_vn(last)}: "
                     f"{total} working days, {usable} usable")
    return "\n".join(lines)


@main.command("calendar")
@click.argument("year", type=click.IntRange(limits.FIRST_YEAR, limits.LAST_YEAR))
@click.option("--scenario", type=click.Path(path_type=Path), help="Use this scenario's calendar.")
@friendly_errors
def calendar_cmd(year: int, scenario: Path | None) -> None:
    """List holidays, worked weekends and working days per quarter of YEAR."""
    cal = _calendar_for(year, scenario)
    first, last = date(year, 1, 1), date(year, 12, 31)
    click.echo(f"Ngày nghỉ (ngày thường) {year}:")
    for day, name in cal.days_off_in(first, last):
        click.echo(f"  {format_vn(day)} {day:%a}  {name}")
    click.echo("Ngày làm bù (thứ Bảy/Chủ nhật):")
    for day in cal.worked_weekends_in(first, last):
        click.echo(f"  {format_vn(day)} {day:%a}")
    click.echo("Ngày làm việc theo quý:")
    for q in range(1, 5):
        q_first, q_last = quarter_bounds(year, q)
        click.echo(f"  Q{q}: {len(cal.working_days_between(q_first, q_last))}")


@main.command()
@click.argument("visit_date")
@click.option("--days", type=click.IntRange(0, limits.MAX_NOTICE_DAYS), default=None,
              help="Working days of notice (default 5).")
@click.option("--scenario", type=click.Path(path_type=Path), help="Use this scenario's calendar.")
@friendly_errors
def deadline(visit_date: str, days: int | None, scenario: Path | None) -> None:
    """Print the report deadline of a visit on VISIT_DATE (ISO)."""
    day = parse_iso(visit_date, "VISIT_DATE")
    loaded = load_scenario(scenario) if scenario else None
    cal = loaded.work_calendar() if loaded else WorkCalendar(date(day.year, 1, 1),
                                                             date(day.year, 12, 31))
    notice = days if days is not None else (loaded.rules.report_deadline_days if loaded else 5)
    click.echo(cal.report_deadline(day, notice).isoformat())


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
@click.option("--as-of", "as_of", default=None,
              help="Re-plan date (ISO): visits still planned may not be announced before it.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
              help="Language of the rules' wording.")
@friendly_errors
def check_cmd(scenario: Path, schedule: Path, as_of: str | None, lang: str) -> None:
    """Re-verify every rule of SCHEDULE (schedule.json) against SCENARIO; exit 1 if any is broken."""
    from models.loading import load_schedule
    from scheduler.checker import check_schedule, format_report

    loaded = load_scenario(scenario)
    plan = load_schedule(schedule)
    day = parse_iso(as_of, "--as-of") if as_of else None
    report = check_schedule(loaded, plan, day)
    click.echo(format_report(loaded, plan, report, lang))
    sys.exit(0 if report.ok else 1)


# --- kiemtra communes / rekey: the 2025 unit registry (models/registry.py) ----------------------


def _registry_province(text: str) -> Any:
    from models import registry

    try:
        return registry.find_province(text)
    except registry.UnknownProvince as exc:
        raise click.BadParameter(str(exc), param_hint="--province") from None


def _sheet_path(out: Path) -> Path:
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise click.BadParameter(f"{out} must end in .csv or .xlsx", param_hint="--out")
    return out


@main.command()
@click.option("--province", required=True, help='Province name or code, e.g. "Hà Nội" or 01.')
@click.option("--out", type=click.Path(path_type=Path),
              help="Write a .csv or .xlsx sheet (default: CSV on the screen).")
@click.option("--window", default="Q3-Q4", show_default=True,
              help="Window column: Q3-Q4, Q4 or 2025-07-01..2025-12-31.")
@friendly_errors
def communes(province: str, out: Path | None, window: str) -> None:
    """List the commune-level units in force from 1/7/2025, ready for `validate --units`."""
    from models import registry
    from models.loading import parse_window_text
    from scheduler.output.files import atomic_write_bytes

    try:
        parse_window_text(window)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--window") from None
    prov = _registry_province(province)
    units = registry.new_units(prov.code)
    rows = registry.units_table_rows(units, window)
    if out is None:
        data = registry.table_bytes(registry.UNITS_TABLE_COLUMNS, rows, ".csv")
        click.echo(data.decode("utf-8").lstrip("\ufeff"), nl=False)
        return
    atomic_write_bytes(_sheet_path(out), registry.table_bytes(
        registry.UNITS_TABLE_COLUMNS, rows, out.suffix))
    kinds = Counter(u.division_type for u in units)
    detail = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    click.echo(f"{prov.name}: {len(units)} units ({detail}) -> {out}\n"
               f"codes: vietnam-provinces; coordinates: {registry.COORDINATES_SOURCE}")


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--province", default="Hà Nội", show_default=True,
              help="Province (after 1/7/2025) whose conversion table applies.")
@click.option("--out", type=click.Path(path_type=Path), help="Also write the table (.csv/.xlsx).")
@friendly_errors
def rekey(source: Path, province: str, out: Path | None) -> None:
    """Map the old (district-era) communes of a scenario (.yaml) or schedule (.json) to new units.

    Splits, merges and ambiguous names are listed for the planner to confirm: nothing is guessed.
    """
    from models import registry
    from scheduler.output.files import atomic_write_bytes

    prov = _registry_province(province)
    if out is not None:
        _sheet_path(out)
    units = _units_to_rekey(source)
    rows = registry.rekey(units, registry.conversion(prov.code))
    click.echo(_rekey_report(rows, prov.name, source))
    if out is not None:
        atomic_write_bytes(out, registry.table_bytes(
            registry.REKEY_COLUMNS, registry.rekey_table_rows(rows), out.suffix))
        click.echo(f"written: {out}")


def _units_to_rekey(source: Path) -> list[Any]:
    from models import registry
    from models.loading import load_schedule

    if source.suffix.lower() == ".json":
        plan = load_schedule(source)
        refs = [(u.id, u.name, u.kind) for u in plan.units]
        named = {u.id for u in plan.units}
        refs += [(a.unit_id, "", "") for a in plan.assignments if a.unit_id not in named]
    else:
        loaded = load_scenario(source)
        refs = [(u.id, u.name, u.kind) for u in loaded.units]
    return [registry.UnitToRekey(uid, name) for uid, name, kind in refs
            if registry.is_rekey_candidate(kind, name) or (not name and kind == "")]


def _rekey_report(rows: list[Any], province_name: str, source: Path) -> str:
    if not rows:
        return f"{source}: no commune-level units to rekey"
    lines = [f"{source}: {len(rows)} commune-level unit(s), conversion table of {province_name}"]
    for r in rows:
        old = "; ".join(f"{u.name} ({u.district}, {u.code or '-'})" for u in r.old) or "-"
        new = " | ".join(f"{u.unit_id} {u.name}" for u in r.new) or "-"
        mark = "CONFIRM " if r.needs_confirmation else "        "
        lines.append(f"{mark}{r.unit_id:<14} {r.status.value:<11} {old} -> {new}")
        if r.note:
            lines.append(f"{'':<8}{'':<15}{r.note}")
    counts = Counter(r.status.value for r in rows)
    lines.append("summary: " + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())))
    confirm = sum(r.needs_confirmation for r in rows)
    lines.append(f"{confirm} case(s) need the planner's confirmation" if confirm
                 else "every unit maps to exactly one new unit")
    return "\n".join(lines)


# --- kiemtra gantt / export / report: what planners look at and hand on (scheduler/output) ---


def _out_inputs(schedule_path: Path, scenario_path: Path | None) -> tuple[Scenario, Any]:
    """The schedule and its scenario (--scenario, else the scenario.yaml saved beside it)."""
    from models.loading import Problem, load_schedule
    from scheduler.output.view import mismatches
    from scheduler.schedule_build import scenario_sha256

    plan = load_schedule(schedule_path)
    if scenario_path is None:
        scenario_path = schedule_path.parent / "scenario.yaml"
        if not scenario_path.exists():
            raise InputError(schedule_path, [Problem(
                "scenario", f"no --scenario given and no {scenario_path.name} beside the "
                "schedule; pass --scenario FILE with the scenario the schedule was made for")])
    loaded = load_scenario(scenario_path)
    problems = mismatches(loaded, plan)
    if problems:
        raise InputError(scenario_path, [Problem("", p + "; pass the scenario the schedule was "
                                                 "made for with --scenario") for p in problems])
    if plan.scenario.sha256 != scenario_sha256(loaded):
        click.echo(f"warning: {schedule_path} was made for another version of {scenario_path} "
                   f"(scenario fingerprint differs); drawing it anyway", err=True)
    return loaded, plan


_LANG_OPTION = click.option("--lang", type=click.Choice(["vi", "en"]), default="vi",
                            show_default=True, help="Language of labels and headings.")
_SCENARIO_OPTION = click.option(
    "--scenario", "scenario_path", type=click.Path(path_type=Path),
    help="Scenario the schedule was made for (default: scenario.yaml beside SCHEDULE).")


@main.command()
@click.argument("schedule", type=click.Path(path_type=Path))
@_SCENARIO_OPTION
@click.option("--view", type=click.Choice(["team", "member", "load"]), default="team",
              show_default=True, help="Lanes per team, lanes per member, or load per month.")
@click.option("--out", type=click.Path(path_type=Path),
              help="PNG or SVG file (default: gantt-VIEW.png beside SCHEDULE).")
@_LANG_OPTION
@friendly_errors
def gantt(schedule: Path, scenario_path: Path | None, view: str, out: Path | None,
          lang: str) -> None:
    """Draw a Gantt chart of SCHEDULE (schedule.json) as PNG or SVG."""
    from scheduler.output.files import atomic_write_bytes
    from scheduler.output.gantt import render_gantt

    out = out or schedule.parent / f"gantt-{view}.png"
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise click.BadParameter(f"{out} must end in .png or .svg", param_hint="--out")
    loaded, plan = _out_inputs(schedule, scenario_path)
    atomic_write_bytes(out, render_gantt(loaded, plan, view, fmt, lang))
    click.echo(f"written: {out}")


@main.command()
@click.argument("schedule", type=click.Path(path_type=Path))
@_SCENARIO_OPTION
@click.option("--format", "fmt", type=click.Choice(["xlsx", "ics", "csv", "json"]),
              required=True, help="xlsx workbook, ics calendars, or the schedule as csv/json.")
@click.option("--out", type=click.Path(path_type=Path),
              help="File to write; for ics a folder that receives ics/team-*.ics and "
                   "ics/member-*.ics (default: beside SCHEDULE).")
@_LANG_OPTION
@friendly_errors
def export(schedule: Path, scenario_path: Path | None, fmt: str, out: Path | None,
           lang: str) -> None:
    """Export SCHEDULE (schedule.json) for Excel, calendars or other tools."""
    from scheduler.output import build_outputs, commit_files, remove_stale_calendars
    from scheduler.output.files import atomic_write_bytes

    loaded, plan = _out_inputs(schedule, scenario_path)
    contents = build_outputs(loaded, plan, {fmt}, lang)
    if fmt == "ics":
        folder = out or schedule.parent
        written = commit_files(contents, folder)
        remove_stale_calendars(folder, written)
        click.echo(f"written: {len(written)} calendar(s) in {folder / 'ics'}")
        return
    (name, data), = contents.items()
    target = out or schedule.parent / name
    if target.resolve() == schedule.resolve():
        raise click.BadParameter(f"{target} is the schedule being read; choose another file",
                                 param_hint="--out")
    atomic_write_bytes(target, data)
    click.echo(f"written: {target}")


@main.command()
@click.argument("schedule", type=click.Path(path_type=Path))
@_SCENARIO_OPTION
@click.option("--out", type=click.Path(path_type=Path),
              help="HTML file (default: report.html beside SCHEDULE).")
@_LANG_OPTION
@friendly_errors
def report(schedule: Path, scenario_path: Path | None, out: Path | None, lang: str) -> None:
    """Write a one-file HTML report of SCHEDULE, readable offline."""
    from scheduler.output import build_outputs
    from scheduler.output.files import atomic_write_bytes

    loaded, plan = _out_inputs(schedule, scenario_path)
    contents = build_outputs(loaded, plan, {"html"}, lang)
    target = out or schedule.parent / "report.html"
    atomic_write_bytes(target, contents["report.html"])
    click.echo(f"written: {target}")


# --- kiemtra replan / diff: re-planning after events (issue 5) -------------------------------


@main.command("replan")
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--baseline", required=True, type=click.Path(path_type=Path),
              help="The schedule.json being executed.")
@click.option("--as-of", "as_of", required=True,
              help="Re-plan date (ISO): visits before it are done and never move.")
@click.option("--events", "events_file", type=click.Path(path_type=Path),
              help="Events file (schema kiemtra.events/1) saying what changed.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("out/replan"),
              show_default=True, callback=writable_folder,
              help="Folder for schedule.json/csv, diff.txt/csv, replan.json.")
@click.option("--time-limit", "time_limit", type=TIME_LIMIT, default=None,
              help="Seconds per neighbourhood tried (default: the scenario's).")
@click.option("--workers", type=WORKERS, default=None, help="CP-SAT workers (default: the scenario's).")
@click.option("--seed", type=SEED, default=None, help="Random seed (default: the scenario's).")
@friendly_errors
def replan_cmd(scenario: Path, baseline: Path, as_of: str, events_file: Path | None, out: Path,
               time_limit: float | None, workers: int | None, seed: int | None) -> None:
    """Re-plan SCENARIO from a date, changing as little as possible of the baseline."""
    from models.events import load_events
    from models.loading import load_schedule
    from scheduler.diff import diff_schedules, render_diff
    from scheduler.replan import ReplanOptions, replan
    from scheduler.replan_io import write_replan_files

    loaded = load_scenario(scenario)
    plan = load_schedule(baseline)
    day = parse_iso(as_of, "--as-of")
    events = load_events(events_file, loaded) if events_file else None
    s = loaded.solver
    options = ReplanOptions(time_limit_s=time_limit or s.time_limit_s,
                            workers=workers or s.workers, seed=s.seed if seed is None else seed)
    result = replan(loaded, plan, day, events, options, events_file or "events")
    for phase in result.phases:
        click.echo(f"{phase.name}: {len(phase.free)} unit(s) re-solved, {phase.status.value} "
                   f"in {phase.wall_s:.1f} s")
    if result.schedule is None:
        why = result.explanation or ("no plan within the time limit; give more time with "
                                     "--time-limit")
        click.echo(f"no re-plan found ({result.status.value}); done visits stay as they were.\n"
                   f"{why}", err=True)
        sys.exit(1)
    write_replan_files(result, plan, out)
    click.echo(render_diff(diff_schedules(plan, result.schedule, result.reasons(), day)))
    click.echo(f"written to {out}/: schedule.json, schedule.csv, scenario.yaml, replan.json, "
               "diff.txt, diff.csv")


@main.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--csv", "csv_file", type=click.Path(path_type=Path),
              help="Also write the diff as CSV (ISO dates) to this file.")
@click.option("--as-of", "as_of", default=None,
              help="Re-plan date (ISO), to know which visits were already announced "
                   "(default: from replan.json beside NEW).")
@friendly_errors
def diff_cmd(old: Path, new: Path, csv_file: Path | None, as_of: str | None) -> None:
    """Per unit, what changed from OLD to NEW (schedule.json files) and why; who to notify."""
    from models.loading import load_schedule
    from scheduler.diff import diff_schedules, render_diff
    from scheduler.replan_io import load_replan_record, record_as_of, write_diff_csv

    before, after = load_schedule(old), load_schedule(new)
    record = load_replan_record(new)
    day = parse_iso(as_of, "--as-of") if as_of else record_as_of(record)
    diff = diff_schedules(before, after, (record or {}).get("units"), day)
    click.echo(render_diff(diff))
    if csv_file is not None:
        write_diff_csv(diff, csv_file)
        click.echo(f"written to {csv_file}")


# --- solve (planner) ------------------------------------------------------------------------------


@main.command("solve")
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
              callback=writable_folder, help="Folder for schedule.json and schedule.csv.")
@click.option("--time-limit", "time_limit", type=TIME_LIMIT,
              default=None, help="Seconds of search (default: the scenario's).")
@click.option("--workers", type=WORKERS, default=None,
              help="CP-SAT workers (default: the scenario's; 2 suits a 2-core machine).")
@click.option("--seed", type=SEED, default=None,
              help="Random seed (default: the scenario's).")
@click.option("--formats", default="all", show_default=True,
              help="Comma list of outputs: json,csv,xlsx,ics,png,svg,html (json and csv always).")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
              help="Language of charts, workbook, calendars and report.")
@friendly_errors
def solve_cmd(scenario: Path, out: Path, time_limit: float | None, workers: int | None,
              seed: int | None, formats: str, lang: str) -> None:
    """Plan SCENARIO: teams, dates and members; write the plan, charts and exports into --out."""
    from models.schedule import Status
    from scheduler.checker import check_schedule
    from scheduler.explain import Explanation, explain_infeasible
    from scheduler.output import FORMATS, write_outputs
    from scheduler.output.files import atomic_write_text
    from scheduler.precheck import precheck
    from scheduler.solve import SolveOptions, solve
    from scheduler.solve_report import plan_table, progress_line, summary_lines

    chosen = _chosen_formats(formats, FORMATS)
    loaded = load_scenario(scenario)
    findings = precheck(loaded)
    if findings:
        click.echo(Explanation(findings=findings).render())
        sys.exit(1)
    click.echo(f"solving {loaded.campaign.name}: {len(loaded.units)} units, "
               f"{len(loaded.teams)} teams, {len(loaded.members)} members")
    options = SolveOptions(time_limit_s=time_limit, workers=workers, seed=seed,
                           on_progress=lambda p: click.echo(progress_line(p)))
    result = solve(loaded, options)
    if result.status is Status.INFEASIBLE:
        click.echo("INFEASIBLE: no plan meets every rule.")
        click.echo(explain_infeasible(loaded).render())
        sys.exit(1)
    if result.status is Status.UNKNOWN:
        click.echo(f"no plan found in {result.wall_s:.1f} s (status UNKNOWN); "
                   "give more time with --time-limit")
        sys.exit(1)
    click.echo("")
    click.echo(plan_table(loaded, result.schedule))
    click.echo("")
    for line in summary_lines(result.schedule, result.first_solution_s):
        click.echo(line)
    report = check_schedule(loaded, result.schedule)
    click.echo(f"checker: {'every rule holds' if report.ok else f'{len(report.violations)} violation(s)'}"
               f", objective recomputed {report.objective}")
    # The scenario travels with its plan, so gantt/export/report/replan find it beside schedule.json.
    written = write_outputs(loaded, result.schedule, out, formats=chosen, lang=lang)
    atomic_write_text(out / "scenario.yaml", scenario.read_text(encoding="utf-8"))
    click.echo(f"written into {out}: " + ", ".join(sorted(p.name for p in written)) + ", scenario.yaml")
    if not report.ok:
        sys.exit(1)


def _chosen_formats(text: str, known: Any) -> set[str]:
    """Parse --formats; json and csv are always written since every other tool reads them."""
    if text.strip() == "all":
        return set(known)
    chosen = {f.strip().lower() for f in text.split(",") if f.strip()}
    unknown = chosen - set(known)
    if unknown:
        raise click.BadParameter(f"unknown format(s) {', '.join(sorted(unknown))}; "
                                 f"choose from {', '.join(sorted(known))}", param_hint="--formats")
    return chosen | {"json", "csv"}


if __name__ == "__main__":
    main()
