"""The checker's rules of who goes: H07-group-size and H18-leader-leads (``models.groups``).

Re-derived from the scenario and the schedule alone, like every check in
``scheduler.check.rules``; ``scheduler.check.checker`` joins both tables into ``HARD_CHECKS``.
"""

from __future__ import annotations

from collections.abc import Callable

from models.groups import group_floor, team_leaders
from models.rules import RuleId
from scheduler.check.rules import CheckContext, Violation, _v
from scheduler.messages import worded


def check_group_size(ctx: CheckContext) -> list[Violation]:
    """H07-group-size: at least the minimum number of members; exactly the unit's group_size
    when it sets one."""
    found = []
    for v in ctx.visits:
        size = len(set(v.a.member_ids))
        exact = v.unit.group_size if v.unit is not None else None
        if exact is not None and size != exact:
            found.append(_v(RuleId.H07_GROUP_SIZE, v,
                            worded("v.size_exact", n=size, exact=exact)))
            continue
        need = group_floor(ctx.scenario, v.unit) if v.unit is not None \
            else ctx.scenario.rules.min_group_size
        if size < need:
            found.append(_v(RuleId.H07_GROUP_SIZE, v, worded("v.size_min", n=size, need=need)))
    return found


def check_leader_leads(ctx: CheckContext) -> list[Violation]:
    """H18-leader-leads: a unit that asks for the Trưởng đoàn has him in its group, leading."""
    found = []
    for v in ctx.visits:
        if v.unit is None or not v.unit.led_by_leader or v.team is None:
            continue
        leaders = {m.id for m in team_leaders(ctx.scenario, v.team.id)}
        if not leaders & set(v.a.member_ids) or v.a.lead_id not in leaders:
            found.append(_v(RuleId.H18_LEADER_LEADS, v,
                            worded("v.leader_leads", team=v.team.name, lead=v.a.lead_id)))
    return found


GROUP_CHECKS: dict[RuleId, Callable[[CheckContext], list[Violation]]] = {
    RuleId.H07_GROUP_SIZE: check_group_size,
    RuleId.H18_LEADER_LEADS: check_leader_leads,
}
