"""Reading a plan back from the files planners edit: schedule.json, schedule.csv, schedule.xlsx.

A planner moves a visit in Excel (types 05/06/2025), swaps a member (by name or id), deletes or
adds a row; ``load_plan`` turns that file back into a ``Schedule`` of the given scenario, so that
``check``, ``replan``, ``repair`` and the outputs read it like any plan. What a planner cannot
edit is derived again: a visit's end, report deadline and announcement day follow from its start
(``models.timing``); the form is the unit's. A unit whose row was deleted is simply not visited
(the checker says so). Rows are read by their header, in Vietnamese or English, in any order.

Every unreadable row is reported at once, naming the file, the sheet, the row and the column.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from models.calendar import parse_date_text
from models.loading import InputError, Problem, load_schedule, read_text
from models.scenario import Scenario
from models.schedule import CSV_FIELDS, HHMM, Schedule, SolverInfo, Status, VisitState, trip_id_of
from models.workbook import open_workbook, sheet_rows, visible_sheets
from scheduler.output.labels import LANGS, labels
from scheduler.output.xlsx_trips import stated_trip
from scheduler.problem.schedule_build import make_assignment, schedule_skeleton
from scheduler.routing.reading import with_routes
from scheduler.routing.stage import lay_out_days

PLAN_SUFFIXES = (".json", ".csv", ".xlsx")
# Columns read back, by the labels the xlsx writer puts in its header (both languages).
_HEADER_SEARCH = 20  # the header is row 4 as written; planners may add a few lines above
_XLSX_FIELDS = ("unit", "unit_id", "team", "start", "group", "visit_state")


def load_plan(path: Path | str, scenario: Scenario) -> Schedule:
    """The plan in ``path`` (.json as written, .csv or .xlsx as edited) for ``scenario``."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        schedule = load_schedule(path)  # its stated routes stay as written: the checker reads them
        return schedule if schedule.routes else with_routes(scenario, schedule)
    if suffix == ".csv":
        rows = _csv_rows(path)
    elif suffix == ".xlsx":
        rows = _xlsx_rows(path, scenario)
    else:
        raise InputError(path, [Problem("", "a plan is read from schedule.json, schedule.csv or "
                                            "schedule.xlsx; this file is none of them",
                                        "kế hoạch được đọc từ schedule.json, schedule.csv hoặc "
                                        "schedule.xlsx; tệp này không phải loại nào trong đó")])
    # An edited table states no routes: each team-day's short visits are laid out again.
    read = _schedule_from_rows(path, scenario, rows)
    return with_routes(scenario, lay_out_days(scenario, read, untimed=True))


# --- rows as planners left them -------------------------------------------------------------

Row = tuple[str, dict[str, Any]]  # (where: "row 7", {field: raw value})


def _csv_rows(path: Path) -> list[Row]:
    text = read_text(path).lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    missing = [f for f in ("unit_id", "team_id", "start", "member_ids") if f not in
               (reader.fieldnames or [])]
    if missing:
        raise InputError(path, [Problem("header", f"missing column(s) {', '.join(missing)}; "
                                        f"a plan CSV has the columns {', '.join(CSV_FIELDS)}",
                                        f"thiếu cột {', '.join(missing)}; tệp CSV kế hoạch có các "
                                        f"cột {', '.join(CSV_FIELDS)}")])
    return [(f"row {n}", {
        "unit_id": r.get("unit_id"), "team": r.get("team_id"), "start": r.get("start"),
        "group": r.get("member_ids"), "lead": r.get("lead_id"), "visit_state": r.get("state"),
        "start_time": r.get("start_time"), "trip_id": r.get("trip_id"),
    }) for n, r in enumerate(reader, start=2) if any((v or "").strip() for v in r.values())]


def _xlsx_rows(path: Path, scenario: Scenario) -> list[Row]:
    wb = open_workbook(path)
    try:
        ws, header_at, columns = _plan_sheet(path, wb, scenario)
        grid = sheet_rows(path, ws)
        times = _stated_times(ws, header_at, columns["start"])
        trips = _stated_trips(ws, header_at, columns["start"])
    finally:
        wb.close()
    rows = []
    for i, values in enumerate(grid[header_at + 1:]):
        row = {f: values[c] if c < len(values) else None for f, c in columns.items()}
        if any(_text(v) for v in row.values()):
            row["start_time"] = times[i] if i < len(times) else None
            row["trip_from"] = trips[i] if i < len(trips) else None
            rows.append((f"sheet {ws.title}, row {header_at + 2 + i}", row))
    return rows


# The plan sheet shows a short visit's hours in its date cell's format ("dd/mm/yyyy" 08:45–11:45"),
# so the cell stays a real date; the stated start orders the day when the workbook is read back.
_HOURS_IN_FORMAT = re.compile(r'"\s*([01]\d|2[0-3]):([0-5]\d)\s*[–-]')


