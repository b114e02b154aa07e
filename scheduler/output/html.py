"""A one-file HTML report readable offline: summary figures, the team Gantt as inline SVG, the
schedule table, unscheduled units with their reasons and the solver's figures.

No external asset (no script, font, stylesheet or image link): everything is in the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape

from models.calendar import format_vn
from models.rules import RULES, describe
from scheduler.output.gantt import render_view
from scheduler.output.labels import labels
from scheduler.output.view import PlanView, missing_units, solver_gap
from scheduler.output.xlsx import group_text, notes_text

CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:1.5em;color:#222;font-size:14px}
h1{font-size:1.5em;margin-bottom:.2em} h2{font-size:1.2em;margin-top:1.6em}
.muted{color:#666} .cards{display:flex;flex-wrap:wrap;gap:.8em}
.card{border:1px solid #ccd;border-radius:6px;padding:.6em 1em;min-width:9em;background:#f7f9fc}
.card b{display:block;font-size:1.4em}
table{border-collapse:collapse;margin:.4em 0} th,td{border:1px solid #bbb;padding:.3em .5em;
vertical-align:top;text-align:left} th{background:#ddebf7} td.num{text-align:right}
.chart{overflow-x:auto;border:1px solid #ddd;padding:.4em} .chart svg{max-width:none;height:auto}
td.group{white-space:pre-line;font-size:.9em}
@media print{.chart{overflow:visible}}
"""


def report_html(plan: PlanView, lang: str = "vi", team_svg: bytes | None = None) -> str:
    """The report as one HTML document (``team_svg``: the team Gantt, rendered if not given)."""
    text = labels(lang)
    svg = team_svg if team_svg is not None else render_view(plan, "team", "svg", lang)
    campaign = plan.scenario.campaign
    title = f"{text['report_title']} – {campaign.name}"
    body = [
        f"<h1>{escape(title)}</h1>",
        f"<p class='muted'>{escape(header_line(plan, text))}</p>",
        summary_cards(plan, text),
        f"<h2>{escape(text['chart_title'])}</h2>",
        f"<div class='chart'>{inline_svg(svg)}</div>",
        f"<h2>{escape(text['schedule_title'])}</h2>",
        schedule_table(plan, text),
        f"<h2>{escape(text['unscheduled_title'])}</h2>",
        unscheduled_section(plan, text),
        f"<h2>{escape(text['solver_title'])}</h2>",
        solver_section(plan, text, lang),
    ]
    return (f"<!DOCTYPE html>\n<html lang='{lang}'>\n<head>\n<meta charset='utf-8'>\n"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>\n"
            f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def header_line(plan: PlanView, text: Mapping[str, str]) -> str:
    campaign = plan.scenario.campaign
    ref = plan.schedule.scenario
    parts = [
        f"{text['legal_basis']}: {campaign.legal_basis}" if campaign.legal_basis else "",
        f"{text['horizon']}: {format_vn(campaign.horizon.start)} – "
        f"{format_vn(campaign.horizon.end)}",
        f"{text['generated_from']}: {ref.name} ({ref.sha256[:12]})",
    ]
    return " · ".join(p for p in parts if p)


def inline_svg(svg: bytes) -> str:
    """The <svg> element itself, without the XML declaration and DOCTYPE."""
    text = svg.decode("utf-8")
    return text[text.index("<svg"):]


def table(headers: Sequence[str], rows: Iterable[Sequence[object]],
          classes: Sequence[str] = ()) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    lines = [f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>"]
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            css = classes[i] if i < len(classes) and classes[i] else ""
            attr = f" class='{css}'" if css else ""
            cells.append(f"<td{attr}>{escape('' if value is None else str(value))}</td>")
        lines.append(f"<tr>{''.join(cells)}</tr>")
    lines.append("</tbody>\n</table>")
    return "\n".join(lines)


def summary_cards(plan: PlanView, text: Mapping[str, str]) -> str:
    solver = plan.schedule.solver
    cards = [
        (text["units_total"], len(plan.scenario.units)),
        (text["units_scheduled"], len({v.unit.id for v in plan.visits})),
        (text["units_unscheduled"], len(missing_units(plan, text["state.cancelled"]))),
        (text["status"], solver.status.value),
        (text["objective"], "–" if solver.objective is None else solver.objective),
    ]
    for team in plan.scenario.teams:
        days = sum(len(v.days) for v in plan.team_visits(team.id))
        cards.append((f"{team.name}: {text['visit_days'].lower()}", days))
    inner = "".join(f"<div class='card'>{escape(label)}<b>{escape(str(value))}</b></div>"
                    for label, value in cards)
    return f"<div class='cards'>{inner}</div>"


def schedule_table(plan: PlanView, text: Mapping[str, str]) -> str:
    headers = [text[k] for k in ("stt", "unit", "team", "start", "end", "report_due",
                                 "announce_by", "group", "notes")]
    rows = []
    for number, v in enumerate(plan.visits, start=1):
        a = v.assignment
        rows.append([number, v.unit.name, v.team.name, format_vn(a.start), format_vn(a.end),
                     format_vn(a.report_due) if a.report_due else "",
                     format_vn(a.announce_by) if a.announce_by else "",
                     group_text(v, text), notes_text(plan, v, text)])
    return table(headers, rows, ["num", "", "", "", "", "", "", "group", ""])


def unscheduled_section(plan: PlanView, text: Mapping[str, str]) -> str:
    rows = missing_units(plan, text["state.cancelled"])
    if not rows:
        return f"<p>{escape(text['none'])}</p>"
    return table([text["unit"], text["reason"]], rows)


def solver_section(plan: PlanView, text: Mapping[str, str], lang: str) -> str:
    solver = plan.schedule.solver
    gap = solver_gap(solver.objective, solver.bound)
    figures = [
        (text["status"], solver.status.value),
        (text["objective"], solver.objective),
        (text["bound"], solver.bound),
        (text["gap"], "" if gap is None else f"{gap:.2%}"),
        (text["wall_s"], f"{solver.wall_s:.2f}"),
        (text["seed"], solver.seed),
        (text["workers"], solver.workers),
    ]
    terms = [(rid, describe(rid, lang, plan.scenario.rules) if rid in RULES else "", value)
             for rid, value in solver.objective_terms.items()]
    return (table([text["solver_title"], ""], figures, ["", "num"])
            + f"\n<h3>{escape(text['objective_terms'])}</h3>\n"
            + table([text["rule"], "", text["penalty"]], terms, ["", "", "num"]))
