"""``kiemtra compare``: key figures of several plans side by side (terminal, JSON, HTML, xlsx).

Two plans of the Hanoi scenario, made without a solver: the greedy plan, and a variant whose
scenario weighs agency spread more and lacks one unit, with one visit hand-removed and two visits
marked done / announced. Every figure is checked against a small count written here afresh.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from cli import main
from conftest import SCENARIOS
from models.scenario import Scenario
from models.schedule import Schedule, Status, Unscheduled, VisitState
from scheduler.output.compare import (
    Plan,
    best_columns,
    compare_plans,
    plan_figures,
    render_table,
    unique_labels,
)
from scheduler.output.compare_render import MAX_WEEK_LABELS, comparison_html, comparison_workbook
from scheduler.plan.pipeline import greedy_schedule

HANOI = SCENARIOS / "hanoi-2025.yaml"


def _write_plan(folder: Path, scenario_text: str, schedule: Schedule) -> Path:
    folder.mkdir(parents=True)
    (folder / "scenario.yaml").write_text(scenario_text, encoding="utf-8")
    (folder / "schedule.json").write_text(schedule.to_json(), encoding="utf-8")
    return folder


def _variant(hanoi: Scenario) -> tuple[str, Scenario, Schedule, str]:
    """Another scenario (agency spread weighs 5, last unit gone), its greedy plan hand-edited."""
    data = yaml.safe_load(HANOI.read_text(encoding="utf-8"))
    data["weights"]["agency_spread"] = 5
    data["units"] = data["units"][:-1]
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    scenario = Scenario.model_validate(yaml.safe_load(text))
    plan = greedy_schedule(scenario)
    dropped = plan.assignments.pop()
    plan.unscheduled.append(Unscheduled(unit_id=dropped.unit_id, reason="left out by hand"))
    plan.assignments[0].state = VisitState.DONE
    plan.assignments[1].state = VisitState.ANNOUNCED
    return text, scenario, plan, dropped.unit_id


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory, hanoi: Scenario) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("compare")
    greedy = greedy_schedule(hanoi)
    text, variant, edited, dropped = _variant(hanoi)
    return {
        "root": root, "dropped": dropped,
        "greedy": (_write_plan(root / "greedy", HANOI.read_text(encoding="utf-8"), greedy),
                   hanoi, greedy),
        "variant": (_write_plan(root / "variant", text, edited), variant, edited),
    }


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, ["compare", *args])


# --- an independent count -------------------------------------------------------------------


def _expected(scenario: Scenario, plan: Schedule) -> dict[str, Any]:
    """The figures counted straight from the file: ISO weeks, no PlanView, no helpers."""
    cal = scenario.work_calendar()
    visits = [(a, cal.working_days_between(a.start, a.end))
              for a in plan.assignments if a.state is not VisitState.CANCELLED]
    week_visits: Counter[tuple[int, int]] = Counter()
    member_load = Counter({m.id: 0 for m in scenario.members})
    leader_weeks: Counter[tuple[str, tuple[int, int]]] = Counter()
    for a, days in visits:
        week_visits.update({d.isocalendar()[:2] for d in days})
        for m in a.member_ids:
            member_load[m] += len(days)
            if scenario.member(m).role.value in ("leader", "deputy"):
                leader_weeks.update((m, d.isocalendar()[:2]) for d in days)
    per_team = Counter(a.team_id for a, _ in visits)
    balance = 0
    for t in scenario.teams:
        loads = [member_load[m.id] for m in scenario.members if m.team == t.id]
        balance += max(loads) - min(loads)
    all_days = [d for _, days in visits for d in days]
    visited = {a.unit_id for a, _ in visits}
    return {
        "units_planned": len(visited),
        "left_out": sorted(u.name for u in scenario.units if u.id not in visited),
        "team_days": len({(a.team_id, d) for a, days in visits for d in days}),
        "member_days": sum(len(a.member_ids) * len(days) for a, days in visits),
        "first": min(all_days), "last": max(all_days),
        "weeks": len(week_visits), "busiest": max(week_visits.values()),
        "per_team": {t.name: per_team[t.id] for t in scenario.teams},
        "team_balance": max(per_team[t.id] for t in scenario.teams)
        - min(per_team[t.id] for t in scenario.teams),
        "member_balance": balance, "leader_week": max(leader_weeks.values()),
        "states": Counter(a.state.value for a, _ in visits),
    }


@pytest.mark.parametrize("which", ["greedy", "variant"])
def test_figures_match_an_independent_count(plans: dict[str, Any], which: str) -> None:
    _, scenario, plan = plans[which]
    fig = plan_figures(scenario, plan)
    want = _expected(scenario, plan)
    assert fig.units_planned == want["units_planned"]
    assert sorted(fig.left_out) == want["left_out"]
    assert (fig.team_days, fig.member_days) == (want["team_days"], want["member_days"])
    assert (fig.first_visit, fig.last_visit) == (want["first"], want["last"])
    assert fig.weeks_with_visits == want["weeks"]
    assert fig.busiest_week is not None and fig.busiest_week[1] == want["busiest"]
    assert fig.busiest_week[0].weekday() == 0
    assert fig.visits_per_team == want["per_team"]
    assert fig.team_balance == want["team_balance"]
    assert fig.member_balance == want["member_balance"]
    assert fig.leader_week_days == want["leader_week"]
    assert {k: v for k, v in fig.states.items() if v} == dict(want["states"])
    assert fig.cost == plan.solver.objective and fig.terms == plan.solver.objective_terms
    assert fig.travel_minutes is None
    assert fig.days_outside_window == 0  # Hanoi's windows are expected; greedy keeps inside them


def test_the_two_plans_differ_where_they_were_made_to(plans: dict[str, Any]) -> None:
    greedy = plan_figures(*plans["greedy"][1:])
    variant = plan_figures(*plans["variant"][1:])
    hanoi = plans["greedy"][1]
    assert greedy.left_out == [] and greedy.units_total == len(hanoi.units)
    assert variant.units_total == len(hanoi.units) - 1
    dropped = plans["variant"][1].unit(plans["dropped"]).name
    assert variant.left_out == [dropped]
    assert variant.states == {"planned": variant.units_planned - 2, "announced": 1, "done": 1}


# --- terminal, JSON, bad input --------------------------------------------------------------


def test_terminal_table_names_both_plans_and_their_figures(plans: dict[str, Any]) -> None:
    greedy_dir, variant_dir = plans["greedy"][0], plans["variant"][0]
    result = _run(str(greedy_dir), str(variant_dir / "schedule.json"))
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0]
    assert "greedy" in header and "variant" in header
    cost_line = next(line for line in result.output.splitlines() if line.startswith("Tổng điểm phạt"))
    assert cost_line.split()[-2:] == [str(plans["greedy"][2].solver.objective),
                                      str(plans["variant"][2].solver.objective)]
    assert "khả thi" in result.output and "[Thời gian]" in result.output
    assert plans["variant"][1].unit(plans["dropped"]).name in result.output


def test_english_labels_and_status_words(plans: dict[str, Any]) -> None:
    result = _run(str(plans["greedy"][0]), str(plans["variant"][0]), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "feasible, not proven optimal" in result.output
    assert "Earliest visit" in result.output and "Tổng điểm phạt" not in result.output


def test_proven_plan_is_said_in_planners_words(plans: dict[str, Any]) -> None:
    _, scenario, plan = plans["greedy"]
    proven = plan.model_copy(deep=True)
    proven.solver.status = Status.OPTIMAL
    comparison = compare_plans([Plan("a", scenario, plan), Plan("b", scenario, proven)])
    status = comparison.rows[0]
    assert status.values == ["khả thi", "tối ưu (đã chứng minh)"]
    english = compare_plans([Plan("b", scenario, proven)], "en")
    assert english.rows[0].values == ["optimal (proven)"]


def test_json_is_machine_readable(plans: dict[str, Any]) -> None:
    result = _run(str(plans["greedy"][0]), str(plans["variant"][0]), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [p["label"] for p in data["plans"]] == ["greedy", "variant"]
    for entry, which in zip(data["plans"], ["greedy", "variant"], strict=True):
        want = _expected(*plans[which][1:])
        figures = entry["figures"]
        assert figures["member_days"] == want["member_days"]
        assert figures["earliest_visit"] == want["first"].isoformat()
        assert figures["status"] == "FEASIBLE"
        assert max(figures["visits_per_week"].values()) == figures["busiest_week"]["visits"]
        assert figures["travel_minutes"] is None


@pytest.mark.parametrize("bad", ["missing-folder", "greedy/nothing.json"])
def test_bad_plan_path_exits_2_naming_it(plans: dict[str, Any], bad: str) -> None:
    path = plans["root"] / bad
    result = _run(str(plans["greedy"][0]), str(path))
    assert result.exit_code == 2
    assert str(path) in result.output and "Traceback" not in result.output


def test_folder_without_its_scenario_exits_2(plans: dict[str, Any], tmp_path: Path) -> None:
    lone = tmp_path / "lone"
    lone.mkdir()
    shutil.copy(plans["greedy"][0] / "schedule.json", lone / "schedule.json")
    result = _run(str(lone))
    assert result.exit_code == 2 and "scenario.yaml" in result.output


def test_wrong_out_suffix_is_refused(plans: dict[str, Any], tmp_path: Path) -> None:
    result = _run(str(plans["greedy"][0]), "--out", str(tmp_path / "c.pdf"))
    assert result.exit_code == 2 and ".html hoặc .xlsx" in result.output


def test_same_folder_names_get_unique_labels(plans: dict[str, Any], tmp_path: Path) -> None:
    for parent in ("a", "b"):
        shutil.copytree(plans["greedy"][0], tmp_path / parent / "plan")
    result = _run(str(tmp_path / "a" / "plan"), str(tmp_path / "b" / "plan"), "--json")
    assert [p["label"] for p in json.loads(result.output)["plans"]] == ["plan", "plan (2)"]
    assert unique_labels(["x", "x (2)", "x"]) == ["x", "x (2)", "x (3)"]


# --- optional figures -------------------------------------------------------------------------


def test_travel_is_summed_when_assignments_carry_it(plans: dict[str, Any]) -> None:
    _, scenario, plan = plans["greedy"]
    moving = plan.model_copy(deep=True)
    moving.assignments = [a.model_copy(update={"travel_minutes": 10 * i, "travel_km": 2.5 * i})
                          for i, a in enumerate(plan.assignments, start=1)]
    n = len(plan.assignments)
    comparison = compare_plans([Plan("static", scenario, plan), Plan("moving", scenario, moving)])
    row = next(r for r in comparison.rows if r.key == "travel_minutes")
    assert row.values == [None, 10 * n * (n + 1) // 2]
    km = next(r for r in comparison.rows if r.key == "travel_km")
    assert km.values == [None, 2.5 * n * (n + 1) / 2]
    table = render_table(comparison)
    minutes_line = next(line for line in table.splitlines() if "di chuyển (phút)" in line)
    assert minutes_line.split()[-2:] == ["—", str(10 * n * (n + 1) // 2)]


def test_days_outside_an_expected_window_are_s11s_count(plans: dict[str, Any]) -> None:
    _, scenario, plan = plans["greedy"]
    late = plan.model_copy(deep=True)
    visit = late.assignments[0]
    _, last = scenario.window_bounds(scenario.unit(visit.unit_id))
    cal = scenario.work_calendar()
    moved = cal.next_working_day(last + timedelta(days=1))
    visit.start = visit.end = moved
    assert plan_figures(scenario, late).days_outside_window == 1
    assert plan_figures(scenario, plan).days_outside_window == 0
    binding = scenario.model_copy(update={"units": [
        u.model_copy(update={"window": u.window.model_copy(update={"expected": False})})
        for u in scenario.units]})
    assert plan_figures(binding, late).days_outside_window is None  # no window is expected


def test_best_value_is_marked_only_where_plans_differ(plans: dict[str, Any]) -> None:
    comparison = compare_plans([Plan("g", *plans["greedy"][1:]), Plan("v", *plans["variant"][1:])])
    rows = {r.key: r for r in comparison.rows}
    assert best_columns(rows["units_planned"]) == {0}
    assert best_columns(rows["left_out"]) == {0}
    assert best_columns(rows["first_visit"]) == set()
    assert best_columns(rows["term:S06-optional"]) == set()


# --- HTML and xlsx ----------------------------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter[str] = Counter()
        self.headers: list[str] = []
        self.links: list[str] = []
        self._in_th = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self._in_th = tag == "th"
        self.links += [v or "" for k, v in attrs if k in ("src", "href") and not (v or "").startswith("#")]

    def handle_endtag(self, tag: str) -> None:
        self._in_th = self._in_th and tag != "th"

    def handle_data(self, data: str) -> None:
        if self._in_th:
            self.headers.append(data)


def test_html_page_parses_and_holds_table_and_chart(plans: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "compare.html"
    result = _run(str(plans["greedy"][0]), str(plans["variant"][0]), "--out", str(out))
    assert result.exit_code == 0, result.output
    page = _Page()
    page.feed(out.read_text(encoding="utf-8"))
    assert page.headers[1:3] == ["greedy", "variant"]
    assert page.tags["svg"] == 1 and page.tags["path"] > 10
    assert page.tags["script"] == 0 and page.links == []
    text = out.read_text(encoding="utf-8")
    assert "Số cuộc kiểm tra mỗi tuần" in text and "class='num best'" in text


def test_html_chart_has_one_line_per_plan(plans: dict[str, Any]) -> None:
    comparison = compare_plans([Plan("g", *plans["greedy"][1:]), Plan("v", *plans["variant"][1:])])
    html = comparison_html(comparison)
    assert html.startswith("<!DOCTYPE html>")
    # Text is drawn as outlines; matplotlib keeps each text as a comment: legend and week ticks.
    assert "<!-- g -->" in html and "<!-- v -->" in html
    weeks = sorted(set(comparison.figures[0].weekly_visits) | set(comparison.figures[1].weekly_visits))
    step = max(1, -(-len(weeks) // MAX_WEEK_LABELS))  # every n-th week when there are many
    assert all(f"<!-- {w:%d/%m/%Y} -->" in html for w in weeks[::step])


def test_xlsx_reads_back_with_frozen_header(plans: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "compare.xlsx"
    result = _run(str(plans["greedy"][0]), str(plans["variant"][0]), "--out", str(out))
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out).active
    assert ws.freeze_panes == "B2"
    assert [c.value for c in ws[1]] == ["Chỉ tiêu", "greedy", "variant"]
    rows = {row[0].value: row[1:] for row in ws.iter_rows(min_row=2) if row[0].value}
    cost = rows["Tổng điểm phạt (chi phí)"]
    assert [c.value for c in cost] == [plans["greedy"][2].solver.objective,
                                       plans["variant"][2].solver.objective]
    first = rows["Buổi kiểm tra đầu tiên"]
    want = _expected(*plans["greedy"][1:])["first"]
    assert isinstance(first[0].value, datetime) and first[0].value.date() == want
    assert first[0].number_format == "dd/mm/yyyy"
    assert [c.value for c in rows["Thời gian di chuyển (phút)"]] == ["—", "—"]


def test_xlsx_cells_cannot_run_formulas(plans: dict[str, Any], tmp_path: Path) -> None:
    _, scenario, plan = plans["greedy"]
    data = comparison_workbook(compare_plans([Plan("=HYPERLINK(1)", scenario, plan)]))
    out = tmp_path / "f.xlsx"
    out.write_bytes(data)
    ws = openpyxl.load_workbook(out).active
    assert ws.cell(row=1, column=2).value == "'=HYPERLINK(1)"


def test_plan_without_visits_shows_dashes(hanoi: Scenario) -> None:
    empty = greedy_schedule(hanoi).model_copy(deep=True)
    empty.unscheduled = [Unscheduled(unit_id=a.unit_id, reason="x") for a in empty.assignments]
    empty.assignments = []
    fig = plan_figures(hanoi, empty)
    assert fig.first_visit is None and fig.busiest_week is None and fig.weeks_with_visits == 0
    assert len(fig.left_out) == len(hanoi.units)
    assert "—" in render_table(compare_plans([Plan("empty", hanoi, empty)]))
