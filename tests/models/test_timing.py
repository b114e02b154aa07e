"""One day a unit exists (models/timing.exists_from), used by timing, domains, checker and greedy.

A commune-level unit does not exist before the rearrangement (rules.commune_level_from): its
visit must leave the announcement, and so the report deadline, on or after that day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from conftest import SCENARIOS, make_scenario, tiny_scenario_data
from models.loading import load_scenario
from models.rules import RuleId
from models.scenario import Scenario, UnitKind
from models.schedule import SolverInfo, Status
from models.timing import (
    announce_by,
    earliest_announcement,
    earliest_start_index,
    earliest_visit_date,
    eligible_teams,
    exists_from,
    report_due,
)
from scheduler.check.checker import check_schedule
from scheduler.plan.pipeline import greedy_schedule
from scheduler.problem.domains import build_domains
from scheduler.problem.schedule_build import make_assignment, schedule_skeleton

REARRANGEMENT = date(2025, 7, 1)


def rearranged(notice: int = 2, **unit3: Any) -> Scenario:
    """The tiny scenario with communes existing from 01/07/2025; U3 is a ward."""
    data = tiny_scenario_data()
    data["rules"].update(commune_level_from=REARRANGEMENT.isoformat(), notice_lead_days=notice)
    data["units"][2].update(unit3)
    return make_scenario(data)


def announced(s: Scenario, unit_id: str, start: date) -> date:
    """The announce-by day of a planned visit starting on ``start``."""
    day = announce_by(s.work_calendar(), s, s.unit(unit_id), start)
    assert day is not None
    return day


def first_start(s: Scenario, unit_id: str = "U3") -> date:
    cal = s.work_calendar()
    return cal.date_of(earliest_start_index(cal, s, s.unit(unit_id), s.team("D1")))


@pytest.mark.parametrize(("kind", "available_from", "expected"), [
    ("ward", None, REARRANGEMENT),
    ("commune", None, REARRANGEMENT),
    ("special_zone", None, REARRANGEMENT),
    ("department", None, date(2025, 6, 2)),  # the horizon start
    ("department", "2025-06-20", date(2025, 6, 20)),
    ("ward", "2025-07-15", date(2025, 7, 15)),
])
def test_exists_from_by_kind_and_availability(kind: str, available_from: str | None,
                                              expected: date) -> None:
    s = rearranged(kind=kind, available_from=available_from)
    assert exists_from(s, s.unit("U3")) == expected


def test_timing_leaves_the_announcement_and_report_after_the_rearrangement() -> None:
    s = rearranged()
    cal, ward = s.work_calendar(), s.unit("U3")
    start = first_start(s)
    # The visit-date bound alone would allow 01/07; the announcement pushes the visit later.
    assert earliest_visit_date(s, ward, s.team("D1")) == REARRANGEMENT
    assert announced(s, "U3", REARRANGEMENT) < REARRANGEMENT  # the old, wrong plan
    assert start > REARRANGEMENT
    assert announced(s, "U3", start) >= REARRANGEMENT
    due = report_due(cal, s, ward, start)
    assert due is not None and due >= REARRANGEMENT
    assert announced(s, "U3", cal.shift(start, -1)) < REARRANGEMENT  # the bound is tight
    assert earliest_announcement(s, s.team("D1"), unit=ward) == REARRANGEMENT
    assert earliest_announcement(s, s.team("D1")) < REARRANGEMENT  # announced already


def test_a_department_is_not_held_back_by_the_rearrangement() -> None:
    s = rearranged()
    assert first_start(s, "U2") < REARRANGEMENT


def test_a_surprise_visit_needs_no_announcement() -> None:
    assert first_start(rearranged(form="surprise")) == REARRANGEMENT


def test_domains_start_where_timing_says() -> None:
    s = rearranged()
    dom = build_domains(s)
    assert dom.cal.date_of(min(dom.units["U3"].all_starts)) == first_start(s)


def test_checker_flags_an_announcement_before_the_unit_exists() -> None:
    s = rearranged()
    cal = s.work_calendar()

    def plan(ward_day: date) -> list[str]:
        rows = [("U1", "D1", date(2025, 6, 16), ["A1", "A2"], "A1"),
                ("U2", "D2", date(2025, 6, 16), ["B1", "B2"], "B1"),
                ("U3", "D1", ward_day, ["A1", "A3"], "A1")]
        assignments = [make_assignment(s, cal, u, t, d, m, lead) for u, t, d, m, lead in rows]
        schedule = schedule_skeleton(s, assignments, SolverInfo(status=Status.FEASIBLE))
        return [v.message for v in check_schedule(s, schedule).violations
                if v.rule_id == RuleId.H04_NOTICE and v.unit_id == "U3"]

    early = plan(REARRANGEMENT)
    assert len(early) == 1 and "01/07/2025" in early[0]
    assert plan(first_start(s)) == []


def test_greedy_announces_communes_after_they_exist() -> None:
    s = rearranged()
    schedule = greedy_schedule(s)
    ward = next(a for a in schedule.assignments if a.unit_id == "U3")
    assert ward.announce_by is not None and ward.announce_by >= REARRANGEMENT
    assert check_schedule(s, schedule).ok


def test_no_commune_of_the_hanoi_plan_can_be_announced_before_1_july() -> None:
    s = load_scenario(SCENARIOS / "hanoi-2025-communes.yaml")
    cal = s.work_calendar()
    communes = [u for u in s.units if u.kind.is_commune_level]
    assert len(communes) == 126
    for unit in communes:
        for team in eligible_teams(s, unit):
            start = cal.date_of(earliest_start_index(cal, s, unit, team))
            announced = announce_by(cal, s, unit, start)
            assert announced is not None and announced >= REARRANGEMENT, unit.id


def test_special_zone_is_commune_level() -> None:
    assert UnitKind.SPECIAL_ZONE.is_commune_level
    assert {k for k in UnitKind if k.is_commune_level} == {
        UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE}
