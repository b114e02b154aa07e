"""Where and how the teams work in the field: coordinates, travel, working hours, group policy.

Scenario fields for real inspection days (a visit of a few hours, travel between units, the
working sessions of a day, who goes). Pure pydantic data like ``models/scenario.py``; the route
engine and the model read them, nothing here computes a route.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from models import limits
from models.messages import worded

# Vietnam's mainland and islands (Trường Sa reaches lon 117.8): a coordinate outside is
# probably a typo or swapped lat/lon, worth a warning but not a refusal.
VIETNAM_LAT = (8.0, 23.5)
VIETNAM_LON = (102.0, 118.0)

_HHMM_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


def _hhmm(value: str) -> str:
    if not re.fullmatch(_HHMM_PATTERN, value):
        raise ValueError(worded("field.not_a_time", value=value))
    return value


HHMM = Annotated[
    str,
    AfterValidator(_hhmm),
    Field(json_schema_extra={"pattern": _HHMM_PATTERN}, description="time of day, HH:MM (24 h)"),
]


class Strict(BaseModel):
    """Every scenario object refuses unknown fields: a typo must not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    _supported_dates = field_validator("*")(limits.check_supported_dates)


class Location(Strict):
    """A point on the map (WGS 84 degrees)."""

    lat: float = Field(ge=-90, le=90, description="latitude, degrees north (Hanoi ≈ 21.03)")
    lon: float = Field(ge=-180, le=180, description="longitude, degrees east (Hanoi ≈ 105.85)")

    @property
    def in_vietnam(self) -> bool:
        return (VIETNAM_LAT[0] <= self.lat <= VIETNAM_LAT[1]
                and VIETNAM_LON[0] <= self.lon <= VIETNAM_LON[1])


class Travel(Strict):
    """How travel time is estimated from straight-line distance."""

    road_factor: float = Field(
        1.4, ge=1.0, le=3.0, description="road distance ÷ straight-line distance (1.0–3.0)"
    )
    speed_kmh: float = Field(30.0, ge=5.0, le=120.0, description="average road speed, km/h")


def minutes_of(hhmm: str) -> int:
    """Minutes since midnight of an HH:MM time."""
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


class Session(Strict):
    """One working session of a day, e.g. the morning 08:00–12:00."""

    start: HHMM = Field(alias="from")
    end: HHMM = Field(alias="to")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if minutes_of(self.end) <= minutes_of(self.start):
            raise ValueError(
                f"session ends ({self.end}) before it starts ({self.start}); swap 'from' and 'to'"
            )
        return self

    @property
    def minutes(self) -> int:
        return minutes_of(self.end) - minutes_of(self.start)


def _default_sessions() -> list[Session]:
    return [Session.model_validate({"from": "08:00", "to": "12:00"}),
            Session.model_validate({"from": "13:30", "to": "17:00"})]


class WorkingHours(Strict):
    """The working sessions of a day; a short visit lies inside one session, never across the pause."""

    sessions: list[Session] = Field(
        default_factory=_default_sessions, min_length=1,
        description="in order, not overlapping; default 08:00–12:00 and 13:30–17:00",
    )
    grid_minutes: int = Field(
        15, ge=1, le=60,
        description="visits start on this grid of clock minutes (15: 08:00, 08:15, …), as planners "
        "write them",
    )
    travel_in_pause: bool = Field(
        True, description="the team may drive during the pause between sessions (lunch); a visit "
        "never spans it",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        for before, after in zip(self.sessions, self.sessions[1:], strict=False):
            if minutes_of(after.start) < minutes_of(before.end):
                raise ValueError(
                    f"session {after.start}–{after.end} starts before the previous one ends "
                    f"({before.start}–{before.end}); list sessions in order, without overlap"
                )
        return self

    @property
    def minutes(self) -> int:
        """Working minutes in a day."""
        return sum(s.minutes for s in self.sessions)


class GroupPolicy(StrEnum):
    """Who goes on a visit.

    ``whole_team``: the whole team, minus members unavailable that day or excused (Kế hoạch
    114/KH-UBND §IV.3: a member's absence from a visit needs the leader's consent).
    ``minimum``: at least ``rules.min_group_size`` members; each extra member costs.
    """

    WHOLE_TEAM = "whole_team"
    MINIMUM = "minimum"
