"""A team's bases: where its day routes may start and end (``teams[].bases``).

A provincial team merged in 2025 works from its office and from the province's second seat (the
former capital of the merged province); a day route starts and ends at one of them. ``base`` stays
the shorthand for a team with one base; with ``bases``, ``base`` is filled with the first (the
office), so code that only knows one base sees the office. Pure pydantic.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from models.field_work import Location
from models.messages import register, worded


class TeamBase(Location):
    """One base of a team: a name a planner reads ("Trụ sở Sở Nội vụ (Biên Hòa)") and its point."""

    name: str = Field(min_length=1, max_length=120, description="what letters and maps call it")


def fill_base(data: Any) -> Any:
    """Before a team is validated: ``base`` from the first of ``bases``, or refused when both are
    given and disagree (which one would be the office?)."""
    if not isinstance(data, dict) or not data.get("bases"):
        return data
    first = data["bases"][0]
    point = {k: (first.get(k) if isinstance(first, dict) else getattr(first, k, None))
             for k in ("lat", "lon")}
    stated = data.get("base")
    if stated is None:
        return {**data, "base": point}
    given = {k: (stated.get(k) if isinstance(stated, dict) else getattr(stated, k, None))
             for k in ("lat", "lon")}
    if given != point:
        raise ValueError(worded("scenario.base_and_bases", lat=given["lat"], lon=given["lon"]))
    return data


def duplicate_base_names(bases: list[TeamBase]) -> list[str]:
    names = [b.name for b in bases]
    return sorted({n for n in names if names.count(n) > 1})


register({
    "scenario.base_and_bases": (
        "'base' ({lat}, {lon}) khác cơ sở đầu tiên của 'bases'; bỏ 'base' (cơ sở đầu tiên của "
        "'bases' là trụ sở) hoặc ghi nó đúng như cơ sở đầu tiên",
        "'base' ({lat}, {lon}) differs from the first of 'bases'; drop 'base' (the first of "
        "'bases' is the office) or make it that point"),
    "scenario.base_names": (
        "hai cơ sở trùng tên: {names}; mỗi cơ sở của một đoàn cần một tên riêng",
        "two bases share a name: {names}; give each base of a team its own name"),
})
