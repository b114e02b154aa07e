"""Sampling: a selection visits at least N (or N%) of a named set of units (H20-selection).

Provincial plans sample rather than visit all ("at least 20% of agencies, units and localities",
Hải Phòng 2025). A selection names its units by id (``units``) or by what they are (``match`` on
kind, area such as the former district, and agency); the optional units among them are the
selection's to choose, by their ``priority``; its required units are always visited and count
towards the minimum. Pure pydantic data; no solver.

```yaml
selections:
  - id: ba-dinh-cu
    name: Xã, phường thuộc quận Ba Đình cũ
    match: {kind: [ward, commune], area: [Quận Ba Đình]}
    at_least_percent: 20
```

A unit listed n times counts n times: the route stage lists a day route once per unit it visits
(``as_listed``), so a selection reads the same whether its units are routed or not.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Self

from pydantic import Field, model_validator

from models.field_work import Strict
from models.messages import register, worded
from models.text import Id, Text

if TYPE_CHECKING:
    from models.scenario import Scenario, Unit

MAX_PRIORITY = 100  # a unit's priority: 0 (no preference) .. 100


class UnitMatch(Strict):
    """Units by what they are: every field given must match (a list: any of its values)."""

    kind: list[str] | None = Field(None, description="unit kinds, e.g. [commune, ward]")
    area: list[Text] | None = Field(
        None, description="areas (units.area), e.g. the former district [Quận Ba Đình]")
    agency: list[Id] | None = Field(
        None, description="agency ids (units.agency)")

    def matches(self, unit: Unit) -> bool:
        return ((self.kind is None or unit.kind.value in self.kind)
                and (self.area is None or unit.area in self.area)
                and (self.agency is None or unit.agency in self.agency))


class Selection(Strict):
    """At least ``at_least`` units, or ``at_least_percent`` % of them (rounded up), of a set."""

    id: Id
    name: Text
    units: list[Id] | None = Field(
        None, description="the set by unit ids")
    match: UnitMatch | None = Field(None, description="the set by unit fields (kind, area, agency)")
    at_least: int | None = Field(None, ge=1, description="at least this many units of the set")
    at_least_percent: float | None = Field(
        None, gt=0, le=100, description="at least this share of the set, in % (rounded up)")
    each: Literal["area", "kind", "agency"] | None = Field(
        None, description="the minimum holds in each group of the set sharing this unit field, "
        "e.g. each: area for 20% of the wards of each former district")

    @model_validator(mode="after")
    def _one_of_each(self) -> Self:
        if (self.units is None) == (self.match is None):
            raise ValueError(worded("selection.set_either", id=self.id))
        if (self.at_least is None) == (self.at_least_percent is None):
            raise ValueError(worded("selection.size_either", id=self.id))
        return self

    def members(self, units: Sequence[Unit]) -> list[str]:
        """The ids of the set's units, in the scenario's order (repeats kept, see the module)."""
        if self.units is not None:
            return list(self.units)
        assert self.match is not None
        return [u.id for u in units if self.match.matches(u)]

    def need(self, size: int) -> int:
        """How many of a set of ``size`` units must be visited."""
        if self.at_least is not None:
            return self.at_least
        assert self.at_least_percent is not None
        return math.ceil(round(self.at_least_percent * size / 100, 9))

    def wording(self, size: int, lang: str = "vi") -> str:
        """"ít nhất 20% (3 trên 12)" / "at least 20% (3 of 12)"; "at least 3 (of 12)"."""
        n = self.need(size)
        if self.at_least_percent is not None:
            share = f"{self.at_least_percent:g}%"
            return f"ít nhất {share} ({n} trên {size})" if lang == "vi" else \
                f"at least {share} ({n} of {size})"
        return f"ít nhất {n} (trên {size})" if lang == "vi" else f"at least {n} (of {size})"


@dataclass(frozen=True)
class Resolved:
    """A selection over a scenario's units (one group of it, with ``each``): the ids it counts
    (a unit once per time listed) and how many visits it needs."""

    selection: Selection
    unit_ids: tuple[str, ...]
    need: int
    group: str | None = None  # the shared value of ``selection.each``

    @property
    def id(self) -> str:
        return self.selection.id if self.group is None else f"{self.selection.id}/{self.group}"

    @property
    def name(self) -> str:
        return self.selection.name if self.group is None else f"{self.selection.name} – {self.group}"

    def wording(self, lang: str = "vi") -> str:
        return self.selection.wording(len(self.unit_ids), lang)

    def count(self, visited: set[str]) -> int:
        return sum(1 for u in self.unit_ids if u in visited)


def field_of(unit: Unit, each: str) -> str | None:
    """The unit's value of a selection's ``each`` field."""
    value = getattr(unit, each)
    return None if value is None else str(getattr(value, "value", value))


def resolve(selection: Selection, units: Sequence[Unit]) -> list[Resolved]:
    """The selection over ``units``: one per group of the set when it counts ``each``."""
    ids = selection.members(units)
    if selection.each is None:
        return [Resolved(selection, tuple(ids), selection.need(len(ids)))]
    by_id = {u.id: u for u in units}
    groups: dict[str, list[str]] = {}
    for u in ids:
        groups.setdefault(field_of(by_id[u], selection.each) or "", []).append(u)
    return [Resolved(selection, tuple(g), selection.need(len(g)), value)
            for value, g in groups.items()]


def as_listed(resolved: Resolved, unit_ids: Sequence[str], need: int | None = None) -> Selection:
    """The selection written out: these ids (repeats for routes) and its absolute need (or
    ``need``), so that a scenario without some of the units (the route stage's, a re-plan's
    batch) counts the same."""
    return resolved.selection.model_copy(update={
        "id": resolved.id, "name": resolved.name, "units": list(unit_ids), "match": None,
        "at_least_percent": None, "each": None,
        "at_least": resolved.need if need is None else need})


def selection_problems(selections: Sequence[Selection], units: Sequence[Unit],
                       kinds: Sequence[str]) -> list[str]:
    """Unknown unit ids or kinds, repeated ids, empty sets, a minimum above the set, a set with
    no optional unit (nothing to choose); each names its field and the fix."""
    by_id = {u.id: u for u in units}
    problems: list[str] = []
    seen: dict[str, int] = {}
    for i, s in enumerate(selections):
        if s.id in seen:
            problems.append(worded("scenario.duplicate_id", section="selections", i=i, id=s.id,
                                   first=seen[s.id]))
        seen.setdefault(s.id, i)
        bad = [(j, k) for j, k in enumerate(s.match.kind or []) if k not in kinds] if s.match else []
        problems += [worded("selection.unknown_kind", i=i, j=j, kind=k, kinds=", ".join(kinds))
                     for j, k in bad]
        problems += [] if bad else _set_problems(i, s, by_id)
    return problems


def _set_problems(i: int, s: Selection, by_id: dict[str, Unit]) -> list[str]:
    ids = s.members(list(by_id.values()))
    listing = ", ".join(sorted(by_id)[:12])
    unknown = [(j, u) for j, u in enumerate(ids) if u not in by_id] if s.units is not None else []
    problems: list[str] = [worded("scenario.unknown_ref", where=f"selections.{i}.units.{j}",
                                  value=u, section="units", listing=listing) for j, u in unknown]
    if len(set(ids)) < len(ids):
        twice = next(u for u in ids if ids.count(u) > 1)
        problems.append(worded("selection.listed_twice", i=i, id=s.id, unit=twice))
    if not ids:
        return [*problems, worded("selection.empty", i=i, id=s.id)]
    if unknown:
        return problems
    if s.each is not None:
        return [*problems, *_group_problems(i, s, by_id, ids)]
    if s.at_least is not None and s.at_least > len(ids):
        problems.append(worded("selection.too_many", i=i, id=s.id, n=s.at_least, size=len(ids)))
    if not any(by_id[u].optional for u in ids):
        problems.append(worded("selection.no_optional", i=i, id=s.id, size=len(ids)))
    return problems


def _group_problems(i: int, s: Selection, by_id: dict[str, Unit], ids: list[str]) -> list[str]:
    """With ``each``: every unit has the field, and every group can meet ``at_least``."""
    assert s.each is not None
    missing = [u for u in ids if field_of(by_id[u], s.each) is None]
    if missing:
        return [worded("selection.each_missing", i=i, id=s.id, each=s.each,
                       units=", ".join(missing[:12]))]
    problems: list[str] = []
    for r in resolve(s, list(by_id.values())):
        if s.at_least is not None and s.at_least > len(r.unit_ids):
            problems.append(worded("selection.too_many_group", i=i, id=s.id, n=s.at_least,
                                   group=r.group, size=len(r.unit_ids)))
        if not any(by_id[u].optional for u in r.unit_ids):
            problems.append(worded("selection.no_optional_group", i=i, id=s.id, group=r.group,
                                   size=len(r.unit_ids)))
    return problems


def priority_problems(units: Sequence[Unit], selections: Sequence[Selection]) -> list[str]:
    """A priority on a unit no selection samples means nothing: say so rather than ignore it."""
    sampled = {u for s in selections for u in s.members(units)}
    return [worded("selection.priority_unused", i=i, id=u.id) for i, u in enumerate(units)
            if u.priority and not (u.optional and u.id in sampled)]


register({
    "selection.set_either": (
        "selections ({id}): ghi hoặc units (danh sách mã đơn vị) hoặc match (theo kind, area, "
        "agency), đúng một trong hai",
        "selections ({id}): give either units (a list of unit ids) or match (by kind, area, "
        "agency), exactly one of them"),
    "selection.size_either": (
        "selections ({id}): ghi hoặc at_least (số đơn vị) hoặc at_least_percent (tỷ lệ %), đúng "
        "một trong hai",
        "selections ({id}): give either at_least (a number of units) or at_least_percent (a "
        "share in %), exactly one of them"),
    "selection.unknown_kind": (
        "selections.{i}.match.kind.{j}: '{kind}' không phải loại đơn vị; dùng một trong: {kinds}",
        "selections.{i}.match.kind.{j}: '{kind}' is not a unit kind; use one of: {kinds}"),
    "selection.listed_twice": (
        "selections.{i}.units ({id}): đơn vị '{unit}' được ghi hai lần; ghi mỗi đơn vị một lần",
        "selections.{i}.units ({id}): unit '{unit}' is listed twice; list each unit once"),
    "selection.empty": (
        "selections.{i} ({id}): không đơn vị nào thuộc nhóm chọn mẫu; sửa match hoặc units",
        "selections.{i} ({id}): no unit is in the selection; correct its match or units"),
    "selection.too_many": (
        "selections.{i}.at_least ({id}): cần {n} đơn vị nhưng nhóm chỉ có {size}; giảm at_least "
        "hoặc thêm đơn vị vào nhóm",
        "selections.{i}.at_least ({id}): {n} units wanted but the selection has {size}; lower "
        "at_least or add units to it"),
    "selection.each_missing": (
        "selections.{i}.each ({id}): nhóm tính theo từng {each} nhưng các đơn vị sau chưa ghi "
        "{each}: {units}; ghi {each} cho các đơn vị đó hoặc bỏ chúng khỏi nhóm",
        "selections.{i}.each ({id}): the minimum holds for each {each}, but these units have no "
        "{each}: {units}; give them one or leave them out of the selection"),
    "selection.too_many_group": (
        "selections.{i}.at_least ({id}): cần {n} đơn vị ở mỗi nhóm nhưng nhóm {group} chỉ có "
        "{size}; giảm at_least, dùng at_least_percent, hoặc thêm đơn vị",
        "selections.{i}.at_least ({id}): {n} units wanted in each group but {group} has {size}; "
        "lower at_least, use at_least_percent, or add units"),
    "selection.no_optional_group": (
        "selections.{i} ({id}): cả {size} đơn vị của nhóm {group} đều bắt buộc (không có "
        "optional: true) nên nhóm đó không chọn được đơn vị nào; ghi optional: true cho các đơn vị "
        "được chọn mẫu",
        "selections.{i} ({id}): all {size} units of {group} are required (none has optional: "
        "true), so it chooses nothing there; mark the units it samples optional: true"),
    "selection.no_optional": (
        "selections.{i} ({id}): cả {size} đơn vị của nhóm đều bắt buộc (không có optional: true) "
        "nên đều được kiểm tra, nhóm không chọn được đơn vị nào; ghi optional: true cho các đơn vị "
        "được chọn mẫu, hoặc bỏ nhóm",
        "selections.{i} ({id}): all {size} units of the selection are required (none has "
        "optional: true), so all are visited and it chooses nothing; mark the units it samples "
        "optional: true, or remove the selection"),
    "selection.priority_unused": (
        "units.{i}.priority ({id}): mức ưu tiên chỉ dùng để chọn đơn vị không bắt buộc trong một "
        "nhóm chọn mẫu (selections); ghi optional: true và đưa đơn vị vào một nhóm, hoặc bỏ priority",
        "units.{i}.priority ({id}): a priority only chooses among the optional units of a "
        "selection; mark the unit optional: true and put it in a selection, or remove the priority"),
})


def resolved_selections(scenario: Scenario) -> list[Resolved]:
    """The scenario's selections over its own units (each group of one with ``each``)."""
    return [r for s in scenario.selections for r in resolve(s, scenario.units)]


def sampled_ids(scenario: Scenario) -> set[str]:
    """Units some selection counts: an optional one among them is the selections' to choose
    (S13-sample-priority prices leaving it out, S06-optional does not)."""
    return {u for r in resolved_selections(scenario) for u in r.unit_ids}


def selections_met(scenario: Scenario, visited: set[str]) -> bool:
    """Every selection has its need among ``visited`` (a planner's own plan is checked so before
    it is offered as one)."""
    return all(r.count(visited) >= r.need for r in resolved_selections(scenario))
