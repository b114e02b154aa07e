"""Repair a plan a planner edited: the nearest plan that meets every rule.

``repair(scenario, edited)`` keeps each edit where the rules allow it. Every visit of the edited
plan is a reference, as in re-planning: moving it, giving it to the other team or changing its
group costs what a re-plan pays (``ChangeCosts``: an announced visit far more than a planned
one), so the solver changes as little as it can, then optimises the usual soft rules. Visits
marked done are history and never move.

The solver chooses each group and lead afresh, so after it every edit it did not keep is tried
again, whole and then field by field (members and lead, lead alone), and kept wherever the
checker still passes the whole plan: a lead moved to the deputy stays. Where a member swap had to
be undone, the member of the published plan (``published``: the plan before the edits) comes
back when the rules allow. The result lists every edit undone, field by field (date, team,
members, lead), with the rules behind it: those the edited plan broke on that unit, or, for a
visit moved "to make room", those it broke elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from models.calendar import WorkCalendar, format_vn
from models.messages import Worded
from models.rules import SOFT_RULES
from models.scenario import Scenario
from models.schedule import Assignment, Schedule, Status, VisitState
from scheduler.check.checker import CheckReport, check_schedule
from scheduler.cost.price import CHANGE_COSTS, ChangeCosts, plan_cost
from scheduler.messages import say
from scheduler.plan.pipeline import PlanOutcome, plan
from scheduler.problem.schedule_build import make_assignment
from scheduler.replan.neighbourhoods import change_terms
from scheduler.routing.reading import with_routes
from scheduler.search.solve import SolveOptions

_SOFT_IDS = {r.id.value for r in SOFT_RULES}


@dataclass(frozen=True)
class FieldUndone:
    """One field of one edit the repair undid: its edited and repaired values, and the rules."""

    field: str  # "date", "team", "members", "lead", "visit" (a row deleted or left out)
    edited: str
    repaired: str
    rules: tuple[str, ...]


@dataclass(frozen=True)
class UndoneEdit:
    """An edit the repaired plan could not keep: where it was, where it is now, and why."""

    unit_id: str
    edited: Assignment | None  # None: the planner deleted the unit's row
    repaired: Assignment | None  # None: left out (an optional unit)
    why: list[str]
    rules: tuple[str, ...] = ()  # the rule ids behind it

    def fields(self) -> list[FieldUndone]:
        """Every field undone, edited value -> repaired value (dates dd/mm/yyyy)."""
        a, b, rules = self.edited, self.repaired, self.rules
        if a is None or b is None:
            return [FieldUndone("visit", _where(a), _where(b), rules)]
        found = []
        pairs = [("date", _vn(a.start), _vn(b.start)), ("team", a.team_id, b.team_id),
                 ("members", ", ".join(sorted(a.member_ids)), ", ".join(sorted(b.member_ids))),
                 ("lead", a.lead_id, b.lead_id)]
        for name, old, new in pairs:
            if old != new:
                found.append(FieldUndone(name, old, new, rules))
        return found

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
        if a.lead_id != b.lead_id:
            found.append(say("repair.lead", lang, old=a.lead_id, new=b.lead_id))
        return found


def _vn(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _where(a: Assignment | None) -> str:
    return "" if a is None else f"{a.team_id} {_vn(a.start)}"


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
           costs: ChangeCosts = CHANGE_COSTS, published: Schedule | None = None) -> RepairResult:
    """The nearest valid plan to ``edited``; the edited plan itself when it breaks no rule.
    ``published``: the plan before the edits, whose members come back where a swap is undone."""
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
    repaired = restore_edits(scenario, repaired, refs, published)
    return RepairResult(before, outcome, repaired, _undone(refs, repaired, before))


_FIELD_WORDS = {
    "vi": {"date": "ngày", "team": "đoàn", "members": "thành phần", "lead": "chủ trì",
           "visit": "buổi kiểm tra"},
    "en": {"date": "date", "team": "team", "members": "members", "lead": "lead",
           "visit": "visit"},
}


def repair_lines(result: RepairResult, names: dict[str, str], lang: str = "vi") -> list[str]:
    """What ``kiemtra repair`` prints: each edit undone, field by field with its rules, and why."""
    vi = lang == "vi"
    if not result.needed:
        return ["bản đã sửa không vi phạm quy tắc nào: không cần sửa lại" if vi
                else "the edited plan breaks no rule: nothing to repair"]
    count = len(result.before.violations)
    lines = [f"bản đã sửa có {count} vi phạm; {len(result.undone)} chỗ sửa phải hoàn lại:" if vi
             else f"the edited plan has {count} violation(s); {len(result.undone)} edit(s) undone:"]
    words = _FIELD_WORDS["vi" if vi else "en"]
    for u in sorted(result.undone, key=lambda u: u.unit_id):
        lines.append(f"- {u.unit_id} ({names.get(u.unit_id, u.unit_id)}):")
        for f in u.fields():
            lines.append(f"    {words[f.field]}: {f.edited or '—'} -> {f.repaired or '—'}"
                         f" [{', '.join(f.rules)}]")
        lines += [f"    {'vì' if vi else 'because'} {getattr(why, 'vi', why) if vi else why}"
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
    rules: dict[str, list[str]] = {}
    for v in before.violations:
        if v.unit_id:
            broken.setdefault(v.unit_id, []).append(
                Worded(f"[{v.rule_id}] {v.message}", f"[{v.rule_id}] {v.text('vi')}"))
            rules.setdefault(v.unit_id, []).append(str(v.rule_id))
    elsewhere = tuple(dict.fromkeys(str(v.rule_id) for v in before.violations))
    undone = []
    for unit_id, edited in refs.items():
        now = repaired.assignment_for(unit_id)
        if now is not None and _same_visit(now, edited):
            continue
        why = broken.get(unit_id) or [Worded(say("repair.make_room", "en"),
                                             say("repair.make_room", "vi"))]
        undone.append(UndoneEdit(unit_id, edited, now, why,
                                 tuple(dict.fromkeys(rules.get(unit_id, elsewhere)))))
    for a in repaired.assignments:
        if a.unit_id not in refs and a.state is not VisitState.DONE and a.unit_id in broken:
            undone.append(UndoneEdit(a.unit_id, None, a, broken[a.unit_id],
                                     tuple(dict.fromkeys(rules[a.unit_id]))))
    return undone


def _same_visit(a: Assignment, b: Assignment) -> bool:
    return _same_place(a, b) and set(a.member_ids) == set(b.member_ids) and a.lead_id == b.lead_id


# --- putting back the edits the solver did not keep ---------------------------------------


def restore_edits(scenario: Scenario, repaired: Schedule, refs: dict[str, Assignment],
                  published: Schedule | None = None) -> Schedule:
    """``repaired`` with every edit the rules allow put back (see the module docstring)."""
    cal = scenario.work_calendar()
    current = repaired
    for unit_id in sorted(refs):
        now = current.assignment_for(unit_id)
        if now is None or _same_visit(now, refs[unit_id]):
            continue
        before = published.assignment_for(unit_id) if published is not None else None
        for candidate in _candidates(now, refs[unit_id], before):
            trial = _with_visit(scenario, cal, current, candidate)
            if check_schedule(scenario, trial).ok:
                current = trial
                break
    if current is repaired:
        return repaired
    cost = plan_cost(scenario, current, cal)
    terms = {**{k: v for k, v in current.solver.objective_terms.items() if k not in _SOFT_IDS},
             **cost.terms}
    solver = current.solver.model_copy(update={"objective": cost.objective,
                                               "objective_terms": terms})
    return current.model_copy(update={"solver": solver})


def _candidates(now: Assignment, edited: Assignment, before: Assignment | None
                ) -> list[Assignment]:
    """What to try, best first: the edit whole, its group and lead on the repaired date, its
    lead alone, then (a swap undone) the published group on the repaired date."""
    found = [edited]
    if edited.team_id == now.team_id:
        found.append(now.model_copy(update={"member_ids": list(edited.member_ids),
                                            "lead_id": edited.lead_id}))
    if edited.lead_id in now.member_ids:
        found.append(now.model_copy(update={"lead_id": edited.lead_id}))
    if before is not None and before.team_id == now.team_id and \
            set(before.member_ids) != set(edited.member_ids):
        lead = edited.lead_id if edited.lead_id in before.member_ids else before.lead_id
        found.append(now.model_copy(update={"member_ids": list(before.member_ids),
                                            "lead_id": lead}))
    return [c for c in found if not _same_visit(c, now)]


def _with_visit(scenario: Scenario, cal: WorkCalendar, plan: Schedule, visit: Assignment
                ) -> Schedule:
    """The plan with the unit's visit replaced (dates and deadlines derived again)."""
    fresh = make_assignment(scenario, cal, visit.unit_id, visit.team_id, visit.start,
                            visit.member_ids, visit.lead_id, visit.state)
    fresh = fresh.model_copy(update={"start_time": visit.start_time, "end_time": visit.end_time,
                                     "travel_minutes": visit.travel_minutes,
                                     "travel_km": visit.travel_km, "trip_id": visit.trip_id})
    assignments = [fresh if a.unit_id == visit.unit_id and a.state is not VisitState.CANCELLED
                   else a for a in plan.assignments]
    return with_routes(scenario, plan.model_copy(update={"assignments": assignments}))
