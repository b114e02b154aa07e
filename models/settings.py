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
        GroupPolicy.MINIMUM, description="whole_team: the team minus the unavailable or excused; "
        "minimum: at least min_group_size, extra members cost"
    )
    leader_days_per_week: int | None = Field(
        None, ge=1, le=7, description="cap on a leader's visit days a week (leader_load weight)"
    )


MAX_WEIGHT = limits.MAX_WEIGHT
Weight = Annotated[int, Within(0, limits.MAX_WEIGHT)]


class Weights(Strict):
    """Weights of the soft rules; the objective is their weighted sum (integers)."""

    team_balance: Weight = 20
    member_balance: Weight = 5
    early: Weight = 1
    preferred_dates: Weight = 10
    agency_spread: Weight = 2
    unscheduled_optional: Weight = 1000
    # Newer soft rules: 0 (off) until the model knows them.
    travel: Weight = Field(0, description="per travel minute")
    team_days: Weight = Field(0, description="per team-day used")
    pace: Weight = Field(0, description="uneven pace over each window")
    leader_load: Weight = Field(0, description="leaders' visit days a week above leader_days_per_week")
    outside_window: Weight = Field(0, description="per working day outside an expected window")
    group_members: Weight = Field(
        0, description="per member-day excused from a whole-team visit, or sent above the minimum")


class SolverSettings(Strict):
    time_limit_s: Annotated[float, Within(0, limits.MAX_TIME_LIMIT_S, lo_open=True)] = 30.0
    workers: Annotated[int, Within(1, limits.MAX_WORKERS)] = 2
    seed: Annotated[int, Within(0, limits.MAX_SEED)] = 0
