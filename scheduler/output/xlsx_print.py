"""How the workbook's sheets print: A4 landscape, fitted to the page width, the table header on
every page, page numbers in the footer, and row heights that show every line of a wrapped cell.

Excel and LibreOffice print a row at its stored height: a "Thành phần đoàn" cell of nine
members in a row of default height spills over the next rows on paper. The height is therefore
set from the lines the cell will show (its line breaks, and the wrapping its column width forces).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from openpyxl.worksheet.worksheet import Worksheet

LINE_PT = 15.0  # one line of 11-pt Calibri, as Excel lays it out
PAD_PT = 3.0
CHARS_PER_WIDTH = 1.1  # Vietnamese text averages a little narrower than Excel's width unit ("0")
MARGIN_IN = 0.4  # left and right; the default 0.7" wastes a tenth of a landscape A4 page
TOP_IN = BOTTOM_IN = 0.5
FOOTER = "&P / &N"  # page / pages


def page_setup(ws: Worksheet, header_row: int | None = None, last_column: str | None = None,
               last_row: int | None = None) -> None:
    """A4 landscape, as many pages tall as needed but one page wide, the header row repeated.

    ``last_column``/``last_row``: the print area (columns only the program reads, such as ids,
    are left off the paper)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = MARGIN_IN
    ws.page_margins.top, ws.page_margins.bottom = TOP_IN, BOTTOM_IN
    ws.page_margins.header = ws.page_margins.footer = 0.25
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = FOOTER
    if header_row is not None:
        ws.print_title_rows = f"{header_row}:{header_row}"
    if last_column is not None:
        ws.print_area = f"A1:{last_column}{last_row or ws.max_row}"


def lines_shown(text: str, width: float) -> int:
    """How many lines a wrapped cell of ``width`` (Excel width units) shows ``text`` on."""
    per_line = max(1, int(width * CHARS_PER_WIDTH) - 1)
    return sum(max(1, math.ceil(len(line) / per_line)) for line in text.split("\n"))


def fit_row_height(ws: Worksheet, row: int, cells: Iterable[tuple[str, float]]) -> None:
    """Set ``row``'s height to show every line of its wrapped cells ((text, column width) pairs)."""
    lines = max((lines_shown(text, width) for text, width in cells), default=1)
    if lines > 1:
        ws.row_dimensions[row].height = lines * LINE_PT + PAD_PT
