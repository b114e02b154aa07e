"""Gantt charts on the Agg canvas: lanes, labels, deadlines, unavailability, Vietnamese glyphs."""

from __future__ import annotations

import struct
import warnings
from datetime import date
from xml.etree import ElementTree

import numpy
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.dates import num2date
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation, Text
from test_output_plans import build, communes_plan, hanoi_schedule, tiny_schedule

from conftest import make_scenario, tiny_scenario_data
from models.scenario import Scenario
from models.schedule import Schedule
from scheduler.output.gantt import (
    HOLIDAY_COLOUR,
    VIEWS,
    WEEKEND_COLOUR,
    build_chart,
    gantt_figure,
    render_chart,
    render_gantt,
    render_months,
)
from scheduler.output.view import build_view

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def all_text(fig: Figure) -> list[str]:
    texts = [t.get_text() for t in fig.findobj(Text) if isinstance(t, Text)]
    return [t for t in texts if t]


def glyph_warnings(scenario: Scenario, schedule: Schedule, view: str) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = render_gantt(scenario, schedule, view, "png")
    assert data.startswith(PNG_SIGNATURE)
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


@pytest.mark.parametrize("view", VIEWS)
def test_vietnamese_labels_render_without_missing_glyphs(view: str, hanoi) -> None:
    fig = gantt_figure(hanoi, hanoi_schedule(hanoi), view)
    assert isinstance(fig.canvas, FigureCanvasAgg)
    text = "\n".join(all_text(fig))
    assert "Đoàn kiểm tra số 1" in text
    assert glyph_warnings(hanoi, hanoi_schedule(hanoi), view) == []


def test_the_glyph_check_does_catch_a_missing_glyph() -> None:
    data = tiny_scenario_data()
    data["units"][0]["short_name"] = "漢 Sở Y tế"  # no CJK in DejaVu Sans
    scenario = make_scenario(data)
    assert glyph_warnings(scenario, tiny_schedule(scenario), "team")


def drawn_labels(fig: Figure) -> list[str]:
    """Bar labels of every panel (plain texts; event names are annotations, counts digits)."""
    return [t.get_text() for ax in fig.axes for t in ax.texts
            if not isinstance(t, Annotation) and not t.get_text().isdigit()]


def svg_titles(svg: bytes) -> list[str]:
    root = ElementTree.fromstring(svg)
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}title")]


def png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_team_view_has_a_panel_per_month_labels_every_visit_and_ticks_deadlines(hanoi) -> None:
    schedule = hanoi_schedule(hanoi)
    fig = gantt_figure(hanoi, schedule, "team")
    assert len(fig.axes) == 2  # June and July
    marks = "\n".join(all_text(fig))
    assert "Tháng 06/2025" in marks and "Tháng 07/2025" in marks
    assert sorted(drawn_labels(fig)) == sorted(hanoi.unit(a.unit_id).label
                                              for a in schedule.assignments)
    ticks = [line for ax in fig.axes for line in ax.lines if line.get_marker() == "v"]
    assert len(ticks) == len({(a.team_id, a.report_due) for a in schedule.assignments})
    assert all(numpy.size(t.get_xdata()) == 1 for t in ticks)  # a tick, not a line across the lanes
    assert "Quý III" in marks and "01/07/2025" in marks  # quarter start, in July's panel
    june = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert len(june) == 30 and "16\nT2" in june  # every day, number and weekday


def test_team_view_has_a_lane_per_sub_team() -> None:
    data = tiny_scenario_data()
    data["teams"][0]["parallel_subteams"] = 2
    scenario = make_scenario(data)
    plan = [("U1", "D1", date(2025, 6, 10), ["A1", "A2"], "A1"),
            ("U3", "D1", date(2025, 6, 10), ["A3", "A2"], "A3"),
            ("U2", "D2", date(2025, 6, 11), ["B1", "B2"], "B1")]
    fig = gantt_figure(scenario, build(scenario, plan), "team")
    lanes = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert lanes == ["Đoàn 1 – Tổ 1", "Đoàn 1 – Tổ 2", "Đoàn 2"]
    en = gantt_figure(scenario, build(scenario, plan), "team", lang="en")
    assert [t.get_text() for t in en.axes[0].get_yticklabels()][1] == "Đoàn 1 – Sub-team 2"


