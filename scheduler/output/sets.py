"""Whole output sets: a run's files appear in its output folder all together or not at all.

For an output folder ``P/X``:

- ``P/X`` holds the complete set of one run, with ``manifest.json`` listing its files (sha256, size);
- ``P/.X.kiemtra-new-<run>`` is the next set, built fully beside it (same filesystem), manifest last;
- ``P/.X.kiemtra-old-<run>`` is the previous set while the two are swapped;
- ``P/.X.lock`` is held (``flock``) by the run writing ``X``, from before the solve to the swap,
  and removed when released.

The swap is one ``renameat2(RENAME_EXCHANGE)`` where Linux offers it (``X`` is never missing), else
two renames, ``X`` -> old and new -> ``X``. A crash can therefore leave ``X`` missing with complete
sets beside it, or sets beside a whole ``X``; ``recover_output_set`` puts the newest complete set
(checked against its manifest) in place and removes the rest. Files a planner added to ``X`` that no
manifest lists are carried into the new set (hard links), so they are never lost.

This module imports neither the solver nor the chart libraries: every reading command calls
``recover_output_set`` and should stay quick.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import re
import secrets
import shutil
import stat
import sys
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from scheduler.output.lock import OutputFolderError, folder_of, hold_lock, is_held

MANIFEST_NAME = "manifest.json"
MANIFEST_SCHEMA = "kiemtra.outputs/1"
NEW_TAG = "kiemtra-new"
OLD_TAG = "kiemtra-old"
MAX_FOREIGN_FILES = 200  # more than this is not an output folder (a project root, a home folder)
# Named like kiemtra's outputs: ours even when no manifest lists them (an earlier version's set, or
# `gantt`/`export`/`report` writing beside the schedule), so replaced rather than carried over.
OUR_NAMES = re.compile(
    r"^(schedule\.(json|csv|xlsx)|scenario\.yaml|replan\.json|diff\.(txt|csv)|report\.html"
    r"|gantt-(team|member|load)\.(png|svg)|route-map\.(png|svg)|ics/(team|member)-[^/]+\.ics"
    r"|notify\.json|letters/(thong-bao|huy-lich)-[^/]+\.docx"
    r"|\.kiemtra-staging-.*|(.*/)?\.[^/]+\.tmp)$")

Step = Callable[[str], None]


def _no_step(name: str) -> None:
    """Default step hook: the kill tests replace it to stop the write at every step."""


# --- the lock (scheduler.output.lock) ------------------------------------------------------------


@contextlib.contextmanager
def output_lock(out_dir: Path | str, check: bool = True) -> Iterator[Path]:
    """Hold ``P/.X.lock`` while writing ``X``; a second run fails at once (exit 2), never waits.

    With ``check`` the folder is first checked writable, so a long solve is never lost at the end.
    """
    folder = folder_of(out_dir)
    if check and not is_held(folder):
        check_output_folder(Path(out_dir))
    with hold_lock(folder, Path(out_dir)):
        yield folder


def check_output_folder(shown: Path) -> None:
    """Refuse, before any solving, a folder the set could not be written to (exit 2)."""
    folder = folder_of(shown)
    if folder.exists() and not folder.is_dir():
        raise OutputFolderError(shown, "out.is_file")
    if Path.cwd() == folder or folder in Path.cwd().parents:
        raise OutputFolderError(shown, "out.is_cwd")
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputFolderError(shown, "out.cannot_create", place=folder.parent,
                                why=exc.strerror) from None
    for place in (folder.parent, folder):
        if place.exists() and not os.access(place, os.W_OK | os.X_OK):
            raise OutputFolderError(shown, "out.read_only", place=place)
    foreign = foreign_files(folder) if folder.is_dir() else []
    if len(foreign) > MAX_FOREIGN_FILES:
        raise OutputFolderError(shown, "out.foreign", n=len(foreign), example=foreign[0])


# --- manifests --------------------------------------------------------------------------------


def kiemtra_version() -> str:
    try:
        return metadata.version("kiemtra")
    except metadata.PackageNotFoundError:
        return "unknown"


def manifest_bytes(contents: Mapping[str, bytes], info: Mapping[str, Any], run: str,
                   carried: list[str]) -> bytes:
    record = {
        "schema": MANIFEST_SCHEMA, "run": run,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "kiemtra_version": kiemtra_version(), **info,
        "files": [{"path": rel, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                  for rel, data in sorted(contents.items())],
        "carried_over": sorted(carried),  # the planner's own files, not ours: kept, never listed
    }
    return (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of a set, or None when it has none or it cannot be read."""
    if not is_plain_file(folder / MANIFEST_NAME):
        return None
    try:
        data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("schema") != MANIFEST_SCHEMA:
        return None
    return data


