"""Day routes in the outputs: the workbook's "Lộ trình" sheet, the report's section, the route map,
and the planners' figures of the benchmarks (travel recomputed from the coordinates)."""

from __future__ import annotations

import io
import re
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook
from route_helpers import timed_communes
from test_output_plans import build

from cli import main
from conftest import make_scenario, tiny_scenario_data
from models.scenario import Scenario
from models.schedule import Schedule
from scheduler.cost.figures import planner_figures
from scheduler.output import build_outputs
from scheduler.output.files import write_schedule_files
from scheduler.output.html import report_html
from scheduler.output.route_map import render_route_map
from scheduler.output.view import build_view
from scheduler.output.xlsx import workbook_bytes
from scheduler.routing.reading import day_routes
from scheduler.routing.travel import Point, road_km, travel_minutes

BASE = Point(21.00, 105.80)
SPOTS = {"U1": Point(21.05, 105.80), "U3": Point(21.05, 105.85), "U2": Point(20.95, 105.80)}
DAY = date(2025, 6, 10)


def located_tiny() -> Scenario:
    data: dict[str, Any] = tiny_scenario_data()
    for team in data["teams"]:
        team["base"] = {"lat": BASE.lat, "lon": BASE.lon}
    for unit in data["units"]:
        unit["visit_minutes"] = 120
        unit["location"] = {"lat": SPOTS[unit["id"]].lat, "lon": SPOTS[unit["id"]].lon}
    return make_scenario(data)


def tiny_routes(scenario: Scenario) -> Schedule:
    """D1 visits U3 then U1 on one day (out of nearest order on purpose); D2 visits U2."""
    plan = [("U1", "D1", DAY, ["A1", "A2"], "A1"), ("U3", "D1", DAY, ["A1", "A2"], "A1"),
            ("U2", "D2", DAY, ["B1", "B3"], "B1")]
    schedule = build(scenario, plan)
    times = {"U3": ("08:30", "10:30"), "U1": ("10:45", "13:45"), "U2": ("08:20", "10:20")}
    timed = [a.model_copy(update={"start_time": times[a.unit_id][0], "end_time": times[a.unit_id][1]})
             for a in schedule.assignments]
    return schedule.model_copy(update={"assignments": timed})


def by_hand(path: list[Point]) -> tuple[int, float]:
    return (sum(travel_minutes(a, b) for a, b in pairwise(path)),
            sum(road_km(a, b) for a, b in pairwise(path)))


def test_figures_recompute_travel_from_coordinates_in_start_time_order() -> None:
    scenario = located_tiny()
    figures = planner_figures(scenario, tiny_routes(scenario))
    d1_min, d1_km = by_hand([BASE, SPOTS["U3"], SPOTS["U1"], BASE])  # U3 starts first
    d2_min, d2_km = by_hand([BASE, SPOTS["U2"], BASE])
    assert figures.travel_minutes == d1_min + d2_min
    assert figures.travel_km == pytest.approx(round(d1_km + d2_km, 1))
    assert figures.routes == 2 and figures.team_days == 2
    assert figures.leader_week_days == 1  # two visits on one day are one day
    assert figures.travel_lower_bound is not None and figures.travel_lower_bound <= figures.travel_minutes


def test_figures_without_short_visits_have_no_travel() -> None:
    scenario = located_tiny()
    plain = build(scenario, [("U1", "D1", DAY, ["A1", "A2"], "A1")])
    figures = planner_figures(scenario, plain)
    assert (figures.travel_minutes, figures.routes, figures.travel_lower_bound) == (0, 0, None)
    assert figures.team_days == 1


def route_sheet_blocks(data: bytes) -> list[list[tuple[Any, ...]]]:
    ws = load_workbook(io.BytesIO(data))["Lộ trình"]
    blocks: list[list[tuple[Any, ...]]] = []
    for row in ws.iter_rows(min_row=3, values_only=True):
        if row[0] and isinstance(row[0], str) and row[1] is None and " – " in row[0]:
            blocks.append([row])
        elif blocks and any(v is not None for v in row):
            blocks[-1].append(row)
    return blocks


