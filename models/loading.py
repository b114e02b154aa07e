"""Reading planners' files: scenario YAML, unit lists from CSV/XLSX, and schedule JSON.

Every problem becomes an ``InputError`` naming the file, the path to the field and what to do;
the CLI prints it and exits with code 2. YAML is read safely, duplicate keys are refused, and
dates are left as text for pydantic, so an impossible date (2025-02-30) is reported at its field.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from models.scenario import Scenario
from models.schedule import Schedule


@dataclass(frozen=True)
class Problem:
    where: str
    message: str


class InputError(Exception):
    """A file a planner gave that cannot be used, with every problem found in it."""

    def __init__(self, path: Path | str, problems: Iterable[Problem]) -> None:
        self.path = str(path)
        self.problems = list(problems)
        super().__init__(self.render())

    def render(self) -> str:
        lines = [f"{self.path}: {len(self.problems)} problem(s)"]
        lines += [f"  - {p.where}: {p.message}" if p.where else f"  - {p.message}"
                  for p in self.problems]
        return "\n".join(lines)


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML loader that keeps dates as text and refuses duplicate keys."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}': keep only one", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)
# Without an implicit timestamp resolver, 2025-02-30 reaches pydantic as text and is reported
# at its field instead of crashing the YAML reader.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# YAML 1.1 reads an unquoted 13:30 as the base-60 number 810; a time of day stays text here.
_CLOCK = re.compile(r"^[0-9]{1,2}:[0-9]{2}$")
for _digit in "0123456789":
    _StrictLoader.yaml_implicit_resolvers[_digit] = [
        ("tag:yaml.org,2002:str", _CLOCK), *_StrictLoader.yaml_implicit_resolvers.get(_digit, [])
    ]


def read_text(path: Path) -> str:
    """A file's text as NFC-normalised UTF-8, or an InputError saying why it cannot be read."""
    if not path.exists():
        raise InputError(path, [Problem("", "file not found; check the path")])
    if path.is_dir():
        raise InputError(path, [Problem("", "this is a folder; give a file")])
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise InputError(path, [Problem("", "binary data, not a text file; give a YAML file")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            path, [Problem(f"byte {exc.start}", "not UTF-8 text; save the file as UTF-8")]
        ) from None
    if not text.strip():
        raise InputError(path, [Problem("", "the file is empty; start from scenarios/hanoi-2025.yaml")])
    return unicodedata.normalize("NFC", text)


def load_yaml(path: Path) -> Any:
    text = read_text(path)
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = exc.problem or str(exc)
        raise InputError(path, [Problem(where, f"YAML syntax: {what}; fix the file there")]) from None
    except yaml.YAMLError as exc:
        raise InputError(path, [Problem("", f"YAML syntax: {exc}")]) from None


def load_scenario(path: Path | str, units_file: Path | str | None = None) -> Scenario:
    """Read and validate a scenario, optionally adding units from a CSV/XLSX list."""
    path = Path(path)
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise InputError(path, [Problem("", "expected a mapping with campaign, teams, units...")])
    if units_file is not None:
        extra = load_units_table(Path(units_file))
        data = {**data, "units": [*(data.get("units") or []), *extra]}
    return validate_scenario(data, path)


def validate_scenario(data: dict[str, Any], path: Path | str) -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise InputError(path, pydantic_problems(exc, data)) from None


def check_writable_folder(path: Path | str) -> None:
    """An output folder that can be written: checked before a long solve, so that no plan is
    lost at the end. InputError naming the path and the fix otherwise."""
    folder = Path(path)
    probe = folder
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        raise InputError(folder, [Problem("--out", f"{probe} is a file, not a folder: choose a "
                                                   "folder for the outputs")])
    if probe.exists() and not os.access(probe, os.W_OK | os.X_OK):
        raise InputError(folder, [Problem("--out", f"{probe} cannot be written (permissions): "
                                                   "choose a folder you can write to")])


def load_schedule(path: Path | str) -> Schedule:
    path = Path(path)
    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            path, [Problem(f"line {exc.lineno}, column {exc.colno}", f"JSON syntax: {exc.msg}")]
        ) from None
    try:
        return Schedule.model_validate(data)
    except ValidationError as exc:
        raise InputError(path, pydantic_problems(exc, data)) from None


# --- unit lists from spreadsheets -----------------------------------------------------------

UNIT_COLUMNS = ("id", "name", "kind", "agency", "window")
_OPTIONAL_COLUMNS = ("short_name", "available_from", "duration", "visit_minutes", "form", "team",
                     "address")


