"""Gantt charts of a schedule (matplotlib, Agg; never solves).

Three views: ``team`` (a lane per team and sub-team, a bar per visit with the unit's short label,
weekends and holidays shaded, quarter boundaries, team formation and report deadlines marked),
``member`` (a lane per member with visits and unavailable days) and ``load`` (visit days per
team and per member per month). Figures are built with ``matplotlib.figure.Figure`` on an Agg
canvas, so no global pyplot state or GUI backend is involved; DejaVu Sans carries the Vietnamese
glyphs.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from matplotlib import dates as mdates
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from models.calendar import format_vn, quarter_bounds
from models.scenario import Form, Member, Scenario, expand_dates
from models.schedule import Schedule, VisitState
from scheduler.output.labels import labels
from scheduler.output.view import PlanView, Visit, build_view

VIEWS = ("team", "member", "load")
FORMATS = ("png", "svg")
STYLE = {
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
LABEL_PT = 7.0
ROW_H, BAR_H, DUE_H, GAP_H = 0.5, 0.7, 0.3, 0.45  # lane parts, in y units
INCH_PER_Y = 0.32
FORMATION_REACH_DAYS = 21


@dataclass(frozen=True)
class Lane:
    """A team (or sub-team) lane: label rows above the bars, deadline rows below them."""

    title: str
    visits: list[Visit]
    label_rows: list[int]  # row of each visit's label (0 = nearest the bar)
    due_rows: list[int]  # row of each visit's report-deadline line (0 = nearest the bar)
    top: float = 0.0

    @property
    def rows(self) -> int:
        return max(self.label_rows, default=-1) + 1

    @property
    def height(self) -> float:
        return self.rows * ROW_H + BAR_H + self.due_height + GAP_H

    @property
    def due_height(self) -> float:
        return (max(self.due_rows, default=-1) + 1) * DUE_H

    @property
    def bar_top(self) -> float:
        return self.top + self.rows * ROW_H


# --- public API ---------------------------------------------------------------------------


def gantt_figure(scenario: Scenario, schedule: Schedule, view: str = "team",
                 lang: str = "vi") -> Figure:
    """The chart of ``view`` ("team", "member" or "load") as a matplotlib Figure."""
    return view_figure(build_view(scenario, schedule), view, lang)


def render_gantt(scenario: Scenario, schedule: Schedule, view: str = "team", fmt: str = "png",
                 lang: str = "vi") -> bytes:
    """The chart of ``view`` as PNG or SVG bytes."""
    return render_view(build_view(scenario, schedule), view, fmt, lang)


def render_view(plan: PlanView, view: str, fmt: str, lang: str = "vi") -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}; use one of: {', '.join(FORMATS)}")
    with rc_context(STYLE):
        fig = view_figure(plan, view, lang)
        buffer = io.BytesIO()
        metadata = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buffer, format=fmt, dpi=110, metadata=metadata)
    return buffer.getvalue()


def view_figure(plan: PlanView, view: str, lang: str = "vi") -> Figure:
    builders = {"team": team_figure, "member": member_figure, "load": load_figure}
    if view not in builders:
        raise ValueError(f"unknown chart view {view!r}; use one of: {', '.join(VIEWS)}")
    with rc_context(STYLE):
        fig = builders[view](plan, lang)
    FigureCanvasAgg(fig)  # the Agg canvas, whatever pyplot's backend: no display needed
    return fig


# --- shared geometry ----------------------------------------------------------------------


def date_range(plan: PlanView) -> tuple[date, date]:
    """Days the timeline shows: the visits, their report deadlines and team formation, padded."""
    horizon = plan.scenario.campaign.horizon
    days = [d for v in plan.visits for d in (v.start, v.end)]
    days += [v.assignment.report_due for v in plan.visits if v.assignment.report_due]
    if not days:
        return horizon.start, horizon.end
    # Team formation is marked when it is near the first visit; a team formed months earlier
    # would only squeeze the visits into a corner of the chart.
    near = min(days) - timedelta(days=FORMATION_REACH_DAYS)
    days += [t.formed_on for t in plan.scenario.teams if near <= t.formed_on]
    return min(days) - timedelta(days=2), max(days) + timedelta(days=3)


def figure_width(first: date, last: date) -> float:
    return min(48.0, max(12.0, (last - first).days * 0.3))


def left_margin_in(titles: list[str]) -> float:
    return 0.3 + 0.075 * max((len(t) for t in titles), default=10)


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


def date_axis(ax: Axes, first: date, last: date) -> None:
    span = (last - first).days
    if span <= 120:
        ax.xaxis.set_major_locator(mdates.WeekdayLocator(byweekday=mdates.MO))
        ax.xaxis.set_minor_locator(mdates.DayLocator())
    else:
        ax.xaxis.set_major_locator(mdates.WeekdayLocator(byweekday=mdates.MO, interval=2))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d/%m"))
    ax.set_xlim(x0(first), x0(last + timedelta(days=1)))
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", which="major", color="#bbbbbb", lw=0.4, zorder=0.5)


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


def draw_markers(ax: Axes, plan: PlanView, lang: str, first: date, last: date) -> None:
    span = max(1, (last - first).days)
    previous: date | None = None
    level = 0
    for day, names in event_markers(plan, lang, first, last).items():
        ax.axvline(x0(day), color="#333333", lw=1.0, ls="--", zorder=3)
        close = previous is not None and (day - previous).days < span * 0.2
        level = level + 1 if close else 0
        previous = day
        right_half = (day - first).days > span / 2
        ax.annotate(f"{' · '.join(names)} ({format_vn(day)})", (x0(day), 1.0),
                    xycoords=("data", "axes fraction"), xytext=(-2 if right_half else 2,
                                                                 3 + 10 * level),
                    textcoords="offset points", fontsize=7, color="#333333", va="bottom",
                    ha="right" if right_half else "left")


# --- team view ----------------------------------------------------------------------------


def lane_keys(plan: PlanView, lang: str) -> list[tuple[str, str, int]]:
    """(title, team id, lane) of every lane: one per team, or one per sub-team."""
    text = labels(lang)
    keys = []
    for team in plan.scenario.teams:
        count = plan.lanes.get(team.id, 1)
        for lane in range(count):
            title = team.name if count == 1 else f"{team.name} – {text['subteam']} {lane + 1}"
            keys.append((title, team.id, lane))
    return keys


def team_lanes(plan: PlanView, lang: str, days_per_inch: float) -> list[Lane]:
    lanes: list[Lane] = []
    for title, team_id, lane in lane_keys(plan, lang):
        visits = [v for v in plan.team_visits(team_id) if v.lane == lane]
        lanes.append(Lane(title, visits, pack_labels(visits, days_per_inch), pack_deadlines(visits)))
    return stack(lanes)


def label_days(label: str, days_per_inch: float) -> float:
    """Width of a label on the date axis, in days."""
    return len(label) * LABEL_PT * 0.62 / 72 * days_per_inch + 1.0


def label_end(visit: Visit, days_per_inch: float) -> date:
    """Last day a visit's label reaches, so that the axis can make room for it."""
    return visit.start + timedelta(days=int(label_days(visit.unit.label, days_per_inch)) + 1)


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


