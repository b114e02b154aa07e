"""The solution checker: re-verifies every rule of a schedule from the schedule and scenario alone.

It knows nothing of the solver (no OR-Tools, no solver module): the hard rules are re-derived
from CONTRACTS.md, one function per rule id (``scheduler.check.rules``), so a bug in the model
cannot hide behind the same bug here. Every violation is collected (never stop at the first),
and garbage in a schedule file (unknown ids, a start on a holiday, an end that does not match the
duration, dates outside the horizon) becomes a violation, never an exception.

The objective is the plan's cost (``scheduler.cost.price``, S01-S06), the same function the solver,
greedy and re-planning price plans with; for a schedule that breaks hard rules it is indicative
only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from models.calendar import format_vn
from models.rules import describe
from models.scenario import Scenario
from models.schedule import Schedule
from scheduler.check.campaign_dates import DATE_CHECKS
from scheduler.check.groups import GROUP_CHECKS
from scheduler.check.route_rules import ROUTE_CHECKS
from scheduler.check.rules import RULE_CHECKS, Violation, check_context
from scheduler.check.selection import SELECTION_CHECKS
from scheduler.cost.price import plan_cost
from scheduler.messages import say
from scheduler.problem.schedule_build import scenario_sha256

# Every hard rule's check, in rule order.
HARD_CHECKS = dict(sorted({**RULE_CHECKS, **GROUP_CHECKS, **ROUTE_CHECKS, **DATE_CHECKS,
                           **SELECTION_CHECKS}.items()))

__all__ = ["HARD_CHECKS", "CheckReport", "Violation", "check_schedule", "format_report"]


@dataclass
class CheckReport:
    """Every violation found, and the recomputed objective with its soft-rule terms."""

    violations: list[Violation] = field(default_factory=list)
    objective: int = 0
    terms: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.violations

    def by_rule(self) -> dict[str, list[Violation]]:
        grouped: dict[str, list[Violation]] = defaultdict(list)
        for v in self.violations:
            grouped[v.rule_id].append(v)
        return dict(grouped)


# --- entry point ------------------------------------------------------------------------------


def check_schedule(scenario: Scenario, schedule: Schedule, as_of: date | None = None) -> CheckReport:
    """Every violation of H01-H15 and the recomputed objective (S01-S06) of ``schedule``.

    ``as_of`` is the re-plan date: visits still in state planned may not be announced before it.
    """
    ctx = check_context(scenario, schedule, as_of)
    violations = [v for check in HARD_CHECKS.values() for v in check(ctx)]
    cost = plan_cost(scenario, schedule, ctx.cal)
    return CheckReport(violations=violations, objective=cost.objective, terms=cost.terms)


# --- the report as planners read it (printed by `kiemtra check`) ---------------------------------


def format_report(
    scenario: Scenario, schedule: Schedule, report: CheckReport, lang: str = "vi"
) -> str:
    """Violations grouped by rule (with the rule's wording), then the objective term by term."""
    lines = [say("check.head", lang, campaign=scenario.campaign.name, n=len(schedule.assignments))]
    if schedule.scenario.sha256 != scenario_sha256(scenario):
        lines.append(say("check.other_version", lang))
    lines.append("")
    lines += _violation_lines(scenario, report, lang) if report.violations else [
        say("check.ok", lang)]
    lines.append("")
    lines += _objective_lines(scenario, schedule, report, lang)
    return "\n".join(lines)


def _violation_lines(scenario: Scenario, report: CheckReport, lang: str) -> list[str]:
    grouped = report.by_rule()
    lines = [say("check.violations", lang, n=len(report.violations), rules=len(grouped))]
    labels = {u.id: u.label for u in scenario.units}
    for rule_id, found in grouped.items():
        lines.append(f"{rule_id}: {describe(rule_id, lang, scenario.rules)}")
        for v in found:
            where = [say("check.unit_named", lang, id=v.unit_id, label=labels[v.unit_id])
                     if v.unit_id in labels else say("check.unit", lang, id=v.unit_id)
                     if v.unit_id else "",
                     say("check.member", lang, id=v.member_id) if v.member_id else "",
                     format_vn(v.day) if v.day else ""]
            place = " · ".join(w for w in where if w)  # none for a selection (H20)
            lines.append(f"  - {place}: {v.text(lang)}" if place else f"  - {v.text(lang)}")
    return lines


def _objective_lines(scenario: Scenario, schedule: Schedule, report: CheckReport,
                     lang: str) -> list[str]:
    claimed = schedule.solver.objective_terms
    lines = [say("check.objective", lang, n=report.objective)]
    for rule_id, value in report.terms.items():
        note = ""
        if rule_id in claimed and claimed[rule_id] != value:
            note = say("check.claimed", lang, n=claimed[rule_id])
        lines.append(f"  {rule_id:<20} {value:>8}  {describe(rule_id, lang, scenario.rules)}{note}")
    said = schedule.solver.objective
    if said is not None:
        verdict = say("check.matches", lang) if said == report.objective else \
            say("check.differs", lang, n=said - report.objective)
        lines.append(say("check.says", lang, n=said, verdict=verdict))
    return lines
