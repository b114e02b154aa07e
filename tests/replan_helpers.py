"""A small campaign under way, built by hand, for the event, re-plan and diff tests.

Five units on two teams in June 2025; re-planned on Thu 12/06/2025: U1 and U2 are done, U3 and
U4 were announced (their announcement day passed), U5 is still only planned.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from conftest import make_scenario, tiny_scenario_data
from models.events import EventsFile
from models.events_reading import validate_events
from models.scenario import Scenario
from models.schedule import Schedule, SolverInfo, Status, VisitState
from scheduler.problem.schedule_build import make_assignment, schedule_skeleton

AS_OF = date(2025, 6, 12)

# unit id -> team, start, members (the first one leads)
BASELINE_VISITS: dict[str, tuple[str, date, list[str]]] = {
    "U1": ("D1", date(2025, 6, 9), ["A1", "A2"]),
    "U2": ("D2", date(2025, 6, 10), ["B1", "B2"]),
    "U3": ("D1", date(2025, 6, 17), ["A1", "A3"]),
    "U4": ("D2", date(2025, 6, 18), ["B1", "B3"]),
    "U5": ("D1", date(2025, 6, 24), ["A1", "A2"]),
}


def campaign_data() -> dict[str, Any]:
    data = tiny_scenario_data()
    window = {"from": "2025-06-02", "to": "2025-07-31"}
    data["units"] += [
        {"id": "U4", "name": "Ban Quản lý dự án", "kind": "public_service_unit",
         "window": window},
        {"id": "U5", "name": "Phường Hoàn Kiếm", "kind": "ward", "window": window},
    ]
    return data


def campaign() -> Scenario:
    return make_scenario(campaign_data())


def baseline(scenario: Scenario | None = None) -> Schedule:
    scenario = scenario or campaign()
    cal = scenario.work_calendar()
    assignments = [
        make_assignment(scenario, cal, unit_id, team, start, members, members[0],
                        VisitState.PLANNED)
        for unit_id, (team, start, members) in BASELINE_VISITS.items()
    ]
    return schedule_skeleton(scenario, assignments, SolverInfo(status=Status.FEASIBLE))


def events(*items: dict[str, Any], scenario: Scenario | None = None) -> EventsFile:
    data = {"schema": "kiemtra.events/1", "events": list(items)}
    return validate_events(data, "events.yaml", scenario or campaign())
