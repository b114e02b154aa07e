"""What the teams can give: member days in a week, a team's weekly capacity, the busiest span.

One definition of capacity for everything that reasons about it: the CP-SAT model's redundant
cuts (``scheduler.model.cuts``), the reported bound (``scheduler.model.bounds``), the pre-solve checks
(``scheduler.search.precheck``) and the benchmarks' bounds and generator. Days are working-day indices
of the campaign calendar; ``away`` maps a member to the indices they are unavailable. Pure
Python; no solver.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

from models.calendar import WorkCalendar
from models.groups import smallest_group
from models.scenario import Member, Scenario, expand_dates

Away = Mapping[str, Collection[int]]
NO_ONE_AWAY: Away = {}


def away_days(cal: WorkCalendar, scenario: Scenario) -> dict[str, set[int]]:
    """H11-available: the working-day indices each member cannot go."""
    return {m.id: cal.indices(expand_dates(m.unavailable)) for m in scenario.members}


def member_week_days(member: Member, days: Iterable[int], away: Away = NO_ONE_AWAY,
                     weekly_limit: bool = True) -> int:
    """Visit days a member can give in one week's ``days``: the days they are there, within
    their weekly limit (H12) unless ``weekly_limit`` is off."""
    off = away.get(member.id, ())
    free = sum(1 for d in days if d not in off)
    limit = member.max_visits_per_week
    return free if limit is None or not weekly_limit else min(free, limit)


def members_week_days(members: Iterable[Member], days: Sequence[int], away: Away = NO_ONE_AWAY,
                      weekly_limit: bool = True) -> int:
    """Member-days a group of members can give in one week (see ``member_week_days``)."""
    return sum(member_week_days(m, days, away, weekly_limit) for m in members)


def team_week_capacity(scenario: Scenario, team_id: str, days: Sequence[int],
                       away: Away = NO_ONE_AWAY, agencies: Iterable[str] = (),
                       group: int | None = None) -> int:
    """Visit days a team can give in one week's ``days``: the least of its sub-team days (H13),
    its leads' days (H06, when the rule is on), its members' days over the minimum group size
    (H07; ``group``: ``smallest_group`` when known), and its members' days of each of
    ``agencies`` (H08: agencies every visit needs)."""
    members = scenario.team_members(team_id)
    give = {m.id: member_week_days(m, days, away) for m in members}
    group = smallest_group(scenario) if group is None else group
    caps = [scenario.team(team_id).parallel_subteams * len(days), sum(give.values()) // max(1, group)]
    if scenario.rules.lead_on_every_visit:
        caps.append(sum(give[m.id] for m in members if m.can_lead))
    caps += [sum(give[m.id] for m in members if m.agency == g) for g in agencies]
    return max(0, min(caps))


def leads(scenario: Scenario, team_id: str) -> list[Member]:
    """The team's members who may lead a visit (leader, deputy, named sub-team leads)."""
    return [m for m in scenario.team_members(team_id) if m.can_lead]


def weeks_of(days: Iterable[int], week: Callable[[int], int]) -> dict[int, list[int]]:
    """``days`` grouped by their week number, in order."""
    grouped: dict[int, list[int]] = defaultdict(list)
    for d in days:
        grouped[week(d)].append(d)
    return dict(grouped)


def calendar_weeks(cal: WorkCalendar, first: int = 0, last: int | None = None
                   ) -> dict[int, list[int]]:
    """The horizon's working days (or those from ``first`` to ``last``) grouped by week."""
    last = cal.size - 1 if last is None else min(last, cal.size - 1)
    return weeks_of(range(max(first, 0), last + 1), cal.week_of)


Span = tuple[int, int, int]  # (first week, last week, visit days that must fall in between)


def busiest_span(spans: Iterable[Span], per_day: int = 1) -> int:
    """The busiest span of weeks: the most, over spans from a first week to a last week, of
    ``per_day`` x the visit days forced inside the span over its number of weeks, rounded up.

    A lower bound on any one week's draw: some week of the span carries at least the average.
    """
    spans = list(spans)
    best = 0
    lasts = sorted({b for _, b, _ in spans})
    for first in sorted({a for a, _, _ in spans}):  # distinct spans only: same maximum
        inside = [(b, n) for a, b, n in spans if a >= first]
        for last in (b for b in lasts if b >= first):
            demand = per_day * sum(n for b, n in inside if b <= last)
            best = max(best, -(-demand // (last - first + 1)))
    return best
