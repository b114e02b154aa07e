"""What planners look at and hand on: gantt, map, export, report, letters."""


from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from models.loading import InputError, Problem
from scheduler.commands.inputs import plan_inputs
from scheduler.messages import say
from scheduler.output import console
from scheduler.output.command import (
    LANG_OPTION,
    MEMBER_SHEETS_OPTION,
    SCENARIO_OPTION,
    friendly_errors,
    parse_iso,
    say_written,
    write_beside,
)
from scheduler.output.help import LocalCommand


@click.command(cls=LocalCommand)
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
    loaded, plan = plan_inputs(schedule, scenario_path)
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


@click.command("map", cls=LocalCommand)
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
    loaded, plan = plan_inputs(schedule, scenario_path)
    write_beside(out, render_route_map(build_view(loaded, plan), fmt, lang, when))
    say_written(out)


@click.command(cls=LocalCommand)
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

    loaded, plan = plan_inputs(schedule, scenario_path)
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


@click.command(cls=LocalCommand)
@click.argument("schedule", type=click.Path(path_type=Path))
@SCENARIO_OPTION
@click.option("--out", type=click.Path(path_type=Path))
@LANG_OPTION
@friendly_errors
def report(schedule: Path, scenario_path: Path | None, out: Path | None, lang: str) -> None:
    """Write a one-file HTML report of SCHEDULE, readable offline."""
    from scheduler.output import build_outputs

    loaded, plan = plan_inputs(schedule, scenario_path)
    contents = build_outputs(loaded, plan, {"html"}, lang)
    target = out or schedule.parent / "report.html"
    write_beside(target, contents["report.html"])
    say_written(target)


@click.command(cls=LocalCommand)
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
    loaded, plan = plan_inputs(schedule, scenario_path)
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


# What cli.py adds to the kiemtra group.
COMMANDS = [gantt, route_map, export, report, letters]
