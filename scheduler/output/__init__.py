"""Outputs planners look at and hand on: charts, Excel, iCalendar, HTML and the schedule files.

Nothing here solves or imports OR-Tools: every output is drawn from a Schedule and its Scenario.
``write_outputs`` builds every file in memory first, then stages them in a temporary folder
inside the output folder and moves each into place, so a failure leaves the previous outputs as
they were and no file is ever half-written.

Files (in ``out_dir``): ``schedule.json``, ``schedule.csv``, ``schedule.xlsx``,
``ics/team-<id>.ics``, ``ics/member-<id>.ics``, ``gantt-<view>.png`` / ``.svg`` for the views
team, member and load, and ``report.html``. Team and member charts are one tall image with a
panel per month rather than a file per month: the file set stays the same whatever the plan's
months, so a re-plan leaves no stale month behind.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from models.scenario import Scenario
from models.schedule import Schedule
from scheduler.output.files import atomic_write_bytes, schedule_file_contents
from scheduler.output.gantt import VIEWS, render_view
from scheduler.output.html import report_html
from scheduler.output.ics import ICS_DIR, calendar_files
from scheduler.output.labels import check_lang
from scheduler.output.view import OutputError, PlanView, build_view
from scheduler.output.xlsx import workbook_bytes

FORMATS = frozenset({"json", "csv", "xlsx", "ics", "png", "svg", "html"})
XLSX_NAME = "schedule.xlsx"
REPORT_NAME = "report.html"
STAGING_PREFIX = ".kiemtra-staging-"
STAGING_MAX_AGE_S = 3600
_OUR_ICS = re.compile(r"^(team|member)-.+\.ics$")

__all__ = [
    "FORMATS",
    "OutputError",
    "build_outputs",
    "commit_files",
    "remove_stale_calendars",
    "write_outputs",
]


def write_outputs(scenario: Scenario, schedule: Schedule, out_dir: Path | str,
                  formats: Iterable[str] = FORMATS, lang: str = "vi",
                  stamp: datetime | None = None) -> list[Path]:
    """Write the chosen outputs into ``out_dir``; return the paths written.

    Every file is built before any is written; then all are written to a staging folder and
    moved into place. Calendars of teams or members that no longer have an event are removed
    from ``ics/`` (only files named like ours). ``stamp`` fixes the calendars' DTSTAMP.
    """
    contents = build_outputs(scenario, schedule, formats, lang, stamp)
    folder = Path(out_dir)
    written = commit_files(contents, folder)
    if "ics" in set(formats):
        remove_stale_calendars(folder, written)
    return written


def build_outputs(scenario: Scenario, schedule: Schedule, formats: Iterable[str] = FORMATS,
                  lang: str = "vi", stamp: datetime | None = None) -> dict[str, bytes]:
    """Relative path -> bytes of every chosen output, built in memory (nothing is written)."""
    chosen = set(formats)
    unknown = chosen - FORMATS
    if unknown:
        raise ValueError(f"unknown output format(s) {', '.join(sorted(unknown))}; "
                         f"use: {', '.join(sorted(FORMATS))}")
    check_lang(lang)
    plan = build_view(scenario, schedule)
    contents: dict[str, bytes] = {}
    schedule_files = schedule_file_contents(schedule)
    for fmt in ("json", "csv"):
        if fmt in chosen:
            contents[f"schedule.{fmt}"] = schedule_files[f"schedule.{fmt}"]
    if "xlsx" in chosen:
        contents[XLSX_NAME] = workbook_bytes(plan, lang)
    if "ics" in chosen:
        contents.update(calendar_files(plan, lang, stamp))
    contents.update(chart_files(plan, chosen, lang))
    if "html" in chosen:
        contents[REPORT_NAME] = report_html(plan, lang).encode("utf-8")
    return contents


def chart_files(plan: PlanView, chosen: set[str], lang: str) -> dict[str, bytes]:
    return {f"gantt-{view}.{fmt}": render_view(plan, view, fmt, lang)
            for view in VIEWS for fmt in ("png", "svg") if fmt in chosen}


def commit_files(contents: dict[str, bytes], out_dir: Path) -> list[Path]:
    """Stage every file in a temporary folder inside ``out_dir``, then move each into place."""
    out_dir.mkdir(parents=True, exist_ok=True)
    sweep_old_staging(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    try:
        for rel, data in contents.items():
            atomic_write_bytes(staging / rel, data)
        written = []
        for rel in contents:
            final = out_dir / rel
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, final)
            written.append(final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written


def sweep_old_staging(out_dir: Path) -> None:
    """Remove staging folders a killed run left behind (old enough not to be another run's)."""
    cutoff = time.time() - STAGING_MAX_AGE_S
    for folder in out_dir.glob(STAGING_PREFIX + "*"):
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def remove_stale_calendars(out_dir: Path, written: list[Path]) -> None:
    """Drop ics files of an earlier run whose team or member has no event any more."""
    keep = {p.resolve() for p in written}
    for path in (out_dir / ICS_DIR).glob("*.ics"):
        if _OUR_ICS.match(path.name) and path.resolve() not in keep:
            path.unlink()
