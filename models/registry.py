"""Vietnam's administrative-unit registry: the new commune-level units and the 2025 conversion.

Sources, both PyPI packages declared in pyproject.toml (no hand-typed lists):
- ``vietnam-provinces`` (GSO codes, data of 2025-10): the 34 provinces and 3,321 commune-level
  units in force from 1/7/2025 with their official code, name and type (xã, phường, đặc khu).
  Codes and names of new units come from here.
- ``vietnamadminunits``: the old 63-province registry (10,040 units, table ``admin_units_legacy``
  of its ``data/dataset.db``), the new units' coordinates (table ``admin_units``, columns
  ``wardLat``/``wardLon``) and its old -> new conversion table ``data/converter_2025.json``
  (built from the Standing Committee's resolutions, e.g. NQ 1656/NQ-UBTVQH15 for Hanoi).
  Its data files are read directly: importing the package would pull in a geocoder.

The conversion is many-to-many and kept explicit: an old unit may be split over several new ones
(the table marks one of them as the default), and most new units draw on several old ones, some
across old district borders. New units are joined between the two packages by name (spelling
variants such as "Hoà"/"Hòa" are reconciled), so the coordinates sit on the official code.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from models import tables
from models.scenario import UnitKind

COORDINATES_SOURCE = "vietnamadminunits data/dataset.db, table admin_units (wardLat, wardLon)"

# Registry type -> our unit kind and the prefix of the stable scenario id.
_KINDS: dict[str, tuple[UnitKind, str]] = {
    "xã": (UnitKind.COMMUNE, "X"),
    "phường": (UnitKind.WARD, "P"),
    "đặc khu": (UnitKind.SPECIAL_ZONE, "DK"),
}
_COMMUNE_PREFIXES = ("thị trấn", "đặc khu", "phường", "xã")


class UnknownProvince(ValueError):
    """A province name or code the registry does not know."""


@dataclass(frozen=True)
class Province:
    code: str  # "01"
    name: str  # "Thành phố Hà Nội"
    short_name: str  # "Hà Nội"
    key: str  # key in the conversion table, e.g. "thanhphohanoi"


@dataclass(frozen=True)
class NewUnit:
    """A commune-level unit in force from 1 July 2025."""

    code: str  # 5-digit GSO code, e.g. "00004"
    name: str  # "Phường Ba Đình" (NFC, single spaces)
    division_type: str  # xã / phường / đặc khu
    province_code: str
    province_name: str
    lat: float | None = None  # see COORDINATES_SOURCE
    lon: float | None = None

    @property
    def kind(self) -> UnitKind:
        return _KINDS[self.division_type][0]

    @property
    def unit_id(self) -> str:
        """Stable scenario id: X-<code> (xã), P-<code> (phường), DK-<code> (đặc khu)."""
        return f"{_KINDS[self.division_type][1]}-{self.code}"


@dataclass(frozen=True)
class OldUnit:
    """A commune-level unit of the district era (before 1 July 2025)."""

    key: str  # conversion-table key "<province>_<district>_<ward>"
    code: str | None  # old 5-digit GSO code; None for island districts without communes
    name: str  # "Phường Phúc Xá" (or the district's name for island districts)
    district: str  # "Quận Ba Đình"
    district_code: str
    province_name: str
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Link:
    """Part (or all) of an old unit went into a new unit."""

    old_key: str
    new_code: str
    default: bool  # for a split unit: the new unit the table proposes by default


@dataclass(frozen=True)
class Conversion:
    """The old -> new table of one (new) province, with its many-to-many cases explicit."""

    province: Province
    old: Mapping[str, OldUnit]
    new: Mapping[str, NewUnit]
    links: tuple[Link, ...]
    _targets: dict[str, list[Link]] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    _sources: dict[str, list[Link]] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for link in self.links:
            self._targets.setdefault(link.old_key, []).append(link)
            self._sources.setdefault(link.new_code, []).append(link)

    def targets(self, old_key: str) -> list[NewUnit]:
        """New units an old unit went into (several when it was split)."""
        return [self.new[link.new_code] for link in self._targets.get(old_key, [])]

    def default_target(self, old_key: str) -> NewUnit | None:
        links = self._targets.get(old_key, [])
        chosen = next((lk for lk in links if lk.default), links[0] if len(links) == 1 else None)
        return self.new[chosen.new_code] if chosen else None

    def sources(self, new_code: str) -> list[OldUnit]:
        """Old units (or parts of them) a new unit draws on."""
        return [self.old[link.old_key] for link in self._sources.get(new_code, [])]

    def split_units(self) -> list[OldUnit]:
        """Old units split over several new units: the planner must say where each visit goes."""
        return [self.old[k] for k, links in self._targets.items() if len(links) > 1]

    def multi_source_units(self) -> list[NewUnit]:
        """New units drawing on more than one old unit."""
        return [self.new[c] for c, links in self._sources.items() if len(links) > 1]

    def cross_district_units(self) -> list[NewUnit]:
        """New units drawing on more than one old district."""
        return [
            self.new[c]
            for c, links in self._sources.items()
            if len({self.old[lk.old_key].district for lk in links}) > 1
        ]


# --- text keys ------------------------------------------------------------------------------

# Old ("hoà") and new ("hòa") tone placement, apostrophes and dashes vary between sources.
_TONE_PLACEMENT = {
    "òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ",
    "òe": "oè", "óe": "oé", "ỏe": "oẻ", "õe": "oẽ", "ọe": "oẹ",
    "ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ",
}  # fmt: skip
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})


def clean_name(text: str) -> str:
    """A registry name as we show it: NFC, single spaces, spaced dashes."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\s*[-–—]\s*", " - ", text)
    return " ".join(text.split())


