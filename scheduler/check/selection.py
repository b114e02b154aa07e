"""The checker's H20-selection: each selection re-counted from the schedule's visits.

Counted on the scenario as written (its units, its match), never on the route stage's lists, so
a day route's units count one by one because the schedule has one assignment per unit.
"""

from __future__ import annotations

from collections.abc import Callable

from models.rules import RuleId
from models.selection import resolved_selections
from scheduler.check.rules import CheckContext, Violation
from scheduler.messages import worded


def check_selections(ctx: CheckContext) -> list[Violation]:
    """H20-selection: every selection has at least its number (or share) of units visited."""
    visited = {v.a.unit_id for v in ctx.visits}
    found = []
    for r in resolved_selections(ctx.scenario):
        n = r.count(visited)
        if n < r.need:
            text = worded("v.selection_short", name=r.name, id=r.id, n=n,
                          wording_vi=r.wording("vi"), wording_en=r.wording("en"))
            found.append(Violation(RuleId.H20_SELECTION, None, None, None, str(text), text.vi))
    return found


SELECTION_CHECKS: dict[RuleId, Callable[[CheckContext], list[Violation]]] = {
    RuleId.H20_SELECTION: check_selections,
}
