"""Every ``--help`` text of kiemtra, keyed by id, in Vietnamese (default) and English.

``cmd.NAME`` is a command's help (its first sentence is the one-line summary in
``kiemtra --help``); ``opt.NAME.PARAM`` an option of one command and ``opt.PARAM`` an option
shared by several. ``scheduler/output/help.py`` looks them up when help is shown.
"""

from __future__ import annotations

from models.messages import register

_DEFAULTS_VI = "(mặc định: theo kịch bản)"

HELP_TEXTS: dict[str, tuple[str, str]] = {
    # commands
    "cmd.kiemtra": (
        "Lập kế hoạch kiểm tra: đoàn, ngày và thành viên, bằng CP-SAT.\n\n"
        "Ngôn ngữ mặc định là tiếng Việt; dùng --lang en cho từng lệnh, hoặc đặt biến môi "
        "trường KIEMTRA_LANG=en để mọi lệnh và mọi trang trợ giúp bằng tiếng Anh.",
        "Plan inspection campaigns: teams, dates and members, with CP-SAT.\n\n"
        "Vietnamese is the default; use --lang en on a command, or set the environment variable "
        "KIEMTRA_LANG=en for every command and help page in English."),
    "cmd.schema": ("In JSON Schema của tệp kịch bản (cho trình soạn thảo kiểm tra YAML khi gõ).",
                   "Print the JSON Schema of scenario files (for editors that validate YAML as "
                   "you type)."),
    "cmd.validate": ("Kiểm tra một tệp kịch bản và in bản tóm tắt gọn trong một màn hình.",
                     "Check a scenario file and print a one-screen summary."),
    "cmd.calendar": ("Liệt kê ngày nghỉ lễ, ngày làm bù và số ngày làm việc theo quý của năm YEAR.",
                     "List holidays, worked weekends and working days per quarter of YEAR."),
    "cmd.deadline": ("In hạn gửi báo cáo của cuộc kiểm tra vào ngày VISIT_DATE (dd/mm/yyyy).",
                     "Print the report deadline of a visit on VISIT_DATE (dd/mm/yyyy)."),
    "cmd.check": (
        "Kiểm tra lại mọi quy tắc của SCHEDULE (schedule.json, hoặc tệp .xlsx/.csv đã sửa) theo "
        "SCENARIO; trả mã 1 nếu có quy tắc bị vi phạm hoặc số liệu tự khai của lịch sai.",
        "Re-verify every rule of SCHEDULE (schedule.json, or an edited .xlsx/.csv) against "
        "SCENARIO; exit 1 if any rule is broken or the schedule's own figures are false."),
    "cmd.communes": ("Liệt kê các đơn vị hành chính cấp xã có hiệu lực từ 1/7/2025, dùng được "
                     "ngay cho `validate --units`.",
                     "List the commune-level units in force from 1/7/2025, ready for "
                     "`validate --units`."),
    "cmd.rekey": (
        "Chuyển các xã cũ (thời còn cấp huyện) của một kịch bản (.yaml) hoặc lịch (.json) sang "
        "đơn vị mới.\n\nTrường hợp chia tách, sáp nhập hoặc trùng tên được liệt kê để người lập "
        "kế hoạch xác nhận: không đoán.",
        "Map the old (district-era) communes of a scenario (.yaml) or schedule (.json) to new "
        "units.\n\nSplits, merges and ambiguous names are listed for the planner to confirm: "
        "nothing is guessed."),
    "cmd.gantt": ("Vẽ biểu đồ Gantt của SCHEDULE (schedule.json, .xlsx hoặc .csv) dạng PNG hoặc SVG.",
                  "Draw a Gantt chart of SCHEDULE (schedule.json, .xlsx or .csv) as PNG or SVG."),
    "cmd.map": ("Vẽ trụ sở các đoàn, các đơn vị và lộ trình trong ngày của SCHEDULE lên bản đồ "
                "(không cần mạng, PNG hoặc SVG).",
                "Draw the teams' bases, units and day routes of SCHEDULE on a map (offline, PNG "
                "or SVG)."),
    "cmd.export": ("Xuất SCHEDULE (schedule.json, .xlsx hoặc .csv) cho Excel, lịch điện tử hoặc "
                   "công cụ khác.",
                   "Export SCHEDULE (schedule.json, .xlsx or .csv) for Excel, calendars or other "
                   "tools."),
    "cmd.report": ("Ghi báo cáo HTML một tệp của SCHEDULE, xem được khi không có mạng.",
                   "Write a one-file HTML report of SCHEDULE, readable offline."),
    "cmd.letters": ("Soạn thông báo (.docx) cho từng đơn vị được báo trước trong SCHEDULE, và một "
                    "tệp gộp tất cả.",
                    "Write a notice letter (.docx) per announced unit of SCHEDULE, and all in one "
                    "file."),
    "cmd.replan": ("Lập lại kế hoạch SCENARIO từ một ngày, thay đổi ít nhất có thể so với kế "
                   "hoạch gốc.",
                   "Re-plan SCENARIO from a date, changing as little as possible of the baseline."),
    "cmd.diff": ("Theo từng đơn vị: điều gì thay đổi từ OLD sang NEW (tệp schedule.json) và vì "
                 "sao; đơn vị nào cần thông báo.",
                 "Per unit, what changed from OLD to NEW (schedule.json files) and why; who to "
                 "notify."),
    "cmd.repair": (
        "Sửa EDITED (schedule.xlsx, .csv hoặc .json đã được chỉnh tay): kế hoạch gần nhất của "
        "SCENARIO đáp ứng mọi quy tắc, giữ những chỉnh sửa mà quy tắc cho phép.",
        "Repair EDITED (schedule.xlsx, .csv or .json a planner changed): the nearest plan of "
        "SCENARIO that meets every rule, keeping the edits the rules allow."),
    "cmd.compare": ("So sánh các chỉ số chính của nhiều kế hoạch; mỗi PLANS là một schedule.json "
                    "hoặc thư mục chứa nó.",
                    "Key figures of plans side by side; each PLAN is a schedule.json or the "
                    "folder holding it."),
    "cmd.solve": ("Lập kế hoạch SCENARIO: đoàn, ngày và thành viên; ghi kế hoạch, biểu đồ và các "
                  "tệp xuất vào --out.",
                  "Plan SCENARIO: teams, dates and members; write the plan, charts and exports "
                  "into --out."),
    # click's own words
    "help.usage": ("Cách dùng:", "Usage:"),
    "help.options": ("Tùy chọn", "Options"),
    "help.commands": ("Lệnh", "Commands"),
    "help.arguments": ("Tham số", "Arguments"),
    "help.default": ("mặc định", "default"),
    "help.required": ("bắt buộc", "required"),
    "opt.help": ("Hiện trợ giúp này rồi thoát.", "Show this message and exit."),
    "opt.version": ("Hiện phiên bản rồi thoát.", "Show the version and exit."),
    # options shared by several commands
    "opt.as_json": ("In một bản tóm tắt JSON ra stdout thay cho văn bản.",
                    "Print one JSON summary on stdout instead of text."),
    "opt.quiet": ("Không in tiến trình và bảng dài; chỉ kết quả và cảnh báo.",
                  "No progress and no long tables; results and warnings only."),
    "opt.lang": ("Ngôn ngữ của nhãn, tiêu đề và thông báo: vi (mặc định) hoặc en; cũng đặt được "
                 "bằng biến môi trường KIEMTRA_LANG.",
                 "Language of labels, headings and messages: vi (default) or en; the "
                 "environment variable KIEMTRA_LANG sets it too."),
    "opt.units_file": ("Thêm đơn vị từ danh sách CSV/XLSX (cột id, name, kind, agency, window).",
                       "Add units from a CSV/XLSX list (columns id, name, kind, agency, window)."),
    "opt.pins": ("Ghim một đơn vị vào ngày bắt đầu (dd/mm/yyyy) và có thể cả đoàn, ví dụ "
                 "--pin SYT=17/06/2025/D1; lặp lại cho đơn vị khác.",
                 "Pin a unit to a start date (dd/mm/yyyy) and optionally a team, e.g. "
                 "--pin SYT=17/06/2025/D1; repeat for more units."),
    "opt.scenario_path": ("Kịch bản đã dùng để lập lịch (mặc định: scenario.yaml cạnh SCHEDULE).",
                          "Scenario the schedule was made for (default: scenario.yaml beside "
                          "SCHEDULE)."),
    "opt.scenario": ("Dùng lịch làm việc của kịch bản này.", "Use this scenario's calendar."),
    "opt.time_limit": (f"Số giây tìm kiếm {_DEFAULTS_VI}.",
                       "Seconds of search (default: the scenario's)."),
    "opt.workers": (f"Số luồng CP-SAT {_DEFAULTS_VI}.", "CP-SAT workers (default: the scenario's)."),
    "opt.seed": (f"Hạt giống ngẫu nhiên {_DEFAULTS_VI}.", "Random seed (default: the scenario's)."),
    "opt.formats": ("Danh sách định dạng, cách nhau bằng dấu phẩy: json,csv,xlsx,ics,png,svg,html "
                    "(luôn có json và csv).",
                    "Comma list of outputs: json,csv,xlsx,ics,png,svg,html (json and csv always)."),
    "opt.as_of": ("Ngày lập lại kế hoạch (dd/mm/yyyy): các cuộc còn dự kiến không được thông báo "
                  "trước ngày này.",
                  "Re-plan date (dd/mm/yyyy): visits still planned may not be announced before it."),
    # one command's options
    "opt.deadline.days": ("Số ngày làm việc báo trước (mặc định 5).",
                          "Working days of notice (default 5)."),
    "opt.communes.province": ('Tên hoặc mã tỉnh, ví dụ "Hà Nội" hoặc 01.',
                              'Province name or code, e.g. "Hà Nội" or 01.'),
    "opt.communes.out": ("Ghi ra bảng .csv hoặc .xlsx (mặc định: CSV ra màn hình).",
                         "Write a .csv or .xlsx sheet (default: CSV on the screen)."),
    "opt.communes.window": ("Cột thời gian: Q3-Q4, Q4 hoặc 2025-07-01..2025-12-31.",
                            "Window column: Q3-Q4, Q4 or 2025-07-01..2025-12-31."),
    "opt.rekey.province": ("Tỉnh (sau 1/7/2025) có bảng chuyển đổi được áp dụng.",
                           "Province (after 1/7/2025) whose conversion table applies."),
    "opt.rekey.out": ("Ghi thêm bảng ra tệp (.csv/.xlsx).", "Also write the table (.csv/.xlsx)."),
    "opt.gantt.view": ("Mỗi đoàn một dòng, mỗi thành viên một dòng, hoặc số ngày theo tháng.",
                       "Lanes per team, lanes per member, or load per month."),
    "opt.gantt.out": ("Tệp PNG hoặc SVG (mặc định: gantt-VIEW.png cạnh SCHEDULE).",
                      "PNG or SVG file (default: gantt-VIEW.png beside SCHEDULE)."),
    "opt.map.out": ("Tệp PNG hoặc SVG (mặc định: route-map.png cạnh SCHEDULE).",
                    "PNG or SVG file (default: route-map.png beside SCHEDULE)."),
    "opt.map.day": ("Chỉ các lộ trình của ngày này (dd/mm/yyyy).",
                    "Only the routes of this day (dd/mm/yyyy)."),
    "opt.export.fmt": ("xlsx: sổ Excel; ics: lịch điện tử; csv/json: chính lịch kiểm tra.",
                       "xlsx workbook, ics calendars, or the schedule as csv/json."),
    "opt.export.out": ("Tệp cần ghi; với ics là thư mục nhận ics/team-*.ics và ics/member-*.ics "
                       "(mặc định: cạnh SCHEDULE).",
                       "File to write; for ics a folder that receives ics/team-*.ics and "
                       "ics/member-*.ics (default: beside SCHEDULE)."),
    "opt.report.out": ("Tệp HTML (mặc định: report.html cạnh SCHEDULE).",
                       "HTML file (default: report.html beside SCHEDULE)."),
    "opt.letters.out": ("Thư mục chứa thông báo (mặc định: letters/ cạnh SCHEDULE).",
                        "Folder for the letters (default: letters/ beside SCHEDULE)."),
    "opt.letters.template_path": ("Mẫu .docx riêng có {{chỗ điền}} (mặc định: mẫu thông báo có "
                                  "sẵn).",
                                  "Your own .docx template with {{placeholders}} (default: the "
                                  "built-in notice)."),
    "opt.letters.write_template": ("Ghi mẫu có sẵn ra tệp .docx này để sửa bằng Word, rồi dừng.",
                                   "Write the built-in template to this .docx file to edit in "
                                   "Word, and stop."),
    "opt.letters.issuer": ('Cơ quan ban hành, dòng 1 góc trên bên trái, ví dụ "UBND thành phố Hà '
                           'Nội".',
                           'Issuing authority, top-left line 1, e.g. "UBND thành phố Hà Nội".'),
    "opt.letters.place": ('Địa danh ở dòng ngày tháng, ví dụ "Hà Nội".',
                          'Place of issue in the date line, e.g. "Hà Nội".'),
    "opt.replan.baseline": ("Tệp schedule.json đang được thực hiện.",
                            "The schedule.json being executed."),
    "opt.replan.as_of": ("Ngày lập lại kế hoạch (dd/mm/yyyy): các cuộc trước ngày này đã xong và "
                         "không bao giờ dời.",
                         "Re-plan date (dd/mm/yyyy): visits before it are done and never move."),
    "opt.replan.events_file": ("Tệp sự kiện (schema kiemtra.events/1) nêu điều đã thay đổi.",
                               "Events file (schema kiemtra.events/1) saying what changed."),
    "opt.replan.out": ("Thư mục cho schedule.json/csv, diff.txt/csv, replan.json.",
                       "Folder for schedule.json/csv, diff.txt/csv, replan.json."),
    "opt.replan.time_limit": (f"Số giây cho mỗi vùng lân cận được thử {_DEFAULTS_VI}.",
                              "Seconds per neighbourhood tried (default: the scenario's)."),
    "opt.replan.overwrite_baseline": ("Cho phép --out là chính thư mục của kế hoạch gốc (các tệp "
                                      "trong đó bị thay).",
                                      "Allow --out to be the baseline's own folder (its files "
                                      "are replaced)."),
    "opt.diff.csv_file": ("Ghi thêm bảng so sánh dạng CSV (ngày ISO) ra tệp này.",
                          "Also write the diff as CSV (ISO dates) to this file."),
    "opt.diff.as_of": ("Ngày lập lại kế hoạch (dd/mm/yyyy), để biết cuộc nào đã được thông báo "
                       "(mặc định: theo replan.json cạnh NEW).",
                       "Re-plan date (dd/mm/yyyy), to know which visits were already announced "
                       "(default: from replan.json beside NEW)."),
    "opt.repair.out": ("Thư mục cho kế hoạch đã sửa và các tệp xuất.",
                       "Folder for the repaired plan and its outputs."),
    "opt.repair.time_limit": (f"Giới hạn tính toán của lần tìm kiếm {_DEFAULTS_VI}.",
                              "Work limit of the search (default: the scenario's)."),
    "opt.compare.out": ("Ghi thêm bản so sánh: TỆP.html (bảng và biểu đồ) hoặc TỆP.xlsx.",
                        "Also write the comparison: FILE.html (table and chart) or FILE.xlsx."),
    "opt.solve.out": ("Thư mục chứa các tệp của kế hoạch (được thay toàn bộ mỗi lần chạy).",
                      "Folder for the plan's files (replaced whole on each run)."),
    "opt.solve.workers": ("Số luồng CP-SAT (mặc định: theo kịch bản; máy 2 nhân nên dùng 2).",
                          "CP-SAT workers (default: the scenario's; 2 suits a 2-core machine)."),
}

