"""Day routes at the plan's price: the engine against OR-Tools' routing library and VROOM.

    python -m benchmarks.peers                        # both instances, 20 s each
    python -m benchmarks.peers --time-limit 60 --instances 3h

Same instance and same travel model for all three: the engine's integer travel matrix
(``scheduler.routing.instance.Instance``, base = node 0), each visit's minutes, and the day of
``scheduler.routing.travel``: the team leaves at the first session's start and is back by the last
one's end, a visit starts on the 15-minute grid and lies inside one session (so each visit may
start only at the grid minutes where it ends within a session: its time windows), drives may use
the pause. The objective is the plan's price of its routes (``RoutePrice``: travel minutes ×
``weights.travel`` + days × ``weights.team_days``): OR-Tools and VROOM get it as arc cost and
fixed cost per vehicle (a vehicle is a team-day). Every peer's day is re-checked by ``lay_out``,
the one test of a day; a day it refuses is counted in "bad days".

Instances: "communes", the day routes of scenarios/hanoi-2025-communes.yaml (the route stage's
group, the units that fit a day); "3h", 126 Hanoi communes of 180 minutes and 14 departments of
240 minutes at Hoàn Kiếm (``benchmarks.routes``), those that fit a day (76: a three-hour visit
leaves an hour's round trip in a session); "3h-8h", the same on one 8-hour session with no
pause, the day of the earlier measurements (138 fit); "short", communes of 45-120 minutes (5-7 a
day: the engine's search path).
VROOM (``pyvroom``, the ``bench`` extra) has no time limit: it runs at its highest exploration level.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.routes import BASE, hanoi_stops, print_table
from models.loading import load_scenario
from scheduler.cost.route_price import RoutePrice
from scheduler.routing.engine import greedy_days, plan_routes, stop_problems
from scheduler.routing.instance import Instance, Stop
from scheduler.routing.points import team_base, travel_params, unit_point, working_day
from scheduler.routing.selections import selections_of
from scheduler.routing.stage import eligible_teams, group_key
from scheduler.routing.travel import DEFAULT_DAY, DEFAULT_TRAVEL, WorkingDay

ROOT = Path(__file__).resolve().parent.parent
COMMUNES = ROOT / "scenarios" / "hanoi-2025-communes.yaml"
Days = list[list[int]]


@dataclass
class Result:
    name: str
    days: Days
    seconds: float
    bound: str = "-"  # a valid lower bound on the price, when the solver gives one


def communes_instance() -> Instance:
    """The largest route group of the communes scenario, from its first eligible team's base."""
    scenario = load_scenario(COMMUNES)
    groups: dict[object, list] = {}
    samples = selections_of(scenario)
    for u in scenario.units:
        if u.visit_minutes is not None:
            groups.setdefault(group_key(scenario, u, samples), []).append(u)
    members = max(groups.values(), key=len)
    base = team_base(scenario, eligible_teams(scenario, members[0])[0], members)
    stops = [Stop(u.id, unit_point(u, base), u.visit_minutes or 0, u.label) for u in members]
    day, travel = working_day(scenario), travel_params(scenario)
    far = {p.unit_id for p in stop_problems(stops, base, day, travel)}
    return Instance.build([s for s in stops if s.unit_id not in far], base, day, travel,
                          RoutePrice.of(scenario.weights))


def three_hour_instance(day: WorkingDay = DEFAULT_DAY) -> Instance:
    stops = hanoi_stops("3h")
    far = {p.unit_id for p in stop_problems(stops, BASE, day, DEFAULT_TRAVEL)}
    return Instance.build([s for s in stops if s.unit_id not in far], BASE, day, DEFAULT_TRAVEL)


def short_instance() -> Instance:
    """The short profile of ``benchmarks.routes`` (communes 45-120 min): 5-7 visits a day."""
    stops = hanoi_stops("short")
    far = {p.unit_id for p in stop_problems(stops, BASE, DEFAULT_DAY, DEFAULT_TRAVEL)}
    return Instance.build([s for s in stops if s.unit_id not in far], BASE, DEFAULT_DAY, DEFAULT_TRAVEL)


EIGHT_HOURS = WorkingDay(sessions=((8 * 60, 16 * 60),))  # the earlier measurements' day, no pause


