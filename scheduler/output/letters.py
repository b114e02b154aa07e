"""Notice letters (thông báo lịch kiểm tra): one Word file per inspected unit, and all in one.

Each planned visit gets a notice filled from a template (the default one of
``letter_template.py`` or a planner's own .docx): the unit, the visit date and weekday, the time
when the assignment has one, the report deadline, the visiting group, the contact. Surprise
visits are never announced and cancelled visits do not happen, so neither gets a letter; visits
already done get none either. Nothing here solves: the letters are drawn from a PlanView.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from models.calendar import format_clock_vn, format_vn
from models.scenario import Form, Member, Role
from models.schedule import Assignment, VisitState
from scheduler.output import commit_files
from scheduler.output.docx_fill import (
    TemplateError,
    check_placeholders,
    docx_bytes,
    fill_document,
    join_documents,
    open_docx,
)
from scheduler.output.labels import check_lang, clock_range, labels, weekday_name
from scheduler.output.letter_template import cancellation_template_bytes, default_template_bytes
from scheduler.output.letter_text import (
    addressee,
    inspected_body,
    plan_citation,
    recipients,
    report_template,
    review_period,
    signer_name,
    team_decision,
)
from scheduler.output.view import PlanView, Visit

PREFIX = "thong-bao-"
CANCEL_PREFIX = "huy-lich-"
COMBINED_NAME = "thong-bao-tat-ca.docx"
_SLUG_MAX = 60
BLANK = "……………"  # what a planner fills in by hand when the scenario does not say

# Every placeholder a template may use, with what it becomes (README lists them too).
PLACEHOLDERS: dict[str, str] = {
    "co_quan_chu_quan": "issuing authority, upper case (--issuer; dots when not given)",
    "doan": "team name, e.g. Đoàn kiểm tra số 1",
    "doan_in_hoa": "team name in upper case",
    "dia_danh": "place of issue in the date line (--place; dots when not given)",
    "nam": "year of the visit",
    "cuoc_kiem_tra": "campaign name",
    "can_cu": "the plan by number, date and issuer, e.g. Kế hoạch số 114/KH-UBND ngày 23/4/2025 "
              "của Ủy ban nhân dân Thành phố",
    "quyet_dinh_doan": "the decision forming the team by number, date and issuer",
    "don_vi": "inspected unit's name",
    "kinh_gui": "addressee: the unit's addressee, else by kind (Ủy ban nhân dân phường …, Giám đốc Sở …)",
    "co_quan": "the body inspected (Ủy ban nhân dân phường … for a ward, else the unit's name)",
    "ky_kiem_tra": "period under review: from the later of the plan's start and the unit's birth",
    "mau_bao_cao": "where the report template and outline are set (campaign.report_template)",
    "noi_nhan": "the Nơi nhận lines, one a line",
    "nguoi_ky": "the signer's (team leader's) name, empty when not given",
    "dia_diem": "unit's address, else its premises",
    "ngay_kiem_tra": "visit date dd/mm/yyyy (first – last day for a visit of several days)",
    "thu": "weekday of the visit, e.g. Thứ Hai",
    "gio": "visit hours HH:MM – HH:MM when the assignment has them, else empty",
    "thoi_gian": "time, weekday and date in one phrase",
    "so_ngay": "visit length in working days",
    "han_bao_cao": "report deadline dd/mm/yyyy",
    "thu_han_bao_cao": "weekday of the report deadline",
    "so_ngay_bao_cao": "working days between the report deadline and the visit",
    "thong_bao_truoc": "latest announcement day dd/mm/yyyy",
    "thanh_vien": "the visiting group, one line per member",
    "chu_tri": "who leads the visit",
    "truong_doan": "the team leader",
    "lien_he": "contact: the team's secretary, else the visit's lead",
    "tv_stt": "member row: number (repeats its table row once per member)",
    "tv_ten": "member row: member",
    "tv_vai_tro": "member row: role",
    "tv_co_quan": "member row: agency",
}


@dataclass(frozen=True)
class LetterOptions:
    lang: str = "vi"
    issuer: str | None = None  # cơ quan chủ quản, top-left line 1
    place: str | None = None  # địa danh of the date line


@dataclass
class Letters:
    """File name -> .docx bytes (one per unit and the combined file), and the units left out."""

    files: dict[str, bytes] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (unit id, why)

    @property
    def unit_files(self) -> dict[str, bytes]:
        return {name: data for name, data in self.files.items() if name != COMBINED_NAME}


def build_letters(plan: PlanView, template: bytes | None = None,
                  options: LetterOptions | None = None,
                  units: Collection[str] | None = None) -> Letters:
    """Every notice of ``plan`` filled from ``template`` (default: the built-in one); with
    ``units``, only the notices of those units (the ones a re-plan must tell).

    TemplateError when the template is not a .docx or uses a placeholder we do not know.
    """
    options = options or LetterOptions()
    check_lang(options.lang)
    template = template if template is not None else default_template_bytes(options.lang)
    check_placeholders(open_docx(template), list(PLACEHOLDERS))
    chosen = [v for v in plan.visits if units is None or v.unit.id in units]
    result = Letters(skipped=skipped_visits(plan, options.lang) if units is None else [])
    to_announce = [v for v in chosen if announced_by_letter(v)]
    names = letter_file_names([v.unit.id for v in to_announce])
    for visit in to_announce:
        result.files[names[visit.unit.id]] = fill_letter(template, plan, visit, options)
    if to_announce:
        result.files[COMBINED_NAME] = join_documents(list(result.files.values()))
    return result


def cancellation_letters(plan: PlanView, withdrawn: Sequence[tuple[Assignment, str, str]],
                         options: LetterOptions | None = None) -> dict[str, bytes]:
    """File name -> .docx withdrawing each announced visit of ``withdrawn`` (the visit, the
    unit's name, the reason), named ``huy-lich-<unit>.docx``."""
    options = options or LetterOptions()
    template = cancellation_template_bytes(options.lang)
    names = {uid: name.replace(PREFIX, CANCEL_PREFIX, 1)
             for uid, name in letter_file_names([a.unit_id for a, _, _ in withdrawn]).items()}
    files = {}
    for a, unit_name, why in withdrawn:
        doc = open_docx(template)
        fill_document(doc, cancellation_values(plan, a, unit_name, why, options))
        files[names[a.unit_id]] = docx_bytes(doc)
    return files


def cancellation_values(plan: PlanView, a: Assignment, unit_name: str, why: str,
                        options: LetterOptions) -> dict[str, str]:
    scenario, lang = plan.scenario, options.lang
    campaign = scenario.campaign
    team = next((t for t in scenario.teams if t.id == a.team_id), None)
    team_name = team.name if team is not None else a.team_id
    issuer = options.issuer or getattr(campaign, "issuer", None)
    return {
        "co_quan_chu_quan": issuer.upper() if issuer else BLANK, "doan": team_name,
        "doan_in_hoa": team_name.upper(), "dia_danh": options.place or getattr(campaign, "place", None)
        or BLANK, "nam": str(a.start.year), "cuoc_kiem_tra": campaign.name,
        "can_cu": plan_citation(scenario, lang),
        "don_vi": unit_name, "ly_do": why,
        "ngay_kiem_tra": format_vn(a.start) if a.start == a.end
        else f"{format_vn(a.start)} – {format_vn(a.end)}",
        "noi_nhan": "\n".join(recipients(scenario, team, lang)) if team is not None else BLANK,
        "nguoi_ky": signer_name(scenario, team) if team is not None else "",
    }


def announced_by_letter(visit: Visit) -> bool:
    return visit.assignment.form is Form.PLANNED and visit.assignment.state is not VisitState.DONE


def skipped_visits(plan: PlanView, lang: str) -> list[tuple[str, str]]:
    """(unit id, reason) of the visits that get no letter."""
    text = labels(lang)
    skipped = [(v.unit.id, text["form.surprise"] if v.assignment.form is Form.SURPRISE
                else text["state.done"]) for v in plan.visits if not announced_by_letter(v)]
    skipped += [(a.unit_id, text["state.cancelled"]) for a in plan.cancelled()]
    return skipped


def fill_letter(template: bytes, plan: PlanView, visit: Visit, options: LetterOptions) -> bytes:
    doc = open_docx(template)
    fill_document(doc, letter_values(plan, visit, options), member_rows(plan, visit, options.lang))
    return docx_bytes(doc)


def letter_values(plan: PlanView, visit: Visit, options: LetterOptions) -> dict[str, str]:
    """The value of every placeholder but the member-row ones, for one visit."""
    lang, a, campaign, scenario = options.lang, visit.assignment, plan.scenario.campaign, plan.scenario
    vi = lang == "vi"
    issuer = options.issuer or getattr(campaign, "issuer", None)
    place = options.place or getattr(campaign, "place", None)
    due = a.report_due
    values = {
        "co_quan_chu_quan": issuer.upper() if issuer else BLANK,
        "doan": visit.team.name,
        "doan_in_hoa": visit.team.name.upper(),
        "dia_danh": place or BLANK,
        "nam": str(a.start.year),
        "cuoc_kiem_tra": campaign.name,
        "can_cu": plan_citation(scenario, lang),
        "quyet_dinh_doan": team_decision(visit.team, lang),
        "don_vi": visit.unit.name,
        "kinh_gui": addressee(visit.unit),
        "co_quan": inspected_body(visit.unit),
        "ky_kiem_tra": review_period(scenario, visit.unit, a.start.year, lang),
        "mau_bao_cao": report_template(scenario, lang),
        "noi_nhan": "\n".join(recipients(scenario, visit.team, lang)),
        "nguoi_ky": signer_name(scenario, visit.team),
        "dia_diem": visit.unit.address or (f"trụ sở {inspected_body(visit.unit)}" if vi
                                           else f"the premises of {inspected_body(visit.unit)}"),
        "ngay_kiem_tra": _date_span(visit),
        "thu": " – ".join(dict.fromkeys(weekday_name(d, lang) for d in (a.start, a.end))),
        "gio": visit_hours(visit, lang),
        "thoi_gian": visit_phrase(visit, lang),
        "so_ngay": str(len(visit.days)),
        "han_bao_cao": format_vn(due) if due else "",
        "thu_han_bao_cao": weekday_name(due, lang) if due else "",
        "so_ngay_bao_cao": f"{plan.scenario.rules.report_deadline_days:02d}",
        "thong_bao_truoc": format_vn(a.announce_by) if a.announce_by else "",
        "chu_tri": visit.lead.display_name,
        "truong_doan": _team_role(plan, visit, Role.LEADER, visit.lead).display_name,
        "lien_he": _team_role(plan, visit, Role.SECRETARY, visit.lead).display_name,
    }
    rows = member_rows(plan, visit, lang)
    values["thanh_vien"] = "\n".join(f"{r['tv_stt']}. {r['tv_ten']} ({r['tv_vai_tro']})" for r in rows)
    return values


def member_rows(plan: PlanView, visit: Visit, lang: str) -> list[dict[str, str]]:
    """One row of member placeholders per member of the visiting group, lead first."""
    text = labels(lang)
    rows = []
    for number, member in enumerate(visit.members, start=1):
        role = text[f"role.{member.role.value}"]
        if member.id == visit.lead.id:
            role += f" ({text['lead_mark']})"
        rows.append({"tv_stt": str(number), "tv_ten": member.display_name, "tv_vai_tro": role,
                     "tv_co_quan": plan.scenario.agency_name(member.agency)})
    return rows


def _team_role(plan: PlanView, visit: Visit, role: Role, fallback: Member) -> Member:
    return next((m for m in plan.scenario.team_members(visit.team.id) if m.role is role), fallback)


def _date_span(visit: Visit) -> str:
    a = visit.assignment
    return format_vn(a.start) if a.start == a.end else f"{format_vn(a.start)} – {format_vn(a.end)}"


def visit_hours(visit: Visit, lang: str = "vi") -> str:
    """"từ 8 giờ 00 đến 11 giờ 00" (English "08:00 – 11:00") from the assignment's optional
    start_time/end_time, else empty."""
    start = getattr(visit.assignment, "start_time", None)
    end = getattr(visit.assignment, "end_time", None)
    if start is None:
        return ""
    if end is None:
        return format_clock_vn(_hhmm(start), lang)
    return clock_range(_hhmm(start), _hhmm(end), lang)


def _hhmm(value: object) -> str:
    """A time or an "HH:MM" text (the field's type is not fixed yet)."""
    return value.strftime("%H:%M") if isinstance(value, time | datetime) else str(value)


def visit_phrase(visit: Visit, lang: str) -> str:
    """E.g. "từ 8 giờ 00 đến 11 giờ 30, Thứ Hai, ngày 16/06/2025", or "từ Thứ Hai, ngày … đến …"."""
    a = visit.assignment
    vi = lang == "vi"

    def day(d: date) -> str:
        return f"{weekday_name(d, lang)}, {'ngày ' if vi else ''}{format_vn(d)}"

    hours = visit_hours(visit, lang)
    if a.start == a.end:
        phrase = day(a.start)
    else:
        phrase = f"từ {day(a.start)} đến {day(a.end)}" if vi else f"from {day(a.start)} to {day(a.end)}"
        phrase += f" ({len(visit.days)} {'ngày làm việc' if vi else 'working days'})"
    return f"{hours}, {phrase}" if hours else phrase


# --- file names ------------------------------------------------------------------------------


def slug(unit_id: str) -> str:
    """ASCII letters, digits, '.', '_' and '-' only; no leading dot (hidden files), bounded length."""
    ascii_text = unicodedata.normalize("NFKD", unit_id.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(c for c in ascii_text if not unicodedata.combining(c))
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_text).strip("._-")
    return cleaned[:_SLUG_MAX] or "don-vi"


def letter_file_names(unit_ids: list[str]) -> dict[str, str]:
    """Unit id -> file name, unique even for ids that clean to the same text ("A/B", "A_B") or
    differ only in case (case-insensitive file systems); a clash adds a digest of the id."""
    names = {uid: f"{PREFIX}{slug(uid)}.docx" for uid in unit_ids}
    counts = Counter(name.lower() for name in names.values())
    counts[COMBINED_NAME] += 1
    for uid, name in names.items():
        if counts[name.lower()] > 1:
            digest = hashlib.sha256(uid.encode("utf-8")).hexdigest()[:8]
            names[uid] = f"{PREFIX}{slug(uid)}-{digest}.docx"
    return names


# --- writing ---------------------------------------------------------------------------------


def write_letters(letters: Letters, out_dir: Path) -> list[Path]:
    """Write the letters as the folder's whole set: a letter of an earlier run whose unit gets
    none now goes with the old set (its manifest listed it), so a cancelled visit's notice
    cannot be sent by mistake; any other file, a signed copy say, is the planner's and stays."""
    return commit_files(letters.files, out_dir)


__all__ = ["LetterOptions", "Letters", "TemplateError", "build_letters", "write_letters"]
