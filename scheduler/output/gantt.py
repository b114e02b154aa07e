"""Gantt charts of a schedule (matplotlib, Agg; never solves).

Three views: ``team`` (a lane per team and sub-team, a bar per visit or route labelled with the
units' short names, report deadlines as ticks under the lane), ``member`` (a lane per member, each
bar named, unavailable days hatched, visit days of the month at the right) and ``load`` (visit
days per team and per member per month). Team and member views are one tall image with a panel
per month (see ``gantt_lanes``), weekends and holidays shaded, quarter starts, team formation and
the commune rearrangement marked. In the SVG, hovering a bar or a deadline tick shows its units,
dates and lead (a <title> per element).

Figures are built with ``matplotlib.figure.Figure`` on an Agg canvas, so no global pyplot state or
GUI backend is involved; DejaVu Sans carries the Vietnamese glyphs.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from html import escape

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from models.scenario import Scenario
from models.schedule import Schedule
from scheduler.output.gantt_lanes import member_figure, team_figure
from scheduler.output.gantt_load import load_figure
from scheduler.output.gantt_parts import (
    DPI,
    HOLIDAY_COLOUR,
    STYLE,
    WEEKEND_COLOUR,
    Tooltips,
    panel_months,
)
from scheduler.output.view import PlanView, build_view

VIEWS = ("team", "member", "load")
MONTHLY_VIEWS = ("team", "member")
FORMATS = ("png", "svg")

__all__ = [
    "FORMATS",
    "HOLIDAY_COLOUR",
    "MONTHLY_VIEWS",
    "VIEWS",
    "WEEKEND_COLOUR",
    "Chart",
    "build_chart",
    "gantt_figure",
    "render_chart",
    "render_gantt",
    "render_months",
    "render_view",
]


@dataclass(frozen=True)
class Chart:
    figure: Figure
    tooltips: Tooltips


def gantt_figure(scenario: Scenario, schedule: Schedule, view: str = "team",
                 lang: str = "vi") -> Figure:
    """The chart of ``view`` ("team", "member" or "load") as a matplotlib Figure."""
    return build_chart(build_view(scenario, schedule), view, lang).figure


def render_gantt(scenario: Scenario, schedule: Schedule, view: str = "team", fmt: str = "png",
                 lang: str = "vi") -> bytes:
    """The chart of ``view`` as PNG or SVG bytes."""
    return render_view(build_view(scenario, schedule), view, fmt, lang)


def render_view(plan: PlanView, view: str, fmt: str, lang: str = "vi") -> bytes:
    """The chart of ``view``, every month's panel in one image."""
    return render_chart(build_chart(plan, view, lang), fmt)


def render_months(plan: PlanView, view: str, fmt: str, lang: str = "vi",
                  titled: bool = False) -> list[tuple[tuple[int, int], bytes]]:
    """The team or member chart a month at a time ((year, month), bytes): untitled for pages
    that show one month per titled section (the HTML report), titled for a file a month."""
    if view not in MONTHLY_VIEWS:
        raise ValueError(f"view {view!r} has no month panels; use one of: {', '.join(MONTHLY_VIEWS)}")
    return [(month, render_chart(build_chart(plan, view, lang, [month], titled=titled), fmt))
            for month in panel_months(plan)]


def build_chart(plan: PlanView, view: str, lang: str = "vi",
                months: list[tuple[int, int]] | None = None, titled: bool = True,
                page: tuple[float, float] | None = None) -> Chart:
    """The figure of ``view`` (team and member: the panels of ``months``, default all; without
    the figure's and the months' titles unless ``titled``; laid out on ``page`` inches, e.g.
    A4 landscape, when given)."""
    if view not in VIEWS:
        raise ValueError(f"unknown chart view {view!r}; use one of: {', '.join(VIEWS)}")
    shown = months if months is not None else panel_months(plan)
    tips = Tooltips(f"{view}-{shown[0][0]}-{shown[0][1]:02d}" if len(shown) == 1 else view)
    with rc_context(STYLE):
        if view == "team":
            fig = team_figure(plan, lang, shown, tips, titled, page)
        elif view == "member":
            fig = member_figure(plan, lang, shown, tips, titled, page)
        else:
            fig = load_figure(plan, lang)
    FigureCanvasAgg(fig)  # the Agg canvas, whatever pyplot's backend: no display needed
    return Chart(fig, tips)


def render_chart(chart: Chart, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}; use one of: {', '.join(FORMATS)}")
    with rc_context(STYLE):
        buffer = io.BytesIO()
        metadata = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
        chart.figure.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata)
    data = buffer.getvalue()
    return with_titles(data, chart.tooltips) if fmt == "svg" else data


def with_titles(svg: bytes, tips: Tooltips) -> bytes:
    """Put each tooltip as the <title> of the SVG group matplotlib wrote for its element."""
    text = svg.decode("utf-8")

    def titled(match: re.Match[str]) -> str:
        tip = tips.texts.get(match.group(1))
        return match.group(0) if tip is None else f"{match.group(0)}\n   <title>{escape(tip)}</title>"

    return re.sub(r'<g id="([^"]+)">', titled, text).encode("utf-8")
