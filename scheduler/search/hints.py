"""Where a search starts: the hint (a given plan, else the greedy one) set on every decision
variable, completed into a full solution so CP-SAT has a plan at once.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from models.schedule import Schedule
from scheduler.model.build import SHARED, PlanModel, interchangeable_members
from scheduler.problem.domains import Domains
from scheduler.search.greedy import Visit, greedy_visits
from scheduler.search.parameters import solver_parameters
from scheduler.search.sigint import python_handles_sigint


def hint_visits(dom: Domains, hint: Schedule | None,
                greedy: list[Visit] | None = None) -> list[Visit]:
    """The plan the search starts from: the given hint, else the greedy plan (``greedy`` when
    it was already made)."""
    if hint is not None:
        return [Visit(a.unit_id, a.team_id, dom.cal.index(a.start), list(a.member_ids),
                      a.lead_id)
                for a in hint.assignments
                if a.unit_id in dom.units and dom.cal.start <= a.start <= dom.cal.end
                and dom.cal.is_working_day(a.start)]
    return greedy if greedy is not None else greedy_visits(dom)[0]


def order_like_symmetry(pm: PlanModel, visits: list[Visit]) -> list[Visit]:
    """Rename interchangeable members so the hint obeys the symmetry-breaking order."""
    load: dict[str, int] = {}
    for v in visits:
        for m in v.member_ids:
            load[m] = load.get(m, 0) + pm.dom.units[v.unit_id].duration
    rename: dict[str, str] = {}
    for ids in interchangeable_members(pm.scenario):
        ranked = sorted(ids, key=lambda m: (-load.get(m, 0), ids.index(m)))
        rename.update(dict(zip(ranked, ids, strict=True)))
    return [Visit(v.unit_id, v.team_id, v.start, [rename.get(m, m) for m in v.member_ids],
                  rename.get(v.lead_id, v.lead_id)) for v in visits]


def add_hint(pm: PlanModel, visits: list[Visit], symmetric: bool) -> None:
    """Hint every decision variable: visited units at their day, team and group, others off."""
    if symmetric:
        visits = order_like_symmetry(pm, visits)
    by_unit = {v.unit_id: v for v in visits}
    for uid in pm.dom.units:
        v = by_unit.get(uid)
        if v is not None and v.start not in pm.day[uid]:
            v = None
        present = pm.present[uid]
        if not isinstance(present, int):
            pm.model.add_hint(present, v is not None)
        for t, by_day in pm.team_day[uid].items():
            for d, y in by_day.items():
                pm.model.add_hint(y, v is not None and t in (v.team_id, SHARED)
                                 and d == v.start)
        if v is not None:
            pm.model.add_hint(pm.start[uid], v.start)
        for t, x in pm.team[uid].items():
            if not pm.single_team(uid):  # else the presence (hinted above) or a constant
                pm.model.add_hint(x, v is not None and t == v.team_id)
        for m, z in pm.member[uid].items():
            if not pm.is_tied(uid, m):  # a tied member's boolean is the team's, hinted above
                pm.model.add_hint(z, v is not None and m in v.member_ids)


def complete_hint(pm: PlanModel, time_limit_s: float = 5.0) -> bool:
    """Turn the decision hint into a full solution, so the search starts from a plan at once.

    The hinted decisions are fixed in a copy of the model, which is then solved (propagation
    only, in practice); every variable is hinted with its value. Returns False, leaving the
    partial hint, when the hinted plan breaks a rule of this model.
    """
    proto = pm.model.proto
    if not proto.solution_hint.vars:
        return False
    copy = pm.model.clone()
    for var, value in zip(proto.solution_hint.vars, proto.solution_hint.values, strict=True):
        copy.add(copy.get_int_var_from_proto_index(var) == value)
    copy.clear_hints()
    solver = solver_parameters(time_limit_s, 1, 0)
    # Ctrl-C here must reach Python (and stop the run), not just end this short completion.
    solver.parameters.catch_sigint_signal = False
    code = solver.solve(copy)
    python_handles_sigint()
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    values = list(solver.response_proto.solution)
    pm.model.clear_hints()
    for i, value in enumerate(values):
        pm.model.add_hint(pm.model.get_int_var_from_proto_index(i), value)
    return True
