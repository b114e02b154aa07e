"""A one-file HTML report readable offline: the plan in a planner's words (cards), the team
Gantt a month at a time as inline SVG, the schedule table, unscheduled units with their reasons,
and the solver's figures folded away under "technical details".

No external asset (no script, font, stylesheet or image link): everything is in the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape

from models.calendar import format_vn
from models.documents import citations
from models.rules import RULES, describe
from scheduler.output.gantt import render_months
from scheduler.output.gantt_parts import month_title
from scheduler.output.headline import headline_rows, shown, technical_rows
from scheduler.output.labels import labels
from scheduler.output.routes_html import routes_section
from scheduler.output.view import PlanView, missing_units
from scheduler.output.xlsx import group_text, notes_text

CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:1.5em;color:#222;font-size:14px}
h1{font-size:1.5em;margin-bottom:.2em} h2{font-size:1.2em;margin-top:1.6em}
.muted{color:#666} .cards{display:flex;flex-wrap:wrap;gap:.8em}
.card{border:1px solid #ccd;border-radius:6px;padding:.6em 1em;min-width:9em;background:#f7f9fc}
.card b{display:block;font-size:1.4em} .card.verdict{min-width:22em;background:#eef6ee}
.card.verdict b{font-size:1.1em} details{margin-top:1.6em} summary{font-weight:bold;cursor:pointer}
table{border-collapse:collapse;margin:.4em 0} th,td{border:1px solid #bbb;padding:.3em .5em;
vertical-align:top;text-align:left} th{background:#ddebf7} td.num{text-align:right}
.chart{overflow-x:auto;border:1px solid #ddd;padding:.4em}
.chart svg{width:100%;min-width:900px;height:auto}  /* fits wide screens; scrolls below */
td.group{white-space:pre-line;font-size:.9em}
.month{break-inside:avoid} h3{font-size:1.05em;margin:1em 0 .3em}
/* Paper: A4 landscape, a month of chart a page at its drawn size (10-pt chart text prints at
   9-10 pt), the table's header on every page, no row cut in two. */
@page{size:A4 landscape;margin:10mm}
@media print{body{margin:0;font-size:10pt} .chart{overflow:visible;border:0;padding:0}
  .chart svg{width:100%;min-width:0;max-height:170mm} h2.charts{break-before:page}
  .month + .month{break-before:page} h2{break-after:avoid} thead{display:table-header-group}
  tr{break-inside:avoid} table{font-size:9pt;width:100%} td.group{column-count:2;column-gap:1.2em;width:36%}
  .cards{gap:.4em} .card{padding:.3em .6em}
  details{display:none}}
"""


