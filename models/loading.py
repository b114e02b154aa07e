"""Reading planners' files: scenario YAML, unit lists from CSV/XLSX, and schedule JSON.

Every problem becomes an ``InputError`` naming the file, the path to the field and what to do;
the CLI prints it and exits with code 2. YAML is read safely, duplicate keys are refused, and
dates are left as text for pydantic, so an impossible date (2025-02-30) is reported at its field.
Only regular files up to ``MAX_INPUT_BYTES`` are read (a FIFO or /dev/zero would never end), and
parsed data deeper or bigger than any real campaign is refused before validation.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from models.errors import InputError, Problem
from models.limits import MAX_DEPTH, MAX_VALUES
from models.messages import FIXES, Worded, say
from models.paths import check_input_file, decode_text
from models.scenario import Scenario
from models.schedule import FROM_FILE, Schedule
from models.workbook import open_workbook, sheet_rows, visible_sheets


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


def read_text(path: Path, what: str = "a YAML file") -> str:
    """A file's text as NFC-normalised Unicode, or an InputError saying why it cannot be read."""
    check_input_file(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(path, [Problem.of("", "load.cannot_read", why=exc.strerror)]) from None
    text = decode_text(path, raw, what)
    if not text.strip():
        raise InputError(path, [Problem.of("", "load.empty_yaml") if what == "a YAML file"
                                    else Problem.of("", "load.empty", what=what)])
    return unicodedata.normalize("NFC", text)


def check_shape(data: Any, path: Path) -> None:
    """Refuse data nested deeper or holding more values than any campaign (YAML alias bombs)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    seen = 0
    while stack:
        node, depth = stack.pop()
        seen += 1
        if depth > MAX_DEPTH:
            raise InputError(path, [Problem.of("", "load.too_deep", n=MAX_DEPTH)])
        if seen > MAX_VALUES:
            raise InputError(path, [Problem.of("", "load.too_many", n=f"{MAX_VALUES:,}")])
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack.extend((child, depth + 1) for child in children)


def _too_deep(path: Path) -> InputError:
    return InputError(path, [Problem.of("", "load.far_too_deep", n=MAX_DEPTH)])


def load_yaml(path: Path) -> Any:
    text = read_text(path)
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except RecursionError:
        raise _too_deep(path) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = exc.problem or str(exc)
        raise InputError(path, [Problem.of(where, "load.yaml_at", what=what)]) from None
    except yaml.YAMLError as exc:
        raise InputError(path, [Problem.of("", "load.yaml", what=exc)]) from None
    check_shape(data, path)
    return data


def load_scenario(path: Path | str, units_file: Path | str | None = None) -> Scenario:
    """Read and validate a scenario, optionally adding units from a CSV/XLSX list."""
    path = Path(path)
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise InputError(path, [Problem.of("", "load.not_mapping")])
    if units_file is None:
        return validate_scenario(data, path)
    own = data.get("units") or []
    if not isinstance(own, list):
        raise InputError(path, [Problem.of("units", "fix_list")])
    sheet = Path(units_file)
    rows = load_unit_rows(sheet)
    merged = {**data, "units": [*own, *(unit for _, unit in rows)]}
    origin = SheetRows(sheet, len(own), [row for row, _ in rows])
    try:
        return Scenario.model_validate(merged)
    except ValidationError as exc:
        raise origin.blame(path, exc, merged) from None


def validate_scenario(data: dict[str, Any], path: Path | str) -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise InputError(path, pydantic_problems(exc, data)) from None


def load_schedule(path: Path | str) -> Schedule:
    path = Path(path)
    data = load_json(path, "a schedule.json file")
    try:
        return Schedule.model_validate(data, context={FROM_FILE: True})
    except ValidationError as exc:
        raise InputError(path, pydantic_problems(exc, data)) from None


def load_json(path: Path, what: str) -> Any:
    """Parsed JSON of a file, refused like YAML when it is broken, too deep or too big."""
    text = read_text(path, what)
    try:
        data = json.loads(text)
    except RecursionError:
        raise _too_deep(path) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            path, [Problem.of(f"line {exc.lineno}, column {exc.colno}", "load.json", what=exc.msg)]
        ) from None
    check_shape(data, path)
    return data


# --- unit lists from spreadsheets -----------------------------------------------------------

UNIT_COLUMNS = ("id", "name", "kind", "agency", "window")
_OPTIONAL_COLUMNS = ("short_name", "available_from", "duration", "visit_minutes", "form", "team",
                     "address")


def load_units_table(path: Path) -> list[dict[str, Any]]:
    """Units from a CSV or XLSX sheet with columns id, name, kind, agency, window.

    ``window`` is written as planners write it: ``Q2``, ``Q3-Q4`` or ``2025-07-01..2025-12-31``.
    """
    return [unit for _, unit in load_unit_rows(path)]


def _read_sheet(path: Path) -> Any:
    import pandas as pd

    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        raise InputError(path, [Problem.of("", "load.units_suffix")])
    # Blank lines are kept (and skipped later) so that row numbers match what Excel shows.
    if suffix == ".csv":
        text = read_text(path, "a CSV file")
        return pd.read_csv(io.StringIO(text), dtype=str, skip_blank_lines=False)
    return pd.read_excel(path, dtype=str, sheet_name=_units_sheet(path))


def _units_sheet(path: Path) -> str:
    """The first visible sheet, once its size is known to fit (what pandas would read first may
    be hidden, or declare a billion cells)."""
    wb = open_workbook(path)
    try:
        sheets = visible_sheets(wb)
        if not sheets:
            raise InputError(path, [Problem.of("", "load.all_hidden")])
        sheet_rows(path, sheets[0])
        return str(sheets[0].title)
    finally:
        wb.close()


def load_unit_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """Units of a CSV or XLSX sheet, each with its row number in the sheet (header = row 1)."""
    try:
        frame = _read_sheet(path)
    except InputError:
        raise
    except Exception as exc:  # pandas raises many kinds for a broken sheet
        raise InputError(path, [Problem.of("", "load.sheet", why=exc)]) from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in UNIT_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(
            path, [Problem.of("header", "load.missing_columns", missing=", ".join(missing),
                                      needed=", ".join(UNIT_COLUMNS))]
        )
    units, problems = [], []
    for row_no, row in enumerate(frame.to_dict("records"), start=2):
        if not any(isinstance(v, str) and v.strip() for v in row.values()):
            continue
        try:
            units.append((row_no, _unit_from_row(row)))
        except ValueError as exc:
            problems.append(Problem(f"row {row_no}", str(exc)))
    if problems:
        raise InputError(path, problems)
    return units


_UNIT_LINE = re.compile(r"^units\.(\d+)\.(\S+?)(?: \([^)]*\))?: (.*)$")


@dataclass(frozen=True)
class SheetRows:
    """Where units merged from a sheet came from: merged index ``first + k`` is ``rows[k]``."""

    path: Path
    first: int
    rows: list[int]

    def row_of(self, index: int) -> int | None:
        k = index - self.first
        return self.rows[k] if 0 <= k < len(self.rows) else None

    def blame(self, scenario: Path, exc: ValidationError, data: dict[str, Any]) -> InputError:
        """An InputError naming the sheet and row for its units, the scenario for the rest."""
        ours: list[Problem] = []
        theirs: list[Problem] = []
        for err in exc.errors(include_url=False):
            loc = err.get("loc", ())
            row = self.row_of(loc[1]) if len(loc) > 1 and loc[0] == "units" \
                and isinstance(loc[1], int) else None
            if row is None and not loc and err.get("type") == "value_error":
                for line in _error_message(err).splitlines():
                    sheet_line = self._sheet_line(line)
                    (ours if sheet_line else theirs).append(sheet_line or Problem("", line))
            elif row is None:
                theirs += pydantic_problems_of([err], data)
            else:
                rest = _describe_loc(loc[2:], data["units"][loc[1]])
                where = f"row {row}, {rest}" if rest else f"row {row}"
                ours.append(Problem(where, _error_text(err, "en"), _error_text(err, "vi")))
        if not theirs:
            return InputError(self.path, ours)
        named = [Problem(f"{self.path} {p.where}", p.message, p.vi) for p in ours]
        return InputError(scenario, [*theirs, *named])

    def _sheet_line(self, line: str) -> Problem | None:
        """A model-level message ``units.N.field: ...`` about a sheet unit, as its row."""
        match = _UNIT_LINE.match(line)
        row = self.row_of(int(match.group(1))) if match else None
        if match is None or row is None:
            return None
        also = re.sub(r"also units\.(\d+)", lambda m: self._where_else(int(m.group(1))),
                      match.group(3))
        return Problem(f"row {row}, {match.group(2)}", also)

    def _where_else(self, index: int) -> str:
        row = self.row_of(index)
        return f"also row {row}" if row else "also in the scenario's units"


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



def pydantic_problems(exc: ValidationError, data: Any) -> list[Problem]:
    return pydantic_problems_of(exc.errors(include_url=False), data)


def pydantic_problems_of(errors: Iterable[Any], data: Any) -> list[Problem]:
    problems = []
    for err in errors:
        loc = err.get("loc", ())
        if err.get("type") == "value_error" and not loc:
            en, vi = _error_message(err).splitlines(), _error_message(err, "vi").splitlines()
            problems += [Problem("", line, vi[i] if len(vi) == len(en) else "")
                         for i, line in enumerate(en)]
        else:
            where = _describe_loc(loc, data)
            problems.append(Problem(where, _error_text(err, "en"), _error_text(err, "vi")))
    return problems


def _error_message(err: Any, lang: str = "en") -> str:
    """pydantic's message; in Vietnamese, the wording our validators attached (``Worded``)."""
    cause = (err.get("ctx") or {}).get("error")
    said = cause.args[0] if isinstance(cause, ValueError) and cause.args else None
    if lang != "en" and isinstance(said, Worded):
        return said.vi
    return str(err.get("msg", "invalid value")).removeprefix("Value error, ")


def _error_text(err: Any, lang: str = "en") -> str:
    """pydantic's message with the planner's fix and the value that was given; in Vietnamese,
    the fix alone when we have one (pydantic speaks English only)."""
    kind = err.get("type", "")
    message = _error_message(err, lang)
    pair = FIXES.get(kind)
    got = err.get("input")
    shown = say("input.got", lang, value=repr(got)) if kind not in ("missing",) and \
        _is_scalar(got) else ""
    if pair and lang != "en":
        return f"{pair[0]}{shown}"
    fix = pair[1] if pair else None
    return f"{fix}: {message}{shown}" if fix and fix not in message else f"{message}{shown}"


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
