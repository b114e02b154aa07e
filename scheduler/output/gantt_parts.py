"""Pieces every Gantt view shares: colours, the month panels' geometry, day shading, the day
axis, event markers, bars (a visit, or the visits of one route drawn as one) and their labels.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from matplotlib import dates as mdates
from matplotlib.axes import Axes

from models.calendar import format_vn, quarter_bounds
from models.scenario import Member
from models.schedule import VisitState
from scheduler.output.labels import labels
from scheduler.output.view import PlanView, Visit

STYLE: dict[Any, Any] = {  # Any keys: rc_context types its keys as literals
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],  # has Vietnamese diacritics; ships with matplotlib
    "svg.fonttype": "path",  # glyphs as outlines: the SVG renders without the font installed
    "svg.hashsalt": "kiemtra",  # stable element ids: same plan, same SVG
    "axes.titlesize": 11,
}
STATE_COLOURS = {
    VisitState.PLANNED: "#4C78A8",
    VisitState.ANNOUNCED: "#F58518",
    VisitState.DONE: "#54A24B",
}
TEAM_COLOURS = ["#4C78A8", "#E45756", "#72B7B2", "#B279A2", "#9D755D", "#EECA3B"]
WEEKEND_COLOUR = "#ececec"
HOLIDAY_COLOUR = "#fbd5b5"
UNAVAILABLE_COLOUR = "#e8a0a0"
DEADLINE_COLOUR = "#C0392B"
# Sized for paper: a month's panel is about 11-12 in wide, so it prints on A4 landscape (10.9 in
# between margins) at 90-100 %, and 10-pt text stays at least ~9 pt on paper. The 7-pt text of a
# 20-in panel printed at 4 pt and showed at 6-7 px in the report.
TEXT_PT = 10.0  # every chart text: labels, days, lanes, markers, legend
LABEL_PT = TEXT_PT
CHAR_EM = 0.62  # mean DejaVu Sans glyph width, in em: sizes a label before it is drawn
DAY_IN = 0.26  # a day's width: room for "31" and "T5" at 10 pt
MONTH_DAYS = 31  # every panel is laid out for the longest month, so days line up down the page
DPI = 150  # about 1,700 px wide: sharp on screen, fine on paper


@dataclass(frozen=True)
class Bar:
    """What one bar shows: a visit, or the visits of one route (same team, days and lead)."""

    visits: tuple[Visit, ...]
    days: tuple[date, ...]  # the days inside the panel's month

    @property
    def first(self) -> Visit:
        return self.visits[0]

    @property
    def label(self) -> str:
        """The unit's short name; for a route the count and the names, a shared first word
        said once ("3: Phường Ba Đình, Ngọc Hà, Giảng Võ") so that the label stays short."""
        names = [v.unit.label for v in self.visits]
        if len(names) == 1:
            return names[0]
        heads = {n.split(" ", 1)[0] for n in names}
        if len(heads) == 1 and all(" " in n for n in names):
            names = [names[0], *(n.split(" ", 1)[1] for n in names[1:])]
        return f"{len(names)}: {', '.join(names)}"


@dataclass
class Tooltips:
    """SVG <title> texts by element id: hovering a bar or a deadline tick names its units."""

    prefix: str
    texts: dict[str, str] = field(default_factory=dict)

    def add(self, text: str) -> str:
        gid = f"{self.prefix}-{len(self.texts) + 1}"
        self.texts[gid] = text
        return gid


# --- months -------------------------------------------------------------------------------


def month_days(month: tuple[int, int]) -> list[date]:
    year, number = month
    first = date(year, number, 1)
    following = date(year + number // 12, number % 12 + 1, 1)
    return [first + timedelta(days=i) for i in range((following - first).days)]


def panel_months(plan: PlanView) -> list[tuple[int, int]]:
    """The months from the first to the last visit day or report deadline (one panel each),
    less long empty stretches (see ``months_holding``)."""
    days = [d for v in plan.visits for d in v.days]
    days += [v.assignment.report_due for v in plan.visits if v.assignment.report_due]
    if not days:
        horizon = plan.scenario.campaign.horizon
        days = [horizon.start]
    return months_holding(days)


MAX_QUIET_MONTHS = 3  # an empty stretch this long is still drawn; a longer one is left out


def months_holding(days: list[date]) -> list[tuple[int, int]]:
    """The months holding one of ``days``, and the empty months between two of them when there
    are at most MAX_QUIET_MONTHS: a visit moved years away (to 2030) adds one panel, not sixty."""
    shown: list[tuple[int, int]] = []
    for month in sorted({(d.year, d.month) for d in days}):
        if shown:
            between = months_between(date(*shown[-1], 1), date(*month, 1))[1:-1]
            shown += between if len(between) <= MAX_QUIET_MONTHS else []
        shown.append(month)
    return shown


def months_between(first: date, last: date) -> list[tuple[int, int]]:
    """(year, month) of every month from ``first``'s to ``last``'s, both included."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_title(month: tuple[int, int], lang: str) -> str:
    return f"{labels(lang)['month']} {month[1]:02d}/{month[0]}"


