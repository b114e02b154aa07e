"""The plan comparison as a one-file HTML page (table and an inline SVG chart) or an Excel workbook.

The HTML has no script and links no asset; the chart is matplotlib's SVG with glyphs as paths,
so it reads the same offline on any machine. Workbook cells go through ``put`` (``safe_cell``).
"""

from __future__ import annotations

import io
from datetime import date
from html import escape
from typing import Any

from matplotlib import dates as mdates
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from openpyxl import Workbook
from openpyxl.styles import Font

from models.calendar import format_vn
from scheduler.output.compare import Comparison, Row, best_columns, cell_text
from scheduler.output.compare_text import text_for
from scheduler.output.gantt_parts import STYLE, TEAM_COLOURS
from scheduler.output.html import CSS, inline_svg
from scheduler.output.xlsx import header, put, set_widths

MARKERS = ["o", "s", "^", "D", "v", "P"]
LINE_STYLES = ["-", "--", ":", "-."]  # plans with equal weeks still show as separate lines
MAX_WEEK_LABELS = 16
PAGE_CSS = CSS + """
table.compare td:first-child{max-width:34em}
table.compare th{text-align:center} table.compare td.num{white-space:nowrap}
table.compare tr.section td{background:#f2f2f2;font-weight:bold;padding-top:.6em}
table.compare td.sub{padding-left:1.6em;color:#444}
table.compare td.best{font-weight:bold;background:#e6f4ea}
table.compare td.wrap{white-space:normal;font-size:.9em;max-width:22em;text-align:left}
"""


# --- chart ----------------------------------------------------------------------------------


def weekly_chart_svg(comparison: Comparison) -> bytes:
    """Visits per week, one line per plan, as SVG bytes (stable ids: same plans, same SVG)."""
    text = text_for(comparison.lang)
    style: Any = STYLE  # matplotlib's stubs want literal rc keys; STYLE is a plain dict
    with rc_context(style):
        fig = Figure(figsize=(10, 3.6))
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        for i, (label, figs) in enumerate(zip(comparison.labels, comparison.figures, strict=True)):
            weeks = sorted(figs.weekly_visits)
            xs = [float(mdates.date2num(w)) for w in weeks]
            ax.plot(xs, [figs.weekly_visits[w] for w in weeks], label=label,
                    color=TEAM_COLOURS[i % len(TEAM_COLOURS)], marker=MARKERS[i % len(MARKERS)],
                    linestyle=LINE_STYLES[i % len(LINE_STYLES)], linewidth=2.0,
                    markersize=7 - i % 3, alpha=0.9)
        week_ticks(ax, comparison)
        ax.set_xlabel(text["week"])
        ax.set_ylabel(text["visits"])
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(bottom=0)
        ax.grid(True, color="#dddddd", linewidth=0.6)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        fig.autofmt_xdate(rotation=30)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def week_ticks(ax: Axes, comparison: Comparison) -> None:
    """A tick on each week's Monday (every n-th when there are many), labelled dd/mm/yyyy."""
    weeks = sorted({w for figs in comparison.figures for w in figs.weekly_visits})
    step = max(1, -(-len(weeks) // MAX_WEEK_LABELS))
    shown = weeks[::step]
    ax.set_xticks([float(mdates.date2num(w)) for w in shown],
                  [format_vn(w) for w in shown])


# --- HTML -----------------------------------------------------------------------------------


def comparison_html(comparison: Comparison, chart_svg: bytes | None = None) -> str:
    """The whole page: title, the table with the best values marked, the weekly chart."""
    text = text_for(comparison.lang)
    svg = chart_svg if chart_svg is not None else weekly_chart_svg(comparison)
    title = text["title"]
    body = [
        f"<h1>{escape(title)}</h1>",
        f"<p class='muted'>{escape(' · '.join(comparison.labels))}</p>",
        html_table(comparison),
        f"<p class='muted'>{escape(text['best_note'])}</p>",
        f"<h2>{escape(text['chart'])}</h2>",
        f"<div class='chart'>{inline_svg(svg)}</div>",
    ]
    return (f"<!DOCTYPE html>\n<html lang='{comparison.lang}'>\n<head>\n<meta charset='utf-8'>\n"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>\n"
            f"<title>{escape(title)}</title>\n<style>{PAGE_CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def html_table(comparison: Comparison) -> str:
    text = text_for(comparison.lang)
    head = "".join(f"<th>{escape(h)}</th>" for h in [text["figure"], *comparison.labels])
    lines = [f"<table class='compare'>\n<thead><tr>{head}</tr></thead>\n<tbody>"]
    section = ""
    span = len(comparison.labels) + 1
    for row in comparison.rows:
        if row.section != section:
            section = row.section
            title = escape(text["section." + section])
            lines.append(f"<tr class='section'><td colspan='{span}'>{title}</td></tr>")
        lines.append(html_row(row))
    lines.append("</tbody>\n</table>")
    return "\n".join(lines)


def html_row(row: Row) -> str:
    best = best_columns(row)
    sub = " class='sub'" if row.label.startswith(" ") else ""
    cells = [f"<td{sub}>{escape(row.label.strip())}</td>"]
    for i, value in enumerate(row.values):
        css = "wrap" if row.key == "left_out_which" else "num"
        if i in best:
            css += " best"
        cells.append(f"<td class='{css}'>{escape(cell_text(value))}</td>")
    return f"<tr>{''.join(cells)}</tr>"


# --- workbook -------------------------------------------------------------------------------


def comparison_workbook(comparison: Comparison) -> bytes:
    """One sheet: the figures down, the plans across, header frozen; dates real Excel dates."""
    text = text_for(comparison.lang)
    wb = Workbook()
    wb.properties.creator = "kiemtra"
    ws = wb.active
    ws.title = text["title"][:31]
    header(ws, 1, [text["figure"], *comparison.labels])
    r, section = 1, ""
    for row in comparison.rows:
        r += 1
        if row.section != section:
            section = row.section
            put(ws, r, 1, text["section." + section], bold=True)
            r += 1
        put(ws, r, 1, row.label)
        best = best_columns(row)
        for c, value in enumerate(row.values):
            put(ws, r, c + 2, xlsx_value(value), wrap=row.key == "left_out_which")
            if c in best:
                ws.cell(row=r, column=c + 2).font = Font(bold=True)
    ws.freeze_panes = "B2"
    set_widths(ws, [62, *[max(18, len(label) + 4) for label in comparison.labels]])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_value(value: object) -> object:
    """Numbers and dates stay typed (Excel can sum and sort them); absent values show a dash."""
    if value is None:
        return cell_text(None)
    if isinstance(value, date | int | float | str):
        return value
    return str(value)

