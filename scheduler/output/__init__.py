"""Outputs planners look at and hand on: charts, Excel, iCalendar, HTML and the schedule files.

Nothing here solves or imports OR-Tools: every output is drawn from a Schedule and its Scenario.
``write_outputs`` builds every file in memory first, then replaces the output folder's whole set
at once (``scheduler.output.sets``): a failure or a kill leaves the previous set as it was, and a
new set never sits beside an older run's charts, workbook or calendars.

Files (in ``out_dir``): ``schedule.json``, ``schedule.csv``, ``schedule.xlsx``,
``ics/team-<id>.ics``, ``ics/member-<id>.ics`` (ids made file-safe, see ``ics_state``),
``gantt-<view>.png`` / ``.svg`` for the views team and load, ``gantt-member-YYYY-MM.png`` /
``.svg`` a month a file, ``route-map.png`` / ``.svg`` when the plan has timed short visits,
``report.html``, and ``manifest.json`` listing the set. The team chart is one image with a panel
per month; the member chart, a lane per member, is a file per month so that each prints on a page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from models.scenario import Scenario
from models.schedule import Schedule
from scheduler.output import console
from scheduler.output.console import OutputsFailed
from scheduler.output.files import schedule_file_contents
from scheduler.output.gantt import VIEWS, render_months, render_view
from scheduler.output.html import report_html
from scheduler.output.ics import ICS_DIR, calendar_files
from scheduler.output.ics_state import CORRUPT_MARK, calendar_problem
from scheduler.output.labels import check_lang
from scheduler.output.lineage import published_calendars
from scheduler.output.route_map import MAP_NAME, has_routes, render_route_map
from scheduler.output.sets import current_set, output_lock, write_output_set
from scheduler.output.view import OutputError, PlanView, build_view
from scheduler.output.xlsx import workbook_bytes

FORMATS = frozenset({"json", "csv", "xlsx", "ics", "png", "svg", "html"})
XLSX_NAME = "schedule.xlsx"
REPORT_NAME = "report.html"

__all__ = [
    "FORMATS",
    "OutputError",
    "build_keeping_the_plan",
    "build_outputs",
    "commit_files",
    "read_previous_calendars",
    "replace_calendars",
    "write_outputs",
]


def write_outputs(scenario: Scenario, schedule: Schedule, out_dir: Path | str,
                  formats: Iterable[str] = FORMATS, lang: str = "vi",
                  stamp: datetime | None = None,
                  extra: Mapping[str, bytes] | None = None,
                  member_sheets: bool | None = None) -> list[Path]:
    """Replace the set in ``out_dir`` by the chosen outputs (and ``extra`` files); return their paths.

    Every file is built before anything is written; formats not chosen are not left over from an
    earlier run. Calendars are updated from those last published for the schedule's lineage (a
    re-planned or repaired plan, see ``lineage``) and the ones already in ``ics/``, and never
    dropped while ics is written (a lost event is published as cancelled). ``stamp`` fixes the
    calendars' DTSTAMP. ``member_sheets``: a workbook sheet per member (default: only for at most
    12 members). Whatever output fails, the plan is kept: the others are written and the failing
    ones named (``OutputsFailed``).
    """
    folder = Path(out_dir)
    previous = ({**published_calendars(schedule), **read_previous_calendars(folder)}
                if "ics" in set(formats) else None)
    contents, failed = build_keeping_the_plan(scenario, schedule, formats, lang, stamp, previous,
                                              member_sheets)
    contents.update(extra or {})
    written = commit_files(contents, folder, {"scenario_sha256": schedule.scenario.sha256})
    if failed:
        raise OutputsFailed(written, failed)
    return written


def build_keeping_the_plan(scenario: Scenario, schedule: Schedule, formats: Iterable[str],
                           lang: str = "vi", stamp: datetime | None = None,
                           previous: Mapping[str, bytes] | None = None,
                           member_sheets: bool | None = None
                           ) -> tuple[dict[str, bytes], list[tuple[str, str]]]:
    """The chosen outputs built in memory, the plan first, each other format on its own: what
    could be built, and (file, why) for each format that failed (its calendars as published)."""
    chosen = set(formats)
    check_formats(chosen, lang)  # a mistake of the caller, not of the data: raised at once
    plan = build_view(scenario, schedule)  # a schedule of another scenario: raised at once too
    contents = schedule_file_contents(schedule)  # the plan first: whatever fails, it is kept
    contents = {rel: data for rel, data in contents.items() if rel.split(".")[-1] in chosen}
    failed: list[tuple[str, str]] = []
    for fmt in sorted(chosen - {"json", "csv"}):
        try:
            contents.update(format_files(plan, fmt, lang, stamp, previous, member_sheets))
        except Exception as exc:  # any output may fail on odd data; the plan is kept all the same
            failed.append((_FORMAT_FILES.get(fmt, fmt), str(exc) or type(exc).__name__))
            if fmt == "ics":  # the calendars as published, never dropped
                contents.update(previous or {})
    return contents, failed


_FORMAT_FILES = {"xlsx": "schedule.xlsx", "ics": "ics/", "png": "gantt-*.png",
                 "svg": "gantt-*.svg", "html": "report.html"}


def read_previous_calendars(out_dir: Path | str) -> dict[str, bytes]:
    """The calendar files an earlier run left in ``out_dir/ics`` (relative path -> bytes).

    A calendar that cannot be read (damaged by hand or by a sync tool) is set aside as
    ``<name>.corrupt-<time>``, kept in the new set, with a warning; publishing goes on and that
    calendar starts afresh. Files set aside earlier are kept too."""
    folder = Path(out_dir) / ICS_DIR
    if not folder.is_dir():
        return {}
    found = {f"{ICS_DIR}/{p.name}": p.read_bytes() for p in sorted(folder.iterdir())
             if p.is_file() and not p.is_symlink()
             and (p.suffix == ".ics" or CORRUPT_MARK in p.name)}
    return set_aside_unreadable(found)


def set_aside_unreadable(previous: Mapping[str, bytes]) -> dict[str, bytes]:
    """``previous`` with each unreadable calendar renamed ``.corrupt-<time>`` (and a warning)."""
    kept: dict[str, bytes] = {}
    when = datetime.now().strftime("%Y%m%dT%H%M%S")
    for rel, data in previous.items():
        problem = None if CORRUPT_MARK in rel else calendar_problem(rel, data)
        if problem is None:
            kept[rel] = data
            continue
        aside = f"{rel}{CORRUPT_MARK}{when}"
        kept[aside] = data
        con = console.current()
        con.warn(con.t(f"{rel} không đọc được ({problem}); đã để riêng thành {aside} và lập lại "
                       "lịch này từ đầu", f"{rel} cannot be read ({problem}); set aside as "
                       f"{aside}, and that calendar starts afresh"))
    return kept


def build_outputs(scenario: Scenario, schedule: Schedule, formats: Iterable[str] = FORMATS,
                  lang: str = "vi", stamp: datetime | None = None,
                  previous: Mapping[str, bytes] | None = None,
                  member_sheets: bool | None = None) -> dict[str, bytes]:
    """Relative path -> bytes of every chosen output, built in memory (nothing is written).

    ``previous``: the calendars the last run published (``read_previous_calendars``), from
    which the new ones are updated; ``member_sheets``: see ``xlsx.build_workbook``."""
    chosen = set(formats)
    check_formats(chosen, lang)
    plan = build_view(scenario, schedule)
    contents: dict[str, bytes] = {}
    for fmt in ("json", "csv", "xlsx", "ics", "png", "svg", "html"):
        if fmt in chosen:
            contents.update(format_files(plan, fmt, lang, stamp, previous, member_sheets))
    return contents


def format_files(plan: PlanView, fmt: str, lang: str, stamp: datetime | None,
                 previous: Mapping[str, bytes] | None,
                 member_sheets: bool | None = None) -> dict[str, bytes]:
    """The files of one output format."""
    if fmt in ("json", "csv"):
        name = f"schedule.{fmt}"
        return {name: schedule_file_contents(plan.schedule)[name]}
    if fmt == "xlsx":
        return {XLSX_NAME: workbook_bytes(plan, lang, member_sheets)}
    if fmt == "ics":
        return {**calendar_files(plan, lang, stamp, previous),
                **{rel: data for rel, data in (previous or {}).items()
                   if CORRUPT_MARK in rel}}  # set aside, never dropped
    if fmt == "html":
        return {REPORT_NAME: report_html(plan, lang).encode("utf-8")}
    return chart_files(plan, {fmt}, lang)


def check_formats(chosen: set[str], lang: str) -> None:
    unknown = chosen - FORMATS
    if unknown:
        raise ValueError(f"unknown output format(s) {', '.join(sorted(unknown))}; "
                         f"use: {', '.join(sorted(FORMATS))}")
    check_lang(lang)


def chart_files(plan: PlanView, chosen: set[str], lang: str) -> dict[str, bytes]:
    """The team and load charts whole; the member chart a file a month (``gantt-member-YYYY-MM``):
    a lane per member over the whole campaign made images 7,000-19,000 px tall."""
    formats = [fmt for fmt in ("png", "svg") if fmt in chosen]
    charts = {f"gantt-{view}.{fmt}": render_view(plan, view, fmt, lang)
              for view in VIEWS if view != "member" for fmt in formats}
    for fmt in formats:
        charts.update({f"gantt-member-{year}-{month:02d}.{fmt}": data for (year, month), data
                       in render_months(plan, "member", fmt, lang, titled=True)})
    if has_routes(plan):  # the route map, only when the plan has short visits on day routes
        charts.update({f"{MAP_NAME}.{fmt}": render_route_map(plan, fmt, lang)
                       for fmt in ("png", "svg") if fmt in chosen})
    return charts


def commit_files(contents: Mapping[str, bytes], out_dir: Path,
                 manifest_info: Mapping[str, Any] | None = None) -> list[Path]:
    """Write ``contents`` as the folder's whole set (see ``write_output_set``)."""
    return write_output_set(out_dir, contents, manifest_info)


def replace_calendars(out_dir: Path, calendars: Mapping[str, bytes],
                      manifest_info: Mapping[str, Any]) -> list[Path]:
    """A new set: the folder's current files with ``ics/`` replaced by ``calendars`` (which
    carry every earlier calendar on, with its lost events cancelled)."""
    with output_lock(out_dir):
        current, info = current_set(out_dir)
        kept = {rel: data for rel, data in current.items() if not rel.startswith(f"{ICS_DIR}/")}
        write_output_set(out_dir, {**kept, **calendars}, {**info, **manifest_info})
    return [Path(out_dir) / rel for rel in calendars]
