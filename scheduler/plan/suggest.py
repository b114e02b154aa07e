"""Where can one more unit go? The best places for it in a plan, changing nothing.

``suggest_places(scenario, schedule, unit)`` lists the (team, day, group) places where the unit
fits beside every visit of the plan as it stands, and, for a short visit, each day route of the
plan it can join and where in the route; each with what the plan would then cost (the one cost
function, ``plan_cost``, before and after) and what else it would change (a joined day's visits
re-timed). The best first; every place shown passes the independent checker. Nothing is re-planned:
the planner's "where can I fit one more?" answered without a whole re-plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from models.rules import RuleId
from models.scenario import Scenario, Unit
from models.schedule import Assignment, Schedule, VisitState
from scheduler.check.checker import check_schedule
from scheduler.cost.price import plan_cost
from scheduler.problem.domains import build_domains
from scheduler.problem.schedule_build import make_assignment
from scheduler.routing.reading import timed_routes, with_routes
from scheduler.routing.stage import TIMES, DayDoesNotFit, lay_out_days, route_assignments
from scheduler.search.greedy import candidate_visits

CHECKED_AT_MOST = 60  # candidates re-verified by the checker, cheapest first, to find the top N


class UnitAlreadyPlanned(ValueError):
    """The unit to add is already in the scenario."""


@dataclass(frozen=True)
class Place:
    """One place for the new unit, and what taking it would do to the plan."""

    visit: Assignment
    cost_change: int  # the plan's cost with the unit there, minus its cost now
    terms_change: dict[str, int] = field(default_factory=dict)  # by rule id, the non-zero ones
    route_id: str | None = None  # the day route it joins (None: a day of its own)
    position: int | None = None  # its place in that route, 1 = first
    retimed: list[str] = field(default_factory=list)  # the route's visits whose hours change

    @property
    def day(self) -> date:
        return self.visit.start


def suggest_places(scenario: Scenario, schedule: Schedule, unit: Unit, top: int = 5) -> list[Place]:
    """The ``top`` best places for ``unit`` in ``schedule``, cheapest first (see the module)."""
    if unit.id in {u.id for u in scenario.units}:
        raise UnitAlreadyPlanned(f"unit {unit.id} is already in the scenario")
    grown = scenario.model_copy(update={"units": [*scenario.units, unit]})
    kept = {a.unit_id: a for a in schedule.assignments if a.state is not VisitState.CANCELLED}
    before = plan_cost(scenario, schedule)
    tries = [*_own_days(grown, schedule, kept, unit), *_joined_routes(grown, schedule, unit)]
    priced = sorted(((_priced(grown, before.terms, trial), trial) for trial in tries),
                    key=lambda pt: (pt[0].cost_change, pt[0].day, pt[0].visit.team_id, pt[0].position or 0))
    places: list[Place] = []
    for place, trial in priced[:CHECKED_AT_MOST]:
        if check_schedule(grown, trial.schedule).ok:
            places.append(place)
        if len(places) == top:
            break
    return places


@dataclass(frozen=True)
class _Trial:
    schedule: Schedule
    visit: Assignment
    route_id: str | None = None
    position: int | None = None
    retimed: tuple[str, ...] = ()


def _own_days(scenario: Scenario, schedule: Schedule, kept: dict[str, Assignment],
              unit: Unit) -> list[_Trial]:
    """The unit on a day of its own, with the group a planner would send."""
    dom = build_domains(scenario, fixed=kept)
    cal = dom.cal
    trials = []
    for v in candidate_visits(dom, unit.id):
        visit = make_assignment(scenario, cal, unit.id, v.team_id, cal.date_of(v.start), v.member_ids,
                                v.lead_id)
        plan = schedule.model_copy(update={"assignments": [*schedule.assignments, visit]})
        if unit.visit_minutes is not None:
            plan = lay_out_days(scenario, plan, untimed=True)
            visit = plan.assignments[-1]
        trials.append(_Trial(with_routes(scenario, plan), visit))
    return trials


def _joined_routes(scenario: Scenario, schedule: Schedule, unit: Unit) -> list[_Trial]:
    """A short visit joining a day route of the plan, at each place in its order."""
    if unit.visit_minutes is None:
        return []
    cal = scenario.work_calendar()
    trials = []
    for key, route in timed_routes(schedule.assignments).items():
        team_id, day, lead_id = key
        if not cal.is_working_day(day):
            continue
        first = route[0]
        for position in range(len(route) + 1):
            visit = make_assignment(scenario, cal, unit.id, team_id, day, first.member_ids, lead_id)
            order = [a.unit_id for a in route]
            order.insert(position, unit.id)
            trial = _joined(scenario, schedule, visit, order)
            if trial is not None:
                moved = tuple(a.unit_id for a in route if _hours(trial.schedule, a.unit_id) != _hours_of(a))
                trials.append(_Trial(trial.schedule, trial.visit, first.route_id, position + 1, moved))
    return trials


def _joined(scenario: Scenario, schedule: Schedule, visit: Assignment, order: list[str]) -> _Trial | None:
    """The plan with ``visit`` inserted into its day at ``order``, the day laid out again."""
    try:
        laid = route_assignments(scenario, order, visit)
    except DayDoesNotFit:
        return None
    hours = {a.unit_id: {k: getattr(a, k) for k in TIMES} for a in laid}
    assignments = [a.model_copy(update=hours[a.unit_id]) if a.unit_id in hours
                   and a.route_key == visit.route_key else a for a in schedule.assignments]
    placed = visit.model_copy(update=hours[visit.unit_id])
    plan = schedule.model_copy(update={"assignments": [*assignments, placed]})
    return _Trial(with_routes(scenario, plan), placed)


def _hours(schedule: Schedule, unit_id: str) -> tuple[str | None, str | None]:
    a = schedule.assignment_for(unit_id)
    return (a.start_time, a.end_time) if a is not None else (None, None)


def _hours_of(a: Assignment) -> tuple[str | None, str | None]:
    return a.start_time, a.end_time


def _priced(scenario: Scenario, before: dict[str, int], trial: _Trial) -> Place:
    after = plan_cost(scenario, trial.schedule).terms
    change = {k: after.get(k, 0) - before.get(k, 0) for k in sorted({*after, *before})}
    change = {k: v for k, v in change.items() if v}
    soft = {r.value for r in RuleId if r.value.startswith("S")}
    return Place(trial.visit, sum(v for k, v in change.items() if k in soft), change, trial.route_id,
                 trial.position, list(trial.retimed))


__all__ = ["Place", "UnitAlreadyPlanned", "suggest_places"]
