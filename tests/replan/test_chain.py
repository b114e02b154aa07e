"""The whole chain a planner runs: solve → replan after each kind of event → every output.

After a merger, split or removal the re-planned scenario travels with the schedule and the
cancelled visits of units that left it keep their names, so gantt, export (xlsx, ics, csv),
report, letters and diff all work on the re-planned folder; `check --as-of` passes on it (no
re-planned or new visit is announced before the re-plan date).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from replan_helpers import AS_OF, baseline, campaign_data

from cli import main

WINDOW = {"from": "2025-06-02", "to": "2025-07-31"}
EVENTS: dict[str, dict[str, Any]] = {
    "member_unavailable": {"kind": "member_unavailable", "member": "B3",
                           "from": "2025-06-16", "to": "2025-06-20"},
    "member_leaves": {"kind": "member_leaves", "member": "A3", "from": "2025-06-12"},
    "member_joins": {"kind": "member_joins", "from": "2025-06-16", "member": {
        "id": "A9", "label": "Thành viên mới", "agency": "STP", "team": "D1"}},
    "unit_moves": {"kind": "unit_moves", "unit": "U4", "excluded_dates": ["2025-06-18"]},
    "unit_added": {"kind": "unit_added", "unit": {
        "id": "U9", "name": "Phường Mới", "kind": "ward", "window": WINDOW}},
    "unit_removed": {"kind": "unit_removed", "unit": "U5"},
    "surprise_visit": {"kind": "surprise_visit", "unit": "U5", "date": "2025-06-13"},
    "units_merged": {"kind": "units_merged", "units": ["U4", "U5"], "from": "2025-06-16",
                     "into": {"id": "C1", "name": "Phường Hợp nhất"}},
    "unit_split": {"kind": "unit_split", "unit": "U5", "from": "2025-06-16",
                   "into": [{"id": "S1", "name": "Phường Tách 1"},
                            {"id": "S2", "name": "Phường Tách 2"}]},
}


@pytest.fixture(scope="module")
def baseline_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("baseline")
    (folder / "scenario.yaml").write_text(yaml.safe_dump(campaign_data(), allow_unicode=True),
                                          encoding="utf-8")
    (folder / "schedule.json").write_text(baseline().to_json(), encoding="utf-8")
    return folder


def _run(*args: Any) -> Any:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, (args, result.output)
    return result


@pytest.mark.parametrize("kind", sorted(EVENTS))
def test_every_output_works_after_each_kind_of_event(baseline_folder: Path, tmp_path: Path,
                                                     kind: str) -> None:
    events = tmp_path / "events.yaml"
    events.write_text(yaml.safe_dump({"schema": "kiemtra.events/1", "events": [EVENTS[kind]]},
                                     allow_unicode=True), encoding="utf-8")
    out = tmp_path / "replanned"
    _run("replan", baseline_folder / "scenario.yaml", "--baseline",
         baseline_folder / "schedule.json", "--as-of", AS_OF.strftime("%d/%m/%Y"),
         "--events", events, "--out", out, "--time-limit", "5", "--workers", "1", "--quiet")
    plan = out / "schedule.json"
    checked = json.loads(_run("check", out / "scenario.yaml", plan, "--as-of", AS_OF.isoformat(),
                              "--json").stdout)
    assert checked["ok"], checked
    _run("gantt", plan, "--out", tmp_path / "team.png")
    _run("gantt", plan, "--view", "member", "--out", tmp_path / "member.svg")
    for fmt in ("xlsx", "csv"):
        _run("export", plan, "--format", fmt, "--out", tmp_path / f"plan.{fmt}")
    _run("export", plan, "--format", "ics", "--out", tmp_path / "calendars")
    _run("report", plan, "--out", tmp_path / "report.html")
    _run("letters", plan, "--out", tmp_path / "letters")
    _run("diff", baseline_folder / "schedule.json", plan)
    assert (tmp_path / "report.html").stat().st_size > 0
    assert list((tmp_path / "calendars" / "ics").glob("team-*.ics"))