def pack_labels(visits: list[Visit], days_per_inch: float) -> list[int]:
    return pack_rows([(x0(v.start), x0(v.start) + max(label_days(v.unit.label, days_per_inch),
                                                       len(v.days))) for v in visits])


def pack_deadlines(visits: list[Visit]) -> list[int]:
    """Rows for the deadline-to-visit lines, so each line leads to its own bar unambiguously."""
    planned = [v for v in visits if v.assignment.report_due is not None]
    rows = iter(pack_rows([(x0(v.assignment.report_due), x0(v.start) + 0.5)  # type: ignore[arg-type]
                           for v in planned]))
    return [next(rows) if v.assignment.report_due is not None else -1 for v in visits]


def stack(lanes: list[Lane]) -> list[Lane]:
    top = 0.0
    stacked = []
    for lane in lanes:
        stacked.append(Lane(lane.title, lane.visits, lane.label_rows, lane.due_rows, top))
        top += lane.height
    return stacked


def team_figure(plan: PlanView, lang: str) -> Figure:
    text = labels(lang)
    first, last = date_range(plan)
    left = left_margin_in([title for title, _, _ in lane_keys(plan, lang)])
    days_per_inch = ((last - first).days + 1) / (figure_width(first, last) - left - 0.4)
    last = max([last, *(label_end(v, days_per_inch) for v in plan.visits)])
    width = figure_width(first, last)
    days_per_inch = ((last - first).days + 1) / (width - left - 0.4)
    lanes = team_lanes(plan, lang, days_per_inch)
    total = sum(lane.height for lane in lanes) or 1.0
    fig = Figure(figsize=(width, total * INCH_PER_Y + 1.6))
    fig.subplots_adjust(left=left / width, right=1 - 0.4 / width,
                        top=1 - 0.8 / fig.get_figheight(), bottom=0.6 / fig.get_figheight())
    ax = fig.add_subplot()
    shade_days_off(ax, plan, first, last)
    for lane in lanes:
        draw_team_lane(ax, lane)
    finish_lanes(ax, lanes, total)
    date_axis(ax, first, last)
    draw_markers(ax, plan, lang, first, last)
    fig.suptitle(f"{text['gantt_team_title']} – {plan.scenario.campaign.name}", fontsize=11,
                 x=0.01, ha="left")
    ax.legend(handles=team_legend(plan, lang), loc="upper left",
              bbox_to_anchor=(0, -0.22 / (total * INCH_PER_Y)),
              ncol=6, fontsize=7, frameon=False)
    return fig


