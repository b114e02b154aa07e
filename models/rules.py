"""Rules as code: every rule's one id, kind, wording and weight key, in one registry.

The model, the checker, the pre-checks, the explanations, greedy, the labels, re-planning and the
benchmarks name rules by ``RuleId`` members, never by typed strings, so a misspelt id fails at import
and a violation found by the checker reads the same to a planner as a conflict found by the solver.
``RuleId`` is a ``StrEnum``: its members are the stable ids written into schedule.json
(``"H08-agencies"``), and compare equal to them.

Wording carries the scenario's own numbers (``describe(RuleId.H04_NOTICE, "vi", scenario.rules)``
says "7 ngày làm việc" when the scenario asks for 7).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.scenario import Rules


class RuleKind(StrEnum):
    HARD = "hard"  # never broken
    SOFT = "soft"  # a weighted cost of the plan (Weights)
    CHANGE = "change"  # a weighted cost of changing an earlier plan (re-planning, ChangeCosts)


class RuleId(StrEnum):
    H01_ONCE = "H01-once"
    H02_WINDOW = "H02-window"
    H03_TEAM_FORMED = "H03-team-formed"
    H04_NOTICE = "H04-notice"
    H05_GROUP_TEAM = "H05-group-team"
    H06_LEAD = "H06-lead"
    H07_GROUP_SIZE = "H07-group-size"
    H08_AGENCIES = "H08-agencies"
    H09_CONFLICT = "H09-conflict"
    H10_MEMBER_DAY = "H10-member-day"
    H11_AVAILABLE = "H11-available"
    H12_WEEKLY = "H12-weekly"
    H13_PARALLEL = "H13-parallel"
    H14_EXCLUDED = "H14-excluded"
    H15_PINNED_TEAM = "H15-pinned-team"
    H16_DAY_HOURS = "H16-day-hours"
    H17_ONE_ROUTE = "H17-one-route"
    H18_LEADER_LEADS = "H18-leader-leads"
    H19_NOTICE_FORMED = "H19-notice-formed"
    H20_SELECTION = "H20-selection"
    S01_TEAM_BALANCE = "S01-team-balance"
    S02_MEMBER_BALANCE = "S02-member-balance"
    S03_EARLY = "S03-early"
    S04_PREFERRED = "S04-preferred"
    S05_AGENCY_SPREAD = "S05-agency-spread"
    S06_OPTIONAL = "S06-optional"
    S07_TRAVEL = "S07-travel"
    S08_TEAM_DAYS = "S08-team-days"
    S09_PACE = "S09-pace"
    S10_LEADER_LOAD = "S10-leader-load"
    S11_OUTSIDE_WINDOW = "S11-outside-window"
    S12_GROUP_MEMBERS = "S12-group-members"
    S13_SAMPLE_PRIORITY = "S13-sample-priority"
    S14_OVERNIGHT = "S14-overnight"
    R01_MOVED_ANNOUNCED = "R01-moved-announced"
    R02_MOVED_PLANNED = "R02-moved-planned"
    R03_TEAM_CHANGED = "R03-team-changed"
    R04_MEMBERS_CHANGED = "R04-members-changed"
    R05_DAYS_SHIFTED = "R05-days-shifted"


@dataclass(frozen=True)
class Rule:
    """One rule: its id, kind, wording (``{name}`` fields are filled from the scenario's
    ``rules``) and, for a cost, the name of its weight (a ``Weights`` or ``ChangeCosts`` field)."""

    id: RuleId
    kind: RuleKind
    text_vi: str
    text_en: str
    weight: str | None = None

    @property
    def hard(self) -> bool:
        return self.kind is RuleKind.HARD


def _hard(rid: RuleId, vi: str, en: str) -> Rule:
    return Rule(rid, RuleKind.HARD, vi, en)


def _soft(rid: RuleId, weight: str, vi: str, en: str) -> Rule:
    return Rule(rid, RuleKind.SOFT, vi, en, weight)


def _change(rid: RuleId, weight: str, vi: str, en: str) -> Rule:
    return Rule(rid, RuleKind.CHANGE, vi, en, weight)


R = RuleId
RULES: dict[RuleId, Rule] = {r.id: r for r in [
    _hard(R.H01_ONCE, "Mỗi đơn vị được kiểm tra đúng một lần, bởi một đoàn",
          "Every unit is visited exactly once, by exactly one team (no duplicates)"),
    _hard(R.H02_WINDOW, "Kiểm tra trong ngày làm việc, trong thời gian dự kiến của đơn vị, "
          "không sau ngày kết thúc kiểm tra thực tế",
          "Visits fall on working days inside the unit's window, after it is available, and not "
          "after field work ends"),
    _hard(R.H03_TEAM_FORMED, "Không kiểm tra trước ngày thành lập đoàn",
          "No visit before the team is formed"),
    _hard(R.H04_NOTICE,
          "Đơn vị được thông báo trước {notice_lead_days} ngày làm việc và gửi báo cáo trước "
          "{report_deadline_days} ngày làm việc",
          "The unit is told {notice_lead_days} working days before its report is due, "
          "{report_deadline_days} working days before the visit"),
    _hard(R.H05_GROUP_TEAM, "Thành viên đi kiểm tra thuộc đoàn được giao",
          "The visiting group comes from the unit's team"),
    _hard(R.H06_LEAD, "Mỗi buổi kiểm tra có Trưởng đoàn, Phó trưởng đoàn hoặc tổ trưởng",
          "Every visit has the team leader, the deputy or a named sub-team lead"),
    _hard(R.H07_GROUP_SIZE, "Thành phần đoàn có ít nhất {min_group_size} người (đúng số người "
          "đơn vị yêu cầu, nếu có)",
          "The visiting group has at least {min_group_size} members (exactly the unit's "
          "group_size where it sets one)"),
    _hard(R.H08_AGENCIES, "Thành phần đoàn có đại diện các cơ quan yêu cầu",
          "The visiting group covers the agencies the unit requires"),
    _hard(R.H09_CONFLICT, "Không cử thành viên thuộc chính cơ quan được kiểm tra",
          "No member from the inspected unit's own agency (conflict of interest)"),
    _hard(R.H10_MEMBER_DAY, "Mỗi thành viên dự nhiều nhất một buổi kiểm tra mỗi ngày",
          "A member is on at most one visit a day"),
    _hard(R.H11_AVAILABLE, "Không cử thành viên vào ngày vắng mặt",
          "A member is never sent on a day they are unavailable"),
    _hard(R.H12_WEEKLY, "Không vượt số buổi kiểm tra mỗi tuần của thành viên",
          "A member stays within their weekly limit of visit days"),
    _hard(R.H13_PARALLEL, "Số tổ kiểm tra làm việc cùng ngày không vượt quy định",
          "A team runs at most its number of parallel sub-teams on a day"),
    _hard(R.H14_EXCLUDED, "Không kiểm tra vào ngày đơn vị đề nghị tránh",
          "No visit on a date the unit excluded"),
    _hard(R.H15_PINNED_TEAM, "Đơn vị được giao cố định cho một đoàn (hoặc một ngày)",
          "A unit pinned to a team (or a date) is visited by that team (on that day)"),
    _hard(R.H16_DAY_HOURS, "Các buổi làm việc trong ngày cùng thời gian đi lại (đi và về trụ sở) "
          "nằm trong giờ làm việc",
          "A team-day's visits plus travel from and back to the base fit the working hours"),
    _hard(R.H17_ONE_ROUTE, "Mỗi thành viên chỉ đi một tuyến kiểm tra mỗi ngày, các buổi không chồng giờ",
          "A member is on one team-day route at a time: same team and lead, no overlapping times"),
    _hard(R.H18_LEADER_LEADS, "Trưởng đoàn trực tiếp đi kiểm tra đơn vị yêu cầu Trưởng đoàn dẫn đoàn",
          "The Trưởng đoàn himself goes on the visit of a unit that asks for it (led_by_leader)"),
    _hard(R.H19_NOTICE_FORMED, "Đoàn gửi thông báo đầu tiên sau ngày thành lập ít nhất "
          "{notice_after_formation_days} ngày làm việc (Trưởng đoàn xây dựng lịch trước)",
          "A team's first notice goes out at least {notice_after_formation_days} working days after "
          "the team is formed (the Trưởng đoàn first draws up the schedule)"),
    _hard(R.H20_SELECTION, "Mỗi nhóm chọn mẫu được kiểm tra ít nhất số đơn vị (hoặc tỷ lệ %) đã "
          "định; đơn vị bắt buộc trong nhóm được tính",
          "Every selection has at least its number (or share in %) of units visited; its "
          "required units count"),
    _soft(R.S01_TEAM_BALANCE, "team_balance", "Cân đối số ngày kiểm tra giữa các đoàn",
          "Balance visit days between the teams"),
    _soft(R.S02_MEMBER_BALANCE, "member_balance", "Cân đối số ngày kiểm tra giữa các thành viên",
          "Balance visit days between the members of each team"),
    _soft(R.S03_EARLY, "early", "Kiểm tra sớm trong thời gian dự kiến (dự phòng tái kiểm tra)",
          "Visit early in the window (slack for re-inspection)"),
    _soft(R.S04_PREFERRED, "preferred_dates", "Ưu tiên ngày đơn vị đề xuất",
          "Honour the unit's preferred dates"),
    _soft(R.S05_AGENCY_SPREAD, "agency_spread", "Dàn đều việc cử cán bộ của mỗi cơ quan theo tuần",
          "Spread each agency's draw on its members over the weeks"),
    _soft(R.S06_OPTIONAL, "unscheduled_optional",
          "Đơn vị không bắt buộc (ngoài các nhóm chọn mẫu) nhưng chưa được xếp lịch",
          "An optional unit outside every selection left unscheduled"),
    _soft(R.S07_TRAVEL, "travel", "Thời gian đi lại của các tuyến kiểm tra (phút, cả đường về)",
          "Travel minutes of the day routes, the way back included"),
    _soft(R.S08_TEAM_DAYS, "team_days", "Số ngày làm việc của các đoàn", "Team-days used"),
    _soft(R.S09_PACE, "pace", "Dàn đều nhịp kiểm tra trong thời gian dự kiến (không dồn vào đầu kỳ)",
          "An even pace over each window, not everything in its first weeks"),
    _soft(R.S10_LEADER_LOAD, "leader_load",
          "Số ngày kiểm tra mỗi tuần của Trưởng đoàn vượt quá {leader_days_per_week} ngày",
          "A Trưởng đoàn's visit days in a week above {leader_days_per_week}"),
    _soft(R.S11_OUTSIDE_WINDOW, "outside_window",
          "Số ngày làm việc kiểm tra ngoài thời gian dự kiến (cửa sổ không bắt buộc)",
          "Working days a visit lies outside its expected (non-binding) window"),
    _soft(R.S12_GROUP_MEMBERS, "group_members",
          "Thành viên vắng khi cả đoàn đi kiểm tra, hoặc cử thêm quá số tối thiểu (mỗi người, mỗi ngày)",
          "Members excused from a whole-team visit, or sent above the minimum (per member-day)"),
    _soft(R.S13_SAMPLE_PRIORITY, "sample_priority",
          "Đơn vị chọn mẫu không được kiểm tra, theo mức ưu tiên (mỗi điểm ưu tiên)",
          "An optional unit of a selection left out, per point of its priority"),
    _soft(R.S14_OVERNIGHT, "overnight", "Số đêm đoàn nghỉ lại trên các chuyến công tác nhiều ngày",
          "Nights a team spends away on trips of several days"),
    # Re-plan change costs: keep what was already announced to the units.
    _change(R.R01_MOVED_ANNOUNCED, "announced_moved",
            "Dời ngày hoặc đổi đoàn buổi kiểm tra đã thông báo",
            "An announced visit moved to another date or team"),
    _change(R.R02_MOVED_PLANNED, "planned_moved", "Dời ngày hoặc đổi đoàn buổi kiểm tra dự kiến",
            "A planned (not yet announced) visit moved to another date or team"),
    # R03 is priced by announced_team for an announced visit, planned_team for a planned one.
    _change(R.R03_TEAM_CHANGED, "planned_team", "Đổi đoàn kiểm tra", "A visit given to another team"),
    _change(R.R04_MEMBERS_CHANGED, "member_changed", "Thay đổi thành viên đoàn",
            "A member joins or leaves a visit's group"),
    _change(R.R05_DAYS_SHIFTED, "per_day_shifted", "Số ngày làm việc bị dời",
            "Working days a visit is shifted by"),
]}
del R

HARD_RULES = [r for r in RULES.values() if r.kind is RuleKind.HARD]
SOFT_RULES = [r for r in RULES.values() if r.kind is RuleKind.SOFT]
CHANGE_RULES = [r for r in RULES.values() if r.kind is RuleKind.CHANGE]


def rule_id(text: str) -> RuleId:
    """The rule with this id (``"H08-agencies"``); ValueError naming the known ids otherwise."""
    try:
        return RuleId(text)
    except ValueError:
        raise ValueError(f"unknown rule id {text!r}; known: "
                         f"{', '.join(r.value for r in RuleId)}") from None


def describe(rule: str, lang: str = "vi", rules: Rules | None = None) -> str:
    """The rule's wording in ``lang`` with the scenario's numbers (defaults when ``rules`` is
    None); an unknown id is returned as it is, so a foreign schedule still prints."""
    if rule not in RULES:
        return str(rule)
    entry = RULES[RuleId(rule)]
    text = entry.text_vi if lang == "vi" else entry.text_en
    return text.format(**_numbers(rules))


def _numbers(rules: Rules | None) -> dict[str, object]:
    if rules is None:
        from models.scenario import Rules as Defaults

        rules = Defaults()
    # A number the scenario leaves unset (no cap) reads as "n" rather than "None".
    return {k: ("n" if v is None else v) for k, v in rules.model_dump().items()}
