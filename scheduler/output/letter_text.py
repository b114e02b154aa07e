"""The phrases of a notice that a chief would otherwise correct by hand (Nghị định 30/2020/NĐ-CP
layout; Kế hoạch 114/KH-UBND §II.2.1.a and §IV.1 for the report):

- whom it is addressed to: the body inspected, not the place ("Ủy ban nhân dân phường Hoàn Kiếm",
  not "Phường Hoàn Kiếm"), the head of a department ("Giám đốc Sở Y tế"), or the unit's own
  ``addressee``;
- the period under review, from the later of the plan's review start and the unit's birth (a
  commune-level unit exists from the 2025 rearrangement), naming the units it was formed from;
- the plan and the team's decision cited by number, date and issuer;
- "Nơi nhận": the unit ("Như trên"), the scenario's lines or the default ones, the archive.
"""

from __future__ import annotations

from datetime import date

from models.calendar import format_vn
from models.documents import citations
from models.scenario import Role, Scenario, Team, Unit, UnitKind

# The head of a body, by the first words of its name (longest first).
HEAD_TITLES = (
    ("Ban Quản lý", "Giám đốc"),
    ("Thanh tra", "Chánh"),
    ("Văn phòng", "Chánh"),
    ("Trung tâm", "Giám đốc"),
    ("Trường", "Hiệu trưởng"),
    ("Bệnh viện", "Giám đốc"),
    ("Viện", "Viện trưởng"),
    ("Sở", "Giám đốc"),
    ("Ban", "Trưởng"),
    ("Cục", "Cục trưởng"),
    ("Chi cục", "Chi cục trưởng"),
)
COMMUNE_WORDS = {UnitKind.COMMUNE: "xã", UnitKind.WARD: "phường", UnitKind.SPECIAL_ZONE: "đặc khu"}
PEOPLES_COMMITTEE = "Ủy ban nhân dân"
DEFAULT_SUPERIOR = "Ủy ban nhân dân Thành phố"
HOME_AFFAIRS = "Sở Nội vụ"


def inspected_body(unit: Unit) -> str:
    """The body inspected: a commune-level unit's People's Committee, else the unit itself."""
    word = COMMUNE_WORDS.get(unit.kind)
    if word is None:
        return unit.name
    name = unit.name
    if name.lower().startswith(word + " "):
        name = name[len(word) + 1:]
    elif name.lower().startswith(PEOPLES_COMMITTEE.lower()):
        return name
    return f"{PEOPLES_COMMITTEE} {word} {name}"


def addressee(unit: Unit) -> str:
    """Whom the notice is addressed to: the unit's own ``addressee``; a commune-level unit's
    People's Committee; the head of a department or public body ("Giám đốc Sở Y tế")."""
    if unit.addressee:
        return unit.addressee
    if unit.kind.is_commune_level:
        return inspected_body(unit)
    for head, title in sorted(HEAD_TITLES, key=lambda pair: -len(pair[0])):
        if unit.name.startswith(head + " ") or unit.name == head:
            return f"{title} {unit.name}"
    return f"Thủ trưởng {unit.name}"


def born_on(scenario: Scenario, unit: Unit) -> date | None:
    """The day a commune-level unit began to operate (the rearrangement), else None."""
    if unit.kind.is_commune_level:
        return scenario.rules.commune_level_from
    return None


def review_start(scenario: Scenario, unit: Unit, visit_year: int) -> date:
    """First day under review: the campaign's ``review_from`` (default 1 January of the visit's
    year), or the unit's birth when later."""
    start = scenario.campaign.review_from or date(visit_year, 1, 1)
    born = born_on(scenario, unit)
    return born if born is not None and born > start else start


def review_period(scenario: Scenario, unit: Unit, visit_year: int, lang: str) -> str:
    """"từ ngày 01/07/2025 (ngày ... bắt đầu hoạt động; trên cơ sở ...) đến thời điểm kiểm tra"."""
    vi = lang == "vi"
    start = review_start(scenario, unit, visit_year)
    text = f"từ ngày {format_vn(start)}" if vi else f"from {format_vn(start)}"
    if start == born_on(scenario, unit):
        note = ("ngày đơn vị bắt đầu hoạt động sau sắp xếp đơn vị hành chính" if vi
                else "the day the unit began to operate after the rearrangement")
        if unit.predecessors:
            names = ", ".join(unit.predecessors)
            note += f"; {'hình thành từ' if vi else 'formed from'} {names}"
        text += f" ({note})"
    return text + (" đến thời điểm kiểm tra" if vi else " to the day of the inspection")


def plan_citation(scenario: Scenario, lang: str) -> str:
    """The plan and what it rests on, each by number, date and issuer."""
    basis = scenario.campaign.legal_basis
    if basis:
        return citations(basis, lang).replace("; ", " và " if lang == "vi" else " and ")
    return "kế hoạch kiểm tra" if lang == "vi" else "the inspection plan"


def team_decision(team: Team, lang: str) -> str:
    """The decision forming the team, cited in full; a generic phrase when the scenario lacks it."""
    if team.decision is None:
        return "quyết định thành lập Đoàn kiểm tra" if lang == "vi" else "the decision forming the team"
    suffix = " về việc thành lập Đoàn kiểm tra" if lang == "vi" else " forming the inspection teams"
    return team.decision.citation(lang) + suffix


def report_template(scenario: Scenario, lang: str) -> str:
    named = scenario.campaign.report_template
    if named:
        return named
    return ("theo mẫu và đề cương báo cáo của Đoàn kiểm tra" if lang == "vi"
            else "using the team's report template and outline")


def superior(scenario: Scenario) -> str:
    """Who issued the plan (the first document's issuer), to whom a copy is reported."""
    issuers = [d.issuer for d in scenario.campaign.legal_basis if d.issuer]
    return issuers[0] if issuers else DEFAULT_SUPERIOR


def recipients(scenario: Scenario, team: Team, lang: str) -> list[str]:
    """"Nơi nhận": "Như trên" (the unit), the scenario's lines or the default ones, the archive."""
    vi = lang == "vi"
    middle = scenario.campaign.recipients
    if middle is None:
        middle = ([f"{superior(scenario)} (để báo cáo)", HOME_AFFAIRS, f"Thành viên {team.name}"] if vi
                  else [f"{superior(scenario)} (to report)", HOME_AFFAIRS, f"Members of {team.name}"])
    first, last = ("Như trên", "Lưu: VT.") if vi else ("As above", "Archive.")
    lines = [first, *middle]
    return [f"- {line.rstrip(';.')};" for line in lines] + [f"- {last}"]


def signer_name(scenario: Scenario, team: Team) -> str:
    """The team leader's name, when the scenario gives it (else the line is left to be written)."""
    leader = next((m for m in scenario.team_members(team.id) if m.role is Role.LEADER), None)
    return leader.name if leader is not None and leader.name else ""
