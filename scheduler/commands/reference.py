"""The reference commands: schema, validate, calendar, deadline, and the 2025 unit registry
(communes, rekey)."""


from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import click

from models import limits
from models.calendar import WorkCalendar, format_vn, quarter_bounds
from models.loading import load_scenario
from models.scenario import Scenario
from scheduler.messages import say
from scheduler.output import console
from scheduler.output.command import (
    UNITS_OPTION,
    friendly_errors,
    parse_iso,
    say_written,
    write_beside,
)
from scheduler.output.help import LocalCommand
from scheduler.output.labels import weekday_name
from scheduler.output.terminal import rekey_report, scenario_summary


@click.command(cls=LocalCommand)
def schema() -> None:
    """Print the JSON Schema of scenario files (for editors that validate YAML as you type)."""
    schema_text = json.dumps(Scenario.model_json_schema(by_alias=True), ensure_ascii=False, indent=2)
    con = console.current()
    if con.as_json:
        con.record(schema=json.loads(schema_text))
    else:
        click.echo(schema_text)


@click.command(cls=LocalCommand)
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


@click.command("calendar", cls=LocalCommand)
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


@click.command(cls=LocalCommand)
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


@click.command(cls=LocalCommand)
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


@click.command(cls=LocalCommand)
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


# What cli.py adds to the kiemtra group.
COMMANDS = [schema, validate, calendar_cmd, deadline, communes, rekey]
