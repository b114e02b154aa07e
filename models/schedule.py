"""The schedule a solve produces: the versioned export contract ``kiemtra.schedule/1``.

``schedule.json`` is this model dumped as JSON; ``schedule.csv`` has one row per assignment.
A schedule file is also what ``kiemtra check``, the exports and the re-planner read.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from models.limits import check_supported_dates
from models.scenario import Form, Role, UnitKind
from models.text import check_no_control

SCHEDULE_SCHEMA = "kiemtra.schedule/1"
HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"
FROM_FILE = "from_file"  # validation context key: the data comes from a planner's file


class Status(StrEnum):
    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    UNKNOWN = "UNKNOWN"


class VisitState(StrEnum):
    """Where a visit stands with the inspected unit."""

    PLANNED = "planned"  # free to move
    ANNOUNCED = "announced"  # the unit was notified: the date holds unless released
    DONE = "done"  # history, never moves
    CANCELLED = "cancelled"


class Contract(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _supported_dates(cls, value: Any, info: ValidationInfo) -> Any:
        """A schedule read from a file must be dated in supported years; code may build any
        date (the checker reports garbage assignments rather than refusing them)."""
        if not (info.context or {}).get(FROM_FILE):
            return value
        for text in (value if isinstance(value, list) else [value]):
            if isinstance(text, str):
                check_no_control(text)
        return check_supported_dates(value)


class ScenarioRef(Contract):
    name: str
    sha256: str


class SolverInfo(Contract):
    status: Status
    objective: int | None = None
    bound: int | None = None
    wall_s: float = 0.0
    seed: int = 0
    workers: int = 1
    objective_terms: dict[str, int] = Field(
        default_factory=dict, description="weighted penalty of each soft rule, by rule id"
    )
    time_limit_s: float | None = Field(
        None, description="work limit of the search (deterministic seconds), to reproduce it")
    wall_cap_hit: bool = Field(
        False, description="the wall-clock safety cap stopped the search before its work limit: "
                           "another run may give another plan")
    versions: dict[str, str] = Field(
        default_factory=dict, description="kiemtra, OR-Tools, holidays and Python versions")


class TeamRef(Contract):
    id: str
    name: str


class MemberRef(Contract):
    id: str
    name: str
    agency: str
    team: str
    role: Role


class UnitRef(Contract):
    id: str
    name: str
    kind: UnitKind
    agency: str | None = None


class Assignment(Contract):
    unit_id: str
    team_id: str
    start: date
    end: date
    member_ids: list[str]
    lead_id: str
    form: Form = Form.PLANNED
    report_due: date | None = None
    announce_by: date | None = None
    state: VisitState = VisitState.PLANNED
    # A visit shorter than a day: its place in the team's day route (clock times, Asia/Ho_Chi_Minh)
    # and the minutes driven to reach it. Visits of one route share team, date and lead_id.
    start_time: str | None = Field(None, pattern=HHMM, description="HH:MM the visit starts")
    end_time: str | None = Field(None, pattern=HHMM, description="HH:MM the visit ends")
    travel_minutes: int | None = Field(None, ge=0, description="minutes driven to reach it")
    travel_km: float | None = Field(None, ge=0, description="road km driven to reach it")
    conclusion_due: date | None = Field(
        None, description="the team's conclusion on the visit is due (rules.conclusion_days after it)")
    route_id: str | None = Field(None, description="the day route (``Schedule.routes``) it is on")
    trip_id: str | None = Field(None, description="the trip of several working days it is on "
                                "(nights away; ``rules.overnight``), None on a day route")

    @property
    def route_key(self) -> RouteKey:
        """The one grouping of visits into day routes: team, date and lead."""
        return (self.team_id, self.start, self.lead_id)


RouteKey = tuple[str, date, str]  # team id, date, lead id: the visits of one team-day route


def route_id_of(key: RouteKey) -> str:
    """A route's id, stable across re-plans of the same team-day."""
    team_id, day, lead_id = key
    return f"{team_id}-{day.isoformat()}-{lead_id}"


def trip_id_of(key: RouteKey) -> str:
    """A trip's id: its first day's route id, marked (stable across re-plans of the same trip)."""
    return f"trip-{route_id_of(key)}"


class RoutePoint(Contract):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    name: str | None = Field(None, description="the base's name, when its team has several")


class Route(Contract):
    """One team-day route of short visits: where it starts and ends, its visits in order, its travel
    (recomputed by the checker from the coordinates and ``rules.travel``)."""

    id: str
    team_id: str
    date: date
    lead_id: str
    unit_ids: list[str] = Field(min_length=1)
    base: RoutePoint | None = Field(None, description="where the route starts and ends")
    travel_minutes: int = Field(ge=0, description="minutes driven, the way home included")
    travel_km: float = Field(ge=0, description="road km driven, the way home included")
    trip_id: str | None = Field(None, description="the trip this day belongs to: it sets out from "
                                "the previous day's last unit (the night's lodging) and drives home "
                                "only on the trip's last day; None: a day route from the base")
    night_at: str | None = Field(None, description="a trip day but its last: the unit near which the "
                                 "team sleeps (where the next day sets out)")

    @property
    def key(self) -> RouteKey:
        return (self.team_id, self.date, self.lead_id)


class Unscheduled(Contract):
    unit_id: str
    reason: str


class Lineage(Contract):
    """The plan a re-planned or repaired schedule was made from (added within version 1).

    Calendars are updated from those last published for the lineage, so their SEQUENCE rises
    for every changed or cancelled event whatever folder the new calendars are written to."""

    baseline_path: str = Field(description="the schedule re-planned or repaired (absolute path)")
    baseline_sha256: str = Field(description="sha256 of that file's bytes when it was read")
    ics_dir: str | None = Field(
        None, description="folder of the calendars last published for the lineage (absolute)")


class Schedule(Contract):
    schema_: str = Field(SCHEDULE_SCHEMA, alias="schema")
    scenario: ScenarioRef
    solver: SolverInfo
    teams: list[TeamRef] = Field(default_factory=list)
    members: list[MemberRef] = Field(default_factory=list)
    units: list[UnitRef] = Field(default_factory=list)
    assignments: list[Assignment] = Field(default_factory=list)
    unscheduled: list[Unscheduled] = Field(default_factory=list)
    routes: list[Route] = Field(default_factory=list, description="the day routes of short visits")
    lineage: Lineage | None = Field(
        None, description="the baseline of a re-planned or repaired schedule (None: a first plan)")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def assignment_for(self, unit_id: str) -> Assignment | None:
        return next((a for a in self.assignments if a.unit_id == unit_id), None)

    def to_json(self) -> str:
        # A first plan has no lineage: its file stays as version 1 always wrote it.
        skip = {"lineage"} if self.lineage is None else None
        return self.model_dump_json(by_alias=True, indent=2, exclude=skip)


CSV_FIELDS = [
    "unit_id",
    "team_id",
    "start",
    "end",
    "member_ids",
    "lead_id",
    "form",
    "report_due",
    "announce_by",
    "state",
    "start_time",
    "end_time",
    "travel_minutes",
    "travel_km",
    "trip_id",  # a trip with nights away (``Route.trip_id``), empty on a day route
    "member_names",  # the group as people read it (members[].name), ";"-joined like member_ids
]
