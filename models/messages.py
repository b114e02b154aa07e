"""The message catalogue: every sentence a planner reads, keyed by id, in Vietnamese and English.

Vietnamese is the default everywhere (``--lang en`` or ``KIEMTRA_LANG=en`` for English). A text
is a ``str.format`` pattern; ``say(key, lang, **values)`` fills it. The catalogue is split by
who speaks: this module holds what the models say (input errors) and the lookup; the commands'
texts live in ``scheduler/messages.py``, the checker's in ``models/check_messages.py`` and
``--help`` in ``scheduler/output/help_texts.py``; each registers its table here, so one id means
one text (an id defined twice with different texts fails at import).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

LANGS = ("vi", "en")

Texts = Mapping[str, tuple[str, str]]  # id -> (vi, en)

_CATALOGUE: dict[str, tuple[str, str]] = {}


def register(texts: Texts) -> None:
    """Add a table of texts; an id given twice is a programming error, caught at import."""
    for key, pair in texts.items():
        if key in _CATALOGUE and _CATALOGUE[key] != pair:
            raise ValueError(f"message id {key!r} is defined twice")
        _CATALOGUE[key] = pair


def default_lang() -> str:
    """``KIEMTRA_LANG`` when it names a language we have, else Vietnamese."""
    lang = os.environ.get("KIEMTRA_LANG", "vi").strip().lower()
    return lang if lang in LANGS else "vi"


def say(key: str, lang: str = "vi", **values: object) -> str:
    """The text ``key`` in ``lang`` (Vietnamese unless ``en``), with ``values`` filled in."""
    vi, en = _CATALOGUE[key]
    return (en if lang == "en" else vi).format(**values)


class Worded(str):
    """An English text that carries its Vietnamese wording (``.vi``), for code that passes
    messages on as plain strings."""

    vi: str

    def __new__(cls, en: str, vi: str) -> Worded:
        text = super().__new__(cls, en)
        text.vi = vi
        return text


def worded(key: str, **values: object) -> Worded:
    """The catalogue's text ``key`` in English, carrying its Vietnamese wording."""
    return Worded(say(key, "en", **values), say(key, "vi", **values))


def pattern(key: str) -> tuple[str, str]:
    """The (Vietnamese, English) patterns of ``key``, before values are filled in."""
    return _CATALOGUE[key]


def has(key: str) -> bool:
    return key in _CATALOGUE


def keys(prefix: str = "") -> list[str]:
    return sorted(k for k in _CATALOGUE if k.startswith(prefix))


