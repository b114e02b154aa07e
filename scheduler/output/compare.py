"""Two or more plans' key figures side by side, so a planner can choose between scenarios.

Every figure is a pure function of a schedule and its scenario (nothing is solved). The table is
a list of rows, one per figure, with one value per plan; the terminal, the JSON, the HTML page and
the workbook (``compare_render``) all draw from the same rows.

Counting conventions: cancelled visits count nowhere (as in ``view``); a visit of several days
counts in every week that holds one of its days; "leaders" are the leader and the deputy of each
team, who must head every visit and whose weekly days are the scarcest.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from models.calendar import format_vn
from models.rules import describe
from models.scenario import Role, Scenario
from models.schedule import Schedule, Status, VisitState
from models.timing import days_outside_window as outside_count
from scheduler.output.compare_text import STATUS_WORDS, text_for
from scheduler.output.view import PlanView, build_view, cancelled_units, missing_units

DASH = "—"
LEADER_ROLES = (Role.LEADER, Role.DEPUTY)

Value = int | float | str | date | None
SECTIONS = ("result", "coverage", "timing", "workload", "travel", "states")


@dataclass
class Figures:
    """One plan's key figures (dates as dates; None where the plan does not say)."""

    status: Status
    cost: int | None
    terms: dict[str, int]
    units_total: int
    units_planned: int
    left_out: list[str]
    team_days: int
    member_days: int
    first_visit: date | None
    last_visit: date | None
    weekly_visits: dict[date, int]  # Monday -> visits with a day in that week
    visits_per_team: dict[str, int]  # team name -> visits
    member_balance: int
    leader_week_days: int
    travel_minutes: int | None
    travel_km: float | None
    states: dict[str, int]
    days_outside_window: int | None
    cancelled: list[str] = field(default_factory=list)  # units merged, split or removed

    @property
    def weeks_with_visits(self) -> int:
        return sum(1 for n in self.weekly_visits.values() if n > 0)

    @property
    def busiest_week(self) -> tuple[date, int] | None:
        if not self.weekly_visits:
            return None
        monday = max(self.weekly_visits, key=lambda d: (self.weekly_visits[d], -d.toordinal()))
        return monday, self.weekly_visits[monday]

    @property
    def team_balance(self) -> int:
        counts = list(self.visits_per_team.values())
        return max(counts) - min(counts) if counts else 0


@dataclass(frozen=True)
class Plan:
    """A plan to compare: its label (unique among the plans), scenario and schedule."""

    label: str
    scenario: Scenario
    schedule: Schedule
    source: str = ""


@dataclass(frozen=True)
class Row:
    """One figure across the plans; ``better`` says which way is better, for highlighting."""

    key: str
    label: str
    values: list[Value]
    better: str | None = None  # "low", "high" or None
    section: str = ""


@dataclass
class Comparison:
    labels: list[str]
    figures: list[Figures]
    rows: list[Row] = field(default_factory=list)
    lang: str = "vi"


# --- figures --------------------------------------------------------------------------------


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def plan_figures(scenario: Scenario, schedule: Schedule) -> Figures:
    """Every figure of one plan, from the schedule and its scenario alone."""
    view = build_view(scenario, schedule)
    visits = view.visits
    days = [d for v in visits for d in v.days]
    team_names = {t.id: t.name for t in scenario.teams}
    per_team = Counter({t.name: 0 for t in scenario.teams})
    per_team.update(team_names.get(v.team.id, v.team.id) for v in visits)
    states = Counter({s.value: 0 for s in (VisitState.PLANNED, VisitState.ANNOUNCED,
                                           VisitState.DONE)})
    states.update(v.assignment.state.value for v in visits)
    travel_min, travel_km = travel_totals(schedule)
    return Figures(
        status=schedule.solver.status, cost=schedule.solver.objective,
        terms=dict(schedule.solver.objective_terms), units_total=len(scenario.units),
        units_planned=len({v.unit.id for v in visits}),
        left_out=[name for name, _ in missing_units(view, "", with_cancelled=False)],
        cancelled=[view.unit_name(u) for u in cancelled_units(view)],
        team_days=len({(v.team.id, d) for v in visits for d in v.days}),
        member_days=sum(len(v.members) * len(v.days) for v in visits),
        first_visit=min(days, default=None), last_visit=max(days, default=None),
        weekly_visits=weekly_visits(view), visits_per_team=dict(per_team),
        member_balance=member_balance(view), leader_week_days=leader_week_days(view),
        travel_minutes=travel_min, travel_km=travel_km, states=dict(states),
        days_outside_window=days_outside_window(view),
    )


def weekly_visits(view: PlanView) -> dict[date, int]:
    """Monday -> visits with at least one day in that week, every week from first to last."""
    counts: Counter[date] = Counter()
    for v in view.visits:
        counts.update({monday(d) for d in v.days})
    if not counts:
        return {}
    week, last = min(counts), max(counts)
    filled = {}
    while week <= last:
        filled[week] = counts[week]
        week += timedelta(days=7)
    return filled


