"""Writing the benchmark results: ``latest.md`` (tables for people) and ``latest.csv`` (one row
per solve, national provinces included). Both are written atomically."""

from __future__ import annotations

import csv
import io
import os
import platform
import shlex
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.figures_table import FIGURE_COLUMNS, NOTE, figure_values, figures_table
from models.rules import SOFT_RULES
from scheduler.output.files import atomic_write_text

if TYPE_CHECKING:
    from benchmarks.rows import Row

SOFT_IDS = tuple(r.id for r in SOFT_RULES)
# Targets of issue 6 on a 2-core machine: (time limit s, accepted gap); national: total seconds.
TARGETS = {"hanoi-full": (10.0, 0.01), "province-300": (60.0, 0.02), "national": (600.0, None)}
MEMORY_TARGET_MB = 2048
CSV_COLUMNS = ["instance", "part", "planner", "units", "members", "variables", "constraints",
               "build_s", "status", "first_plan_s", "wall_s", "optimal_s", "objective", "solver_objective",
               "bound", "gap_pct", "independent_bound", "gap_to_best_bound_pct", "peak_mb", "checker",
               "violations", *SOFT_IDS, *FIGURE_COLUMNS,
               "time_limit_s", "workers", "note"]


def fmt(value: float | int | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ")
    return f"{value:.{digits}f}"


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.2%}"


def verdict(row: Row) -> str:
    if row.parts > 1:
        return f"{row.checked_ok}/{row.parts} ok"
    if row.status == "ERROR":
        return "error"
    if row.objective is None:
        return "no plan"
    return "ok" if row.check_ok else f"{row.violations} violations"