_MODEL_TEXTS: dict[str, tuple[str, str]] = {
    "input.problems": ("{path}: {n} lỗi cần sửa", "{path}: {n} problem(s)"),
    "input.not_in_campaign": (
        "'{value}' không phải {kind} của đợt kiểm tra tại vị trí này của danh sách{hint}",
        "'{value}' is not {kind} of the campaign at this point of the list{hint}"),
    "input.did_you_mean": ("; có phải là {names}?", "; did you mean {names}?"),
    "input.known": ("; các {kind} đã có: {names}", "; known: {names}"),
    "kind.member": ("thành viên", "a member"),
    "kind.unit": ("đơn vị", "a unit"),
    "kind.team": ("đoàn", "a team"),
    "kind.agency": ("cơ quan", "an agency"),
    "place.line": ("dòng", "line"),
    "place.column": ("cột", "column"),
    "place.row": ("dòng", "row"),
    "place.byte": ("byte", "byte"),
    "place.header": ("dòng tiêu đề", "header"),
    "place.sheet": ("trang tính", "sheet"),
    "input.got": (" (đã ghi {value})", " (got {value})"),
    "input.cannot_read": ("không đọc được tệp ({why})", "cannot read the file ({why})"),
    "input.no_scenario_beside": (
        "không có --scenario và không có {name} cạnh lịch; hãy chỉ --scenario TỆP là kịch bản "
        "đã dùng để lập lịch",
        "no --scenario given and no {name} beside the schedule; pass --scenario FILE with the "
        "scenario the schedule was made for"),
    "input.pass_scenario": ("{problem}; hãy chỉ --scenario là kịch bản đã dùng để lập lịch",
                            "{problem}; pass the scenario the schedule was made for with "
                            "--scenario"),
    "input.folder_needed": ("ở đây là một tệp trong khi cần một thư mục; chọn đường dẫn khác",
                            "a file stands where a folder is needed; choose another path"),
    "input.path_unusable": (
        "không dùng được đường dẫn này ({why}); kiểm tra thư mục có tồn tại, ghi được và còn "
        "chỗ trống",
        "cannot use this path ({why}); check that its folder exists, is writable and has free "
        "space"),
    # files that cannot be read or written (models/paths.py)
    "path.not_found": ("không tìm thấy tệp; kiểm tra lại đường dẫn", "file not found; check the path"),
    "path.cannot_open": ("không mở được ({why}); kiểm tra đường dẫn và quyền truy cập",
                         "cannot open it ({why}); check the path and its permissions"),
    "path.is_folder": ("đây là một thư mục; hãy chỉ một tệp", "this is a folder; give a file"),
    "path.not_regular": ("không phải tệp thông thường (pipe, thiết bị hay socket); lưu nội dung "
                         "ra một tệp rồi chỉ tệp đó",
                         "not a regular file (a pipe, device or socket); save the content to a "
                         "file and give that file"),
    "path.too_big": ("{size} MB, lớn hơn mức {limit} MB kiemtra đọc; kiểm tra có đúng tệp không",
                     "{size} MB is more than the {limit} MB kiemtra reads; check that this is "
                     "the right file"),
    "path.utf32": ("văn bản UTF-32; hãy lưu tệp dạng UTF-8", "UTF-32 text; save the file as UTF-8"),
    "path.utf16_broken": ("văn bản UTF-16 bị hỏng; hãy lưu tệp dạng UTF-8",
                          "broken UTF-16 text; save the file as UTF-8"),
    "path.utf16_no_bom": ("văn bản UTF-16 không có dấu thứ tự byte; hãy lưu tệp dạng UTF-8",
                          "UTF-16 text without a byte-order mark; save the file as UTF-8"),
    "path.binary": ("dữ liệu nhị phân, không phải tệp văn bản; hãy chỉ đúng tệp cần đọc",
                    "binary data, not a text file; give {what}"),
    "path.not_utf8": ("không phải văn bản UTF-8; hãy lưu tệp dạng UTF-8",
                      "not UTF-8 text; save the file as UTF-8"),
    "path.file_not_folder": ("đây là một tệp; hãy chỉ một thư mục để ghi kết quả",
                             "this is a file; give a folder as the output folder"),
    "path.parent_is_file": ("{existing} là một tệp nên không tạo được thư mục bên trong; hãy chọn "
                            "thư mục khác để ghi kết quả",
                            "{existing} is a file, so no folder can be made inside it; give "
                            "another output folder"),
    "path.not_writable": ("không ghi được vào {existing} ({why}); hãy chọn thư mục ghi được, hoặc "
                          "giải phóng dung lượng",
                          "cannot write into {existing} ({why}); choose an output folder you can "
                          "write to, or free space"),
    "date.not_a_date": ("{text!r} không phải là ngày: ghi dd/mm/yyyy (ví dụ 05/06/2025) hoặc "
                        "YYYY-MM-DD",
                        "{text!r} is not a date: write dd/mm/yyyy (e.g. 05/06/2025) or YYYY-MM-DD"),
    "date.unsupported_year": ("{day} nằm ngoài các năm lịch của kiemtra hỗ trợ ({first}–{last}); "
                              "kiểm tra lại năm",
                              "{day} is outside the years kiemtra's calendar supports "
                              "({first}–{last}); check the year"),
    "cli.invalid_value": ("Giá trị không hợp lệ: {message}", "Invalid value: {message}"),
    # validate's notes on field work (models/field_notes.py)
    "note.no_location": ("đơn vị chưa có tọa độ: {ids} (coi như ở trụ sở đoàn)",
                         "units without location: {ids} (treated as at their team's base)"),
    "note.no_base": ("đoàn chưa có trụ sở: {ids} (không ước tính được thời gian đi lại)",
                     "teams without base: {ids} (travel cannot be estimated for them)"),
    "note.abroad": ("tọa độ nằm ngoài Việt Nam: {ids} (gõ nhầm, hay đảo vĩ độ và kinh độ?)",
                    "coordinates outside Vietnam: {ids} (a typo, or lat and lon swapped?)"),
    "note.short_visits": ("kiểm tra ngắn: {n} đơn vị, {spread} phút tại chỗ; ngày làm việc "
                          "{day} phút",
                          "short visits: {n} unit(s), {spread} minutes on site; working day "
                          "{day} minutes"),
    "note.selection": ("nhóm chọn mẫu {name} ({id}): kiểm tra {wording} đơn vị, chọn trong "
                       "{optional} đơn vị không bắt buộc",
                       "selection {name} ({id}): {wording} units visited, chosen among {optional} "
                       "optional ones"),
    "note.more": (", … (thêm {n})", ", … ({n} more)"),
}

