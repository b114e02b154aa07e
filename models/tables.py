"""The one writer of the tables kiemtra hands to spreadsheets: CSV and XLSX, every cell formula-safe.

A unit or member name is planners' text and may come from anywhere; a spreadsheet runs a cell that
starts like a formula (=, +, -, @, tab, carriage return). ``safe_cell`` prefixes such text with a
quote so Excel and LibreOffice show it as text, and every table below goes through it. This module
sits in ``models`` so that both ``models.registry`` and ``scheduler.output`` can use it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = "\ufeff"

Row = Mapping[str, Any]


def safe_cell(value: Any) -> Any:
    """Neutralise text that a spreadsheet would run as a formula; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_cell(value: Any) -> str:
    """A value as CSV text: '' for None, ISO dates, numbers as they are, text formula-safe."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return str(value)  # a negative number is not a formula
    if isinstance(value, list):
        return safe_cell(";".join(str(v) for v in value))
    return safe_cell(str(getattr(value, "value", value)))


def csv_text(columns: Sequence[str], rows: Iterable[Row], bom: bool = True) -> str:
    """A table as CSV text (CRLF rows; with a UTF-8 BOM by default so Excel reads Vietnamese)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(c) for c in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in columns])
    return (UTF8_BOM if bom else "") + buffer.getvalue()


def xlsx_bytes(columns: Sequence[str], rows: Iterable[Row], sheet: str = "Sheet1") -> bytes:
    """A table as one-sheet XLSX bytes: text cells are always strings, never formulas."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([safe_cell(c) for c in columns])
    for row in rows:
        ws.append([xlsx_cell(row.get(c)) for c in columns])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_cell(value: Any) -> Any:
    """Numbers and dates stay typed; everything else becomes formula-safe text."""
    if value is None or (isinstance(value, (int, float, date)) and not isinstance(value, bool)):
        return value
    if isinstance(value, list):
        value = ";".join(str(v) for v in value)
    return safe_cell(str(getattr(value, "value", value)))


def table_bytes(columns: Sequence[str], rows: Iterable[Row], suffix: str) -> bytes:
    """A table as CSV (UTF-8 with BOM) or XLSX bytes by file suffix, built fully in memory."""
    if suffix.lower() == ".xlsx":
        return xlsx_bytes(columns, rows)
    return csv_text(columns, rows).encode("utf-8")
