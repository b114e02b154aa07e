"""A trip with nights away in the plan sheet: its first day beside each visit's hours.

The date cell of a visit on a trip reads "15/10/2025 08:30–10:00, chuyến công tác từ 14/10/2025"
(a number format: the cell stays a real date). ``plan_import`` reads the trip back from it, so a
plan edited in Excel keeps its trips (a trip is its team, its lead and its first day).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date

from models.schedule import Assignment

TRIP_IN_FORMAT = re.compile(r"(?:chuyến công tác từ|trip from) (\d{2})/(\d{2})/(\d{4})")


def trip_firsts(assignments: Iterable[Assignment]) -> dict[str, date]:
    """Trip id -> its first day."""
    firsts: dict[str, date] = {}
    for a in assignments:
        if a.trip_id is not None:
            firsts[a.trip_id] = min(firsts.get(a.trip_id, a.start), a.start)
    return firsts


def trip_suffix(a: Assignment, firsts: Mapping[str, date], text: Mapping[str, str]) -> str:
    """", chuyến công tác từ 14/10/2025" for a visit on a trip, else ""."""
    if a.trip_id is None or a.trip_id not in firsts:
        return ""
    return f", {text['trip_from']} {firsts[a.trip_id]:%d/%m/%Y}"


def stated_trip(number_format: str) -> date | None:
    match = TRIP_IN_FORMAT.search(number_format)
    return None if match is None else date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
