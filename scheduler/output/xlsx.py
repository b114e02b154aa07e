"""The Excel workbook planners work in: the plan as a Vietnamese appendix, a sheet per team and
per member, and a summary. Dates are real Excel dates shown dd/mm/yyyy; every text cell goes
through ``safe_cell`` so that no cell can run a formula.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from models.calendar import format_vn
from models.documents import citations
from models.rules import RULES, describe
from models.scenario import Form, Member
from models.schedule import VisitState
from models.tables import safe_cell
from scheduler.output.headline import headline_rows, technical_rows
from scheduler.output.labels import labels
from scheduler.output.routes_sheet import add_routes_sheet
from scheduler.output.view import PlanView, Visit, missing_units
from scheduler.output.xlsx_print import fit_row_height, page_setup
from scheduler.output.xlsx_trips import trip_firsts, trip_suffix

DATE_FORMAT = "dd/mm/yyyy"
HEADER_ROW = 4  # title, legal basis, blank line, then the table header
# unit_id and visit_state let a planner's edited workbook be read back (scheduler/plan_import).
PLAN_COLUMNS = ("stt", "unit", "team", "start", "end", "report_due", "announce_by", "group",
                "notes", "visit_state", "unit_id")
# Narrow enough that the printed columns (all but the last two) fit A4 landscape at ~90 % scale;
# long names and groups wrap, and their rows are made tall enough (xlsx_print.fit_row_height).
WIDTHS = {"stt": 5, "unit": 34, "team": 14, "start": 12, "end": 11, "report_due": 11,
          "announce_by": 11, "group": 42, "notes": 18, "visit_state": 14, "unit_id": 14}
PRINTED_COLUMNS = len(PLAN_COLUMNS) - 2  # visit_state and unit_id are for reading the file back
WRAPPED = ("unit", "team", "group", "notes")
SUMMARY_WIDTHS = (52, 48, 16)
MEMBER_SHEETS_MAX = 12  # above this many members, a sheet each is left out unless asked for
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def workbook_bytes(plan: PlanView, lang: str = "vi", member_sheets: bool | None = None) -> bytes:
    """The whole workbook as .xlsx bytes (``member_sheets``: see ``build_workbook``)."""
    buffer = io.BytesIO()
    build_workbook(plan, lang, member_sheets).save(buffer)
    return buffer.getvalue()


def with_member_sheets(plan: PlanView, member_sheets: bool | None) -> bool:
    """A sheet per member when asked, or by default when the plan has at most
    ``MEMBER_SHEETS_MAX`` members (18 member sheets made 25 printed pages of mostly repeats)."""
    return len(plan.scenario.members) <= MEMBER_SHEETS_MAX if member_sheets is None else member_sheets


def build_workbook(plan: PlanView, lang: str = "vi", member_sheets: bool | None = None) -> Workbook:
    """The plan, routes, a sheet per team, per member (``member_sheets``; default: only for
    a plan of at most ``MEMBER_SHEETS_MAX`` members), and the summary."""
    text = labels(lang)
    wb = Workbook()
    wb.properties.creator = "kiemtra"
    wb.properties.title = safe_cell(plan.scenario.campaign.name)
    names = SheetNames()
    plan_sheet = wb.active
    plan_sheet.title = names.take(text["plan_sheet"])
    write_visit_table(plan_sheet, plan, plan.visits, text, subtitle=None, lang=lang)
    add_routes_sheet(lambda title: wb.create_sheet(names.take(title)), plan, lang)
    for team in plan.scenario.teams:
        ws = wb.create_sheet(names.take(team.name))
        write_visit_table(ws, plan, plan.team_visits(team.id), text, subtitle=team.name, lang=lang)
    members = with_member_sheets(plan, member_sheets)
    for member in plan.scenario.members if members else []:
        ws = wb.create_sheet(names.take(member.id))
        write_visit_table(ws, plan, plan.member_visits(member.id), text,
                          subtitle=f"{member.display_name} ({member.id})", member=member, lang=lang)
    write_summary(wb.create_sheet(names.take(text["summary_sheet"])), plan, text, lang, members)
    return wb


class SheetNames:
    """Excel sheet names: at most 31 characters, no []:*?/\\, unique ignoring case."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, wanted: str) -> str:
        base = _BAD_SHEET_CHARS.sub("-", wanted).strip("'").strip() or "Sheet"
        name, n = base[:31], 1
        while name.lower() in self.used:
            n += 1
            suffix = f" ({n})"
            name = base[: 31 - len(suffix)] + suffix
        self.used.add(name.lower())
        return name


