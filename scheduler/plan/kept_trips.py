"""Re-plan: a kept trip with nights away stays whole (``rules.overnight``).

The kept (fixed or announced) timed visits of one trip keep their days, team, group and times when
they still lay out from their legs (``scheduler.routing.trip_stage.lay_out_trips``): they become
ONE fixed (or held) composite visit of the calendar model lasting the trip's days, so the
team-days and members stay taken. A trip whose kept visits no longer lay out is not kept as a trip:
like a kept day route that no longer fits, its visits stay whole-day visits where they were, for
the checker to name (H16).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from models.scenario import Scenario, Unit
from models.schedule import Assignment
from scheduler.routing.stage import PlannedTrip, composite_unit
from scheduler.routing.trip_stage import lay_out_trips
from scheduler.routing.trips import TRIP_PREFIX, trip_base


@dataclass
class KeptDays:
    """Kept team-days as route visits: fixed exactly, or held (day and team kept, the group may
    change: a day with a held visit, e.g. an announced visit whose member dropped out)."""

    units: list[Unit] = field(default_factory=list)
    fixed: dict[str, Assignment] = field(default_factory=dict)
    held: dict[str, Assignment] = field(default_factory=dict)
    regrouped: set[str] = field(default_factory=set)


def kept_trip_visits(scenario: Scenario, timed: Mapping[str, Assignment]) -> dict[str, Assignment]:
    """The kept timed visits on trips whose days all still lay out (unit id -> visit)."""
    on_trips = [a for a in timed.values() if a.trip_id is not None]
    laid = lay_out_trips(scenario, on_trips)
    by_trip: dict[str, list[Assignment]] = defaultdict(list)
    for a in on_trips:
        by_trip[a.trip_id or ""].append(a)
    return {a.unit_id: a for visits in by_trip.values() if all(a.unit_id in laid for a in visits)
            for a in visits}


def add_kept_trips(scenario: Scenario, kept: Mapping[str, Assignment], trips: dict[str, PlannedTrip],
                   held: set[str], out: KeptDays) -> None:
    """Each kept trip as one composite visit at its first day, added to ``out``."""
    by_trip: dict[str, list[Assignment]] = defaultdict(list)
    for a in kept.values():
        if a.trip_id is not None:
            by_trip[a.trip_id].append(a)
    for visits in by_trip.values():
        days: dict[date, list[Assignment]] = defaultdict(list)
        for a in sorted(visits, key=lambda a: (a.start, a.start_time or "")):
            days[a.start].append(a)
        order = tuple(tuple(a.unit_id for a in d) for d in days.values())
        trip_id = f"{TRIP_PREFIX}-kept{len(trips) + 1:03d}"  # the model's S14 term reads the prefix
        stops = [[scenario.unit(u) for u in d] for d in order]
        first = next(iter(days.values()))[0]
        trips[trip_id] = PlannedTrip(trip_id, order, 0, trip_base(scenario, first.team_id, stops))
        out.units.append(composite_unit(trip_id, [u for d in stops for u in d], first.team_id, len(order)))
        visit = first.model_copy(update={"unit_id": trip_id, "start_time": None, "end_time": None,
                                         "travel_minutes": None, "travel_km": None, "route_id": None,
                                         "trip_id": None})
        if held & {a.unit_id for a in visits}:
            out.held[trip_id] = visit
            out.regrouped |= {a.unit_id for a in visits}
        else:
            out.fixed[trip_id] = visit