# --- bars and labels ----------------------------------------------------------------------


def bars_in_month(visits: list[Visit], month: tuple[int, int],
                  key: Callable[[Visit], Hashable]) -> list[Bar]:
    """Visits with a day in ``month``, those with the same ``key`` drawn as one bar."""
    shown = set(month_days(month))
    groups: dict[Hashable, list[Visit]] = {}
    for v in visits:
        if shown.intersection(v.days):
            groups.setdefault(key(v), []).append(v)
    bars = []
    for group in groups.values():
        group.sort(key=lambda v: (v.start_time or "", v.unit.id))
        days = sorted({d for v in group for d in v.days if d in shown})
        bars.append(Bar(tuple(group), tuple(days)))
    return sorted(bars, key=lambda b: (b.days[0], b.first.unit.id))


def label_width_days(label: str) -> float:
    return len(label) * LABEL_PT * CHAR_EM / 72 / DAY_IN + 0.3


def label_extent(bar: Bar, month: tuple[int, int]) -> tuple[float, float]:
    """Where a bar's label sits (left, right): from the bar's first day, pulled back from the
    month's end so that it is never cut off."""
    width = label_width_days(bar.label)
    month_end = x0(month_days(month)[-1] + timedelta(days=1))
    left = max(x0(month_days(month)[0]), min(x0(bar.days[0]), month_end - width))
    return left, left + width


def pack_rows(extents: list[tuple[float, float]]) -> list[int]:
    """Greedy rows so that no two extents (left, right) in a row overlap: first row that fits."""
    row_ends: list[float] = []
    rows = []
    for left, right in extents:
        row = next((i for i, end in enumerate(row_ends) if end <= left), len(row_ends))
        if row == len(row_ends):
            row_ends.append(right)
        else:
            row_ends[row] = right
        rows.append(row)
    return rows


def visit_tooltip(v: Visit, lang: str) -> str:
    text = labels(lang)
    when = format_vn(v.start) if v.start == v.end else f"{format_vn(v.start)} – {format_vn(v.end)}"
    if v.start_time:
        when += f" {v.start_time}" + (f"–{v.end_time}" if v.end_time else "")
    parts = [v.unit.name, when, f"{text['lead_line']}: {v.lead.display_name}"]
    if v.assignment.report_due:
        parts.append(f"{text['report_due']}: {format_vn(v.assignment.report_due)}")
    return " · ".join(parts)


def bar_tooltip(bar: Bar, lang: str) -> str:
    return "\n".join(visit_tooltip(v, lang) for v in bar.visits)


# --- axes ---------------------------------------------------------------------------------


def x0(day: date) -> float:
    return float(mdates.date2num(day))


def spans(days: list[date]) -> Iterator[tuple[date, date]]:
    """Runs of consecutive days as (first, last) pairs."""
    run: list[date] = []
    for d in sorted(days):
        if run and d != run[-1] + timedelta(days=1):
            yield run[0], run[-1]
            run = []
        run.append(d)
    if run:
        yield run[0], run[-1]


