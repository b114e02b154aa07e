"""Property tests over random small campaigns (hypothesis).

1. Every plan the solver returns for a random scenario passes the checker at the stated cost; an
   unplannable one is explained.
2. A random mutation of a solved plan is flagged by the checker exactly when an independent small
   judge (written here from the rules' wording, sharing no code with the checker) says a rule
   breaks, and with the same rule ids.
3. A random re-plan never moves a done visit and keeps announced visits unless it says why.

Sized for CI (a few minutes); ``KIEMTRA_PROPERTY_EXAMPLES=200`` runs the long setting used when
benchmarking.
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.rules import RuleId
from models.scenario import Scenario
from models.schedule import Assignment, Schedule, Status, VisitState
from scheduler.check.checker import check_schedule
from scheduler.plan.pipeline import plan
from scheduler.problem.schedule_build import make_assignment
from scheduler.replan.run import ReplanOptions, replan
from scheduler.search.solve import SolveOptions

EXAMPLES = int(os.environ.get("KIEMTRA_PROPERTY_EXAMPLES", "25"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FAST = SolveOptions(time_limit_s=2.0, workers=1, seed=0)
START = date(2025, 6, 2)  # a Monday
AGENCIES = ["SNV", "SKHCN", "STP", "SYT", "STC"]


# --- random campaigns ---------------------------------------------------------------------------


@st.composite
def campaigns(draw: st.DrawFn) -> Scenario:
    """2 teams of 3-4 members, 3-7 units, June-July 2025, with absences, limits and pins."""
    members = []
    for t in ("D1", "D2"):
        size = draw(st.integers(3, 4))
        for i in range(size):
            away = draw(st.lists(st.integers(0, 40), max_size=3))
            members.append({
                "id": f"{t}-M{i}", "label": f"Thành viên {t}-{i}", "team": t,
                "agency": AGENCIES[i] if i < 2 else draw(st.sampled_from(AGENCIES)),
                "role": "leader" if i == 0 else "deputy" if i == 1 else "member",
                "max_visits_per_week": draw(st.sampled_from([None, 1, 2, 3])),
                "unavailable": [(START + timedelta(days=d)).isoformat() for d in away]})
    units = []
    for k in range(draw(st.integers(3, 7))):
        first = draw(st.integers(0, 30))
        span = draw(st.integers(10, 40))
        units.append({
            "id": f"U{k}", "name": f"Đơn vị {k}", "kind": "department",
            "agency": draw(st.sampled_from([None, *AGENCIES])),
            "window": {"from": (START + timedelta(days=first)).isoformat(),
                       "to": (START + timedelta(days=first + span)).isoformat()},
            "required_agencies": draw(st.lists(st.sampled_from(AGENCIES[:2]), max_size=1)),
            "excluded_dates": [(START + timedelta(days=first + d)).isoformat()
                               for d in draw(st.lists(st.integers(0, 10), max_size=2))],
            "team": draw(st.sampled_from([None, None, "D1", "D2"])),
            "optional": draw(st.booleans()) and k > 0})
    return Scenario.model_validate({
        "schema": "kiemtra.scenario/1",
        "campaign": {"name": "Random", "plan_date": START.isoformat(),
                     "horizon": {"start": START.isoformat(), "end": "2025-08-29"}},
        "agencies": [{"id": a, "name": a} for a in AGENCIES],
        "teams": [{"id": t, "name": f"Đoàn {t}", "formed_on": START.isoformat()}
                  for t in ("D1", "D2")],
        "members": members, "units": units,
        "rules": {"report_deadline_days": 5, "notice_lead_days": draw(st.integers(0, 2)),
                  "min_group_size": draw(st.integers(2, 3)),
                  "notice_after_formation_days": draw(st.sampled_from([0, 2, 5]))},
        "solver": {"time_limit_s": 2, "workers": 1, "seed": 0}})


# --- the independent judge ----------------------------------------------------------------------


def judge(s: Scenario, schedule: Schedule) -> set[str]:
    """The rules ``schedule`` breaks, worked out directly from the rules' wording."""
    cal = s.work_calendar()
    units = {u.id: u for u in s.units}
    members = {m.id: m for m in s.members}
    teams = {t.id: t for t in s.teams}
    visits = [a for a in schedule.assignments if a.state is not VisitState.CANCELLED]
    broken: set[str] = set()
    seen = Counter(a.unit_id for a in visits)
    if any(n > 1 for n in seen.values()) or any(
            not u.optional and seen[u.id] == 0 for u in s.units):
        broken.add(RuleId.H01_ONCE)
    for a in visits:
        u, team = units[a.unit_id], teams[a.team_id]
        w_from, w_to = u.window.start, u.window.end
        if not cal.is_working_day(a.start) or a.start < w_from or a.start > w_to:
            broken.add(RuleId.H02_WINDOW)
        if a.start < team.formed_on:
            broken.add(RuleId.H03_TEAM_FORMED)
        due = cal.report_deadline(a.start, s.rules.report_deadline_days)
        told = cal.shift(due, -s.rules.notice_lead_days) if s.rules.notice_lead_days else due
        if told < max(s.campaign.plan_date, team.formed_on):
            broken.add(RuleId.H04_NOTICE)
        elif len(cal.working_days_between(team.formed_on + timedelta(days=1), told)) < \
                s.rules.notice_after_formation_days:  # told on a day fewer than N working days after
            broken.add(RuleId.H19_NOTICE_FORMED)
        group = [members[m] for m in a.member_ids]
        if any(m.team != a.team_id for m in group) or a.lead_id not in a.member_ids:
            broken.add(RuleId.H05_GROUP_TEAM)
        if members[a.lead_id].role.value not in ("leader", "deputy"):
            broken.add(RuleId.H06_LEAD)
        if len(group) < s.rules.min_group_size:
            broken.add(RuleId.H07_GROUP_SIZE)
        if not set(u.required_agencies) <= {m.agency for m in group}:
            broken.add(RuleId.H08_AGENCIES)
        if u.agency is not None and any(m.agency == u.agency for m in group):
            broken.add(RuleId.H09_CONFLICT)
        if any(a.start.isoformat() in [str(x) for x in m.unavailable] for m in group):
            broken.add(RuleId.H11_AVAILABLE)
        if a.start.isoformat() in [str(x) for x in u.excluded_dates]:
            broken.add(RuleId.H14_EXCLUDED)
        if u.team is not None and a.team_id != u.team:
            broken.add(RuleId.H15_PINNED_TEAM)
    person_days = Counter((m, a.start) for a in visits for m in a.member_ids)
    if any(n > 1 for n in person_days.values()):
        broken.add(RuleId.H10_MEMBER_DAY)
    weeks = Counter((m, d.isocalendar()[:2]) for m, d in person_days)
    if any(n > (members[m].max_visits_per_week or 99) for (m, _), n in weeks.items()):
        broken.add(RuleId.H12_WEEKLY)
    if any(n > 1 for n in Counter((a.team_id, a.start) for a in visits).values()):
        broken.add(RuleId.H13_PARALLEL)
    return broken