def _stated_times(ws: Any, header_at: int, column: int) -> list[str | None]:
    found: list[str | None] = []
    for (cell,) in ws.iter_rows(min_row=header_at + 2, min_col=column + 1, max_col=column + 1):
        match = _HOURS_IN_FORMAT.search(getattr(cell, "number_format", None) or "")
        found.append(f"{match.group(1)}:{match.group(2)}" if match else None)
    return found


def _stated_trips(ws: Any, header_at: int, column: int) -> list[date | None]:
    """The first day of the trip each row's visit is on, from its date cell's format (or None)."""
    found: list[date | None] = []
    for (cell,) in ws.iter_rows(min_row=header_at + 2, min_col=column + 1, max_col=column + 1):
        found.append(stated_trip(getattr(cell, "number_format", None) or ""))
    return found


def _plan_sheet(path: Path, wb: Any, scenario: Scenario) -> tuple[Any, int, dict[str, int]]:
    """The one visible sheet with the plan's header row that is not a team's or member's own
    sheet (those repeat the header under their name): renamed or copied, it is found by content."""
    found = []
    for ws in visible_sheets(wb):
        top = sheet_rows(path, ws, limit=_HEADER_SEARCH)
        header_at, columns = _find_header(top)
        if header_at is not None and not _is_part_sheet(top, scenario):
            found.append((ws, header_at, columns))
    if not found:
        raise InputError(path, [Problem("", "no visible sheet has the plan's header row with the "
                                        "columns 'Đơn vị được kiểm tra', 'Đoàn', 'Thời gian kiểm "
                                        "tra' and 'Thành phần đoàn' (as kiemtra writes them in "
                                        "the sheet 'Lịch kiểm tra'); unhide the plan sheet or "
                                        "restore its header",
                                        "không trang tính nào đang hiện có dòng tiêu đề của kế "
                                        "hoạch với các cột 'Đơn vị được kiểm tra', 'Đoàn', 'Thời "
                                        "gian kiểm tra' và 'Thành phần đoàn' (như kiemtra ghi trong "
                                        "trang 'Lịch kiểm tra'); hãy bỏ ẩn trang kế hoạch hoặc "
                                        "khôi phục dòng tiêu đề")])
    if len(found) > 1:
        names = " and ".join(f"'{ws.title}'" for ws, _, _ in found[:2])
        raise InputError(path, [Problem("", f"two sheets could be the plan: {names}; delete or "
                                        "hide the one that is not, so that the edits read are "
                                        "the ones meant",
                                        f"có hai trang tính đều có thể là kế hoạch: "
                                        f"{names.replace(' and ', ' và ')}; hãy xóa hoặc ẩn trang "
                                        "không phải, để đọc đúng những chỗ đã sửa")])
    return found[0]


def _is_part_sheet(top: list[list[Any]], scenario: Scenario) -> bool:
    """A team's or member's sheet: its second line starts with the team name or member label."""
    line = _fold(top[1][0]) if len(top) > 1 and top[1] else ""
    heads = [t.name for t in scenario.teams] + [f"{m.label} ({m.id})" for m in scenario.members]
    return any(line == _fold(h) or line.startswith(_fold(h) + " –") for h in heads)


def _find_header(grid: list[list[Any]]) -> tuple[int | None, dict[str, int]]:
    wanted = {_fold(labels(lang)[f]): f for lang in LANGS for f in _XLSX_FIELDS}
    for i, values in enumerate(grid[:_HEADER_SEARCH]):
        columns = {wanted[_fold(v)]: c for c, v in enumerate(values)
                   if isinstance(v, str) and _fold(v) in wanted}
        if {"team", "start", "group"} <= set(columns) and ({"unit", "unit_id"} & set(columns)):
            return i, columns
    return None, {}


# --- rows to visits -------------------------------------------------------------------------


class _Names:
    """Ids, names and labels of the scenario, matched the way a planner writes them."""

    def __init__(self, scenario: Scenario) -> None:
        self.units = _index((u.id, [u.name, u.short_name]) for u in scenario.units)
        self.teams = _index((t.id, [t.name]) for t in scenario.teams)
        self.members = {t.id: _index((m.id, [m.label]) for m in scenario.team_members(t.id))
                        for t in scenario.teams}
        self.all_members = _index((m.id, []) for m in scenario.members)
        self.states = {_fold(labels(lang)[f"state.{s.value}"]): s for lang in LANGS
                       for s in VisitState} | {s.value: s for s in VisitState}

    def member(self, team_id: str, token: str) -> str | None:
        return self.members.get(team_id, {}).get(_fold(token)) or \
            self.all_members.get(_fold(token))