def start_times(inst: Instance, node: int) -> list[int]:
    """The grid minutes at which a visit may start: it ends inside one session."""
    day, minutes = inst.day, inst.service[node]
    return [t for start, end in day.sessions for t in range(-(-start // day.grid) * day.grid,
                                                                end - minutes + 1, day.grid)]


def engine(inst: Instance, time_limit: float) -> Result:
    t0 = time.perf_counter()
    plan = plan_routes(inst.stops, inst.base, inst.day, inst.travel, time_limit_s=time_limit,
                       price=inst.price)
    index = {s.unit_id: i for i, s in enumerate(inst.stops, 1)}
    return Result("engine", [[index[u] for u in r.unit_ids] for r in plan.routes], time.perf_counter() - t0,
                  f"{plan.lower_bound_price:,} ({plan.method})")


def ortools(inst: Instance, time_limit: float) -> Result:
    """pywrapcp: vehicles = greedy days + 15%, fixed cost = a day, arc cost = travel; the first
    solution by parallel cheapest insertion (path cheapest arc found none on the short profile in
    20 s: the start times are sparse), then guided local search."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    t0 = time.perf_counter()
    vehicles = math.ceil(1.15 * len(greedy_days(inst)))
    manager = pywrapcp.RoutingIndexManager(inst.n + 1, vehicles, 0)
    routing = pywrapcp.RoutingModel(manager)
    price = inst.price

    def arc(i: int, j: int) -> int:
        return price(inst.cost[manager.IndexToNode(i)][manager.IndexToNode(j)], 0)

    def busy(i: int, j: int) -> int:
        a, b = manager.IndexToNode(i), manager.IndexToNode(j)
        return inst.service[a] + inst.cost[a][b]

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(arc))
    routing.SetFixedCostOfAllVehicles(price(0, 1))
    clock = routing.RegisterTransitCallback(busy)
    routing.AddDimension(clock, inst.day.span, inst.day.closes, False, "clock")
    dim = routing.GetDimensionOrDie("clock")
    for v in range(vehicles):
        dim.CumulVar(routing.Start(v)).SetRange(inst.day.opens, inst.day.opens)
        dim.CumulVar(routing.End(v)).SetRange(inst.day.opens, inst.day.closes)
    for node in range(1, inst.n + 1):
        dim.CumulVar(manager.NodeToIndex(node)).SetValues(start_times(inst, node))
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(time_limit * 1000))
    solution = routing.SolveWithParameters(params)
    days: Days = []
    for v in range(vehicles if solution else 0):
        index, day = solution.Value(routing.NextVar(routing.Start(v))), []
        while not routing.IsEnd(index):
            day.append(manager.IndexToNode(index))
            index = solution.Value(routing.NextVar(index))
        if day:
            days.append(day)
    return Result("OR-Tools routing", days, time.perf_counter() - t0)


def vroom(inst: Instance, time_limit: float) -> Result:
    """pyvroom: minutes as its time unit; per_hour = 3600 × the minute's price, fixed = a day."""
    import vroom as vr

    t0 = time.perf_counter()
    problem = vr.Input()
    problem.set_durations_matrix("car", [list(row) for row in inst.cost])
    costs = vr.VehicleCosts(fixed=inst.price(0, 1), per_hour=3600 * inst.price(1, 0))
    window = vr.TimeWindow(inst.day.opens, inst.day.closes)
    problem.add_vehicle([vr.Vehicle(v, start=0, end=0, time_window=window, costs=costs)
                         for v in range(len(greedy_days(inst)))])
    problem.add_job([vr.Job(node, location=node, default_service=inst.service[node],
                            time_windows=[vr.TimeWindow(t, t) for t in start_times(inst, node)])
                     for node in range(1, inst.n + 1)])
    solution = problem.solve(exploration_level=5, nb_threads=1)
    steps = solution.routes
    jobs = steps[steps["type"] == "job"]
    days = [[int(i) for i in group["id"]] for _v, group in jobs.groupby("vehicle_id", sort=True)]
    unassigned = inst.n - sum(len(d) for d in days)
    days += [[i] for i in range(1, inst.n + 1) if all(i not in d for d in days)] if unassigned else []
    return Result("VROOM", days, time.perf_counter() - t0)


SOLVERS: dict[str, Callable[[Instance, float], Result]] = {
    "engine": engine, "ortools": ortools, "vroom": vroom}
INSTANCES: dict[str, Callable[[], Instance]] = {
    "communes": communes_instance, "3h": three_hour_instance, "short": short_instance,
    "3h-8h": lambda: three_hour_instance(EIGHT_HOURS)}


def row(inst: Instance, result: Result) -> list[str]:
    """Price, travel and days as the plan prices them; days ``lay_out`` refuses are counted."""
    travel = sum(inst.tour_travel(d) for d in result.days)
    bad = sum(1 for d in result.days if not inst.fits(d))
    covered = sorted(v for d in result.days for v in d) == list(range(1, inst.n + 1))
    return [result.name, f"{inst.plan_price(result.days):,}", f"{travel:,}", str(len(result.days)),
            str(bad), "yes" if covered else "NO", f"{result.seconds:.1f}", result.bound]


HEADER = ["solver", "price", "travel min", "days", "bad days", "all once", "time s", "price bound"]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--instances", default="communes,3h,3h-8h,short")
    parser.add_argument("--solvers", default="engine,ortools,vroom")
    args = parser.parse_args(argv)
    for name in args.instances.split(","):
        inst = INSTANCES[name]()
        print(f"{name}: {inst.n} visits, {sum(inst.service):,} visit minutes, price {inst.price}")
        print_table([row(inst, SOLVERS[s](inst, args.time_limit)) for s in args.solvers.split(",")],
                    HEADER)


if __name__ == "__main__":
    main()
