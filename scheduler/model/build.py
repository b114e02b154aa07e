"""The CP-SAT model of an inspection campaign, assembled from its parts.

``scheduler.model.variables`` creates the variables, ``scheduler.model.hard`` adds the hard rules
(``HARD_RULES``; the rules cut from the domains are ``scheduler.problem.domains.DOMAIN_CUTS``),
``scheduler.model.cuts`` the redundant cuts, and ``scheduler.model.soft`` returns the soft
rules' penalty terms (``SOFT_RULES``), from which the objective is built here in one place.
Rule ids come from ``models.rules``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from ortools.sat.python import cp_model

from models.scenario import Scenario
from models.schedule import Assignment
from scheduler.model.cuts import add_capacity_cuts, break_member_symmetry, interchangeable_members
from scheduler.model.hard import HARD_RULES, add_fixed_visits, link_start_days
from scheduler.model.soft import SOFT_RULES, agency_peak_lower_bound
from scheduler.model.variables import SHARED, ExtraTerms, PlanModel, Term, create_visit_variables
from scheduler.problem.compact import cut_domains, tied_members
from scheduler.problem.domains import Domains, build_domains

__all__ = ["HARD_RULES", "SHARED", "SOFT_RULES", "ExtraTerms", "PlanModel", "Term",
           "agency_peak_lower_bound", "build_model", "interchangeable_members"]

# Up to this many units, one start boolean per day serves all teams: a smaller search space
# (Hanoi proved in ~30 s against none in 60 s with per-team days, default workers); above,
# one boolean per team and day gives a better bound on large campaigns (per-team weekly
# capacity: bound 2,500 instead of 1,900 on the 140-unit case).
SHARED_DAYS_MAX_UNITS = 40


def build_model(
    scenario: Scenario,
    as_of: date | None = None,
    fixed: Mapping[str, Assignment] | None = None,
    extra_terms: ExtraTerms | None = None,
    skip: frozenset[str] = frozenset(),
    explain: bool = False,
    dom: Domains | None = None,
    compact: bool = True,
) -> PlanModel:
    """The whole model: variables, hard rules, redundant cuts, and the objective.

    ``explain`` builds the feasibility version used to explain an infeasible scenario: every
    unit's visit is an assumption and there is no objective. ``compact`` (off only to compare)
    cuts the start days no group can go on, ties the members who always go to their team
    (``scheduler.problem.compact``; never when explaining, no ties under a re-plan's change
    terms) and gives a unit only one team may visit no team boolean of its own.
    """
    dom = dom or build_domains(scenario, as_of, fixed, skip)
    compact = compact and not explain
    if compact:
        dom = cut_domains(dom)
    pm = PlanModel(cp_model.CpModel(), dom,
                   shared_days=len(dom.units) <= SHARED_DAYS_MAX_UNITS or explain,
                   tied=tied_members(dom) if compact and extra_terms is None else {},
                   compact=compact)
    create_visit_variables(pm, explain)
    link_start_days(pm)
    add_fixed_visits(pm)
    for add_rule in HARD_RULES.values():
        add_rule(pm)
    if explain:
        return pm
    add_capacity_cuts(pm)
    if not fixed and extra_terms is None:
        break_member_symmetry(pm)
    for soft in SOFT_RULES.values():
        pm.terms.extend(soft(pm))
    pm.extra_from = len(pm.terms)
    if extra_terms is not None:
        pm.terms.extend(extra_terms(pm))
    pm.model.minimize(sum(w * expr for _, expr, w in pm.terms))
    return pm