# pydantic's error types in planners' words (models/loading.py adds the field and the value)
FIXES: dict[str, tuple[str, str]] = {
    "extra_forbidden": ("trường không có trong mẫu; xóa đi hoặc kiểm tra chính tả",
                        "unknown field; remove it or check its spelling"),
    "missing": ("thiếu trường bắt buộc; hãy bổ sung", "required field is missing; add it"),
    "date_from_datetime_parsing": ("không phải ngày có thật; ghi YYYY-MM-DD với ngày tồn tại",
                                   "not a real date; write YYYY-MM-DD with a day that exists"),
    "date_parsing": ("không phải ngày có thật; ghi YYYY-MM-DD với ngày tồn tại",
                     "not a real date; write YYYY-MM-DD with a day that exists"),
    "date_type": ("cần một ngày ghi dạng YYYY-MM-DD", "expected a date written YYYY-MM-DD"),
    "int_parsing": ("cần một số nguyên", "expected a whole number"),
    "float_parsing": ("cần một số", "expected a number"),
    "bool_parsing": ("cần true hoặc false", "expected true or false"),
    "greater_than_equal": ("quá nhỏ", "too small"),
    "greater_than": ("quá nhỏ", "too small"),
    "less_than_equal": ("quá lớn", "too large"),
    "int_parsing_size": ("số quá lớn", "far too large a number"),
    "int_from_float": ("cần một số nguyên", "expected a whole number"),
    "finite_number": ("cần một số hữu hạn", "expected a finite number"),
    "enum": ("không thuộc các giá trị cho phép", "not one of the allowed values"),
    "string_pattern_mismatch": ("sai định dạng", "wrong format"),
    "list_type": ("cần một danh sách (các dòng bắt đầu bằng '- ')",
                  "expected a list (lines starting with '- ')"),
    "model_type": ("cần một nhóm các trường", "expected a mapping of fields"),
    "model_attributes_type": ("cần một nhóm các trường", "expected a mapping of fields"),
}

register(_MODEL_TEXTS)
register({f"fix.{kind}": pair for kind, pair in FIXES.items()})

