"""What a schedule says about itself, held against the evidence.

A schedule.json states its status, cost, bound and cost per rule. A file edited by hand (or forged)
can claim OPTIMAL at cost 1 for a plan that really costs 66; ``kiemtra check`` must not pass it.
Every claim that the recomputed cost or the plan itself contradicts is reported here. Pure Python.
"""

from __future__ import annotations

from models.rules import SOFT_RULES
from models.scenario import Scenario
from models.schedule import Schedule, Status
from scheduler.check.checker import CheckReport
from scheduler.check.routes import travel_claim_problems
from scheduler.messages import worded
from scheduler.routing.reading import stated_bases

_PLANNED = (Status.OPTIMAL, Status.FEASIBLE)
_SOFT_IDS = {r.id.value for r in SOFT_RULES}  # change costs (R..) are not the plan's own cost


def false_claims(schedule: Schedule, report: CheckReport,
                 scenario: Scenario | None = None) -> list[str]:
    """Each statement of ``schedule.solver`` that the recomputed ``report`` contradicts, and with
    ``scenario`` each stated travel figure its route does not give (English, each carrying its
    Vietnamese wording as ``.vi``)."""
    info = schedule.solver
    found: list[str] = []
    if scenario is not None:
        found += travel_claim_problems(scenario, schedule.assignments, stated_bases(schedule))
    if info.objective is not None and info.objective != report.objective:
        found.append(worded("claim.cost", said=info.objective, real=report.objective))
    for rule_id, value in info.objective_terms.items():
        recomputed = report.terms.get(rule_id)
        if rule_id in _SOFT_IDS and recomputed is not None and value != recomputed:
            found.append(worded("claim.term", rule=rule_id, said=value, real=recomputed))
    if info.bound is not None and info.bound > report.objective:
        found.append(worded("claim.bound", bound=info.bound, real=report.objective))
    if info.status is Status.OPTIMAL and info.bound is not None and info.bound != info.objective:
        found.append(worded("claim.optimal_gap", bound=info.bound, said=info.objective))
    if info.status is Status.OPTIMAL and info.bound is None:
        found.append(worded("claim.optimal_no_bound"))
    if info.status not in _PLANNED and schedule.assignments:
        found.append(worded("claim.no_plan", status=info.status.value, n=len(schedule.assignments)))
    return found