def test_member_view_shows_visits_and_unavailable_days() -> None:
    data = tiny_scenario_data()
    data["members"][2]["unavailable"] = ["2025-06-11", {"from": "2025-06-05", "to": "2025-06-06"}]
    scenario = make_scenario(data)
    schedule = tiny_schedule(scenario)
    ax = gantt_figure(scenario, schedule, "member").axes[0]
    lanes = [t.get_text() for t in ax.get_yticklabels()]
    # each team's header lane (its visits named once), then its members' thin lanes
    assert lanes == ["Đoàn 1", *[f"{m.label} ({m.id})" for m in scenario.members[:3]],
                     "Đoàn 2", *[f"{m.label} ({m.id})" for m in scenario.members[3:]]]
    away = [c for c in ax.collections if c.get_hatch() == "xxxx"]
    assert len(away) == 2  # two runs of unavailable days for A3
    loads = [t.get_text() for t in ax.texts if t.get_text().isdigit()]
    assert loads == ["2", "1", "1", "1", "0", "1"]  # visit days per member, lane by lane


def test_load_view_counts_visit_days_per_month(hanoi) -> None:
    fig = gantt_figure(hanoi, hanoi_schedule(hanoi), "load")
    team_ax, member_ax = fig.axes[:2]
    heights = sorted(round(p.get_height()) for p in team_ax.patches if isinstance(p, Rectangle))
    assert heights == [2, 3, 4, 5]  # June: D1 5, D2 4; July: D1 2, D2 3
    cells = [t.get_text() for t in member_ax.texts]
    months = 2
    d1_td = cells[: months + 1]
    assert d1_td == ["3", "1", "4"]  # June, July, total


def test_svg_is_stable_and_png_is_a_png(tiny) -> None:
    schedule = tiny_schedule(tiny)
    first = render_gantt(tiny, schedule, "team", "svg")
    assert first == render_gantt(tiny, schedule, "team", "svg")
    assert b"<svg" in first
    assert render_gantt(tiny, schedule, "load", "png").startswith(PNG_SIGNATURE)


def test_unknown_view_or_format_is_refused(tiny) -> None:
    with pytest.raises(ValueError, match="view"):
        gantt_figure(tiny, tiny_schedule(tiny), "week")
    with pytest.raises(ValueError, match="format"):
        render_gantt(tiny, tiny_schedule(tiny), "team", "pdf")


def test_weekends_and_holidays_are_shaded_apart() -> None:
    data = tiny_scenario_data()
    data["calendar"] = {"days_off": ["2025-06-05"], "worked_days": ["2025-06-07"]}
    scenario = make_scenario(data)
    ax = gantt_figure(scenario, tiny_schedule(scenario), "team").axes[0]
    spans: dict[str, list[date]] = {}
    for patch in ax.patches:
        colour = to_hex(patch.get_facecolor())
        if isinstance(patch, Rectangle) and colour in (to_hex(HOLIDAY_COLOUR), to_hex(WEEKEND_COLOUR)):
            left = num2date(patch.get_x()).date()
            spans.setdefault(colour, []).append(left)
    assert spans[to_hex(HOLIDAY_COLOUR)] == [date(2025, 6, 5)]
    assert date(2025, 6, 8) in spans[to_hex(WEEKEND_COLOUR)]  # Sunday 8/6 alone: 7/6 is worked
    assert date(2025, 6, 7) not in spans[to_hex(WEEKEND_COLOUR)]


# --- 140 units: printable panels, every unit named -----------------------------------------