def test_route_sheet_lists_stops_times_and_totals_of_each_team_day() -> None:
    scenario = located_tiny()
    schedule = tiny_routes(scenario)
    data = workbook_bytes(build_view(scenario, schedule))
    blocks = route_sheet_blocks(data)
    assert [b[0][0].split(" – ")[:2] for b in blocks] == [["Đoàn 1", "10/06/2025"], ["Đoàn 2", "10/06/2025"]]
    d1 = blocks[0]
    stops = [r for r in d1 if isinstance(r[0], int)]
    assert [(r[1], r[6]) for r in stops] == [("08:30–10:30", "U3"), ("10:45–13:45", "U1")]
    assert stops[0][4] == travel_minutes(BASE, SPOTS["U3"])
    assert stops[1][4] == travel_minutes(SPOTS["U3"], SPOTS["U1"])
    total = d1[-1]
    d1_min, d1_km = by_hand([BASE, SPOTS["U3"], SPOTS["U1"], BASE])
    assert total[4] == d1_min and total[5] == pytest.approx(round(d1_km, 1))
    home = travel_minutes(SPOTS["U1"], BASE)
    back = 13 * 60 + 45 + home
    assert f"{back // 60:02d}:{back % 60:02d}" in total[2]
    plan_sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    formats = {c.number_format for c in plan_sheet["D"] if c.number_format.startswith("dd/mm/yyyy")}
    assert 'dd/mm/yyyy" 08:30–10:30"' in formats  # the hours beside the (still real) date


def test_no_route_sheet_nor_map_without_timed_visits() -> None:
    scenario = located_tiny()
    plain = build(scenario, [("U1", "D1", DAY, ["A1", "A2"], "A1")])
    assert "Lộ trình" not in load_workbook(io.BytesIO(workbook_bytes(build_view(scenario, plain)))).sheetnames
    files = build_outputs(scenario, plain, {"png", "html"})
    assert "route-map.png" not in files and "Lộ trình theo ngày" not in files["report.html"].decode()


def test_map_names_units_draws_a_line_per_route_and_is_deterministic() -> None:
    scenario = located_tiny()
    plan = build_view(scenario, tiny_routes(scenario))
    svg = render_route_map(plan, "svg")
    assert svg == render_route_map(plan, "svg")
    assert render_route_map(plan, "png") == render_route_map(plan, "png")
    titles = re.findall(r"<title>([^<]*)</title>", svg.decode())
    route_titles = [t for t in titles if "10/06/2025:" in t]
    assert len(route_titles) == len(day_routes(scenario, plan.schedule.assignments)) == 2
    for unit in scenario.units:
        assert any(t.startswith(unit.name) for t in titles), unit.name
    assert render_route_map(plan, "png").startswith(b"\x89PNG")


def test_communes_outputs_carry_every_route() -> None:
    scenario, schedule = timed_communes()
    plan = build_view(scenario, schedule)
    routes = day_routes(scenario, schedule.assignments)
    html = report_html(plan, team_svgs=[])
    assert "Lộ trình theo ngày" in html and html.count("<div class='route'>") == len(routes)
    assert "<svg" in html.split("Lộ trình theo ngày", 1)[1]
    blocks = route_sheet_blocks(workbook_bytes(plan))
    assert len(blocks) == len(routes)
    sheet_stops = sum(sum(1 for r in b if isinstance(r[0], int)) for b in blocks)
    assert sheet_stops == sum(len(r.stops) for r in routes)
    figures = planner_figures(scenario, schedule)
    # The planner stated each leg when it laid the routes out (scheduler.routing.travel); the figures
    # recompute them from the coordinates: both must agree, with the drive home added.
    stated = sum(a.travel_minutes or 0 for a in schedule.assignments if a.start_time)
    assert figures.travel_minutes == stated + sum(r.home_minutes for r in routes)
    assert figures.travel_lower_bound is not None and figures.travel_lower_bound <= figures.travel_minutes


def test_map_command_draws_one_day_as_svg(tmp_path: Path) -> None:
    scenario = located_tiny()
    (tmp_path / "scenario.yaml").write_text(
        yaml.safe_dump(scenario.model_dump(mode="json", by_alias=True, exclude_none=True),
                       allow_unicode=True), encoding="utf-8")
    write_schedule_files(tiny_routes(scenario), tmp_path)
    out = tmp_path / "day.svg"
    result = CliRunner().invoke(main, ["map", str(tmp_path / "schedule.json"), "--out", str(out),
                                       "--date", "10/06/2025"])
    assert result.exit_code == 0, result.output
    titles = re.findall(r"<title>([^<]*)</title>", out.read_text(encoding="utf-8"))
    assert sum("10/06/2025:" in t for t in titles) == 2
    bad = CliRunner().invoke(main, ["map", str(tmp_path / "schedule.json"), "--out", str(tmp_path / "m.pdf")])
    assert bad.exit_code == 2 and "phải có đuôi .png hoặc .svg" in bad.output
