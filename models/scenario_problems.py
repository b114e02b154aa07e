"""What makes a scenario inconsistent: duplicate ids, references to nothing, dates outside the
horizon, visits that fit no day. ``models.scenario.Scenario`` gathers them when it is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from models.messages import worded

if TYPE_CHECKING:
    from models.scenario import Scenario


def duplicate_ids(section: str, items: list[Any]) -> list[str]:
    seen: dict[str, int] = {}
    problems: list[str] = []
    for i, item in enumerate(items):
        if item.id in seen:
            problems.append(worded("scenario.duplicate_id", section=section, i=i, id=item.id,
                                   first=seen[item.id]))
        seen.setdefault(item.id, i)
    return problems


def unknown_ref(where: str, value: str, section: str, known: set[str]) -> str:
    listing = ", ".join(sorted(known)[:12])
    return worded("scenario.unknown_ref", where=where, value=value, section=section, listing=listing)


def dangling_references(self: Scenario) -> list[str]:
    agencies = {a.id for a in self.agencies}
    teams = {t.id for t in self.teams}
    problems = []
    for i, m in enumerate(self.members):
        if m.agency not in agencies:
            problems.append(unknown_ref(f"members.{i}.agency", m.agency, "agencies", agencies))
        if m.team not in teams:
            problems.append(unknown_ref(f"members.{i}.team", m.team, "teams", teams))
    for i, u in enumerate(self.units):
        if u.agency is not None and u.agency not in agencies:
            problems.append(unknown_ref(f"units.{i}.agency", u.agency, "agencies", agencies))
        if u.team is not None and u.team not in teams:
            problems.append(unknown_ref(f"units.{i}.team", u.team, "teams", teams))
        for j, a in enumerate(u.required_agencies):
            if a not in agencies:
                problems.append(
                    unknown_ref(f"units.{i}.required_agencies.{j}", a, "agencies", agencies)
                )
    return problems

def date_problems(self: Scenario) -> list[str]:
    h = self.campaign.horizon
    problems: list[str] = []
    if not h.start <= self.campaign.plan_date <= h.end:
        problems.append(worded("scenario.plan_date", day=self.campaign.plan_date, start=h.start,
                               end=h.end))
    ends = self.campaign.fieldwork_ends
    if ends is not None and not h.start <= ends <= h.end:
        problems.append(worded("scenario.fieldwork_ends", day=ends, start=h.start, end=h.end))
    for i, t in enumerate(self.teams):
        if t.formed_on > h.end:
            problems.append(worded("scenario.formed_late", i=i, day=t.formed_on))
    for i, u in enumerate(self.units):
        first, last = self.window_bounds(u)
        where = f"units.{i}.window ({u.id})"
        if last < h.start or first > h.end:
            problems.append(worded("scenario.window_outside", where=where, first=first,
                                   last=last, start=h.start, end=h.end))
        # An expected window only prices the days after it (S11): the visit can still happen.
        if u.available_from is not None and u.available_from > last and not u.window.expected:
            problems.append(worded("scenario.available_late", i=i, id=u.id,
                                   day=u.available_from, last=last))
    return problems

def visit_problems(self: Scenario) -> list[str]:
    """Short visits that cannot fit a working day; groups larger than any team."""
    day = self.rules.working_hours.minutes
    sizes = {t.id: len(self.team_members(t.id)) for t in self.teams}
    problems: list[str] = []
    for i, u in enumerate(self.units):
        if u.visit_minutes is not None and u.visit_minutes > day:
            problems.append(worded("scenario.minutes_too_long", i=i, id=u.id,
                                   minutes=u.visit_minutes, day=day))
        biggest = sizes[u.team] if u.team in sizes else max(sizes.values())
        if u.group_size is not None and u.group_size > biggest:
            key = "scenario.group_too_big" if u.team in sizes else "scenario.group_too_big_any"
            problems.append(worded(key, i=i, id=u.id, n=u.group_size, team=u.team, has=biggest))
    return problems
