"""The checker's day-route rules: H16-day-hours and H17-one-route, from the visits' clock times
(``scheduler.check.routes``) and the routes the schedule states (``scheduler.check.route_list``).
Joined with the other rules in ``scheduler.check.checker.HARD_CHECKS``.
"""

from __future__ import annotations

from collections.abc import Callable

from models.rules import RuleId
from scheduler.check.routes import day_hours_problems, one_route_problems, untimed_short_visits
from scheduler.check.rules import CheckContext, Violation, _v
from scheduler.check.trips import trip_problems
from scheduler.messages import worded
from scheduler.routing.reading import timed_routes
from scheduler.routing.trips import trip_legs


def check_day_hours(ctx: CheckContext) -> list[Violation]:
    """H16-day-hours: a team-day route fits the working hours, its stated times match the travel;
    a trip with nights away keeps to its days and nights (``scheduler.check.trips``)."""
    visits = [v.a for v in ctx.visits]
    found = [_v(RuleId.H16_DAY_HOURS, None, worded("v.untimed"), unit=u)
             for u in untimed_short_visits(ctx.scenario, visits)]
    legs = trip_legs(ctx.scenario, visits, ctx.stated_bases)
    for key, route in timed_routes(visits).items():
        found += [_v(RuleId.H16_DAY_HOURS, None, msg, unit=u, day=key[1])
                  for u, msg in day_hours_problems(ctx.scenario, route, ctx.stated_bases.get(key),
                                                   legs.get(key))]
    found += [_v(RuleId.H16_DAY_HOURS, None, msg, unit=u, day=d)
              for u, d, msg in trip_problems(ctx.scenario, ctx.cal, visits)]
    return found + _stated(ctx, RuleId.H16_DAY_HOURS)


def check_one_route(ctx: CheckContext) -> list[Violation]:
    """H17-one-route: a member's visits of a day share team and lead, and do not overlap."""
    return [_v(RuleId.H17_ONE_ROUTE, None, msg, member=m, day=d, unit=u)
            for m, u, d, msg in one_route_problems([v.a for v in ctx.visits])] + \
        _stated(ctx, RuleId.H17_ONE_ROUTE)


def _stated(ctx: CheckContext, rule_id: RuleId) -> list[Violation]:
    """The stated routes' problems of one rule (``scheduler.check.route_list``)."""
    return [_v(rule_id, None, msg, unit=u, day=d) for r, u, d, msg in ctx.stated_routes if r == rule_id]


ROUTE_CHECKS: dict[RuleId, Callable[[CheckContext], list[Violation]]] = {
    RuleId.H16_DAY_HOURS: check_day_hours,
    RuleId.H17_ONE_ROUTE: check_one_route,
}
