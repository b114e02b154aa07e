"""The team and member Gantt views: one panel per month, stacked in one tall figure.

A panel per month keeps every image at a printable width (31 days × ``DAY_IN``, about 11-12 in)
whatever the campaign's length; a month prints on an A4 landscape page (``page``: the PDF lays
each month out on the page itself). Each lane shows its
bars with the unit's short label above them (packed into rows so none overlaps); the visits of
one route (same team, days and lead) are one bar, stacked a slice per visit and labelled with the
count and the units. Report deadlines are small ticks in a strip under each team lane, named on
hover in the SVG (and in the report's tables), so that no line crosses the lanes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from models.calendar import format_vn
from models.scenario import Form, Member, expand_dates
from models.schedule import VisitState
from scheduler.output.gantt_page import LEGEND_ROW_IN, Frame, legend_layout, shrink_text
from scheduler.output.gantt_parts import (
    DAY_IN,
    DEADLINE_COLOUR,
    HOLIDAY_COLOUR,
    LABEL_PT,
    MONTH_DAYS,
    STATE_COLOURS,
    TEXT_PT,
    UNAVAILABLE_COLOUR,
    WEEKEND_COLOUR,
    Bar,
    Tooltips,
    bars_in_month,
    day_axis,
    draw_markers,
    label_extent,
    left_margin_in,
    member_title,
    month_days,
    month_title,
    pack_rows,
    shade_days_off,
    spans,
    team_colours,
    visit_tooltip,
    x0,
)
from scheduler.output.labels import labels
from scheduler.output.view import PlanView, Visit

ROW_H, BAR_H, DUE_H, GAP_H = 0.5, 0.7, 0.45, 0.4  # lane parts, in y units
# A member lane is a thin bar without labels: the units are named once, in its team's header
# lane above (the members of a team visit the same units), so 18 members fit a page.
MEMBER_BAR_H, MEMBER_GAP_H, HEADER_GAP_H = 0.5, 0.15, 0.15
INCH_PER_Y = 0.36  # a label row (ROW_H) is 13 pt: room for 10-pt text
TITLE_IN, HEAD_IN, AXIS_IN, RIGHT_IN = 0.5, 0.6, 0.5, 0.45


@dataclass(frozen=True)
class Lane:
    """A team, sub-team or member lane of one month: label rows, bars, then the deadline strip."""

    title: str
    bars: list[Bar]
    label_rows: list[int]  # row of each bar's label (0 = nearest the bar)
    dues: list[tuple[date, list[Visit]]]  # report deadlines in the month, with their visits
    top: float = 0.0
    member: Member | None = None  # a member lane: a thin bar, no labels
    header: bool = False  # a team's header in the member view: labels only, no bar

    @property
    def rows(self) -> int:
        return max(self.label_rows, default=-1) + 1

    @property
    def bar_top(self) -> float:
        return self.top + self.rows * ROW_H

    @property
    def bar_h(self) -> float:
        return 0.0 if self.header else MEMBER_BAR_H if self.member else BAR_H

    @property
    def height(self) -> float:
        if self.header:
            return self.rows * ROW_H + HEADER_GAP_H
        gap = MEMBER_GAP_H if self.member else GAP_H
        return self.rows * ROW_H + self.bar_h + (DUE_H if self.dues else 0.0) + gap


@dataclass(frozen=True)
class Panel:
    month: tuple[int, int]
    lanes: list[Lane]

    @property
    def height(self) -> float:
        return sum(lane.height for lane in self.lanes) or 1.0


def make_lane(title: str, bars: list[Bar], month: tuple[int, int],
              dues: list[tuple[date, list[Visit]]]) -> Lane:
    return Lane(title, bars, pack_rows([label_extent(b, month) for b in bars]), dues)


def stack(lanes: list[Lane]) -> list[Lane]:
    top, stacked = 0.0, []
    for lane in lanes:
        stacked.append(replace(lane, top=top))
        top += lane.height
    return stacked


def deadlines_in(visits: list[Visit], month: tuple[int, int]) -> list[tuple[date, list[Visit]]]:
    by_day: dict[date, list[Visit]] = {}
    for v in visits:
        due = v.assignment.report_due
        if due is not None and (due.year, due.month) == month:
            by_day.setdefault(due, []).append(v)
    return sorted(by_day.items())


# --- the figure: panels stacked down the page ---------------------------------------------


def panel_figure(panels: list[Panel], titles: list[str], lang: str, title: str | None,
                 handles: list[Patch | Line2D], page: tuple[float, float] | None = None,
                 ) -> tuple[Figure, list[Axes], Frame]:
    """An empty figure with an axes per panel, each a month wide at ``DAY_IN`` per day; on
    ``page`` (inches) when given, else at the layout's own size.

    Without ``title`` (a page that titles its own sections) neither the figure nor its months
    are titled: only the legend stays.
    """
    left = left_margin_in(titles)
    width = left + MONTH_DAYS * DAY_IN + RIGHT_IN
    rows, columns = legend_layout([str(h.get_label()) for h in handles], width)
    legend_in = rows * LEGEND_ROW_IN + 0.15
    top_in = (TITLE_IN if title else 0.0) + legend_in
    heights = [HEAD_IN + p.height * INCH_PER_Y + AXIS_IN for p in panels]
    height = top_in + sum(heights)
    frame = Frame(width, height, page)
    fig = Figure(figsize=frame.size)
    if title:
        fig.suptitle(title, fontsize=12, x=frame.fx(0.1), y=frame.fy(height - 0.12), ha="left",
                     va="top")
    fig.legend(handles=handles, loc="upper left",
               bbox_to_anchor=(frame.fx(0.1), frame.fy(height - (top_in - legend_in + 0.05))),
               ncol=columns, fontsize=TEXT_PT, frameon=False)
    axes, top = [], height - top_in
    for panel, panel_h in zip(panels, heights, strict=True):
        axes_h = panel.height * INCH_PER_Y
        days = len(month_days(panel.month))
        ax = fig.add_axes((frame.fx(left), frame.fy(top - HEAD_IN - axes_h),
                           frame.fw(days * DAY_IN), frame.fh(axes_h)))
        if title:
            ax.annotate(month_title(panel.month, lang), (frame.fx(0.1), 1.0),
                        xycoords=("figure fraction", "axes fraction"), xytext=(0, 16),
                        textcoords="offset points", fontsize=11, fontweight="bold", va="bottom")
        axes.append(ax)
        top -= panel_h
    return fig, axes, frame


def start_panel(ax: Axes, plan: PlanView, panel: Panel, lang: str) -> None:
    days = month_days(panel.month)
    shade_days_off(ax, plan, days[0], days[-1])
    day_axis(ax, panel.month, lang)
    draw_markers(ax, plan, lang, panel.month)


def finish_lanes(ax: Axes, panel: Panel) -> None:
    ax.set_ylim(panel.height, 0)
    ax.set_yticks([lane.top + lane.height / 2 if lane.header else lane.bar_top + lane.bar_h / 2
                   for lane in panel.lanes])
    ax.set_yticklabels([lane.title for lane in panel.lanes], fontsize=TEXT_PT)
    for tick, lane in zip(ax.get_yticklabels(), panel.lanes, strict=True):
        if lane.header:
            tick.set_fontweight("bold")
    for lane in panel.lanes[1:]:
        heavy = lane.header
        ax.axhline(lane.top, color="#444444" if heavy else "#888888", lw=1.0 if heavy else 0.6, zorder=1)
    ax.tick_params(axis="y", length=0)


def draw_bar(ax: Axes, bar: Bar, y: float, colour: Callable[[Visit], str], lead_lw: float,
             tips: Tooltips, lang: str, height: float = BAR_H) -> None:
    """A slice per visit stacked in the bar's height: a route's visits all stay visible."""
    share = height / len(bar.visits)
    for i, v in enumerate(bar.visits):
        days = [d for d in bar.days if d in v.days]
        surprise = v.assignment.form is Form.SURPRISE
        drawn = ax.broken_barh([(x0(d), 1) for d in days], (y + i * share, share),
                               facecolors=colour(v), edgecolor="#222222", lw=lead_lw,
                               hatch="////" if surprise else None, zorder=2)
        drawn.set_gid(tips.add(visit_tooltip(v, lang)))


def draw_labels(ax: Axes, lane: Lane, month: tuple[int, int]) -> None:
    for bar, row in zip(lane.bars, lane.label_rows, strict=True):
        left, _ = label_extent(bar, month)
        label_y = lane.bar_top - (row + 0.5) * ROW_H
        ax.text(left + 0.05, label_y, bar.label, fontsize=LABEL_PT, va="center", ha="left",
                zorder=4, clip_on=True)
        if row:  # a thin leader from a raised label down to its bar
            lead_x = x0(bar.days[0]) + 0.08
            ax.plot([lead_x, lead_x], [label_y + ROW_H * 0.35, lane.bar_top], color="#aaaaaa",
                    lw=0.4, zorder=1)


def draw_deadlines(ax: Axes, lane: Lane, tips: Tooltips, lang: str) -> None:
    """A small tick per report deadline in the strip under the bars; the count when several."""
    text = labels(lang)
    y = lane.bar_top + BAR_H + DUE_H * 0.5
    if lane.dues:  # a faint band sets the strip apart from the bars above it
        ax.axhspan(y - DUE_H * 0.4, y + DUE_H * 0.4, color=DEADLINE_COLOUR, alpha=0.06, lw=0,
                   zorder=0.6)
    for due, visits in lane.dues:
        names = "; ".join(v.unit.label for v in visits)
        (tick,) = ax.plot([x0(due) + 0.5], [y], marker="v", ms=4.5, color=DEADLINE_COLOUR,
                          ls="none", zorder=3)
        tick.set_gid(tips.add(f"{text['report_due']} {format_vn(due)}: {names}"))
        if len(visits) > 1:
            ax.text(x0(due) + 0.68, y, str(len(visits)), fontsize=TEXT_PT - 1, color=DEADLINE_COLOUR,
                    va="center", ha="left", zorder=3)


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


def team_panel(plan: PlanView, lang: str, month: tuple[int, int]) -> Panel:
    lanes = []
    for title, team_id, lane in lane_keys(plan, lang):
        visits = [v for v in plan.team_visits(team_id) if v.lane == lane]
        bars = bars_in_month(visits, month, key=lambda v: v.route_key)
        lanes.append(make_lane(title, bars, month, deadlines_in(visits, month)))
    return Panel(month, stack(lanes))


def team_figure(plan: PlanView, lang: str, months: list[tuple[int, int]], tips: Tooltips,
                titled: bool = True, page: tuple[float, float] | None = None) -> Figure:
    text = labels(lang)
    panels = [team_panel(plan, lang, m) for m in months]
    title = f"{text['gantt_team_title']} – {plan.scenario.campaign.name}" if titled else None
    fig, axes, frame = panel_figure(panels, [t for t, _, _ in lane_keys(plan, lang)], lang, title,
                                    team_legend(plan, lang), page)
    for panel, ax in zip(panels, axes, strict=True):
        start_panel(ax, plan, panel, lang)
        for lane in panel.lanes:
            for bar in lane.bars:
                draw_bar(ax, bar, lane.bar_top,
                         lambda v: STATE_COLOURS.get(v.assignment.state, "#888888"), 0.5, tips,
                         lang)
            draw_labels(ax, lane, panel.month)
            draw_deadlines(ax, lane, tips, lang)
        finish_lanes(ax, panel)
    shrink_text(fig, frame.scale)
    return fig


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
        Line2D([], [], color=DEADLINE_COLOUR, marker="v", ls="none", label=text["report_due_mark"]),
        Patch(facecolor="white", edgecolor="white", label=text["route_legend"]),
        *days_off_handles(lang),
    ]
    return handles


def days_off_handles(lang: str) -> list[Patch | Line2D]:
    text = labels(lang)
    return [Patch(facecolor=WEEKEND_COLOUR, label=text["weekend"]),
            Patch(facecolor=HOLIDAY_COLOUR, label=text["holiday"])]


# --- member view --------------------------------------------------------------------------


def member_panel(plan: PlanView, month: tuple[int, int]) -> Panel:
    """Per team, a header lane naming its visits of the month, then a thin lane per member."""
    lanes = []
    for team in plan.scenario.teams:
        visits = plan.team_visits(team.id)
        bars = bars_in_month(visits, month, key=lambda v: v.route_key)
        header = make_lane(team.name, bars, month, [])
        lanes.append(replace(header, header=True))
        for member in plan.scenario.team_members(team.id):
            bars = bars_in_month(plan.member_visits(member.id), month, key=lambda v: (v.start, v.end))
            lanes.append(Lane(member_title(member), bars, [], [], member=member))
    return Panel(month, stack(lanes))


def member_figure(plan: PlanView, lang: str, months: list[tuple[int, int]], tips: Tooltips,
                  titled: bool = True, page: tuple[float, float] | None = None) -> Figure:
    text = labels(lang)
    panels = [member_panel(plan, m) for m in months]
    colours = team_colours(plan)
    title = f"{text['gantt_member_title']} – {plan.scenario.campaign.name}" if titled else None
    fig, axes, frame = panel_figure(panels, [member_title(m) for m in plan.scenario.members], lang,
                                    title, member_legend(plan, lang, colours), page)
    for panel, ax in zip(panels, axes, strict=True):
        start_panel(ax, plan, panel, lang)
        for lane in panel.lanes:
            if lane.member is None:
                draw_labels(ax, lane, panel.month)
                continue
            draw_member_lane(ax, lane, lane.member, colours, tips, lang)
        finish_lanes(ax, panel)
        ax.annotate("Σ", (1.0, 1.0), xycoords="axes fraction", xytext=(4, 3),
                    textcoords="offset points", fontsize=TEXT_PT, fontweight="bold")
    shrink_text(fig, frame.scale)
    return fig


def draw_member_lane(ax: Axes, lane: Lane, member: Member, colours: dict[str, str], tips: Tooltips,
                     lang: str) -> None:
    """Days away hatched, a bar per visit (framed when the member leads it), the month's load."""
    draw_unavailable(ax, lane, sorted(expand_dates(member.unavailable)))
    for bar in lane.bars:
        leads = bar.first.lead.id == member.id
        draw_bar(ax, bar, lane.bar_top, lambda v: colours[v.team.id], 1.4 if leads else 0.4, tips,
                 lang, lane.bar_h)
    load = sum(len(b.days) for b in lane.bars)
    ax.annotate(str(load), (1.0, lane.bar_top + lane.bar_h / 2), xycoords=("axes fraction", "data"),
                xytext=(4, 0), textcoords="offset points", va="center", fontsize=TEXT_PT)


def draw_unavailable(ax: Axes, lane: Lane, away: list[date]) -> None:
    """Days away hatched across the lane (the axes clip them to the month)."""
    for a, b in spans(away):
        ax.broken_barh([(x0(a), (b - a).days + 1)], (lane.top + 0.05, lane.height - 0.1),
                       facecolors="none", edgecolor=UNAVAILABLE_COLOUR, hatch="xxxx", lw=0,
                       zorder=1)


def member_legend(plan: PlanView, lang: str, colours: dict[str, str]) -> list[Patch | Line2D]:
    text = labels(lang)
    handles: list[Patch | Line2D] = [Patch(facecolor=colours[t.id], edgecolor="#111111",
                                           label=t.name) for t in plan.scenario.teams]
    handles += [
        Patch(facecolor="white", edgecolor="#111111", lw=1.4, label=text["lead_visit"]),
        Patch(facecolor="white", edgecolor=UNAVAILABLE_COLOUR, hatch="xxxx",
              label=text["unavailable"]),
        *days_off_handles(lang),
    ]
    return handles
