"""What a re-plan may change, and what each change costs.

- ``change_terms``: the model's penalties for moving a visit away from the visit it replaces
  (R01-R05, priced by ``scheduler.cost.price.plan_cost`` alike);
- ``neighbourhoods``: the ladder of neighbourhoods a re-plan tries, smallest first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ortools.sat.python import cp_model

from models.calendar import WorkCalendar
from models.rules import RuleId
from models.schedule import Assignment, VisitState
from models.timing import earliest_visit_date
from scheduler.cost.price import ChangeCosts
from scheduler.model.build import PlanModel, Term
from scheduler.replan.fates import AppliedEvents, Fate, UnitFate

# Rule ids of the change costs (soft rules of the re-plan only).
R_MOVED_ANNOUNCED = RuleId.R01_MOVED_ANNOUNCED
R_MOVED_PLANNED = RuleId.R02_MOVED_PLANNED
R_TEAM = RuleId.R03_TEAM_CHANGED
R_MEMBERS = RuleId.R04_MEMBERS_CHANGED
R_SHIFT = RuleId.R05_DAYS_SHIFTED

WIDEN_DAYS = 10  # 'nearby' planned visits: within this many working days of a released one


# --- change costs --------------------------------------------------------------------------------


def change_terms(
    references: dict[str, Assignment], costs: ChangeCosts, cal: WorkCalendar
) -> Callable[[PlanModel], list[Term]]:
    """The ``extra_terms`` callback: penalties for moving each visit away from its reference.

    A short visit routed in a re-plan is one visit of its day route in the model
    (``Domains.route_units``): it pays its own change cost on the route's variables, so moving a
    route of five costs five moves there as in ``plan_cost``; a unit on a trip with nights away
    compares its own day (``Domains.route_days`` after the trip's start) with its reference."""

    def terms(ctx: PlanModel) -> list[Term]:
        found: list[Term] = []
        route_of = {u: r for r, units in ctx.dom.route_units.items() for u in units}
        for unit_id, ref in references.items():
            visit = unit_id if unit_id in ctx.start else route_of.get(unit_id)
            if visit is not None and visit in ctx.start:
                found += _unit_change_terms(ctx, visit, ref, costs, cal, ctx.dom.route_days.get(unit_id, 0))
        return found

    return terms


def _unit_change_terms(ctx: PlanModel, unit_id: str, ref: Assignment, costs: ChangeCosts,
                       cal: WorkCalendar, day: int = 0) -> list[Term]:
    """``day``: a unit on a trip is visited that many working days after its trip's start."""
    model: cp_model.CpModel = ctx.model
    announced = ref.state is VisitState.ANNOUNCED
    s0 = cal.index_on_or_after(ref.start) - day  # an edited plan may name a day off
    start = ctx.start[unit_id]
    shift = model.new_int_var(0, cal.size, f"shift[{unit_id}]")
    model.add_abs_equality(shift, start - s0)
    moved = model.new_bool_var(f"moved[{unit_id}]")
    model.add(shift == 0).only_enforce_if(moved.negated())
    moved_rule = R_MOVED_ANNOUNCED if announced else R_MOVED_PLANNED
    move_cost = costs.announced_moved if announced else costs.planned_moved
    found: list[Term] = [(moved_rule, moved, move_cost), (R_SHIFT, shift, costs.per_day_shifted)]
    present = ctx.present[unit_id]
    if not isinstance(present, int):  # an optional unit may be left out: more than any move
        found.append((moved_rule, 1 - present, costs.dropped_moves * move_cost))
    # Team and group changes count for a visit that takes place (a dropped one pays above).
    team_var = ctx.team[unit_id].get(ref.team_id)
    if team_var is not None and len(ctx.team[unit_id]) > 1:
        found.append((R_TEAM, present - team_var,
                      costs.announced_team if announced else costs.planned_team))
    group = set(ref.member_ids)
    kept = [z for m, z in ctx.member[unit_id].items() if m in group]
    added = [z for m, z in ctx.member[unit_id].items() if m not in group]
    if kept or added:
        found.append((R_MEMBERS, len(kept) * present - sum(kept) + sum(added),
                      costs.member_changed))
    return found


# --- neighbourhoods ------------------------------------------------------------------------------


@dataclass
class Neighbourhood:
    name: str
    free: set[str]
    pinned: set[str]  # announced visits held on their date and team; only members may change


def _member_only(fate: UnitFate) -> bool:
    """A released announced visit whose date and team are still fine (only a member broke)."""
    ref = fate.reference
    return (ref is not None and ref.state is VisitState.ANNOUNCED
            and set(fate.rules) <= {RuleId.H11_AVAILABLE})


def neighbourhoods(applied: AppliedEvents, cal: WorkCalendar) -> list[Neighbourhood]:
    """The neighbourhoods to try, smallest first; each one frees more than the one before.

    A pinned visit keeps its date and team and may only change members: cheap, and the unit
    need not be told. Dates of announced visits are freed only when nothing smaller works.
    """
    broken = set(applied.released()) | set(applied.new_units())
    member_only = {u for u, f in applied.with_fate(Fate.RELEASED).items() if _member_only(f)}
    kept = applied.kept()
    announced = {u for u, a in kept.items() if a.state is VisitState.ANNOUNCED}
    near = _nearby(applied, set(kept), cal)
    ladder = [
        Neighbourhood("broken visits only", broken, member_only),
        Neighbourhood(f"broken visits, and the groups of visits within {WIDEN_DAYS} working days",
                      broken | near, member_only | near),
        Neighbourhood(f"broken visits and the planned visits within {WIDEN_DAYS} working days "
                      "may move", broken | near, near & announced),
        Neighbourhood("all planned visits may move", broken | set(kept), announced),
        Neighbourhood("every visit not yet done may move", broken | set(kept), set()),
    ]
    out: list[Neighbourhood] = []
    for n in ladder:
        if not out or (n.free, n.pinned) != (out[-1].free, out[-1].pinned):
            out.append(n)
    return out


def _new_unit_day(applied: AppliedEvents, unit_id: str) -> date:
    """Where a new unit's visit is wanted first: its earliest day, inside its window as written
    (an expected window binds only the horizon, but its visits are wanted inside)."""
    s, unit = applied.scenario, applied.scenario.unit(unit_id)
    return max(applied.as_of, s.window_bounds(unit)[0], earliest_visit_date(s, unit, s.teams[0]))


def _nearby(applied: AppliedEvents, candidates: set[str], cal: WorkCalendar) -> set[str]:
    """Kept visits within ``WIDEN_DAYS`` working days of a released visit or a new unit."""
    anchors = [cal.index(f.reference.start) for f in applied.with_fate(Fate.RELEASED).values()
               if f.reference is not None]
    anchors += [cal.index_on_or_after(_new_unit_day(applied, u)) for u in applied.new_units()]
    kept = applied.kept()
    return {u for u in candidates
            if any(abs(cal.index(kept[u].start) - a) <= WIDEN_DAYS for a in anchors)}


