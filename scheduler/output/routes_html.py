"""The report's "Lộ trình theo ngày" section: the route map inline, then a compact table per team-day
(base, stops with their hours and the drive to each, back to base, the day's totals).

Empty when the plan has no timed visits. The map is rendered here unless given.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from models.calendar import format_vn
from scheduler.output.route_map import render_route_map
from scheduler.output.routes_sheet import at_base, leave_time, route_text
from scheduler.output.view import PlanView
from scheduler.routing.reading import DayRoute, day_routes, stated_bases

CSS = """
.routes{display:grid;grid-template-columns:repeat(auto-fill,minmax(30em,1fr));gap:.8em}
.route{border:1px solid #ccd;border-radius:6px;padding:.4em .6em;background:#fffdf4;break-inside:avoid}
.route h3{margin:.1em 0 .3em;font-size:1em} .route table{width:100%;font-size:.9em}
.route td.num{text-align:right} .route td:nth-child(2){white-space:nowrap}
.route tr.total td{font-weight:bold;background:#f3f3f3}
.map svg{width:100%;max-width:1100px;height:auto}
"""
SECTION_TITLE = {"vi": "Lộ trình theo ngày", "en": "Routes, day by day"}
HINT = {"vi": "Mỗi ô là một ngày làm việc của một đoàn: xuất phát từ trụ sở, lần lượt các đơn vị, "
              "về trụ sở. Đi lại tính từ toạ độ (đường chim bay × hệ số đường bộ).",
        "en": "Each box is one team's working day: from its base, the units in turn, back to base. "
              "Travel is computed from the coordinates (straight line × road factor)."}


def routes_section(plan: PlanView, lang: str = "vi", map_svg: bytes | None = None) -> str:
    routes = day_routes(plan.scenario, plan.schedule.assignments, stated_bases(plan.schedule))
    if not routes:
        return ""
    svg = map_svg if map_svg is not None else render_route_map(plan, "svg", lang)
    text = route_text(lang)
    boxes = "\n".join(route_box(plan, r, text) for r in routes)
    title = SECTION_TITLE.get(lang, SECTION_TITLE["vi"])
    return (f"<style>{CSS}</style>\n<h2 id='routes'>{escape(title)}</h2>\n"
            f"<p class='muted'>{escape(HINT.get(lang, HINT['vi']))}</p>\n"
            f"<div class='map chart'>{svg_element(svg)}</div>\n<div class='routes'>\n{boxes}\n</div>")


def svg_element(svg: bytes) -> str:
    text = svg.decode("utf-8")
    return text[text.index("<svg"):]


def cells(values: list[object], total: bool = False) -> str:
    tds = "".join(f"<td{' class=num' if isinstance(v, int | float) else ''}>{escape(str(v))}</td>"
                  for v in values)
    return f"<tr{' class=total' if total else ''}>{tds}</tr>"


def route_box(plan: PlanView, route: DayRoute, t: Mapping[str, str]) -> str:
    lead = plan.scenario.member(route.lead_id).display_name
    head = "".join(f"<th>{escape(t[k])}</th>" for k in ("no", "time", "place", "travel_short", "km_short"))
    rows = [cells(["", leave_time(route), at_base(route, t, "leave"), "", ""])]
    for n, s in enumerate(route.stops, start=1):
        place = s.unit.name if s.located else f"{s.unit.name} {t['no_location']}"
        rows.append(cells([n, f"{s.start_time}–{s.end_time}", place, s.travel_minutes, f"{s.travel_km:.1f}"]))
    rows.append(cells(["", route.home_time, at_base(route, t, "home"), route.home_minutes,
                       f"{route.home_km:.1f}"]))
    total = t["day_total"].format(visit=route.visit_minutes, back=route.home_time) if route.night_at is None \
        else t["day_total_night"].format(visit=route.visit_minutes, place=route.stops[-1].unit.name)
    rows.append(cells(["", "", total, route.travel_minutes, f"{route.travel_km:.1f}"], total=True))
    title = f"{route.team.name} – {format_vn(route.day)} – {t['lead']}: {lead}"
    return (f"<div class='route'><h3>{escape(title)}</h3><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>")