def member_days_by_member(view: PlanView) -> Counter[str]:
    load: Counter[str] = Counter({m.id: 0 for m in view.scenario.members})
    for v in view.visits:
        load.update({m.id: len(v.days) for m in v.members})
    return load


def member_balance(view: PlanView) -> int:
    """Sum over teams of (most − fewest member-days among the team's members)."""
    load = member_days_by_member(view)
    total = 0
    for team in view.scenario.teams:
        days = [load[m.id] for m in view.scenario.team_members(team.id)]
        total += max(days) - min(days) if days else 0
    return total


def leader_week_days(view: PlanView) -> int:
    """The most visit days any leader or deputy gives in one week."""
    per_week: Counter[tuple[str, date]] = Counter()
    for v in view.visits:
        for m in v.members:
            if m.role in LEADER_ROLES:
                per_week.update((m.id, monday(d)) for d in v.days)
    return max(per_week.values(), default=0)


def travel_totals(schedule: Schedule) -> tuple[int | None, float | None]:
    """Total travel minutes and km, where the assignments carry them (optional fields)."""
    active = [a for a in schedule.assignments if a.state is not VisitState.CANCELLED]
    minutes = [getattr(a, "travel_minutes", None) for a in active]
    kms = [getattr(a, "travel_km", None) for a in active]
    total_min = sum(m for m in minutes if m is not None) if any(m is not None for m in minutes) else None
    total_km = round(sum(k for k in kms if k is not None), 1) if any(k is not None for k in kms) else None
    return total_min, total_km


def days_outside_window(view: PlanView) -> int | None:
    """Working days the visits lie outside their expected windows, S11-outside-window's own count
    (``models.timing.days_outside_window``); None when the scenario expects no window."""
    if not any(u.window.expected for u in view.scenario.units):
        return None
    cal = view.cal
    return sum(outside_count(cal, view.scenario, v.unit, cal.index_on_or_after(v.start))
               for v in view.visits)


# --- the table ------------------------------------------------------------------------------


def unique_labels(wanted: Sequence[str]) -> list[str]:
    """The labels, with " (2)", " (3)"… added to repeats so every column is named apart."""
    out: list[str] = []
    for label in wanted:
        name, n = label, 1
        while name in out:
            n += 1
            name = f"{label} ({n})"
        out.append(name)
    return out


def compare_plans(plans: Sequence[Plan], lang: str = "vi") -> Comparison:
    """The figures of every plan and the rows that show them side by side."""
    text = text_for(lang)
    figures = [plan_figures(p.scenario, p.schedule) for p in plans]
    names = unique_labels([p.label for p in plans])
    return Comparison(names, figures, comparison_rows(figures, text, lang), lang)


def comparison_rows(figures: Sequence[Figures], text: Mapping[str, str], lang: str) -> list[Row]:
    """Every figure's row, grouped in the sections a planner reads them by (``SECTIONS``)."""
    builders = {"result": result_rows, "coverage": coverage_rows, "timing": timing_rows,
                "workload": workload_rows, "travel": travel_rows, "states": state_rows}
    rows = []
    for section in SECTIONS:
        rows += [Row(key, label, values, better, section)
                 for key, label, values, better in builders[section](figures, text, lang)]
    return rows


Spec = tuple[str, str, list[Value], str | None]  # key, label, values, better


def result_rows(f: Sequence[Figures], text: Mapping[str, str], lang: str) -> list[Spec]:
    rows: list[Spec] = [
        ("status", text["status"], [STATUS_WORDS[lang][x.status] for x in f], None),
        ("cost", text["cost"], [x.cost for x in f], "low"),
    ]
    for rid in sorted({rid for x in f for rid in x.terms}):
        # The id first: a clipped label still names the rule.
        rows.append((f"term:{rid}", f"  {rid}: {describe_term(rid, lang)}",
                     [x.terms.get(rid) for x in f], "low"))
    rows.append(("days_outside_window", text["outside"], [x.days_outside_window for x in f],
                 "low"))
    return rows


def coverage_rows(f: Sequence[Figures], text: Mapping[str, str], lang: str) -> list[Spec]:
    return [
        ("units_total", text["units_in_scenario"], [x.units_total for x in f], None),
        ("units_planned", text["units_planned"], [x.units_planned for x in f], "high"),
        ("left_out", text["left_out"], [len(x.left_out) for x in f], "low"),
        ("left_out_which", text["left_out_which"], ["; ".join(x.left_out) or DASH for x in f], None),
        ("cancelled", text["cancelled"], [len(x.cancelled) for x in f], None),
    ]


def timing_rows(f: Sequence[Figures], text: Mapping[str, str], lang: str) -> list[Spec]:
    return [
        ("first_visit", text["first"], [x.first_visit for x in f], None),
        ("last_visit", text["last"], [x.last_visit for x in f], None),
        ("weeks", text["weeks"], [x.weeks_with_visits for x in f], None),
        ("busiest_week", text["busiest"], [busiest_text(x, text) for x in f], None),
    ]