# --- cells --------------------------------------------------------------------------------


def put(ws: Worksheet, row: int, col: int, value: Any, *, bold: bool = False,
        wrap: bool = False) -> None:
    """Write one cell: text neutralised, dates as real dates shown dd/mm/yyyy."""
    cell = ws.cell(row=row, column=col, value=safe_cell(value))
    if isinstance(value, date):
        cell.number_format = DATE_FORMAT
        cell.alignment = Alignment(horizontal="center", vertical="top")
    else:
        cell.alignment = Alignment(wrap_text=wrap, vertical="top")
    if bold:
        cell.font = Font(bold=True)


def header(ws: Worksheet, row: int, titles: Sequence[str]) -> None:
    for col, title in enumerate(titles, start=1):
        put(ws, row, col, title, bold=True, wrap=True)
        cell = ws.cell(row=row, column=col)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def set_widths(ws: Worksheet, widths: Iterable[float]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


# --- visit tables -------------------------------------------------------------------------


def group_text(visit: Visit, text: Mapping[str, str]) -> str:
    """The visiting group, one member a line, the lead first and marked."""
    lines = []
    for m in visit.members:
        mark = f" ({text['lead_mark']})" if m.id == visit.lead.id else ""
        lines.append(f"{m.display_name}{mark}")
    return "\n".join(lines)


def notes_text(plan: PlanView, visit: Visit, text: Mapping[str, str],
               member: Member | None = None) -> str:
    a = visit.assignment
    notes = []
    if plan.lanes.get(visit.team.id, 1) > 1:
        notes.append(f"{text['subteam']} {visit.lane + 1}")
    if a.form is Form.SURPRISE:
        notes.append(text["form.surprise"])
    if a.state is not VisitState.PLANNED:
        notes.append(text[f"state.{a.state.value}"])
    if member is not None and member.id == visit.lead.id:
        notes.append(text["lead_visit"])
    return "; ".join(notes)


def visit_row(plan: PlanView, number: int, visit: Visit, text: Mapping[str, str],
              member: Member | None) -> list[Any]:
    a = visit.assignment
    return [number, visit.unit.name, visit.team.name, a.start, a.end, a.report_due,
            a.announce_by, group_text(visit, text), notes_text(plan, visit, text, member),
            text[f"state.{a.state.value}"], a.unit_id]


def write_title(ws: Worksheet, plan: PlanView, text: Mapping[str, str],
                subtitle: str | None, lang: str) -> None:
    campaign = plan.scenario.campaign
    put(ws, 1, 1, f"{text['appendix_title']} – {campaign.name}", bold=True)
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    basis = text["appendix_basis"].format(basis=campaign.legal_basis[0].citation(lang)) \
        if campaign.legal_basis else ""
    put(ws, 2, 1, " – ".join(p for p in (subtitle, basis) if p))
    ws.cell(row=2, column=1).font = Font(italic=True)


def write_visit_table(ws: Worksheet, plan: PlanView, visits: list[Visit],
                      text: Mapping[str, str], subtitle: str | None,
                      member: Member | None = None, lang: str = "vi") -> None:
    write_title(ws, plan, text, subtitle, lang)
    header(ws, HEADER_ROW, [text[c] for c in PLAN_COLUMNS])
    widths = [WIDTHS[c] + (10 if c == "start" and any(v.start_time for v in visits) else 0)
              for c in PLAN_COLUMNS]
    fit_row_height(ws, HEADER_ROW, [(text[c], w) for c, w in zip(PLAN_COLUMNS, widths, strict=True)])
    firsts = trip_firsts(v.assignment for v in plan.visits)
    for number, visit in enumerate(visits, start=1):
        row = HEADER_ROW + number
        values = visit_row(plan, number, visit, text, member)
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value, wrap=PLAN_COLUMNS[col - 1] in WRAPPED)
            ws.cell(row=row, column=col).border = BORDER
        show_clock_time(ws.cell(row=row, column=PLAN_COLUMNS.index("start") + 1), visit,
                        trip_suffix(visit.assignment, firsts, text))
        fit_row_height(ws, row, [(str(value), widths[col]) for col, value in enumerate(values)
                                 if PLAN_COLUMNS[col] in WRAPPED and value])
    set_widths(ws, widths)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    last = HEADER_ROW + max(1, len(visits))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(PLAN_COLUMNS))}{last}"
    page_setup(ws, HEADER_ROW, get_column_letter(PRINTED_COLUMNS), last)


