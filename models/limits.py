"""Sane ranges for every number and date a planner types, shared by the files and the CLI.

A value outside its range is a typo or a hostile input, never a plan: 1e16 as a weight overflows
CP-SAT's objective, year 1 crashes the calendar, -5 s of search means nothing. The scenario
models, the schedule contract and the command-line options all take their bounds from here so
that one number means one thing everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from models.messages import say, worded

# The `holidays` package's lunar tables (Tết, Giỗ Tổ Hùng Vương) stop at 2100 and the calendar
# looks one year past the horizon for report deadlines, so 2099 is the last year planned
# correctly. Before 2000 no campaign exists to plan: a date like 0025-06-02 is a typo.
FIRST_YEAR = 2000
LAST_YEAR = 2099

# A weight of 10^6 times the largest term count (~10^5 working-day offsets on a national
# campaign) stays far below 2^53, where CP-SAT's objective stops being exact.
MAX_WEIGHT = 1_000_000
MAX_TIME_LIMIT_S = 86_400.0  # a day of search; beyond it, split the campaign
MAX_WORKERS = 64
MAX_SEED = 2**31 - 1  # CP-SAT's random_seed is a 32-bit integer
MAX_NOTICE_DAYS = 60  # about a quarter's working days; report and notice leads
MAX_DURATION_DAYS = 60  # a visit longer than a quarter is not a visit
MAX_GROUP_SIZE = 50
MAX_PARALLEL_SUBTEAMS = 20
DAYS_PER_WEEK = 7
MAX_INPUT_BYTES = 50 * 1024 * 1024  # the national campaign's scenario is under 2 MB
MAX_DEPTH = 64  # a scenario nests 6 levels; Python's parsers overflow near 1,000
MAX_VALUES = 1_000_000  # a national schedule holds ~60,000 values


@dataclass(frozen=True)
class Within:
    """Annotated metadata: the value must lie in [lo, hi]; the message gives the range.

    ``Annotated[int, Within(1, 7)]`` validates like ``Field(ge=1, le=7)`` and shows the same
    JSON Schema, but a planner reads "allowed 1 to 7" instead of only the bound that failed.
    """

    lo: float
    hi: float
    lo_open: bool = False

    def check(self, value: Any) -> Any:
        low_ok = value > self.lo if self.lo_open else value >= self.lo
        if not (low_ok and value <= self.hi):  # NaN fails both comparisons, so it is refused
            raise ValueError(worded("limits.out_of_range", allowed=self.describe(),
                                    allowed_vi=self.describe("vi")))
        return value

    def describe(self, lang: str = "en") -> str:
        key = "limits.open" if self.lo_open else "limits.closed"
        return say(key, lang, lo=_num(self.lo), hi=_num(self.hi))

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        shown = handler(schema)
        shown["exclusiveMinimum" if self.lo_open else "minimum"] = self.lo
        shown["maximum"] = self.hi
        return shown


def _num(value: float) -> str:
    if not float(value).is_integer():
        return f"{value:g}"
    return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))  # years stay 2099


def check_supported_date(day: date) -> date:
    """``day`` itself, or a ValueError saying which years the calendar supports."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(worded("date.unsupported_year", day=day.isoformat(), first=FIRST_YEAR,
                                last=LAST_YEAR))
    return day


def check_supported_dates(value: Any) -> Any:
    """For a field validator on every field: each date in the value (or its list) is supported."""
    items: Iterable[Any] = value if isinstance(value, list | tuple | set | frozenset) else [value]
    for item in items:
        if isinstance(item, date):
            check_supported_date(item)
    return value
