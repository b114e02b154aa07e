"""Scenario fields for real inspection days: each accepted with a good value, refused with a bad
one (the message names the field and the fix), and absent fields keep old files' meaning."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from pydantic import ValidationError

from cli import main
from conftest import SCENARIOS, tiny_scenario_data
from models.events import UnitsMerged
from models.field_notes import field_notes
from models.field_work import GroupPolicy, Location
from models.loading import InputError, load_scenario, load_yaml
from models.scenario import Rules, Scenario, Weights

# These tests read the English wording; the Vietnamese default is tested in test_language.py.
ENGLISH = {"KIEMTRA_LANG": "en"}


def write(tmp_path: Path, data: Any, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def with_field(section: str, key: str, value: Any) -> dict[str, Any]:
    """The tiny scenario with one field set: ``units.0``, ``teams.0``, ``rules``, ``weights``..."""
    data = tiny_scenario_data()
    node: Any = data
    for part in section.split("."):
        node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
    node[key] = value
    return data


def problems(tmp_path: Path, data: dict[str, Any]) -> str:
    with pytest.raises(InputError) as caught:
        load_scenario(write(tmp_path, data))
    return caught.value.render("en")


SESSIONS = [{"from": "07:30", "to": "11:30"}, {"from": "13:00", "to": "16:30"}]

# (section, key, good value, bad value, words the refusal must contain: field, then the fix)
CASES: list[tuple[str, str, Any, Any, tuple[str, ...]]] = [
    ("units.0", "visit_minutes", 180, 0, ("visit_minutes", "too small")),
    ("units.0", "visit_minutes", 450, 451, ("visit_minutes", "450 minutes", "duration in days")),
    ("units.0", "location", {"lat": 21.03, "lon": 105.85}, {"lat": 91, "lon": 105.85},
     ("location.lat", "too large")),
    ("units.0", "location", {"lat": 21.03, "lon": 105.85}, {"lat": 21.03},
     ("location.lon", "add it")),
    ("units.0", "group_size", 3, 0, ("group_size", "too small")),
    ("units.0", "group_size", 3, 4, ("group_size", "has 3", "lower group_size or add members")),
    ("units.0", "led_by_leader", True, "maybe", ("led_by_leader", "true or false")),
    ("units.0", "kind", "special_zone", "dac_khu", ("kind", "special_zone")),
    ("units.0", "window", {"quarters": [2, 3], "expected": True},
     {"quarters": [2, 3], "expected": "perhaps"}, ("window.expected", "true or false")),
    ("units.0", "window", {"from": "2025-06-02", "to": "2025-06-30", "expected": True},
     {"from": "2025-06-02", "to": "2025-06-30", "expectd": True},
     ("window.expectd", "spelling")),
    ("teams.0", "base", {"lat": 21.02, "lon": 105.86}, {"lat": 21.02, "lon": 181},
     ("base.lon", "too large")),
    ("rules", "travel", {"road_factor": 1.3, "speed_kmh": 25}, {"road_factor": 0.5, "speed_kmh": 25},
     ("travel.road_factor", "too small")),
    ("rules", "travel", {"speed_kmh": 40}, {"speed_kmh": 0}, ("travel.speed_kmh", "too small")),
    ("rules", "working_hours", {"sessions": SESSIONS},
     {"sessions": [{"from": "08:00", "to": "12:00"}, {"from": "11:00", "to": "17:00"}]},
     ("working_hours", "without overlap")),
    ("rules", "working_hours", {"sessions": SESSIONS}, {"sessions": [{"from": "8h", "to": "12:00"}]},
     ("working_hours.sessions[0].from", "HH:MM")),
    ("rules", "working_hours", {"sessions": SESSIONS}, {"sessions": [{"from": "12:00", "to": "08:00"}]},
     ("working_hours.sessions[0]", "swap 'from' and 'to'")),
    ("rules", "group_policy", "whole_team", "all", ("group_policy", "whole_team", "minimum")),
    ("rules", "leader_days_per_week", 2, 0, ("leader_days_per_week", "too small")),
    ("rules", "leader_days_per_week", 7, 8, ("leader_days_per_week", "too large")),
    *[("weights", key, 50, bad, (f"weights.{key}", fix))
      for key in ("travel", "team_days", "pace", "leader_load", "outside_window")
      for bad, fix in ((-1, "allowed 0 to 1,000,000"), (1_000_001, "allowed 0 to 1,000,000"))],
]


@pytest.mark.parametrize(("section", "key", "good", "bad", "words"), CASES,
                         ids=[f"{c[0]}.{c[1]}={c[3]!r}" for c in CASES])
def test_field_good_accepted_bad_refused(tmp_path: Path, section: str, key: str, good: Any,
                                         bad: Any, words: tuple[str, ...]) -> None:
    assert load_scenario(write(tmp_path, with_field(section, key, good), "good.yaml"))
    message = problems(tmp_path, with_field(section, key, bad))
    for word in words:
        assert word in message, message


def test_visit_minutes_and_several_days_exclude_each_other(tmp_path: Path) -> None:
    data = with_field("units.0", "visit_minutes", 120)
    data["units"][0]["duration"] = 2
    message = problems(tmp_path, data)
    assert "units[0] (id U1)" in message
    assert "keep visit_minutes for a visit of a few hours, or duration" in message


def test_visit_minutes_limit_follows_the_working_hours(tmp_path: Path) -> None:
    data = with_field("units.0", "visit_minutes", 450)
    data["rules"]["working_hours"] = {"sessions": SESSIONS}  # 240 + 210 = 450 minutes
    assert load_scenario(write(tmp_path, data)).rules.working_hours.minutes == 450
    data["rules"]["working_hours"] = {"sessions": SESSIONS[:1]}
    assert "240 minutes" in problems(tmp_path, data)


def test_group_size_is_measured_against_the_pinned_team(tmp_path: Path) -> None:
    data = with_field("units.0", "group_size", 3)
    data["members"].append({"id": "B4", "label": "Thành viên", "agency": "STP", "team": "D2"})
    assert load_scenario(write(tmp_path, data, "bigger-d2.yaml"))
    data["units"][0]["team"] = "D2"
    data["units"][0]["group_size"] = 4
    assert load_scenario(write(tmp_path, data, "pinned-d2.yaml"))
    data["units"][0]["team"] = "D1"
    assert "team D1 has 3" in problems(tmp_path, data)


def test_unquoted_times_stay_text_in_yaml(tmp_path: Path) -> None:
    path = tmp_path / "hours.yaml"
    path.write_text("sessions: [{from: 08:00, to: 12:00}, {from: 13:30, to: 17:00}]\n",
                    encoding="utf-8")
    assert load_yaml(path)["sessions"][1] == {"from": "13:30", "to": "17:00"}


def test_defaults_keep_old_files_meaning_where_they_said_it(tiny: Scenario) -> None:
    """A file without the new fields plans as before, except where issue 10 changed what a plan
    means by default: the whole team goes and the weights are the even-pace preset."""
    unit, rules = tiny.units[0], tiny.rules
    assert (unit.visit_minutes, unit.location, unit.group_size, unit.led_by_leader) == (
        None, None, None, False)
    assert not unit.window.expected and tiny.teams[0].base is None
    assert rules.leader_days_per_week is None
    assert Rules().group_policy is GroupPolicy.WHOLE_TEAM
    assert (rules.travel.road_factor, rules.travel.speed_kmh) == (1.4, 30)
    assert [(s.start, s.end) for s in rules.working_hours.sessions] == [
        ("08:00", "12:00"), ("13:30", "17:00")]
    assert Weights.model_validate({}).model_dump() == {
        "team_balance": 20, "member_balance": 5, "early": 0, "preferred_dates": 10,
        "agency_spread": 2, "unscheduled_optional": 1000, "travel": 1, "team_days": 60,
        "pace": 1, "leader_load": 20, "outside_window": 100, "group_members": 10,
        "sample_priority": 10, "overnight": 100}
    assert (unit.area, unit.priority, tiny.selections) == (None, 0, [])  # no sampling
    assert rules.overnight.max_nights == 0  # no trips with nights away unless asked for


NEW_UNIT_KEYS = ("team", "location")


def _without_new_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The Hanoi file as it was before these fields: no pins, places, expected windows..."""
    for unit in data["units"]:
        for key in NEW_UNIT_KEYS:
            unit.pop(key, None)
        unit["window"].pop("expected", None)
    for team in data["teams"]:
        team.pop("base", None)
    for key in ("travel", "working_hours"):
        data["rules"].pop(key, None)
    return data


