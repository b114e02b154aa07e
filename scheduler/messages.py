"""What the commands say, keyed by id, in Vietnamese (default) and English.

The lookup and the models' own texts are in ``models/messages.py``; ``--help`` texts are in
``scheduler/output/help_texts.py``. Importing this module registers its texts, so code that
words a message imports ``say`` from here.
"""

from __future__ import annotations

import re

from models import check_messages as _check_texts  # noqa: F401  (registers the checker's texts)
from models.messages import register, say, worded

__all__ = ["phase_name", "say", "why_text", "worded"]

# The re-planner's neighbourhoods (scheduler/replan/run.py names them in English), in Vietnamese.
_PHASES = (
    (r"broken visits only", "chỉ các cuộc bị ảnh hưởng"),
    (r"broken visits, and the groups of visits within (\d+) working days",
     "các cuộc bị ảnh hưởng, và thành phần đoàn của các cuộc trong vòng {0} ngày làm việc"),
    (r"broken visits and the planned visits within (\d+) working days may move",
     "các cuộc bị ảnh hưởng, và các cuộc dự kiến trong vòng {0} ngày làm việc được dời"),
    (r"all planned visits may move", "mọi cuộc dự kiến đều được dời"),
    (r"every visit not yet done may move", "mọi cuộc chưa thực hiện đều được dời"),
)


def phase_name(name: str, lang: str = "vi") -> str:
    """A re-plan phase's name in ``lang`` (an unknown name is shown as it is)."""
    if lang == "en":
        return name
    for pattern, vi in _PHASES:
        found = re.fullmatch(pattern, name)
        if found:
            return vi.format(*found.groups())
    return name

