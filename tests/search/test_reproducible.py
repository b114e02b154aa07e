"""Same scenario, seed and options give the same plan, with one worker or two, idle or loaded."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT, SCENARIOS
from models.scenario import Scenario
from scheduler.search.solve import SolveOptions, solve

# Solves Hanoi in a fresh process and prints the plan; with "busy", a second process keeps a core
# busy for the whole solve (a loaded machine).
_RUN = """
import json, subprocess, sys
from models.loading import load_scenario
from scheduler.search.solve import SolveOptions, solve
busy = sys.argv[3] == "busy" and subprocess.Popen([sys.executable, "-c", "while True: pass"])
try:
    r = solve(load_scenario(sys.argv[4]), SolveOptions(time_limit_s=float(sys.argv[1]),
              workers=int(sys.argv[2]), seed=0))
finally:
    if busy:
        busy.kill()
print(json.dumps({"status": r.status.value, "cost": r.schedule.solver.objective,
                  "plan": [[a.unit_id, a.team_id, a.start.isoformat(), a.member_ids]
                           for a in r.schedule.assignments]}))
"""


def _solve_in_process(limit: float, workers: int, load: str) -> dict:
    out = subprocess.run([sys.executable, "-c", _RUN, str(limit), str(workers), load,
                          str(SCENARIOS / "hanoi-2025.yaml")], cwd=ROOT, capture_output=True,
                         text=True, timeout=300, check=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_cut_search_gives_the_same_plan_idle_and_loaded(workers: int) -> None:
    # 1.5 work-seconds stops the search before its proof: the cut must fall at the same point.
    idle = _solve_in_process(1.5, workers, "idle")
    loaded = _solve_in_process(1.5, workers, "busy")
    assert idle["status"] in ("OPTIMAL", "FEASIBLE")
    assert loaded == idle


def test_the_schedule_records_what_reproduces_it(hanoi: Scenario) -> None:
    result = solve(hanoi, SolveOptions(time_limit_s=1.0, workers=1, seed=3))
    info = result.schedule.solver
    assert (info.time_limit_s, info.workers, info.seed) == (1.0, 1, 3)
    assert set(info.versions) >= {"kiemtra", "ortools", "holidays", "python"}
    assert info.versions["ortools"][0].isdigit() and not info.wall_cap_hit
