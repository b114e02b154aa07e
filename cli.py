"""kiemtra command line: wires files, the scheduler and the outputs together. No logic lives here."""

from __future__ import annotations

import functools
import json
import sys
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from models.calendar import WorkCalendar, format_vn, quarter_bounds
from models.loading import InputError, load_scenario
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

    return wrapper  # type: ignore[return-value]


def parse_iso(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{what} must be an ISO date YYYY-MM-DD, got {value!r}") from None


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
@click.argument("year", type=int)
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
@click.option("--days", type=int, default=None, help="Working days of notice (default 5).")
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


if __name__ == "__main__":
    main()