def draw_team_lane(ax: Axes, lane: Lane) -> None:
    bar_y = lane.bar_top
    for visit, row, due_row in zip(lane.visits, lane.label_rows, lane.due_rows, strict=True):
        a = visit.assignment
        ax.broken_barh([(x0(d), 1) for d in visit.days], (bar_y, BAR_H),
                       facecolors=STATE_COLOURS.get(a.state, "#888888"), edgecolor="#222222",
                       lw=0.5, hatch="////" if a.form is Form.SURPRISE else None, zorder=2)
        label_y = bar_y - (row + 0.5) * ROW_H
        ax.text(x0(a.start), label_y, visit.unit.label, fontsize=LABEL_PT, va="center",
                ha="left", zorder=4, clip_on=True)
        if row:
            ax.plot([x0(a.start)] * 2, [label_y + ROW_H * 0.35, bar_y], color="#999999",
                    lw=0.4, zorder=1)
        if a.report_due is not None:
            draw_deadline(ax, a.report_due, a.start, bar_y + BAR_H + (due_row + 0.5) * DUE_H,
                          bar_y + BAR_H)


def draw_deadline(ax: Axes, due: date, start: date, y: float, bar_bottom: float) -> None:
    """A marker on the report deadline, a line to the visit, and a tick up to its bar."""
    due_x, start_x = x0(due) + 0.5, x0(start) + 0.5
    ax.plot([due_x, start_x, start_x], [y, y, bar_bottom], color=DEADLINE_COLOUR, lw=0.6,
            ls=":", zorder=2)
    ax.plot([due_x], [y], marker="v", ms=4, color=DEADLINE_COLOUR, zorder=3)


def finish_lanes(ax: Axes, lanes: list[Lane], total: float) -> None:
    ax.set_ylim(total, 0)
    ax.set_yticks([lane.bar_top + BAR_H / 2 for lane in lanes])
    ax.set_yticklabels([lane.title for lane in lanes], fontsize=8)
    for lane in lanes[1:]:
        ax.axhline(lane.top, color="#888888", lw=0.6, zorder=1)
    ax.tick_params(axis="y", length=0)


def team_legend(plan: PlanView, lang: str) -> list[Patch | Line2D]:
    text = labels(lang)
    states = sorted({v.assignment.state for v in plan.visits} | {VisitState.PLANNED},
                    key=list(VisitState).index)
    handles: list[Patch | Line2D] = [
        Patch(facecolor=STATE_COLOURS[s], edgecolor="#222222", label=text[f"state.{s.value}"])
        for s in states if s in STATE_COLOURS
    ]
    if any(v.assignment.form is Form.SURPRISE for v in plan.visits):
        handles.append(Patch(facecolor="white", edgecolor="#222222", hatch="////",
                             label=text["form.surprise"]))
    handles += [
        Line2D([], [], color=DEADLINE_COLOUR, marker="v", ls=":", lw=0.6,
               label=text["report_due_mark"]),
        Patch(facecolor=WEEKEND_COLOUR, label=text["weekend"]),
        Patch(facecolor=HOLIDAY_COLOUR, label=text["holiday"]),
    ]
    return handles


