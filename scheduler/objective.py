"""The weighted soft-rule penalties of a finished plan, computed from the schedule alone.

The solver fills ``SolverInfo.objective_terms`` from this, so the figures a planner reads are
those of the plan itself (never an internal bound variable). Pure Python; no solver.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from models.calendar import WorkCalendar
from models.rules import RuleId
from models.scenario import Scenario, expand_dates
from models.schedule import Schedule, VisitState
from models.timing import baseline_start_index

SOFT_IDS = [RuleId.S01_TEAM_BALANCE, RuleId.S02_MEMBER_BALANCE, RuleId.S03_EARLY, RuleId.S04_PREFERRED,
            RuleId.S05_AGENCY_SPREAD, RuleId.S06_OPTIONAL]


def _spread(values: list[int]) -> int:
    return max(values) - min(values) if values else 0


def objective_terms(
    scenario: Scenario, schedule: Schedule, cal: WorkCalendar | None = None
) -> dict[str, int]:
    """Each soft rule's weighted penalty for ``schedule`` (cancelled visits ignored)."""
    cal = cal or scenario.work_calendar()
    w = scenario.weights
    visits = [a for a in schedule.assignments if a.state is not VisitState.CANCELLED]
    team_load: Counter[str] = Counter({t.id: 0 for t in scenario.teams})
    member_load: Counter[str] = Counter({m.id: 0 for m in scenario.members})
    draw: Counter[tuple[str, int]] = Counter()
    early = missed = 0
    for a in visits:
        unit = scenario.unit(a.unit_id)
        first = cal.index(a.start)
        days = range(first, first + unit.duration)
        team_load[a.team_id] += unit.duration
        for m in a.member_ids:
            member_load[m] += unit.duration
            for d in days:
                draw[(scenario.member(m).agency, cal.week_of(d))] += 1
        early += first - baseline_start_index(cal, scenario, unit)
        if unit.preferred_dates and a.start not in expand_dates(unit.preferred_dates):
            missed += 1
    peaks: dict[str, int] = defaultdict(int)
    for (agency, _), n in draw.items():
        peaks[agency] = max(peaks[agency], n)
    member_spread = sum(
        _spread([member_load[m.id] for m in scenario.team_members(t.id)])
        for t in scenario.teams if len(scenario.team_members(t.id)) >= 2)
    visited = {a.unit_id for a in visits}
    left = sum(1 for u in scenario.units if u.optional and u.id not in visited)
    return {
        RuleId.S01_TEAM_BALANCE: w.team_balance * _spread(list(team_load.values())),
        RuleId.S02_MEMBER_BALANCE: w.member_balance * member_spread,
        RuleId.S03_EARLY: w.early * early,
        RuleId.S04_PREFERRED: w.preferred_dates * missed,
        RuleId.S05_AGENCY_SPREAD: w.agency_spread * sum(peaks.values()),
        RuleId.S06_OPTIONAL: w.unscheduled_optional * left,
    }