_RUN: dict[str, tuple[str, str]] = {
    # validate: the scenario summary (scheduler/output/terminal.py)
    "summary.no_basis": ("chưa ghi căn cứ", "no legal basis"),
    "summary.horizon": ("thời kỳ {first} – {last}, {n} ngày làm việc",
                        "horizon {first} – {last}, {n} working days"),
    "summary.units": ("đơn vị: {n}", "units: {n}"),
    "summary.members": ("thành viên: {n}", "members: {n}"),
    "summary.team": ("  {id} {name} (thành lập {formed}): {n} — {detail}",
                     "  {id} {name} (formed {formed}): {n} — {detail}"),
    "summary.windows": ("số ngày làm việc theo khoảng thời gian (dùng được: sau khi thành lập "
                        "đoàn và đủ thời gian báo trước):",
                        "working days per window (usable: after team formation and notice):"),
    "summary.window_days": ("{total} ngày làm việc, {usable} ngày dùng được",
                            "{total} working days, {usable} usable"),
    "unit_kind.department": ("sở, ban, ngành", "department"),
    "unit_kind.public_service_unit": ("đơn vị sự nghiệp công lập", "public_service_unit"),
    "unit_kind.service_centre_branch": ("chi nhánh Trung tâm Phục vụ hành chính công",
                                        "service_centre_branch"),
    "unit_kind.commune": ("xã", "commune"),
    "unit_kind.ward": ("phường", "ward"),
    "unit_kind.special_zone": ("đặc khu", "special_zone"),
    "unit_kind.other": ("khác", "other"),
    "valid": ("hợp lệ: {path}", "valid: {path}"),
    # rekey (scheduler/output/terminal.py)
    "rekey.none": ("{source}: không có đơn vị cấp xã nào cần chuyển mã",
                   "{source}: no commune-level units to rekey"),
    "rekey.head": ("{source}: {n} đơn vị cấp xã, bảng chuyển đổi của {province}",
                   "{source}: {n} commune-level unit(s), conversion table of {province}"),
    "rekey.confirm_mark": ("XÁC NHẬN", "CONFIRM"),
    "rekey.status.mapped": ("ứng một-một", "mapped"),
    "rekey.status.split": ("chia tách", "split"),
    "rekey.status.merged": ("sáp nhập", "merged"),
    "rekey.status.ambiguous": ("trùng tên", "ambiguous"),
    "rekey.status.already-new": ("đã là đơn vị mới", "already-new"),
    "rekey.status.not-found": ("không tìm thấy", "not-found"),
    "rekey.summary": ("tổng hợp: {counts}", "summary: {counts}"),
    "rekey.to_confirm": ("{n} trường hợp cần người lập kế hoạch xác nhận",
                         "{n} case(s) need the planner's confirmation"),
    "rekey.all_mapped": ("mỗi đơn vị đều ứng với đúng một đơn vị mới",
                         "every unit maps to exactly one new unit"),
    # solve: progress and summary (scheduler/output/progress.py)
    "progress.better": ("  {elapsed:7.2f} giây  kế hoạch tốt hơn: chi phí {cost:>7}  cận dưới "
                        "{bound:>7}  chênh lệch {gap}",
                        "  {elapsed:7.2f} s  better plan: cost {cost:>7}  bound {bound:>7}  "
                        "gap {gap}"),
    "status.OPTIMAL": ("tối ưu (đã chứng minh)", "optimal (proven)"),
    "status.FEASIBLE": ("hợp lệ, có thể còn cải thiện", "valid, may still improve"),
    "status.INFEASIBLE": ("không có kế hoạch", "no plan exists"),
    "status.UNKNOWN": ("chưa tìm được", "none found yet"),
    "summary.seconds": ("{s:.1f} giây", "{s:.1f} s"),
    "summary.verdict": ("kế hoạch {verdict}: chi phí {cost}, cận dưới {bound}, chênh lệch {gap}; "
                        "{wall:.1f} giây (kế hoạch đầu tiên {first}, {workers} luồng, hạt giống "
                        "{seed}; trạng thái {status})",
                        "status {status} ({verdict})   cost {cost}   bound {bound}   gap {gap}   "
                        "{wall:.1f} s (first plan {first}, {workers} worker(s), seed {seed})"),
    "summary.terms": ("chi phí theo quy tắc: {terms}", "cost by rule: {terms}"),
    "summary.no_terms": ("không", "none"),
    "summary.wall_cap": ("lưu ý: dừng ở giới hạn thời gian thực sau {wall:.0f} giây, trước giới "
                         "hạn tính toán {limit:g}: máy đang bận, chạy lại có thể cho kế hoạch khác",
                         "note: stopped by the wall-clock safety cap after {wall:.0f} s, before "
                         "its work limit of {limit:g}: the machine was busy, and another run may "
                         "give another plan"),
    "plan.columns": ("Ngày|Đoàn|Đơn vị|Chủ trì|Thành viên|Hạn báo cáo",
                     "Date|Team|Unit|Lead|Members|Report due"),
    "plan.surprise": ("đột xuất", "surprise"),
    "plan.unscheduled": ("chưa xếp lịch: {unit} — {reason}", "not scheduled: {unit} — {reason}"),
    # diff (scheduler/replan/diff.py)
    "diff.head": ("{changed}/{total} đơn vị thay đổi", "{changed} of {total} unit(s) changed"),
    "diff.before": ("    trước: {visit}", "    before: {visit}"),
    "diff.after": ("    sau:   {visit}", "    after:  {visit}"),
    "diff.why": ("    lý do: {why}", "    why: {why}"),
    "diff.events": ("    sự kiện: {events}", "    events: {events}"),
    "diff.rule": ("    quy tắc: {rule} — {text}", "    rule: {rule} — {text}"),
    "diff.notify": ("đơn vị cần thông báo lại: {n}", "units to notify again: {n}"),
    "diff.cancelled": ("hủy cuộc kiểm tra", "visit cancelled"),
    "diff.withdrawn": ("rút cuộc kiểm tra đã thông báo; thay bằng kiểm tra đột xuất (không "
                       "thông báo ngày)",
                       "announced visit withdrawn; replaced by a surprise visit (do not announce "
                       "its date)"),
    "diff.visit": ("kiểm tra ngày {start} do {team} thực hiện, hạn gửi báo cáo {due}{announce}",
                   "visit on {start} by {team}, report due {due}{announce}"),
    "diff.announce_by": (", thông báo trước ngày {day}", ", announce by {day}"),
    "change.new": ("mới", "new"),
    "change.cancelled": ("hủy", "cancelled"),
    "change.date": ("ngày", "date"),
    "change.team": ("đoàn", "team"),
    "change.members": ("thành viên", "members"),
    "change.covered": ("được đơn vị khác bao gồm", "covered"),
    "change.unchanged": ("không đổi", "unchanged"),
    "why.only_new": ("cuộc kiểm tra chỉ có trong lịch mới", "visit only in the new schedule"),
    "why.only_old": ("cuộc kiểm tra không còn trong lịch mới",
                     "visit no longer in the new schedule"),
    "why.unrecorded": ("không ghi lý do (so sánh trực tiếp hai lịch)",
                       "no reason recorded (schedules compared directly)"),
    # repair (scheduler/replan/repair.py)
    "repair.nothing": ("bản đã sửa không vi phạm quy tắc nào: không cần sửa",
                       "the edited plan breaks no rule: nothing to repair"),
    "repair.head": ("bản đã sửa có {violations} vi phạm; đã hoàn lại {undone} chỉnh sửa:",
                    "the edited plan has {violations} violation(s); {undone} edit(s) undone:"),
    "repair.because": ("    vì {why}", "    because {why}"),
    "repair.left_out": ("bỏ ra khỏi kế hoạch", "left out"),
    "repair.added_back": ("thêm lại cuộc kiểm tra ngày {day} ({team})",
                          "visit added back on {day} ({team})"),
    "repair.date": ("ngày {old} -> {new}", "date {old} -> {new}"),
    "repair.team": ("đoàn {old} -> {new}", "team {old} -> {new}"),
    "repair.members": ("thành viên {changes}", "members {changes}"),
    "repair.make_room": ("dời để nhường chỗ cho một cuộc kiểm tra vi phạm quy tắc",
                         "moved to make room for a visit that broke a rule"),
    # replan (cli.py)
    "replan.phase": ("{name}: giải lại {n} đơn vị, {status}, {wall:.1f} giây",
                     "{name}: {n} unit(s) re-solved, {status} in {wall:.1f} s"),
    # the command frame (scheduler/output/command.py)
    "cli.warning": ("cảnh báo: {text}", "warning: {text}"),
    "cli.error": ("lỗi: {text}", "error: {text}"),
    "cli.interrupted": ("đã dừng (Ctrl-C): không ghi thêm gì",
                        "interrupted (Ctrl-C): nothing more was written"),
    "cli.written": ("đã ghi: {names}", "written: {names}"),
    "cli.written_many": ("đã ghi {n} tệp vào {folder}", "written: {n} files into {folder}"),
    "cli.not_a_number": ("{value!r} không phải là số; ghi số giây, ví dụ 30",
                         "{value!r} is not a number; give seconds, e.g. 30"),
    "cli.unknown_formats": ("không có định dạng {unknown}; chọn trong {known}",
                            "unknown format(s) {unknown}; choose from {known}"),
    "cli.pin_form": ("{pin!r}: ghi UNIT=dd/mm/yyyy[/ĐOÀN] với mã đơn vị có trong kịch bản",
                     "{pin!r}: write UNIT=dd/mm/yyyy[/TEAM] with a unit id of the scenario"),
    "cli.pin_team": ("{pin!r}: đoàn {team!r} không có trong kịch bản ({teams})",
                     "{pin!r}: team {team!r} is not in the scenario ({teams})"),
    "cli.suffix": ("{path} phải có đuôi {a} hoặc {b}", "{path} must end in {a} or {b}"),
    "cli.same_file": ("{path} chính là lịch đang đọc; chọn tệp khác",
                      "{path} is the schedule being read; choose another file"),
    "cli.schedule_or_template": ("cần SCHEDULE (một schedule.json), hoặc --write-template "
                                 "TỆP.docx",
                                 "give SCHEDULE (a schedule.json), or --write-template FILE.docx"),
    "cli.rekey_codes": ("mã: vietnam-provinces; tọa độ: {source}",
                        "codes: vietnam-provinces; coordinates: {source}"),
}

