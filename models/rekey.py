"""Rekeying a planner's old unit list onto the 2025 registry: each old commune-level unit mapped to
the new unit it became (``models.registry.Conversion``), merges and splits flagged for the
planner's confirmation (``kiemtra rekey``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from models.registry import Conversion, NewUnit, OldUnit, name_key, without_type


class RekeyStatus(StrEnum):
    MAPPED = "mapped"  # the old unit went wholly into one new unit
    SPLIT = "split"  # the old unit was split over several new units: confirm which one
    MERGED = "merged"  # several of the scenario's units go into one new unit: one visit only
    AMBIGUOUS = "ambiguous"  # the name fits old units of several districts: confirm which one
    ALREADY_NEW = "already-new"  # the unit is already a post-2025 unit
    NOT_FOUND = "not-found"  # a commune-level name the registry does not know

    @property
    def needs_confirmation(self) -> bool:
        return self is not RekeyStatus.MAPPED and self is not RekeyStatus.ALREADY_NEW


@dataclass(frozen=True)
class UnitToRekey:
    id: str
    name: str


@dataclass(frozen=True)
class RekeyRow:
    unit_id: str
    unit_name: str
    status: RekeyStatus
    old: tuple[OldUnit, ...]  # the old unit matched (several when ambiguous)
    new: tuple[NewUnit, ...]  # the new unit(s) it maps to
    suggested: NewUnit | None  # the table's default, never applied without confirmation
    note: str = ""

    @property
    def needs_confirmation(self) -> bool:
        return self.status.needs_confirmation


_CODE_IN_ID = re.compile(r"(?<!\d)(\d{5})(?!\d)")
_NEW_ID = re.compile(r"^(X|P|DK)-(\d{5})$")


def rekey(units: Iterable[UnitToRekey], conv: Conversion) -> list[RekeyRow]:
    """Map each commune-level unit to its new unit(s); flag every case a planner must confirm.

    A unit is matched to an old unit by the 5-digit code in its id (checked against its name
    when both are given) or by its name, optionally followed by the district ("Phường Phúc Xá,
    Quận Ba Đình" or "Phường Phúc Xá (Ba Đình)"). Nothing is guessed: splits list every new unit
    with the table's default as a suggestion, and units meeting in one new unit are flagged.
    """
    index = _OldIndex(conv)
    rows = [_rekey_one(u, conv, index) for u in units]
    return _flag_merges(rows)


class _OldIndex:
    def __init__(self, conv: Conversion) -> None:
        self.by_code = {u.code: u for u in conv.old.values() if u.code}
        self.by_name: dict[str, list[OldUnit]] = defaultdict(list)
        self.by_bare_name: dict[str, list[OldUnit]] = defaultdict(list)
        for u in conv.old.values():
            self.by_name[name_key(u.name)].append(u)
            self.by_bare_name[without_type(name_key(u.name))].append(u)
        self.new_by_code = dict(conv.new)
        self.new_by_name = {name_key(u.name): u for u in conv.new.values()}

    def by_text(self, text: str) -> list[OldUnit]:
        name, district = _split_district(text)
        key = name_key(name)
        bare = without_type(key)  # "Phúc Xá" may stand for "Phường Phúc Xá", not the reverse
        found = self.by_name.get(key, []) if bare != key else self.by_bare_name.get(key, [])
        if district:
            wanted = without_type(name_key(district))
            found = [u for u in found if without_type(name_key(u.district)) == wanted]
        return sorted(found, key=lambda u: u.key)


def _split_district(text: str) -> tuple[str, str]:
    match = re.match(r"^(.*?)\s*\((.+)\)\s*$", text)
    if match:
        return match.group(1), match.group(2)
    name, _, district = text.partition(",")
    return name, district.split(",")[0].strip()


def _rekey_one(unit: UnitToRekey, conv: Conversion, index: _OldIndex) -> RekeyRow:
    code_match = _CODE_IN_ID.search(unit.id)
    code = code_match.group(1) if code_match else None
    new = _as_new_unit(unit, code, index)
    if new is not None:
        return RekeyRow(unit.id, unit.name, RekeyStatus.ALREADY_NEW, (), (new,), new)
    old = _as_old_units(unit, code, index)
    if not old:
        return RekeyRow(unit.id, unit.name, RekeyStatus.NOT_FOUND, (), (), None,
                        "no old or new unit of this province has this code or name")
    if len(old) > 1:
        districts = "; ".join(u.district for u in old)
        return RekeyRow(unit.id, unit.name, RekeyStatus.AMBIGUOUS, tuple(old), (), None,
                        f"{len(old)} old units have this name ({districts}): add the district")
    return _mapped_row(unit, old[0], conv)


def _as_new_unit(unit: UnitToRekey, code: str | None, index: _OldIndex) -> NewUnit | None:
    """The unit is a new one when its id is our new-unit id, or code and name both agree."""
    match = _NEW_ID.match(unit.id)
    by_name = index.new_by_name.get(name_key(unit.name))
    if match and match.group(2) in index.new_by_code:
        candidate = index.new_by_code[match.group(2)]
        if by_name == candidate or not unit.name:
            return candidate
    if code and by_name is not None and by_name.code == code:
        return by_name
    return None


def _as_old_units(unit: UnitToRekey, code: str | None, index: _OldIndex) -> list[OldUnit]:
    by_code = index.by_code.get(code) if code else None
    by_name = index.by_text(unit.name) if unit.name else []
    if by_code is not None and (not by_name or by_code in by_name):
        return [by_code]
    return by_name


def _mapped_row(unit: UnitToRekey, old: OldUnit, conv: Conversion) -> RekeyRow:
    targets = tuple(conv.targets(old.key))
    if len(targets) == 1:
        return RekeyRow(unit.id, unit.name, RekeyStatus.MAPPED, (old,), targets, targets[0])
    suggested = conv.default_target(old.key)
    names = ", ".join(t.name for t in targets)
    note = f"split over {len(targets)} new units ({names}); the table's default: " + (
        suggested.name if suggested else "none")
    return RekeyRow(unit.id, unit.name, RekeyStatus.SPLIT, (old,), targets, suggested, note)


def _flag_merges(rows: list[RekeyRow]) -> list[RekeyRow]:
    """Units going wholly into the same new unit (or one already listed) make one visit: say so."""
    by_new: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        if row.status in (RekeyStatus.MAPPED, RekeyStatus.ALREADY_NEW):
            by_new[row.new[0].code].append(i)
    result = list(rows)
    for positions in by_new.values():
        if len(positions) < 2:
            continue
        others = [rows[i].unit_id for i in positions]
        for i in positions:
            row = rows[i]
            note = (f"{len(positions)} units ({', '.join(others)}) become {row.new[0].name}: "
                    "keep one visit")
            result[i] = RekeyRow(row.unit_id, row.unit_name, RekeyStatus.MERGED, row.old,
                                 row.new, row.suggested, note)
    return result


REKEY_COLUMNS = ("unit_id", "unit_name", "status", "needs_confirmation", "old_code", "old_name",
                 "old_district", "new_ids", "new_names", "suggested_id", "note")


def rekey_table_rows(rows: Iterable[RekeyRow]) -> list[dict[str, Any]]:
    return [
        {"unit_id": r.unit_id, "unit_name": r.unit_name, "status": r.status.value,
         "needs_confirmation": "yes" if r.needs_confirmation else "no",
         "old_code": ";".join(u.code or "" for u in r.old),
         "old_name": ";".join(u.name for u in r.old),
         "old_district": ";".join(u.district for u in r.old),
         "new_ids": ";".join(u.unit_id for u in r.new),
         "new_names": ";".join(u.name for u in r.new),
         "suggested_id": r.suggested.unit_id if r.suggested else "", "note": r.note}
        for r in rows
    ]
