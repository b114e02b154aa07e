"""What the checker says, keyed by id, in Vietnamese (default) and English: the report of
``kiemtra check``, every violation of a hard rule, and the schedule's false claims about itself.

Registered in the catalogue of ``models/messages.py`` on import; ``scheduler/messages.py``
imports this module, so ``say`` and ``worded`` from there know these texts.
"""

from __future__ import annotations

from models.messages import register

_REPORT: dict[str, tuple[str, str]] = {
    # check (scheduler/check/checker.py)
    "check.head": ("{campaign}: đã rà soát {n} cuộc kiểm tra",
                   "{campaign}: {n} assignment(s) checked"),
    "check.other_version": ("cảnh báo: lịch được lập cho một phiên bản khác của kịch bản này "
                            "(sha256 khác)",
                            "warning: the schedule was made for another version of this "
                            "scenario (sha256 differs)"),
    "check.ok": ("ĐẠT: không quy tắc nào bị vi phạm.", "OK: no rule is broken."),
    "check.violations": ("{n} vi phạm của {rules} quy tắc:",
                         "{n} violation(s) of {rules} rule(s):"),
    "check.unit": ("đơn vị {id}", "unit {id}"),
    "check.unit_named": ("đơn vị {id} ({label})", "unit {id} ({label})"),
    "check.member": ("thành viên {id}", "member {id}"),
    "check.objective": ("giá trị mục tiêu (tính lại): {n}", "objective (recomputed): {n}"),
    "check.claimed": ("  (lịch ghi {n})", "  (the schedule says {n})"),
    "check.says": ("lịch ghi giá trị mục tiêu {n}: {verdict}",
                   "the schedule says objective {n}: {verdict}"),
    "check.matches": ("khớp", "matches"),
    "check.differs": ("lệch {n}", "differs by {n}"),
    # what a schedule claims about itself (scheduler/check/claims.py)
    "claim.cost": ("lịch ghi chi phí {said}, nhưng chi phí thực của kế hoạch là {real}",
                   "states cost {said}, but the plan costs {real}"),
    "claim.term": ("lịch ghi {rule} = {said}, nhưng kế hoạch cho {real}",
                   "states {rule} = {said}, but the plan gives {real}"),
    "claim.bound": ("lịch ghi cận dưới {bound}, lớn hơn chi phí {real} của chính kế hoạch: cận "
                    "dưới không thể vượt chi phí",
                    "states a lower bound of {bound}, above the plan's own cost {real}: no bound "
                    "can exceed a plan's cost"),
    "claim.optimal_gap": ("lịch ghi OPTIMAL, nhưng cận dưới {bound} khác chi phí {said}: chưa "
                          "chứng minh được là tối ưu",
                          "claims OPTIMAL, but its bound {bound} is not its cost {said}: "
                          "optimality is not proven"),
    "claim.optimal_no_bound": ("lịch ghi OPTIMAL mà không có cận dưới: chưa chứng minh được là "
                               "tối ưu",
                               "claims OPTIMAL without a bound: optimality is not proven"),
    "claim.no_plan": ("lịch ghi {status} (không có kế hoạch), nhưng lại liệt kê {n} cuộc kiểm tra",
                      "claims {status} (no plan), yet lists {n} visit(s)"),
}

