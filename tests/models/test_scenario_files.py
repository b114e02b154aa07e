"""Scenario validation: every kind of bad file gets a message naming the field and the fix."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import SCENARIOS, tiny_scenario_data
from models.loading import InputError, load_scenario, parse_window_text


def write(tmp_path: Path, data: Any, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def problems_of(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert caught.value.path == str(path)
    return caught.value.render("en")


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_bundled_scenario_loads(path: Path) -> None:
    assert load_scenario(path).units


def test_tiny_scenario_is_valid(tmp_path: Path) -> None:
    assert len(load_scenario(write(tmp_path, tiny_scenario_data())).members) == 6


def test_unknown_field_is_named(tmp_path: Path) -> None:
    data = tiny_scenario_data()
    data["units"][0]["windoww"] = {"quarters": [2]}
    text = problems_of(write(tmp_path, data))
    assert "units[0] (id U1).windoww" in text and "unknown field" in text


def test_impossible_date_is_named(tmp_path: Path) -> None:
    data = tiny_scenario_data()
    data["teams"][0]["formed_on"] = "2025-02-30"
    text = problems_of(write(tmp_path, data))
    assert "teams[0] (id D1).formed_on" in text and "YYYY-MM-DD" in text


def test_wrong_type_is_named(tmp_path: Path) -> None:
    data = tiny_scenario_data()
    data["units"][1]["duration"] = "two"
    assert "units[1] (id U2).duration" in problems_of(write(tmp_path, data))


def test_duplicate_id(tmp_path: Path) -> None:
    data = tiny_scenario_data()
    data["members"][1]["id"] = "A1"
    text = problems_of(write(tmp_path, data))
    assert "members.1.id" in text and "used twice" in text


@pytest.mark.parametrize(
    ("section", "field", "value", "expect"),
    [
        ("members", "team", "D9", "members.0.team: 'D9' is not in teams"),
        ("members", "agency", "XYZ", "members.0.agency: 'XYZ' is not in agencies"),
        ("units", "agency", "XYZ", "units.0.agency: 'XYZ' is not in agencies"),
        ("units", "team", "D9", "units.0.team: 'D9' is not in teams"),
    ],
)
def test_dangling_references(
    tmp_path: Path, section: str, field: str, value: str, expect: str
) -> None:
    data = tiny_scenario_data()
    data[section][0][field] = value
    assert expect in problems_of(write(tmp_path, data))


def test_required_agency_must_exist(tmp_path: Path) -> None:
    data = tiny_scenario_data()
    data["units"][0]["required_agencies"] = ["SNV", "NOPE"]
    assert "units.0.required_agencies.1: 'NOPE'" in problems_of(write(tmp_path, data))


def test_reversed_window(tmp_path: Path) -> None:
    data = tiny_scenario_data()
    data["units"][0]["window"] = {"from": "2025-07-31", "to": "2025-06-02"}
    assert "window ends" in problems_of(write(tmp_path, data))


def test_empty_window(tmp_path: Path) -> None:
    data = tiny_scenario_data()
    data["units"][0]["window"] = {}
    assert "either 'quarters'" in problems_of(write(tmp_path, data))


def test_window_outside_horizon(tmp_path: Path) -> None:
    data = tiny_scenario_data()
    data["units"][0]["window"] = {"quarters": [4]}
    assert "outside the horizon" in problems_of(write(tmp_path, data))


def test_available_only_after_window_closes(tmp_path: Path) -> None:
    data = tiny_scenario_data()
    data["units"][0]["available_from"] = "2025-08-15"
    assert "after the window closes" in problems_of(write(tmp_path, data))


def test_yaml_syntax_error_gives_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("campaign:\n  name: [unclosed\nunits: 1\n", encoding="utf-8")
    assert "line " in problems_of(path) and "YAML syntax" in problems_of(path)


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("campaign: {}\ncampaign: {}\n", encoding="utf-8")
    assert "duplicate key 'campaign'" in problems_of(path)


@pytest.mark.parametrize(
    ("content", "expect"),
    [(b"", "empty"), (b"   \n", "empty"), (b"\x00\x01\x02PK", "binary"),
     (b"\xff\xfe\xfa bad", "UTF-8"), (b"- a\n- b\n", "expected a mapping")],
)
def test_unusable_files(tmp_path: Path, content: bytes, expect: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(content)
    assert expect in problems_of(path)


def test_missing_file(tmp_path: Path) -> None:
    assert "not found" in problems_of(tmp_path / "nope.yaml")


def test_unsafe_yaml_tags_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text("campaign: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    assert "YAML syntax" in problems_of(path)


def test_text_is_normalised_to_nfc(tmp_path: Path) -> None:
    data = tiny_scenario_data()
    data["units"][0]["name"] = unicodedata.normalize("NFD", "Sở Y tế")
    unit = load_scenario(write(tmp_path, data)).units[0]
    assert unit.name == unicodedata.normalize("NFC", "Sở Y tế")


@pytest.mark.parametrize(
    ("text", "window"),
    [("Q2", {"quarters": [2]}), ("Q3-Q4", {"quarters": [3, 4]}),
     ("Quý III, IV", {"quarters": [3, 4]}), ("q2,q3", {"quarters": [2, 3]}),
     ("2025-07-01..2025-12-31", {"from": "2025-07-01", "to": "2025-12-31"})],
)
def test_window_text(text: str, window: dict[str, Any]) -> None:
    assert parse_window_text(text) == window


JUNE_JULY = "2025-06-02..2025-07-31"


def _unit_rows() -> list[dict[str, str]]:
    return [
        {"id": "X1", "name": "Phường Ba Đình", "kind": "ward", "agency": "", "window": JUNE_JULY},
        {"id": "X2", "name": "Xã Sóc Sơn", "kind": "commune", "agency": "", "window": JUNE_JULY},
    ]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_units_from_spreadsheet_are_merged(tmp_path: Path, suffix: str) -> None:
    import pandas as pd

    sheet = tmp_path / f"units{suffix}"
    frame = pd.DataFrame(_unit_rows())
    frame.to_csv(sheet, index=False) if suffix == ".csv" else frame.to_excel(sheet, index=False)
    scenario = load_scenario(write(tmp_path, tiny_scenario_data()), sheet)
    assert [u.id for u in scenario.units][-2:] == ["X1", "X2"]
    assert scenario.units[-1].kind.value == "commune"


def test_spreadsheet_missing_column(tmp_path: Path) -> None:
    sheet = tmp_path / "units.csv"
    sheet.write_text("id,name\nX1,Phường A\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_scenario(write(tmp_path, tiny_scenario_data()), sheet)
    assert "missing column(s) kind, agency, window" in caught.value.render("en")


def test_spreadsheet_bad_window_names_row(tmp_path: Path) -> None:
    sheet = tmp_path / "units.csv"
    sheet.write_text("id,name,kind,agency,window\nX1,Phường A,ward,,sometime\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_scenario(write(tmp_path, tiny_scenario_data()), sheet)
    assert "row 2" in caught.value.render("en")


def test_spreadsheet_duplicate_of_scenario_unit(tmp_path: Path) -> None:
    sheet = tmp_path / "units.csv"
    sheet.write_text("id,name,kind,agency,window\nU1,Phường A,ward,,Q3\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_scenario(write(tmp_path, tiny_scenario_data()), sheet)
    assert "used twice" in caught.value.render("en")
