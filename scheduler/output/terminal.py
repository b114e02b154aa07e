"""What some commands print as text: the scenario summary of `validate` and the rekey report.

Text only; nothing here solves.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from models.calendar import WorkCalendar, format_vn
from models.documents import numbers
from models.field_notes import field_notes
from models.rules import RuleId
from models.scenario import Scenario, Unit
from models.timing import (
    earliest_start_index,
    eligible_teams,
    latest_start_in_window,
    latest_start_index,
    window_indices,
)


def usable_start_days(s: Scenario, cal: WorkCalendar, unit: Unit) -> int:
    """Working days inside the window a visit of the unit could start on, for the best-placed
    team (counted inside an expected window too, though its visits may leave it at a cost)."""
    first = min(earliest_start_index(cal, s, unit, t) for t in eligible_teams(s, unit))
    first = max(first, window_indices(cal, s, unit)[0])
    last = min(latest_start_index(cal, s, unit), latest_start_in_window(cal, s, unit))
    return max(0, last - first + 1)


def scenario_summary(s: Scenario) -> str:
    cal = s.work_calendar()
    lines = [f"{s.campaign.name} ({numbers(s.campaign.legal_basis) or 'no legal basis'})",
             f"horizon {format_vn(s.campaign.horizon.start)} – {format_vn(s.campaign.horizon.end)}"
             f", {cal.size} working days", ""]
    by_window = Counter(u.window.label() for u in s.units)
    by_kind = Counter(u.kind.value for u in s.units)
    lines.append(f"units: {len(s.units)}")
    lines += [f"  {label:<24} {n:>4}" for label, n in sorted(by_window.items())]
    lines += [f"  {kind:<24} {n:>4}" for kind, n in sorted(by_kind.items())]
    lines.append(f"members: {len(s.members)}")
    for team in s.teams:
        agencies = Counter(m.agency for m in s.team_members(team.id))
        detail = ", ".join(f"{a} {n}" for a, n in sorted(agencies.items()))
        lines.append(f"  {team.id} {team.name} (formed {format_vn(team.formed_on)}): "
                     f"{sum(agencies.values())} — {detail}")
    lines.append("working days per window (usable: after team formation and notice):")
    seen: set[str] = set()
    for unit in s.units:
        label = unit.window.label()
        if label in seen:
            continue
        seen.add(label)
        first, last = s.window_bounds(unit)
        total = len(cal.working_days_between(first, last))
        usable = usable_start_days(s, cal, unit)
        lines.append(f"  {label:<24} {format_vn(first)} – {format_vn(last)}: "
                     f"{total} working days, {usable} usable")
    lines += field_notes(s)
    lines += route_notes(s)
    return "\n".join(lines)


def rekey_report(rows: list[Any], province_name: str, source: Path) -> str:
    if not rows:
        return f"{source}: no commune-level units to rekey"
    lines = [f"{source}: {len(rows)} commune-level unit(s), conversion table of {province_name}"]
    for r in rows:
        old = "; ".join(f"{u.name} ({u.district}, {u.code or '-'})" for u in r.old) or "-"
        new = " | ".join(f"{u.unit_id} {u.name}" for u in r.new) or "-"
        mark = "CONFIRM " if r.needs_confirmation else "        "
        lines.append(f"{mark}{r.unit_id:<14} {r.status.value:<11} {old} -> {new}")
        if r.note:
            lines.append(f"{'':<8}{'':<15}{r.note}")
    counts = Counter(r.status.value for r in rows)
    lines.append("summary: " + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())))
    confirm = sum(r.needs_confirmation for r in rows)
    lines.append(f"{confirm} case(s) need the planner's confirmation" if confirm
                 else "every unit maps to exactly one new unit")
    return "\n".join(lines)


def route_notes(s: Scenario) -> list[str]:
    """Short visits that cannot fit a working day even alone, with the round trip (H16-day-hours)."""
    from scheduler.routing.stage import route_scenario

    if not any(u.visit_minutes is not None for u in s.units):
        return []
    return [f"{RuleId.H16_DAY_HOURS}: {p.message_vi}" for p in route_scenario(s, greedy=True).problems]
