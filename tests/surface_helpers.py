"""The one solved plan the surface corpus starts from, and how its cases are judged.

``scenarios/hanoi-2025.yaml`` is solved once per test session with a small work limit (whatever plan
the search finds: no case depends on which); each case copies the folder and spoils one thing.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result

from cli import main
from conftest import SCENARIOS


@functools.cache
def solved_folder() -> Path:
    """A folder holding a full output set of the Hanoi campaign (schedule, workbook, calendars)."""
    out = Path(tempfile.mkdtemp(prefix="kiemtra-surfaces-")) / "h"
    result = run(["solve", str(SCENARIOS / "hanoi-2025.yaml"), "--out", str(out), "--time-limit", "5",
                  "--workers", "2", "-q", "--lang", "vi"])  # the workbook as planners get it
    # Only a real Ctrl-C is an interruption (exit 130): a busy machine changes nothing here.
    assert result.exit_code == 0 and (out / "schedule.json").is_file(), result.output
    return out


def copy_plan(tmp: Path, name: str = "h") -> Path:
    target = tmp / name
    shutil.copytree(solved_folder(), target, symlinks=True)
    return target


def run(args: list[str]) -> Result:
    """The command in English: these cases name places and fixes by their English words (the
    Vietnamese default is tested in test_language.py)."""
    return CliRunner().invoke(main, args, env={"KIEMTRA_LANG": "en"})


def assert_refused(result: Result, *expected: str) -> None:
    """Exit 2, no traceback, and the message names every expected place (file, sheet, row, fix)."""
    text = result.output
    assert result.exit_code == 2, f"exit {result.exit_code}: {text}\n{result.exception!r}"
    assert "Traceback" not in text and not isinstance(result.exception, AssertionError | TypeError)
    for word in expected:
        assert word in text, f"{word!r} not in: {text}"


def fingerprint(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under ``folder`` (links not followed)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def rezip(path: Path, change: Callable[[str, bytes], bytes | None],
          extra: dict[str, bytes] | None = None) -> None:
    """Rewrite an Office file part by part (``change`` returns the new bytes, or None to drop)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = change(item.filename, old.read(item))
            if data is not None:
                new.writestr(item.filename, data)
        for name, data in (extra or {}).items():
            new.writestr(name, data)
    path.write_bytes(buffer.getvalue())


def declare_dimension(path: Path, ref: str, sheet: str = "xl/worksheets/sheet1.xml") -> None:
    """Make a sheet declare the dimension ``ref`` (e.g. A1:XFD1048576), its cells unchanged."""
    def change(name: str, data: bytes) -> bytes:
        if name != sheet:
            return data
        return re.sub(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), data)
    rezip(path, change)
