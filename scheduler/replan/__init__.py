"""Re-planning in mid-campaign: events, the re-plan itself, its files and the diff.

- ``events_apply``: what the events do to the baseline (history, kept, released, new units);
- ``run``: ``replan(scenario, baseline, as_of, events)`` — the smallest neighbourhood that works;
- ``files``: replan.json, diff.txt/csv and the re-planned schedule written as one set;
- ``diff``: per unit what changed and why, and who must be told again.
"""

from scheduler.replan.run import ReplanOptions, ReplanResult, replan

__all__ = ["ReplanOptions", "ReplanResult", "replan"]
