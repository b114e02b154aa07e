"""A synthetic campaign shaped like Hanoi's, at any size, for speed measurements and tests.

Two teams of ``members_per_team`` (leader, deputy, secretary, members drawn from seven
agencies), units spread over three windows (Q2, Q3, Q4 of 2025), every visit needing Sở Nội vụ
and Sở KH&CN, a few two-day visits, preferred and excluded dates and member absences.
Deterministic for a given ``seed``.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from models.scenario import Scenario

MEMBER_AGENCIES = ["SNV", "SKHCN", "VPUB", "TTTP", "PVHCC", "STP", "STC"]
UNIT_AGENCIES = [*MEMBER_AGENCIES[2:], "SYT", "SXD", "SGDDT", "SDL", "UBND"]


def _members(team: str, n: int, rng: random.Random) -> list[dict[str, Any]]:
    lead_agency, deputy_agency = ("SNV", "SKHCN") if team == "D1" else ("SKHCN", "SNV")
    members = [
        {"id": f"{team}-TD", "label": f"Trưởng đoàn {team}", "agency": lead_agency,
         "team": team, "role": "leader", "max_visits_per_week": 3},
        {"id": f"{team}-PTD", "label": f"Phó trưởng đoàn {team}", "agency": deputy_agency,
         "team": team, "role": "deputy", "max_visits_per_week": 3},
        {"id": f"{team}-TK", "label": f"Thư ký {team}", "agency": lead_agency, "team": team,
         "role": "secretary", "max_visits_per_week": 4},
    ]
    for i in range(n - 3):
        agency = MEMBER_AGENCIES[2 + i % (len(MEMBER_AGENCIES) - 2)] if i < 5 else "STP"
        member: dict[str, Any] = {"id": f"{team}-M{i + 1}", "label": f"Thành viên {team}-{i + 1}",
                                  "agency": agency, "team": team, "max_visits_per_week": 3}
        if rng.random() < 0.3:
            first = date(2025, 6, 1) + timedelta(days=rng.randrange(180))
            member["unavailable"] = [{"from": first.isoformat(),
                                      "to": (first + timedelta(days=6)).isoformat()}]
        members.append(member)
    return members


def _unit(i: int, rng: random.Random) -> dict[str, Any]:
    quarter = [2, 3, 4][i % 3]
    unit: dict[str, Any] = {
        "id": f"U{i + 1:03d}", "name": f"Đơn vị {i + 1}", "kind": "department",
        "agency": rng.choice(UNIT_AGENCIES), "window": {"quarters": [quarter]},
        "required_agencies": ["SNV", "SKHCN"],
    }
    if rng.random() < 0.1:
        unit["duration"] = 2
    first = date(2025, 3 * quarter - 2, 1)
    if rng.random() < 0.15:
        day = first + timedelta(days=30 + rng.randrange(40))
        unit["preferred_dates"] = [{"from": day.isoformat(),
                                    "to": (day + timedelta(days=4)).isoformat()}]
    if rng.random() < 0.1:
        day = first + timedelta(days=rng.randrange(60))
        unit["excluded_dates"] = [{"from": day.isoformat(),
                                   "to": (day + timedelta(days=9)).isoformat()}]
    return unit


def synthetic_data(n_units: int = 140, members_per_team: int = 10, seed: int = 0
                   ) -> dict[str, Any]:
    """The scenario as a dict (edit it before validating, as the tests do)."""
    rng = random.Random(seed)
    return {
        "schema": "kiemtra.scenario/1",
        "campaign": {"name": f"Synthetic {n_units}", "plan_date": "2025-04-01",
                     "horizon": {"start": "2025-04-01", "end": "2025-12-31"}},
        "agencies": [{"id": a, "name": f"Cơ quan {a}"} for a in MEMBER_AGENCIES + UNIT_AGENCIES[5:]],
        "teams": [{"id": t, "name": f"Đoàn {t}", "formed_on": "2025-04-01"}
                  for t in ("D1", "D2")],
        "members": [*_members("D1", members_per_team, rng), *_members("D2", members_per_team, rng)],
        "units": [_unit(i, rng) for i in range(n_units)],
        "rules": {"min_group_size": 4, "notice_lead_days": 5, "report_deadline_days": 5},
        "solver": {"time_limit_s": 30, "workers": 2, "seed": 0},
    }


def synthetic_scenario(n_units: int = 140, members_per_team: int = 10, seed: int = 0
                       ) -> Scenario:
    return Scenario.model_validate(synthetic_data(n_units, members_per_team, seed))