def md_table(header: list[str], lines: Iterable[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(cells) + " |" for cells in lines]
    return out


def main_table(rows: list[Row]) -> list[str]:
    header = ["instance", "planner", "units", "members", "variables", "constraints", "build s",
              "status", "first plan s", "wall s", "proven at s", "gap", "objective", "bound", "peak MB",
              "checker"]
    return md_table(header, ([
        r.instance if not r.part else f"{r.instance} ({r.part})", r.planner, fmt(r.units),
        fmt(r.members), fmt(r.variables), fmt(r.constraints), fmt(r.build_s, 1), r.status,
        fmt(r.first_s, 2),
        fmt(r.wall_s, 1), fmt(r.optimal_s, 1), pct(r.gap), fmt(r.objective), fmt(r.bound),
        fmt(r.peak_mb, 0), verdict(r)] for r in rows))


def ratio(ours: float | int | None, peer: float | int | None, valid: bool = True) -> str:
    if ours is None or peer is None or not valid:
        return "n/a"
    if peer == 0:
        return "= (0)" if ours == 0 else "∞"
    return f"{ours / peer:.3g}"


def ratio_table(rows: list[Row]) -> list[str]:
    """Our objective and times divided by each peer's (objective < 1: our plan is better)."""
    lines = []
    for instance in dict.fromkeys(r.instance for r in rows):
        by = {r.planner: r for r in rows if r.instance == instance}
        ours = by.get("ours")
        if ours is None:
            continue
        for peer in (p for p in by if p != "ours"):
            other = by[peer]
            valid = ours.check_ok and other.check_ok
            lines.append([instance, peer, fmt(ours.objective), fmt(other.objective),
                          ratio(ours.objective, other.objective, valid),
                          ratio(ours.first_s, other.first_s), ratio(ours.wall_s, other.wall_s)])
    header = ["instance", "peer", "ours objective", "peer objective", "objective ours/peer",
              "first plan ours/peer", "wall ours/peer"]
    return md_table(header, lines)


def terms_table(rows: list[Row]) -> list[str]:
    header = ["instance", "planner", *SOFT_IDS]
    return md_table(header, ([r.instance, r.planner, *(fmt(r.terms.get(k)) if r.terms else "–"
                                                       for k in SOFT_IDS)] for r in rows))


def bounds_table(rows: list[Row]) -> list[str]:
    """Each plan against the best lower bound known for its instance (solver's or S03 flow)."""
    best = {r.instance: r.best_bound for r in rows if r.planner == "ours"}
    lines = []
    for r in rows:
        bound = best.get(r.instance)
        gap = None if r.objective is None or bound is None else (
            (r.objective - bound) / max(1, abs(r.objective)))
        ours = r.planner == "ours"
        lines.append([r.instance, r.planner, fmt(r.objective), fmt(r.bound) if ours else "–",
                      fmt(r.independent_bound) if ours else "–", fmt(bound), pct(gap)])
    header = ["instance", "planner", "objective", "solver bound", "independent bound",
              "best bound", "gap to best bound (at most this far from optimal)"]
    return md_table(header, lines)


def term_gap_table(rows: list[Row]) -> list[str]:
    """Per objective term: each planner's value against the term's independent lower bound."""
    lines = []
    for instance in dict.fromkeys(r.instance for r in rows):
        by = {r.planner: r for r in rows if r.instance == instance}
        ours = by.get("ours")
        if ours is None or not ours.term_lbs:
            continue
        for term in SOFT_IDS:
            lb = ours.term_lbs.get(term)
            cells = [instance, term, fmt(lb)]
            for planner in ("ours", "greedy", "naive"):
                r = by.get(planner)
                value = r.terms.get(term) if r is not None and r.terms else None
                cells.append(fmt(value) if value is None or lb is None else
                             f"{fmt(value)} ({pct((value - lb) / max(1, value))})")
            lines.append(cells)
    header = ["instance", "term", "independent lower bound", "ours (gap)", "greedy (gap)",
              "naive (gap)"]
    return md_table(header, lines)


def target_lines(rows: list[Row]) -> list[str]:
    lines = []
    for r in rows:
        if r.planner != "ours" or r.instance not in TARGETS:
            continue
        limit, gap = TARGETS[r.instance]
        memory_ok = r.peak_mb is not None and r.peak_mb < MEMORY_TARGET_MB
        if gap is None:
            met = r.check_ok and r.wall_s is not None and r.wall_s <= limit
            what = f"every province planned and checked within {limit:g} s in total"
            got = f"{r.checked_ok}/{r.parts} checked ok in {fmt(r.wall_s)} s"
        else:
            met = r.check_ok and r.gap is not None and r.gap <= gap and r.time_limit_s <= limit
            what = f"proven optimal or gap ≤ {gap:.0%} within {limit:g} s"
            got = f"{r.status}, gap {pct(r.gap)} with a {r.time_limit_s:g} s limit"
        lines.append([r.instance, what, got, "met" if met else "MISSED",
                      f"{fmt(r.peak_mb, 0)} MB", "met" if memory_ok else "MISSED"])
    return md_table(["instance", "target", "measured", "", "peak memory", "< 2 GB"], lines)


def province_table(parts: list[Row]) -> list[str]:
    by_part: dict[str, dict[str, Row]] = {}
    for r in parts:
        by_part.setdefault(r.part, {})[r.planner] = r
    header = ["province", "units", "members", "ours status", "first plan s", "wall s", "gap",
              "ours objective", "bound", "peak MB", "checker", "greedy objective", "naive objective"]
    lines = []
    for part, by in sorted(by_part.items()):
        o = by.get("ours")
        if o is None:
            continue
        g, n = by.get("greedy"), by.get("naive")
        lines.append([part, fmt(o.units), fmt(o.members), o.status, fmt(o.first_s, 2),
                      fmt(o.wall_s), pct(o.gap), fmt(o.objective), fmt(o.bound), fmt(o.peak_mb, 0),
                      verdict(o), _peer_objective(g), _peer_objective(n)])
    return md_table(header, lines)


def _peer_objective(row: Row | None) -> str:
    if row is None:
        return "–"
    return fmt(row.objective) + ("" if row.check_ok else f" ({verdict(row)})")


def diagnosis_table(diagnosis: list[dict]) -> list[str]:
    header = ["instance", "term", "value in our plan", "term alone: best", "term alone: bound",
              "status", "gap of the term to its own bound"]
    lines = []
    for d in diagnosis:
        bound = d["alone_bound"]
        gap = None if bound is None else (d["value"] - bound) / max(1, d["value"])
        lines.append([d["instance"], d["term"], fmt(d["value"]), fmt(d["alone_best"]), fmt(bound),
                      d["alone_status"], pct(gap)])
    return md_table(header, lines)


def machine_line() -> str:
    load = os.getloadavg()
    from ortools import __version__ as ortools_version

    return (f"{os.cpu_count()} cores, Python {platform.python_version()}, OR-Tools "
            f"{ortools_version}, load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} "
            "(1/5/15 min) at the end of the run")


SOFT_SPAN = f"{SOFT_RULES[0].id[:3]}–{SOFT_RULES[-1].id[:3]}"  # S01–S14, from the registry


def markdown(rows: list[Row], parts: list[Row], diagnosis: list[dict], command: list[str],
             total_s: float) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [f"# Benchmark results ({now})", "",
           f"Command: `{shlex.join(command)}` — {total_s:.0f} s in all.  ",
           f"Machine: {machine_line()}. The machine is shared with other engineers' test runs: "
           "times are noisy.", "",
           f"Objective = the checker's recomputation ({SOFT_SPAN}, minimised); gap = (solver objective "
           "− bound) / objective; peak MB = max RSS of the process that solved (OR-Tools' C++ "
           "heap included). national: provinces solved 2 at a time, 1 CP-SAT worker each; its "
           "wall time is the whole phase, first plan the slowest province's.", "",
           "## All planners", "", *main_table(rows), "",
           "## Ours against the peers (ratios; objective < 1 means our plan is better)", "",
           *ratio_table(rows), "", "## Planners' figures", "", NOTE, "", *figures_table(rows), "",
           "## Objective terms (checker)", "", *terms_table(rows), "",
           "## Bounds: how far each plan can be from the optimum", "",
           "Independent bound: the sum of per-term lower bounds of `benchmarks/bounds.py` "
           "(S03-early: a min-cost-flow relaxation under the teams' day and week capacities; "
           "S01, S05: counting bounds), valid for every plan; best bound = the larger of it and "
           "the solver's bound.", "", *bounds_table(rows), "",
           "## Gap per objective term (value against the term's independent lower bound)", "",
           *term_gap_table(rows), ""]
    targets = target_lines(rows)
    if len(targets) > 2:
        out += ["## Targets (ours)", "", *targets, ""]
    notes = [f"- national {r.planner}: {r.note}" for r in rows if r.parts > 1 and r.note]
    notes += [f"- {r.instance} {r.planner}: {r.note}" for r in rows if r.parts == 1 and r.note]
    if notes:
        out += ["## Notes", "", *notes, ""]
    if diagnosis:
        out += ["## Per-term gap: each term minimised alone (same limit)", "",
                *diagnosis_table(diagnosis), ""]
    if parts:
        out += ["## national, per province", "", *province_table(parts), ""]
    return "\n".join(out)


def csv_text(rows: list[Row], parts: list[Row]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in [*rows, *parts]:
        writer.writerow({
            "instance": r.instance, "part": r.part, "planner": r.planner, "units": r.units,
            "members": r.members, "variables": r.variables, "constraints": r.constraints,
            "build_s": _round(r.build_s), "status": r.status, "first_plan_s": _round(r.first_s),
            "wall_s": _round(r.wall_s),
            "optimal_s": _round(r.optimal_s), "objective": r.objective,
            "solver_objective": r.solver_objective, "bound": r.bound,
            "gap_pct": None if r.gap is None else round(100 * r.gap, 3),
            "independent_bound": r.independent_bound,
            "gap_to_best_bound_pct": None if r.gap_to_best_bound is None
            else round(100 * r.gap_to_best_bound, 3), "peak_mb": r.peak_mb,
            "checker": verdict(r), "violations": r.violations,
            **{k: r.terms.get(k) for k in SOFT_IDS}, **figure_values(r.figures),
            "time_limit_s": r.time_limit_s,
            "workers": r.workers, "note": r.note,
        })
    return buf.getvalue()


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def write_results(out: Path, rows: list[Row], parts: list[Row], diagnosis: list[dict],
                  command: list[str], total_s: float) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    md, csv_path = out / "latest.md", out / "latest.csv"
    atomic_write_text(md, markdown(rows, parts, diagnosis, command, total_s))
    atomic_write_text(csv_path, csv_text(rows, parts))
    return md, csv_path
