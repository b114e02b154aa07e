"""Who goes on a visit: the group sizes, the whole-team policy and the Trưởng đoàn, in one place.

Kế hoạch 114/KH-UBND §IV.3: the whole team goes on every visit, and a member's absence needs
the leader's consent. ``rules.group_policy`` says how a plan reads that (``whole_team``: the
team minus the members who are away, excused members cost; ``minimum``: at least
``min_group_size``, extra members cost); a unit may set its own ``group_size`` (exactly that many)
and ask for the Trưởng đoàn himself (``led_by_leader``). The model, the checker, the cost, greedy
and the pre-checks all read these functions, so a group means one thing everywhere. Pure data.
"""

from __future__ import annotations

from models.field_work import GroupPolicy
from models.scenario import Member, Role, Scenario, Team, Unit


def group_floor(scenario: Scenario, unit: Unit) -> int:
    """H07: the fewest members a visit of ``unit`` may have (its own group_size when set)."""
    return unit.group_size if unit.group_size is not None else scenario.rules.min_group_size


def smallest_group(scenario: Scenario) -> int:
    """The fewest members any visit of the scenario may have (capacity bounds stay valid)."""
    return min([scenario.rules.min_group_size]
               + [u.group_size for u in scenario.units if u.group_size is not None])


def goes_as_whole_team(scenario: Scenario, unit: Unit, team: Team) -> bool:
    """S12: whether a visit of ``unit`` by ``team`` is a whole-team visit (excused members cost).

    A team that splits into parallel sub-teams (tổ kiểm tra) sends a sub-team, not the whole
    team, so its visits are priced like the minimum policy; a unit's own group_size overrides both.
    """
    return (scenario.rules.group_policy == GroupPolicy.WHOLE_TEAM and team.parallel_subteams == 1
            and unit.group_size is None)


def team_leaders(scenario: Scenario, team_id: str) -> list[Member]:
    """H18: the team's Trưởng đoàn (role leader); normally exactly one."""
    return [m for m in scenario.team_members(team_id) if m.role is Role.LEADER]
