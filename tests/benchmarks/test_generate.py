"""The seeded benchmark generator: sizes from the registry, determinism, validity and capacity."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks import generate as gen
from benchmarks.capacity import capacity_report
from models.loading import load_scenario
from models.scenario import Scenario

NEW_UNIT_ID = re.compile(r"^(X|P|DK)-\d{5}$")


@pytest.fixture(scope="module")
def national() -> dict[str, Scenario]:
    result = gen.generate("national", seed=0)
    assert isinstance(result, dict)
    return result


def _fits(scenario: Scenario) -> bool:
    return all(s.fits for s in capacity_report(scenario))


def test_hanoi_full_has_the_plan_the_departments_and_the_communes() -> None:
    s = gen.generate("hanoi-full", seed=0)
    assert isinstance(s, Scenario)
    plan = load_scenario(gen.HANOI_PLAN)
    ids = [u.id for u in s.units]
    assert ids[: len(plan.units)] == [u.id for u in plan.units]  # the 14 plan units first
    assert set(gen.HANOI_DEPARTMENTS) <= set(ids)  # all 15 departments, none twice
    assert sum(bool(NEW_UNIT_ID.match(i)) for i in ids) == 126
    assert len(ids) == len(set(ids)) == 14 + 9 + 126
    assert len(s.teams) == 2 and len(s.members) == 20
    assert all(m.unavailable and m.max_visits_per_week for m in s.members)
    assert _fits(s)


def test_province_300_has_300_units_2_teams_30_members() -> None:
    s = gen.generate("province-300", seed=0)
    assert isinstance(s, Scenario)
    assert (len(s.units), len(s.teams), len(s.members)) == (300, 2, 30)
    assert _fits(s)
    # the leads alone could not carry 300 visits: sub-teams were formed (plan IV.1)
    assert all(t.parallel_subteams >= 2 for t in s.teams)
    assert any(m.can_lead_subteam for m in s.members)


def test_national_has_34_provinces_and_3321_communes(national: dict[str, Scenario]) -> None:
    assert len(national) == 34
    communes = [u for s in national.values() for u in s.units if NEW_UNIT_ID.match(u.id)]
    assert len(communes) == 3321
    assert all(len(s.teams) == 2 for s in national.values())
    assert all(any(u.kind == "department" for u in s.units) for s in national.values())
    assert all(_fits(s) for s in national.values())


def test_no_department_requires_the_agency_it_belongs_to(national: dict[str, Scenario]) -> None:
    for s in national.values():
        assert all(u.agency not in u.required_agencies for u in s.units)


def test_same_seed_same_bytes_other_seed_other_instance() -> None:
    first = gen.scenario_yaml(gen.generate_data("hanoi-full", seed=3))
    again = gen.scenario_yaml(gen.generate_data("hanoi-full", seed=3))
    other = gen.scenario_yaml(gen.generate_data("hanoi-full", seed=4))
    assert first == again
    assert first != other


def test_cli_writes_identical_files_that_load(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        assert gen.main(["province-300", "--seed", "1", "--out", str(tmp_path / folder)]) == 0
    a, b = tmp_path / "a" / "province-300-s1.yaml", tmp_path / "b" / "province-300-s1.yaml"
    assert a.read_bytes() == b.read_bytes()
    assert load_scenario(a) == gen.generate("province-300", seed=1)


def test_cli_refuses_an_unknown_instance() -> None:
    with pytest.raises(SystemExit) as exc:
        gen.main(["planet-earth"])
    assert exc.value.code == 2
    with pytest.raises(ValueError, match="unknown instance"):
        gen.generate("planet-earth")


def test_generator_never_reads_the_clock() -> None:
    source = Path(gen.__file__).read_text(encoding="utf-8")
    assert not re.search(r"\b(today|now|utcnow|time\.time)\(", source)


def test_units_1000_has_a_team_of_ten_per_50_units_and_fits() -> None:
    s = gen.generate("units-1000", seed=0)
    assert isinstance(s, Scenario)
    assert (len(s.units), len(s.teams), len(s.members)) == (1000, 20, 200)
    assert len({u.id for u in s.units}) == 1000
    assert all(u.team is None for u in s.units)  # up to 20 teams any team may go
    assert _fits(s)


def test_beyond_20_teams_each_unit_is_pinned_to_its_region_team() -> None:
    s = gen.generate("units-1100", seed=0)
    assert isinstance(s, Scenario)
    assert len(s.teams) == 22
    by_team = {t.id: sum(u.team == t.id for u in s.units) for t in s.teams}
    assert all(u.team is not None for u in s.units)
    assert set(by_team.values()) == {50}


def test_units_instances_reject_a_bad_size() -> None:
    with pytest.raises(ValueError, match="unknown instance"):
        gen.generate("units-10", seed=0)
