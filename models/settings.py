"""Campaign-wide settings of a scenario: the rules, the weights of the soft rules, the solver.

Split from ``models/scenario.py`` to keep it short; import them from either module.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, PositiveInt

from models.field_work import GroupPolicy, Strict, Travel, WorkingHours


class Rules(Strict):
    report_deadline_days: int = Field(5, ge=0, description="report due N working days before")
    notice_lead_days: int = Field(
        5, ge=0, description="working days from the announcement to the report deadline"
    )
    min_group_size: PositiveInt = 3
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


MAX_WEIGHT = 1_000_000
Weight = Annotated[int, Field(ge=0, le=MAX_WEIGHT)]


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


class SolverSettings(Strict):
    time_limit_s: float = Field(30.0, gt=0)
    workers: PositiveInt = 2
    seed: int = Field(0, ge=0)