# the scenario's own consistency (models/scenario.py)
_SCENARIO: dict[str, tuple[str, str]] = {
    "scenario.range_order": (
        "khoảng ngày kết thúc ({end}) trước khi bắt đầu ({start}); đổi chỗ 'from' và 'to'",
        "range ends ({end}) before it starts ({start}); swap 'from' and 'to'"),
    "scenario.horizon_order": (
        "horizon.end phải sau horizon.start",
        "horizon.end must come after horizon.start"),
    "scenario.window_either": (
        "ghi hoặc 'quarters' (ví dụ [3, 4]) hoặc hai ngày 'from' và 'to'",
        "give either 'quarters' (e.g. [3, 4]) or 'from' and 'to' dates"),
    "scenario.window_both": (
        "khoảng thời gian theo ngày cần cả 'from' và 'to'",
        "a date window needs both 'from' and 'to'"),
    "scenario.window_order": (
        "khoảng thời gian kết thúc ({end}) trước khi bắt đầu ({start})",
        "window ends ({end}) before it starts ({start})"),
    "scenario.quarters_consecutive": (
        "các quý phải liền nhau, ví dụ [3, 4]",
        "quarters must be consecutive, e.g. [3, 4]"),
    "scenario.minutes_and_days": (
        "ghi cả visit_minutes ({minutes}) và duration ({days} ngày); giữ visit_minutes cho cuộc kiểm tra "
        "vài giờ, hoặc duration cho cuộc kiểm tra nhiều ngày",
        "visit_minutes ({minutes}) and duration ({days} days) both given; keep visit_minutes for a visit of "
        "a few hours, or duration for one of whole days"),
    "scenario.plan_date": (
        "campaign.plan_date: {day} nằm ngoài thời kỳ {start}..{end}; dời ngày hoặc mở rộng campaign.horizon",
        "campaign.plan_date: {day} is outside the horizon {start}..{end}; move the date or widen "
        "campaign.horizon"),
    "scenario.formed_late": (
        "teams.{i}.formed_on: {day} sau ngày kết thúc thời kỳ",
        "teams.{i}.formed_on: {day} is after the horizon end"),
    "scenario.window_outside": (
        "{where}: {first}..{last} nằm ngoài thời kỳ {start}..{end}; mở rộng campaign.horizon hoặc sửa "
        "khoảng thời gian",
        "{where}: {first}..{last} lies outside the horizon {start}..{end}; widen campaign.horizon or change "
        "the window"),
    "scenario.available_late": (
        "units.{i}.available_from ({id}): {day} sau khi hết khoảng thời gian ({last}); đơn vị sẽ không bao "
        "giờ được kiểm tra",
        "units.{i}.available_from ({id}): {day} is after the window closes ({last}); the unit could never "
        "be visited"),
    "scenario.minutes_too_long": (
        "units.{i}.visit_minutes ({id}): {minutes} phút không vừa một ngày làm việc {day} phút "
        "(rules.working_hours); rút ngắn, hoặc bỏ visit_minutes và ghi duration theo ngày",
        "units.{i}.visit_minutes ({id}): {minutes} minutes do not fit a working day of {day} minutes "
        "(rules.working_hours); shorten it, or drop visit_minutes and give duration in days"),
    "scenario.group_too_big": (
        "units.{i}.group_size ({id}): cần {n} thành viên nhưng đoàn {team} chỉ có {has}; giảm group_size "
        "hoặc bổ sung thành viên",
        "units.{i}.group_size ({id}): {n} members wanted but team {team} has {has}; lower group_size or add "
        "members"),
    "scenario.group_too_big_any": (
        "units.{i}.group_size ({id}): cần {n} thành viên nhưng đoàn đông nhất chỉ có {has}; giảm group_size "
        "hoặc bổ sung thành viên",
        "units.{i}.group_size ({id}): {n} members wanted but the biggest team has {has}; lower group_size "
        "or add members"),
    "scenario.duplicate_id": (
        "{section}.{i}.id: '{id}' bị dùng hai lần (cả ở {section}.{first}); đặt cho mỗi mục một mã riêng",
        "{section}.{i}.id: '{id}' is used twice (also {section}.{first}); give each an id of its own"),
    "scenario.unknown_ref": (
        "{where}: '{value}' không có trong {section}; dùng một trong: {listing}",
        "{where}: '{value}' is not in {section}; use one of: {listing}"),
}

_SCENARIO.update({
    "scenario.fieldwork_ends": (
        "campaign.fieldwork_ends: {day} nằm ngoài thời kỳ {start}..{end}; dời ngày vào trong hoặc "
        "mở rộng campaign.horizon",
        "campaign.fieldwork_ends: {day} is outside the horizon {start}..{end}; move it inside or "
        "widen campaign.horizon"),
})
register(_SCENARIO)

# reading the files (models/loading.py)
_LOADING: dict[str, tuple[str, str]] = {
    "load.cannot_read": (
        "không đọc được ({why}); kiểm tra quyền truy cập",
        "cannot read it ({why}); check its permissions"),
    "load.empty_yaml": (
        "tệp rỗng; hãy bắt đầu từ scenarios/hanoi-2025.yaml",
        "the file is empty; start from scenarios/hanoi-2025.yaml"),
    "load.empty": (
        "tệp rỗng; hãy chỉ đúng tệp cần đọc",
        "the file is empty; give {what}"),
    "load.too_deep": (
        "lồng nhau quá {n} cấp; không tệp kiemtra nào như vậy, hãy kiểm tra các dấu ngoặc",
        "nested more than {n} levels deep; no kiemtra file is, so check the brackets"),
    "load.too_many": (
        "hơn {n} giá trị (do bí danh YAML lặp lại); hãy viết dữ liệu ra đầy đủ, không dùng bí danh",
        "more than {n} values (YAML aliases repeat them); write the data out without aliases"),
    "load.far_too_deep": (
        "lồng nhau quá xa {n} cấp; không tệp kiemtra nào như vậy, hãy kiểm tra các dấu ngoặc",
        "nested far more than {n} levels deep; no kiemtra file is, so check the brackets"),
    "load.yaml_at": (
        "lỗi cú pháp YAML: {what}; sửa tệp tại vị trí đó",
        "YAML syntax: {what}; fix the file there"),
    "load.yaml": (
        "lỗi cú pháp YAML: {what}",
        "YAML syntax: {what}"),
    "load.not_mapping": (
        "cần một nhóm trường gồm campaign, teams, units...",
        "expected a mapping with campaign, teams, units..."),
    "fix_list": (
        "cần một danh sách (các dòng bắt đầu bằng '- ')",
        "expected a list (lines starting with '- ')"),
    "load.json": (
        "lỗi cú pháp JSON: {what}",
        "JSON syntax: {what}"),
    "load.units_suffix": (
        "danh sách đơn vị phải là tệp .csv hoặc .xlsx",
        "unit lists must be .csv or .xlsx"),
    "load.sheet": (
        "không đọc được bảng: {why}; hãy lưu lại dạng .xlsx hoặc .csv UTF-8",
        "cannot read the sheet: {why}; save it again as .xlsx or UTF-8 .csv"),
    "load.missing_columns": (
        "thiếu cột {missing}; bảng cần các cột {needed}",
        "missing column(s) {missing}; the sheet needs {needed}"),
}

