"""The plan on paper: one A4 landscape PDF holding the plan appendix (the schedule table, its
header repeated on every page) and the team and member Gantt charts a month a page.

Written with matplotlib's ``PdfPages``, already a dependency for the charts: vector text with
DejaVu Sans embedded (Vietnamese diacritics print whatever fonts the reader has), no new library.
The charts are laid out on the page itself (``build_chart(..., page=A4)``), so their 10-pt text
prints at 9-10 pt; the table is set in 9 pt.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from matplotlib import rc_context
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from models.calendar import format_vn
from scheduler.output.gantt import MONTHLY_VIEWS, build_chart
from scheduler.output.gantt_page import A4_LANDSCAPE_IN, PAGE_MARGIN_IN
from scheduler.output.gantt_parts import STYLE, panel_months
from scheduler.output.labels import labels
from scheduler.output.view import PlanView, Visit
from scheduler.output.xlsx import group_text, notes_text

PDF_NAME = "ke-hoach.pdf"
TABLE_PT = 9.0
LINE_IN = TABLE_PT * 1.3 / 72  # matplotlib's linespacing=1.3, measured ~1.27 × the size
PAD_IN = 0.05
CHAR_IN = TABLE_PT * 0.58 / 72  # mean glyph width in Vietnamese text (0.53 em measured), with a margin
COLUMNS = ("stt", "unit", "team", "start", "report_due", "announce_by", "group", "notes")
WIDTHS_IN = (0.4, 2.2, 1.05, 1.2, 0.9, 0.9, 3.45, 0.79)  # 10.89 in: the page between margins
HEADER_FILL = "#ddebf7"
TITLE_IN = 0.75  # the appendix title and its basis, on the first page


def plan_pdf(plan: PlanView, lang: str = "vi") -> bytes:
    """The PDF's bytes: the appendix table, then the team chart and the member chart a month a
    page. Fixed metadata, so that the same plan gives the same file."""
    buffer = io.BytesIO()
    text = labels(lang)
    title = f"{text['appendix_title']} – {plan.scenario.campaign.name}"
    metadata = {"Title": title, "Creator": "kiemtra", "Producer": None, "CreationDate": None}
    # pdf.fonttype 42: TrueType, so the text stays text (searchable, crisp) in the PDF
    with rc_context({**STYLE, "pdf.fonttype": 42}), PdfPages(buffer, metadata=metadata) as pdf:
        for page in table_pages(plan, lang):
            pdf.savefig(page)
        for view in MONTHLY_VIEWS:
            for month in panel_months(plan):
                pdf.savefig(build_chart(plan, view, lang, [month], page=A4_LANDSCAPE_IN).figure)
    return buffer.getvalue()


# --- the appendix table --------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    cells: tuple[list[str], ...]  # each cell's lines, wrapped to its column

    @property
    def height(self) -> float:
        return max(len(lines) for lines in self.cells) * LINE_IN + 2 * PAD_IN


def wrap(value: str, width_in: float) -> list[str]:
    chars = max(4, int((width_in - 2 * PAD_IN) / CHAR_IN))
    return [line for part in value.split("\n") for line in (textwrap.wrap(part, chars) or [""])]


def make_row(values: Sequence[str]) -> Row:
    return Row(tuple(wrap(v, w) for v, w in zip(values, WIDTHS_IN, strict=True)))


def visit_values(plan: PlanView, number: int, visit: Visit, text: Mapping[str, str]) -> list[str]:
    a = visit.assignment
    when = format_vn(a.start) if a.start == a.end else f"{format_vn(a.start)} – {format_vn(a.end)}"
    if visit.start_time and visit.end_time:
        when += f"\n{visit.start_time}–{visit.end_time}"
    # The group runs on as one text ("A (chủ trì); B; C"): a member a line made rows of nine lines
    return [str(number), visit.unit.name, visit.team.name, when,
            format_vn(a.report_due) if a.report_due else "",
            format_vn(a.announce_by) if a.announce_by else "",
            group_text(visit, text).replace("\n", "; "), notes_text(plan, visit, text)]


def paginate(rows: list[Row], header: Row) -> list[list[Row]]:
    """Rows in pages: the first page leaves room for the title; a row never splits."""
    room_first = A4_LANDSCAPE_IN[1] - 2 * PAGE_MARGIN_IN - TITLE_IN - header.height - 0.3
    room = room_first + TITLE_IN
    pages: list[list[Row]] = [[]]
    used = 0.0
    for row in rows:
        limit = room_first if len(pages) == 1 else room
        if pages[-1] and used + row.height > limit:
            pages.append([])
            used = 0.0
        pages[-1].append(row)
        used += row.height
    return pages


def table_pages(plan: PlanView, lang: str) -> Iterator[Figure]:
    text = labels(lang)
    header = make_row([text[c] for c in COLUMNS])
    rows = [make_row(visit_values(plan, n, v, text)) for n, v in enumerate(plan.visits, start=1)]
    pages = paginate(rows, header)
    for number, page in enumerate(pages, start=1):
        fig = Figure(figsize=A4_LANDSCAPE_IN)
        top = A4_LANDSCAPE_IN[1] - PAGE_MARGIN_IN
        if number == 1:
            draw_title(fig, plan, lang, top)
            top -= TITLE_IN
        top = draw_row(fig, header, top, fill=HEADER_FILL, bold=True)
        for row in page:
            top = draw_row(fig, row, top)
        fig.text(0.5, PAGE_MARGIN_IN / 2 / A4_LANDSCAPE_IN[1], f"{number} / {len(pages)}",
                 ha="center", va="center", fontsize=TABLE_PT)
        yield fig


def draw_title(fig: Figure, plan: PlanView, lang: str, top: float) -> None:
    text = labels(lang)
    campaign = plan.scenario.campaign
    h = A4_LANDSCAPE_IN[1]
    fig.text(0.5, top / h, f"{text['appendix_title']} – {campaign.name}", ha="center", va="top",
             fontsize=12, fontweight="bold")
    if campaign.legal_basis:
        basis = text["appendix_basis"].format(basis=campaign.legal_basis[0].citation(lang))
        fig.text(0.5, (top - 0.3) / h, basis, ha="center", va="top", fontsize=TABLE_PT + 1,
                 style="italic")


def draw_row(fig: Figure, row: Row, top: float, fill: str | None = None, bold: bool = False) -> float:
    """One table row with its cell borders, from ``top`` (inches from the page's foot); returns
    the row's bottom."""
    w, h = A4_LANDSCAPE_IN
    bottom = top - row.height
    x = PAGE_MARGIN_IN
    if fill:
        fig.add_artist(Rectangle((x / w, bottom / h), sum(WIDTHS_IN) / w, row.height / h,
                                 transform=fig.transFigure, facecolor=fill, edgecolor="none", zorder=0))
    for lines, width in zip(row.cells, WIDTHS_IN, strict=True):
        fig.text((x + PAD_IN) / w, (top - PAD_IN) / h, "\n".join(lines), ha="left", va="top",
                 fontsize=TABLE_PT, fontweight="bold" if bold else "normal", linespacing=1.3)
        fig.add_artist(Line2D([x / w, x / w], [bottom / h, top / h], transform=fig.transFigure,
                              color="#999999", lw=0.5))
        x += width
    fig.add_artist(Line2D([x / w, x / w], [bottom / h, top / h], transform=fig.transFigure,
                          color="#999999", lw=0.5))
    for y in (top, bottom):
        fig.add_artist(Line2D([PAGE_MARGIN_IN / w, x / w], [y / h, y / h], transform=fig.transFigure,
                              color="#999999", lw=0.5))
    return bottom