def is_complete(folder: Path) -> bool:
    """Every file the manifest lists is there with its size and sha256."""
    manifest = read_manifest(folder)
    if manifest is None:
        return False
    for item in manifest.get("files", []):
        path = folder / item["path"]
        if not is_plain_file(path):
            return False
        try:
            data = path.read_bytes()
        except OSError:
            return False
        if len(data) != item["size"] or hashlib.sha256(data).hexdigest() != item["sha256"]:
            return False
    return True


def set_files(folder: Path) -> list[str]:
    """Relative paths of every file (or symlink) in a folder, not following links."""
    found = []
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        links = [d for d in dirs if (here / d).is_symlink()]
        dirs[:] = [d for d in dirs if d not in links]
        found += [(here / name).relative_to(folder).as_posix() for name in files + links]
    return sorted(found)


def foreign_files(folder: Path) -> list[str]:
    """Files in the folder that its manifest does not list and not named like ours: the planner's."""
    manifest = read_manifest(folder)
    listed = {item["path"] for item in manifest["files"]} if manifest else set()
    return [rel for rel in set_files(folder) if rel != MANIFEST_NAME and (
        not is_plain_file(folder / rel) or (rel not in listed and not OUR_NAMES.match(rel)))]


def is_plain_file(path: Path) -> bool:
    """A regular file, not a link, pipe or device: only such files are ever read as ours (a pipe
    named like a chart would hang the read, a link would copy what it points at)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def current_set(out_dir: Path | str) -> tuple[dict[str, bytes], dict[str, Any]]:
    """Our files of the set now in the folder (by manifest, or by name) and its manifest info."""
    folder = folder_of(out_dir)
    if not folder.is_dir():
        return {}, {}
    manifest = read_manifest(folder) or {}
    foreign = set(foreign_files(folder))
    ours = {rel: (folder / rel).read_bytes() for rel in set_files(folder)
            if rel != MANIFEST_NAME and rel not in foreign}
    info = {k: v for k, v in manifest.items()
            if k not in ("schema", "run", "created", "kiemtra_version", "files", "carried_over")}
    return ours, info


# --- writing a set ----------------------------------------------------------------------------


def write_output_set(out_dir: Path | str, contents: Mapping[str, bytes],
                     manifest_info: Mapping[str, Any] | None = None,
                     on_step: Step = _no_step) -> list[Path]:
    """Replace the folder's set by ``contents`` (relative path -> bytes) all at once.

    ``manifest_info`` (e.g. ``scenario_sha256``) goes into ``manifest.json``; the planner's own
    files in the folder are carried over. ``on_step`` is told each step (for the kill tests).
    """
    for rel in contents:
        _check_relative(rel)
    with output_lock(out_dir) as folder:
        recover_locked(folder)
        run = f"{os.getpid()}-{secrets.token_hex(4)}"
        staging = sibling(folder, NEW_TAG, run)
        try:
            stage(staging, folder, contents, dict(manifest_info or {}), run, on_step)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        swap_in(folder, staging, run, on_step)
    return [folder / rel for rel in contents]


def add_to_set(out_dir: Path | str, files: Mapping[str, bytes]) -> list[Path]:
    """A new set: the folder's current one with ``files`` added or replaced (a chart or report
    written beside a schedule), so that every file of the folder stays in its manifest."""
    with output_lock(out_dir) as folder:
        current, info = current_set(folder)
        write_output_set(folder, {**current, **files}, info)
    return [Path(out_dir) / rel for rel in files]


def is_output_set(folder: Path) -> bool:
    return read_manifest(folder_of(folder)) is not None


def _check_relative(rel: str) -> None:
    parts = Path(rel).parts
    if not parts or Path(rel).is_absolute() or ".." in parts or rel == MANIFEST_NAME:
        raise ValueError(f"output file name {rel!r} must be relative, inside the set, "
                         f"and not {MANIFEST_NAME}")


def sibling(folder: Path, tag: str, run: str) -> Path:
    return folder.parent / f".{folder.name}.{tag}-{run}"


def siblings(folder: Path) -> list[Path]:
    """Sets of interrupted writes beside the folder, newest first."""
    found = [p for tag in (NEW_TAG, OLD_TAG) for p in folder.parent.glob(f".{folder.name}.{tag}-*")
             if p.is_dir() and not p.is_symlink()]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def stage(staging: Path, folder: Path, contents: Mapping[str, bytes], info: dict[str, Any],
          run: str, on_step: Step) -> None:
    """Build the whole new set in ``staging``: our files, the planner's files, manifest last."""
    staging.mkdir()
    for rel, data in contents.items():
        write_durably(staging / rel, data)
        on_step(f"staged {rel}")
    carried = [rel for rel in (foreign_files(folder) if folder.is_dir() else [])
               if rel not in contents]
    for rel in carried:
        _carry(folder / rel, staging / rel)
    on_step("carried over")
    write_durably(staging / MANIFEST_NAME, manifest_bytes(contents, info, run, carried))
    for place in sorted({(staging / rel).parent for rel in contents}, reverse=True):
        _fsync_dir(place)
    on_step("manifest written")