register(_LOADING)
register({
    "as_of.outside": ("{day} nằm ngoài thời gian của đợt kiểm tra {first}–{last}; chọn một ngày "
                      "trong đó",
                      "{day} is outside the campaign horizon {first}..{last}; pick a day in it"),
    "load.all_hidden": ("mọi trang tính đều bị ẩn; hiện lại trang danh sách đơn vị",
                        "every sheet is hidden; unhide the unit list"),
})

# events files, ranges and times of day (models/events.py, limits.py, field_work.py)
_EVENTS: dict[str, tuple[str, str]] = {
    "events.range_order": (
        "'to' ({end}) trước 'from' ({start}); đổi chỗ hai ngày",
        "'to' ({end}) is before 'from' ({start}); swap them"),
    "events.not_mapping": (
        "cần một nhóm trường gồm 'schema: {schema}' và 'events:'",
        "expected a mapping with 'schema: {schema}' and 'events:'"),
    "events.schema": (
        "ghi 'schema: {schema}' (đang ghi {got}); đây có phải tệp sự kiện không?",
        "write 'schema: {schema}' (got {got}); is this an events file?"),
    "events.unknown_kind": (
        "loại sự kiện không có{got}; dùng một trong: {kinds}",
        "unknown event kind{got}; use one of: {kinds}"),
    "events.no_kind": (
        "ghi điều đã xảy ra bằng 'kind:', một trong: {kinds}",
        "say what happened with 'kind:', one of: {kinds}"),
    "events.yaml_bool_key": (
        "khóa ghi on/off/yes/no bị YAML đọc thành true/false; ghi ngày bằng 'from:' (hoặc 'date:' với kiểm "
        "tra đột xuất)",
        "a key written on/off/yes/no is read by YAML as true/false; write the date as 'from:' (or 'date:' "
        "for a surprise visit)"),
    "events.outside_horizon": (
        "{day} nằm ngoài thời kỳ của đợt kiểm tra {start}..{end}; kiểm tra lại ngày",
        "{day} is outside the campaign horizon {start}..{end}; check the date"),
    "events.member_exists": (
        "'{id}' đã là thành viên; đặt cho người mới một mã riêng (thành viên chuyển đoàn: member_leaves, "
        "rồi member_joins với mã mới)",
        "'{id}' is already a member; give the newcomer an id of their own (a member changing team: "
        "member_leaves, then member_joins with a new id)"),
    "events.unit_exists": (
        "'{id}' đã là đơn vị của đợt kiểm tra; đặt cho đơn vị mới một mã riêng",
        "'{id}' is already a unit of the campaign; give the new unit an id of its own"),
    "limits.out_of_range": (
        "ngoài khoảng cho phép: {allowed_vi}",
        "out of range: allowed {allowed}"),
    "limits.open": (
        "lớn hơn {lo}, tối đa {hi}",
        "more than {lo}, up to {hi}"),
    "limits.closed": (
        "từ {lo} đến {hi}",
        "{lo} to {hi}"),
    "field.not_a_time": (
        "'{value}' không phải giờ trong ngày; ghi HH:MM theo 24 giờ, ví dụ 08:00 hoặc 13:30",
        "'{value}' is not a time of day; write HH:MM on 24 hours, e.g. 08:00 or 13:30"),
}

register(_EVENTS)