def test_hanoi_units_keep_their_windows_and_durations(hanoi: Scenario) -> None:
    before = Scenario.model_validate(_without_new_fields(load_yaml(SCENARIOS / "hanoi-2025.yaml")))
    assert [(u.id, before.window_bounds(u), u.duration, u.visit_minutes) for u in before.units] == [
        (u.id, hanoi.window_bounds(u), u.duration, u.visit_minutes) for u in hanoi.units]
    assert before.rules == hanoi.rules and before.weights == hanoi.weights


def test_hanoi_pins_team_1_as_decided_in_qd_2745(hanoi: Scenario) -> None:
    pinned = {u.id for u in hanoi.units if u.team == "D1"}
    assert pinned == {"SYT", "SGDDT", "STC", "PVHCC-Q2-1", "PVHCC-Q2-2", "BQLDA-HTKT"}
    assert all(u.window.expected for u in hanoi.units)
    assert all(t.base is not None and t.base.in_vietnam for t in hanoi.teams)


def test_hanoi_communes_are_short_visits_with_coordinates() -> None:
    s = load_scenario(SCENARIOS / "hanoi-2025-communes.yaml")
    communes = [u for u in s.units if u.kind.is_commune_level]
    assert len(communes) == 126
    assert {u.visit_minutes for u in communes} == {180}
    assert all(u.location is not None and u.location.in_vietnam for u in communes)
    assert not any(u.window.expected for u in communes)  # our assumption, kept binding


