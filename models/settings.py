"""Campaign-wide settings of a scenario: the rules, the weights of the soft rules, the solver.

Split from ``models/scenario.py`` to keep it short; import them from either module.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from models import limits
from models.field_work import GroupPolicy, Strict, Travel, WorkingHours
from models.limits import Within


class Overnight(Strict):
    """Trips with nights away: a unit too far for a day route joins a trip of consecutive working
    days of one team and lead, sleeping near its last unit of the day (0 nights: no trips)."""

    max_nights: int = Field(0, ge=0, le=10, description="nights away a trip may have (0: no trips)")


class Rules(Strict):
    report_deadline_days: Annotated[int, Within(0, limits.MAX_NOTICE_DAYS)] = Field(
        5, description="report due N working days before")
    notice_lead_days: Annotated[int, Within(0, limits.MAX_NOTICE_DAYS)] = Field(
        5, description="working days from the announcement to the report deadline"
    )
    min_group_size: Annotated[int, Within(1, limits.MAX_GROUP_SIZE)] = 3
    lead_on_every_visit: bool = True
    conflict_of_interest: bool = True
    commune_level_from: date | None = Field(
        None, description="communes, wards and đặc khu exist (are visited, announced) only from "
        "this date (rearrangement)"
    )
    travel: Travel = Field(Travel.model_validate({}), description="travel-time estimate")
    working_hours: WorkingHours = WorkingHours.model_validate({})
    group_policy: GroupPolicy = Field(
        GroupPolicy.WHOLE_TEAM, description="whole_team (default, Kế hoạch 114 §IV.3): the team "
        "minus the unavailable, each excused member costs; minimum: at least min_group_size, "
        "each extra member costs"
    )
    leader_days_per_week: int | None = Field(
        None, ge=1, le=7, description="cap on a leader's visit days a week (leader_load weight)"
    )
    notice_after_formation_days: Annotated[int, Within(0, limits.MAX_NOTICE_DAYS)] = Field(
        5, description="a team's first notice goes out at least N working days after the team is "
        "formed: the Trưởng đoàn first draws up the schedule (Kế hoạch 114/KH-UBND §II.3)"
    )
    overnight: Overnight = Field(Overnight.model_validate({}), description="trips of several "
                                 "working days with nights away (units too far for a day)")
    conclusion_days: Annotated[int, Within(1, limits.MAX_NOTICE_DAYS)] | None = Field(
        None, description="the team's conclusion on a visit is due N working days after its last "
        "day (shown in the plan, calendars and report; none: not shown)"
    )


MAX_WEIGHT = limits.MAX_WEIGHT
Weight = Annotated[int, Within(0, limits.MAX_WEIGHT)]


class Weights(Strict):
    """Weights of the soft rules; the objective is their weighted sum (integers).

    The defaults are the "even pace" preset a planner can sign as it is (README, "Presets"):
    visits spread over their windows rather than crammed into the first weeks (``early`` 0,
    ``pace`` 1), the whole team goes (an excused member-day costs 10, more than the balance of
    days it could buy), a day saved is worth an hour's driving, and a visit leaves its expected
    window only when nothing inside is possible (100 a working day).
    """

    team_balance: Weight = 20
    member_balance: Weight = 5
    early: Weight = Field(0, description="per working day after the earliest start (slack for "
                          "re-inspection); 1 is the front-loading preset")
    preferred_dates: Weight = 10
    agency_spread: Weight = 2
    unscheduled_optional: Weight = 1000
    travel: Weight = Field(1, description="per travel minute")
    team_days: Weight = Field(60, description="per team-day used")
    pace: Weight = Field(1, description="uneven pace over each window")
    leader_load: Weight = Field(20, description="per leader's visit day a week above "
                                "rules.leader_days_per_week (no cap: nothing)")
    outside_window: Weight = Field(100, description="per working day outside an expected window")
    overnight: Weight = Field(100, description="per night a trip team spends away")
    group_members: Weight = Field(
        10, description="per member-day excused from a whole-team visit, or sent above the minimum")
    sample_priority: Weight = Field(
        10, description="per point of priority of a selection's optional unit left out (S13); "
        "such units cost no unscheduled_optional: the selection says how many are visited")


class SolverSettings(Strict):
    time_limit_s: Annotated[float, Within(0, limits.MAX_TIME_LIMIT_S, lo_open=True)] = 30.0
    workers: Annotated[int, Within(1, limits.MAX_WORKERS)] = 2
    seed: Annotated[int, Within(0, limits.MAX_SEED)] = 0