def report_html(plan: PlanView, lang: str = "vi",
                team_svgs: Sequence[tuple[tuple[int, int], bytes]] | None = None) -> str:
    """The report as one HTML document (``team_svgs``: the team Gantt per month, rendered if not
    given)."""
    text = labels(lang)
    months = team_svgs if team_svgs is not None else render_months(plan, "team", "svg", lang)
    campaign = plan.scenario.campaign
    title = f"{text['report_title']} – {campaign.name}"
    body = [
        f"<h1>{escape(title)}</h1>",
        f"<p class='muted'>{escape(header_line(plan, text, lang))}</p>",
        summary_cards(plan, text, lang),
        f"<h2 class='charts'>{escape(text['chart_title'])}</h2>",
        f"<p class='muted'>{escape(text['chart_hint'])}</p>",
        *(month_chart(month, svg, lang) for month, svg in months),
        routes_section(plan, lang),
        f"<h2>{escape(text['schedule_title'])}</h2>",
        schedule_table(plan, text),
        f"<h2>{escape(text['unscheduled_title'])}</h2>",
        unscheduled_section(plan, text),
        f"<details>\n<summary>{escape(text['technical_details'])}</summary>",
        solver_section(plan, text, lang),
        "</details>",
    ]
    return (f"<!DOCTYPE html>\n<html lang='{lang}'>\n<head>\n<meta charset='utf-8'>\n"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>\n"
            f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def month_chart(month: tuple[int, int], svg: bytes, lang: str) -> str:
    return (f"<section class='month'><h3>{escape(month_title(month, lang))}</h3>"
            f"<div class='chart'>{inline_svg(svg)}</div></section>")


def header_line(plan: PlanView, text: Mapping[str, str], lang: str) -> str:
    campaign = plan.scenario.campaign
    ref = plan.schedule.scenario
    parts = [
        f"{text['legal_basis']}: {citations(campaign.legal_basis, lang)}" if campaign.legal_basis else "",
        f"{text['horizon']}: {format_vn(campaign.horizon.start)} – "
        f"{format_vn(campaign.horizon.end)}",
        f"{text['fieldwork_ends']}: {format_vn(campaign.fieldwork_ends)}" if campaign.fieldwork_ends else "",
        f"{text['report_date']}: {format_vn(campaign.report_date)}" if campaign.report_date else "",
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


def summary_cards(plan: PlanView, text: Mapping[str, str], lang: str) -> str:
    """The plan's verdict and figures in a planner's words; no solver vocabulary here."""
    rows = headline_rows(plan, text, lang)
    cards = [f"<div class='card verdict'>{escape(rows[0][0])}<b>{escape(shown(rows[0][1]))}</b></div>"]
    cards += [f"<div class='card'>{escape(label)}<b>{escape(shown(value))}</b></div>"
              for label, value in rows[1:]]
    for team in plan.scenario.teams:
        visits = plan.team_visits(team.id)
        days = len({(v.lane, d) for v in visits for d in v.days})
        figure = f"{days} {text['days_unit']} · {len(visits)} {text['visits_unit']}"
        cards.append(f"<div class='card'>{escape(team.name)}<b>{escape(figure)}</b></div>")
    return f"<div class='cards'>{''.join(cards)}</div>"


def schedule_table(plan: PlanView, text: Mapping[str, str]) -> str:
    headers = [text[k] for k in ("stt", "unit", "team", "start", "end", "report_due",
                                 "announce_by", "group", "notes")]
    rows = []
    for number, v in enumerate(plan.visits, start=1):
        a = v.assignment
        hours = f" {v.start_time}–{v.end_time}" if v.start_time else ""
        notes = notes_text(plan, v, text)
        if a.conclusion_due:
            due = f"{text['conclusion_due']} {format_vn(a.conclusion_due)}"
            notes = f"{notes}; {due}" if notes else due
        rows.append([number, v.unit.name, v.team.name, format_vn(a.start) + hours, format_vn(a.end),
                     format_vn(a.report_due) if a.report_due else "",
                     format_vn(a.announce_by) if a.announce_by else "",
                     group_text(v, text), notes])
    return table(headers, rows, ["num", "", "", "", "", "", "", "group", ""])


def unscheduled_section(plan: PlanView, text: Mapping[str, str]) -> str:
    rows = missing_units(plan, text["state.cancelled"])
    if not rows:
        return f"<p>{escape(text['none'])}</p>"
    return table([text["unit"], text["reason"]], rows)


def solver_section(plan: PlanView, text: Mapping[str, str], lang: str) -> str:
    figures = [(label, "" if value is None else value) for label, value in technical_rows(plan, text)]
    gap_row = next(i for i, (label, _) in enumerate(figures) if label == text["gap"])
    gap = figures[gap_row][1]
    figures[gap_row] = (text["gap"], f"{gap:.2%}" if isinstance(gap, float) else "")
    figures = [(label, f"{value:.2f}" if label == text["wall_s"] else value)
               for label, value in figures]
    terms = [(rid, describe(rid, lang, plan.scenario.rules) if rid in RULES else "", value)
             for rid, value in plan.schedule.solver.objective_terms.items()]
    return (table([text["solver_title"], ""], figures, ["", "num"])
            + f"\n<h3>{escape(text['objective_terms'])}</h3>\n"
            + table([text["rule"], "", text["penalty"]], terms, ["", "", "num"]))
