"""Stable rule ids and their wording in planners' terms.

The scheduler, the checker and every explanation name rules by these ids, so a violation found by
the checker and a conflict found by the solver read the same to a planner.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    id: str
    hard: bool
    text_vi: str
    text_en: str


RULES: dict[str, Rule] = {
    r.id: r
    for r in [
        Rule("H01-once", True, "Mỗi đơn vị được kiểm tra đúng một lần, bởi một đoàn",
             "Every unit is visited exactly once, by exactly one team (no duplicates)"),
        Rule("H02-window", True, "Kiểm tra trong ngày làm việc, trong thời gian dự kiến của đơn vị",
             "Visits fall on working days inside the unit's window, after it is available"),
        Rule("H03-team-formed", True, "Không kiểm tra trước ngày thành lập đoàn",
             "No visit before the team is formed"),
        Rule("H04-notice", True, "Đơn vị có đủ thời gian chuẩn bị và gửi báo cáo trước 5 ngày làm việc",
             "The report deadline leaves the unit its notice lead after the announcement"),
        Rule("H05-group-team", True, "Thành viên đi kiểm tra thuộc đoàn được giao",
             "The visiting group comes from the unit's team"),
        Rule("H06-lead", True, "Mỗi buổi kiểm tra có Trưởng đoàn, Phó trưởng đoàn hoặc tổ trưởng",
             "Every visit has the team leader, the deputy or a named sub-team lead"),
        Rule("H07-group-size", True, "Thành phần đoàn đủ số lượng tối thiểu",
             "The visiting group has at least the minimum size"),
        Rule("H08-agencies", True, "Thành phần đoàn có đại diện các cơ quan yêu cầu",
             "The visiting group covers the agencies the unit requires"),
        Rule("H09-conflict", True, "Không cử thành viên thuộc chính cơ quan được kiểm tra",
             "No member from the inspected unit's own agency (conflict of interest)"),
        Rule("H10-member-day", True, "Mỗi thành viên dự nhiều nhất một buổi kiểm tra mỗi ngày",
             "A member is on at most one visit a day"),
        Rule("H11-available", True, "Không cử thành viên vào ngày vắng mặt",
             "A member is never sent on a day they are unavailable"),
        Rule("H12-weekly", True, "Không vượt số buổi kiểm tra mỗi tuần của thành viên",
             "A member stays within their weekly limit of visit days"),
        Rule("H13-parallel", True, "Số tổ kiểm tra làm việc cùng ngày không vượt quy định",
             "A team runs at most its number of parallel sub-teams on a day"),
        Rule("H14-excluded", True, "Không kiểm tra vào ngày đơn vị đề nghị tránh",
             "No visit on a date the unit excluded"),
        Rule("H15-pinned-team", True, "Đơn vị được giao cố định cho một đoàn",
             "A unit pinned to a team is visited by that team"),
        Rule("S01-team-balance", False, "Cân đối số ngày kiểm tra giữa các đoàn",
             "Balance visit days between the teams"),
        Rule("S02-member-balance", False, "Cân đối số ngày kiểm tra giữa các thành viên",
             "Balance visit days between the members of each team"),
        Rule("S03-early", False, "Kiểm tra sớm trong thời gian dự kiến (dự phòng tái kiểm tra)",
             "Visit early in the window (slack for re-inspection)"),
        Rule("S04-preferred", False, "Ưu tiên ngày đơn vị đề xuất",
             "Honour the unit's preferred dates"),
        Rule("S05-agency-spread", False, "Dàn đều việc cử cán bộ của mỗi cơ quan theo tuần",
             "Spread each agency's draw on its members over the weeks"),
        Rule("S06-optional", False, "Đơn vị không bắt buộc nhưng chưa được xếp lịch",
             "An optional unit left unscheduled"),
        # Re-plan change costs: keep what was already announced to the units.
        Rule("R01-moved-announced", False, "Dời ngày hoặc đổi đoàn buổi kiểm tra đã thông báo",
             "An announced visit moved to another date or team"),
        Rule("R02-moved-planned", False, "Dời ngày hoặc đổi đoàn buổi kiểm tra dự kiến",
             "A planned (not yet announced) visit moved to another date or team"),
        Rule("R03-team-changed", False, "Đổi đoàn kiểm tra", "A visit given to another team"),
        Rule("R04-members-changed", False, "Thay đổi thành viên đoàn",
             "A member joins or leaves a visit's group"),
        Rule("R05-days-shifted", False, "Số ngày làm việc bị dời",
             "Working days a visit is shifted by"),
    ]
}

HARD_RULES = [r for r in RULES.values() if r.hard]
SOFT_RULES = [r for r in RULES.values() if not r.hard and r.id.startswith("S")]
CHANGE_RULES = [r for r in RULES.values() if r.id.startswith("R")]


def describe(rule_id: str, lang: str = "vi") -> str:
    rule = RULES[rule_id]
    return rule.text_vi if lang == "vi" else rule.text_en