def test_field_notes_name_units_without_location_and_short_visits(tiny: Scenario) -> None:
    notes = field_notes(tiny, "en")
    assert "units without location: 3 — U1, U2, U3 (treated as at their team's base)" in notes
    assert not any(n.startswith("short visits") for n in notes)
    data = with_field("units.0", "visit_minutes", 200)
    data["units"][0]["location"] = {"lat": 48.85, "lon": 2.35}  # Paris: a typo
    notes = field_notes(Scenario.model_validate(data), "en")
    assert "short visits: 1 unit(s), 200 minutes on site; working day 450 minutes" in notes
    assert "coordinates outside Vietnam: 1 — U1 (a typo, or lat and lon swapped?)" in notes


def test_validate_prints_the_notes_and_refuses_bad_fields_with_exit_2(tmp_path: Path) -> None:
    runner = CliRunner(env=ENGLISH)
    good = runner.invoke(main, ["validate", str(SCENARIOS / "hanoi-2025-communes.yaml")])
    assert good.exit_code == 0, good.output
    assert "short visits: 126 unit(s), 180 minutes on site" in good.output
    assert "units without location: 8 — SDL," in good.output
    for section, key, bad in (("units.0", "visit_minutes", 600),
                              ("rules", "group_policy", "everyone")):
        result = runner.invoke(main, ["validate", str(write(tmp_path, with_field(section, key, bad)))])
        assert result.exit_code == 2
        assert key in result.output and "Traceback" not in result.output


def test_schema_lists_the_new_fields() -> None:
    result = CliRunner(env=ENGLISH).invoke(main, ["schema"])
    schema = json.loads(result.output)
    defs = schema["$defs"]
    assert {"visit_minutes", "location", "group_size", "led_by_leader"} <= set(
        defs["Unit"]["properties"])
    assert "base" in defs["Team"]["properties"]
    assert "expected" in defs["Window"]["properties"]
    assert {"travel", "working_hours", "group_policy", "leader_days_per_week"} <= set(
        defs["Rules"]["properties"])
    assert {"travel", "team_days", "pace", "leader_load", "outside_window"} <= set(
        defs["Weights"]["properties"])
    assert "special_zone" in defs["UnitKind"]["enum"]
    assert defs["Session"]["properties"]["from"]["pattern"].startswith("^")


def test_units_table_reads_coordinates_and_visit_minutes(tmp_path: Path) -> None:
    sheet = tmp_path / "units.csv"
    sheet.write_text("id,name,kind,agency,window,lat,lon,visit_minutes\n"
                     "X-1,Xã Một,commune,,Q3-Q4,21.1,105.7,150\n", encoding="utf-8")
    s = load_scenario(write(tmp_path, tiny_scenario_data()), sheet)
    unit = s.unit("X-1")
    assert unit.visit_minutes == 150
    assert unit.location is not None and (unit.location.lat, unit.location.lon) == (21.1, 105.7)


def test_a_merged_unit_may_name_its_new_seat() -> None:
    merger = {"kind": "units_merged", "units": ["U1", "U2"], "from": "2025-07-01",
              "into": {"id": "C1", "location": {"lat": 21.0, "lon": 105.8}}}
    assert UnitsMerged.model_validate(merger).into.location == Location(lat=21.0, lon=105.8)
    merger["into"] = {"id": "C1", "location": {"lat": 100, "lon": 105.8}}
    with pytest.raises(ValidationError, match=r"location\.lat"):
        UnitsMerged.model_validate(merger)
