"""Timed schedules built by hand (no solver): a plan's short visits laid on day routes by the greedy
route engine, each team's routes on its consecutive working days."""

from __future__ import annotations

import csv
import functools
import io
from datetime import date, timedelta
from pathlib import Path

from conftest import SCENARIOS
from models.loading import load_scenario
from models.scenario import Scenario
from models.schedule import Assignment, Schedule
from scheduler.output import build_outputs
from scheduler.plan.pipeline import greedy_schedule
from scheduler.routing.engine import Route, Stop, greedy_routes, stop_problems
from scheduler.routing.reading import point_of, travel_params, working_day
from scheduler.routing.travel import fmt_clock, road_km


def untimed_csv(scenario: Scenario, schedule: Schedule, path: Path) -> Path:
    """The plan's schedule.csv as a planner who cleared every hour and travel figure saves it."""
    text = build_outputs(scenario, schedule, {"csv"})["schedule.csv"].decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    for row in rows:
        row.update(start_time="", end_time="", travel_minutes="", travel_km="")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def timed_schedule(scenario: Scenario, schedule: Schedule, first_day: date) -> Schedule:
    """``schedule`` with each team's short-visit units moved onto greedy day routes from ``first_day``."""
    by_unit = {a.unit_id: a for a in schedule.assignments}
    kept = [a for a in schedule.assignments if scenario.unit(a.unit_id).visit_minutes is None]
    cal = scenario.work_calendar()
    for team in scenario.teams:
        short = [by_unit[u.id] for u in scenario.units
                 if u.visit_minutes and u.id in by_unit and by_unit[u.id].team_id == team.id]
        if not short or team.base is None:
            continue
        base = point_of(team.base)
        assert base is not None
        stops = [Stop(a.unit_id, point_of(scenario.unit(a.unit_id).location) or base,
                      scenario.unit(a.unit_id).visit_minutes or 0) for a in short]
        far = {p.unit_id for p in stop_problems(stops, base, working_day(scenario), travel_params(scenario))}
        kept.extend(a for a in short if a.unit_id in far)  # too far for a day trip: left as day visits
        stops = [s for s in stops if s.unit_id not in far]
        plan = greedy_routes(stops, base, working_day(scenario), travel_params(scenario))
        day = cal.next_working_day(first_day)
        for route in plan.routes:
            kept.extend(route_assignments(scenario, route, by_unit, day, base))
            day = cal.next_working_day(day + timedelta(days=1))
    return schedule.model_copy(update={"assignments": kept})


def route_assignments(scenario: Scenario, route: Route, by_unit: dict[str, Assignment], day: date,
                      base: object) -> list[Assignment]:
    """The route's visits on ``day``, all under the first visit's group and lead."""
    group = by_unit[route.unit_ids[0]]
    travel = travel_params(scenario)
    out, here = [], point_of(base)
    for unit_id, slot in zip(route.unit_ids, route.slots, strict=True):
        point = point_of(scenario.unit(unit_id).location) or here
        assert here is not None and point is not None
        out.append(by_unit[unit_id].model_copy(update={
            "start": day, "end": day, "member_ids": group.member_ids, "lead_id": group.lead_id,
            "team_id": group.team_id, "start_time": fmt_clock(slot.start), "end_time": fmt_clock(slot.end),
            "travel_minutes": slot.travel_before,
            "travel_km": round(road_km(here, point, travel.road_factor), 2)}))
        here = point
    return out


@functools.cache
@functools.cache
def timed_communes() -> tuple[Scenario, Schedule]:
    """Hanoi's 2025 commune campaign planned by the greedy planner, whose short visits go on
    nearest-neighbour day routes (with their times) as a planner would draw them."""
    scenario = load_scenario(SCENARIOS / "hanoi-2025-communes.yaml")
    return scenario, greedy_schedule(scenario)
