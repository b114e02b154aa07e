"""The lineage of a re-planned or repaired schedule, and the calendars last published for it.

A re-plan is usually written to a folder of its own (``out/lap-lai``), away from the baseline's
calendars. Its schedule therefore records where it came from (``Schedule.lineage``): the
baseline file, its sha256, and the folder of the calendars last published for that plan. Any
later calendar export of the schedule, to whatever folder, starts from those calendars, so every
changed or cancelled event gets a higher SEQUENCE than members already hold.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from models.schedule import Lineage, Schedule
from scheduler.output.ics_state import ICS_DIR, calendar_problem


def calendars_in(ics_dir: Path) -> dict[str, bytes]:
    """The readable .ics files of a calendar folder, keyed as in an output set (``ics/<name>``).
    An unreadable one is no source of SEQUENCE numbers (the folder it belongs to sets it aside
    when it is next written: ``read_previous_calendars``), and never links or pipes."""
    if not ics_dir.is_dir():
        return {}
    found = {f"{ICS_DIR}/{p.name}": p.read_bytes() for p in sorted(ics_dir.glob("*.ics"))
             if p.is_file() and not p.is_symlink()}
    return {rel: data for rel, data in found.items() if calendar_problem(rel, data) is None}


def lineage_of(baseline_path: Path, baseline: Schedule | None = None) -> Lineage:
    """The lineage of a plan made from ``baseline_path``: its calendars are those in the
    baseline's folder, else (a baseline itself re-planned) those of the baseline's lineage."""
    path = baseline_path.resolve()
    ics_dir: Path | None = path.parent / ICS_DIR
    if not calendars_in(path.parent / ICS_DIR):
        earlier = baseline.lineage if baseline is not None else None
        ics_dir = Path(earlier.ics_dir) if earlier and earlier.ics_dir else None
    return Lineage(baseline_path=str(path),
                   baseline_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                   ics_dir=str(ics_dir) if ics_dir is not None else None)


def published_calendars(schedule: Schedule, folders: Iterable[Path] = ()
                        ) -> dict[str, bytes]:
    """The calendars last published for ``schedule``: its lineage's, then those in each of
    ``folders`` (an output folder's own calendars are the newest, so they win per file)."""
    found: dict[str, bytes] = {}
    lineage = schedule.lineage
    if lineage is not None and lineage.ics_dir:
        found.update(calendars_in(Path(lineage.ics_dir)))
    for folder in folders:
        found.update(calendars_in(Path(folder) / ICS_DIR))
    return found


def no_calendars_warning(schedule: Schedule, published: dict[str, bytes], lang: str) -> str | None:
    """What to tell the planner when a re-planned schedule's calendars start afresh."""
    lineage = schedule.lineage
    if lineage is None or published:
        return None
    where = lineage.ics_dir or str(Path(lineage.baseline_path).parent / ICS_DIR)
    if lang == "vi":
        return (f"không tìm thấy lịch (.ics) đã phát hành cho kế hoạch gốc ({where}): lịch mới "
                "bắt đầu lại từ SEQUENCE 0, ứng dụng lịch có thể bỏ qua các thay đổi; xuất lịch "
                "vào thư mục chứa lịch cũ hoặc khôi phục thư mục đó")
    return (f"no published calendars (.ics) found for the baseline ({where}): the new calendars "
            "start again at SEQUENCE 0 and calendar programs may ignore the changes; export into "
            "the folder holding the old calendars or restore it")
