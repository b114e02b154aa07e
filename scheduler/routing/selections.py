"""Sampling seen by the route stage: which selections count a unit (a route keeps them apart),
and the selections over the calendar problem's units, where a route or trip stands for its units.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from models.scenario import Scenario
from models.selection import Selection, as_listed, resolved_selections


def selections_of(scenario: Scenario) -> dict[str, frozenset[str]]:
    """Unit id -> the ids of the selections counting it."""
    found: dict[str, set[str]] = defaultdict(set)
    for r in resolved_selections(scenario):
        for u in r.unit_ids:
            found[u].add(r.id)
    return {u: frozenset(ids) for u, ids in found.items()}


def routed_selections(scenario: Scenario, visits: Mapping[str, Sequence[str]]) -> list[Selection]:
    """The scenario's selections over the calendar problem's units: a route (or trip; ``visits``:
    its id -> its unit ids) listed once per unit it visits, and each selection's need counted on
    its units as written (a share of 12 stays a share of 12 when they travel as 3 routes)."""
    route_of = {u: r for r, unit_ids in visits.items() for u in unit_ids}
    return [as_listed(r, [route_of.get(u, u) for u in r.unit_ids])
            for r in resolved_selections(scenario)]
