"""A short surprise visit added in a re-plan joins a kept day route nearby and re-times that day
only (issue 10, item 9); a far one does not."""

from __future__ import annotations

from typing import Any

from test_day_routes import DAY, SPOTS, short_data, solved

from conftest import make_scenario
from scheduler.routing.insert import join_kept_days


def _surprise(lat: float, lon: float) -> dict[str, Any]:
    return {"id": "S1", "name": "Xã đột xuất", "kind": "commune", "form": "surprise", "team": "D1",
            "visit_minutes": 60, "location": {"lat": lat, "lon": lon},
            "window": {"from": DAY, "to": DAY}}


def _kept_day() -> tuple[dict[str, Any], dict]:
    data = short_data()
    data["units"] = data["units"][:3]
    data["weights"].update(travel=1, team_days=60)
    _, first = solved(data)
    assert first.schedule is not None and first.clean
    kept = {a.unit_id: a for a in first.schedule.assignments}
    assert len({(a.team_id, a.start, a.lead_id) for a in kept.values()}) == 1  # one day route
    return data, kept


def test_a_near_surprise_visit_joins_the_kept_day_and_only_that_day_is_re_timed() -> None:
    data, kept = _kept_day()
    data["units"].append(_surprise(*SPOTS[3]))
    _, outcome = solved(data, fixed=kept)
    assert outcome.schedule is not None and outcome.clean, outcome.check
    day = next(iter(kept.values()))
    new = outcome.schedule.assignment_for("S1")
    assert new is not None and (new.team_id, new.start, new.lead_id) == (day.team_id, day.start,
                                                                         day.lead_id)
    assert set(new.member_ids) == set(day.member_ids) and new.report_due is None  # surprise
    for unit_id, a in kept.items():  # same day, team, group and state; times may move
        again = outcome.schedule.assignment_for(unit_id)
        assert again is not None
        assert (again.start, again.team_id, again.member_ids, again.state) == \
            (a.start, a.team_id, a.member_ids, a.state)
    assert len({(a.team_id, a.start) for a in outcome.schedule.assignments}) == 1  # no new day


def test_a_far_surprise_visit_or_a_planned_one_does_not_join() -> None:
    data, kept = _kept_day()
    far = _surprise(21.30, 105.50)  # some 45 km away: more driving than a day of its own is worth
    assert join_kept_days(make_scenario({**data, "units": [*data["units"], far]}), kept) == {}
    near_planned = {**_surprise(*SPOTS[3]), "form": "planned"}  # needs its notice: not inserted
    assert join_kept_days(make_scenario({**data, "units": [*data["units"], near_planned]}),
                          kept) == {}
