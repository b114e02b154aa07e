"""What a plan costs, term by term: the one place a plan is priced.

The soft rules S01-S14 (``Weights``) and, for a re-plan, the change costs R01-R05 of moving
visits away from an earlier plan (``ChangeCosts``), computed from the schedule alone. The solver
(``SolverInfo.objective_terms``), greedy, re-planning, the checker and the benchmarks all call
``plan_cost``; the CP-SAT model's own objective is tested against it. Pure Python; no solver.

The per-unit terms (S03, S04, S06, S09, S11) count a composite visit of the route stage (a day
route or a trip priced on the calendar problem) once per unit it stands for (``Unit.stands_for``),
so the calendar plan and its expansion price those terms alike; the per-day terms count it once.

Garbage is priced, never raised on: an unknown unit, team or member is left out of the terms it
would feed, and a start that is not a working day counts from the next one (the checker reports
those as H01/H02 violations; the cost of such a schedule is indicative only).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from models.calendar import WorkCalendar
from models.groups import goes_as_whole_team, group_floor, team_leaders
from models.rules import RULES, SOFT_RULES, RuleId
from models.scenario import Scenario, Team, Unit, expand_dates
from models.schedule import Assignment, Schedule, VisitState
from models.selection import sampled_ids
from models.timing import baseline_start_index, days_outside_window, early_days
from scheduler.cost.route_price import RoutePrice
from scheduler.cost.routes import overnight, team_days, travel, visit_day_key, visit_day_keys
from scheduler.cost.visits import PricedVisit, priced_visits
from scheduler.problem.capacity import away_days
from scheduler.problem.domains import eligible_members
from scheduler.problem.pace import pace_groups, pace_penalty
from scheduler.routing.trips import TRIP_PREFIX

SOFT_IDS = tuple(r.id for r in SOFT_RULES)  # every soft rule of the registry
CHANGE_IDS = (RuleId.R01_MOVED_ANNOUNCED, RuleId.R02_MOVED_PLANNED, RuleId.R03_TEAM_CHANGED,
              RuleId.R04_MEMBERS_CHANGED, RuleId.R05_DAYS_SHIFTED)


@dataclass(frozen=True)
class ChangeCosts:
    """What changing a visit that already had its place costs, in objective points.

    The usual soft rules cost tens to hundreds of points (S01 is 20 per day of imbalance), so:
    moving an announced visit (the unit was told) costs far more than anything else; moving a
    planned visit costs more than any balance gain it could buy; changing the team costs as much
    as changing the date; changing members costs least, per member who leaves or joins the group
    (replacing a whole group of four is 8 changes, 1,600, still less than one moved planned
    visit). A moved visit also pays per working day it shifts, so a move stays short.
    """

    announced_moved: int = 100_000  # R01: an announced visit's date changes
    announced_team: int = 100_000  # R03: an announced visit goes to the other team
    planned_moved: int = 2_000  # R02: a planned visit's date changes
    planned_team: int = 2_000  # R03: a planned visit goes to the other team
    member_changed: int = 200  # R04: per member who leaves or joins a visit's group
    per_day_shifted: int = 10  # R05: per working day a visit moves
    # R01/R02: a visit that had its place and is left out costs this many moves, more than any
    # move (date + team + days + members), so an announced optional visit is moved before it is
    # dropped (a hostile test dropped one whose team lost its only lead: leaving it out was cheaper).
    dropped_moves: int = 3


CHANGE_COSTS = ChangeCosts()


@dataclass(frozen=True)
class PlanCost:
    """A plan's weighted terms: S01-S14 always, R01-R05 when priced against a baseline."""

    terms: dict[str, int] = field(default_factory=dict)

    @property
    def objective(self) -> int:
        """The plan's objective (CONTRACTS): the soft rules only."""
        return sum(v for k, v in self.terms.items() if k in SOFT_IDS)

    @property
    def total(self) -> int:
        """Soft rules plus change costs: what a re-plan minimises."""
        return sum(self.terms.values())


# --- soft rules (each returns its unweighted count) -----------------------------------------------


def _spread(values: Iterable[int]) -> int:
    values = list(values)
    return max(values) - min(values) if values else 0


