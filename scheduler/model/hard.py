"""The CP-SAT model's hard rules: one function per rule, keyed by ``RuleId`` in ``HARD_RULES``.

Rules enforced by cutting the domains before the model is built (the start days a unit may
have, the members who may go) are keyed in ``scheduler.problem.domains.DOMAIN_CUTS``; every hard rule id
is in exactly one of the two (tests/test_rules.py). ``link_start_days`` and ``add_fixed_visits``
are no rules: they tie the team choice to its cut start days, and hold visits the planner keeps.
"""

from __future__ import annotations

from collections.abc import Callable

from models.groups import group_floor, team_leaders
from models.rules import RuleId
from scheduler.model.selection import add_selections
from scheduler.model.variables import (
    SHARED,
    PlanModel,
    max_days_in_a_week,
    member_week_intervals,
    team_member_vars,
)
from scheduler.problem.domains import UnitDomain

ModelRule = Callable[[PlanModel], None]


def add_once(pm: PlanModel) -> None:
    """H01-once: every unit is visited exactly once, by exactly one team (no duplicates).

    An optional unit is visited at most once; a unit with no possible day cannot be visited.
    """
    for ud in pm.units():
        uid = ud.unit.id
        pm.model.add(sum(pm.team[uid].values()) == pm.present[uid])


def link_start_days(pm: PlanModel) -> None:
    """The team that goes is the one whose start day is chosen (DOMAIN_CUTS: H02, H03, H04, H14, H15).

    The start days themselves were cut, per team, to the window, the unit's availability, the
    excluded dates, the team's formation and the notice rule (``scheduler.problem.domains``); here the
    team that goes is the one whose start day is chosen.
    """
    for ud in pm.units():
        uid = ud.unit.id
        if pm.shared_days:
            _link_shared_days(pm, ud)
            continue
        for t, by_day in pm.team_day[uid].items():
            pm.model.add(pm.team[uid][t] == sum(by_day.values()))


def _link_shared_days(pm: PlanModel, ud: UnitDomain) -> None:
    """One start day for all teams: a day open to some teams only goes with one of them."""
    uid = ud.unit.id
    pm.model.add(sum(pm.team_day[uid][SHARED].values()) == pm.present[uid])
    team_days = {t: set(ud.starts[t]) for t in ud.teams}
    for d, y in pm.team_day[uid][SHARED].items():
        open_to = [t for t in ud.teams if d in team_days[t]]
        if len(open_to) < len(ud.teams):
            pm.model.add(y <= sum(pm.team[uid][t] for t in open_to))


def add_fixed_visits(pm: PlanModel) -> None:
    """Visits the planner keeps exactly (announced or done): same day, team and group."""
    for ud in pm.units():
        if ud.fixed is None:
            continue
        uid = ud.unit.id
        for m, z in pm.member[uid].items():
            pm.model.add(z == (pm.present[uid] if m in ud.fixed.member_ids else 0))
        for m in ud.fixed.member_ids:
            if m not in pm.member[uid]:
                pm.model.add_bool_or([])  # a kept member who can no longer go: infeasible


def add_group_team(pm: PlanModel) -> None:
    """H05-group-team: the members who go belong to the team that visits."""
    for ud in pm.units():
        uid = ud.unit.id
        for t in ud.teams:
            for m, z in team_member_vars(pm, uid, t):
                if not pm.is_tied(uid, m.id):
                    pm.model.add_implication(z, pm.team[uid][t])


def add_lead(pm: PlanModel) -> None:
    """H06-lead: every visit has the team leader, the deputy or a named sub-team lead."""
    if not pm.scenario.rules.lead_on_every_visit or RuleId.H06_LEAD in pm.skip:
        return
    for ud in pm.units():
        uid = ud.unit.id
        for t in ud.teams:
            leads = [z for m, z in team_member_vars(pm, uid, t) if m.can_lead]
            pm.model.add(sum(leads) >= pm.team[uid][t])


def add_group_size(pm: PlanModel) -> None:
    """H07-group-size: the visiting group has at least the minimum size, exactly the unit's own
    group_size when it sets one.

    Written as one linear (in)equality with the team choice (not a reified one): it gives the
    LP relaxation the group size, which lifts the member-balance bound.
    """
    relaxed = RuleId.H07_GROUP_SIZE in pm.skip
    for ud in pm.units():
        uid = ud.unit.id
        k = 1 if relaxed else group_floor(pm.scenario, ud.unit)
        exact = None if relaxed else ud.unit.group_size
        for t in ud.teams:
            group = sum(z for _, z in team_member_vars(pm, uid, t))
            if exact is not None:
                pm.model.add(group == exact * pm.team[uid][t])
            else:
                pm.model.add(group >= k * pm.team[uid][t])