_RUN.update({
    "repair.lead": ("chủ trì {old} -> {new}", "lead {old} -> {new}"),
})
register(_RUN)


_COMMANDS: dict[str, tuple[str, str]] = {  # what cli.py prints
    "calendar.off": (
        "Ngày nghỉ (ngày thường) {year}:",
        "Weekdays off {year}:"),
    "calendar.worked": (
        "Ngày làm bù (thứ Bảy/Chủ nhật):",
        "Worked weekend days:"),
    "calendar.quarters": (
        "Ngày làm việc theo quý:",
        "Working days per quarter:"),
    "check.false_claims": (
        "số liệu tự khai của lịch không đúng ({n}):",
        "the schedule's own figures do not hold ({n}):"),
    "communes.written": (
        "{province}: {n} đơn vị ({detail}) -> {out}",
        "{province}: {n} units ({detail}) -> {out}"),
    "out.other_version": (
        "{schedule} được lập cho một phiên bản khác của {scenario} (dấu vân tay kịch bản khác); vẫn tiếp "
        "tục",
        "{schedule} was made for another version of {scenario} (scenario fingerprint differs); drawing it "
        "anyway"),
    "letters.skipped": (
        "không có thư: {unit} ({why})",
        "no letter: {unit} ({why})"),
    "letters.written": (
        "đã ghi {n} thông báo và 1 tệp gộp vào {folder}",
        "written: {n} letter(s) and 1 combined file in {folder}"),
    "replan.start": (
        "lập lại kế hoạch từ {day}…",
        "re-planning from {day}…"),
    "replan.no_time": (
        "không tìm được kế hoạch trong thời gian cho phép; tăng --time-limit",
        "no plan within the time limit; give more time with --time-limit"),
    "replan.none": (
        "không lập lại được kế hoạch ({status}); các buổi đã kiểm tra giữ nguyên.\n{why}",
        "no re-plan found ({status}); done visits stay as they were.\n{why}"),
    "replan.broken": (
        "kế hoạch mới vi phạm {n} quy tắc khi kiểm tra tại ngày {day}:",
        "the re-plan breaks {n} rule(s) when checked as of {day}:"),
    "replan.broken_fix": (
        "sửa kịch bản (ví dụ một ngày đã qua được nhập vào) rồi lập lại; `kiemtra check` trên {schedule} "
        "cho cùng kết quả",
        "fix the scenario (e.g. a date edited into the past) and re-plan; `kiemtra check` on {schedule} "
        "shows the same"),
    "replan.checked": (
        "kiểm tra độc lập: mọi quy tắc đều được bảo đảm tại ngày {day}",
        "checker: every rule holds as of {day}"),
    "replan.interrupted": (
        "đã dừng (Ctrl-C): kế hoạch tốt nhất tìm được đã được kiểm tra và ghi",
        "interrupted (Ctrl-C): the best re-plan found so far was checked and written"),
    "repair.no_time": (
        "không tìm được trong thời gian cho phép",
        "no plan within the time limit"),
    "repair.none": (
        "không có kế hoạch hợp lệ nào gần bản đã sửa:\n{why}",
        "no valid plan is near the edited one:\n{why}"),
    "solve.start": (
        "đang lập kế hoạch {campaign}: {units} đơn vị, {teams} đoàn, {members} thành viên",
        "solving {campaign}: {units} units, {teams} teams, {members} members"),
    "solve.infeasible": (
        "KHÔNG CÓ KẾ HOẠCH: không thể bảo đảm mọi quy tắc cùng lúc.",
        "INFEASIBLE: no plan meets every rule."),
    "solve.unknown": (
        "chưa tìm được kế hoạch sau {wall:.1f} giây; tăng --time-limit",
        "no plan found in {wall:.1f} s (status UNKNOWN); give more time with --time-limit"),
    "solve.all_hold": (
        "mọi quy tắc đều được bảo đảm",
        "every rule holds"),
    "solve.violations": (
        "{n} vi phạm",
        "{n} violation(s)"),
    "solve.checked": (
        "kiểm tra độc lập: {verdict}, giá trị mục tiêu tính lại {objective}",
        "checker: {verdict}, objective recomputed {objective}"),
    "solve.interrupted": (
        "đã dừng (Ctrl-C): kế hoạch tốt nhất tìm được đã được kiểm tra và ghi",
        "interrupted (Ctrl-C): the best plan found so far was checked and written"),
}