_VIOLATIONS: dict[str, tuple[str, str]] = {
    "v.selection_short": (
        "nhóm chọn mẫu {name} ({id}) cần {wording_vi} đơn vị được kiểm tra nhưng chỉ có {n}",
        "selection {name} ({id}) needs {wording_en} of its units visited but has {n}"),
    "v.never_visited": (
        "{unit} không được kiểm tra lần nào",
        "{unit} is never visited"),
    "v.visited_n": (
        "{unit} được kiểm tra {n} lần",
        "{unit} is visited {n} times"),
    "v.unscheduled_wrong": (
        "'{unit}' được ghi là chưa xếp lịch nhưng đã có lịch kiểm tra hoặc không phải đơn vị của kịch bản",
        "'{unit}' is listed as unscheduled but is visited or is not a unit of the scenario"),
    "v.unknown_unit": (
        "đơn vị '{id}' không có trong kịch bản",
        "unit '{id}' is not in the scenario"),
    "v.unknown_team": (
        "đoàn '{id}' không có trong kịch bản",
        "team '{id}' is not in the scenario"),
    "v.unknown_member": (
        "thành viên '{id}' không có trong kịch bản",
        "member '{id}' is not in the scenario"),
    "v.not_working_day": (
        "{day} không phải ngày làm việc",
        "{day} is not a working day"),
    "v.before_earliest": (
        "bắt đầu {start}, trước ngày sớm nhất được kiểm tra {first}",
        "starts {start}, before the earliest visit date {first}"),
    "v.after_campaign": (
        "ngày kiểm tra cuối {day} sau ngày kết thúc đợt kiểm tra {last}",
        "last visit day {day} is after the campaign ends {last}"),
    "v.after_window": (
        "ngày kiểm tra cuối {day} sau ngày hết khoảng thời gian {last}",
        "last visit day {day} is after the window closes {last}"),
    "v.before_as_of": (
        "một cuộc còn phải lập lịch lại bắt đầu {start}, trước ngày lập lại kế hoạch {as_of}",
        "a visit still to plan starts {start}, before the re-plan date {as_of}"),
    "v.end_mismatch": (
        "ngày kết thúc {end} không khớp với cuộc kiểm tra {n} ngày từ {start} (kết thúc {last})",
        "end {end} does not match a {n}-day visit from {start} (ends {last})"),
    "v.before_formed": (
        "bắt đầu {start}, trước khi {team} được thành lập ngày {formed}",
        "starts {start}, before {team} was formed on {formed}"),
    "v.form": (
        "hình thức ghi '{form}' nhưng đơn vị thuộc hình thức '{unit_form}'",
        "form is '{form}' but the unit is '{unit_form}'"),
    "v.surprise_dates": (
        "kiểm tra đột xuất không có hạn gửi báo cáo và ngày thông báo",
        "a surprise visit has no report deadline nor announcement day"),
    "v.no_deadline": (
        "không tính được hạn gửi báo cáo: {why}",
        "no report deadline can be computed: {why}"),
    "v.due_wrong": (
        "hạn gửi báo cáo ghi {got}, đúng ra là {want}",
        "report due {got}, should be {want}"),
    "v.announce_wrong": (
        "thông báo trước ngày {got}, đúng ra là {want}",
        "announce by {got}, should be {want}"),
    "v.announce_late": (
        "phải thông báo trước ngày {announce}, nhưng không thể thông báo trước ngày {earliest}",
        "must be announced by {announce}, but no announcement is possible before {earliest}"),
    "v.other_team": (
        "{member} thuộc {team}, không thuộc {visit_team}",
        "{member} belongs to {team}, not {visit_team}"),
    "v.listed_n": (
        "{member} được ghi {n} lần",
        "{member} is listed {n} times"),
    "v.lead_outside": (
        "người chủ trì {lead} không có trong thành phần đoàn",
        "the lead {lead} is not in the group"),
    "v.may_not_lead": (
        "{lead} ({role}) không được chủ trì cuộc kiểm tra",
        "{lead} ({role}) may not lead a visit"),
    "v.no_agency": (
        "không có thành viên của {name} ({id})",
        "no member from {name} ({id})"),
    "v.conflict": (
        "{member} thuộc {agency}, chính cơ quan của đơn vị được kiểm tra",
        "{member} comes from {agency}, the inspected unit's own agency"),
    "v.same_day": (
        "tham gia {n} cuộc kiểm tra trong cùng một ngày: {units}",
        "on {n} visits the same day: {units}"),
    "v.unavailable": (
        "thành viên vắng mặt ngày đó",
        "the member is unavailable that day"),
    "v.weekly": (
        "{n} ngày kiểm tra trong tuần bắt đầu {week}, tối đa {limit}",
        "{n} visit days in the week of {week}, limit {limit}"),
    "v.parallel": (
        "{team} thực hiện {n} cuộc kiểm tra ({units}), tối đa {cap}",
        "{team} runs {n} visits ({units}), at most {cap}"),
    "v.excluded": (
        "đơn vị đã đề nghị tránh ngày này",
        "the unit excluded this date"),
    "v.pinned_team": (
        "do {team} kiểm tra, nhưng đơn vị được ghim cho {pinned}",
        "visited by {team}, but the unit is pinned to {pinned}"),
    "v.pinned_date": (
        "bắt đầu {start}, nhưng đơn vị được ghim vào ngày {pinned}",
        "starts {start}, but the unit is pinned to {pinned}"),
    "v.untimed": (
        "cuộc kiểm tra ngắn chưa có giờ bắt đầu, kết thúc",
        "a short visit without clock times"),
    "v.size_exact": (
        "{n} thành viên, đơn vị yêu cầu đúng {exact}",
        "{n} member(s), the unit asks for exactly {exact}"),
    "v.size_min": (
        "{n} thành viên, cần ít nhất {need}",
        "{n} member(s), at least {need} needed"),
    "v.leader_leads": (
        "đơn vị đề nghị Trưởng đoàn của {team} chủ trì; cuộc kiểm tra do {lead} chủ trì",
        "the unit asks for the Trưởng đoàn of {team} to lead; the visit is led by {lead}"),
}

