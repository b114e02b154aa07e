"""What `kiemtra solve` prints: a progress line per better plan, then the plan as a table.

Text only; no solver is imported here (the progress record is duck-typed).
"""

from __future__ import annotations

from typing import Protocol

from models.calendar import format_vn
from models.scenario import Scenario
from models.schedule import Schedule


class _ProgressLike(Protocol):
    @property
    def elapsed_s(self) -> float: ...
    @property
    def objective(self) -> int: ...
    @property
    def bound(self) -> int: ...


def gap_percent(objective: int | None, bound: int | None) -> float | None:
    """Relative distance between the plan's cost and the proven lower bound."""
    if objective is None or bound is None:
        return None
    if objective == bound:
        return 0.0
    return 100.0 * (objective - bound) / max(abs(objective), 1)


def progress_line(p: _ProgressLike) -> str:
    gap = gap_percent(p.objective, p.bound)
    gap_text = f"{gap:5.1f}%" if gap is not None else "   - "
    return f"  {p.elapsed_s:7.2f} s  better plan: cost {p.objective:>7}  bound {p.bound:>7}  " \
           f"gap {gap_text}"


def summary_lines(schedule: Schedule, first_solution_s: float | None) -> list[str]:
    info = schedule.solver
    gap = gap_percent(info.objective, info.bound)
    lines = [f"status {info.status.value}   cost {info.objective}   bound {info.bound}   "
             f"gap {'-' if gap is None else f'{gap:.1f}%'}   {info.wall_s:.1f} s "
             f"(first plan {'-' if first_solution_s is None else f'{first_solution_s:.1f} s'}, "
             f"{info.workers} worker(s), seed {info.seed})"]
    terms = ", ".join(f"{rule} {value}" for rule, value in info.objective_terms.items() if value)
    lines.append(f"cost by rule: {terms or 'none'}")
    if info.wall_cap_hit:
        lines.append(f"note: stopped by the wall-clock safety cap after {info.wall_s:.0f} s, before "
                     f"its work limit of {info.time_limit_s:g}: the machine was busy, and another "
                     "run may give another plan")
    return lines


def plan_table(scenario: Scenario, schedule: Schedule) -> str:
    """One row per visit, in date order: date, team, unit, lead, group, report due."""
    rows = [("Ngày", "Đoàn", "Đơn vị", "Trưởng nhóm", "Thành viên", "Hạn báo cáo")]
    for a in sorted(schedule.assignments, key=lambda a: (a.start, a.team_id, a.unit_id)):
        when = format_vn(a.start) if a.end == a.start else \
            f"{format_vn(a.start)}–{format_vn(a.end)}"
        rows.append((when, a.team_id, scenario.unit(a.unit_id).label, a.lead_id,
                     ", ".join(m for m in a.member_ids if m != a.lead_id),
                     format_vn(a.report_due) if a.report_due else "đột xuất"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) + "  " + r[-1]
             for r in rows]
    lines.insert(1, "-" * max(len(line) for line in lines))
    for u in schedule.unscheduled:
        lines.append(f"not scheduled: {scenario.unit(u.unit_id).label} — {u.reason}")
    return "\n".join(lines)
