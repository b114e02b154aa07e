"""Vietnamese everywhere by default (issue 18, item 5): every command's --help, and real runs of
the commands on the Hanoi scenario and its plan, read without English words; ``--lang en`` and
``KIEMTRA_LANG=en`` give English."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from cli import main
from conftest import SCENARIOS
from models.messages import has, keys, pattern, say
from scheduler.output.help import lang_in_args

HANOI = SCENARIOS / "hanoi-2025.yaml"
MEMBER_ILL = SCENARIOS / "events" / "hanoi-2025-member-ill.yaml"

# English a Vietnamese planner must not meet: click's own headings, and our words.
CLICK = re.compile(r"Usage:|Options:|Commands:|Show this message|Show the version|Error:")
ENGLISH = re.compile(
    r"\b(assignments?|checked|problems?|error|warning|units?|never visited|visits?|"
    r"members?|teams?|schedule|written|valid|better plan|cost|bound|gap|seed|horizon|"
    r"working days|usable|changed|notify|because|nothing|undone|edits?|default|required|"
    r"summary|before|after|none|matches|states|claims)\b")
RULE_ID = re.compile(r"\b[HS]\d\d-[a-z-]+")


def english_in(text: str) -> list[str]:
    """English words left once paths, file names, options, field names ("members:"), rule ids,
    quoted values and click's bracketed ones (choices, defaults: data, not prose) are set aside."""
    found = {m.group(0) for m in CLICK.finditer(text)}
    text = RULE_ID.sub(" ", text)
    text = re.sub(r"\b\w+\[\d+\]", " ", text)  # a field path: units[0] (id SYT).window
    text = re.sub(r"\[[^\]\n]*\]|'[^'\n]*'", " ", text)  # [choices], 'values' quoted
    words = [w for w in text.split() if not re.search(r"[/.]\w|^--?\w|=|^[a-z_]+:$", w)]
    found |= {m.group(0) for m in ENGLISH.finditer(" ".join(words))}
    return sorted(found)


def invoke(*args: object, env: dict[str, str | None] | None = None) -> Result:
    runner = CliRunner(env={"KIEMTRA_LANG": None, **(env or {})})
    return runner.invoke(main, [str(a) for a in args])


def assert_vietnamese(result: Result, exit_codes: tuple[int, ...] = (0,)) -> None:
    assert result.exit_code in exit_codes, result.output
    assert english_in(result.output) == [], result.output


def test_the_detector_finds_english_and_passes_vietnamese() -> None:
    assert english_in("13 assignment(s) checked") == ["assignment", "checked"]
    assert english_in("Usage: kiemtra solve [OPTIONS]") == ["Usage:"]
    assert english_in("Sở Y tế is never visited") == ["never visited"]
    assert english_in("lỗi: /tmp/a.yaml: 1 problem(s)") == ["problem"]
    vietnamese = ("đã ghi: out/schedule.json; H01-once: mỗi đơn vị được kiểm tra đúng một lần "
                  "[mặc định: team] --units")
    assert english_in(vietnamese) == []


# --- --help ------------------------------------------------------------------------------------


def command_names() -> list[str]:
    return sorted(main.commands)


@pytest.mark.parametrize("name", ["", *command_names()])
def test_every_help_is_vietnamese_by_default(name: str) -> None:
    result = invoke(*([name] if name else []), "--help")
    assert result.output.startswith("Cách dùng: kiemtra")
    assert "Tùy chọn:" in result.output
    assert_vietnamese(result)


@pytest.mark.parametrize("name", command_names())
def test_every_option_has_its_help_in_the_catalogue(name: str) -> None:
    """An option added without a catalogue entry would show English help: caught here."""
    command = main.commands[name]
    assert has(f"cmd.{name}")
    for param in command.params:
        if isinstance(param, click.Option):
            assert has(f"opt.{name}.{param.name}") or has(f"opt.{param.name}"), param.name


def test_help_in_english_with_lang_or_the_environment() -> None:
    by_option = invoke("solve", "--help", "--lang", "en").output
    assert by_option.startswith("Usage: kiemtra solve [OPTIONS] SCENARIO")
    assert "Seconds of search (default: the scenario's)." in by_option
    assert "Show this message and exit." in by_option
    by_env = invoke("--help", env={"KIEMTRA_LANG": "en"}).output
    assert by_env.startswith("Usage: kiemtra [OPTIONS] COMMAND")
    assert "Plan SCENARIO: teams, dates and members" in by_env
    assert "Cách dùng" not in by_option + by_env


def test_lang_is_read_before_click_parses() -> None:
    assert lang_in_args(["x", "--lang", "en", "--help"]) == "en"
    assert lang_in_args(["--lang=en"]) == "en"
    assert lang_in_args(["--lang", "fr"]) is None
    assert lang_in_args(["--", "--lang", "en"]) is None


def test_every_message_has_both_languages_and_they_differ() -> None:
    """A Vietnamese text copied from the English (or left empty) is a missing translation;
    ids and names (CP-SAT, file names) are the same in both and are not prose."""
    same = [k for k in keys() if pattern(k)[0] == pattern(k)[1]
            and re.search(r"[a-z]{4,} [a-z]{4,}", pattern(k)[1])]
    assert same == []
    assert all(pattern(k)[0].strip() for k in keys())


# --- real runs ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    out = tmp_path_factory.mktemp("hanoi") / "plan"
    result = invoke("solve", HANOI, "--out", out, "--time-limit", "1", "--workers", "1",
                    "--formats", "json,csv")
    assert result.exit_code == 0, result.output
    return out, result