# --- mutations ------------------------------------------------------------------------------------


def mutate(s: Scenario, schedule: Schedule, kind: str, pick: int, value: int) -> Schedule:
    """One change a planner (or a bug) could make to a plan."""
    visits = list(schedule.assignments)
    i = pick % len(visits)
    a = visits[i]
    if kind == "drop":
        del visits[i]
    elif kind == "move":
        visits[i] = _remade(s, a, start=START + timedelta(days=value % 88))
    elif kind == "team":
        visits[i] = a.model_copy(update={"team_id": "D2" if a.team_id == "D1" else "D1"})
    elif kind == "swap":
        others = [m.id for m in s.members if m.id not in a.member_ids]
        out = a.member_ids[value % len(a.member_ids)]
        new = [others[value % len(others)] if m == out else m for m in a.member_ids]
        visits[i] = a.model_copy(update={"member_ids": new, "lead_id": a.lead_id if
                                         a.lead_id in new else new[0]})
    elif kind == "shrink":
        keep = [m for m in a.member_ids if m != a.lead_id][: max(0, len(a.member_ids) - 2)]
        visits[i] = a.model_copy(update={"member_ids": [a.lead_id, *keep]})
    elif kind == "duplicate":
        j = (i + 1 + value) % len(visits)
        visits.append(_remade(s, a, start=visits[j].start))
    return schedule.model_copy(update={"assignments": visits})