def _schedule_from_rows(path: Path, scenario: Scenario, rows: list[Row]) -> Schedule:
    names, cal = _Names(scenario), scenario.work_calendar()
    lead_marks = [f"({labels(lang)['lead_mark']})" for lang in LANGS]
    problems: list[Problem] = []
    assignments = []
    seen: dict[str, str] = {}
    for where, row in rows:
        found = _visit_of_row(names, row, lead_marks)
        if isinstance(found, Problem):
            problems.append(Problem(where, found.message, found.vi))
            continue
        unit_id, team_id, start, members, lead, state = found
        if unit_id in seen:
            problems.append(Problem(where, f"unit {unit_id} already has a visit ({seen[unit_id]}); "
                                           "a unit is visited once: delete one of the rows",
                                    f"đơn vị {unit_id} đã có một cuộc kiểm tra ({seen[unit_id]}); "
                                    "mỗi đơn vị chỉ kiểm tra một lần: xóa một trong hai dòng"))
            continue
        seen[unit_id] = where
        visit = make_assignment(scenario, cal, unit_id, team_id, start, members, lead, state)
        assignments.append(visit.model_copy(update={"start_time": _clock(row.get("start_time")),
                                                    "trip_id": _trip(row, team_id, lead)}))
    if problems:
        raise InputError(path, problems)
    visited = {a.unit_id for a in assignments}
    info = SolverInfo(status=Status.FEASIBLE if visited else Status.UNKNOWN)
    return schedule_skeleton(scenario, assignments, info)


def _trip(row: Mapping[str, Any], team_id: str, lead_id: str) -> str | None:
    """The trip a row states: its id (csv), or its first day (xlsx), the team's and lead's."""
    if isinstance(row.get("trip_from"), date):
        return trip_id_of((team_id, row["trip_from"], lead_id))
    return _text(row.get("trip_id")) or None


def _visit_of_row(names: _Names, row: Mapping[str, Any], lead_marks: list[str]
                  ) -> tuple[str, str, date, list[str], str, VisitState] | Problem:
    unit_id = names.units.get(_fold(row.get("unit_id"))) or names.units.get(_fold(row.get("unit")))
    if unit_id is None:
        shown = _text(row.get("unit_id")) or _text(row.get("unit"))
        return Problem("", f"unit {shown!r} is not in the scenario: write a unit id or name",
                       f"đơn vị {shown!r} không có trong kịch bản: ghi mã hoặc tên đơn vị")
    team_id = names.teams.get(_fold(row.get("team")))
    if team_id is None:
        team = _text(row.get("team"))
        return Problem("", f"team {team!r} is not in the scenario",
                       f"đoàn {team!r} không có trong kịch bản")
    start = _date(row.get("start"))
    if isinstance(start, Problem):
        return start
    tokens = _member_tokens(_text(row.get("group")))
    lead = next((t for t in tokens if any(t.endswith(m) for m in lead_marks)), None)
    members: list[str] = []
    for token in tokens:
        bare = _strip_marks(token, lead_marks)
        member_id = names.member(team_id, bare)
        if member_id is None:
            return Problem("", f"member {bare!r} is not in the scenario: write a member id or "
                               "the name (label) kiemtra shows",
                           f"thành viên {bare!r} không có trong kịch bản: ghi mã thành viên hoặc "
                           "tên (nhãn) kiemtra hiển thị")
        members.append(member_id)
    lead_id = names.member(team_id, _strip_marks(lead, lead_marks)) if lead else None
    lead_id = lead_id or names.member(team_id, _text(row.get("lead"))) or \
        (members[0] if members else "")
    state = names.states.get(_fold(row.get("visit_state")), VisitState.PLANNED)
    return unit_id, team_id, start, list(dict.fromkeys(members)), lead_id, state


def _date(value: Any) -> date | Problem:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return parse_date_text(_text(value))
    except ValueError as exc:
        return Problem("", f"the visit date: {exc}", f"ngày kiểm tra: {exc}")


def _member_tokens(text: str) -> list[str]:
    for sep in ("\n", ";", ","):
        text = text.replace(sep, "\n")
    return [t.strip() for t in text.split("\n") if t.strip()]


def _strip_marks(token: str, marks: list[str]) -> str:
    for mark in marks:
        token = token.removesuffix(mark).strip()
    return token


def _index(items: Iterable[tuple[str, list[str | None]]]) -> dict[str, str]:
    """Folded id, name or label -> id (ids win over names; ambiguous names are left out)."""
    pairs = list(items)
    by_name: dict[str, set[str]] = {}
    for item_id, texts in pairs:
        for text in texts:
            if text:
                by_name.setdefault(_fold(text), set()).add(item_id)
    index = {name: next(iter(ids)) for name, ids in by_name.items() if len(ids) == 1}
    index.update({_fold(item_id): item_id for item_id, _ in pairs})
    return index


def _clock(value: Any) -> str | None:
    """A stated start time (HH:MM) orders a day's short visits; anything else is left out."""
    text = _text(value)
    return text if re.fullmatch(HHMM, text) else None


def _text(value: Any) -> str:
    return "" if value is None else unicodedata.normalize("NFC", str(value)).strip()


def _fold(value: Any) -> str:
    return " ".join(_text(value).casefold().split())