_COMMANDS.update({
    "cli.month_load": ("biểu đồ khối lượng không chia theo tháng; bỏ --month",
                       "the load view has no month panels; leave --month out"),
    "cli.suffix_one": ("{path} phải có đuôi {a}", "{path} must end in {a}"),
})
register(_COMMANDS)

# The output folder and its lock (scheduler/output/sets.py, lock.py, scheduler/replan/files.py).
register({
    "out.busy": ("một lần chạy kiemtra khác đang ghi {place} (pid {pid}); chờ lần đó xong hoặc "
                 "chọn --out khác",
                 "another kiemtra run is writing {place} (pid {pid}); wait for it or choose "
                 "another --out"),
    "out.lock_link": ("tệp khóa {path} là một liên kết tượng trưng, kiemtra không bao giờ đi theo; "
                      "xóa liên kết (hoặc chọn --out khác)",
                      "the lock file {path} is a symbolic link, which kiemtra never follows; "
                      "remove the link (or choose another --out)"),
    "out.lock_create": ("không tạo được tệp khóa {path} ({why}); chọn --out khác",
                        "cannot create the lock file {path} ({why}); choose another --out"),
    "out.lock_foreign": ("tệp khóa {path} không phải của kiemtra (một tệp đặc biệt hoặc tệp có tên "
                         "khác trỏ tới); chuyển nó đi hoặc chọn --out khác",
                         "the lock file {path} is not kiemtra's (a special file or a file with "
                         "other names); move it away or choose another --out"),
    "out.is_file": ("là một tệp, nhưng --out cần một thư mục; chọn --out khác hoặc chuyển tệp đi",
                    "is a file, but --out needs a folder; choose another --out or move the file "
                    "away"),
    "out.is_cwd": ("là thư mục hiện tại hoặc chứa nó; cả thư mục bị thay mới sau mỗi lần chạy, "
                   "nên hãy cho kết quả một thư mục riêng, ví dụ --out out",
                   "is the current folder or contains it; the whole folder is replaced on every "
                   "run, so give the outputs a folder of their own, e.g. --out out"),
    "out.cannot_create": ("không tạo được {place} ({why}); chọn --out khác",
                          "cannot create {place} ({why}); choose another --out"),
    "out.read_only": ("{place} chỉ đọc; cho phép ghi hoặc chọn --out khác",
                      "{place} is read-only; make it writable or choose another --out"),
    "out.foreign": ("có {n} tệp không do kiemtra ghi (ví dụ {example}); cả thư mục bị thay mới sau "
                    "mỗi lần chạy, nên hãy chọn một thư mục --out trống hoặc mới",
                    "holds {n} files kiemtra did not write (e.g. {example}); the whole folder is "
                    "replaced on every run, so choose an empty or new --out folder"),
    "out.is_baseline": ("là thư mục của {what} {plan} (hoặc chứa nó); ghi vào đó sẽ thay kế hoạch "
                        "ấy cùng lịch, sổ Excel và kịch bản của nó. {fix}",
                        "is the folder of the {what} {plan} (or contains it); writing there would "
                        "replace that plan and its calendars, workbook and scenario. {fix}"),
    "out.baseline_fix": ("Chọn --out khác, hoặc thêm --overwrite-baseline nếu đúng là muốn vậy",
                         "Choose another --out, or pass --overwrite-baseline if that is what you "
                         "want"),
    "out.repair_fix": ("Chọn --out khác, ví dụ out/repaired", "Choose another --out, e.g. "
                       "out/repaired"),
    "out.what_baseline": ("kế hoạch gốc", "baseline"),
    "out.what_edited": ("kế hoạch đã sửa", "edited plan"),
    "replan.record_fix": ("{problem}; chạy lại kiemtra replan hoặc xóa tệp",
                          "{problem}; re-run kiemtra replan or delete the file"),
    "replan.record_schema": ("cần '{schema}'; chạy lại kiemtra replan hoặc xóa tệp",
                             "expected '{schema}'; re-run kiemtra replan or delete the file"),
})


