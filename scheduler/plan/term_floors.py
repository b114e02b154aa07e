"""Counting floors of S01-team-balance and S05-agency-spread (unweighted), for the whole-plan bound.

Both count visit days, so both hold for whole-day visits only: a day route's visits share one
visit-day and one member-day (``scheduler.cost.routes.visit_day_key``), so short visits
(``visit_minutes``) are left out of S05 and S01 is 0 when there are any.

- S01: the teams' visit days sum to the required units' days; a sum the teams cannot share
  evenly leaves two teams at least a day apart.
- S05: a visit day that needs an agency draws one of its member-days (H08, H10: each visit its
  own people); the visit days that must fall inside a span of weeks (their units' first to last
  feasible week) put at least their average, rounded up, on some week of it (``busiest_week``).
  All agencies together give at least the smallest group per visit day, and the sum of the
  agencies' peaks is at least the peak of their sum.
"""

from __future__ import annotations

from models.groups import smallest_group
from models.rules import RuleId
from models.scenario import Scenario
from scheduler.problem.capacity import Span
from scheduler.problem.domains import Domains

# S05's floor counts a member-day per visit day of an agency (H08, H10) and a group (H07).
SPREAD_RELIES_ON = frozenset({RuleId.H07_GROUP_SIZE, RuleId.H08_AGENCIES, RuleId.H10_MEMBER_DAY})


def team_balance_floor(scenario: Scenario) -> int:
    """S01, unweighted: 1 when the required visit days do not split evenly over the teams."""
    teams = len(scenario.teams)
    if teams < 2 or any(u.optional or u.visit_minutes is not None for u in scenario.units):
        return 0
    return 1 if sum(u.duration for u in scenario.units) % teams else 0


def agency_spread_floor(dom: Domains) -> int:
    """S05, unweighted: per agency its busiest span's forced draw; all agencies at least the
    smallest group per visit day (see the module docstring)."""
    if dom.skip & SPREAD_RELIES_ON:
        return 0
    agencies = sorted({g for ud in dom.units.values() for g in ud.unit.required_agencies})
    per_agency = sum(busiest_week(_spans(dom, g), 1) for g in agencies)
    return max(per_agency, busiest_week(_spans(dom, None), smallest_group(dom.scenario)))


def busiest_week(spans: list[Span], per_day: int) -> int:
    """The least draw of the busiest week: over spans of weeks, the visit days forced inside one
    put at least their average, rounded up, on some week of it (whole visit days), each drawing
    ``per_day`` member-days (``capacity.busiest_span`` rounds the member-days instead: weaker)."""
    best = 0
    lasts = sorted({b for _, b, _ in spans})
    for first in sorted({a for a, _, _ in spans}):
        inside = [(b, n) for a, b, n in spans if a >= first]
        for last in (b for b in lasts if b >= first):
            days = sum(n for b, n in inside if b <= last)
            best = max(best, per_day * -(-days // (last - first + 1)))
    return best


def _spans(dom: Domains, agency: str | None) -> list[Span]:
    """(first week, last week, visit days) of each required whole-day unit (needing ``agency``)."""
    spans = []
    for ud in dom.units.values():
        unit, starts = ud.unit, ud.all_starts
        if unit.optional or not starts or unit.visit_minutes is not None \
                or (agency is not None and agency not in unit.required_agencies):
            continue
        spans.append((dom.week(starts[0]), dom.week(starts[-1] + unit.duration - 1), unit.duration))
    return spans