_ROUTES: dict[str, tuple[str, str]] = {  # H16, H17 (scheduler/check/routes.py)
    "v.clock_on_whole_day": ("có giờ bắt đầu, kết thúc ở cuộc kiểm tra cả ngày",
                             "clock times on a whole-day visit"),
    "v.day_too_long": ("{visits} phút kiểm tra + {travel} phút đi và về trụ sở = {need} > {day} phút "
                       "làm việc trong ngày",
                       "{visits} minutes of visits + {travel} minutes' travel from and back to the "
                       "base = {need} > the day's {day} working minutes"),
    "v.times_differ": ("ghi {start}-{end}, lộ trình cho {route_start}-{route_end}",
                       "stated {start}-{end}, the route gives {route_start}-{route_end}"),
    "v.two_routes": ("đi {n} lộ trình trong cùng một ngày (đoàn, người chủ trì): {keys}",
                     "on {n} routes the same day (team, lead): {keys}"),
    "v.overlap": ("{first} đến {end} trùng giờ với {second} từ {start}",
                  "{first} until {end} overlaps {second} from {start}"),
}

_ROUTES.update({
    "v.day_no_layout": (
        "{visits} phút làm việc + {travel} phút đi từ trụ sở và về không xếp được vào các buổi làm "
        "việc (mỗi cuộc trong một buổi, giờ tròn theo lưới, về trụ sở trước khi hết ngày)",
        "{visits} minutes of visits + {travel} minutes' travel from and back to the base do not lay "
        "out in the working sessions (each visit inside one session, on the grid, home by the "
        "day's end)"),
    "v.unreadable_times": ("giờ không đọc được {start}-{end}", "unreadable times {start}-{end}"),
    "v.across_pause": ("{start}-{end} không nằm trọn trong một buổi làm việc (không kiểm tra "
                       "qua giờ nghỉ trưa)",
                       "{start}-{end} is not inside one working session (a visit never spans "
                       "the pause)"),
    "v.off_grid": ("bắt đầu lúc {start}, không theo lưới {grid} phút",
                   "starts at {start}, off the {grid}-minute grid"),
})
_VIOLATIONS.update({
    "v.after_fieldwork": ("ngày kiểm tra cuối {day} sau ngày kết thúc kiểm tra thực địa {last} "
                          "(campaign.fieldwork_ends)",
                          "last visit day {day} is after the end of field work {last} "
                          "(campaign.fieldwork_ends)"),
})
register(_REPORT)
register(_VIOLATIONS)
register(_ROUTES)
