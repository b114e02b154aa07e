"""The scenario a planner edits: campaign, calendar, agencies, teams, members, units and rules.

Pure pydantic data; no solver is imported here. Cross-references (a member's team, a unit's
agency) and dates (windows inside the horizon) are checked when the scenario is built, so that
everything downstream may trust it.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from models import limits
from models.calendar import CalendarOverrides, WorkCalendar, quarter_bounds
from models.limits import Within

SCENARIO_SCHEMA = "kiemtra.scenario/1"


def _nfc(value: Any) -> Any:
    """Vietnamese text is normalised to NFC so that the same name always compares equal."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    return value


Text = Annotated[str, BeforeValidator(_nfc), Field(min_length=1)]
Id = Annotated[
    str,
    BeforeValidator(_nfc),
    Field(min_length=1, max_length=64, pattern=r"^[^\s;,]+$", description="short id, no spaces"),
]


class Strict(BaseModel):
    """Every scenario object refuses unknown fields: a typo must not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    _supported_dates = field_validator("*")(limits.check_supported_dates)


class DateRange(Strict):
    """An inclusive range of dates."""

    start: date = Field(alias="from")
    end: date = Field(alias="to")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError(
                f"range ends ({self.end}) before it starts ({self.start}); swap 'from' and 'to'"
            )
        return self

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


DateOrRange = date | DateRange


def expand_dates(items: list[DateOrRange]) -> set[date]:
    """All calendar days named by a list of single dates and ranges."""
    days: set[date] = set()
    for item in items:
        if isinstance(item, date):
            days.add(item)
        else:
            days.update(
                date.fromordinal(o) for o in range(item.start.toordinal(), item.end.toordinal() + 1)
            )
    return days


class Horizon(Strict):
    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError("horizon.end must come after horizon.start")
        return self


class Campaign(Strict):
    name: Text
    legal_basis: Text | None = Field(None, description='e.g. "114/KH-UBND"')
    plan_date: date = Field(description="date the plan was issued; no visit is announced before")
    horizon: Horizon


class CalendarSettings(Strict):
    country: str = Field("VN", pattern="^VN$", description="only Vietnam is supported")
    builtin_swaps: bool = Field(True, description="apply the official swaps kiemtra knows of")
    days_off: list[DateOrRange] = Field(default_factory=list, description="extra days off")
    worked_days: list[date] = Field(default_factory=list, description="worked Saturdays etc.")
    dropped_holidays: list[date] = Field(default_factory=list, description="holidays not taken")


class Agency(Strict):
    id: Id
    name: Text


class Team(Strict):
    id: Id
    name: Text
    formed_on: date = Field(description="decision forming the team; no visit or notice before")
    parallel_subteams: Annotated[int, Within(1, limits.MAX_PARALLEL_SUBTEAMS)] = Field(
        1, description="how many sub-teams (tổ kiểm tra) may visit on the same day"
    )


class Role(StrEnum):
    LEADER = "leader"
    DEPUTY = "deputy"
    SECRETARY = "secretary"
    MEMBER = "member"


class Member(Strict):
    id: Id
    label: Text = Field(description="role and agency, e.g. 'Trưởng đoàn (Sở Nội vụ)'")
    agency: Id
    team: Id
    role: Role = Role.MEMBER
    can_lead_subteam: bool = Field(False, description="may lead a visit as sub-team lead")
    unavailable: list[DateOrRange] = Field(default_factory=list)
    max_visits_per_week: Annotated[int, Within(1, limits.DAYS_PER_WEEK)] | None = Field(
        None, description="visit days per week")

    @property
    def can_lead(self) -> bool:
        return self.role in (Role.LEADER, Role.DEPUTY) or self.can_lead_subteam


class UnitKind(StrEnum):
    DEPARTMENT = "department"
    PUBLIC_SERVICE_UNIT = "public_service_unit"
    SERVICE_CENTRE_BRANCH = "service_centre_branch"
    COMMUNE = "commune"
    WARD = "ward"
    OTHER = "other"

    @property
    def is_commune_level(self) -> bool:
        return self in (UnitKind.COMMUNE, UnitKind.WARD)


class Form(StrEnum):
    PLANNED = "planned"
    SURPRISE = "surprise"


class Window(Strict):
    """When a unit may be visited: quarters of a year, or explicit dates (one or the other)."""

    quarters: list[Annotated[int, Field(ge=1, le=4)]] | None = None
    year: Annotated[int, Within(limits.FIRST_YEAR, limits.LAST_YEAR)] | None = Field(
        None, description="year of the quarters; default: horizon start")
    start: date | None = Field(None, alias="from")
    end: date | None = Field(None, alias="to")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _one_form(self) -> Self:
        has_quarters = bool(self.quarters)
        has_dates = self.start is not None or self.end is not None
        if has_quarters == has_dates:
            raise ValueError("give either 'quarters' (e.g. [3, 4]) or 'from' and 'to' dates")
        if has_dates and (self.start is None or self.end is None):
            raise ValueError("a date window needs both 'from' and 'to'")
        if has_dates and self.end < self.start:  # type: ignore[operator]
            raise ValueError(f"window ends ({self.end}) before it starts ({self.start})")
        if has_quarters and sorted(set(self.quarters)) != list(range(  # type: ignore[arg-type]
            min(self.quarters), max(self.quarters) + 1  # type: ignore[arg-type]
        )):
            raise ValueError("quarters must be consecutive, e.g. [3, 4]")
        return self

    def bounds(self, default_year: int) -> tuple[date, date]:
        """First and last calendar day of the window."""
        if self.quarters:
            year = self.year or default_year
            return quarter_bounds(year, min(self.quarters))[0], quarter_bounds(
                year, max(self.quarters)
            )[1]
        return self.start, self.end  # type: ignore[return-value]

    def label(self) -> str:
        if self.quarters:
            roman = {1: "I", 2: "II", 3: "III", 4: "IV"}
            return "Quý " + ", ".join(roman[q] for q in self.quarters)
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"


class Unit(Strict):
    id: Id
    name: Text
    short_name: Text | None = Field(None, description="label for charts")
    kind: UnitKind
    agency: Id | None = Field(None, description="agency the unit is or belongs to (conflicts)")
    address: Text | None = None
    window: Window
    available_from: date | None = None
    duration: Annotated[int, Within(1, limits.MAX_DURATION_DAYS)] = Field(
        1, description="visit length in working days")
    form: Form = Form.PLANNED
    required_agencies: list[Id] = Field(default_factory=list)
    preferred_dates: list[DateOrRange] = Field(default_factory=list)
    excluded_dates: list[DateOrRange] = Field(default_factory=list)
    team: Id | None = Field(None, description="pin the unit to a team")
    optional: bool = Field(False, description="may be left unscheduled (with a penalty)")

    @property
    def label(self) -> str:
        return self.short_name or self.name


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
        None, description="communes and wards are visited only from this date (rearrangement)"
    )


Weight = Annotated[int, Within(0, limits.MAX_WEIGHT)]


class Weights(Strict):
    """Weights of the soft rules; the objective is their weighted sum (integers)."""

    team_balance: Weight = 20
    member_balance: Weight = 5
    early: Weight = 1
    preferred_dates: Weight = 10
    agency_spread: Weight = 2
    unscheduled_optional: Weight = 1000


class SolverSettings(Strict):
    time_limit_s: Annotated[float, Within(0, limits.MAX_TIME_LIMIT_S, lo_open=True)] = 30.0
    workers: Annotated[int, Within(1, limits.MAX_WORKERS)] = 2
    seed: Annotated[int, Within(0, limits.MAX_SEED)] = 0


class Scenario(Strict):
    schema_: str = Field(SCENARIO_SCHEMA, alias="schema", pattern=r"^kiemtra\.scenario/1$")
    campaign: Campaign
    calendar: CalendarSettings = Field(default_factory=CalendarSettings)
    agencies: list[Agency] = Field(min_length=1)
    teams: list[Team] = Field(min_length=1)
    members: list[Member] = Field(min_length=1)
    units: list[Unit] = Field(min_length=1)
    rules: Rules = Field(default_factory=Rules)
    weights: Weights = Field(default_factory=Weights)
    solver: SolverSettings = Field(default_factory=SolverSettings)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = [
            *_duplicate_ids("agencies", self.agencies),
            *_duplicate_ids("teams", self.teams),
            *_duplicate_ids("members", self.members),
            *_duplicate_ids("units", self.units),
            *self._dangling_references(),
            *self._date_problems(),
        ]
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def _dangling_references(self) -> list[str]:
        agencies = {a.id for a in self.agencies}
        teams = {t.id for t in self.teams}
        problems = []
        for i, m in enumerate(self.members):
            if m.agency not in agencies:
                problems.append(_unknown(f"members.{i}.agency", m.agency, "agencies", agencies))
            if m.team not in teams:
                problems.append(_unknown(f"members.{i}.team", m.team, "teams", teams))
        for i, u in enumerate(self.units):
            if u.agency is not None and u.agency not in agencies:
                problems.append(_unknown(f"units.{i}.agency", u.agency, "agencies", agencies))
            if u.team is not None and u.team not in teams:
                problems.append(_unknown(f"units.{i}.team", u.team, "teams", teams))
            for j, a in enumerate(u.required_agencies):
                if a not in agencies:
                    problems.append(
                        _unknown(f"units.{i}.required_agencies.{j}", a, "agencies", agencies)
                    )
        return problems

    def _date_problems(self) -> list[str]:
        h = self.campaign.horizon
        problems = []
        if not h.start <= self.campaign.plan_date <= h.end:
            problems.append(
                f"campaign.plan_date: {self.campaign.plan_date} is outside the horizon "
                f"{h.start}..{h.end}; move the date or widen campaign.horizon"
            )
        for i, t in enumerate(self.teams):
            if t.formed_on > h.end:
                problems.append(f"teams.{i}.formed_on: {t.formed_on} is after the horizon end")
        for i, u in enumerate(self.units):
            first, last = self.window_bounds(u)
            where = f"units.{i}.window ({u.id})"
            if last < h.start or first > h.end:
                problems.append(
                    f"{where}: {first}..{last} lies outside the horizon {h.start}..{h.end}; "
                    "widen campaign.horizon or change the window"
                )
            if u.available_from is not None and u.available_from > last:
                problems.append(
                    f"units.{i}.available_from ({u.id}): {u.available_from} is after the window "
                    f"closes ({last}); the unit could never be visited"
                )
        return problems

    # --- convenience views ---------------------------------------------------------------

    def window_bounds(self, unit: Unit) -> tuple[date, date]:
        """The unit's window as written (it may reach outside the horizon)."""
        return unit.window.bounds(self.campaign.horizon.start.year)

    def earliest_visit_date(self, unit: Unit, team: Team) -> date:
        """First calendar day a visit by ``team`` may take place, before any notice rule."""
        first, _ = self.window_bounds(unit)
        bounds = [first, self.campaign.horizon.start, team.formed_on]
        if unit.available_from is not None:
            bounds.append(unit.available_from)
        if unit.kind.is_commune_level and self.rules.commune_level_from is not None:
            bounds.append(self.rules.commune_level_from)
        return max(bounds)

    def latest_visit_date(self, unit: Unit) -> date:
        """Last calendar day a visit may end on."""
        return min(self.window_bounds(unit)[1], self.campaign.horizon.end)

    def work_calendar(self) -> WorkCalendar:
        """The campaign's working-day calendar with this scenario's overrides."""
        overrides = CalendarOverrides(
            days_off=frozenset(expand_dates(self.calendar.days_off)),
            worked_days=frozenset(self.calendar.worked_days),
            dropped_holidays=frozenset(self.calendar.dropped_holidays),
        )
        h = self.campaign.horizon
        return WorkCalendar(h.start, h.end, overrides, self.calendar.builtin_swaps)

    def team(self, team_id: str) -> Team:
        found = next((t for t in self.teams if t.id == team_id), None)
        if found is None:
            raise KeyError(f"unknown team '{team_id}'")
        return found

    def unit(self, unit_id: str) -> Unit:
        found = next((u for u in self.units if u.id == unit_id), None)
        if found is None:
            raise KeyError(f"unknown unit '{unit_id}'")
        return found

    def member(self, member_id: str) -> Member:
        found = next((m for m in self.members if m.id == member_id), None)
        if found is None:
            raise KeyError(f"unknown member '{member_id}'")
        return found

    def team_members(self, team_id: str) -> list[Member]:
        return [m for m in self.members if m.team == team_id]

    def agency_name(self, agency_id: str | None) -> str:
        return next((a.name for a in self.agencies if a.id == agency_id), agency_id or "")


def _duplicate_ids(section: str, items: list[Any]) -> list[str]:
    seen: dict[str, int] = {}
    problems = []
    for i, item in enumerate(items):
        if item.id in seen:
            problems.append(
                f"{section}.{i}.id: '{item.id}' is used twice (also {section}.{seen[item.id]}); "
                "give each an id of its own"
            )
        seen.setdefault(item.id, i)
    return problems


def _unknown(where: str, value: str, section: str, known: set[str]) -> str:
    listing = ", ".join(sorted(known)[:12])
    return f"{where}: '{value}' is not in {section}; use one of: {listing}"
