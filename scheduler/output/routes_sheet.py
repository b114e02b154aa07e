"""The workbook's "Lộ trình" sheet: a block per team-day route, stops in order from the base and back.

Written only when the plan has timed visits (``start_time``). Travel legs are recomputed from the
coordinates (``scheduler.routing.reading``), so the sheet and the benchmark figures agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from models.calendar import format_vn
from models.tables import safe_cell
from scheduler.output.view import PlanView
from scheduler.output.xlsx_print import fit_row_height, page_setup
from scheduler.routing.reading import DayRoute, day_routes, stated_bases

ROUTE_TEXT: dict[str, dict[str, str]] = {
    "vi": {
        "sheet": "Lộ trình", "title": "Lộ trình làm việc theo ngày của các đoàn",
        "no": "TT", "time": "Thời gian", "place": "Điểm đến", "visit": "Làm việc (phút)",
        "travel": "Đi lại từ điểm trước (phút)", "km": "Quãng đường (km)", "unit_id": "Mã đơn vị",
        "lead": "Trưởng nhóm", "group": "Thành viên", "leave": "Xuất phát từ trụ sở đoàn",
        "night_at": "Nghỉ đêm tại", "from_night": "Xuất phát từ nơi nghỉ đêm tại",
        "home": "Về trụ sở đoàn", "total": "Cộng trong ngày", "back": "về trụ sở lúc",
        "no_location": "(chưa có toạ độ: tính tại trụ sở)", "travel_short": "Đi lại (phút)", "km_short": "km",
        "day_total": "Cộng: làm việc {visit} phút; về lúc {back}",
        "day_total_night": "Cộng: làm việc {visit} phút; nghỉ đêm tại {place}",
    },
    "en": {
        "sheet": "Routes", "title": "Each team's route, day by day",
        "no": "No.", "time": "Time", "place": "Stop", "visit": "Visit (min)",
        "travel": "Travel from previous (min)", "km": "Distance (km)", "unit_id": "Unit id",
        "lead": "Lead", "group": "Members", "leave": "Leave the team's base",
        "night_at": "Night at", "from_night": "Leave from the night's lodging at",
        "home": "Back to the team's base", "total": "Day total", "back": "back at base",
        "no_location": "(no location: counted at the base)", "travel_short": "Travel (min)", "km_short": "km",
        "day_total": "Total: {visit} min on site; back at {back}",
        "day_total_night": "Total: {visit} min on site; night at {place}",
    },
}
COLUMNS = ("no", "time", "place", "visit", "travel", "km", "unit_id")
WIDTHS = (6, 14, 48, 14, 16, 14, 14)
BLOCK_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


# The workbook module imports this one, so its cell helpers are not imported back (no cycle).
def put(ws: Worksheet, row: int, col: int, value: Any, bold: bool = False) -> None:
    cell = ws.cell(row=row, column=col, value=safe_cell(value))
    cell.alignment = Alignment(wrap_text=col == 3, vertical="top")
    if bold:
        cell.font = Font(bold=True)


def header(ws: Worksheet, row: int, titles: list[str]) -> None:
    for col, title in enumerate(titles, start=1):
        put(ws, row, col, title, bold=True)
        cell = ws.cell(row=row, column=col)
        cell.fill, cell.border = HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def route_text(lang: str) -> Mapping[str, str]:
    return ROUTE_TEXT.get(lang, ROUTE_TEXT["vi"])


def at_base(route: DayRoute, text: Mapping[str, str], key: str) -> str:
    """"Leave"/"back to" the team's base, naming it when the team has several (``teams[].bases``);
    on a trip with nights away, "night at"/"leave from the night's lodging at" the unit instead."""
    if key == "home" and route.night_at is not None:
        return f"{text['night_at']} {route.stops[-1].unit.name}"
    if key == "leave" and route.slept_near is not None:
        return f"{text['from_night']} {route.slept_near}"
    return f"{text[key]}: {route.base_name}" if route.base_name else text[key]


def add_routes_sheet(ws_factory: Any, plan: PlanView, lang: str) -> Worksheet | None:
    """Create and fill the sheet with ``ws_factory(title)`` when the plan has routes; else None."""
    routes = day_routes(plan.scenario, plan.schedule.assignments, stated_bases(plan.schedule))
    if not routes:
        return None
    text = route_text(lang)
    ws: Worksheet = ws_factory(text["sheet"])
    write_routes(ws, plan, routes, text)
    return ws


def write_routes(ws: Worksheet, plan: PlanView, routes: list[DayRoute], text: Mapping[str, str]) -> None:
    put(ws, 1, 1, f"{text['title']} – {plan.scenario.campaign.name}", bold=True)
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    row = 3
    for route in routes:
        row = write_block(ws, row, plan, route, text) + 1
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    page_setup(ws)


def block_title(plan: PlanView, route: DayRoute, text: Mapping[str, str]) -> str:
    members = next((v.members for v in plan.visits
                    if v.team.id == route.team.id and v.start == route.day and v.lead.id == route.lead_id
                    and v.start_time), [])
    lead = plan.scenario.member(route.lead_id).display_name
    others = ", ".join(m.display_name for m in members if m.id != route.lead_id)
    return (f"{route.team.name} – {format_vn(route.day)} – {text['lead']}: {lead}"
            + (f" – {text['group']}: {others}" if others else ""))


def write_block(ws: Worksheet, row: int, plan: PlanView, route: DayRoute, text: Mapping[str, str]) -> int:
    """One team-day: title, header, base, stops, base, totals; returns the last row written."""
    put(ws, row, 1, block_title(plan, route, text), bold=True)
    for col in range(1, len(COLUMNS) + 1):
        ws.cell(row=row, column=col).fill = BLOCK_FILL
    header(ws, row + 1, [text[c] for c in COLUMNS])
    rows: list[list[Any]] = [["", f"{leave_time(route)}", at_base(route, text, "leave"), None, None,
                               None, ""]]
    for n, stop in enumerate(route.stops, start=1):
        place = stop.unit.name if stop.located else f"{stop.unit.name} {text['no_location']}"
        rows.append([n, f"{stop.start_time}–{stop.end_time}", place, stop.visit_minutes,
                     stop.travel_minutes, round(stop.travel_km, 1), stop.unit.id])
    rows.append(["", route.home_time, at_base(route, text, "home"), None, route.home_minutes,
                 round(route.home_km, 1), ""])
    back = f" ({text['back']} {route.home_time})" if route.night_at is None else ""
    rows.append(["", "", f"{text['total']}{back}", route.visit_minutes,
                 route.travel_minutes, round(route.travel_km, 1), ""])
    r = row + 1
    for values in rows:
        r += 1
        for col, value in enumerate(values, start=1):
            put(ws, r, col, value, bold=values is rows[-1])
            ws.cell(row=r, column=col).border = BORDER
        fit_row_height(ws, r, [(str(values[2]), WIDTHS[2])])
    return r


def leave_time(route: DayRoute) -> str:
    """When the team leaves the base: the first visit's start less the drive (08:00 on a normal day)."""
    first = route.stops[0]
    hours, minutes = (int(p) for p in first.start_time.split(":"))
    clock = max(0, hours * 60 + minutes - first.travel_minutes)
    return f"{clock // 60:02d}:{clock % 60:02d}"
