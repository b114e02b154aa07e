"""The scenario a planner edits: campaign, calendar, agencies, teams, members, units and rules.

Pure pydantic data; no solver is imported here. Cross-references (a member's team, a unit's
agency) and dates (windows inside the horizon) are checked when the scenario is built, so that
everything downstream may trust it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Self, TypeVar

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    PositiveInt,
    PrivateAttr,
    model_validator,
)

from models import limits
from models.bases import TeamBase, duplicate_base_names, fill_base
from models.calendar import CalendarOverrides, WorkCalendar, quarter_bounds
from models.documents import LegalDocument, as_documents
from models.field_work import Location, Strict
from models.limits import Within
from models.messages import Worded, worded
from models.scenario_problems import (
    dangling_references,
    date_problems,
    duplicate_ids,
    visit_problems,
)
from models.selection import MAX_PRIORITY, Selection, priority_problems, selection_problems
from models.settings import Rules, SolverSettings, Weights
from models.text import Id, Text

SCENARIO_SCHEMA = "kiemtra.scenario/1"


class DateRange(Strict):
    """An inclusive range of dates."""

    start: date = Field(alias="from")
    end: date = Field(alias="to")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError(worded("scenario.range_order", start=self.start, end=self.end))
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
            raise ValueError(worded("scenario.horizon_order"))
        return self


class Campaign(Strict):
    name: Text
    legal_basis: Annotated[list[LegalDocument], BeforeValidator(as_documents)] = Field(
        default_factory=list,
        description='the plan and what it rests on, each {number, date, issuer}; or just "114/KH-UBND"')
    plan_date: date = Field(description="date the plan was issued; no visit is announced before")
    horizon: Horizon
    review_from: date | None = Field(
        None, description="first day of the period under review (default 1 January of the horizon's year)")
    report_template: Text | None = Field(
        None, description="where the unit's report template and outline are set, named in the notices")
    recipients: list[Text] | None = Field(
        None, description='the notices\' "Nơi nhận" lines (default: the plan\'s issuer, Sở Nội vụ, '
                          'the unit, the archive)')
    fieldwork_ends: date | None = Field(
        None, description="last day of field work: no visit after it, the pace line ends there "
        "(e.g. the annual report's data cut-off)")
    report_date: date | None = Field(
        None, description="the day the campaign reports its results (shown in the plan and calendars)")


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
    base: Location | None = Field(None, description="where the team sets out from (its office)")
    bases: list[TeamBase] = Field(
        default_factory=list, description="where a day route may start and end, the office first "
        "(e.g. the province's second seat after a 2025 merger); 'base' is the one-base shorthand")
    decision: LegalDocument | None = Field(None, description="the decision forming the team")

    _fill_base = model_validator(mode="before")(fill_base)

    @model_validator(mode="after")
    def _base_names(self) -> Self:
        if twice := duplicate_base_names(self.bases):
            raise ValueError(worded("scenario.base_names", names=", ".join(twice)))
        return self


class Role(StrEnum):
    LEADER = "leader"
    DEPUTY = "deputy"
    SECRETARY = "secretary"
    MEMBER = "member"


class Member(Strict):
    id: Id
    label: Text = Field(description="role and agency, e.g. 'Trưởng đoàn (Sở Nội vụ)'")
    name: Text | None = Field(None, description="full name, e.g. 'Nguyễn Văn An' (optional: "
                              "plans show it beside the label, which stays the role)")
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

    @property
    def display_name(self) -> str:
        """What plans show: "Nguyễn Văn An (Trưởng đoàn – Giám đốc Sở Nội vụ)", or the label
        alone when the scenario names nobody."""
        return f"{self.name} ({self.label})" if self.name else self.label


class UnitKind(StrEnum):
    DEPARTMENT = "department"
    PUBLIC_SERVICE_UNIT = "public_service_unit"
    SERVICE_CENTRE_BRANCH = "service_centre_branch"
    COMMUNE = "commune"
    WARD = "ward"
    SPECIAL_ZONE = "special_zone"  # đặc khu: an island commune-level unit since 1/7/2025
    OTHER = "other"

    @property
    def is_commune_level(self) -> bool:
        """Xã, phường and đặc khu: the commune level of the 2025 two-level local government."""
        return self in (UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE)


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
    expected: bool = Field(
        False, description="thời gian dự kiến: a preference, days outside it cost; "
        "false (default): binding, no visit outside it"
    )

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _one_form(self) -> Self:
        has_quarters = bool(self.quarters)
        has_dates = self.start is not None or self.end is not None
        if has_quarters == has_dates:
            raise ValueError(worded("scenario.window_either"))
        if has_dates and (self.start is None or self.end is None):
            raise ValueError(worded("scenario.window_both"))
        if has_dates and self.end < self.start:  # type: ignore[operator]
            raise ValueError(worded("scenario.window_order", start=self.start, end=self.end))
        if has_quarters and sorted(set(self.quarters)) != list(range(  # type: ignore[arg-type]
            min(self.quarters), max(self.quarters) + 1  # type: ignore[arg-type]
        )):
            raise ValueError(worded("scenario.quarters_consecutive"))
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
    addressee: Text | None = Field(
        None, description='whom its notice is addressed to (default from its kind: "Ủy ban nhân dân '
                          'phường …", "Giám đốc Sở …")')
    predecessors: list[Text] = Field(
        default_factory=list, description="units it was formed from (a merger), named in its notice")
    window: Window
    available_from: date | None = None
    duration: Annotated[int, Within(1, limits.MAX_DURATION_DAYS)] = Field(
        1, description="visit length in working days")
    visit_minutes: int | None = Field(
        None, ge=1, le=24 * 60,
        description="a visit shorter than a day: minutes on site (at most a day's working minutes)",
    )
    location: Location | None = Field(None, description="where the unit is; default: its team's base")
    group_size: PositiveInt | None = Field(None, description="exact group size wanted for this unit")
    led_by_leader: bool = Field(False, description="the Trưởng đoàn himself leads this visit")
    form: Form = Form.PLANNED
    required_agencies: list[Id] = Field(default_factory=list)
    preferred_dates: list[DateOrRange] = Field(default_factory=list)
    excluded_dates: list[DateOrRange] = Field(default_factory=list)
    team: Id | None = Field(None, description="pin the unit to a team")
    pinned_date: date | None = Field(
        None, alias="date", description="pin the visit to start on this day (written `date:`)")
    optional: bool = Field(False, description="may be left unscheduled (with a penalty)")
    area: Text | None = Field(None, description="e.g. the former district (huyện cũ), for selections")
    priority: Annotated[int, Within(0, MAX_PRIORITY)] = Field(
        0, description="which optional units of a selection are visited first (higher first)")

    @model_validator(mode="after")
    def _minutes_or_days(self) -> Self:
        if self.visit_minutes is not None and self.duration > 1:
            raise ValueError(worded(
                "scenario.minutes_and_days", minutes=self.visit_minutes, days=self.duration
            ))
        return self

    # How many units this visit stands for: 1, or a route's or a trip's units when the route stage
    # made it one composite visit of the calendar model. Not part of the file format: the per-unit
    # terms (S03, S04, S06, S09, S11) count a composite once per unit, as the expanded plan does.
    _stands_for: int = PrivateAttr(default=1)

    @property
    def stands_for(self) -> int:
        return self._stands_for

    def standing_for(self, units: int) -> Unit:
        """This unit as a composite visit of ``units`` units (``stands_for``)."""
        copy = self.model_copy()
        copy._stands_for = units
        return copy

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Scenario(Strict):
    schema_: str = Field(SCENARIO_SCHEMA, alias="schema", pattern=r"^kiemtra\.scenario/1$")
    campaign: Campaign
    calendar: CalendarSettings = CalendarSettings.model_validate({})
    agencies: list[Agency] = Field(min_length=1)
    teams: list[Team] = Field(min_length=1)
    members: list[Member] = Field(min_length=1)
    units: list[Unit] = Field(min_length=1)
    selections: list[Selection] = Field(default_factory=list, description="sampling (H20)")
    rules: Rules = Rules.model_validate({})
    weights: Weights = Weights.model_validate({})
    solver: SolverSettings = SolverSettings.model_validate({})

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    # Lookups by id, built once per scenario (and again by ``model_copy``, which runs no
    # validator): the solver, checker and outputs ask for teams, units and members by id often.
    _teams_by_id: dict[str, Team] = PrivateAttr(default_factory=dict)
    _units_by_id: dict[str, Unit] = PrivateAttr(default_factory=dict)
    _members_by_id: dict[str, Member] = PrivateAttr(default_factory=dict)
    _members_of_team: dict[str, list[Member]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _indexed(self) -> Self:
        self._build_indexes()
        return self

    def _build_indexes(self) -> None:
        self._teams_by_id = {t.id: t for t in self.teams}
        self._units_by_id = {u.id: u for u in self.units}
        self._members_by_id = {m.id: m for m in self.members}
        self._members_of_team = {}
        for m in self.members:
            self._members_of_team.setdefault(m.team, []).append(m)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy with ``update`` applied (unvalidated, as pydantic does) and its lookups rebuilt."""
        copy = super().model_copy(update=update, deep=deep)
        copy._build_indexes()
        return copy

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = [
            *duplicate_ids("agencies", self.agencies),
            *duplicate_ids("teams", self.teams),
            *duplicate_ids("members", self.members),
            *duplicate_ids("units", self.units),
            *dangling_references(self),
            *date_problems(self),
            *visit_problems(self),
            *selection_problems(self.selections, self.units, [k.value for k in UnitKind]),
            *priority_problems(self.units, self.selections),
        ]
        if problems:
            vi = "\n".join(getattr(p, "vi", p) for p in problems)
            raise ValueError(Worded("\n".join(problems), vi))
        return self

    # --- convenience views ---------------------------------------------------------------

    def window_bounds(self, unit: Unit) -> tuple[date, date]:
        """The unit's window as written (it may reach outside the horizon)."""
        return unit.window.bounds(self.campaign.horizon.start.year)

    def binding_window(self, unit: Unit) -> tuple[date, date]:
        """The days H02-window keeps a visit inside: the window as written when it binds, the
        campaign horizon when it is only expected (S11-outside-window prices the days outside)."""
        if unit.window.expected:
            return self.campaign.horizon.start, self.campaign.horizon.end
        return self.window_bounds(unit)

    def latest_visit_date(self, unit: Unit) -> date:
        """Last calendar day a visit may end on (H02-window): the binding window's, the horizon's,
        and the campaign's ``fieldwork_ends``."""
        return min(self.binding_window(unit)[1], self.fieldwork_end)

    @property
    def fieldwork_end(self) -> date:
        """Last day of field work: ``campaign.fieldwork_ends``, else the horizon's end."""
        ends = self.campaign.fieldwork_ends
        return min(ends, self.campaign.horizon.end) if ends else self.campaign.horizon.end

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
        return _lookup(self._teams_by_id, team_id, "team")

    def unit(self, unit_id: str) -> Unit:
        return _lookup(self._units_by_id, unit_id, "unit")

    def member(self, member_id: str) -> Member:
        return _lookup(self._members_by_id, member_id, "member")

    def team_members(self, team_id: str) -> list[Member]:
        """The team's members in the scenario's order (a new list: callers may filter it)."""
        return list(self._members_of_team.get(team_id, []))

    def agency_name(self, agency_id: str | None) -> str:
        return next((a.name for a in self.agencies if a.id == agency_id), agency_id or "")


T = TypeVar("T")


def _lookup(index: Mapping[str, T], key: str, what: str) -> T:
    found = index.get(key)
    if found is None:
        raise KeyError(f"unknown {what} '{key}'")
    return found