def team_balance(scenario: Scenario, visits: list[PricedVisit], cal: WorkCalendar) -> int:
    """S01-team-balance: max - min visit days over the teams."""
    load = Counter({t.id: 0 for t in scenario.teams})
    for _, team_id in {(k, v.team.id) for v in visits if v.team is not None for k in visit_day_keys(v)}:
        load[team_id] += 1  # a route's visits are one visit-day
    return _spread(load.values())


def member_balance(scenario: Scenario, visits: list[PricedVisit], cal: WorkCalendar) -> int:
    """S02-member-balance: per team of two or more, max - min visit days over its members."""
    load = Counter({m.id: 0 for m in scenario.members})
    for _, member_id in {(k, m.id) for v in visits for m in v.members for k in visit_day_keys(v)}:
        load[member_id] += 1  # a route's visits are one visit-day
    spreads = [[load[m.id] for m in scenario.team_members(t.id)] for t in scenario.teams]
    return sum(_spread(loads) for loads in spreads if len(loads) >= 2)


def early(scenario: Scenario, visits: list[PricedVisit], cal: WorkCalendar) -> int:
    """S03-early: working days from the unit's earliest possible start to the visit's start.

    A start that is not a working day of the horizon (an H02 violation) counts from the next one;
    a start before that reference day counts 0 (``models.timing.early_days``).
    """
    return sum(early_days(cal.index_on_or_after(v.a.start), baseline_start_index(cal, scenario, v.unit))
               * v.unit.stands_for for v in visits if v.unit is not None)


def preferred(scenario: Scenario, visits: list[PricedVisit], cal: WorkCalendar) -> int:
    """S04-preferred: visits of units with preferred dates that start on none of them."""
    return sum(v.unit.stands_for for v in visits if v.unit is not None and v.unit.preferred_dates
               and v.a.start not in expand_dates(v.unit.preferred_dates))


def agency_spread(scenario: Scenario, visits: list[PricedVisit], cal: WorkCalendar) -> int:
    """S05-agency-spread: per agency, the member-days it gives in its busiest week; summed. A
    route's visits are one visit-day: its members give that day once."""
    given = {(visit_day_key(v, d), m.id, m.agency, cal.week_of_date(d))
             for v in visits for m in v.members for d in v.days}
    draw = Counter((agency, week) for _, _, agency, week in given)
    peak: dict[str, int] = defaultdict(int)
    for (agency, _), n in draw.items():
        peak[agency] = max(peak[agency], n)
    return sum(peak.values())


def optional_left(scenario: Scenario, visits: list[PricedVisit], cal: WorkCalendar) -> int:
    """S06-optional: optional units left unscheduled, but for those a selection samples (S13)."""
    visited = {v.a.unit_id for v in visits}
    sampled = sampled_ids(scenario)
    return sum(u.stands_for for u in scenario.units if u.optional and u.id not in visited | sampled)


def sample_priority_left(scenario: Scenario, visits: list[PricedVisit], cal: WorkCalendar) -> int:
    """S13-sample-priority: the priority points of the optional units selections sample, left out."""
    visited = {v.a.unit_id for v in visits}
    sampled = sampled_ids(scenario)
    return sum(u.priority for u in scenario.units
               if u.optional and u.id in sampled and u.id not in visited)


def outside_window(scenario: Scenario, visits: list[PricedVisit], cal: WorkCalendar) -> int:
    """S11-outside-window: working days each visit lies before or after its expected window
    (``models.timing.days_outside_window``, which the model prices per start day too)."""
    return sum(days_outside_window(cal, scenario, v.unit, cal.index_on_or_after(v.a.start))
               * v.unit.stands_for for v in visits if v.unit is not None)


def pace(scenario: Scenario, visits: list[PricedVisit], cal: WorkCalendar) -> int:
    """S09-pace: an even pace over each window (``scheduler.problem.pace``)."""
    starts = {v.a.unit_id: cal.week_of(min(cal.index_on_or_after(v.a.start), cal.size - 1))
              for v in visits if v.unit is not None}
    return sum(pace_penalty(g, g.unit_weeks(starts)) for g in pace_groups(scenario, cal))