def _remade(s: Scenario, a: Assignment, start: date) -> Assignment:
    """The visit moved to ``start`` with its dates recomputed as a planner's tool would."""
    return make_assignment(s, s.work_calendar(), a.unit_id, a.team_id, start, a.member_ids,
                           a.lead_id)


# --- properties -----------------------------------------------------------------------------------


@SETTINGS
@given(campaigns())
def test_every_plan_checks_clean_at_its_cost_or_is_explained(s: Scenario) -> None:
    outcome = plan(s, FAST)
    if outcome.schedule is None:
        assert outcome.status is Status.INFEASIBLE or outcome.status is Status.UNKNOWN
        if outcome.status is Status.INFEASIBLE:
            assert outcome.explanation is not None and outcome.explanation.render()
        return
    assert outcome.check is not None and outcome.check.ok, outcome.check.violations
    assert outcome.check.objective == outcome.schedule.solver.objective
    assert judge(s, outcome.schedule) == set()


@SETTINGS
@given(campaigns(), st.lists(st.tuples(
    st.sampled_from(["drop", "move", "team", "swap", "shrink", "duplicate"]),
    st.integers(0, 50), st.integers(0, 200)), min_size=1, max_size=3))
def test_a_mutated_plan_is_flagged_exactly_when_the_judge_says_a_rule_breaks(
        s: Scenario, changes: list[tuple[str, int, int]]) -> None:
    outcome = plan(s, FAST)
    if outcome.schedule is None or not outcome.schedule.assignments:
        return
    mutated = outcome.schedule
    for kind, pick, value in changes:
        mutated = mutate(s, mutated, kind, pick, value)
    expected = judge(s, mutated)
    found = {v.rule_id for v in check_schedule(s, mutated).violations}
    assert found == expected


@SETTINGS
@given(campaigns(), st.integers(5, 30), st.sampled_from(["none", "absent", "removed"]))
def test_a_replan_keeps_done_visits_and_says_why_announced_ones_move(
        s: Scenario, day: int, event: str) -> None:
    outcome = plan(s, FAST)
    if outcome.schedule is None or not outcome.schedule.assignments:
        return
    as_of = s.work_calendar().next_working_day(START + timedelta(days=day))
    events = _event(s, outcome.schedule, event, as_of)
    result = replan(s, outcome.schedule, as_of, events, ReplanOptions(time_limit_s=2.0))
    if result.schedule is None:
        assert result.explanation or result.status is Status.UNKNOWN
        return
    before = {a.unit_id: a for a in outcome.schedule.assignments}
    after = {a.unit_id: a for a in result.schedule.assignments}
    for unit_id, old in before.items():
        if old.start < as_of:  # history
            assert after[unit_id].start == old.start and after[unit_id].team_id == old.team_id
    reasons = result.reasons()
    for unit_id, new in after.items():
        old = before.get(unit_id)
        was_announced = old is not None and old.start >= as_of and old.announce_by is not None \
            and old.announce_by < as_of
        if was_announced and (new.start, new.team_id) != (old.start, old.team_id):  # type: ignore[union-attr]
            assert reasons[unit_id]["why"], f"{unit_id} moved without a reason"


def _event(s: Scenario, baseline: Schedule, kind: str, as_of: date) -> Any:
    from models.events_reading import validate_events

    later = [a for a in baseline.assignments if a.start >= as_of]
    if kind == "none" or not later:
        return None
    a = later[0]
    if kind == "absent":
        item = {"kind": "member_unavailable", "member": a.lead_id,
                "from": a.start.isoformat(), "to": a.start.isoformat()}
    else:
        item = {"kind": "unit_removed", "unit": a.unit_id}
    return validate_events({"schema": "kiemtra.events/1", "events": [item]}, "events.yaml", s)