def workload_rows(f: Sequence[Figures], text: Mapping[str, str], lang: str) -> list[Spec]:
    rows: list[Spec] = [
        ("team_days", text["team_days"], [x.team_days for x in f], None),
        ("member_days", text["member_days"], [x.member_days for x in f], None),
    ]
    for team in dict.fromkeys(name for x in f for name in x.visits_per_team):
        rows.append((f"visits:{team}", text["visits_of"].format(team=team),
                     [x.visits_per_team.get(team) for x in f], None))
    rows.append(("team_balance", text["team_balance"], [x.team_balance for x in f], "low"))
    rows.append(("member_balance", text["member_balance"], [x.member_balance for x in f], "low"))
    rows.append(("leader_week_days", text["leader_week"], [x.leader_week_days for x in f], "low"))
    return rows


def travel_rows(f: Sequence[Figures], text: Mapping[str, str], lang: str) -> list[Spec]:
    return [
        ("travel_minutes", text["travel_min"], [x.travel_minutes for x in f], "low"),
        ("travel_km", text["travel_km"], [x.travel_km for x in f], "low"),
    ]


def state_rows(f: Sequence[Figures], text: Mapping[str, str], lang: str) -> list[Spec]:
    return [(f"state:{state.value}", text[f"visits_{state.value}"],
             [x.states.get(state.value, 0) for x in f], None)
            for state in (VisitState.PLANNED, VisitState.ANNOUNCED, VisitState.DONE)]


def describe_term(rule_id: str, lang: str) -> str:
    return describe(rule_id, lang)


def busiest_text(fig: Figures, text: Mapping[str, str]) -> str | None:
    busiest = fig.busiest_week
    if busiest is None:
        return None
    week, visits = busiest
    return f"{visits} ({text['week_of'].format(day=format_vn(week))})"


def best_columns(row: Row) -> set[int]:
    """Columns holding the row's best value, when the plans differ on it (else none)."""
    numbers = [(i, v) for i, v in enumerate(row.values)
               if isinstance(v, int | float) and not isinstance(v, bool)]
    if row.better is None or len({v for _, v in numbers}) < 2:
        return set()
    best = min(v for _, v in numbers) if row.better == "low" else max(v for _, v in numbers)
    return {i for i, v in numbers if v == best}


def cell_text(value: Value) -> str:
    """A value as planners read it: dates dd/mm/yyyy, a dash where the plan does not say."""
    if value is None:
        return DASH
    if isinstance(value, date):
        return format_vn(value)
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


# --- terminal and JSON ----------------------------------------------------------------------

LABEL_WIDTH = 60
CELL_WIDTH = 40


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_table(comparison: Comparison) -> str:
    """The comparison as a plain-text table: one column per plan, one row per figure, sections
    as titled lines."""
    text = text_for(comparison.lang)
    head = [text["figure"], *comparison.labels]
    body = [[clip(r.label, LABEL_WIDTH)] + [clip(cell_text(v), CELL_WIDTH) for v in r.values]
            for r in comparison.rows]
    widths = [max(len(line[i]) for line in [head, *body]) for i in range(len(head))]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    lines = [line(head), "  ".join("-" * w for w in widths)]
    section = ""
    for row, cells in zip(comparison.rows, body, strict=True):
        if row.section != section:
            section = row.section
            lines.append(f"[{text['section.' + section]}]")
        lines.append(line(cells))
    return "\n".join(lines)


def figures_dict(fig: Figures, lang: str) -> dict[str, Any]:
    """One plan's figures as JSON-ready values (ISO dates, raw numbers, None where unknown)."""
    busiest = fig.busiest_week
    return {
        "status": fig.status.value, "status_text": STATUS_WORDS[lang][fig.status],
        "cost": fig.cost, "objective_terms": fig.terms, "units_total": fig.units_total,
        "units_planned": fig.units_planned, "units_left_out": fig.left_out,
        "units_cancelled": fig.cancelled,
        "team_days": fig.team_days, "member_days": fig.member_days,
        "earliest_visit": fig.first_visit.isoformat() if fig.first_visit else None,
        "latest_visit": fig.last_visit.isoformat() if fig.last_visit else None,
        "weeks_with_visits": fig.weeks_with_visits,
        "busiest_week": {"week_of": busiest[0].isoformat(), "visits": busiest[1]} if busiest else None,
        "visits_per_week": {d.isoformat(): n for d, n in fig.weekly_visits.items()},
        "visits_per_team": fig.visits_per_team, "team_balance": fig.team_balance,
        "member_balance": fig.member_balance, "leader_max_week_days": fig.leader_week_days,
        "travel_minutes": fig.travel_minutes, "travel_km": fig.travel_km,
        "visit_states": fig.states, "days_outside_window": fig.days_outside_window,
    }


def comparison_json(comparison: Comparison, sources: Sequence[str] = ()) -> str:
    plans = []
    for i, (label, fig) in enumerate(zip(comparison.labels, comparison.figures, strict=True)):
        entry: dict[str, Any] = {"label": label}
        if i < len(sources):
            entry["source"] = sources[i]
        entry["figures"] = figures_dict(fig, comparison.lang)
        plans.append(entry)
    return json.dumps({"schema": "kiemtra.compare/1", "plans": plans}, ensure_ascii=False, indent=2)
