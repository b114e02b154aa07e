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

from models.calendar import format_vn
from models.messages import Worded
from models.rules import SOFT_RULES
from models.scenario import Scenario
from models.schedule import Assignment, Schedule, Status, VisitState
from scheduler.check.checker import CheckReport, check_schedule
from scheduler.messages import say
from scheduler.plan.pipeline import PlanOutcome, plan
from scheduler.replan.run import CHANGE_COSTS, ChangeCosts, change_terms
from scheduler.search.solve import SolveOptions

_SOFT_IDS = {r.id.value for r in SOFT_RULES}


@dataclass(frozen=True)
class UndoneEdit:
    """An edit the repaired plan could not keep: where it was, where it is now, and why."""

    unit_id: str
    edited: Assignment | None  # None: the planner deleted the unit's row
    repaired: Assignment | None  # None: left out (an optional unit)
    why: list[str]

    def changes(self, lang: str = "vi") -> list[str]:
        a, b = self.edited, self.repaired
        if b is None:
            return [say("repair.left_out", lang)]
        if a is None:
            return [say("repair.added_back", lang, day=format_vn(b.start), team=b.team_id)]
        found = []
        if b.start != a.start:
            found.append(say("repair.date", lang, old=format_vn(a.start), new=format_vn(b.start)))
        if b.team_id != a.team_id:
            found.append(say("repair.team", lang, old=a.team_id, new=b.team_id))
        left, joined = set(a.member_ids) - set(b.member_ids), set(b.member_ids) - set(a.member_ids)
        if left or joined:
            found.append(say("repair.members", lang, changes=", ".join(
                [*(f"-{m}" for m in sorted(left)), *(f"+{m}" for m in sorted(joined))])))
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


def repair_lines(result: RepairResult, names: dict[str, str], lang: str = "vi") -> list[str]:
    """What ``kiemtra repair`` prints: each edit undone, what changed and why."""
    if not result.needed:
        return [say("repair.nothing", lang)]
    lines = [say("repair.head", lang, violations=len(result.before.violations),
                 undone=len(result.undone))]
    for u in sorted(result.undone, key=lambda u: u.unit_id):
        lines.append(f"- {u.unit_id} ({names.get(u.unit_id, u.unit_id)}): "
                     + "; ".join(u.changes(lang)))
        lines += [say("repair.because", lang, why=getattr(why, "vi", why) if lang != "en" else why)
                  for why in u.why]
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
            broken.setdefault(v.unit_id, []).append(
                Worded(f"[{v.rule_id}] {v.message}", f"[{v.rule_id}] {v.text('vi')}"))
    undone = []
    for unit_id, edited in refs.items():
        now = repaired.assignment_for(unit_id)
        if now is not None and _same_place(now, edited) and \
                set(now.member_ids) == set(edited.member_ids):
            continue
        why = broken.get(unit_id) or [Worded(say("repair.make_room", "en"),
                                             say("repair.make_room", "vi"))]
        undone.append(UndoneEdit(unit_id, edited, now, why))
    for a in repaired.assignments:
        if a.unit_id not in refs and a.state is not VisitState.DONE and a.unit_id in broken:
            undone.append(UndoneEdit(a.unit_id, None, a, broken[a.unit_id]))
    return undone