def name_key(text: str) -> str:
    """Key under which two spellings of one unit name compare equal."""
    key = clean_name(text).casefold().translate(_APOSTROPHES)
    for variant, canonical in _TONE_PLACEMENT.items():
        key = key.replace(variant, canonical)
    return key.removeprefix("ubnd ")


def without_type(key: str) -> str:
    """'phường phúc xá' -> 'phúc xá' (name keys only)."""
    for prefix in (*_COMMUNE_PREFIXES, "quận", "huyện", "thị xã", "thành phố"):
        if key.startswith(prefix + " "):
            return key[len(prefix) + 1 :]
    return key


def looks_commune_level(name: str) -> bool:
    return name_key(name).startswith(_COMMUNE_PREFIXES)


def is_rekey_candidate(kind: str, name: str) -> bool:
    """Units rekey looks at: communes, wards, and any unit named like one (thị trấn, đặc khu)."""
    known = kind in {k.value for k in UnitKind}
    return (known and UnitKind(kind).is_commune_level) or looks_commune_level(name)


# --- package data -----------------------------------------------------------------------------


def _vau_data_dir() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the vietnamadminunits package is not installed (pip install kiemtra)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _query(sql: str, *params: Any) -> list[sqlite3.Row]:
    uri = (_vau_data_dir() / "dataset.db").as_uri() + "?mode=ro"
    with sqlite3.connect(uri, uri=True) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql, params).fetchall()


@cache
def _conversion_table() -> dict[str, Any]:
    return json.loads((_vau_data_dir() / "converter_2025.json").read_text(encoding="utf-8"))


@cache
def provinces() -> tuple[Province, ...]:
    """The 34 provinces in force from 1 July 2025, in code order."""
    from vietnam_provinces import Province as VpProvince

    keys = {
        row["provinceCode"]: (row["provinceKey"], row["provinceShort"])
        for row in _query("SELECT DISTINCT provinceCode, provinceKey, provinceShort FROM admin_units")
    }
    result = []
    for p in sorted(VpProvince.iter_all(), key=lambda p: int(p.code)):
        code = f"{int(p.code):02d}"
        key, short = keys[code]
        result.append(Province(code, clean_name(p.name), clean_name(short), key))
    return tuple(result)


def find_province(text: str) -> Province:
    """A province by name ("Hà Nội", "Thành phố Hà Nội", "ha noi") or code ("01", "1")."""
    wanted = name_key(text)
    for p in provinces():
        if wanted.isdigit() and int(wanted) == int(p.code):
            return p
        if wanted in (name_key(p.name), name_key(p.short_name)) or ascii_key(wanted) in (
            ascii_key(name_key(p.short_name)), p.key, ascii_key(name_key(p.name))
        ):
            return p
    merged_into = _old_province_home(wanted)
    if merged_into is not None:
        raise UnknownProvince(
            f"{text!r} is an old province, part of {merged_into.short_name} since 1/7/2025; "
            f"use --province {merged_into.short_name!r}"
        )
    known = ", ".join(p.short_name for p in provinces())
    raise UnknownProvince(f"unknown province {text!r}; use one of: {known}")


def _old_province_home(wanted: str) -> Province | None:
    """The new province an old (63-province era) province name went into, if any."""
    for p in provinces():
        for old_key in _conversion_table()["DICT_PROVINCE"][p.key]:
            if ascii_key(wanted) in (old_key, old_key.removeprefix("tinh").removeprefix("thanhpho")):
                return p
    return None


def ascii_key(text: str) -> str:
    """'Hà Nội' -> 'hanoi': letters and digits without diacritics, lower case."""
    stripped = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in stripped if c.isalnum() and c.isascii()).lower()