HELP_TEXTS.update({
    "opt.gantt.month": ("Chỉ vẽ tháng này (MM/YYYY; biểu đồ theo đoàn, theo thành viên): một khung, "
                        "một trang in.",
                        "Only this month (MM/YYYY; team and member views): one panel, a printed page."),
    "opt.export.fmt": ("xlsx: sổ Excel; ics: lịch điện tử; csv/json: chính lịch kiểm tra; pdf: phụ "
                       "lục kế hoạch và biểu đồ Gantt mỗi tháng một trang, khổ A4 ngang.",
                       "xlsx workbook, ics calendars, the schedule as csv/json, or pdf: the plan "
                       "appendix and the Gantt charts a month a page, A4 landscape."),
    "opt.member_sheets": ("Sổ Excel có một trang cho mỗi thành viên (mặc định: chỉ khi kế hoạch có "
                          "không quá 12 thành viên).",
                          "A workbook sheet per member (default: only when the plan has at most "
                          "12 members)."),
    "cmd.suggest": ("Đơn vị mới xếp vào đâu: các chỗ tốt nhất trong SCHEDULE cho đơn vị trong tệp "
                    "--add, mỗi chỗ kèm chi phí kế hoạch tăng thêm; không thay đổi gì.",
                    "Where can one more unit go: the best places in SCHEDULE for the unit of --add, "
                    "each with what it adds to the plan's cost; nothing is changed."),
    "opt.suggest.unit_file": ("Tệp YAML ghi một đơn vị như trong kịch bản (id, name, kind, window, ...).",
                              "A YAML file holding one unit written as in a scenario (id, name, kind, "
                              "window, ...)."),
    "opt.suggest.top": ("Số chỗ gợi ý, tốt nhất trước.", "How many places to show, best first."),
    "opt.solve.planner": ("cpsat: bộ tối ưu; greedy: kế hoạch nhanh như người lập kế hoạch làm tay "
                          "(cũng là mốc so sánh của mọi phép đo). Cả hai đi qua cùng một quy trình.",
                          "cpsat: the optimiser; greedy: the quick plan a planner makes by hand (the "
                          "peer every benchmark compares with). Both go through the same pipeline."),
})
register(HELP_TEXTS)
