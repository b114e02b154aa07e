"""Events files: strict validation, and what each event does to the scenario and the baseline.

No solver here: ``apply_events`` is pure. The re-plans themselves are in test_replan*.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from replan_helpers import AS_OF, baseline, campaign, campaign_data, events

from cli import main
from conftest import SCENARIOS
from models.events_reading import load_events
from models.loading import InputError, load_scenario
from models.rules import RuleId
from models.schedule import VisitState
from scheduler.replan.events_apply import apply_events
from scheduler.replan.fates import Fate, effective_state

# These tests read the English wording; the Vietnamese default is tested in test_language.py.
ENGLISH = {"KIEMTRA_LANG": "en"}

EXAMPLES = sorted((SCENARIOS / "events").glob("*.yaml"))


def _apply(*items: dict) -> object:
    return apply_events(campaign(), baseline(), AS_OF, events(*items))


def _problems(text: str, tmp_path: Path) -> str:
    path = tmp_path / "events.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_events(path, campaign())
    return err.value.render("en")


# --- validation -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_events_files_validate_against_hanoi(path: Path) -> None:
    loaded = load_events(path, load_scenario(SCENARIOS / "hanoi-2025.yaml"))
    assert loaded.events


def test_unknown_field_is_named_with_its_event(tmp_path: Path) -> None:
    text = _problems("schema: kiemtra.events/1\nevents:\n  - kind: unit_moves\n    unit: U1\n"
                     "    windw: {quarters: [3]}\n", tmp_path)
    assert "events[0] (unit_moves).windw" in text
    assert "unknown field" in text


def test_unknown_kind_lists_the_kinds(tmp_path: Path) -> None:
    text = _problems("schema: kiemtra.events/1\nevents:\n  - kind: unit_moved\n    unit: U1\n",
                     tmp_path)
    assert "unknown event kind 'unit_moved'" in text
    assert "unit_moves" in text


def test_unknown_unit_and_member_are_errors_with_a_suggestion(tmp_path: Path) -> None:
    text = _problems(
        "schema: kiemtra.events/1\nevents:\n"
        "  - {kind: unit_removed, unit: U9}\n"
        "  - {kind: member_unavailable, member: A7, from: 2025-06-20, to: 2025-06-21}\n",
        tmp_path)
    assert "events[0] (event 1 (unit_removed)).unit: 'U9' is not a unit" in text
    assert "events[1] (event 2 (member_unavailable)).member: 'A7' is not a member" in text


def test_units_follow_the_order_of_events(tmp_path: Path) -> None:
    """A unit removed by an earlier event cannot be moved by a later one; an added one can."""
    text = _problems(
        "schema: kiemtra.events/1\nevents:\n"
        "  - {kind: unit_removed, unit: U1}\n"
        "  - {kind: unit_moves, unit: U1, excluded_dates: [2025-06-20]}\n", tmp_path)
    assert "events[1]" in text and "'U1' is not a unit" in text
    ok = events({"kind": "unit_added", "unit": {"id": "U9", "name": "Mới", "kind": "ward",
                                                "window": {"quarters": [3]}}},
                {"kind": "unit_moves", "unit": "U9", "excluded_dates": ["2025-07-01"]})
    assert len(ok.events) == 2


def test_on_key_read_as_boolean_gets_a_plain_message(tmp_path: Path) -> None:
    text = _problems("schema: kiemtra.events/1\nevents:\n  - kind: member_leaves\n"
                     "    member: A3\n    on: 2025-06-20\n", tmp_path)
    assert "write the date as 'from:'" in text


def test_wrong_schema_and_reversed_dates(tmp_path: Path) -> None:
    assert "kiemtra.events/1" in _problems("schema: kiemtra.scenario/1\nevents: []\n", tmp_path)
    text = _problems("schema: kiemtra.events/1\nevents:\n  - {kind: member_unavailable, "
                     "member: A1, from: 2025-06-20, to: 2025-06-19}\n", tmp_path)
    assert "swap them" in text


def test_date_outside_horizon_is_an_error(tmp_path: Path) -> None:
    text = _problems("schema: kiemtra.events/1\nevents:\n  - {kind: member_leaves, member: A3, "
                     "from: 2026-02-01}\n", tmp_path)
    assert ".from: 2026-02-01 is outside the campaign horizon" in text


def test_bad_events_file_exits_2_without_traceback(tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(campaign_data(), allow_unicode=True), encoding="utf-8")
    plan = tmp_path / "schedule.json"
    plan.write_text(baseline().to_json(), encoding="utf-8")
    bad = tmp_path / "events.yaml"
    bad.write_text("schema: kiemtra.events/1\nevents:\n  - {kind: unit_removed, unit: NOPE}\n",
                   encoding="utf-8")
    result = CliRunner(env=ENGLISH).invoke(main, ["replan", str(scenario), "--baseline", str(plan),
                                       "--as-of", "2025-06-12", "--events", str(bad),
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "events.yaml" in result.output and "'NOPE' is not a unit" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


# --- states on the re-plan date -------------------------------------------------------------------


def test_states_follow_the_replan_date() -> None:
    plan = baseline()
    states = {a.unit_id: effective_state(a, AS_OF) for a in plan.assignments}
    assert states == {"U1": VisitState.DONE, "U2": VisitState.DONE, "U3": VisitState.ANNOUNCED,
                      "U4": VisitState.ANNOUNCED, "U5": VisitState.PLANNED}


def test_no_events_keeps_every_visit() -> None:
    applied = apply_events(campaign(), baseline(), AS_OF)
    assert {u: f.fate for u, f in applied.fates.items()} == {
        "U1": Fate.HISTORY, "U2": Fate.HISTORY, "U3": Fate.KEPT, "U4": Fate.KEPT,
        "U5": Fate.KEPT}
    assert applied.scenario == campaign()


# --- each event kind ------------------------------------------------------------------------------


def test_member_unavailable_releases_only_open_visits_in_the_absence() -> None:
    applied = _apply({"kind": "member_unavailable", "member": "A1", "from": "2025-06-09",
                      "to": "2025-06-17"})
    assert applied.fates["U1"].fate is Fate.HISTORY  # done on 09/06: history stays
    assert applied.fates["U3"].fate is Fate.RELEASED  # 17/06 with A1
    assert applied.fates["U3"].rules == [RuleId.H11_AVAILABLE]
    assert applied.fates["U5"].fate is Fate.KEPT  # 24/06: after the absence
    member = applied.scenario.member("A1")
    assert date(2025, 6, 17) in {d for r in member.unavailable for d in (r.start, r.end)}


def test_member_leaves_releases_their_later_visits() -> None:
    applied = _apply({"kind": "member_leaves", "member": "A2", "from": "2025-06-20"})
    assert applied.fates["U5"].fate is Fate.RELEASED  # 24/06 with A2
    assert applied.fates["U1"].fate is Fate.HISTORY
    assert applied.fates["U3"].fate is Fate.KEPT  # A2 not on it


def test_member_joins_is_unavailable_before_joining() -> None:
    applied = _apply({"kind": "member_joins", "from": "2025-06-23", "member": {
        "id": "A4", "label": "Thành viên mới", "agency": "STP", "team": "D1"}})
    joined = applied.scenario.member("A4")
    assert joined.team == "D1"
    assert joined.unavailable[0].end == date(2025, 6, 22)
    assert all(f.fate is not Fate.RELEASED for f in applied.fates.values())


def test_unit_moves_releases_only_when_the_date_no_longer_fits() -> None:
    applied = _apply({"kind": "unit_moves", "unit": "U3", "excluded_dates": ["2025-06-17"]},
                     {"kind": "unit_moves", "unit": "U5", "excluded_dates": ["2025-06-30"]})
    assert applied.fates["U3"].fate is Fate.RELEASED
    assert applied.fates["U3"].rules == [RuleId.H14_EXCLUDED]
    assert applied.fates["U5"].fate is Fate.KEPT
    assert date(2025, 6, 30) in applied.scenario.unit("U5").excluded_dates


def test_unit_moves_to_a_new_window() -> None:
    applied = _apply({"kind": "unit_moves", "unit": "U5",
                      "window": {"from": "2025-07-01", "to": "2025-07-31"}})
    assert applied.fates["U5"].fate is Fate.RELEASED
    assert applied.fates["U5"].rules == [RuleId.H02_WINDOW]


def test_unit_added_and_unit_removed() -> None:
    applied = _apply(
        {"kind": "unit_added", "unit": {"id": "U6", "name": "Xã Mới", "kind": "commune",
                                        "window": {"from": "2025-07-01", "to": "2025-07-31"}}},
        {"kind": "unit_removed", "unit": "U5"},
        {"kind": "unit_removed", "unit": "U1"})
    assert applied.fates["U6"].fate is Fate.NEW
    assert applied.fates["U5"].fate is Fate.CANCELLED
    assert [a.unit_id for a in applied.cancelled] == ["U5"]
    assert applied.cancelled[0].state is VisitState.CANCELLED
    assert "U5" not in {u.id for u in applied.scenario.units}
    assert applied.fates["U1"].fate is Fate.HISTORY  # a done visit cannot be removed


def test_surprise_visit_replaces_the_planned_one() -> None:
    applied = _apply({"kind": "surprise_visit", "unit": "U5", "date": "2025-06-26",
                      "team": "D2"})
    unit = applied.scenario.unit("U5")
    assert unit.form.value == "surprise" and unit.team == "D2"
    assert applied.scenario.window_bounds(unit) == (date(2025, 6, 26), date(2025, 6, 26))
    assert applied.fates["U5"].fate is Fate.RELEASED


def test_surprise_visit_to_a_done_unit_is_refused() -> None:
    with pytest.raises(InputError, match="duplicate"):
        _apply({"kind": "surprise_visit", "unit": "U1", "date": "2025-06-26"})


def test_units_merged_carry_the_earlier_later_visit_and_cancel_the_other() -> None:
    applied = _apply({"kind": "units_merged", "units": ["U4", "U5"], "from": "2025-06-16",
                      "into": {"id": "C1", "name": "Phường Hợp nhất"}})
    c1 = applied.fates["C1"]
    assert c1.fate is Fate.RELEASED
    assert c1.reference is not None
    assert (c1.reference.team_id, c1.reference.start) == ("D2", date(2025, 6, 18))  # U4's
    assert c1.reference.state is VisitState.PLANNED  # C1 itself was never told: announced anew
    assert {a.unit_id for a in applied.cancelled} == {"U4", "U5"}
    ids = {u.id for u in applied.scenario.units}
    assert "C1" in ids and not {"U4", "U5"} & ids
    assert applied.scenario.unit("C1").available_from == date(2025, 6, 16)


def test_merger_of_done_units_gives_the_new_unit_its_own_visit_by_default() -> None:
    applied = _apply({"kind": "units_merged", "units": ["U1", "U2"], "from": "2025-06-16",
                      "into": {"id": "C1", "name": "Hợp nhất"}})
    assert applied.fates["C1"].fate is Fate.NEW
    assert applied.fates["U1"].fate is Fate.HISTORY and applied.fates["U2"].fate is Fate.HISTORY
    assert {"U1", "U2", "C1"} <= {u.id for u in applied.scenario.units}


def test_merger_with_done_visit_covers_needs_no_new_visit() -> None:
    applied = _apply({"kind": "units_merged", "units": ["U1", "U2"], "from": "2025-06-16",
                      "into": {"id": "C1", "name": "Hợp nhất"}, "done_visit_covers": True})
    assert applied.fates["C1"].fate is Fate.COVERED
    assert "C1" not in {u.id for u in applied.scenario.units}


def test_merger_keeping_an_old_id_visited_before_is_refused() -> None:
    with pytest.raises(InputError, match="id of its own"):
        _apply({"kind": "units_merged", "units": ["U1", "U5"], "from": "2025-06-16",
                "into": {"id": "U1"}})


def test_unit_split_gives_the_later_visit_to_the_first_new_unit() -> None:
    applied = _apply({"kind": "unit_split", "unit": "U5", "from": "2025-06-16",
                      "into": [{"id": "C1", "name": "Phường A"}, {"id": "C2", "name": "Phường B"}]})
    assert applied.fates["C1"].fate is Fate.RELEASED
    assert applied.fates["C1"].reference.start == date(2025, 6, 24)
    assert applied.fates["C2"].fate is Fate.NEW
    assert applied.fates["U5"].fate is Fate.CANCELLED
    assert applied.scenario.unit("C2").kind.value == "ward"  # taken from U5


def test_split_after_a_visit_keeps_the_old_unit() -> None:
    applied = _apply({"kind": "unit_split", "unit": "U3", "from": "2025-06-20",
                      "into": [{"id": "C1", "name": "A"}, {"id": "C2", "name": "B"}]})
    assert applied.fates["U3"].fate is Fate.KEPT
    assert applied.scenario.window_bounds(applied.scenario.unit("U3"))[1] == date(2025, 6, 19)
    assert applied.fates["C1"].fate is Fate.NEW and applied.fates["C2"].fate is Fate.NEW



def test_merger_dated_before_the_replan_keeps_done_visits_after_it() -> None:
    """Merger on 05/06, re-plan on 12/06: U1 (done 09/06, after the merger) is history."""
    applied = _apply({"kind": "units_merged", "units": ["U1", "U5"], "from": "2025-06-05",
                      "into": {"id": "C1", "name": "Hợp nhất"}})
    assert applied.fates["U1"].fate is Fate.HISTORY
    assert applied.fates["C1"].fate is Fate.RELEASED  # takes over U5's open visit
    assert applied.fates["C1"].reference.start == date(2025, 6, 24)
    assert [a.unit_id for a in applied.cancelled] == ["U5"]


def test_merger_into_a_visited_unit_that_covers_keeps_its_visit() -> None:
    applied = _apply({"kind": "units_merged", "units": ["U1", "U5"], "from": "2025-06-16",
                      "into": {"id": "U1"}, "done_visit_covers": True})
    assert applied.fates["U1"].fate is Fate.HISTORY
    assert applied.fates["U5"].fate is Fate.CANCELLED
    assert [u.id for u in applied.scenario.units].count("U1") == 1


def test_baseline_with_units_the_scenario_lacks_is_refused() -> None:
    scenario = campaign()
    smaller = scenario.model_copy(update={"units": scenario.units[:-1]})
    with pytest.raises(InputError, match="U5"):
        apply_events(smaller, baseline(), AS_OF)


def test_replan_date_outside_the_horizon_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        apply_events(campaign(), baseline(), date(2026, 1, 5))
    assert "05/01/2026 is outside the campaign horizon" in caught.value.render("en")
    assert "05/01/2026 nằm ngoài thời gian của đợt kiểm tra" in caught.value.render("vi")


def test_replan_rechecks_its_result_and_says_when_it_fails(tmp_path: Path) -> None:
    # A date already past (U1 was visited on 09/06) is edited into the scenario as excluded:
    # history cannot move, so the re-plan breaks H14 and must say so, not exit 0 in silence.
    data = campaign_data()
    next(u for u in data["units"] if u["id"] == "U1")["excluded_dates"] = ["2025-06-09"]
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    plan = tmp_path / "schedule.json"
    plan.write_text(baseline().to_json(), encoding="utf-8")
    result = CliRunner(env=ENGLISH).invoke(main, ["replan", str(scenario), "--baseline", str(plan),
                                       "--as-of", "2025-06-12", "--time-limit", "5",
                                       "--out", str(tmp_path / "out"), "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert "the re-plan breaks 1 rule(s)" in result.stderr
    assert "[H14-excluded] U1" in result.stderr


# --- every event kind: a reader, a reference check, an applier and a test -------------------------


def test_every_event_kind_has_a_reader_a_check_an_applier_and_a_test() -> None:
    from typing import get_args

    from models.events import EVENT_CLASSES, Event, EventKind
    from models.events_reading import CHECKS
    from scheduler.replan.events_apply import APPLIERS

    union = get_args(get_args(Event)[0])
    assert {get_args(cls.model_fields["kind"].annotation)[0] for cls in union} == set(EventKind)
    assert set(EVENT_CLASSES) == set(CHECKS) == set(APPLIERS) == set(EventKind)
    for kind, cls in EVENT_CLASSES.items():
        assert get_args(cls.model_fields["kind"].annotation) == (kind,)
    tested = Path(__file__).read_text(encoding="utf-8")
    untested = [k.value for k in EventKind
                if f"test_{k.value}" not in tested and f"_{k.value}(" not in tested]
    assert not untested, f"event kinds without a test named for them: {untested}"