def leader_ids(scenario: Scenario) -> set[str]:
    """The Trưởng đoàn of every team: the members S10-leader-load counts (model and cost alike)."""
    return {m.id for t in scenario.teams for m in team_leaders(scenario, t.id)}


def leader_load(scenario: Scenario, visits: list[PricedVisit], cal: WorkCalendar) -> int:
    """S10-leader-load: per Trưởng đoàn and calendar week, visit days above
    ``rules.leader_days_per_week`` (none without a cap). A route's visits are one visit-day; a
    multi-day visit counts each day in its own week."""
    cap = scenario.rules.leader_days_per_week
    if cap is None:
        return 0
    leaders = leader_ids(scenario)
    days: dict[tuple[str, int], set[tuple[object, ...]]] = defaultdict(set)
    for v in visits:
        for m in v.members:
            if m.id in leaders:
                for d in v.days:
                    days[(m.id, cal.week_of_date(d))].add(visit_day_key(v, d))
    return sum(max(0, len(keys) - cap) for keys in days.values())


def group_members(scenario: Scenario, visits: list[PricedVisit], cal: WorkCalendar) -> int:
    """S12-group-members: member-days excused from whole-team visits (a member of the team who
    could go, not away on any of its days nor from the inspected agency, stays behind), or sent
    above the floor on the others (``models.groups``); a route's visits are one visit-day."""
    away = away_days(cal, scenario)
    seen: set[tuple[object, ...]] = set()
    total = 0
    for v in visits:
        if v.unit is None or v.team is None or v.unit.group_size is not None:
            continue
        per_day = group_deviation(scenario, v.unit, v.team, {m.id for m in v.members},
                                  cal.indices(v.days), away)
        keys = visit_day_keys(v) - seen
        seen |= keys
        total += per_day * len(keys)
    return total


def group_deviation(scenario: Scenario, unit: Unit, team: Team, going: set[str], days: set[int],
                    away: Mapping[str, set[int]]) -> int:
    """S12 for one visit-day: members left behind (whole team) or above the floor (minimum);
    the model prices a visit it keeps fixed with this too."""
    if unit.group_size is not None:
        return 0
    if not goes_as_whole_team(scenario, unit, team):
        return max(0, len(going) - group_floor(scenario, unit))
    could = [m for m in eligible_members(scenario, unit, team.id, frozenset())
             if not days & away.get(m.id, set())]
    return sum(1 for m in could if m.id not in going)


SOFT_COUNTS = {
    RuleId.S01_TEAM_BALANCE: team_balance,
    RuleId.S02_MEMBER_BALANCE: member_balance,
    RuleId.S03_EARLY: early,
    RuleId.S04_PREFERRED: preferred,
    RuleId.S05_AGENCY_SPREAD: agency_spread,
    RuleId.S06_OPTIONAL: optional_left,
    RuleId.S09_PACE: pace,
    RuleId.S07_TRAVEL: travel,  # scheduler.cost.routes
    RuleId.S08_TEAM_DAYS: team_days,
    RuleId.S10_LEADER_LOAD: leader_load,
    RuleId.S11_OUTSIDE_WINDOW: outside_window,
    RuleId.S12_GROUP_MEMBERS: group_members,
    RuleId.S13_SAMPLE_PRIORITY: sample_priority_left,
    RuleId.S14_OVERNIGHT: overnight,  # scheduler.cost.routes
}


def soft_terms(scenario: Scenario, visits: list[PricedVisit], cal: WorkCalendar) -> dict[str, int]:
    """Each soft rule's weighted penalty, keyed by its id (weights from the scenario); the routes'
    terms (S07, S08) through ``RoutePrice``, the formula the route engine minimises too."""
    weights = scenario.weights.model_dump()
    routes = RoutePrice.of(scenario.weights).terms(travel(scenario, visits, cal),
                                                  team_days(scenario, visits, cal))
    return {rule: routes[rule] if rule in routes else _weighted(weights[_weight(rule)], count, scenario,
                                                              visits, cal)
            for rule, count in SOFT_COUNTS.items()}