# --- member view --------------------------------------------------------------------------


def member_title(member: Member) -> str:
    label = member.label if len(member.label) <= 42 else member.label[:41] + "…"
    return f"{label} ({member.id})"


def member_figure(plan: PlanView, lang: str) -> Figure:
    text = labels(lang)
    first, last = date_range(plan)
    members = plan.scenario.members
    left = left_margin_in([member_title(m) for m in members])
    width = figure_width(first, last) + left
    fig = Figure(figsize=(width, len(members) * 0.34 + 2.0))
    fig.subplots_adjust(left=left / width, right=1 - 0.6 / width,
                        top=1 - 0.9 / fig.get_figheight(), bottom=0.9 / fig.get_figheight())
    ax = fig.add_subplot()
    shade_days_off(ax, plan, first, last)
    colours = team_colours(plan)
    for row, member in enumerate(members):
        draw_member_lane(ax, plan, member, row, colours, (first, last))
    ax.set_ylim(len(members) - 0.5, -0.5)
    ax.set_yticks(range(len(members)))
    ax.set_yticklabels([member_title(m) for m in members], fontsize=8)
    ax.tick_params(axis="y", length=0)
    team_breaks = [i for i in range(1, len(members)) if members[i].team != members[i - 1].team]
    for i in team_breaks:
        ax.axhline(i - 0.5, color="#666666", lw=0.8)
    date_axis(ax, first, last)
    draw_markers(ax, plan, lang, first, last)
    ax.annotate("Σ", (1.0, 0.0), xycoords="axes fraction", xytext=(4, -12),
                textcoords="offset points", fontsize=8, fontweight="bold")
    fig.suptitle(f"{text['gantt_member_title']} – {plan.scenario.campaign.name}", fontsize=11,
                 x=0.01, ha="left")
    ax.legend(handles=member_legend(plan, lang, colours), loc="upper left",
              bbox_to_anchor=(0, -0.08), ncol=6, fontsize=7, frameon=False)
    return fig


def team_colours(plan: PlanView) -> dict[str, str]:
    return {t.id: TEAM_COLOURS[i % len(TEAM_COLOURS)] for i, t in enumerate(plan.scenario.teams)}


def draw_member_lane(ax: Axes, plan: PlanView, member: Member, row: int,
                     colours: dict[str, str], shown: tuple[date, date]) -> None:
    first, last = shown
    away = [d for d in expand_dates(member.unavailable) if first <= d <= last]
    for a, b in spans(away):
        ax.broken_barh([(x0(a), (b - a).days + 1)], (row - 0.45, 0.9), facecolors="none",
                       edgecolor=UNAVAILABLE_COLOUR, hatch="xxxx", lw=0, zorder=1)
    visits = plan.member_visits(member.id)
    for v in visits:
        leads = v.lead.id == member.id
        ax.broken_barh([(x0(d), 1) for d in v.days], (row - 0.3, 0.6),
                       facecolors=colours[v.team.id], edgecolor="#111111",
                       lw=1.4 if leads else 0.4, zorder=2)
    load = sum(len(v.days) for v in visits)
    ax.annotate(str(load), (1.0, row), xycoords=("axes fraction", "data"), xytext=(4, 0),
                textcoords="offset points", va="center", fontsize=8)


def member_legend(plan: PlanView, lang: str, colours: dict[str, str]) -> list[Patch]:
    text = labels(lang)
    handles = [Patch(facecolor=colours[t.id], edgecolor="#111111", label=t.name)
               for t in plan.scenario.teams]
    handles += [
        Patch(facecolor="white", edgecolor="#111111", lw=1.4, label=text["lead_visit"]),
        Patch(facecolor="white", edgecolor=UNAVAILABLE_COLOUR, hatch="xxxx",
              label=text["unavailable"]),
        Patch(facecolor=WEEKEND_COLOUR, label=text["weekend"]),
        Patch(facecolor=HOLIDAY_COLOUR, label=text["holiday"]),
    ]
    return handles


