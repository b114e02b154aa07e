"""The lock of an output folder: ``P/.X.lock``, held (``flock``) by the run writing ``X``.

A second run fails at once (exit 2) rather than waiting. The lock file is created exclusively and
opened without following a symbolic link: a lock that is a link, a hard link to another file or
not a regular file is refused and left as it is, since truncating it to write the pid would damage
whatever it points at. Re-entry in one process is counted (``flock`` conflicts even there).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from models.loading import InputError, Problem
from scheduler import messages as _texts  # noqa: F401  (registers the folder texts)


class OutputFolderError(InputError):
    """The output folder cannot take a new set (busy, a file, read-only ...): exit 2, say the fix."""

    def __init__(self, folder: Path | str, key: str, **values: object) -> None:
        super().__init__(folder, [Problem.of("", key, **values)])


_HELD: dict[Path, int] = {}  # flock conflicts even inside one process, so re-entry is counted


def folder_of(out_dir: Path | str) -> Path:
    """The real folder: a symlinked --out is written where it points, the link left alone."""
    return Path(out_dir).resolve()


def lock_path(folder: Path) -> Path:
    return folder.parent / f".{folder.name}.lock"


def is_held(folder: Path) -> bool:
    return folder in _HELD


@contextlib.contextmanager
def hold_lock(folder: Path, shown: Path) -> Iterator[Path]:
    """Hold ``P/.X.lock`` for the real folder ``folder`` (``shown`` as the planner typed it)."""
    if folder in _HELD:
        _HELD[folder] += 1
        try:
            yield folder
        finally:
            _HELD[folder] -= 1
        return
    fd = _take_lock(folder, shown)
    _HELD[folder] = 1
    try:
        yield folder
    finally:
        del _HELD[folder]
        with contextlib.suppress(OSError):
            lock_path(folder).unlink()  # while still held: a waiting run re-checks the inode
        os.close(fd)


def _take_lock(folder: Path, shown: Path) -> int:
    """flock the lock file; retry if its holder unlinked it meanwhile (we'd hold a dead inode)."""
    while True:
        fd = _open_lock(folder, shown)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise OutputFolderError(shown, "out.busy", place=shown, pid=pid) from None
        try:
            if os.stat(lock_path(folder)).st_ino == os.fstat(fd).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return fd


def _open_lock(folder: Path, shown: Path) -> int:
    """Create the lock exclusively, or open a stale one, never through a symlink or into a file
    with other names (a hard link): truncating it would damage a planner's file."""
    path = lock_path(folder)
    try:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
        except FileExistsError:
            fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK)  # a FIFO never blocks
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OutputFolderError(shown, "out.lock_link", path=path) from None
        raise OutputFolderError(shown, "out.lock_create", path=path, why=exc.strerror) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink > 1:
        os.close(fd)
        raise OutputFolderError(shown, "out.lock_foreign", path=path)
    return fd
