"""What `kiemtra solve` prints: a progress line per better plan, then the plan as a table.

Text only; no solver is imported here (the progress record is duck-typed).
"""

from __future__ import annotations

from typing import Protocol

from models.calendar import format_vn
from models.scenario import Member, Scenario
from models.schedule import Schedule
from scheduler.messages import say


class _ProgressLike(Protocol):
    @property
    def elapsed_s(self) -> float: ...
    @property
    def objective(self) -> int: ...
    @property
    def bound(self) -> int | None: ...


def gap_percent(objective: int | None, bound: int | None) -> float | None:
    """Relative distance between the plan's cost and the proven lower bound."""
    if objective is None or bound is None:
        return None
    if objective == bound:
        return 0.0
    return 100.0 * (objective - bound) / max(abs(objective), 1)


def progress_line(p: _ProgressLike, lang: str = "vi") -> str:
    gap = gap_percent(p.objective, p.bound)
    gap_text = f"{gap:5.1f}%" if gap is not None else "   - "
    return say("progress.better", lang, elapsed=p.elapsed_s, cost=p.objective,
               bound="-" if p.bound is None else p.bound, gap=gap_text)


def summary_lines(schedule: Schedule, first_solution_s: float | None,
                  lang: str = "vi") -> list[str]:
    """The plan's verdict in planners' words, then the solver's figures, then the cost by rule."""
    info = schedule.solver
    gap = gap_percent(info.objective, info.bound)
    first = "-" if first_solution_s is None else say("summary.seconds", lang, s=first_solution_s)
    lines = [say("summary.verdict", lang, verdict=say(f"status.{info.status.value}", lang),
                 status=info.status.value, cost=info.objective,
                 bound="-" if info.bound is None else info.bound,
                 gap="-" if gap is None else f"{gap:.1f}%", wall=info.wall_s, first=first,
                 workers=info.workers, seed=info.seed)]
    terms = ", ".join(f"{rule} {value}" for rule, value in info.objective_terms.items() if value)
    lines.append(say("summary.terms", lang, terms=terms or say("summary.no_terms", lang)))
    if info.wall_cap_hit:
        lines.append(say("summary.wall_cap", lang, wall=info.wall_s, limit=info.time_limit_s))
    return lines


def _short(member: Member) -> str:
    """A member's label without its role ("Thành viên – Sở Tư pháp" -> "Sở Tư pháp"), after
    the name when the scenario gives one ("Nguyễn Thị Bình (Sở Tư pháp)")."""
    agency = member.label.split(" – ", 1)[-1]
    return f"{member.name} ({agency})" if member.name else agency


def plan_table(scenario: Scenario, schedule: Schedule, lang: str = "vi") -> str:
    """One row per visit, in date order: date (and time), team, unit, lead, group, report due;
    members by name (their agency), with the lead's id."""
    rows = [tuple(say("plan.columns", lang).split("|"))]
    for a in sorted(schedule.assignments, key=lambda a: (a.start, a.team_id,
                                                         a.start_time or "", a.unit_id)):
        when = format_vn(a.start) if a.end == a.start else \
            f"{format_vn(a.start)}–{format_vn(a.end)}"
        if a.start_time and a.end_time:
            when += f" {a.start_time}–{a.end_time}"
        lead = scenario.member(a.lead_id)
        others = [_short(scenario.member(m)) for m in a.member_ids if m != a.lead_id]
        rows.append((when, a.team_id, scenario.unit(a.unit_id).label,
                     f"{_short(lead)} ({a.lead_id})", ", ".join(others),
                     format_vn(a.report_due) if a.report_due else say("plan.surprise", lang)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) + "  " + r[-1]
             for r in rows]
    lines.insert(1, "-" * max(len(line) for line in lines))
    for u in schedule.unscheduled:
        lines.append(say("plan.unscheduled", lang, unit=scenario.unit(u.unit_id).label,
                         reason=u.reason))
    return "\n".join(lines)
