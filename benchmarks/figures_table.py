"""The planners' figures beside each plan's objective (``scheduler.cost.figures``): a Markdown table
and CSV columns. Travel is recomputed from the coordinates for every planner alike; the travel bound
is the route engine's bound on the same stops, computed here (the solver is not asked for it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scheduler.cost.figures import PlannerFigures

if TYPE_CHECKING:
    from benchmarks.rows import Row

FIGURE_COLUMNS = ["travel_min", "travel_km", "travel_lb_min", "routes", "team_days", "weeks",
                  "busiest_week", "pace_deviation", "leader_max_week_days"]
NOTE = ("Planners' figures, from each schedule by `scheduler.cost.figures` (never from the solver): travel "
        "recomputed from the coordinates, each team-day route in start-time order with the drive back "
        "(— without short visits); travel bound = the route engine's `simple_lower_bound` on the same "
        "stops team by team (valid for that split of units between teams); pace deviation = the largest "
        "|visits in a week − the even pace| over the plan's weeks; leader days = the most distinct "
        "visit days a leader or deputy gives in one week.")


def figure_values(f: PlannerFigures | None) -> dict[str, Any]:
    if f is None:
        return dict.fromkeys(FIGURE_COLUMNS)
    short = f.routes > 0
    return {"travel_min": f.travel_minutes if short else None,
            "travel_km": f.travel_km if short else None, "travel_lb_min": f.travel_lower_bound,
            "routes": f.routes, "team_days": f.team_days, "weeks": f.weeks,
            "busiest_week": f.busiest_week, "pace_deviation": f.pace_deviation,
            "leader_max_week_days": f.leader_week_days}


def shown(value: Any) -> str:
    return "—" if value is None else str(value)


def figures_table(rows: list[Row]) -> list[str]:
    header = ["instance", "planner", "objective", "travel min", "travel km", "travel bound min",
              "routes", "team-days", "weeks", "busiest week", "pace deviation", "leader max days/week"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for r in rows:
        values = figure_values(r.figures)
        cells = [r.instance, r.planner, shown(r.objective), *(shown(values[c]) for c in FIGURE_COLUMNS)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines
