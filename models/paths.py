"""What a path holds before anything is parsed: a regular file of sane size, text we can decode,
or a folder we can write into.

A FIFO or /dev/zero given as a scenario would block or fill memory, so files are checked with
``stat`` before a byte is read; an output folder is probed before a solve, so a read-only disk or
a typo in ``--out`` is reported at once instead of after minutes of search.
"""

from __future__ import annotations

import codecs
import os
import stat
import tempfile
from pathlib import Path

from models.errors import InputError, Problem
from models.limits import MAX_INPUT_BYTES


def check_input_file(path: Path) -> None:
    """Refuse, before reading a byte, what is not a regular file of a sane size."""
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(path, [Problem.of("", "path.not_found")]) from None
    except OSError as exc:
        raise InputError(path, [Problem.of("", "path.cannot_open", why=exc.strerror)]) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, [Problem.of("", "path.is_folder")])
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, [Problem.of("", "path.not_regular")])
    if info.st_size > MAX_INPUT_BYTES:
        raise InputError(path, [Problem.of("", "path.too_big", size=f"{info.st_size / 2**20:.0f}",
                                           limit=MAX_INPUT_BYTES // 2**20)])


def decode_text(path: Path, raw: bytes, what: str) -> str:
    """UTF-8 (with or without BOM), or UTF-16 with its BOM as Windows "Unicode" saves it.

    A UTF-16 file with a byte-order mark is unambiguous, so it is read rather than refused;
    without the mark it cannot be told from binary data and the planner is asked for UTF-8.
    """
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise InputError(path, [Problem.of("", "path.utf32")])
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(path, [Problem.of("", "path.utf16_broken")]) from None
    if b"\x00" in raw:
        if _looks_utf16(raw):
            raise InputError(path, [Problem.of("", "path.utf16_no_bom")])
        raise InputError(path, [Problem.of("", "path.binary", what=what)])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            path, [Problem.of(f"byte {exc.start}", "path.not_utf8")]
        ) from None


def _looks_utf16(raw: bytes) -> bool:
    """Printable text when read as UTF-16: saved as "Unicode" but without the byte-order mark."""
    sample = raw[:4000][: len(raw[:4000]) // 2 * 2]
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        ascii_text = sum(ch.isascii() and (ch.isprintable() or ch in "\r\n\t") for ch in text)
        if text and ascii_text * 2 >= len(text):  # YAML keys and most Vietnamese letters
            return True
    return False


def check_writable_folder(path: Path) -> None:
    """Refuse an output folder that cannot be written, before any solve starts.

    The folder may not exist yet (the writers create it); then its nearest existing parent must
    be a folder. Writability is probed by writing, syncing and removing a small file, because
    ``os.access`` answers yes for root and cannot see a full disk.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise InputError(path, [Problem.of("", "path.file_not_folder")])
    existing = path
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(path, [Problem.of("", "path.parent_is_file", existing=existing)])
    try:
        _probe_write(existing)
    except OSError as exc:
        raise InputError(path, [Problem.of("", "path.not_writable", existing=existing,
                                                        why=exc.strerror)]) from None


def _probe_write(folder: Path) -> None:
    handle, name = tempfile.mkstemp(prefix=".kiemtra-probe-", dir=folder)
    try:
        os.write(handle, b"kiemtra")
        os.fsync(handle)
    finally:
        os.close(handle)
        os.unlink(name)
