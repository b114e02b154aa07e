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
from scheduler.messages import say


def usable_start_days(s: Scenario, cal: WorkCalendar, unit: Unit) -> int:
    """Working days inside the window a visit of the unit could start on, for the best-placed
    team (counted inside an expected window too, though its visits may leave it at a cost)."""
    first = min(earliest_start_index(cal, s, unit, t) for t in eligible_teams(s, unit))
    first = max(first, window_indices(cal, s, unit)[0])
    last = min(latest_start_index(cal, s, unit), latest_start_in_window(cal, s, unit))
    return max(0, last - first + 1)


def scenario_summary(s: Scenario, lang: str = "vi") -> str:
    """The `validate` summary: campaign, horizon, units by window and kind, teams, usable days."""
    cal = s.work_calendar()
    basis = numbers(s.campaign.legal_basis) or say("summary.no_basis", lang)
    lines = [f"{s.campaign.name} ({basis})",
             say("summary.horizon", lang, first=format_vn(s.campaign.horizon.start),
                 last=format_vn(s.campaign.horizon.end), n=cal.size), ""]
    by_window = Counter(u.window.label() for u in s.units)
    by_kind = Counter(say(f"unit_kind.{u.kind.value}", lang) for u in s.units)
    lines.append(say("summary.units", lang, n=len(s.units)))
    width = max(24, *(len(k) for k in [*by_window, *by_kind]))
    lines += [f"  {label:<{width}} {n:>4}" for label, n in sorted(by_window.items())]
    lines += [f"  {kind:<{width}} {n:>4}" for kind, n in sorted(by_kind.items())]
    lines.append(say("summary.members", lang, n=len(s.members)))
    for team in s.teams:
        agencies = Counter(m.agency for m in s.team_members(team.id))
        detail = ", ".join(f"{a} {n}" for a, n in sorted(agencies.items()))
        lines.append(say("summary.team", lang, id=team.id, name=team.name,
                         formed=format_vn(team.formed_on), n=sum(agencies.values()),
                         detail=detail))
    lines.append(say("summary.windows", lang))
    lines += _window_lines(s, cal, lang)
    lines += field_notes(s, lang)
    lines += route_notes(s)
    return "\n".join(lines)


def _window_lines(s: Scenario, cal: WorkCalendar, lang: str) -> list[str]:
    lines = []
    seen: set[str] = set()
    for unit in s.units:
        label = unit.window.label()
        if label in seen:
            continue
        seen.add(label)
        first, last = s.window_bounds(unit)
        days = say("summary.window_days", lang, total=len(cal.working_days_between(first, last)),
                   usable=usable_start_days(s, cal, unit))
        lines.append(f"  {label:<24} {format_vn(first)} – {format_vn(last)}: {days}")
    return lines


def rekey_report(rows: list[Any], province_name: str, source: Path, lang: str = "vi") -> str:
    if not rows:
        return say("rekey.none", lang, source=source)
    lines = [say("rekey.head", lang, source=source, n=len(rows), province=province_name)]
    confirm_mark = say("rekey.confirm_mark", lang)
    for r in rows:
        old = "; ".join(f"{u.name} ({u.district}, {u.code or '-'})" for u in r.old) or "-"
        new = " | ".join(f"{u.unit_id} {u.name}" for u in r.new) or "-"
        mark = confirm_mark if r.needs_confirmation else ""
        status = say(f"rekey.status.{r.status.value}", lang)
        lines.append(f"{mark:<9}{r.unit_id:<14} {status:<16} {old} -> {new}")
        if r.note:
            lines.append(f"{'':<9}{'':<15}{r.note}")
    counts = Counter(say(f"rekey.status.{r.status.value}", lang) for r in rows)
    lines.append(say("rekey.summary", lang,
                     counts=", ".join(f"{k} {n}" for k, n in sorted(counts.items()))))
    confirm = sum(r.needs_confirmation for r in rows)
    lines.append(say("rekey.to_confirm", lang, n=confirm) if confirm
                 else say("rekey.all_mapped", lang))
    return "\n".join(lines)


def route_notes(s: Scenario) -> list[str]:
    """Short visits that cannot fit a working day even alone, with the round trip (H16-day-hours)."""
    from scheduler.routing.stage import route_scenario

    if not any(u.visit_minutes is not None for u in s.units):
        return []
    return [f"{RuleId.H16_DAY_HOURS}: {p.message_vi}" for p in route_scenario(s, greedy=True).problems]