def test_solve_speaks_vietnamese(solved: tuple[Path, Result]) -> None:
    assert_vietnamese(solved[1])
    assert "kiểm tra độc lập: mọi quy tắc đều được bảo đảm" in solved[1].output


@pytest.mark.parametrize("args", [
    ("validate", HANOI),
    ("deadline", "17/06/2025"),
    ("calendar", "2025"),
], ids=lambda a: a if isinstance(a, str) else None)
def test_commands_without_a_plan_speak_vietnamese(args: tuple[object, ...]) -> None:
    assert_vietnamese(invoke(*args))


def test_plan_commands_speak_vietnamese(solved: tuple[Path, Result], tmp_path: Path) -> None:
    out, _ = solved
    plan = out / "schedule.json"
    check = invoke("check", HANOI, plan)
    assert "đã rà soát 14 cuộc kiểm tra" in check.output
    runs = [check,
            invoke("gantt", plan, "--out", tmp_path / "g.png"),
            invoke("export", plan, "--format", "xlsx", "--out", tmp_path / "k.xlsx"),
            invoke("diff", plan, plan)]
    for result in runs:
        assert_vietnamese(result)


def test_replan_and_its_diff_speak_vietnamese(solved: tuple[Path, Result], tmp_path: Path) -> None:
    out, _ = solved
    replan = invoke("replan", HANOI, "--baseline", out / "schedule.json", "--as-of", "01/07/2025",
                    "--events", MEMBER_ILL, "--out", tmp_path / "again", "--time-limit", "1",
                    "--workers", "1")
    assert_vietnamese(replan)
    assert "đơn vị cần thông báo lại" in replan.output
    assert_vietnamese(invoke("diff", out / "schedule.json", tmp_path / "again" / "schedule.json"))


def test_repair_and_a_broken_check_speak_vietnamese(solved: tuple[Path, Result],
                                                     tmp_path: Path) -> None:
    out, _ = solved
    data = json.loads((out / "schedule.json").read_text(encoding="utf-8"))
    data["assignments"][0]["start"] = data["assignments"][0]["end"] = "2025-06-14"  # a Saturday
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    broken = invoke("check", HANOI, edited)
    assert_vietnamese(broken, (1,))
    assert "14/06/2025 không phải ngày làm việc" in broken.output
    repaired = invoke("repair", HANOI, edited, "--out", tmp_path / "fixed", "--time-limit", "2",
                      "--workers", "1", "--formats", "json")
    assert_vietnamese(repaired, (0, 1))  # 1: no repair within the budget, said in Vietnamese
    assert "bản đã sửa có" in repaired.output


def test_bad_input_speaks_vietnamese_and_english_on_request(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(HANOI.read_text(encoding="utf-8").replace("members:", "memberz:", 1),
                   encoding="utf-8")
    vi = invoke("validate", bad)
    assert_vietnamese(vi, (2,))
    assert "lỗi cần sửa" in vi.output
    en = invoke("validate", bad, "--lang", "en")
    assert en.exit_code == 2 and "problem(s)" in en.output and "unknown field" in en.output


def test_english_runs_stay_english(solved: tuple[Path, Result]) -> None:
    out, _ = solved
    result = invoke("check", HANOI, out / "schedule.json", "--lang", "en")
    assert "14 assignment(s) checked" in result.output
    assert say("check.head", "en", campaign="C", n=1) == "C: 1 assignment(s) checked"


@pytest.mark.parametrize("args", [
    ("solve",),  # a missing argument
    ("solve", HANOI, "--time-limit", "0"),  # out of range
    ("solve", HANOI, "--foo"),  # no such option
    ("nope",),  # no such command
    ("gantt", "x.json", "--view", "bad"),  # not a choice
    ("deadline", "2025-13-01"),  # not a date
    ("deadline", "01/01/1990"),  # a year the calendar does not cover
    ("check", "missing.yaml", "missing.json"),  # no such file
], ids=lambda a: " ".join(map(str, a))[:40])
def test_a_wrong_command_line_is_told_in_vietnamese(args: tuple[object, ...]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert "lỗi: " in result.output
    assert_vietnamese(result, (2,))


def test_a_wrong_command_line_in_english_on_request() -> None:
    result = invoke("solve", HANOI, "--foo", "--lang", "en")
    assert "Error: No such option '--foo'" in result.output
    assert "Usage: kiemtra solve" in result.output


@pytest.mark.parametrize("change, vi, en", [
    (("{id: D1-TK,", "{id: D1-TD,"), "'D1-TD' bị dùng hai lần", "'D1-TD' is used twice"),
    (("window: {quarters: [2], expected: true}", "window: {quarters: [2, 4]}"),
     "các quý phải liền nhau", "quarters must be consecutive"),
    (("agency: SNV, team: D1, role: leader", "agency: SZZ, team: D1, role: leader"),
     "'SZZ' không có trong agencies", "'SZZ' is not in agencies"),
], ids=["duplicate id", "window", "dangling agency"])
def test_scenario_errors_in_both_languages(tmp_path: Path, change: tuple[str, str], vi: str,
                                            en: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(HANOI.read_text(encoding="utf-8").replace(*change, 1), encoding="utf-8")
    in_vi = invoke("validate", bad)
    assert vi in in_vi.output and en not in in_vi.output
    assert_vietnamese(in_vi, (2,))
    assert en in invoke("validate", bad, "--lang", "en").output


def test_an_id_means_one_text() -> None:
    from models.messages import register

    register({"test.once": ("một", "one")})
    register({"test.once": ("một", "one")})  # the same text again is harmless
    with pytest.raises(ValueError, match="defined twice"):
        register({"test.once": ("hai", "two")})
    assert say("test.once") == "một" and say("test.once", "en") == "one"