def _weighted(weight: int, count: Callable[[Scenario, list[PricedVisit], WorkCalendar], int],
              scenario: Scenario, visits: list[PricedVisit], cal: WorkCalendar) -> int:
    """A term's weight times its count; a rule weighted 0 is not counted (S03's count alone
    took a quarter of a 1,000-unit neighbourhood search, measured)."""
    return weight * count(scenario, visits, cal) if weight else 0


def _weight(rule: RuleId) -> str:
    name = RULES[rule].weight
    assert name is not None, f"{rule} has no weight"
    return name


# --- change costs (re-planning) -------------------------------------------------------------------


def change_terms(references: Mapping[str, Assignment], schedule: Schedule, cal: WorkCalendar,
                 costs: ChangeCosts = CHANGE_COSTS) -> dict[str, int]:
    """R01-R05: what moving each visit away from its reference (the baseline's) costs."""
    values: dict[str, int] = dict.fromkeys(CHANGE_IDS, 0)
    for unit_id, ref in references.items():
        new = schedule.assignment_for(unit_id)
        announced = ref.state is VisitState.ANNOUNCED
        if new is None or new.state is VisitState.CANCELLED:
            key = RuleId.R01_MOVED_ANNOUNCED if announced else RuleId.R02_MOVED_PLANNED
            moved = costs.announced_moved if announced else costs.planned_moved
            values[key] += costs.dropped_moves * moved
            continue
        if new.start != ref.start:
            key = RuleId.R01_MOVED_ANNOUNCED if announced else RuleId.R02_MOVED_PLANNED
            values[key] += costs.announced_moved if announced else costs.planned_moved
        shift = abs(cal.index_on_or_after(new.start) - cal.index_on_or_after(ref.start))
        values[RuleId.R05_DAYS_SHIFTED] += costs.per_day_shifted * shift
        if new.team_id != ref.team_id:
            values[RuleId.R03_TEAM_CHANGED] += costs.announced_team if announced else costs.planned_team
        changed = len(set(ref.member_ids) ^ set(new.member_ids))
        values[RuleId.R04_MEMBERS_CHANGED] += costs.member_changed * changed
    return values


# --- entry point --------------------------------------------------------------------------------


def plan_cost(scenario: Scenario, schedule: Schedule, cal: WorkCalendar | None = None,
              references: Mapping[str, Assignment] | None = None,
              costs: ChangeCosts = CHANGE_COSTS,
              route_travel: Mapping[str, Mapping[str, int]] | None = None) -> PlanCost:
    """The plan's weighted terms: S01-S14, and R01-R05 against ``references`` when given
    (unit id -> the visit it had before the re-plan). Cancelled visits are ignored.

    ``route_travel`` (``Problem.route_travel``): the plan is a routed problem's calendar plan, whose
    composite visits have no place of their own: their S07 is the route stage's travel from the
    driving team's base and a trip's S14 its nights, as the CP-SAT model prices them."""
    cal = cal or scenario.work_calendar()
    terms = soft_terms(scenario, priced_visits(scenario, schedule, cal), cal)
    if route_travel:
        _add_composite_routes(scenario, schedule, route_travel, terms)
    if references is not None:
        terms.update(change_terms(references, schedule, cal, costs))
    return PlanCost(terms)


def _add_composite_routes(scenario: Scenario, schedule: Schedule,
                          route_travel: Mapping[str, Mapping[str, int]], terms: dict[str, int]) -> None:
    """S07 and S14 of a calendar plan's composite visits (see ``plan_cost``)."""
    units = {u.id: u for u in scenario.units}
    made = [a for a in schedule.assignments
            if a.state is not VisitState.CANCELLED and a.unit_id in route_travel]
    minutes = sum(route_travel[a.unit_id].get(a.team_id, 0) for a in made)
    nights = sum(units[a.unit_id].duration - 1 for a in made
                 if a.unit_id.startswith(TRIP_PREFIX) and a.unit_id in units)
    terms[RuleId.S07_TRAVEL] += scenario.weights.travel * minutes
    terms[RuleId.S14_OVERNIGHT] += scenario.weights.overnight * nights