def write_durably(path: Path, data: bytes) -> None:
    """A new file in a staging folder: created exclusively, never through a symlink."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _carry(source: Path, target: Path) -> None:
    """A hard link costs nothing and keeps the file if the old set is removed; else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def swap_in(folder: Path, staging: Path, run: str, on_step: Step) -> None:
    """Put the staged set at ``folder``; the old set is removed once the new one is in place."""
    on_step("before swap")
    if not folder.exists():
        os.rename(staging, folder)
        _fsync_dir(folder.parent)
        on_step("after swap")
        return
    if exchange_paths(staging, folder):
        _fsync_dir(folder.parent)
        on_step("after swap")
        shutil.rmtree(staging)  # holds the old set now
        return
    old = sibling(folder, OLD_TAG, run)
    os.rename(folder, old)
    on_step("old set moved aside")
    os.rename(staging, folder)
    _fsync_dir(folder.parent)
    on_step("after swap")
    shutil.rmtree(old)


def exchange_paths(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    func = _renameat2()
    if func is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if func(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # filesystem or kernel without it: fall back to two renames
    raise OSError(err, os.strerror(err), str(b))


def _renameat2() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    func = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if func is not None:
        func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                         ctypes.c_uint]
        func.restype = ctypes.c_int
    return func


def _fsync_dir(folder: Path) -> None:
    """Make renames and new entries durable where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    with contextlib.suppress(OSError):
        os.fsync(fd)
    os.close(fd)


# --- recovery ---------------------------------------------------------------------------------


def recover_output_set(out_dir: Path | str) -> str | None:
    """Finish or undo a write that was killed; return what was done, or None if nothing was.

    Reading commands call this first. A folder another run is writing is left alone.
    """
    folder = folder_of(out_dir)
    if not folder.parent.is_dir() or not siblings(folder):
        return None
    try:
        with output_lock(folder, check=False):
            return recover_locked(folder)
    except OutputFolderError:
        return None  # a live writer owns the staged sets


def recover_locked(folder: Path) -> str | None:
    """With the lock held: the newest complete set goes in place if the folder is missing."""
    found = siblings(folder)
    note = None
    if not folder.exists():
        ordered = [p for p in found if NEW_TAG in p.name] + [p for p in found if OLD_TAG in p.name]
        chosen = next((p for p in ordered if is_complete(p)), None)
        if chosen is not None:
            os.rename(chosen, folder)
            _fsync_dir(folder.parent)
            kind = "new" if NEW_TAG in chosen.name else "previous"
            note = f"{folder}: finished an interrupted write (the {kind} set is in place)"
    for path in found:
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)
            note = note or f"{folder}: removed what an interrupted write left beside it"
    return note