def load_units_table(path: Path) -> list[dict[str, Any]]:
    """Units from a CSV or XLSX sheet with columns id, name, kind, agency, window.

    ``window`` is written as planners write it: ``Q2``, ``Q3-Q4`` or ``2025-07-01..2025-12-31``.
    """
    import pandas as pd

    if not path.exists():
        raise InputError(path, [Problem("", "file not found; check the path")])
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=str)
        elif path.suffix.lower() == ".csv":
            frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
        else:
            raise InputError(path, [Problem("", "unit lists must be .csv or .xlsx")])
    except InputError:
        raise
    except Exception as exc:  # pandas raises many kinds for a broken sheet
        raise InputError(path, [Problem("", f"cannot read the sheet: {exc}")]) from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in UNIT_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(
            path, [Problem("header", f"missing column(s) {', '.join(missing)}; "
                           f"the sheet needs {', '.join(UNIT_COLUMNS)}")]
        )
    units, problems = [], []
    for row_no, row in enumerate(frame.to_dict("records"), start=2):
        try:
            units.append(_unit_from_row(row))
        except ValueError as exc:
            problems.append(Problem(f"row {row_no}", str(exc)))
    if problems:
        raise InputError(path, problems)
    return units


def _unit_from_row(row: dict[str, Any]) -> dict[str, Any]:
    cells = {k: str(v).strip() for k, v in row.items() if isinstance(v, str) and v.strip()}
    unit: dict[str, Any] = {k: cells[k] for k in ("id", "name", "kind", "agency") if k in cells}
    unit["window"] = parse_window_text(cells.get("window", ""))
    for key in _OPTIONAL_COLUMNS:
        if key in cells:
            unit[key] = cells[key]
    if "lat" in cells and "lon" in cells:  # as `kiemtra communes` writes them
        unit["location"] = {"lat": cells["lat"], "lon": cells["lon"]}
    return unit


def parse_window_text(text: str) -> dict[str, Any]:
    """``Q2`` / ``Q3-Q4`` / ``Quý III, IV`` / ``2025-07-01..2025-12-31`` to a window mapping."""
    cleaned = text.strip().upper().replace("QUÝ", "Q").replace(" ", "")
    if ".." in cleaned:
        start, end = cleaned.split("..", 1)
        return {"from": start, "to": end}
    roman = {"I": 1, "II": 2, "III": 3, "IV": 4}
    quarters = []
    for part in cleaned.replace("-", ",").replace("–", ",").split(","):
        token = part.removeprefix("Q")
        if token.isdigit() and 1 <= int(token) <= 4:
            quarters.append(int(token))
        elif token in roman:
            quarters.append(roman[token])
        else:
            raise ValueError(
                f"window '{text}' is not understood; write Q2, Q3-Q4 or 2025-07-01..2025-12-31"
            )
    if len(quarters) == 2 and "-" in cleaned:
        quarters = list(range(quarters[0], quarters[1] + 1))
    return {"quarters": quarters}


# --- turning pydantic errors into planners' messages ----------------------------------------

_FIXES = {
    "extra_forbidden": "unknown field; remove it or check its spelling",
    "missing": "required field is missing; add it",
    "date_from_datetime_parsing": "not a real date; write YYYY-MM-DD with a day that exists",
    "date_parsing": "not a real date; write YYYY-MM-DD with a day that exists",
    "date_type": "expected a date written YYYY-MM-DD",
    "int_parsing": "expected a whole number",
    "float_parsing": "expected a number",
    "bool_parsing": "expected true or false",
    "greater_than_equal": "too small",
    "greater_than": "too small",
    "less_than_equal": "too large",
    "enum": "not one of the allowed values",
    "string_pattern_mismatch": "wrong format",
    "list_type": "expected a list (lines starting with '- ')",
    "model_type": "expected a mapping of fields",
    "model_attributes_type": "expected a mapping of fields",
}


def pydantic_problems(exc: ValidationError, data: Any) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = err.get("loc", ())
        where = _describe_loc(loc, data)
        kind = err.get("type", "")
        message = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
        if kind == "value_error" and not loc:
            problems += [Problem("", line) for line in message.splitlines()]
            continue
        fix = _FIXES.get(kind)
        got = err.get("input")
        shown = f" (got {got!r})" if kind not in ("missing",) and _is_scalar(got) else ""
        text = f"{fix}: {message}{shown}" if fix and fix not in message else f"{message}{shown}"
        problems.append(Problem(where, text))
    return problems


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) and len(str(value)) < 80


def _describe_loc(loc: tuple[Any, ...], data: Any) -> str:
    """``units.3.window`` becomes ``units[3] (id SYT).window`` using the raw data for the id."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int):
            label = f"[{key}]"
            item = node[key] if isinstance(node, list) and key < len(node) else None
            if isinstance(item, dict) and "id" in item:
                label += f" (id {item['id']})"
            parts.append(label)
            node = item
        elif isinstance(key, str) and key.startswith(("function-", "tagged-union")):
            continue  # pydantic's internal names for validators and unions
        else:
            parts.append(f".{key}" if parts else str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return "".join(parts)
