"""Bad-input corpus, where files are written: output folders and their locks, published calendars,
routed plans and what happens when an output fails after the search (README "Bad input",
"Output folders").

Every case starts from the solved Hanoi plan of ``surface_helpers`` (or the greedy commune plan with
day routes) and checks exit 2 naming the path and the fix, no traceback, and nothing lost: the
fingerprint of every file the case did not mean to change is the same afterwards.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from route_helpers import timed_communes
from surface_helpers import assert_refused, copy_plan, fingerprint, run, solved_folder

from conftest import SCENARIOS
from models.loading import load_scenario, load_schedule
from scheduler.output.sets import MANIFEST_NAME, is_complete, read_manifest, set_files

Args = Callable[[Path, Path], list[str]]

# Commands that write a folder, each given the plan folder and the folder it writes.
WRITERS: dict[str, Args] = {
    "solve": lambda h, out: ["solve", str(h / "scenario.yaml"), "--out", str(out)],
    "repair": lambda h, out: ["repair", str(h / "scenario.yaml"), str(h / "schedule.json"),
                              "--out", str(out)],
    "replan": lambda h, out: ["replan", str(h / "scenario.yaml"), "--baseline",
                              str(h / "schedule.json"), "--as-of", "2025-08-01", "--out", str(out)],
    "letters": lambda h, out: ["letters", str(h / "schedule.json"), "--out", str(out)],
    "export-ics": lambda h, out: ["export", str(h / "schedule.json"), "--format", "ics",
                                  "--out", str(out)],
}


def in_manifest(folder: Path) -> None:
    """Every file of the folder is listed by its manifest (or carried as the planner's own)."""
    manifest = read_manifest(folder)
    assert manifest is not None and is_complete(folder)
    listed = {f["path"] for f in manifest["files"]} | set(manifest["carried_over"]) | {MANIFEST_NAME}
    assert set(set_files(folder)) <= listed, set(set_files(folder)) - listed


# --- locks: never followed through a link, never truncating a file that is not ours ---------------


def lock_as_symlink(tmp: Path, out: Path) -> Path:
    target = tmp / "planner-notes.txt"
    target.write_bytes(b"x" * 1500)
    os.symlink(target, out.parent / f".{out.name}.lock")
    return target


def lock_as_hard_link(tmp: Path, out: Path) -> Path:
    target = tmp / "planner-notes.txt"
    target.write_bytes(b"y" * 1500)
    os.link(target, out.parent / f".{out.name}.lock")
    return target


def lock_as_dangling_link(tmp: Path, out: Path) -> Path:
    os.symlink(tmp / "nowhere" / "file", out.parent / f".{out.name}.lock")
    return tmp / "nowhere"


def lock_as_folder(tmp: Path, out: Path) -> Path:
    (out.parent / f".{out.name}.lock").mkdir()
    return out.parent / f".{out.name}.lock"


def lock_as_fifo(tmp: Path, out: Path) -> Path:
    os.mkfifo(out.parent / f".{out.name}.lock")
    return out.parent / f".{out.name}.lock"


LOCKS = {"symlink": (lock_as_symlink, "symbolic link"), "hard-link": (lock_as_hard_link, "not kiemtra's"),
         "dangling": (lock_as_dangling_link, "symbolic link"), "folder": (lock_as_folder, "lock file"),
         "fifo": (lock_as_fifo, "not kiemtra's")}


@pytest.mark.parametrize("lock", sorted(LOCKS))
@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_lock_that_is_not_ours_is_refused_and_left_alone(tmp_path: Path, writer: str, lock: str) -> None:
    plan = copy_plan(tmp_path)
    out = tmp_path / "out"
    make, expected = LOCKS[lock]
    target = make(tmp_path, out)
    before = fingerprint(tmp_path)
    assert_refused(run(WRITERS[writer](plan, out)), ".out.lock", expected)
    assert fingerprint(tmp_path) == before and not out.exists()
    assert os.path.lexists(out.parent / ".out.lock") and (lock == "dangling" or target.exists())


# --- repair into the plan's own folder -------------------------------------------------------------

EDITED = ["schedule.json", "schedule.xlsx", "schedule.csv"]


@pytest.mark.parametrize("formats", ["json", "all"])
@pytest.mark.parametrize("edited", EDITED)
@pytest.mark.parametrize("where", [".", ".."])
def test_repair_into_the_edited_plans_folder_is_refused(tmp_path: Path, edited: str, formats: str,
                                                        where: str) -> None:
    plan = copy_plan(tmp_path)
    before = fingerprint(tmp_path)
    result = run(["repair", str(plan / "scenario.yaml"), str(plan / edited), "--out",
                  str(plan / where), "--formats", formats])
    assert_refused(result, "the edited plan", edited, "Choose another --out")
    assert fingerprint(tmp_path) == before


def test_repair_writes_a_whole_set_with_its_scenario(tmp_path: Path) -> None:
    plan = copy_plan(tmp_path)
    out = tmp_path / "repaired"
    result = run(["repair", str(plan / "scenario.yaml"), str(plan / "schedule.xlsx"), "--out", str(out),
                  "--formats", "json,xlsx,ics", "--time-limit", "2"])
    assert result.exit_code == 0, result.output
    in_manifest(out)
    assert (out / "scenario.yaml").read_bytes() == (plan / "scenario.yaml").read_bytes()
    assert not (out.parent / ".repaired.lock").exists()


# --- letters remove only what their own manifest listed ------------------------------------------


@pytest.mark.parametrize("name", ["thong-bao-ban-ky.docx", "thong-bao-tat-ca-cu.docx", "ghi-chu.txt"])
def test_letters_keep_the_planners_own_files(tmp_path: Path, name: str) -> None:
    plan = copy_plan(tmp_path)
    out = tmp_path / "thu"
    assert run(["letters", str(plan / "schedule.json"), "--out", str(out)]).exit_code == 0
    (out / name).write_bytes(b"signed copy")
    result = run(["letters", str(plan / "schedule.json"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / name).read_bytes() == b"signed copy"
    in_manifest(out)


# --- published calendars that cannot be read -----------------------------------------------------

CORRUPT: dict[str, bytes] = {
    "garbage": b"not a calendar at all",
    "empty": b"",
    "binary": bytes(range(256)) * 4,
    "truncated": b"BEGIN:VCALENDAR\r\nPRODID:-//kiemtra//inspection schedule//VI\r\nBEGIN:VEVENT\r\n",
    "bad-sequence": b"BEGIN:VCALENDAR\r\nPRODID:-//kiemtra//inspection schedule//VI\r\nBEGIN:VEVENT\r\n"
                    b"UID:x\r\nSEQUENCE:abc\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    "nul": b"BEGIN:VCALENDAR\r\n\x00\x00\r\nEND:VCALENDAR\r\n",
    **{f"event-{name}": b"BEGIN:VCALENDAR\r\nPRODID:-//kiemtra//inspection schedule//VI\r\n"
       b"X-KIEMTRA-OWNER:team:D1\r\nBEGIN:VEVENT\r\nUID:x\r\n" + body + b"END:VEVENT\r\nEND:VCALENDAR\r\n"
       for name, body in [("no-start", b"SEQUENCE:1\r\n"),
                          ("huge-sequence", b"DTSTART;VALUE=DATE:20250101\r\nSEQUENCE:99999999999\r\n"),
                          ("last-sequence", b"DTSTART;VALUE=DATE:20250101\r\nSEQUENCE:2147483647\r\n"),
                          ("negative-sequence", b"DTSTART;VALUE=DATE:20250101\r\nSEQUENCE:-5\r\n")]},
    "utf16": "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".encode("utf-16"),
}


@pytest.mark.parametrize("kind", sorted(CORRUPT))
def test_corrupt_published_calendar_is_set_aside_and_publishing_goes_on(tmp_path: Path, kind: str) -> None:
    plan = copy_plan(tmp_path)
    victim = sorted((plan / "ics").glob("team-*.ics"))[0]
    victim.write_bytes(CORRUPT[kind])
    result = run(["export", str(plan / "schedule.json"), "--format", "ics"])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    aside = list((plan / "ics").glob(f"{victim.name}.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == CORRUPT[kind]
    assert victim.read_bytes().startswith(b"BEGIN:VCALENDAR") and victim.name in result.output
    in_manifest(plan)


def test_calendar_set_aside_stays_through_the_next_run(tmp_path: Path) -> None:
    plan = copy_plan(tmp_path)
    victim = sorted((plan / "ics").glob("member-*.ics"))[0]
    victim.write_bytes(CORRUPT["garbage"])
    for _ in range(2):
        assert run(["export", str(plan / "schedule.json"), "--format", "ics"]).exit_code == 0
    assert len(list((plan / "ics").glob("*.corrupt-*"))) == 1
    in_manifest(plan)


# --- charts and reports written beside a schedule join its set ------------------------------------

BESIDE: dict[str, list[str]] = {
    "gantt": ["gantt", "{s}", "--view", "team", "--out", "{d}/extra.png"],
    "report": ["report", "{s}", "--out", "{d}/extra.html"],
    "export-xlsx": ["export", "{s}", "--format", "xlsx", "--out", "{d}/extra.xlsx"],
}


@pytest.mark.parametrize("command", sorted(BESIDE))
def test_file_written_beside_a_schedule_is_in_the_manifest(tmp_path: Path, command: str) -> None:
    plan = copy_plan(tmp_path)
    args = [a.format(s=plan / "schedule.json", d=plan) for a in BESIDE[command]]
    assert run(args).exit_code == 0
    in_manifest(plan)
    assert any(f["path"].startswith("extra.") for f in (read_manifest(plan) or {})["files"])


SPECIAL: dict[str, Callable[[Path, Path], None]] = {
    "fifo": lambda path, outside: os.mkfifo(path),
    "link-out": lambda path, outside: os.symlink(outside, path),
    "dangling": lambda path, outside: os.symlink(outside.parent / "gone", path),
}


@pytest.mark.parametrize("kind", sorted(SPECIAL))
@pytest.mark.parametrize("command", ["export-ics", *sorted(BESIDE)])
def test_special_file_named_like_ours_is_never_read(tmp_path: Path, kind: str, command: str) -> None:
    plan = copy_plan(tmp_path)
    outside = tmp_path / "secret.txt"
    outside.write_bytes(b"not for the set")
    (plan / "gantt-team.png").unlink()
    SPECIAL[kind](plan / "gantt-team.png", outside)
    args = (["export", str(plan / "schedule.json"), "--format", "ics"] if command == "export-ics"
            else [a.format(s=plan / "schedule.json", d=plan) for a in BESIDE[command]])
    assert run(args).exit_code == 0  # a pipe read as a chart would hang here
    in_manifest(plan)
    assert os.path.lexists(plan / "gantt-team.png") and outside.read_bytes() == b"not for the set"
    assert "gantt-team.png" in (read_manifest(plan) or {})["carried_over"]


# --- routed plans: every stated figure is recomputed ----------------------------------------------

FORGERIES: dict[str, Callable[[dict], None]] = {
    "minutes+1": lambda a: a.update(travel_minutes=a["travel_minutes"] + 1),
    "minutes-0": lambda a: a.update(travel_minutes=0 if a["travel_minutes"] else 7),
    "minutes*3": lambda a: a.update(travel_minutes=a["travel_minutes"] * 3 + 1),
    "km+0.5": lambda a: a.update(travel_km=round(a["travel_km"] + 0.5, 2)),
    "km=0": lambda a: a.update(travel_km=0.0 if a["travel_km"] else 3.0),
    "km*2": lambda a: a.update(travel_km=round(a["travel_km"] * 2 + 0.1, 2)),
}


def routed_plan(tmp: Path, forge: Callable[[dict], None] | None, stop: int) -> Path:
    _, plan = timed_communes()
    data = json.loads(plan.to_json())
    timed = [a for a in data["assignments"] if a.get("start_time")]
    if forge is not None:
        forge(timed[stop])
    path = tmp / "schedule.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


@pytest.mark.parametrize("stop", [0, 5])
@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_forged_travel_figure_is_flagged(tmp_path: Path, forgery: str, stop: int) -> None:
    path = routed_plan(tmp_path, FORGERIES[forgery], stop)
    result = run(["check", str(SCENARIOS / "hanoi-2025-communes.yaml"), str(path), "--lang", "en"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert ("travel_minutes" if "minutes" in forgery else "travel_km") in result.output


def later(hhmm: str, minutes: int) -> str:
    total = int(hhmm[:2]) * 60 + int(hhmm[3:]) + minutes
    return f"{total // 60:02d}:{total % 60:02d}"


TIMES: dict[str, Callable[[dict], None]] = {
    "start+5": lambda a: a.update(start_time=later(a["start_time"], 5)),
    "end+10": lambda a: a.update(end_time=later(a["end_time"], 10)),
    "end-early": lambda a: a.update(end_time=a["start_time"]),
}


@pytest.mark.parametrize("forgery", sorted(TIMES))
def test_forged_clock_time_is_flagged(tmp_path: Path, forgery: str) -> None:
    path = routed_plan(tmp_path, TIMES[forgery], 3)
    result = run(["check", str(SCENARIOS / "hanoi-2025-communes.yaml"), str(path), "--lang", "en"])
    assert result.exit_code == 1 and "H16" in result.output and "the route gives" in result.output


DATES: dict[str, tuple[str, int]] = {"end": ("H02", 1), "report_due": ("H04", -1),
                                      "announce_by": ("H04", -3)}


@pytest.mark.parametrize("field", sorted(DATES))
def test_forged_date_is_flagged(tmp_path: Path, field: str) -> None:
    plan = copy_plan(tmp_path)
    data = json.loads((plan / "schedule.json").read_text("utf-8"))
    visit = data["assignments"][0]
    rule, days = DATES[field]
    visit[field] = date.fromordinal(date.fromisoformat(visit[field]).toordinal() + days).isoformat()
    (plan / "schedule.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    result = run(["check", str(plan / "scenario.yaml"), str(plan / "schedule.json"), "--lang", "en"])
    assert result.exit_code == 1 and rule in result.output and "Traceback" not in result.output


def test_routed_plan_as_built_has_no_false_claim(tmp_path: Path) -> None:
    path = routed_plan(tmp_path, None, 0)
    result = run(["check", str(SCENARIOS / "hanoi-2025-communes.yaml"), str(path), "--lang", "en"])
    assert "travel_" not in result.output and result.exit_code == 0, result.output


# --- after the search: the plan is kept whatever output fails ------------------------------------


@pytest.mark.parametrize("broken", ["scheduler.output.report_html", "scheduler.output.workbook_bytes",
                                    "scheduler.output.calendar_files", "scheduler.output.render_view"])
def test_failing_output_keeps_the_plan_and_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    broken: str) -> None:
    from scheduler.output import FORMATS, write_outputs
    from scheduler.output.console import OutputsFailed

    plan = copy_plan(tmp_path)
    scenario, schedule = load_scenario(plan / "scenario.yaml"), load_schedule(plan / "schedule.json")
    calendars = fingerprint(plan / "ics")

    def fail(*_args: object, **_kwargs: object) -> bytes:
        raise ValueError("disk of the chart library full")
    monkeypatch.setattr(broken, fail)
    with pytest.raises(OutputsFailed) as caught:
        write_outputs(scenario, schedule, plan, FORMATS)
    assert "disk of the chart library full" in str(caught.value)
    assert json.loads((plan / "schedule.json").read_text("utf-8")) == \
        json.loads((solved_folder() / "schedule.json").read_text("utf-8"))
    if broken.endswith("calendar_files"):
        assert fingerprint(plan / "ics") == calendars  # published calendars never dropped
    in_manifest(plan)


def test_command_whose_output_fails_exits_1_naming_it(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object, **_kwargs: object) -> bytes:
        raise ValueError("cell too long")
    plan, out = copy_plan(tmp_path), tmp_path / "repaired"  # solved before the workbook breaks
    monkeypatch.setattr("scheduler.output.workbook_bytes", fail)
    result = run(["repair", str(plan / "scenario.yaml"), str(plan / "schedule.json"), "--out", str(out),
                  "--formats", "json,xlsx", "--time-limit", "2", "--lang", "en"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "schedule.xlsx could not be written: cell too long" in result.output
    assert (out / "schedule.json").is_file() and not (out / "schedule.xlsx").exists()
    in_manifest(out)


# --- charts of a plan with a visit years away ----------------------------------------------------


@pytest.mark.parametrize("year", [2026, 2030])
def test_visit_years_away_adds_one_panel(tmp_path: Path, year: int) -> None:
    from scheduler.output.gantt_parts import panel_months
    from scheduler.output.view import build_view

    plan = copy_plan(tmp_path)
    scenario, schedule = load_scenario(plan / "scenario.yaml"), load_schedule(plan / "schedule.json")
    before = len(panel_months(build_view(scenario, schedule)))
    moved = schedule.assignments[0].model_copy(update={
        "start": date(year, 6, 3), "end": date(year, 6, 3), "report_due": None, "announce_by": None})
    later = schedule.model_copy(update={"assignments": [moved, *schedule.assignments[1:]]})
    assert len(panel_months(build_view(scenario, later))) <= before + 1