@cache
def new_units(province_code: str) -> tuple[NewUnit, ...]:
    """The commune-level units of a province from 1/7/2025, in code order, with coordinates."""
    from vietnam_provinces import ProvinceCode, Ward

    province = next(p for p in provinces() if p.code == province_code)
    coords = {name_key(r["ward"]): (r["wardLat"], r["wardLon"]) for r in _new_rows(province_code)}
    units = []
    for ward in Ward.iter_by_province(ProvinceCode(int(province_code))):
        lat, lon = coords.get(name_key(ward.name), (None, None))
        units.append(NewUnit(
            code=f"{int(ward.code):05d}", name=clean_name(ward.name),
            division_type=ward.division_type.value, province_code=province_code,
            province_name=province.name, lat=lat, lon=lon,
        ))
    return tuple(sorted(units, key=lambda u: u.code))


def _new_rows(province_code: str) -> list[sqlite3.Row]:
    return _query(
        "SELECT ward, wardKey, wardLat, wardLon FROM admin_units WHERE provinceCode = ?",
        province_code,
    )


def all_new_units() -> list[NewUnit]:
    """All 3,321 commune-level units of the country."""
    return [u for p in provinces() for u in new_units(p.code)]


@cache
def conversion(province_code: str) -> Conversion:
    """The official old -> new table of a (new) province, keyed by our codes."""
    province = next(p for p in provinces() if p.code == province_code)
    table = _conversion_table()
    new_by_key = _new_units_by_table_key(province_code)
    links = [
        Link(old, new_by_key[new_key].code, False)
        for new_key, olds in table["DICT_PROVINCE_WARD_NO_DIVIDED"][province.key].items()
        for old in olds
    ]
    for old, parts in table["DICT_PROVINCE_WARD_DIVIDED"].get(province.key, {}).items():
        links += [Link(old, new_by_key[p["newWardKey"]].code, bool(p["isDefaultNewWard"]))
                  for p in parts]
    old_units = _old_units(table["DICT_PROVINCE"][province.key])
    new_map = {u.code: u for u in new_units(province_code)}
    return Conversion(province, old_units, new_map, tuple(sorted(links, key=_link_order)))


def _link_order(link: Link) -> tuple[str, str]:
    return (link.old_key, link.new_code)


def _new_units_by_table_key(province_code: str) -> dict[str, NewUnit]:
    by_name = {name_key(u.name): u for u in new_units(province_code)}
    return {r["wardKey"]: by_name[name_key(r["ward"])] for r in _new_rows(province_code)}


def _old_units(old_province_keys: Sequence[str]) -> dict[str, OldUnit]:
    marks = ",".join("?" * len(old_province_keys))
    rows = _query(
        "SELECT provinceKey, districtKey, wardKey, wardCode, ward, district, districtCode, "
        f"province, wardLat, wardLon FROM admin_units_legacy WHERE provinceKey IN ({marks})",
        *old_province_keys,
    )
    units = {}
    for r in rows:
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        units[key] = OldUnit(
            key=key, code=r["wardCode"], name=clean_name(r["ward"] or r["district"]),
            district=clean_name(r["district"]), district_code=r["districtCode"],
            province_name=clean_name(r["province"]), lat=r["wardLat"], lon=r["wardLon"],
        )
    return units


# --- into scenarios -------------------------------------------------------------------------


def scenario_units(
    units: Iterable[NewUnit],
    window: Mapping[str, Any],
    required_agencies: Sequence[str] = (),
    with_address: bool = False,
) -> list[dict[str, Any]]:
    """Registry units as scenario unit mappings (the ``units:`` entries of a scenario)."""
    result = []
    for u in units:
        item: dict[str, Any] = {"id": u.unit_id, "name": u.name, "kind": u.kind.value,
                                "agency": None, "window": dict(window)}
        if with_address:
            item["address"] = f"{u.name}, {u.province_name}"
        if required_agencies:
            item["required_agencies"] = list(required_agencies)
        result.append(item)
    return result


UNITS_TABLE_COLUMNS = ("id", "name", "kind", "agency", "window", "code", "division_type",
                       "address", "lat", "lon")


def units_table_rows(units: Iterable[NewUnit], window_text: str) -> list[dict[str, Any]]:
    """Rows of the units sheet that ``kiemtra validate --units`` reads (extra columns ignored)."""
    return [
        {"id": u.unit_id, "name": u.name, "kind": u.kind.value, "agency": "",
         "window": window_text, "code": u.code, "division_type": u.division_type,
         "address": f"{u.name}, {u.province_name}", "lat": u.lat, "lon": u.lon}
        for u in units
    ]


def table_bytes(columns: Sequence[str], rows: Sequence[Mapping[str, Any]], suffix: str) -> bytes:
    """A sheet as CSV (UTF-8 with BOM, for Excel) or XLSX bytes, through the guarded table writer."""
    return tables.table_bytes(columns, rows, suffix)
