"""The 2025 unit registry: new units, the old -> new table, rekey, and the communes CLI/scenario."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cli import main
from conftest import SCENARIOS, tiny_scenario_data
from models import registry
from models import rekey as rekeying
from models.loading import load_scenario, load_units_table
from models.rekey import RekeyStatus, UnitToRekey
from models.scenario import Scenario, UnitKind

HANOI = "01"


@pytest.fixture(scope="module")
def hanoi_conversion() -> registry.Conversion:
    return registry.conversion(HANOI)


def test_hanoi_has_126_new_units_51_wards_75_communes() -> None:
    units = registry.new_units(HANOI)
    kinds = [u.kind for u in units]
    assert len(units) == 126
    assert kinds.count(UnitKind.WARD) == 51
    assert kinds.count(UnitKind.COMMUNE) == 75
    assert len({u.unit_id for u in units}) == 126


def test_country_has_34_provinces_and_3321_units_by_type() -> None:
    units = registry.all_new_units()
    types = [u.division_type for u in units]
    assert len(registry.provinces()) == 34
    assert len(units) == 3321
    assert (types.count("xã"), types.count("phường"), types.count("đặc khu")) == (2621, 687, 13)
    assert {u.kind for u in units if u.division_type == "đặc khu"} == {UnitKind.SPECIAL_ZONE}


def test_names_are_nfc_ids_follow_codes_and_hanoi_has_coordinates() -> None:
    units = registry.new_units(HANOI)
    ba_dinh = next(u for u in units if u.unit_id == "P-00004")
    assert ba_dinh.name == "Phường Ba Đình"
    assert all(unicodedata.is_normalized("NFC", u.name) and "  " not in u.name for u in units)
    assert all(20.5 < u.lat < 21.5 and 105.2 < u.lon < 106.1 for u in units)  # type: ignore[operator]
    assert all(u.lat is not None for u in registry.all_new_units())


@pytest.mark.parametrize("text", ["Hà Nội", "Thành phố Hà Nội", "ha noi", "HÀ NỘI", "01", "1"])
def test_find_province_accepts_names_and_codes(text: str) -> None:
    assert registry.find_province(text).code == HANOI


def test_unknown_and_old_provinces_get_a_clear_message() -> None:
    with pytest.raises(registry.UnknownProvince, match="use one of: Hà Nội"):
        registry.find_province("Atlantis")
    with pytest.raises(registry.UnknownProvince, match="part of Tuyên Quang since 1/7/2025"):
        registry.find_province("Hà Giang")


def test_hanoi_conversion_is_many_to_many(hanoi_conversion: registry.Conversion) -> None:
    conv = hanoi_conversion
    assert (len(conv.old), len(conv.new)) == (526, 126)
    split = conv.split_units()
    assert len(split) == 199  # DOMAIN.md says 198; the package's table has 199
    assert len(conv.cross_district_units()) == 64
    assert len(conv.multi_source_units()) == 126
    assert all(conv.targets(key) for key in conv.old)  # every old unit goes somewhere
    assert all(conv.sources(code) for code in conv.new)
    for old in split:  # a split unit lists every new unit and exactly one default
        assert len(conv.targets(old.key)) > 1
        assert conv.default_target(old.key) in conv.targets(old.key)


def test_conversion_of_an_old_province_merged_into_a_new_one() -> None:
    can_tho = registry.conversion(registry.find_province("Cần Thơ").code)
    old_provinces = {u.province_name for u in can_tho.old.values()}
    assert old_provinces == {"Thành phố Cần Thơ", "Tỉnh Hậu Giang", "Tỉnh Sóc Trăng"}


def test_scenario_units_validate_in_a_scenario() -> None:
    data = tiny_scenario_data()
    window = {"from": "2025-07-01", "to": "2025-07-31"}
    data["units"] = registry.scenario_units(registry.new_units(HANOI)[:3], window, ["SNV"])
    scenario = Scenario.model_validate(data)
    assert [u.id for u in scenario.units] == ["P-00004", "P-00008", "P-00025"]
    assert all(u.agency is None and u.required_agencies == ["SNV"] for u in scenario.units)


# --- rekey --------------------------------------------------------------------------------------

REKEY_INPUT = [
    UnitToRekey("PX", "Phường Phúc Xá"),  # -> Hồng Hà, together with Phúc Tân: merged
    UnitToRekey("U-00037", "Phường Phúc Tân"),  # by code and name
    UnitToRekey("TD", "Thị trấn Tây Đằng"),  # split over Quảng Oai and Minh Châu
    UnitToRekey("QT", "Phường Quang Trung"),  # Đống Đa and Hà Đông: ambiguous
    UnitToRekey("QT-HD", "Phường Quang Trung (Hà Đông)"),  # the district settles it
    UnitToRekey("X-00004", "Phường Trúc Bạch, Quận Ba Đình"),  # code 00004 reused by Ba Đình
    UnitToRekey("P-00097", "Phường Hồng Hà"),  # already new
    UnitToRekey("ZZ", "Xã Không Có"),
]


@pytest.fixture(scope="module")
def rekeyed(hanoi_conversion: registry.Conversion) -> dict[str, rekeying.RekeyRow]:
    return {r.unit_id: r for r in rekeying.rekey(REKEY_INPUT, hanoi_conversion)}


def test_rekey_flags_splits_with_the_tables_default_as_a_suggestion(rekeyed: dict) -> None:
    row = rekeyed["TD"]
    assert row.status is RekeyStatus.SPLIT and row.needs_confirmation
    assert {u.name for u in row.new} == {"Xã Quảng Oai", "Xã Minh Châu"}
    assert row.suggested is not None and row.suggested in row.new


def test_rekey_flags_units_meeting_in_one_new_unit(rekeyed: dict) -> None:
    merged = [r for r in rekeyed.values() if r.status is RekeyStatus.MERGED]
    assert {r.unit_id for r in merged} == {"PX", "U-00037", "P-00097"}
    assert {r.new[0].name for r in merged} == {"Phường Hồng Hà"}
    assert all(r.needs_confirmation for r in merged)


def test_rekey_asks_for_the_district_when_a_name_is_ambiguous(rekeyed: dict) -> None:
    assert rekeyed["QT"].status is RekeyStatus.AMBIGUOUS
    assert {u.district for u in rekeyed["QT"].old} == {"Quận Đống Đa", "Quận Hà Đông"}
    assert rekeyed["QT-HD"].old[0].district == "Quận Hà Đông"
    assert rekeyed["QT-HD"].status is RekeyStatus.SPLIT


def test_rekey_maps_by_name_over_a_reused_code_and_reports_unknowns(rekeyed: dict) -> None:
    row = rekeyed["X-00004"]
    assert row.status is RekeyStatus.MAPPED and not row.needs_confirmation
    assert row.old[0].name == "Phường Trúc Bạch" and row.new[0].unit_id == "P-00004"
    assert rekeyed["ZZ"].status is RekeyStatus.NOT_FOUND and rekeyed["ZZ"].needs_confirmation


# --- CLI ----------------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    """The command's output in English, the wording these tests read."""
    result = CliRunner(env={"KIEMTRA_LANG": "en"}).invoke(main, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_communes_sheet_round_trips_through_validate(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"units{suffix}"
    code, output = run("communes", "--province", "Hà Nội", "--out", str(out))
    assert code == 0, output
    units = load_units_table(out)
    assert len(units) == 126
    assert sum(u["kind"] == "ward" for u in units) == 51
    assert all(u["window"] == {"quarters": [3, 4]} and "agency" not in u for u in units)
    scenario = load_scenario(SCENARIOS / "hanoi-2025.yaml", out)
    assert len(scenario.units) == 14 + 126
    code, output = run("validate", str(SCENARIOS / "hanoi-2025.yaml"), "--units", str(out))
    assert code == 0 and "units: 140" in output


def test_communes_csv_has_codes_and_coordinates(tmp_path: Path) -> None:
    code, output = run("communes", "--province", "hanoi", "--window", "Q4")
    assert code == 0
    header, first = output.splitlines()[:2]
    assert header == ",".join(registry.UNITS_TABLE_COLUMNS)
    assert first.startswith("P-00004,Phường Ba Đình,ward,,Q4,00004,phường,")


@pytest.mark.parametrize("args", [
    ["communes", "--province", "Atlantis"],
    ["communes", "--province", "Hà Nội", "--window", "Q9"],
    ["communes", "--province", "Hà Nội", "--out", "units.txt"],
    ["rekey", "missing.yaml"],
    ["rekey", str(SCENARIOS / "hanoi-2025.yaml"), "--province", "Atlantis"],
])
def test_bad_input_exits_2(args: list[str]) -> None:
    code, output = run(*args)
    assert code == 2
    assert "Traceback" not in output


def _old_scenario(tmp_path: Path) -> Path:
    data = tiny_scenario_data()
    window = {"from": "2025-06-02", "to": "2025-07-31"}
    data["units"] = [{"id": u.id, "name": u.name, "kind": "ward", "window": window}
                     for u in REKEY_INPUT] + [data["units"][0]]
    path = tmp_path / "old.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_rekey_cli_lists_cases_to_confirm_and_writes_csv(tmp_path: Path) -> None:
    out = tmp_path / "rekey.csv"
    code, output = run("rekey", str(_old_scenario(tmp_path)), "--out", str(out))
    assert code == 0, output
    assert "8 commune-level unit(s)" in output  # the department is left alone
    assert "7 case(s) need the planner's confirmation" in output
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == ",".join(rekeying.REKEY_COLUMNS) and len(rows) == 9
    assert any(r.startswith("TD,Thị trấn Tây Đằng,split,yes,09619") for r in rows)


def test_rekey_cli_reads_a_schedule(tmp_path: Path) -> None:
    schedule = {
        "schema": "kiemtra.schedule/1", "scenario": {"name": "old", "sha256": "0"},
        "solver": {"status": "FEASIBLE"},
        "units": [{"id": "TB", "name": "Phường Trúc Bạch", "kind": "ward"}],
        "assignments": [{"unit_id": "TB", "team_id": "D1", "start": "2025-06-16",
                         "end": "2025-06-16", "member_ids": ["A1"], "lead_id": "A1"}],
    }
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(schedule, ensure_ascii=False), encoding="utf-8")
    code, output = run("rekey", str(path))
    assert code == 0, output
    assert "TB" in output and "mapped" in output and "P-00004 Phường Ba Đình" in output


# --- the Hanoi plan with its communes ---------------------------------------------------------


def test_communes_scenario_is_the_plan_plus_126_units_in_q3_q4() -> None:
    plan = load_scenario(SCENARIOS / "hanoi-2025.yaml")
    full = load_scenario(SCENARIOS / "hanoi-2025-communes.yaml")
    extra = [u for u in full.units if u.id not in {p.id for p in plan.units}]
    assert len(extra) == 126 and all(u.kind.is_commune_level for u in extra)
    assert {u.id for u in extra} == {u.unit_id for u in registry.new_units(HANOI)}
    assert all(u.window.quarters == [3, 4] for u in extra)
    assert full.rules.commune_level_from is not None
    assert full.rules.commune_level_from.isoformat() == "2025-07-01"


def test_communes_scenario_file_is_what_the_script_makes() -> None:
    from benchmarks.hanoi_communes import TARGET, build_text

    assert TARGET.read_text(encoding="utf-8") == build_text()


def test_communes_scenario_fits_the_teams_weekly_capacity() -> None:
    from benchmarks.capacity import capacity_report

    report = capacity_report(load_scenario(SCENARIOS / "hanoi-2025-communes.yaml"))
    assert report and all(s.fits for s in report)
    assert max(s.visit_days for s in report) == 140


def test_communes_scenario_has_a_plan_that_passes_the_checker() -> None:
    """Feasibility shown without the solver: the hand-style greedy plan places all 140 units."""
    from scheduler.check.checker import check_schedule
    from scheduler.plan.pipeline import greedy_schedule

    scenario = load_scenario(SCENARIOS / "hanoi-2025-communes.yaml")
    plan = greedy_schedule(scenario)
    assert len(plan.assignments) == 140 and not plan.unscheduled
    report = check_schedule(scenario, plan)
    assert report.ok, report.violations[:3]
    communes = [a for a in plan.assignments if a.unit_id.startswith(("X-", "P-"))]
    assert len(communes) == 126
    assert all(a.start.isoformat() >= "2025-07-01" for a in communes)
