"""The planners' figures of one schedule, for the benchmarks: travel, team-days, pace and leaders' load.

Pure: reads the schedule and its scenario, never solves. Travel is recomputed from the coordinates
(``scheduler.routing.reading``: each team-day route in start-time order, the drive back included), so every
planner is measured the same way whatever it wrote in ``travel_minutes``. The travel lower bound is
the route engine's bound (``scheduler.routing.engine.simple_lower_bound``) on the same stops, team by team:
valid for the units each team was given, not across a different split of units between teams.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from models.scenario import Scenario
from models.schedule import Schedule
from scheduler.output.compare import LEADER_ROLES, monday, plan_figures
from scheduler.output.view import build_view
from scheduler.routing.engine import Instance, Stop, simple_lower_bound
from scheduler.routing.reading import day_routes, is_timed, point_of, stated_bases, travel_params, working_day


@dataclass(frozen=True)
class PlannerFigures:
    travel_minutes: int  # 0 when the plan has no short visits
    travel_km: float
    travel_lower_bound: int | None  # minutes; None without short visits or without bases
    routes: int  # team-days on a route
    team_days: int
    weeks: int  # weeks with at least one visit
    busiest_week: int  # visits in the busiest week
    pace_deviation: float  # largest |visits in a week − the even pace| over the plan's span
    leader_week_days: int  # the most visit days a leader or deputy gives in one week


def planner_figures(scenario: Scenario, schedule: Schedule) -> PlannerFigures:
    routes = day_routes(scenario, schedule.assignments, stated_bases(schedule))
    figures = plan_figures(scenario, schedule)
    weekly = list(figures.weekly_visits.values())
    even = sum(weekly) / len(weekly) if weekly else 0.0
    return PlannerFigures(
        travel_minutes=sum(r.travel_minutes for r in routes),
        travel_km=round(sum(r.travel_km for r in routes), 1),
        travel_lower_bound=travel_lower_bound(scenario, schedule),
        routes=len(routes), team_days=figures.team_days,
        weeks=figures.weeks_with_visits, busiest_week=max(weekly, default=0),
        pace_deviation=round(max((abs(n - even) for n in weekly), default=0.0), 1),
        leader_week_days=leader_week_days(scenario, schedule),
    )


def leader_week_days(scenario: Scenario, schedule: Schedule) -> int:
    """The most distinct visit days a leader or deputy gives in one week (two short visits on one
    day are one day, unlike ``compare.leader_week_days`` which counts each visit's days)."""
    days: dict[tuple[str, date], set[date]] = defaultdict(set)
    for v in build_view(scenario, schedule).visits:
        for m in v.members:
            if m.role in LEADER_ROLES:
                for d in v.days:
                    days[(m.id, monday(d))].add(d)
    return max((len(s) for s in days.values()), default=0)


def travel_lower_bound(scenario: Scenario, schedule: Schedule) -> int | None:
    """Sum over teams of the route engine's bound on that team's timed stops (None if none, or if
    a team has several bases: the one-base bound is no bound then)."""
    if any(len(t.bases) > 1 for t in scenario.teams):
        return None
    stops: dict[str, list[Stop]] = defaultdict(list)
    for a in schedule.assignments:
        if is_timed(a):
            unit = scenario.unit(a.unit_id)
            base = point_of(scenario.team(a.team_id).base)
            point = point_of(unit.location) or base
            if point is None:
                return None
            stops[a.team_id].append(Stop(unit.id, point, unit.visit_minutes or 0))
    if not stops:
        return None
    total = 0
    for team_id, team_stops in sorted(stops.items()):
        base = point_of(scenario.team(team_id).base)
        if base is None:
            return None
        inst = Instance.build(team_stops, base, working_day(scenario), travel_params(scenario))
        total += simple_lower_bound(inst)
    return total
