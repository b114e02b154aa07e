"""Whole output sets (scheduler/output/sets.py): a write killed at any step leaves one complete set.

Each kill test runs the write in a subprocess that SIGKILLs itself at one named step, for every
step of the write, with the atomic exchange and with the two-rename fallback; then the folder is
recovered and must hold exactly the old set or exactly the new one, schedule.json made for the
scenario.yaml beside it, and the planner's own file kept.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from test_output_plans import TINY_PLAN, build

import scheduler.output.sets as output_sets
from cli import main
from conftest import ROOT, make_scenario, tiny_scenario_data
from models.loading import load_scenario
from models.schedule import Schedule
from scheduler.output import build_outputs, write_outputs
from scheduler.output.sets import (
    MANIFEST_NAME,
    OutputFolderError,
    is_complete,
    output_lock,
    recover_output_set,
    write_output_set,
)
from scheduler.problem.schedule_build import scenario_sha256

Contents = dict[str, bytes]
MINE = "notes/ghi-chu.txt"  # a file the planner put in the folder: never ours, never lost
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
KILLER = """
import os, pickle, signal, sys
from scheduler.output import sets as output_sets
folder, contents, info, step, exchange = pickle.loads(open(sys.argv[1], "rb").read())
if not exchange:
    output_sets.exchange_paths = lambda a, b: False
def hook(name):
    if name == step:
        os.kill(os.getpid(), signal.SIGKILL)
