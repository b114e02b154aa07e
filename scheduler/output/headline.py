"""What a plan amounts to, in a planner's words (the report's cards, the workbook's summary),
and the solver's own figures, kept apart as technical details for whoever checks the run.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from models.calendar import format_vn
from models.schedule import Status
from scheduler.output.view import PlanView, cancelled_units, missing_units, solver_gap


def verdict(plan: PlanView, text: Mapping[str, str], lang: str) -> str:
    """The solver's status told as what it means for the plan ("best possible, proven", ...)."""
    solver = plan.schedule.solver
    words = text[f"verdict.{solver.status.value}"]
    gap = solver_gap(solver.objective, solver.bound)
    if solver.status is Status.FEASIBLE and gap is not None:
        words += f" ({text['verdict_gap'].format(gap=percent(gap, lang))})"
    return words


def percent(share: float, lang: str) -> str:
    figure = f"{share * 100:.1f}"
    return (figure.replace(".", ",") if lang == "vi" else figure) + "%"


def team_days(plan: PlanView) -> int:
    """Days a team (or one of its sub-teams) is out: a route of several visits is one day."""
    return len({(v.team.id, v.lane, d) for v in plan.visits for d in v.days})


def headline_rows(plan: PlanView, text: Mapping[str, str], lang: str) -> list[tuple[str, Any]]:
    """(label, value) of what a planner asks first: is the plan good, what is in, when."""
    days = sorted(d for v in plan.visits for d in v.days)
    scheduled = len({v.unit.id for v in plan.visits})
    cancelled = cancelled_units(plan)
    rows: list[tuple[str, Any]] = [
        (text["plan_quality"], verdict(plan, text, lang)),
        (text["units_total"], len(plan.scenario.units)),
        (text["units_scheduled"], scheduled),
        (text["units_unscheduled"], len(missing_units(plan, "", with_cancelled=False))),
    ]
    if cancelled:  # units merged, split or removed by a re-plan: apart from the unscheduled
        rows.append((text["units_cancelled"], len(cancelled)))
    return [
        *rows,
        (text["first_visit"], days[0] if days else None),  # a date: the workbook keeps it a date
        (text["last_visit"], days[-1] if days else None),
        (text["team_days"], team_days(plan)),
    ]


def shown(value: Any) -> str:
    """A headline value as text: dates dd/mm/yyyy, nothing as a dash."""
    if value is None:
        return "–"
    return format_vn(value) if isinstance(value, date) else str(value)


def technical_rows(plan: PlanView, text: Mapping[str, str]) -> list[tuple[str, Any]]:
    """The solver's figures, for whoever checks or reproduces the run."""
    solver = plan.schedule.solver
    gap = solver_gap(solver.objective, solver.bound)
    return [
        (text["status"], solver.status.value),
        (text["objective"], solver.objective),
        (text["bound"], solver.bound),
        (text["gap"], None if gap is None else round(gap, 4)),
        (text["wall_s"], round(solver.wall_s, 2)),
        (text["seed"], solver.seed),
        (text["workers"], solver.workers),
    ]