# The re-planner's recorded reasons (scheduler/replan/events_apply.py, run.py) are kept in English in
# replan.json, where ``kiemtra diff`` reads them back; they are worded in Vietnamese when shown.
_KIND_VI = {"merger": "sáp nhập", "split": "chia tách"}
_WHY = (
    (r"member (\S+) unavailable (.+)", "thành viên {0} vắng mặt {1}"),
    (r"member (\S+) leaves the team on (.+)", "thành viên {0} rời đoàn từ ngày {1}"),
    (r"the unit asked to move: (\S+) is now excluded", "đơn vị đề nghị dời lịch: ngày {0} nay bị tránh"),
    (r"the unit asked to move: (\S+) is outside the new window",
     "đơn vị đề nghị dời lịch: ngày {0} nằm ngoài khoảng thời gian mới"),
    (r"asked to move before being planned", "đơn vị đề nghị dời lịch khi chưa được xếp lịch"),
    (r"asked to move; the planned date already fits", "đơn vị đề nghị dời lịch; ngày đã xếp vẫn phù hợp"),
    (r"unit added to the campaign", "đơn vị được bổ sung vào đợt kiểm tra"),
    (r"unit removed from the campaign", "đơn vị được rút khỏi đợt kiểm tra"),
    (r"surprise visit inserted on (\S+)", "kiểm tra đột xuất vào ngày {0}"),
    (r"optional unit left out in the baseline", "đơn vị không bắt buộc, không có trong kế hoạch gốc"),
    (r"no visit in the baseline yet", "chưa có cuộc kiểm tra trong kế hoạch gốc"),
    (r"merged into (\S+)", "sáp nhập vào {0}"),
    (r"split into (.+)", "chia tách thành {0}"),
    (r"(.+); visited before, so this visit stays",
     "{0}; đã được kiểm tra trước đó nên giữ cuộc kiểm tra này"),
    (r"(merger|split) of (.+) on (\S+): its own visit covers the new unit",
     "{kind} {1} ngày {2}: cuộc kiểm tra của chính đơn vị đã bao gồm đơn vị mới"),
    (r"born from the (merger|split) of (.+) on (\S+); covered by the visit of (\S+) on (\S+) "
     r"\(done_visit_covers\)",
     "hình thành từ việc {kind} {1} ngày {2}; đã được kiểm tra qua cuộc kiểm tra {3} ngày {4}"),
    (r"born from the (merger|split) of (.+) on (\S+); takes over the visit of (\S+) on (\S+) \((\S+)\)",
     "hình thành từ việc {kind} {1} ngày {2}; nhận cuộc kiểm tra của {3} ngày {4} ({5})"),
    (r"born from the (merger|split) of (.+) on (\S+); gets its own visit after (\S+)",
     "hình thành từ việc {kind} {1} ngày {2}; có cuộc kiểm tra riêng sau ngày {3}"),
    (r"its group could change to make room \((.+)\)", "có thể đổi thành phần đoàn để nhường chỗ ({phase})"),
    (r"re-planned to make room \((.+)\)", "được lập lại để nhường chỗ ({phase})"),
)


def why_text(why: str, lang: str = "vi") -> str:
    """A recorded reason of the re-planner in ``lang`` (one it does not know is shown as it is)."""
    if lang == "en":
        return why
    for pattern, vi in _WHY:
        found = re.fullmatch(pattern, why)
        if found:
            groups = found.groups()
            kind = _KIND_VI.get(groups[0], "") if groups else ""
            phase = phase_name(groups[0], lang) if groups else ""
            return vi.format(*groups, kind=kind, phase=phase)
    return why