def add_leader_leads(pm: PlanModel) -> None:
    """H18-leader-leads: a unit that asks for the Trưởng đoàn gets him on its visit (a team
    without a leader who may go cannot take it). The lead chosen is then the leader
    (``greedy._lead_of`` ranks the leader first)."""
    if RuleId.H18_LEADER_LEADS in pm.skip:
        return
    for ud in pm.units():
        if not ud.unit.led_by_leader:
            continue
        uid = ud.unit.id
        for t in ud.teams:
            leader_ids = {m.id for m in team_leaders(pm.scenario, t)}
            leaders = [z for m, z in team_member_vars(pm, uid, t) if m.id in leader_ids]
            pm.model.add(sum(leaders) >= pm.team[uid][t])


def add_agencies(pm: PlanModel) -> None:
    """H08-agencies: the group has a member of every agency the unit requires."""
    if RuleId.H08_AGENCIES in pm.skip:
        return
    for ud in pm.units():
        uid = ud.unit.id
        for t in ud.teams:
            for agency in ud.unit.required_agencies:
                reps = [z for m, z in team_member_vars(pm, uid, t) if m.agency == agency]
                pm.model.add(sum(reps) >= pm.team[uid][t])


def add_member_day(pm: PlanModel) -> None:
    """H10-member-day: a member is on at most one visit a day.

    Implied by H13 for a team that runs one visit a day; added only for teams with sub-teams.
    """
    for m in pm.scenario.members:
        team = pm.scenario.team(m.team)
        if team.parallel_subteams == 1 and RuleId.H13_PARALLEL not in pm.skip:
            continue
        if RuleId.H10_MEMBER_DAY in pm.skip:
            continue
        intervals = [
            pm.model.new_optional_fixed_size_interval_var(
                pm.start[ud.unit.id], ud.duration, pm.member[ud.unit.id][m.id],
                f"visit[{ud.unit.id},{m.id}]")
            for ud in pm.units() if m.id in pm.member[ud.unit.id]
        ]
        if len(intervals) > 1:
            pm.model.add_no_overlap(intervals)


def add_available(pm: PlanModel) -> None:
    """H11-available: a member never goes on a visit that touches a day they are away."""
    for ud in pm.units():
        uid = ud.unit.id
        for m, z in pm.member[uid].items():
            away = [y for d, y in pm.day[uid].items() if d in ud.forbidden.get(m, set())]
            if away and not pm.is_tied(uid, m):  # tied: away only on other teams' days
                pm.model.add(z + sum(away) <= 1)


def add_weekly(pm: PlanModel) -> None:
    """H12-weekly: a member stays within their weekly limit of visit days.

    Each visit day is placed on a week axis (its week number); a cumulative per member caps the
    visit days in any one week at the member's limit. (A linear member x week count was tried:
    exact too, but it slowed Hanoi's proof from ~30 s to none in 60 s.)
    """
    if RuleId.H12_WEEKLY in pm.skip:
        return
    widest = max_days_in_a_week(pm)
    for m in pm.scenario.members:
        if m.max_visits_per_week is None or m.max_visits_per_week >= widest:
            continue
        intervals = member_week_intervals(pm, m.id)
        if len(intervals) > m.max_visits_per_week:
            pm.model.add_cumulative(intervals, [1] * len(intervals), m.max_visits_per_week)


def add_parallel(pm: PlanModel) -> None:
    """H13-parallel: a team runs at most its number of parallel sub-teams on any day."""
    if RuleId.H13_PARALLEL in pm.skip:
        return
    for team in pm.scenario.teams:
        intervals = [
            pm.model.new_optional_fixed_size_interval_var(
                pm.start[ud.unit.id], ud.duration, pm.team[ud.unit.id][team.id],
                f"team_visit[{ud.unit.id},{team.id}]")
            for ud in pm.units() if team.id in pm.team[ud.unit.id]
        ]
        if len(intervals) <= team.parallel_subteams:
            continue
        if team.parallel_subteams == 1:
            pm.model.add_no_overlap(intervals)
        else:
            pm.model.add_cumulative(intervals, [1] * len(intervals), team.parallel_subteams)


HARD_RULES: dict[RuleId, ModelRule] = {
    RuleId.H01_ONCE: add_once,
    RuleId.H05_GROUP_TEAM: add_group_team,
    RuleId.H06_LEAD: add_lead,
    RuleId.H07_GROUP_SIZE: add_group_size,
    RuleId.H08_AGENCIES: add_agencies,
    RuleId.H10_MEMBER_DAY: add_member_day,
    RuleId.H11_AVAILABLE: add_available,
    RuleId.H12_WEEKLY: add_weekly,
    RuleId.H13_PARALLEL: add_parallel,
    RuleId.H18_LEADER_LEADS: add_leader_leads,
    RuleId.H20_SELECTION: add_selections,  # scheduler.model.selection
}
