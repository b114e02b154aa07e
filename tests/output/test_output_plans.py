"""Hand-made schedules for the output tests (no solver): the tiny scenario and Hanoi 2025.

Both plans satisfy every hard rule (groups, notice, weekly limits), so the outputs are tested on
schedules a solver could have produced.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

from conftest import SCENARIOS
from models.loading import load_scenario
from models.rules import RuleId
from models.scenario import Scenario
from models.schedule import Schedule, SolverInfo, Status, Unscheduled
from scheduler.plan.pipeline import greedy_schedule
from scheduler.problem.schedule_build import make_assignment, schedule_skeleton

SOLVER = SolverInfo(status=Status.FEASIBLE, objective=57, bound=50, wall_s=1.25, seed=0,
                    workers=1, objective_terms={RuleId.S01_TEAM_BALANCE: 20, RuleId.S03_EARLY: 37})

TINY_PLAN = [  # unit, team, start, members, lead
    ("U1", "D1", date(2025, 6, 10), ["A1", "A2"], "A1"),
    ("U2", "D2", date(2025, 6, 10), ["B1", "B3"], "B1"),
    ("U3", "D1", date(2025, 6, 12), ["A1", "A3"], "A1"),
]

_G1 = ["D1-TD", "D1-SKHCN", "D1-VPUB", "D1-STC"]
_G2 = ["D1-PTD", "D1-TK", "D1-TTTP", "D1-STP"]
_H1 = ["D2-TD", "D2-SNV", "D2-VPUB", "D2-STC"]
_H2 = ["D2-PTD", "D2-TK", "D2-TTTP", "D2-STP"]
HANOI_PLAN = [
    ("SYT", "D1", date(2025, 6, 16), _G1, "D1-TD"),
    ("SDL", "D2", date(2025, 6, 16), _H1, "D2-TD"),
    ("SGDDT", "D1", date(2025, 6, 17), _G2, "D1-PTD"),
    ("PVHCC-Q2-2", "D2", date(2025, 6, 17), _H2, "D2-PTD"),
    ("PVHCC-Q2-1", "D1", date(2025, 6, 18), _G1, "D1-TD"),
    ("BQLDA-HTKT", "D2", date(2025, 6, 18), _H1, "D2-TD"),
    ("CD-TMDL", "D1", date(2025, 6, 23), _G2, "D1-PTD"),
    ("VIEN-QHXD", "D2", date(2025, 6, 23), _H2, "D2-PTD"),
    ("TT-BTDS", "D1", date(2025, 6, 24), _G1, "D1-TD"),
    ("SXD", "D1", date(2025, 7, 1), _G1, "D1-TD"),
    ("STC", "D2", date(2025, 7, 1), _H2, "D2-PTD"),
    ("PVHCC-Q34-1", "D1", date(2025, 7, 2), _G2, "D1-PTD"),
    ("SNNMT", "D2", date(2025, 7, 2), _H1, "D2-TD"),
    ("PVHCC-Q34-2", "D2", date(2025, 7, 3), _H1, "D2-TD"),
]


def build(scenario: Scenario, plan: list[tuple[str, str, date, list[str], str]],
          unscheduled: list[Unscheduled] | None = None, **solver: Any) -> Schedule:
    cal = scenario.work_calendar()
    assignments = [make_assignment(scenario, cal, u, t, d, m, lead) for u, t, d, m, lead in plan]
    info = SolverInfo.model_validate({**SOLVER.model_dump(), **solver})
    return schedule_skeleton(scenario, assignments, info, unscheduled or [])


def tiny_schedule(scenario: Scenario) -> Schedule:
    return build(scenario, TINY_PLAN)


def hanoi_schedule(scenario: Scenario) -> Schedule:
    return build(scenario, HANOI_PLAN)


@functools.cache
def communes_plan() -> tuple[Scenario, Schedule]:
    """140 units of Hanoi's 2025 commune campaign, planned by the greedy heuristic (~0.15 s), one
    whole day each (visit_minutes dropped: day routes would put several communes on one bar; field
    work to the year's end, as 140 whole days do not all fit before 14/12)."""
    loaded = load_scenario(SCENARIOS / "hanoi-2025-communes.yaml")
    campaign = loaded.campaign.model_copy(update={"fieldwork_ends": None})
    scenario = loaded.model_copy(update={"units": [u.model_copy(update={"visit_minutes": None})
                                                   for u in loaded.units], "campaign": campaign})
    return scenario, greedy_schedule(scenario)