def show_clock_time(cell: Any, visit: Visit, trip: str = "") -> None:
    """A short visit's hours beside its date ("03/09/2025 08:45–11:45"), and its trip's first day
    (``scheduler.output.xlsx_trips``): a number format, so the cell stays a real date that
    plan_import reads back."""
    if visit.start_time and visit.end_time:
        cell.number_format = f'{DATE_FORMAT}" {visit.start_time}–{visit.end_time}{trip}"'


# --- summary ------------------------------------------------------------------------------


def summary_rows(plan: PlanView, text: Mapping[str, str], lang: str = "vi") -> list[tuple[str, Any]]:
    """The summary's first block, in a planner's words (the solver's figures come later)."""
    campaign = plan.scenario.campaign
    return [
        (text["campaign"], campaign.name),
        (text["legal_basis"], citations(campaign.legal_basis, lang)),
        (text["horizon"], f"{format_vn(campaign.horizon.start)} – "
                          f"{format_vn(campaign.horizon.end)}"),
        *headline_rows(plan, text, lang),
    ]


def write_summary(ws: Worksheet, plan: PlanView, text: Mapping[str, str], lang: str,
                  member_sheets: bool = True) -> None:
    """Planners' figures, loads and units left out first; the solver's figures last, under
    their own heading. Says so when the member sheets were left out."""
    header(ws, 1, [text["summary_sheet"], ""])
    pairs = summary_rows(plan, text, lang)
    if not member_sheets:
        pairs.append((text["member_sheets"], text["member_sheets_off"].format(
            n=len(plan.scenario.members), max=MEMBER_SHEETS_MAX)))
    row = write_pairs(ws, 2, pairs, text)
    row = write_block(ws, row + 1, [text["per_team"], text["visits"], text["visit_days"]],
                      team_load_rows(plan))
    row = write_block(ws, row + 1, [text["per_member"], text["team"], text["visit_days"]],
                      member_load_rows(plan))
    row = write_block(ws, row + 1, [text["unscheduled_title"], text["reason"]],
                      missing_units(plan, text["state.cancelled"]))
    header(ws, row + 1, [text["technical_details"], ""])
    row = write_pairs(ws, row + 2, technical_rows(plan, text), text)
    write_block(ws, row + 1, [text["rule"], text["penalty"]], term_rows(plan, lang))
    set_widths(ws, SUMMARY_WIDTHS)
    ws.freeze_panes = "A2"
    page_setup(ws, 1)


def write_pairs(ws: Worksheet, row: int, pairs: list[tuple[str, Any]],
                text: Mapping[str, str]) -> int:
    """Label and value a row each; returns the first free row after them."""
    for key, value in pairs:
        put(ws, row, 1, key, bold=True)
        put(ws, row, 2, value, wrap=True)
        fit_row_height(ws, row, [(str(value), SUMMARY_WIDTHS[1])])
        if key == text["gap"]:
            ws.cell(row=row, column=2).number_format = "0.00%"
        row += 1
    return row


def write_block(ws: Worksheet, row: int, titles: Sequence[str],
                rows: Iterable[Sequence[Any]]) -> int:
    """A small table; returns the first free row after it."""
    header(ws, row, titles)
    for values in rows:
        row += 1
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value, wrap=True)
        fit_row_height(ws, row, [(str(v), w) for v, w in zip(values, SUMMARY_WIDTHS, strict=False)])
    return row + 1


def term_rows(plan: PlanView, lang: str) -> list[tuple[str, int]]:
    terms = plan.schedule.solver.objective_terms
    return [(f"{rid} – {describe(rid, lang, plan.scenario.rules)}" if rid in RULES else rid, value)
            for rid, value in terms.items()]


def team_load_rows(plan: PlanView) -> list[tuple[str, int, int]]:
    rows = []
    for team in plan.scenario.teams:
        visits = plan.team_visits(team.id)
        rows.append((team.name, len(visits), sum(len(v.days) for v in visits)))
    return rows


def member_load_rows(plan: PlanView) -> list[tuple[str, str, int]]:
    return [(f"{m.display_name} ({m.id})", plan.scenario.team(m.team).name,
             sum(len(v.days) for v in plan.member_visits(m.id))) for m in plan.scenario.members]