def months_of(schedule: Schedule) -> list[str]:
    """Every month from the first to the last visit day or report deadline, as the panels name
    them ("Tháng 06/2025")."""
    days = [d for a in schedule.assignments for d in (a.start, a.end, a.report_due) if d]
    first, last = min(days), max(days)
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"Tháng {month:02d}/{year}")
        year, month = (year + month // 12, month % 12 + 1)
    return months


@pytest.mark.parametrize("view", ["team", "member"])
def test_140_units_print_a_month_a_panel_at_a_printable_width(view: str) -> None:
    scenario, schedule = communes_plan()
    plan = build_view(scenario, schedule)
    chart = build_chart(plan, view)
    expected = months_of(schedule)
    assert len(expected) >= 5 and len(chart.figure.axes) == len(expected)
    titles = [t for t in all_text(chart.figure) if t.startswith("Tháng ")]
    assert titles == expected
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        width, _ = png_size(render_chart(chart, "png"))
    assert [w for w in caught if "missing from font" in str(w.message)] == []
    assert 1500 <= width <= 2500
    # A month prints on A4 landscape (10.9 in between margins) at 87 % or more, so 10-pt text
    # stays at least ~9 pt on paper (the 20-in panels printed their 7-pt text at 4 pt).
    fig_w = chart.figure.get_size_inches()[0]
    assert fig_w <= 12.5
    sizes = [t.get_fontsize() for t in chart.figure.findobj(Text) if t.get_text().strip()]
    assert min(sizes) * 10.9 / fig_w >= 8.7
    day_in = chart.figure.axes[0].get_position().width * fig_w / 30  # June: 30 days
    assert day_in >= 0.25  # room for "30" over "T2" at 10 pt


@pytest.mark.parametrize("view", ["team", "member"])
def test_140_units_every_short_name_on_a_bar_and_in_the_svg(view: str) -> None:
    scenario, schedule = communes_plan()
    plan = build_view(scenario, schedule)
    chart = build_chart(plan, view)
    drawn = "\n".join(drawn_labels(chart.figure))
    titles = "\n".join(svg_titles(render_chart(chart, "svg")))
    for unit in scenario.units:
        assert unit.label in drawn, unit.label
        assert unit.name in titles, unit.name
    assert len(svg_titles(render_chart(chart, "svg"))) >= len(schedule.assignments)


def test_each_month_renders_on_its_own_for_the_report() -> None:
    scenario, schedule = communes_plan()
    plan = build_view(scenario, schedule)
    pages = render_months(plan, "team", "svg")
    assert [f"Tháng {m:02d}/{y}" for (y, m), _ in pages] == months_of(schedule)
    named = "\n".join(t for _, svg in pages for t in svg_titles(svg))
    assert all(unit.name in named for unit in scenario.units)
    with pytest.raises(ValueError, match="month"):
        render_months(plan, "load", "svg")


# --- several visits of one team on one day (a route) ---------------------------------------

ROUTE_PLAN = [("U1", "D1", date(2025, 6, 10), ["A1", "A2"], "A1"),
              ("U3", "D1", date(2025, 6, 10), ["A1", "A2"], "A1"),
              ("U2", "D2", date(2025, 6, 11), ["B1", "B2"], "B1")]


def test_visits_sharing_a_team_day_and_lead_are_one_route_bar(tiny) -> None:
    schedule = build(tiny, ROUTE_PLAN)
    plan = build_view(tiny, schedule)
    assert plan.lanes["D1"] == 1  # one group travelling, not two sub-teams
    route = f"2: {tiny.unit('U1').label}, {tiny.unit('U3').label}"
    for view in ("team", "member"):
        chart = build_chart(plan, view)
        assert route in drawn_labels(chart.figure)
        titles = "\n".join(svg_titles(render_chart(chart, "svg")))
        assert tiny.unit("U1").name in titles and tiny.unit("U3").name in titles
    team_ax = build_chart(plan, "team").figure.axes[0]
    assert [t.get_text() for t in team_ax.get_yticklabels()] == ["Đoàn 1", "Đoàn 2"]
    slices = [c for c in team_ax.collections if c.get_gid()]
    assert len(slices) == 3  # a slice per visit: the route's two stay visible


def test_visits_sharing_a_team_day_under_two_leads_are_parallel_sub_teams(tiny) -> None:
    plan_rows = [*ROUTE_PLAN[:1], ("U3", "D1", date(2025, 6, 10), ["A3", "A2"], "A3"),
                 ROUTE_PLAN[2]]
    plan = build_view(tiny, build(tiny, plan_rows))
    assert plan.lanes["D1"] == 2
    labels = drawn_labels(build_chart(plan, "team").figure)
    assert tiny.unit("U1").label in labels and tiny.unit("U3").label in labels


def test_a_route_of_wards_names_the_shared_word_once() -> None:
    data = tiny_scenario_data()
    data["units"][0]["name"] = "Phường Ngọc Hà"  # U1 joins U3 (Phường Ba Đình) on the route
    scenario = make_scenario(data)
    plan = build_view(scenario, build(scenario, ROUTE_PLAN))
    assert "2: Phường Ngọc Hà, Ba Đình" in drawn_labels(build_chart(plan, "team").figure)
