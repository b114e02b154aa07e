"""Writing planners' files safely: atomic writes, formula-safe cells, schedule.json / schedule.csv.

Every file is written to a temporary file in the same folder, flushed to disk and then moved over
the old one with ``os.replace``: a reader sees either the old file or the new one, never half of
it, and a failure leaves the old file as it was. Tables go through the one guarded table writer,
``models.tables``, so no cell can run a formula.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

from models.scenario import Scenario
from models.schedule import CSV_FIELDS, Assignment, Schedule
from models.tables import FORMULA_STARTS, csv_cell, csv_text, safe_cell

__all__ = ["FORMULA_STARTS", "atomic_write_bytes", "atomic_write_text", "safe_cell",
           "schedule_csv_text", "schedule_file_contents", "write_schedule_files"]


def atomic_write_bytes(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` all at once: temp file in the same folder, fsync, rename."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, _MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        _remove_quietly(Path(tmp_name))
        raise
    _fsync_dir(target.parent)
    return target


def atomic_write_text(path: Path | str, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically (see ``atomic_write_bytes``)."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _default_mode() -> int:
    """Permissions a plain ``open()`` would give (mkstemp makes files private)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_MODE = _default_mode()  # read once: changing the umask is process-wide


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def assignment_row(assignment: Assignment, names: Mapping[str, str] | None = None) -> list[str]:
    """One CSV row of the export contract, every cell formula-safe."""
    data = _row(assignment, names or {})
    return [csv_cell(data[name]) for name in CSV_FIELDS]


def _row(assignment: Assignment, names: Mapping[str, str]) -> dict[str, object]:
    """The assignment's fields, and its members by name (the schedule's ``members[].name``)."""
    return {**assignment.model_dump(),
            "member_names": ";".join(names.get(m, m) for m in assignment.member_ids)}


def schedule_csv_text(assignments: Iterable[Assignment],
                      names: Mapping[str, str] | None = None) -> str:
    """schedule.csv: header ``CSV_FIELDS``, one row per assignment, UTF-8 BOM for Excel;
    ``names`` (member id -> name) fills ``member_names`` (ids when not given)."""
    return csv_text(CSV_FIELDS, (_row(a, names or {}) for a in assignments))


def schedule_file_contents(schedule: Schedule) -> dict[str, bytes]:
    """File name -> bytes of schedule.json and schedule.csv, built in memory."""
    return {
        "schedule.json": schedule.to_json().encode("utf-8"),
        "schedule.csv": schedule_csv_text(schedule.assignments,
                                          {m.id: m.name for m in schedule.members}).encode("utf-8"),
    }


def write_schedule_files(schedule: Schedule, out_dir: Path | str) -> list[Path]:
    """Write schedule.json and schedule.csv into ``out_dir`` atomically; return their paths."""
    folder = Path(out_dir)
    contents = schedule_file_contents(schedule)  # built fully before anything is touched
    return [atomic_write_bytes(folder / name, data) for name, data in contents.items()]


def scenario_yaml(scenario: Scenario,
                  header: str = "# Scenario after the events of a re-plan (written by kiemtra "
                                "replan).\n") -> str:
    """A scenario as YAML a planner can read, edit and load again."""
    data = scenario.model_dump(by_alias=True, mode="json", exclude_none=True)
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