output_sets.write_output_set(folder, contents, info, on_step=hook)
"""


def plan_set(name: str, plan: list[Any]) -> tuple[Contents, dict[str, str]]:
    """schedule.json/csv, calendars and scenario.yaml of a tiny campaign called ``name``."""
    data = tiny_scenario_data()
    data["campaign"]["name"] = name
    scenario = make_scenario(data)
    schedule = build(scenario, plan)
    contents = build_outputs(scenario, schedule, {"json", "csv", "ics"})
    contents["scenario.yaml"] = yaml.safe_dump(data, allow_unicode=True).encode("utf-8")
    return contents, {"scenario_sha256": schedule.scenario.sha256}


OLD = plan_set("Kế hoạch cũ", TINY_PLAN)
NEW = plan_set("Kế hoạch mới", TINY_PLAN[:2])  # U3 gone: member-A3.ics must go with the old set


def ours(folder: Path) -> Contents:
    return {rel: (folder / rel).read_bytes() for rel in output_sets.set_files(folder)
            if rel not in (MANIFEST_NAME, MINE)}


def leftovers(folder: Path, lock: bool = True) -> set[str]:
    """Staged or old sets beside the folder (and its lock file: a killed run cannot remove it)."""
    return {p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}.")
            and (lock or not p.name.endswith(".lock"))}


def assert_one_whole_set(folder: Path) -> str:
    """The folder holds exactly the old or the new set, consistent with itself; say which."""
    assert is_complete(folder)
    found = ours(folder)
    which = "old" if found == OLD[0] else "new" if found == NEW[0] else "mixed"
    assert which != "mixed", sorted(found)
    schedule = Schedule.model_validate_json(found["schedule.json"])
    assert schedule.scenario.sha256 == scenario_sha256(load_scenario(folder / "scenario.yaml"))
    manifest = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["scenario_sha256"] == schedule.scenario.sha256
    assert (folder / MINE).read_text(encoding="utf-8") == "của tôi"
    return which


def steps_of_a_write(tmp_path: Path, exchange: bool, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    folder = tmp_path / "probe" / "out"
    write_output_set(folder, *OLD)
    seen: list[str] = []
    with monkeypatch.context() as patch:
        if not exchange:
            patch.setattr(output_sets, "exchange_paths", lambda a, b: False)
        write_output_set(folder, *NEW, on_step=seen.append)
    return seen


def killed_write(folder: Path, new: tuple[Contents, dict[str, str]], step: str,
                 exchange: bool) -> int:
    job = folder.parent / "job.pickle"
    job.write_bytes(pickle.dumps((folder, *new, step, exchange)))
    done = subprocess.run([sys.executable, "-c", KILLER, str(job)], cwd=ROOT, check=False,
                          capture_output=True, text=True, env=ENV)
    job.unlink()
    return done.returncode


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2-exchange", "two-renames"])
def test_a_write_killed_at_any_step_leaves_one_whole_set(exchange: bool, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    steps = steps_of_a_write(tmp_path, exchange, monkeypatch)
    assert len(steps) == len(NEW[0]) + 4 + (0 if exchange else 1)
    outcomes = {}
    for k, step in enumerate(steps):
        folder = tmp_path / f"run{k}" / "out"
        write_output_set(folder, *OLD)
        (folder / MINE).parent.mkdir()
        (folder / MINE).write_text("của tôi", encoding="utf-8")
        assert killed_write(folder, NEW, step, exchange) == -signal.SIGKILL, step
        recover_output_set(folder)
        outcomes[step] = assert_one_whole_set(folder)
        assert not leftovers(folder, lock=False), step
        write_output_set(folder, *NEW)  # the next run completes and leaves nothing beside
        assert assert_one_whole_set(folder) == "new" and not leftovers(folder)
        assert not (folder / "ics" / "member-A3.ics").exists()
    assert outcomes["manifest written"] == "old" and outcomes["after swap"] == "new"


def test_a_first_write_killed_leaves_all_or_nothing(tmp_path: Path) -> None:
    for step in [f"staged {rel}" for rel in NEW[0]] + ["manifest written", "after swap"]:
        folder = tmp_path / step.replace("/", "_").replace(" ", "_") / "out"
        folder.parent.mkdir()
        assert killed_write(folder, NEW, step, exchange=True) == -signal.SIGKILL
        recover_output_set(folder)
        assert not leftovers(folder, lock=False)
        if step == "after swap":
            assert ours(folder) == NEW[0] and is_complete(folder)
        else:  # a staged set is complete only once its manifest is written
            assert (not folder.exists()) or ours(folder) == NEW[0]


def test_a_reading_command_finishes_an_interrupted_swap(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    write_output_set(folder, *OLD)
    (folder / MINE).parent.mkdir()
    (folder / MINE).write_text("của tôi", encoding="utf-8")
    killed_write(folder, NEW, "old set moved aside", exchange=False)
    assert not folder.exists()  # between the two renames: both sets beside it
    result = CliRunner().invoke(main, ["report", str(folder / "schedule.json"),
                                       "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    assert "finished an interrupted write" in result.output
    assert assert_one_whole_set(folder) == "new" and not leftovers(folder)
    assert "Kế hoạch mới" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_fewer_formats_leave_no_charts_workbook_or_calendars_of_the_last_run(
        tiny, tmp_path: Path) -> None:
    schedule = build(tiny, TINY_PLAN)
    write_outputs(tiny, schedule, tmp_path / "out", {"json", "csv", "xlsx", "ics", "svg", "html"})
    write_outputs(tiny, schedule, tmp_path / "out", {"json", "csv"})
    assert sorted(output_sets.set_files(tmp_path / "out")) == [
        MANIFEST_NAME, "schedule.csv", "schedule.json"]


def test_a_chart_drawn_beside_the_schedule_goes_with_its_set(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    write_output_set(folder, *OLD)
    (folder / "gantt-member.png").write_bytes(b"chart of the old plan")  # kiemtra gantt's default
    (folder / MINE).parent.mkdir()
    (folder / MINE).write_text("của tôi", encoding="utf-8")
    write_output_set(folder, *NEW)
    assert not (folder / "gantt-member.png").exists()
    assert assert_one_whole_set(folder) == "new"


def test_a_symlinked_out_is_written_where_it_points(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    write_output_set(tmp_path / "link", *OLD)
    write_output_set(tmp_path / "link", *NEW)
    assert (tmp_path / "link").is_symlink() and ours(tmp_path / "real") == NEW[0]


def test_a_second_writer_fails_at_once_with_the_lock_message(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom scheduler.output.sets import output_lock\n"
         "with output_lock(sys.argv[1]):\n    print('held', flush=True)\n    time.sleep(60)\n",
         str(folder)], cwd=ROOT, env=ENV, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(OutputFolderError) as caught:
            write_output_set(folder, *NEW)
        assert re.search(f"another kiemtra run is writing .*out \\(pid {holder.pid}\\); wait for it "
                         "or choose another --out", caught.value.render("en"))
        assert f"một lần chạy kiemtra khác đang ghi {folder} (pid {holder.pid})" \
            in caught.value.render("vi")
        scenario = tmp_path / "s.yaml"
        scenario.write_bytes(NEW[0]["scenario.yaml"])
        result = CliRunner().invoke(main, ["solve", str(scenario), "--out", str(folder)])
        assert result.exit_code == 2 and f"pid {holder.pid}" in result.output
        assert "solving" not in result.output  # refused before the solve, not after it
    finally:
        holder.kill()
        holder.wait()
    write_output_set(folder, *NEW)  # the lock dies with its holder
    assert ours(folder) == NEW[0] and not leftovers(folder)  # no lock file left either


def test_the_lock_is_reentrant_within_one_run(tmp_path: Path) -> None:
    with output_lock(tmp_path / "out"):
        write_output_set(tmp_path / "out", *OLD)
    assert ours(tmp_path / "out") == OLD[0]


@pytest.mark.parametrize("make", ["file", "file-parent", "cwd"])
def test_an_unusable_out_is_refused_before_solving(make: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_bytes(NEW[0]["scenario.yaml"])
    out = tmp_path / "out"
    if make == "file":
        out.write_text("not a folder")
    elif make == "file-parent":
        (tmp_path / "blocker").write_text("x")
        out = tmp_path / "blocker" / "out"
    else:
        out.mkdir()
        monkeypatch.chdir(out)
    result = CliRunner().invoke(main, ["solve", str(scenario), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert str(out) in result.output and "--out" in result.output
    assert "solving" not in result.output and "Traceback" not in result.output


def test_the_manifest_lists_every_file_with_its_hash(tmp_path: Path) -> None:
    write_output_set(tmp_path / "out", *OLD)
    manifest = json.loads((tmp_path / "out" / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["schema"] == "kiemtra.outputs/1" and manifest["kiemtra_version"]
    assert {f["path"] for f in manifest["files"]} == set(OLD[0])
    (tmp_path / "out" / "schedule.csv").write_bytes(b"edited")
    assert not is_complete(tmp_path / "out")


def test_replan_into_the_baseline_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "base"
    write_output_set(folder, *OLD)
    before = ours(folder)
    args = ["replan", str(folder / "scenario.yaml"), "--baseline", str(folder / "schedule.json"),
            "--as-of", "2025-06-11"]
    for out in (folder, tmp_path):
        result = CliRunner().invoke(main, [*args, "--out", str(out)])
        assert result.exit_code == 2 and "--overwrite-baseline" in result.output, result.output
    assert ours(folder) == before and not leftovers(folder)
