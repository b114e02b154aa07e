"""Day routes on Hanoi: 126 communes/wards (registry coordinates) + 14 departments, one base.

    python -m benchmarks.routes                 # both profiles, 60 s and 2 s engine runs
    python -m benchmarks.routes --time-limit 20 --profiles short

Profiles: "short" (communes 45-120 min, seeded; departments 240 min) and "3h" (communes 180 min,
departments 240 min). Base and departments at Hoàn Kiếm (21.0285, 105.8542; departments ± 0.01°).
Units that cannot fit a day even alone are listed with the planner's message and left out.
Peers: greedy nearest neighbour (a planner's plan) and registry order (the naive margin).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Sequence

from models import registry
from scheduler.routing.engine import (
    RoutePlan,
    Stop,
    greedy_routes,
    plan_routes,
    registry_order_routes,
    stop_problems,
)
from scheduler.routing.travel import DEFAULT_DAY, DEFAULT_TRAVEL, Point

BASE = Point(21.0285, 105.8542)  # Hoàn Kiếm
DEPARTMENTS = 14


def hanoi_stops(profile: str, seed: int = 0) -> list[Stop]:
    rng = random.Random(seed)
    units = registry.new_units(registry.find_province("Hà Nội").code)
    stops = []
    for u in units:
        if u.lat is None or u.lon is None:
            raise SystemExit(f"{u.name}: no coordinates in the registry")
        minutes = rng.randint(45, 120) if profile == "short" else 180
        stops.append(Stop(u.unit_id, Point(u.lat, u.lon), minutes, u.name))
    for i in range(DEPARTMENTS):
        near = Point(BASE.lat + rng.uniform(-0.01, 0.01), BASE.lon + rng.uniform(-0.01, 0.01))
        stops.append(Stop(f"SO-{i + 1:02d}", near, 240, f"Sở {i + 1:02d}"))
    return stops


def _row(name: str, run: Callable[[], RoutePlan]) -> list[str]:
    started = time.perf_counter()
    plan = run()
    elapsed = time.perf_counter() - started
    return [name, str(plan.total_travel_minutes), f"{plan.total_km:,.0f}", str(plan.days), f"{elapsed:.1f}",
            str(plan.lower_bound_minutes), f"{plan.gap:.1%}", plan.method]


def measure(profile: str, time_limit: float, seed: int) -> list[list[str]]:
    stops = hanoi_stops(profile, seed)
    problems = stop_problems(stops, BASE, DEFAULT_DAY, DEFAULT_TRAVEL)
    for p in problems:
        print(f"  left out: {p.message_en}")
    bad = {p.unit_id for p in problems}
    stops = [s for s in stops if s.unit_id not in bad]
    print(f"  {len(stops)} visits, {sum(s.minutes for s in stops):,} visit minutes")
    return [
        _row("registry order", lambda: registry_order_routes(stops, BASE)),
        _row("greedy NN", lambda: greedy_routes(stops, BASE)),
        _row("engine 2 s", lambda: plan_routes(stops, BASE, time_limit_s=2.0, seed=seed)),
        _row(f"engine {time_limit:g} s",
             lambda: plan_routes(stops, BASE, time_limit_s=time_limit, seed=seed)),
    ]


HEADER = ["plan", "travel min", "km", "days", "time s", "bound", "gap", "method"]


def print_table(rows: Sequence[Sequence[str]], header: Sequence[str] = HEADER) -> None:
    """Rows right-aligned under their header, as the route benchmarks print them."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        print("  " + "  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profiles", default="short,3h")
    args = parser.parse_args(argv)
    for profile in args.profiles.split(","):
        print(f"profile {profile}:")
        print_table(measure(profile, args.time_limit, args.seed))


if __name__ == "__main__":
    main()