def shade_days_off(ax: Axes, plan: PlanView, first: date, last: date) -> None:
    """Weekends grey, weekday holidays orange; worked Saturdays stay white."""
    off = [d for d in plan.cal.iter_days(first, last) if not plan.cal.is_working_day(d)]
    weekend = [d for d in off if d.weekday() >= 5]
    holiday = [d for d in off if d.weekday() < 5]
    for colour, days in ((WEEKEND_COLOUR, weekend), (HOLIDAY_COLOUR, holiday)):
        for a, b in spans(days):
            ax.axvspan(x0(a), x0(b + timedelta(days=1)), color=colour, zorder=0, lw=0)


def day_axis(ax: Axes, month: tuple[int, int], lang: str) -> None:
    """Every day of the month named by its number and weekday; Mondays start a darker line."""
    text = labels(lang)
    days = month_days(month)
    ax.set_xlim(x0(days[0]), x0(days[-1] + timedelta(days=1)))
    ax.set_xticks([x0(d) + 0.5 for d in days])
    ax.set_xticklabels([f"{d.day}\n{text[f'weekday_short.{d.weekday()}']}" for d in days],
                       fontsize=TEXT_PT)
    ax.tick_params(axis="x", length=0, pad=2)
    for d in days:
        monday = d.weekday() == 0
        ax.axvline(x0(d), color="#999999" if monday else "#dddddd", lw=0.6 if monday else 0.3,
                   zorder=0.5)


def event_markers(plan: PlanView, lang: str, first: date, last: date) -> dict[date, list[str]]:
    """Quarter starts, team formation and the commune rearrangement inside the shown range."""
    text = labels(lang)
    roman = {1: "I", 2: "II", 3: "III", 4: "IV"}
    marks: dict[date, list[str]] = {}
    for year in range(first.year, last.year + 1):
        for q in range(1, 5):
            start = quarter_bounds(year, q)[0]
            marks.setdefault(start, []).append(f"{text['quarter']} {roman[q]}")
    for team in plan.scenario.teams:
        marks.setdefault(team.formed_on, []).append(f"{text['formed']} {team.name}")
    rearrangement = plan.scenario.rules.commune_level_from
    if rearrangement is not None:
        marks.setdefault(rearrangement, []).append(text["rearrangement"])
    return {d: names for d, names in sorted(marks.items()) if first <= d <= last}


def draw_markers(ax: Axes, plan: PlanView, lang: str, month: tuple[int, int]) -> None:
    """Dashed lines for the month's events, named above the panel (staggered when close)."""
    days = month_days(month)
    previous: date | None = None
    level = 0
    for day, names in event_markers(plan, lang, days[0], days[-1]).items():
        ax.axvline(x0(day), color="#333333", lw=1.0, ls="--", zorder=3)
        level = level + 1 if previous is not None and (day - previous).days < 8 else 0
        previous = day
        right_half = day.day > 16
        ax.annotate(f"{' · '.join(names)} ({format_vn(day)})", (x0(day), 1.0),
                    xycoords=("data", "axes fraction"),
                    xytext=(-2 if right_half else 2, 3 + 13 * (level % 2)),
                    textcoords="offset points", fontsize=TEXT_PT, color="#333333", va="bottom",
                    ha="right" if right_half else "left")


def team_colours(plan: PlanView) -> dict[str, str]:
    return {t.id: TEAM_COLOURS[i % len(TEAM_COLOURS)] for i, t in enumerate(plan.scenario.teams)}


TITLE_CHARS = 26  # a lane title's label part: keeps the month's days most of the page width
NAMED_TITLE_CHARS = 36  # "Nguyễn Văn An (Giám đốc Sở Nội vụ)": the person and the agency


def member_title(member: Member) -> str:
    """The lane title: the label (role – agency), or the name and the agency when named, since
    a lane has room for ``TITLE_CHARS`` characters on paper."""
    shown = f"{member.name} ({member.label.split(' – ', 1)[-1]})" if member.name else member.label
    room = NAMED_TITLE_CHARS if member.name else TITLE_CHARS  # a name is worth a wider lane title
    label = shown if len(shown) <= room else shown[:room - 1] + "…"
    return f"{label} ({member.id})"


def left_margin_in(titles: list[str]) -> float:
    return 0.3 + TEXT_PT * CHAR_EM / 72 * max((len(t) for t in titles), default=10)
