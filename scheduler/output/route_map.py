"""The route map: each team's base, its units and every team-day route, drawn offline (no tiles).

Coordinates are projected equirectangularly in km around the map's centre (x scaled by cos(lat)),
so distances read off the scale bar. Routes go base -> stops in time order -> base in the team's
colour; units are dots labelled with their short names where there is room (greedy placement, no
overlaps), and every unit and route carries an SVG <title> naming it, so nothing is lost at 140 units.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import date

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from models.calendar import format_vn
from scheduler.output.gantt import with_titles
from scheduler.output.gantt_parts import STYLE, Tooltips, team_colours
from scheduler.output.view import PlanView, Visit
from scheduler.routing.reading import DayRoute, day_routes, point_of, stated_bases
from scheduler.routing.travel import Point

KM_PER_DEG_LAT = 110.57
KM_PER_DEG_LON = 111.32  # at the equator; times cos(lat)
DPI = 120
MAP_NAME = "route-map"
MAP_TEXT = {
    "vi": {"title": "Bản đồ lộ trình", "base": "Trụ sở đoàn", "unit": "Đơn vị (chấm đặc: theo lộ trình)",
           "no_location": "Chưa có toạ độ (vẽ tại trụ sở đoàn)", "routes": "lộ trình", "km": "km",
           "zoom": "Khu trung tâm (khung nét đứt)",
           "labels": "Tên đơn vị ghi nơi đủ chỗ; di chuột trên bản SVG để xem tên mọi đơn vị và lộ trình."},
    "en": {"title": "Route map", "base": "Team base", "unit": "Unit (filled: on a route)",
           "no_location": "No location (drawn at the team's base)", "routes": "routes", "km": "km",
           "zoom": "The middle (dashed frame)",
           "labels": "Unit names shown where there is room; hover in the SVG for every unit and route."},
}


@dataclass(frozen=True)
class Projection:
    lat0: float
    lon0: float

    def xy(self, p: Point) -> tuple[float, float]:
        return ((p.lon - self.lon0) * KM_PER_DEG_LON * math.cos(math.radians(self.lat0)),
                (p.lat - self.lat0) * KM_PER_DEG_LAT)


def has_routes(plan: PlanView) -> bool:
    return any(v.start_time for v in plan.visits)


def map_text(lang: str) -> dict[str, str]:
    return MAP_TEXT.get(lang, MAP_TEXT["vi"])


def render_route_map(plan: PlanView, fmt: str, lang: str = "vi", day: date | None = None) -> bytes:
    """The map as PNG or SVG bytes (the same plan gives the same bytes)."""
    tips = Tooltips("map")
    with rc_context(STYLE):
        fig = route_map_figure(plan, lang, tips, day)
        FigureCanvasAgg(fig)
        buffer = io.BytesIO()
        metadata = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata)
    data = buffer.getvalue()
    return with_titles(data, tips) if fmt == "svg" else data


def unit_point(v: Visit) -> tuple[Point | None, bool]:
    """Where a visit's unit is drawn, and whether that is its own location."""
    own = point_of(v.unit.location)
    return (own, True) if own is not None else (point_of(v.team.base), False)


