"""The load view: visit days per team and per member, month by month (bars and a table)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from scheduler.output.gantt_parts import (
    left_margin_in,
    member_title,
    months_between,
    months_holding,
    team_colours,
)
from scheduler.output.labels import labels
from scheduler.output.view import PlanView


def months_shown(plan: PlanView) -> list[tuple[int, int]]:
    days = [d for v in plan.visits for d in v.days]
    if not days:
        horizon = plan.scenario.campaign.horizon
        return months_between(horizon.start, horizon.end)
    return months_holding(days)


def monthly_load(plan: PlanView) -> tuple[Counter[tuple[str, tuple[int, int]]],
                                           Counter[tuple[str, tuple[int, int]]]]:
    """Visit days per (team, month) and per (member, month)."""
    teams: Counter[tuple[str, tuple[int, int]]] = Counter()
    members: Counter[tuple[str, tuple[int, int]]] = Counter()
    for v in plan.visits:
        for d in v.days:
            teams[(v.team.id, (d.year, d.month))] += 1
            for m in v.members:
                members[(m.id, (d.year, d.month))] += 1
    return teams, members


def load_figure(plan: PlanView, lang: str) -> Figure:
    text = labels(lang)
    months = months_shown(plan)
    team_load, member_load = monthly_load(plan)
    members = plan.scenario.members
    height = 3.2 + len(members) * 0.3 + 1.2
    width = max(9.0, 3.5 + len(months) * 0.9)
    fig = Figure(figsize=(width, height))
    top_ax, bottom_ax = fig.subplots(2, 1, height_ratios=[3.2, len(members) * 0.3 + 0.4])
    fig.subplots_adjust(left=left_margin_in([member_title(m) for m in members]) / width,
                        right=0.97, hspace=0.35, top=1 - 0.7 / height, bottom=0.5 / height)
    month_names = [f"{m:02d}/{y}" for y, m in months]
    draw_team_load(top_ax, plan, months, month_names, team_load, text)
    draw_member_load(bottom_ax, plan, months, month_names, member_load, text)
    fig.suptitle(f"{text['gantt_load_title']} – {plan.scenario.campaign.name}", fontsize=11,
                 x=0.01, ha="left")
    return fig


def draw_team_load(ax: Axes, plan: PlanView, months: list[tuple[int, int]],
                   names: list[str], load: Counter, text: Mapping[str, str]) -> None:
    teams = plan.scenario.teams
    colours = team_colours(plan)
    width = 0.8 / max(1, len(teams))
    for i, team in enumerate(teams):
        xs = [j + (i - (len(teams) - 1) / 2) * width for j in range(len(months))]
        values = [load[(team.id, m)] for m in months]
        bars = ax.bar(xs, values, width=width, color=colours[team.id], label=team.name)
        ax.bar_label(bars, fontsize=7, padding=1)
    ax.set_xticks(range(len(months)))
    ax.set_xticklabels(names, fontsize=8)
    ax.set_ylabel(text["visit_days"], fontsize=8)
    ax.set_title(text["load_team"], fontsize=9, loc="left")
    ax.legend(fontsize=7, frameon=False)
    ax.margins(y=0.15)


def draw_member_load(ax: Axes, plan: PlanView, months: list[tuple[int, int]],
                     names: list[str], load: Counter, text: Mapping[str, str]) -> None:
    members = plan.scenario.members
    grid = [[load[(m.id, month)] for month in months] for m in members]
    grid = [[*row, sum(row)] for row in grid]  # a total column shows the balance at a glance
    peak = max((v for row in grid for v in row[:-1]), default=0)
    ax.imshow([[*row[:-1], 0] for row in grid], aspect="auto", cmap="Blues", vmin=0,
              vmax=max(1, peak) * 1.3)
    ax.axvline(len(months) - 0.5, color="#333333", lw=0.8)
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            ax.text(c, r, str(value), ha="center", va="center", fontsize=7,
                    color="#000000" if value else "#999999")
    ax.set_xticks(range(len(months) + 1))
    ax.set_xticklabels([*names, "Σ"], fontsize=8)
    ax.set_yticks(range(len(members)))
    ax.set_yticklabels([member_title(m) for m in members], fontsize=7)
    ax.set_title(text["load_member"], fontsize=9, loc="left")
