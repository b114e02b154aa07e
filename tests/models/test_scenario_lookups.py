"""Scenario lookups by id (models.scenario): dict lookups built once, rebuilt by model_copy."""

from __future__ import annotations

import pytest

from conftest import make_scenario, tiny_scenario_data
from models.scenario import Member


def test_lookups_find_by_id_and_name_the_unknown() -> None:
    s = make_scenario(tiny_scenario_data())
    assert s.team("D2").name == "Đoàn 2"
    assert s.unit("U3").kind == "ward"
    assert s.member("B2").agency == "SNV"
    assert [m.id for m in s.team_members("D1")] == ["A1", "A2", "A3"]
    assert s.team_members("D9") == []
    with pytest.raises(KeyError, match="unknown member 'Z1'"):
        s.member("Z1")


def test_team_members_is_a_fresh_list() -> None:
    s = make_scenario(tiny_scenario_data())
    s.team_members("D1").clear()
    assert len(s.team_members("D1")) == 3


def test_model_copy_rebuilds_the_lookups() -> None:
    s = make_scenario(tiny_scenario_data())
    newcomer = Member(id="A9", label="Thành viên mới", agency="SNV", team="D1")
    copy = s.model_copy(update={"units": s.units[:1], "members": [*s.members, newcomer]})
    with pytest.raises(KeyError):
        copy.unit("U2")
    assert copy.member("A9") is newcomer
    assert [m.id for m in copy.team_members("D1")] == ["A1", "A2", "A3", "A9"]
    assert s.unit("U2").id == "U2"  # the original keeps its own
    with pytest.raises(KeyError):
        s.member("A9")