# --- load view ----------------------------------------------------------------------------


def months_shown(plan: PlanView) -> list[tuple[int, int]]:
    days = [d for v in plan.visits for d in v.days]
    if not days:
        horizon = plan.scenario.campaign.horizon
        days = [horizon.start, horizon.end]
    first, last = min(days), max(days)
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def monthly_load(plan: PlanView) -> tuple[Counter[tuple[str, tuple[int, int]]],
                                           Counter[tuple[str, tuple[int, int]]]]:
    """Visit days per (team, month) and per (member, month)."""
    teams: Counter[tuple[str, tuple[int, int]]] = Counter()
    members: Counter[tuple[str, tuple[int, int]]] = Counter()
    for v in plan.visits:
        for d in v.days:
            teams[(v.team.id, (d.year, d.month))] += 1
            for m in v.members:
                members[(m.id, (d.year, d.month))] += 1
    return teams, members


def load_figure(plan: PlanView, lang: str) -> Figure:
    text = labels(lang)
    months = months_shown(plan)
    team_load, member_load = monthly_load(plan)
    members = plan.scenario.members
    height = 3.2 + len(members) * 0.3 + 1.2
    width = max(9.0, 3.5 + len(months) * 0.9)
    fig = Figure(figsize=(width, height))
    top_ax, bottom_ax = fig.subplots(2, 1, height_ratios=[3.2, len(members) * 0.3 + 0.4])
    fig.subplots_adjust(left=left_margin_in([member_title(m) for m in members]) / width,
                        right=0.97, hspace=0.35, top=1 - 0.7 / height, bottom=0.5 / height)
    month_names = [f"{m:02d}/{y}" for y, m in months]
    draw_team_load(top_ax, plan, months, month_names, team_load, text)
    draw_member_load(bottom_ax, plan, months, month_names, member_load, text)
    fig.suptitle(f"{text['gantt_load_title']} – {plan.scenario.campaign.name}", fontsize=11,
                 x=0.01, ha="left")
    return fig


def draw_team_load(ax: Axes, plan: PlanView, months: list[tuple[int, int]],
                   names: list[str], load: Counter, text: Mapping[str, str]) -> None:
    teams = plan.scenario.teams
    colours = team_colours(plan)
    width = 0.8 / max(1, len(teams))
    for i, team in enumerate(teams):
        xs = [j + (i - (len(teams) - 1) / 2) * width for j in range(len(months))]
        values = [load[(team.id, m)] for m in months]
        bars = ax.bar(xs, values, width=width, color=colours[team.id], label=team.name)
        ax.bar_label(bars, fontsize=7, padding=1)
    ax.set_xticks(range(len(months)))
    ax.set_xticklabels(names, fontsize=8)
    ax.set_ylabel(text["visit_days"], fontsize=8)
    ax.set_title(text["load_team"], fontsize=9, loc="left")
    ax.legend(fontsize=7, frameon=False)
    ax.margins(y=0.15)


def draw_member_load(ax: Axes, plan: PlanView, months: list[tuple[int, int]],
                     names: list[str], load: Counter, text: Mapping[str, str]) -> None:
    members = plan.scenario.members
    grid = [[load[(m.id, month)] for month in months] for m in members]
    grid = [[*row, sum(row)] for row in grid]  # a total column shows the balance at a glance
    peak = max((v for row in grid for v in row[:-1]), default=0)
    ax.imshow([[*row[:-1], 0] for row in grid], aspect="auto", cmap="Blues", vmin=0,
              vmax=max(1, peak) * 1.3)
    ax.axvline(len(months) - 0.5, color="#333333", lw=0.8)
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            ax.text(c, r, str(value), ha="center", va="center", fontsize=7,
                    color="#000000" if value else "#999999")
    ax.set_xticks(range(len(months) + 1))
    ax.set_xticklabels([*names, "Σ"], fontsize=8)
    ax.set_yticks(range(len(members)))
    ax.set_yticklabels([member_title(m) for m in members], fontsize=7)
    ax.set_title(text["load_member"], fontsize=9, loc="left")
