"""A floor on S09-pace from the weeks the teams can give: a min-cost flow over cumulative counts.

The whole-number floor (``scheduler.problem.pace.pace_floor``) sees each week of a window alone.
Plans are held back further: a visit starts no earlier than its unit's first feasible day and no
later than its last (``Domains``), and the visit days of a week are capped by what the teams can
give in it (``capacity.team_week_capacity``: sub-teams, leads, members over the smallest group,
the agencies every unit needs; a whole-day visit takes at least one of them in its start week).
When early weeks are short, the even line cannot be met and the penalty grows.

One chain per pace group of ``W`` weeks: node ``r`` (rank of a week in the span, 0 before it)
receives the units whose first feasible week has rank ``r``; the arc from ``r`` to ``r + 1``
carries those entered and not yet started (``E_r - done_r``), priced ``|W * done_r - r * P|``
(convex: unit arcs of rising cost), capped so that the units whose last feasible week has rank
``<= r`` have started. At node ``r`` visits leave for a calendar week of rank ``r``, whose
capacity all groups (and the units of no group) share, or, for a short visit (``visit_minutes``:
a day route shares one team-day), for a by-pass of the group's short-visit count. Each plan that
obeys the hard rules is such a flow, so the cheapest flow is a lower bound on S09 (unweighted).
"""

from __future__ import annotations

from models.groups import smallest_group
from models.rules import RuleId
from scheduler.plan.flownet import FlowNet
from scheduler.problem import capacity
from scheduler.problem.domains import Domains, UnitDomain
from scheduler.problem.pace import PaceGroup, pace_groups

# Rules the week capacities come from: with any of them switched off there is no flow bound.
RELIES_ON = frozenset({RuleId.H06_LEAD, RuleId.H07_GROUP_SIZE, RuleId.H08_AGENCIES,
                       RuleId.H10_MEMBER_DAY, RuleId.H11_AVAILABLE, RuleId.H12_WEEKLY,
                       RuleId.H13_PARALLEL})


def pace_flow_floor(dom: Domains) -> int | None:
    """Lower bound on the unweighted S09-pace of every plan of ``dom`` (a first plan: nothing kept);
    None when a rule it relies on is off, a required unit has no day, or the flow has none."""
    if dom.skip & RELIES_ON:
        return None
    required = {u: ud for u, ud in dom.units.items() if not ud.unit.optional}
    if any(not ud.all_starts for ud in required.values()):
        return None
    net, sink = FlowNet(), ("sink",)
    demand = 0
    groups = [g for g in pace_groups(dom.scenario, dom.cal)
              if all(u in required for u in g.unit_ids) and not g.sizes]
    grouped: set[str] = set()
    for g in groups:
        demand += _chain(net, dom, g, [required[u] for u in g.unit_ids])
        grouped |= set(g.unit_ids)
    for u, ud in required.items():  # units of no group take week capacity only
        if u in grouped:
            continue
        net.supply(("unit", u), 1)
        demand += 1
        for week in sorted({dom.week(s) for s in ud.all_starts}):
            net.arc(("unit", u), _exit(ud, week), 1)
    common = set.intersection(*(set(ud.unit.required_agencies) for ud in required.values())) \
        if required else set()
    group = smallest_group(dom.scenario)
    for week, days in capacity.weeks_of(range(dom.cal.size), dom.week).items():
        net.arc(("week", week), sink, _week_capacity(dom, days, sorted(common), group))
    net.arc(("short",), sink, demand)
    net.supply(sink, -demand)
    return net.solve()


def _exit(ud: UnitDomain, week: int) -> tuple[object, ...]:
    """Where a visit starting in ``week`` takes capacity: a short visit none (a route shares a day)."""
    return ("short",) if ud.unit.visit_minutes is not None else ("week", week)


def _chain(net: FlowNet, dom: Domains, g: PaceGroup, units: list[UnitDomain]) -> int:
    """The group's chain (see the module docstring); returns its units."""
    size, planned = len(g.weeks), len(units)
    first = [g.week_rank(dom.week(ud.all_starts[0])) for ud in units]
    last = [g.week_rank(dom.week(ud.all_starts[-1])) for ud in units]
    gid = ("group", g.unit_ids[0])
    for r in range(size + 1):
        entering = sum(1 for f in first if f == r)
        net.supply((*gid, r), entering)
    for week in sorted({dom.week(d) for d in range(dom.cal.size)}):
        r = g.week_rank(week)
        net.arc((*gid, r), ("week", week), planned)
    shorts = sum(1 for ud in units if ud.unit.visit_minutes is not None)
    if shorts:
        for r in range(size + 1):
            net.arc((*gid, r), (*gid, "short"), shorts)
        net.arc((*gid, "short"), ("short",), shorts)
    for r in range(size):
        entered = sum(1 for f in first if f <= r)
        due = sum(1 for f in last if f <= r)
        cap = max(0, entered - due)
        if r == 0:
            net.arc((*gid, r), (*gid, r + 1), cap)
            continue
        price = [abs(size * (entered - f) - r * planned) for f in range(cap + 1)]
        net.convex((*gid, r), (*gid, r + 1), cap, price)
    return planned


def _week_capacity(dom: Domains, days: list[int], common: list[str], group: int) -> int:
    """Whole-day visits that can start in a week of ``days``: the teams' visit days in it (H03:
    from each team's forming on; ``common``: agencies every required unit needs)."""
    return sum(capacity.team_week_capacity(dom.scenario, t.id,
                                           [d for d in days if dom.cal.date_of(d) >= t.formed_on],
                                           dom.unavailable, common, group)
               for t in dom.scenario.teams)

