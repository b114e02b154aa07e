"""The parts of a plan the neighbourhood search frees in turn, and the sub-problem each one is.

A neighbourhood is a region of the plan: some teams over a span of working days (whole weeks),
optionally only the units of one window. Its free units are those whose visit lies wholly inside
the region (and, for a pair of teams, they may change team); every other visit of those teams
that touches the region's weeks is kept exactly (on a small campaign, every other visit).
Members belong to one team and every hard rule of the model is about one team's or one member's
days and weeks, so a sub-plan that meets the rules inside the region meets them in the whole plan.
Two regions with no team or no week in common can be solved side by side and both kept. Pure
Python; no solver.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from models.scenario import Scenario, Unit
from models.schedule import Assignment
from scheduler.problem.domains import Domains, UnitDomain
from scheduler.problem.pace import PaceOutside, pace_key, pace_outside
from scheduler.problem.schedule_build import make_assignment
from scheduler.search.greedy import Visit

MAX_FREE = 30  # units freed at once: a sub-model CP-SAT searches well within a second of work
SPAN_WEEKS = 3  # the span of a 'weeks' neighbourhood
KINDS = ("team", "weeks", "window")
# Up to this many visits a sub-problem keeps every other visit of the plan, so its objective is
# the plan's whole price; above, only the visits of its teams around its weeks (cheaper to build,
# the price then only checked on the whole plan).
WHOLE_PLAN_MAX_UNITS = 300


@dataclass(frozen=True)
class Neighbourhood:
    kind: str
    teams: tuple[str, ...]
    first: int  # first working-day index of the region (a Monday's week)
    last: int  # last working-day index of the region
    window: tuple[object, ...] | None = None  # only units of this window (``pace_key``)

    def disjoint(self, other: Neighbourhood) -> bool:
        """No team or no day in common: both sub-plans can be kept together."""
        return not set(self.teams) & set(other.teams) or \
            self.last < other.first or other.last < self.first


@dataclass
class SubProblem:
    """A neighbourhood as a problem of its own: its free units, the visits kept around them."""

    hood: Neighbourhood
    free: list[str]
    dom: Domains
    kept: dict[str, Assignment]
    hint: list[Visit]  # the free units' visits in the current plan
    around: list[Visit] = field(default_factory=list)  # the kept visits (hinted as they are)


def week_bounds(dom: Domains, first: int, last: int) -> tuple[int, int]:
    """``first``..``last`` widened to whole weeks."""
    size = dom.cal.size
    while first > 0 and dom.week(first - 1) == dom.week(first):
        first -= 1
    while last < size - 1 and dom.week(last + 1) == dom.week(last):
        last += 1
    return first, last


def team_groups(scenario: Scenario, round_no: int, size: int) -> list[tuple[str, ...]]:
    """The teams cut into groups of ``size``, the cut shifted by the round so pairs change."""
    ids = [t.id for t in scenario.teams]
    if size <= 1 or len(ids) <= 1:
        return [(t,) for t in ids]
    shift = round_no % len(ids)
    ring = ids[shift:] + ids[:shift]
    return [tuple(ring[i:i + size]) for i in range(0, len(ring), size)]


def neighbourhoods(dom: Domains, plan: Mapping[str, Visit], kind: str,
                   round_no: int) -> list[Neighbourhood]:
    """The regions of one kind, in a fixed order: 'team' walks each team's visits in chunks of
    ``MAX_FREE``; 'weeks' spans of ``SPAN_WEEKS`` weeks over pairs of teams; 'window' the units
    of one window over pairs of teams."""
    end = dom.cal.size - 1
    if kind == "team":
        hoods = []
        for (team,) in team_groups(dom.scenario, round_no, 1):
            visits = sorted((v for v in plan.values() if v.team_id == team),
                            key=lambda v: (v.start, v.unit_id))
            for i in range(0, len(visits), MAX_FREE):
                chunk = visits[i:i + MAX_FREE]
                last = max(v.start + dom.units[v.unit_id].duration - 1 for v in chunk)
                hoods.append((i, Neighbourhood(kind, (team,), *week_bounds(dom, chunk[0].start,
                                                                           last))))
        return [h for _, h in sorted(hoods, key=lambda p: p[0])]  # teams interleaved
    pairs = team_groups(dom.scenario, round_no, 2)
    if kind == "weeks":
        weeks = sorted({dom.week(d) for d in range(dom.cal.size)})
        offset = round_no % SPAN_WEEKS  # the spans' cut moves each round
        spans = [weeks[max(0, i - offset):i - offset + SPAN_WEEKS]
                 for i in range(0, len(weeks) + offset, SPAN_WEEKS)]
        first_day: dict[int, int] = {}
        last_day: dict[int, int] = {}
        for d in range(end + 1):
            first_day.setdefault(dom.week(d), d)
            last_day[dom.week(d)] = d
        return [Neighbourhood(kind, pair, first_day[span[0]], last_day[span[-1]])
                for span in spans if span for pair in pairs]
    windows = sorted({pace_key(dom.scenario, ud.unit) for ud in dom.units.values()}, key=repr)
    return [Neighbourhood(kind, pair, 0, end, key) for key in windows for pair in pairs]


def batches(hoods: list[Neighbourhood], size: int = 2, look: int = 8) -> list[list[Neighbourhood]]:
    """Neighbourhoods grouped ``size`` at a time, each group pairwise disjoint (its partners
    taken from the next ``look``): the same grouping whatever the number of workers."""
    todo = list(hoods)
    out = []
    while todo:
        group = [todo.pop(0)]
        i = 0
        while len(group) < size and i < min(look, len(todo)):
            if all(todo[i].disjoint(g) for g in group):
                group.append(todo.pop(i))
            else:
                i += 1
        out.append(group)
    return out


def _inside(hood: Neighbourhood, start: int, duration: int) -> bool:
    return hood.first <= start and start + duration - 1 <= hood.last


def _touches(hood: Neighbourhood, start: int, duration: int) -> bool:
    return start <= hood.last and hood.first <= start + duration - 1


def sub_problem(dom: Domains, plan: Mapping[str, Visit], pending: Iterable[str],
                hood: Neighbourhood) -> SubProblem | None:
    """The neighbourhood's free units (its visits, then units still without a place that fit
    it), the visits kept around them, and its own domains; None when nothing is free."""
    scenario, teams = dom.scenario, set(hood.teams)
    in_region = sorted((v for v in plan.values() if v.team_id in teams),
                       key=lambda v: (v.start, v.unit_id))
    free: list[str] = []
    for v in in_region:
        ud = dom.units[v.unit_id]
        if ud.fixed is None and len(free) < MAX_FREE and _inside(hood, v.start, ud.duration) \
                and (hood.window is None or pace_key(scenario, ud.unit) == hood.window):
            free.append(v.unit_id)
    for uid in pending:
        ud = dom.units[uid]
        if hood.window is not None and pace_key(scenario, ud.unit) != hood.window:
            continue
        if len(free) < MAX_FREE and any(_inside(hood, d, ud.duration)
                                        for t in hood.teams for d in ud.starts.get(t, [])):
            free.append(uid)
    if not free:
        return None
    chosen = set(free)
    if len(plan) <= WHOLE_PLAN_MAX_UNITS:  # the whole plan around it: the exact price
        teams = {t.id for t in scenario.teams}
        kept = {v.unit_id: _assignment(dom, v) for v in plan.values() if v.unit_id not in chosen}
    else:
        kept = {v.unit_id: _assignment(dom, v) for v in in_region if v.unit_id not in chosen
                and _touches(hood, v.start, dom.units[v.unit_id].duration)}
    units = {uid: _free_domain(dom.units[uid], hood) for uid in free}
    units |= {uid: _kept_domain(dom, dom.units[uid], a, plan[uid]) for uid, a in kept.items()}
    pending_ids = chosen - set(plan)
    sub_scenario = scenario.model_copy(update={
        "units": [_maybe_optional(scenario, uid, uid in pending_ids) for uid in units],
        "teams": [t for t in scenario.teams if t.id in teams],
        "members": [m for m in scenario.members if m.team in teams]})
    for uid in units:
        units[uid].unit = sub_scenario.unit(uid)
    whole = len(plan) <= WHOLE_PLAN_MAX_UNITS
    sub = Domains(sub_scenario, dom.cal, units, dom.skip, dom.unavailable,
                  route_travel=dom.route_travel, route_units=dom.route_units, weeks=dom.weeks,
                  pace_outside={} if whole else _pace_around(dom, plan, set(units)))
    return SubProblem(hood, free, sub, kept, [plan[u] for u in free if u in plan],
                      [plan[u] for u in kept])


def _pace_around(dom: Domains, plan: Mapping[str, Visit], inside: set[str]
                 ) -> dict[tuple[object, ...], PaceOutside]:
    """Per pace group with a unit in the region, its planned visits outside it: the region's S09
    is then the whole group's (on its own units, the line and its weeks would be another's)."""
    starts = {uid: dom.week(v.start) for uid, v in plan.items()}
    return {g.key: pace_outside(g, starts, inside) for g in dom.pace_groups()
            if any(u in inside for u in g.unit_ids)}


def _maybe_optional(scenario: Scenario, uid: str, pending: bool) -> Unit:
    """A unit still without a place is optional in the sub-problem: placing it is a gain, not a
    condition (the search keeps a sub-plan only if it leaves no more required units out)."""
    unit = scenario.unit(uid)
    return unit.model_copy(update={"optional": True}) if pending and not unit.optional else unit


def _free_domain(ud: UnitDomain, hood: Neighbourhood) -> UnitDomain:
    starts = {t: [d for d in ud.starts[t] if _inside(hood, d, ud.duration)]
              for t in hood.teams if t in ud.starts}
    return UnitDomain(ud.unit, starts, {t: ud.members[t] for t in starts}, ud.forbidden,
                      ud.baseline, None, ud.held)


def _kept_domain(dom: Domains, ud: UnitDomain, a: Assignment, v: Visit) -> UnitDomain:
    members = list(a.member_ids)
    return UnitDomain(ud.unit, {v.team_id: [v.start]}, {v.team_id: members},
                      {m: ud.forbidden.get(m, set()) for m in members}, ud.baseline, a)


def _assignment(dom: Domains, v: Visit) -> Assignment:
    ud = dom.units[v.unit_id]
    if ud.fixed is not None:
        return ud.fixed
    return make_assignment(dom.scenario, dom.cal, v.unit_id, v.team_id, dom.cal.date_of(v.start),
                           v.member_ids, v.lead_id)
