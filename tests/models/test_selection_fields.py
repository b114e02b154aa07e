"""The ``selections`` field and ``priority``: accepted as documented, refused with a message that
names the field and the fix; and, over random selections, every plan is checker-clean or the
scenario is INFEASIBLE with the selection named (H20-selection)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli import main
from conftest import make_scenario, tiny_scenario_data
from models.loading import InputError, load_scenario
from models.rules import RuleId
from models.schedule import Status
from models.selection import resolve, resolved_selections
from scheduler.plan.pipeline import plan
from scheduler.search.solve import SolveOptions

WEEKS = {"from": "2025-06-09", "to": "2025-06-20"}


def with_wards(selection: dict[str, Any] | None = None, n: int = 4) -> dict[str, Any]:
    data = tiny_scenario_data()
    data["units"] += [{"id": f"W{i}", "name": f"Phường {i}", "kind": "ward", "area": "Quận Ba Đình",
                       "window": WEEKS, "optional": True} for i in range(n)]
    if selection is not None:
        data["selections"] = [{"id": "BD", "name": "Ba Đình", **selection}]
    return data


def refusal(tmp_path: Path, data: dict[str, Any]) -> str:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    return caught.value.render("en")


def test_a_selection_by_match_or_by_ids_reads_the_same() -> None:
    by_match = make_scenario(with_wards({"match": {"kind": ["ward"], "area": [" Quận Ba Đình "]},
                                         "at_least_percent": 50}))
    by_ids = make_scenario(with_wards({"units": ["W0", "W1", "W2", "W3"], "at_least": 2}))
    for s in (by_match, by_ids):
        sel = s.selections[0]
        assert sel.members(s.units) == ["W0", "W1", "W2", "W3"]
        assert sel.need(4) == 2


def test_text_is_nfc_normalised() -> None:
    decomposed = "Quận Ba Đình".replace("ậ", "a\u0323\u0302")
    data = with_wards({"match": {"area": [decomposed]}, "at_least": 1})
    s = make_scenario(data)
    assert s.selections[0].members(s.units) == ["W0", "W1", "W2", "W3"]


def test_a_share_rounds_up() -> None:
    s = make_scenario(with_wards({"units": ["W0", "W1", "W2"], "at_least_percent": 20}))
    assert s.selections[0].need(3) == 1  # 0.6 of a unit: one visit
    assert s.selections[0].wording(3, "vi") == "ít nhất 20% (1 trên 3)"


def test_each_area_holds_the_minimum_in_every_former_district() -> None:
    data = with_wards({"match": {"area": ["Quận Ba Đình", "Quận Hoàn Kiếm"]},
                       "at_least_percent": 50, "each": "area"}, n=5)
    for u in data["units"]:
        if u["id"] in ("W3", "W4"):
            u["area"] = "Quận Hoàn Kiếm"
    groups = resolved_selections(make_scenario(data))
    assert [(r.id, r.unit_ids, r.need) for r in groups] == [
        ("BD/Quận Ba Đình", ("W0", "W1", "W2"), 2), ("BD/Quận Hoàn Kiếm", ("W3", "W4"), 1)]
    assert groups[1].name == "Ba Đình – Quận Hoàn Kiếm"


# (selection, units changed, words the refusal must contain: the field, then the fix)
BAD: list[tuple[dict[str, Any], dict[str, Any], tuple[str, ...]]] = [
    ({"units": ["W0", "W9"], "at_least": 1}, {}, ("selections.0.units.1", "'W9' is not in units")),
    ({"units": ["W0", "W1"], "at_least": 3}, {}, ("selections.0.at_least", "lower at_least")),
    ({"units": ["W0", "W0"], "at_least": 1}, {}, ("listed twice", "list each unit once")),
    ({"units": ["W0"], "at_least_percent": 120}, {}, ("at_least_percent", "100")),
    ({"units": ["W0"], "at_least_percent": 0}, {}, ("at_least_percent", "0")),
    ({"units": ["W0"]}, {}, ("at_least", "exactly one of them")),
    ({"units": ["W0"], "match": {"kind": ["ward"]}, "at_least": 1}, {}, ("either units", "match")),
    ({"match": {"kind": ["xa"]}, "at_least": 1}, {}, ("selections.0.match.kind.0", "commune")),
    ({"match": {"area": ["Quận Hoàn Kiếm"]}, "at_least": 1}, {}, ("no unit", "correct its match")),
    ({"units": ["U1", "U2"], "at_least": 1}, {}, ("required", "optional: true", "remove the selection")),
    ({"units": ["W0"], "at_least": 1}, {"U1": {"priority": 3}},
     ("units.0.priority", "put it in a selection")),
    ({"units": ["W0", "W1"], "at_least": 1, "each": "area"}, {"W1": {"area": None}},
     ("selections.0.each", "W1", "give them one")),
    ({"units": ["W0", "W1", "W2"], "at_least": 2, "each": "area"}, {"W2": {"area": "Quận Tây Hồ"}},
     ("selections.0.at_least", "Quận Tây Hồ has 1", "use at_least_percent")),
    ({"units": ["W0", "U1"], "at_least": 1, "each": "kind"}, {},
     ("all 1 units of department are required", "optional: true")),
    ({"units": ["W0"], "at_least": 1, "each": "team"}, {}, ("each", "'area', 'kind' or 'agency'")),
]


@pytest.mark.parametrize(("selection", "changes", "words"), BAD)
def test_a_bad_selection_is_refused_naming_field_and_fix(
        tmp_path: Path, selection: dict[str, Any], changes: dict[str, Any], words: tuple[str, ...]
) -> None:
    data = with_wards(selection)
    for u in data["units"]:
        u.update(changes.get(u["id"], {}))
        if "area" in u and u["area"] is None:
            del u["area"]
    text = refusal(tmp_path, data)
    for word in words:
        assert word in text


def test_a_bad_selection_is_refused_by_the_cli_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    data = with_wards({"units": ["W0", "W9"], "at_least": 1})
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)], env={"KIEMTRA_LANG": "en"})
    assert result.exit_code == 2
    assert "selections.0.units.1" in result.output and "Traceback" not in result.output


# --- a property over random selections ------------------------------------------------------------

EXAMPLES = int(os.environ.get("KIEMTRA_PROPERTY_EXAMPLES", "15"))


@st.composite
def sampled_campaigns(draw: st.DrawFn) -> dict[str, Any]:
    """The tiny campaign plus 2-6 optional wards (random windows, priorities, some short visits)
    and 1-2 random selections over wards and departments."""
    n = draw(st.integers(2, 6))
    data = with_wards(None, n)
    for u in data["units"][3:]:
        first = draw(st.integers(2, 20))  # before 09/06 no visit is possible (the notice)
        last = min(27, first + draw(st.integers(0, 7)))
        u["window"] = {"from": f"2025-06-{first:02d}", "to": f"2025-06-{last:02d}"}
        u["priority"] = draw(st.integers(0, 5))
        u["area"] = draw(st.sampled_from(["Quận Ba Đình", "Quận Tây Hồ"]))
        if draw(st.booleans()):
            u["visit_minutes"] = draw(st.sampled_from([60, 120, 200]))
    wards = [u["id"] for u in data["units"][3:]]
    selections = []
    for k in range(draw(st.integers(1, 2))):
        ids = draw(st.lists(st.sampled_from(wards), min_size=1, unique=True))
        if draw(st.booleans()):  # the minimum in each former district (wards only)
            selections.append({"id": f"S{k}", "name": f"Mẫu {k}", "units": ids, "each": "area",
                               "at_least_percent": draw(st.sampled_from([10, 34, 50, 100]))})
            continue
        ids += draw(st.lists(st.sampled_from(["U1", "U2", "U3"]), unique=True, max_size=1))
        size = (draw(st.sampled_from([{"at_least": draw(st.integers(1, len(ids)))},
                                      {"at_least_percent": draw(st.sampled_from([10, 34, 50, 100]))}])))
        selections.append({"id": f"S{k}", "name": f"Mẫu {k}", "units": ids, **size})
    data["selections"] = selections
    prioritised = {u for s in selections for u in s["units"]}
    for u in data["units"]:
        if u["id"] not in prioritised:
            u.pop("priority", None)
    return data


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sampled_campaigns())
def test_a_plan_keeps_every_selection_or_the_selection_is_named(data: dict[str, Any]) -> None:
    scenario = make_scenario(data)
    outcome = plan(scenario, SolveOptions(time_limit_s=2.0, workers=1, seed=0))
    if outcome.status is Status.INFEASIBLE:
        assert outcome.explanation is not None
        assert RuleId.H20_SELECTION in outcome.explanation.render("en")
        return
    assert outcome.schedule is not None and outcome.clean, outcome.check
    visited = {a.unit_id for a in outcome.schedule.assignments}
    for s in scenario.selections:
        for r in resolve(s, scenario.units):  # counted here by hand, not by the checker
            assert sum(u in visited for u in r.unit_ids) >= r.need
