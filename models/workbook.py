"""Opening planners' workbooks (.xlsx) without trusting what they declare.

A workbook is a zip of XML: 2 KB on disk may declare a sheet of A1:XFD1048576 (17 billion cells)
or unpack to a gigabyte. Everything that would not fit is refused before it is read, with the
limit and the fix: the unpacked size, each sheet's declared dimension, then the rows and cells
actually read. Only visible sheets are read: a hidden sheet is one the planner does not see, so
an edit cannot have been meant for it. The limits are far above a national campaign (about
11,000 units, one row each) and are listed in README.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from models.errors import InputError, Problem
from models.paths import check_input_file

MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # the same as any input file, once unzipped
MAX_ROWS = 100_000
MAX_COLUMNS = 256
MAX_CELLS = 2_000_000
SHRINK = ("delete the rows and columns past the table (Ctrl+End in Excel shows where the sheet "
          "ends) and save again")
SHRINK_VI = ("xóa các dòng và cột nằm ngoài bảng (Ctrl+End trong Excel cho biết trang tính kết "
             "thúc ở đâu) rồi lưu lại")


def open_workbook(path: Path) -> Any:
    """The workbook, read-only, values not formulas, once its unpacked size is known to fit."""
    from openpyxl import load_workbook

    check_input_file(path)
    check_unpacked_size(path)
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputError(path, [Problem("", f"cannot read it as a .xlsx workbook ({exc}); "
                                            "save it from Excel as .xlsx",
                                        f"không đọc được như một sổ .xlsx ({exc}); lưu lại từ "
                                        "Excel dưới dạng .xlsx")]) from None


def check_unpacked_size(path: Path, what: str = ".xlsx workbook", save_as: str = "Excel") -> None:
    """Refuse an Office file (a zip) whose parts unzip to more than MAX_UNPACKED_BYTES."""
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(path, [Problem("", f"cannot read it as a {what} ({exc}); save it "
                                            f"from {save_as} as {what.split()[0]}",
                                        f"không đọc được như tệp {what.split()[0]} ({exc}); lưu "
                                        f"lại từ {save_as} dưới dạng {what.split()[0]}")]) from None
    if total > MAX_UNPACKED_BYTES:
        raise InputError(path, [Problem("", f"unpacks to {total:,} bytes, more than the "
                                        f"{MAX_UNPACKED_BYTES:,} an Office file may hold; keep "
                                        "only what kiemtra reads in it",
                                        f"giải nén ra {total:,} byte, quá {MAX_UNPACKED_BYTES:,} "
                                        "byte cho phép của một tệp Office; chỉ giữ lại phần "
                                        "kiemtra cần đọc")])


def visible_sheets(wb: Any) -> list[Any]:
    """The sheets a planner sees (hidden and very hidden ones are not read)."""
    return [ws for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]


def check_declared_size(path: Path, ws: Any) -> None:
    """Refuse a sheet whose declared dimension exceeds the limits, before reading a row."""
    rows, cols = ws.max_row or 0, ws.max_column or 0
    where = f"sheet {ws.title}"
    if rows > MAX_ROWS:
        raise InputError(path, [Problem(where, f"declares {rows:,} rows, more than {MAX_ROWS:,}; "
                                        + SHRINK, f"khai báo {rows:,} dòng, quá {MAX_ROWS:,}; "
                                        + SHRINK_VI)])
    if cols > MAX_COLUMNS:
        raise InputError(path, [Problem(where, f"declares {cols:,} columns, more than "
                                        f"{MAX_COLUMNS}; " + SHRINK, f"khai báo {cols:,} cột, quá "
                                        f"{MAX_COLUMNS}; " + SHRINK_VI)])
    if rows * cols > MAX_CELLS:
        raise InputError(path, [Problem(where, f"declares {rows * cols:,} cells, more than "
                                        f"{MAX_CELLS:,}; " + SHRINK, f"khai báo {rows * cols:,} ô, "
                                        f"quá {MAX_CELLS:,}; " + SHRINK_VI)])


def sheet_rows(path: Path, ws: Any, limit: int | None = None) -> list[list[Any]]:
    """The sheet's rows (trailing empty cells dropped), the first ``limit`` only if given;
    refused as soon as the rows or cells read pass the limits."""
    check_declared_size(path, ws)
    return list(_bounded_rows(path, ws, limit))


def _bounded_rows(path: Path, ws: Any, limit: int | None) -> Iterator[list[Any]]:
    ws.reset_dimensions()  # read what is there, not what the sheet claims (a lie cuts columns)
    where, cells = f"sheet {ws.title}", 0
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if limit is not None and number > limit:
            return
        row = list(values)
        while row and row[-1] is None:
            row.pop()
        cells += len(row)
        if number > MAX_ROWS or len(row) > MAX_COLUMNS or cells > MAX_CELLS:
            raise InputError(path, [Problem(f"{where}, row {number}", "holds more than the "
                                            f"{MAX_ROWS:,} rows, {MAX_COLUMNS} columns or "
                                            f"{MAX_CELLS:,} cells a sheet may hold; " + SHRINK,
                                            f"có nhiều hơn {MAX_ROWS:,} dòng, {MAX_COLUMNS} cột "
                                            f"hoặc {MAX_CELLS:,} ô một trang tính được có; "
                                            + SHRINK_VI)])
        yield row
