"""A surprise visit added in a re-plan joins a kept day route when it can (issue 10, item 9).

A planner who must add a short surprise visit puts it into a day the team already spends on the
road nearby, and re-times that day only. Here: a new short surprise visit (not kept, not yet
placed) joins the kept team-day (team, date, lead) where it fits best — the date is one its
window, existence and excluded dates allow, the group covers its agencies without a member of
its own agency, the day still fits the working hours (H16) with it inserted at its cheapest
place — when the driving it adds costs less than a team-day of its own (``weights.travel`` ×
minutes < ``weights.team_days``). The other days, and their announced times, are untouched.
Pure Python; the route stage (``scheduler.plan.stage``) uses it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from models.scenario import Form, Scenario, Unit, expand_dates
from models.schedule import Assignment, RouteKey
from models.timing import exists_from
from scheduler.cost.route_price import RoutePrice
from scheduler.routing.points import day_base, travel_params, unit_point, working_day
from scheduler.routing.travel import fits_day, route_travel_minutes

DayKey = RouteKey  # team, date, lead of a kept day route


def kept_days(kept: Mapping[str, Assignment]) -> dict[DayKey, list[Assignment]]:
    """The kept short visits by team-day, each day in its announced order."""
    days: dict[DayKey, list[Assignment]] = defaultdict(list)
    for a in kept.values():
        days[a.route_key].append(a)
    for visits in days.values():
        visits.sort(key=lambda a: a.start_time or "")
    return dict(days)


def join_kept_days(scenario: Scenario, kept: Mapping[str, Assignment]
                   ) -> dict[DayKey, list[str]]:
    """Each changed kept day's units in their new order (kept ones and the surprises joining)."""
    days = kept_days(kept)
    orders = {key: [a.unit_id for a in visits] for key, visits in days.items()}
    changed: set[DayKey] = set()
    for unit in scenario.units:
        if unit.id in kept or unit.visit_minutes is None or unit.form is not Form.SURPRISE:
            continue
        best = _best_day(scenario, unit, days, orders)
        if best is not None:
            key, order = best
            orders[key] = order
            changed.add(key)
    return {key: orders[key] for key in changed}


def _best_day(scenario: Scenario, unit: Unit, days: Mapping[DayKey, list[Assignment]],
              orders: Mapping[DayKey, list[str]]) -> tuple[DayKey, list[str]] | None:
    price = RoutePrice.of(scenario.weights)
    best: tuple[int, DayKey, list[str]] | None = None
    for key, visits in days.items():
        if not _may_join(scenario, unit, key, visits):
            continue
        found = _cheapest_insertion(scenario, key[0], orders[key], unit)
        if found is None:
            continue
        added, order = found
        if price(added, 0) >= price(0, 1):
            continue
        if best is None or added < best[0]:
            best = (added, key, order)
    return None if best is None else (best[1], best[2])


def _may_join(scenario: Scenario, unit: Unit, key: DayKey, visits: Sequence[Assignment]) -> bool:
    """The day is one the unit may have, and the day's group may visit it."""
    team_id, day, _ = key
    first, last = scenario.binding_window(unit)
    if unit.team not in (None, team_id) or not first <= day <= last or day < exists_from(scenario, unit):
        return False
    if day in expand_dates(unit.excluded_dates) or unit.group_size is not None or unit.led_by_leader:
        return False
    group = [scenario.member(m) for m in visits[0].member_ids]
    agencies = {m.agency for m in group}
    if scenario.rules.conflict_of_interest and unit.agency in agencies:
        return False
    return set(unit.required_agencies) <= agencies


def _cheapest_insertion(scenario: Scenario, team_id: str, order: list[str], unit: Unit
                        ) -> tuple[int, list[str]] | None:
    """The added driving minutes and the order, for the unit at its cheapest place that still lays
    out (None: no place fits the working hours, H16)."""
    units = [scenario.unit(u) for u in order]
    travel, day = travel_params(scenario), working_day(scenario)

    def driven(stops: Sequence[Unit]) -> int:  # from the base that makes the day cheapest
        base = day_base(scenario, team_id, stops)
        return route_travel_minutes(base, [unit_point(u, base) for u in stops], travel)

    def fits(stops: Sequence[Unit]) -> bool:
        base = day_base(scenario, team_id, stops)
        return fits_day(base, [unit_point(u, base) for u in stops], [u.visit_minutes or 0 for u in stops],
                        day, travel)

    before = driven(units) if units else 0
    options = [(driven(tried), i) for i in range(len(units) + 1)
               if fits(tried := [*units[:i], unit, *units[i:]])]
    if not options:
        return None
    total, at = min(options)
    return total - before, [*order[:at], unit.id, *order[at:]]