def route_map_figure(plan: PlanView, lang: str, tips: Tooltips, day: date | None = None) -> Figure:
    text = map_text(lang)
    routes = [r for r in day_routes(plan.scenario, plan.schedule.assignments, stated_bases(plan.schedule))
              if day is None or r.day == day]
    visits = [v for v in plan.visits if day is None or v.start <= day <= v.end]
    points = [p for v in visits for p in [unit_point(v)[0]] if p is not None]
    points += [p for _, p, _ in all_bases(plan)]
    fig = Figure(figsize=(11, 10))
    ax = fig.add_axes((0.02, 0.1, 0.64, 0.84))  # the legend and the zoom sit to the right
    if not points:
        ax.text(0.5, 0.5, text["no_location"], ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    proj = Projection(sum(p.lat for p in points) / len(points), sum(p.lon for p in points) / len(points))
    colours = team_colours(plan)
    draw_routes(ax, proj, routes, colours, tips, lang)
    labelled = draw_units(ax, proj, visits, routes, colours, tips, lang)
    draw_bases(ax, proj, plan, colours, text, tips)
    frame(ax, proj, points)
    zoom = zoom_box(proj, points, plan)
    if zoom is not None:  # the crowded middle again, larger, with its own labels
        inset = fig.add_axes((0.68, 0.1, 0.31, 0.5))
        draw_routes(inset, proj, routes, colours, Tooltips("zoom"), lang)
        inner = draw_units(inset, proj, visits, routes, colours, Tooltips("zoom"), lang)
        draw_bases(inset, proj, plan, colours, text, Tooltips("zoom"))
        show_zoom(ax, inset, zoom, text)
        place_labels(inset, fig, inner)
    place_labels(ax, fig, labelled)
    scale_bar(ax, text)
    legend(ax, plan, colours, text, len(routes))
    title = f"{text['title']} – {plan.scenario.campaign.name}" + (f" – {format_vn(day)}" if day else "")
    fig.suptitle(title, fontsize=12, y=0.985)
    missing = sorted({v.unit.label for v in visits if v.unit.location is None})
    note = text["labels"] + (f"\n{text['no_location']}: {', '.join(missing)}" if missing else "")
    fig.text(0.04, 0.02, note, fontsize=8, wrap=True, va="bottom")
    return fig


def zoom_box(proj: Projection, points: list[Point], plan: PlanView) -> tuple[float, float, float] | None:
    """Centre and half-side (km) of the crowded middle around the bases, when the map is crowded:
    the square holding the nearest third of the units, if it is much smaller than the map."""
    bases = [proj.xy(b) for _, b, _ in all_bases(plan)]
    if len(points) < 30 or not bases:
        return None
    cx, cy = sum(x for x, _ in bases) / len(bases), sum(y for _, y in bases) / len(bases)
    reach = sorted(max(abs(x - cx), abs(y - cy)) for x, y in (proj.xy(p) for p in points))
    half = max(reach[len(reach) // 3], 1.0)
    return (cx, cy, half) if half < reach[-1] / 3 else None


def show_zoom(ax: Axes, inset: Axes, zoom: tuple[float, float, float], text: dict[str, str]) -> None:
    cx, cy, half = zoom
    inset.set_xlim(cx - half, cx + half)
    inset.set_ylim(cy - half, cy + half)
    inset.set_aspect("equal", adjustable="box")
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_title(f"{text['zoom']} ({2 * half:.0f} × {2 * half:.0f} {text['km']})", fontsize=8)
    ax.add_patch(Rectangle((cx - half, cy - half), 2 * half, 2 * half, fill=False, edgecolor="#555555",
                           linestyle="--", linewidth=1.0, zorder=9))


def route_tip(route: DayRoute, lang: str) -> str:
    stops = "; ".join(f"{s.start_time}–{s.end_time} {s.unit.name}" for s in route.stops)
    km = "km"
    where = f" ({'từ' if lang == 'vi' else 'from'} {route.base_name})" if route.base_name else ""
    end = (f"{'về lúc' if lang == 'vi' else 'back at'} {route.home_time}" if route.night_at is None
           else f"{'nghỉ đêm tại' if lang == 'vi' else 'night at'} {route.stops[-1].unit.name}")
    return (f"{route.team.name}{where} – {format_vn(route.day)}: {stops}; "
            f"{route.travel_minutes} {'phút đi lại' if lang == 'vi' else 'min travel'}, "
            f"{route.travel_km:.1f} {km}, {end}")


def draw_routes(ax: Axes, proj: Projection, routes: list[DayRoute], colours: dict[str, str],
                tips: Tooltips, lang: str) -> None:
    for route in routes:
        # a trip day sets out from last night's lodging and ends at tonight's (no drive home)
        path = [route.start or route.base, *(s.point for s in route.stops),
                *([route.base] if route.night_at is None else [])]
        xy = [proj.xy(p) for p in path if p is not None]
        line, = ax.plot([x for x, _ in xy], [y for _, y in xy], color=colours[route.team.id],
                        linewidth=1.1, alpha=0.55, zorder=2)
        line.set_gid(tips.add(route_tip(route, lang)))


def draw_units(ax: Axes, proj: Projection, visits: list[Visit], routes: list[DayRoute],
               colours: dict[str, str], tips: Tooltips, lang: str) -> list[tuple[float, float, str]]:
    """A dot per unit (filled when on a route); returns (x, y, label) to place."""
    on_route = {s.unit.id: (r, n) for r in routes for n, s in enumerate(r.stops, start=1)}
    seen: set[str] = set()
    labelled = []
    for v in sorted(visits, key=lambda v: v.unit.id):
        point, own = unit_point(v)
        if point is None or v.unit.id in seen:
            continue
        seen.add(v.unit.id)
        x, y = proj.xy(point)
        colour = colours[v.team.id]
        filled = v.unit.id in on_route
        if own:
            dot = ax.scatter([x], [y], s=22, zorder=4, marker="o", linewidths=1.0,
                             facecolors=colour if filled else "white", edgecolors=colour)
        else:  # no location: a cross at the team's base
            dot = ax.scatter([x], [y], s=30, zorder=4, marker="x", color=colour, linewidths=1.0)
        when = f"{format_vn(v.start)} {v.start_time}–{v.end_time}" if v.start_time else format_vn(v.start)
        step = f" ({'điểm' if lang == 'vi' else 'stop'} {on_route[v.unit.id][1]})" if filled else ""
        dot.set_gid(tips.add(f"{v.unit.name} – {v.team.name} – {when}{step}"))
        if own:
            labelled.append((x, y, v.unit.label))
    return labelled


def draw_bases(ax: Axes, proj: Projection, plan: PlanView, colours: dict[str, str],
               text: dict[str, str], tips: Tooltips) -> None:
    for team_id, base, name in all_bases(plan):
        x, y = proj.xy(base)
        square = ax.scatter([x], [y], s=110, marker="s", facecolors=colours[team_id], edgecolors="black",
                            linewidths=1.2, zorder=6)
        if name:  # a team of several bases: which is which
            square.set_gid(tips.add(name))
            ax.annotate(name, (x, y), xytext=(0, 8), textcoords="offset points", fontsize=7,
                        ha="center", va="bottom", zorder=7)


def all_bases(plan: PlanView) -> list[tuple[str, Point, str | None]]:
    """(team id, point, name) of every team's every base; a one-base team's ``base`` has no name."""
    found: list[tuple[str, Point, str | None]] = []
    for team in plan.scenario.teams:
        if team.bases:
            found += [(team.id, Point(b.lat, b.lon), b.name) for b in team.bases]
        elif (base := point_of(team.base)) is not None:
            found.append((team.id, base, None))
    return found


def frame(ax: Axes, proj: Projection, points: list[Point]) -> None:
    xs, ys = zip(*(proj.xy(p) for p in points), strict=True)
    span = max(max(xs) - min(xs), max(ys) - min(ys), 2.0)
    pad = 0.05 * span
    ax.set_xlim(min(xs) - pad, max(xs) + pad)
    ax.set_ylim(min(ys) - pad, max(ys) + pad)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_color("#bbbbbb")


def place_labels(ax: Axes, fig: Figure, labelled: list[tuple[float, float, str]]) -> None:
    """Short names beside their dots, first come first placed, none overlapping another or a dot."""
    fig.canvas.draw()  # fixes the limits so that data -> pixel is final
    to_px = ax.transData.transform
    dots = [to_px((x, y)) for x, y, _ in labelled]
    taken: list[tuple[float, float, float, float]] = [(px - 3, py - 3, px + 3, py + 3) for px, py in dots]
    frame_px = ax.bbox.extents  # a label must stay inside its own map
    char_w, h = 6.4, 12.0  # px at 7 pt, DejaVu Sans, 120 dpi (measured average, with a margin)
    for (x, y, label), (px, py) in zip(labelled, dots, strict=True):
        w = char_w * len(label)
        for dx, dy, ha, va in ((4, 2, "left", "bottom"), (4, -2, "left", "top"),
                               (-4, 2, "right", "bottom"), (-4, -2, "right", "top")):
            x0 = px + dx if ha == "left" else px + dx - w
            y0 = py + dy if va == "bottom" else py + dy - h
            box = (x0, y0, x0 + w, y0 + h)
            inside = (frame_px[0] <= box[0] and box[2] <= frame_px[2] and frame_px[1] <= box[1]
                      and box[3] <= frame_px[3])
            if inside and not any(overlaps(box, other) for other in taken):
                taken.append(box)
                ax.annotate(label, (x, y), xytext=(dx, dy), textcoords="offset pixels", fontsize=7,
                            ha=ha, va=va, zorder=7, color="#222222")
                break


def overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def scale_bar(ax: Axes, text: dict[str, str]) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    target = (x1 - x0) / 5
    length = max(n for n in (0.5, 1, 2, 5, 10, 20, 50, 100, 200) if n <= max(target, 0.5))
    bx, by = x0 + 0.04 * (x1 - x0), y0 + 0.04 * (y1 - y0)
    ax.plot([bx, bx + length], [by, by], color="black", linewidth=3, zorder=8)
    ax.text(bx + length / 2, by + 0.012 * (y1 - y0), f"{length:g} {text['km']}", ha="center",
            va="bottom", fontsize=9, zorder=8)


def legend(ax: Axes, plan: PlanView, colours: dict[str, str], text: dict[str, str], n_routes: int) -> None:
    handles = [Line2D([], [], color=colours[t.id], linewidth=2, label=f"{t.name} ({text['routes']})")
               for t in plan.scenario.teams]
    handles += [
        Line2D([], [], marker="s", color="white", markerfacecolor="#888888", markeredgecolor="black",
               markersize=9, label=text["base"]),
        Line2D([], [], marker="o", color="white", markerfacecolor="#888888", markeredgecolor="#888888",
               markersize=6, label=text["unit"]),
        Line2D([], [], marker="x", color="white", markeredgecolor="#888888", markersize=6,
               label=text["no_location"]),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False,
              title=f"{n_routes} {text['routes']}", title_fontsize=8)
