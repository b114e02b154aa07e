"""Re-planning in mid-campaign: events, the re-plan itself, its files and the diff; edited plans.

- ``events_apply``: what the events do to the baseline (history, kept, released, new units);
- ``neighbourhoods``: what a re-plan may change, and what each change costs;
- ``run``: ``replan(scenario, baseline, as_of, events)`` — the smallest neighbourhood that works;
- ``files``, ``publish``: replan.json, diff.txt/csv and the re-planned set written whole;
- ``diff``: per unit what changed and why, and who must be told again;
- ``plan_import``, ``repair``: plans read back from the files planners edit, and repaired.

Nothing is imported here: reading an edited plan (``kiemtra check``) must not load the solver.
"""
