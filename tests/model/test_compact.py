"""The compact model (scheduler.problem.compact): start days no group can go on are cut, members
who always go are tied to their team's boolean, and neither changes a proven optimum."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model
from scheduler_helpers import only_weight, solve_checked

from conftest import make_scenario, tiny_scenario_data
from models.scenario import Scenario
from models.schedule import Status
from scheduler.model.build import build_model
from scheduler.problem.compact import cut_domains, tied_members
from scheduler.problem.domains import build_domains
from scheduler.search.large import estimated_variables
from scheduler.search.parameters import solver_parameters


def _whole_team(**weights: int) -> dict[str, Any]:
    data = tiny_scenario_data()
    data["rules"]["group_policy"] = "whole_team"
    data["weights"].update({"group_members": 10, **weights})
    return data


def _optimum(scenario: Scenario, compact: bool) -> tuple[str, int | None]:
    pm = build_model(scenario, compact=compact)
    solver = solver_parameters(30.0, 1, 0)
    code = solver.solve(pm.model)
    value = round(solver.objective_value) if code == cp_model.OPTIMAL else None
    return solver.status_name(code), value


def test_members_always_there_share_the_teams_boolean_at_the_same_optimum() -> None:
    scenario = make_scenario(_whole_team())
    tied = tied_members(build_domains(scenario))
    # Every member of both teams is there on every day and has no weekly limit: all tied.
    assert {m for ties in tied.values() for m in ties} == {"A1", "A2", "A3", "B1", "B2", "B3"}
    compact, full = build_model(scenario), build_model(scenario, compact=False)
    assert compact.stats()["member_booleans"] == 0
    assert full.stats()["member_booleans"] == 18
    assert compact.stats()["variables"] < full.stats()["variables"]
    assert _optimum(scenario, True) == _optimum(scenario, False)


def test_a_tied_model_solves_from_the_greedy_hint_to_a_plan_priced_as_the_checker_prices_it() -> None:
    data = _whole_team(leader_load=20)
    data["rules"]["leader_days_per_week"] = 1  # leaders keep their boolean, the others are tied
    data["units"][0]["team"] = "D1"  # and U1 has no team boolean
    result = solve_checked(make_scenario(data))  # the checker's cost is the model's objective
    assert result.status is Status.OPTIMAL
    assert result.stats["tied_members"] == 10 and result.stats["member_booleans"] == 5


def test_no_member_is_tied_where_excusing_may_pay_or_is_needed() -> None:
    def tied_ids(data: dict[str, Any]) -> set[str]:
        ties = tied_members(build_domains(make_scenario(data)))
        return {m for by_member in ties.values() for m in by_member}

    data = _whole_team()
    data["members"][2]["max_visits_per_week"] = 1  # A3's limit binds: he must be excused
    data["members"][3]["unavailable"] = ["2025-06-10"]  # B1 away on a day D2 may visit
    assert tied_ids(data) == {"A1", "A2", "B2", "B3"}
    # An excused member-day cheaper than the balance it may buy (S02 5 + S05 2 > 6): none.
    assert tied_ids(_whole_team(group_members=6)) == set()
    # A Trưởng đoàn over his weekly cap costs S10: the leaders keep their choice.
    data = _whole_team(leader_load=20)
    data["rules"]["leader_days_per_week"] = 1
    assert tied_ids(data) == {"A2", "A3", "B2", "B3"}
    # Under the minimum policy which members go is a real choice.
    assert tied_ids(tiny_scenario_data()) == set()


def test_start_days_no_group_can_go_on_are_cut() -> None:
    data = _whole_team()
    data["members"][0]["unavailable"] = ["2025-06-10"]  # A1, D1's only lead, is away
    data["members"][3]["unavailable"] = ["2025-06-10", "2025-06-11"]  # B1, D2's, too
    scenario = make_scenario(data)
    dom = build_domains(scenario)
    cut = cut_domains(dom)
    away = dom.cal.index(date(2025, 6, 10))
    for uid, ud in cut.units.items():
        assert away in dom.units[uid].starts["D1"]
        assert away not in ud.starts["D1"] and away + 1 in ud.starts["D1"]
        assert away not in ud.starts["D2"] and away + 1 not in ud.starts["D2"]
        assert away not in ud.all_starts  # no team can go: the day's start boolean is gone
    full, compact = build_model(scenario, compact=False), build_model(scenario)
    assert compact.stats()["start_booleans"] < full.stats()["start_booleans"]
    assert _optimum(scenario, True) == _optimum(scenario, False)


def test_a_unit_only_one_team_may_visit_has_no_team_boolean() -> None:
    data = _whole_team()
    data["units"][0]["team"] = "D1"
    data["units"][1].update(team="D2", optional=True)
    scenario = make_scenario(data)
    pm = build_model(scenario)
    assert pm.team["U2"]["D2"] is pm.present["U2"]  # the team goes when the unit is visited
    assert list(pm.model.proto.variables[pm.team["U1"]["D1"].index].domain) == [1, 1]
    assert not pm.single_team("U3")
    full = build_model(scenario, compact=False)
    assert full.stats()["variables"] - pm.stats()["variables"] > 18  # + the 18 member booleans
    assert _optimum(scenario, True) == _optimum(scenario, False)


def test_a_deputy_is_not_taken_for_the_leader_by_the_symmetry_cut() -> None:
    # Same team, agency, lead right, limit and absences, but only the Trưởng đoàn satisfies
    # H18: ordering the two by load forced the deputy onto the visit (OPTIMAL at 10, not 0).
    data = only_weight(tiny_scenario_data(), "group_members", 10)
    data["rules"]["min_group_size"] = 1
    data["members"][0] = {"id": "A0", "label": "Phó trưởng đoàn", "agency": "SNV", "team": "D1",
                          "role": "deputy"}
    data["members"].insert(1, {"id": "A1", "label": "Trưởng đoàn", "agency": "SNV", "team": "D1",
                               "role": "leader"})
    data["units"] = [{**data["units"][0], "team": "D1", "led_by_leader": True}]
    result = solve_checked(make_scenario(data))
    assert result.status is Status.OPTIMAL and result.schedule.solver.objective == 0
    assert result.schedule.assignments[0].member_ids == ["A1"]


def test_the_size_estimate_follows_the_compact_model() -> None:
    free = make_scenario(_whole_team())
    limited = _whole_team()
    for member in limited["members"]:
        if member.get("role") != "leader":  # their limit binds (the leaders may lead 5 days a week)
            member["max_visits_per_week"] = 1
    dom_free, dom_limited = build_domains(free), build_domains(make_scenario(limited))
    tied_free = sum(map(len, tied_members(dom_free).values()))
    tied_limited = sum(map(len, tied_members(dom_limited).values()))
    assert (tied_free, tied_limited) == (18, 6)  # 3 units x 6 members; x the 2 leaders
    assert estimated_variables(dom_limited) - estimated_variables(dom_free) == 12


# --- the optimum is unchanged on random small campaigns -------------------------------------------

START = date(2025, 6, 2)  # a Monday
AGENCIES = ["SNV", "SKHCN", "STP", "SYT"]


@st.composite
def campaigns(draw: st.DrawFn) -> Scenario:
    """2 teams of 3 members, 2-4 one- or two-day units over a few weeks, with absences, limits,
    pins, the whole-team policy and weights on both sides of the tie condition."""
    members = []
    for t in ("D1", "D2"):
        for i in range(3):
            members.append({
                "id": f"{t}-M{i}", "label": f"Thành viên {t}-{i}", "team": t,
                "agency": AGENCIES[i] if i < 2 else draw(st.sampled_from(AGENCIES)),
                "role": "leader" if i == 0 else "deputy" if i == 1 else "member",
                "max_visits_per_week": draw(st.sampled_from([None, None, 1, 2])),
                "unavailable": [(START + timedelta(days=d)).isoformat()
                                for d in draw(st.lists(st.integers(0, 20), max_size=3))]})
    units = []
    for k in range(draw(st.integers(2, 4))):
        first = draw(st.integers(0, 10))
        units.append({
            "id": f"U{k}", "name": f"Đơn vị {k}", "kind": "department",
            "agency": draw(st.sampled_from([None, *AGENCIES])),
            "duration": draw(st.sampled_from([1, 1, 2])),
            "window": {"from": (START + timedelta(days=first)).isoformat(),
                       "to": (START + timedelta(days=first + draw(st.integers(4, 14)))).isoformat()},
            "required_agencies": draw(st.lists(st.sampled_from(AGENCIES[:2]), max_size=1)),
            "team": draw(st.sampled_from([None, None, "D1"])),
            "optional": draw(st.booleans()) and k > 0})
    weights = {"team_balance": draw(st.sampled_from([0, 20])),
               "member_balance": draw(st.sampled_from([0, 5])), "early": 1,
               "agency_spread": draw(st.sampled_from([0, 2])),
               "leader_load": draw(st.sampled_from([0, 20])), "pace": 0,
               "group_members": draw(st.sampled_from([0, 3, 10]))}
    return Scenario.model_validate({
        "schema": "kiemtra.scenario/1",
        "campaign": {"name": "Random", "plan_date": START.isoformat(),
                     "horizon": {"start": START.isoformat(), "end": "2025-07-04"}},
        "agencies": [{"id": a, "name": a} for a in AGENCIES],
        "teams": [{"id": t, "name": f"Đoàn {t}", "formed_on": START.isoformat()}
                  for t in ("D1", "D2")],
        "members": members, "units": units,
        "rules": {"report_deadline_days": 0, "notice_lead_days": 0, "min_group_size": 2,
                  "group_policy": "whole_team", "notice_after_formation_days": 0,
                  "leader_days_per_week": draw(st.sampled_from([None, 1]))},
        "weights": weights,
        "solver": {"time_limit_s": 2, "workers": 1, "seed": 0}})


@given(campaigns())
@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_the_compact_model_proves_the_same_optimum(s: Scenario) -> None:
    compact, full = _optimum(s, True), _optimum(s, False)
    assert compact[0] in ("OPTIMAL", "INFEASIBLE")
    assert compact == full
