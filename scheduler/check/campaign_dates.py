"""The checker's rule on the campaign's own dates (H19-notice-formed), from the scenario alone.

Kept apart from ``scheduler.check.rules`` (one function per rule id, the same ``Violation``): a
team's first notice goes out at least ``rules.notice_after_formation_days`` working days after
the team is formed, so a planned visit still to announce must be announceable on or after that
day (its ``announce_by`` not earlier). An announcement due before the team even exists is H04's, and
the end of field work is H02's (``latest_visit_date``).
"""

from __future__ import annotations

from collections.abc import Callable

from models.calendar import CalendarError, format_vn
from models.rules import RuleId
from models.scenario import Form
from models.schedule import VisitState
from models.timing import first_notice_date
from scheduler.check.rules import CheckContext, Violation, _v


def check_notice_after_formation(ctx: CheckContext) -> list[Violation]:
    """H19-notice-formed: no planned visit must be announced before its team's first notice day."""
    found: list[Violation] = []
    gap = ctx.scenario.rules.notice_after_formation_days
    for v in ctx.visits:
        if (v.team is None or v.unit is None or v.unit.form is not Form.PLANNED
                or v.a.state is not VisitState.PLANNED or v.a.announce_by is None):
            continue
        try:
            first = first_notice_date(ctx.cal, ctx.scenario, v.team)
        except CalendarError as exc:
            found.append(_v(RuleId.H19_NOTICE_FORMED, v, f"no first notice day can be computed: {exc}"))
            continue
        if v.team.formed_on <= v.a.announce_by < first:  # before the team exists: H04's
            found.append(_v(RuleId.H19_NOTICE_FORMED, v, f"must be announced by "
                            f"{format_vn(v.a.announce_by)}, but {v.team.id} (formed "
                            f"{format_vn(v.team.formed_on)}) sends no notice before {format_vn(first)}, "
                            f"{gap} working days after it is formed", day=v.a.announce_by))
    return found


DATE_CHECKS: dict[RuleId, Callable[[CheckContext], list[Violation]]] = {
    RuleId.H19_NOTICE_FORMED: check_notice_after_formation,
}
