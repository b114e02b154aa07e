"""Repair a plan a planner edited: the nearest plan that meets every rule.

``repair(scenario, edited)`` keeps each edit where the rules allow it. Every visit of the edited
plan is a reference, as in re-planning: moving it, giving it to the other team or changing its
group costs what a re-plan pays (``ChangeCosts``: an announced visit far more than a planned
one), so the solver changes as little as it can, then optimises the usual soft rules. Visits
marked done are history and never move. The result says which edits had to be undone and why
(the rules the edited plan broke on that unit, or "to make room" when it broke none).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from models.rules import SOFT_RULES
from models.scenario import Scenario
from models.schedule import Assignment, Schedule, Status, VisitState
from scheduler.check.checker import CheckReport, check_schedule
from scheduler.cost.price import CHANGE_COSTS, ChangeCosts
from scheduler.plan.pipeline import PlanOutcome, plan
from scheduler.replan.neighbourhoods import change_terms
from scheduler.search.solve import SolveOptions

_SOFT_IDS = {r.id.value for r in SOFT_RULES}


@dataclass(frozen=True)
class UndoneEdit:
    """An edit the repaired plan could not keep: where it was, where it is now, and why."""

    unit_id: str
    edited: Assignment | None  # None: the planner deleted the unit's row
    repaired: Assignment | None  # None: left out (an optional unit)
    why: list[str]

    def changes(self) -> list[str]:
        a, b = self.edited, self.repaired
        if b is None:
            return ["left out"]
        if a is None:
            return [f"visit added back on {b.start.strftime('%d/%m/%Y')} ({b.team_id})"]
        found = []
        if b.start != a.start:
            found.append(f"date {a.start.strftime('%d/%m/%Y')} -> {b.start.strftime('%d/%m/%Y')}")
        if b.team_id != a.team_id:
            found.append(f"team {a.team_id} -> {b.team_id}")
        left, joined = set(a.member_ids) - set(b.member_ids), set(b.member_ids) - set(a.member_ids)
        if left or joined:
            found.append("members " + ", ".join([*(f"-{m}" for m in sorted(left)),
                                                 *(f"+{m}" for m in sorted(joined))]))
        return found


@dataclass
class RepairResult:
    before: CheckReport  # the edited plan, as the checker found it
    outcome: PlanOutcome | None  # None when the edited plan already met every rule
    schedule: Schedule | None
    undone: list[UndoneEdit] = field(default_factory=list)

    @property
    def needed(self) -> bool:
        return not self.before.ok


def repair(scenario: Scenario, edited: Schedule, options: SolveOptions | None = None,
           costs: ChangeCosts = CHANGE_COSTS) -> RepairResult:
    """The nearest valid plan to ``edited``; the edited plan itself when it breaks no rule."""
    before = check_schedule(scenario, edited)
    if before.ok:
        return RepairResult(before, None, edited)
    units = {u.id for u in scenario.units}
    visits = {a.unit_id: a for a in edited.assignments
              if a.state is not VisitState.CANCELLED and a.unit_id in units}
    done = {u: a for u, a in visits.items() if a.state is VisitState.DONE}
    refs = {u: a for u, a in visits.items() if u not in done}
    options = replace(options or SolveOptions(), fixed=done, hint=edited,
                      extra_terms=change_terms(refs, costs, scenario.work_calendar()))
    outcome = plan(scenario, options)
    if outcome.schedule is None:
        return RepairResult(before, outcome, None)
    repaired = _as_plan(outcome.schedule, visits)
    return RepairResult(before, outcome, repaired, _undone(refs, repaired, before))


def repair_lines(result: RepairResult, names: dict[str, str]) -> list[str]:
    """What ``kiemtra repair`` prints: each edit undone, what changed and why."""
    if not result.needed:
        return ["the edited plan breaks no rule: nothing to repair"]
    lines = [f"the edited plan has {len(result.before.violations)} violation(s); "
             f"{len(result.undone)} edit(s) undone:"]
    for u in sorted(result.undone, key=lambda u: u.unit_id):
        lines.append(f"- {u.unit_id} ({names.get(u.unit_id, u.unit_id)}): "
                     + "; ".join(u.changes()))
        lines += [f"    because {why}" for why in u.why]
    return lines


def _as_plan(schedule: Schedule, visits: dict[str, Assignment]) -> Schedule:
    """The repaired schedule as a plan: its cost is its soft rules (the change costs are
    listed beside them), its states those the planner gave, and it claims no proof."""
    info = schedule.solver
    cost = sum(v for k, v in info.objective_terms.items() if k in _SOFT_IDS)
    kept = [a.model_copy(update={"state": visits[a.unit_id].state})
            if a.unit_id in visits and _same_place(a, visits[a.unit_id]) else a
            for a in schedule.assignments]
    solver = info.model_copy(update={"status": Status.FEASIBLE, "objective": cost,
                                     "bound": None})
    return schedule.model_copy(update={"assignments": kept, "solver": solver})


def _same_place(a: Assignment, b: Assignment) -> bool:
    return (a.start, a.team_id) == (b.start, b.team_id)


def _undone(refs: dict[str, Assignment], repaired: Schedule, before: CheckReport
            ) -> list[UndoneEdit]:
    broken: dict[str, list[str]] = {}
    for v in before.violations:
        if v.unit_id:
            broken.setdefault(v.unit_id, []).append(f"[{v.rule_id}] {v.message}")
    undone = []
    for unit_id, edited in refs.items():
        now = repaired.assignment_for(unit_id)
        if now is not None and _same_place(now, edited) and \
                set(now.member_ids) == set(edited.member_ids):
            continue
        why = broken.get(unit_id) or ["moved to make room for a visit that broke a rule"]
        undone.append(UndoneEdit(unit_id, edited, now, why))
    for a in repaired.assignments:
        if a.unit_id not in refs and a.state is not VisitState.DONE and a.unit_id in broken:
            undone.append(UndoneEdit(a.unit_id, None, a, broken[a.unit_id]))
    return undone
