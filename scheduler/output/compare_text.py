"""The words of the plan comparison, in Vietnamese (default) and English.

Shared words (statuses of visits, "Trạng thái"…) come from ``labels``; only the comparison's own
are here, so the shared table stays one lookup and this one moves with the comparison.
"""

from __future__ import annotations

from models.schedule import Status
from scheduler.output.labels import check_lang, labels

STATUS_WORDS: dict[str, dict[Status, str]] = {
    "vi": {Status.OPTIMAL: "tối ưu (đã chứng minh)", Status.FEASIBLE: "khả thi",
           Status.INFEASIBLE: "không có lịch thỏa mọi quy tắc",
           Status.UNKNOWN: "chưa có lịch đầy đủ"},
    "en": {Status.OPTIMAL: "optimal (proven)", Status.FEASIBLE: "feasible, not proven optimal",
           Status.INFEASIBLE: "infeasible: no plan meets every rule",
           Status.UNKNOWN: "unknown: no complete plan"},
}

# Words only this comparison uses; the shared ones come from ``labels``.
COMPARE_TEXT: dict[str, dict[str, str]] = {
    "vi": {
        "title": "So sánh phương án lịch kiểm tra", "figure": "Chỉ tiêu",
        "section.result": "Kết quả và điểm phạt", "section.coverage": "Đơn vị được kiểm tra",
        "section.timing": "Thời gian", "section.workload": "Khối lượng công việc và cân đối",
        "section.travel": "Di chuyển", "section.states": "Tình trạng các cuộc kiểm tra",
        "units_in_scenario": "Số đơn vị trong kịch bản", "units_planned": "Đơn vị đã xếp lịch",
        "visits_planned": "Dự kiến (chưa thông báo)", "visits_announced": "Đã thông báo cho đơn vị",
        "visits_done": "Đã kiểm tra xong",
        "cost": "Tổng điểm phạt (chi phí)", "term": "Điểm phạt", "left_out": "Đơn vị bị bỏ ra",
        "cancelled": "Đơn vị đã hủy (sáp nhập, chia tách, rút khỏi đợt)",
        "left_out_which": "Đơn vị bị bỏ ra (tên)", "team_days": "Ngày làm việc của đoàn (đoàn × ngày)",
        "member_days": "Ngày công thành viên (người × ngày)", "first": "Buổi kiểm tra đầu tiên",
        "last": "Buổi kiểm tra cuối cùng", "weeks": "Số tuần có kiểm tra",
        "busiest": "Tuần nhiều nhất (số cuộc, tuần từ)", "visits_of": "Số cuộc kiểm tra – {team}",
        "team_balance": "Chênh lệch giữa các đoàn (số cuộc, lớn nhất − nhỏ nhất)",
        "member_balance": "Chênh lệch ngày công trong đoàn (cộng các đoàn)",
        "leader_week": "Trưởng/phó đoàn: số ngày nhiều nhất trong một tuần",
        "travel_min": "Thời gian di chuyển (phút)", "travel_km": "Quãng đường di chuyển (km)",
        "outside": "Nới quy tắc: ngày ngoài thời gian dự kiến", "week_of": "tuần từ {day}",
        "chart": "Số cuộc kiểm tra mỗi tuần", "week": "Tuần (từ thứ Hai)",
        "best_note": "Chữ đậm: giá trị tốt nhất của hàng khi các phương án khác nhau.",
    },
    "en": {
        "title": "Plan comparison", "figure": "Figure",
        "section.result": "Result and penalties", "section.coverage": "Inspected units",
        "section.timing": "Timing", "section.workload": "Workload and balance",
        "section.travel": "Travel", "section.states": "Where the visits stand",
        "units_in_scenario": "Units in the scenario", "units_planned": "Units scheduled",
        "visits_planned": "Planned (not yet announced)", "visits_announced": "Announced to the unit",
        "visits_done": "Done",
        "cost": "Total cost (penalty)", "term": "Penalty", "left_out": "Units left out",
        "cancelled": "Units cancelled (merged, split, removed)",
        "left_out_which": "Units left out (names)", "team_days": "Team-days used (team × date)",
        "member_days": "Member-days (members × days)", "first": "Earliest visit",
        "last": "Latest visit", "weeks": "Weeks with a visit",
        "busiest": "Busiest week (visits, week of)", "visits_of": "Visits – {team}",
        "team_balance": "Visits between teams (max − min)",
        "member_balance": "Member-days inside each team (max − min, summed)",
        "leader_week": "Leaders and deputies: most days in one week",
        "travel_min": "Travel (minutes)", "travel_km": "Travel (km)",
        "outside": "Rules relaxed: days outside an expected window", "week_of": "week of {day}",
        "chart": "Visits per week", "week": "Week (from Monday)",
        "best_note": "Bold: the row's best value where the plans differ.",
    },
}


def text_for(lang: str) -> dict[str, str]:
    """Shared labels plus this module's own words, in ``lang``."""
    return {**labels(lang), **COMPARE_TEXT[check_lang(lang)]}
