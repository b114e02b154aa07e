"""The one error a planner's bad input becomes: the file, every problem in it, and the fix.

``cli.friendly_errors`` prints it and exits with code 2, never with a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    where: str
    message: str


class InputError(Exception):
    """A file a planner gave that cannot be used, with every problem found in it."""

    def __init__(self, path: Path | str, problems: Iterable[Problem]) -> None:
        self.path = str(path)
        self.problems = list(problems)
        super().__init__(self.render())

    def render(self) -> str:
        lines = [f"{self.path}: {len(self.problems)} problem(s)"]
        lines += [f"  - {p.where}: {p.message}" if p.where else f"  - {p.message}"
                  for p in self.problems]
        return "\n".join(lines)
