"""The one error a planner's bad input becomes: the file, every problem in it, and the fix.

``cli.friendly_errors`` prints it and exits with code 2, never with a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from models.messages import default_lang, say


@dataclass(frozen=True)
class Problem:
    """Where in the file, and what is wrong there (English; ``vi`` when translated)."""

    where: str
    message: str
    vi: str = ""

    @classmethod
    def of(cls, where: str, key: str, **values: object) -> Problem:
        """A problem worded from the message catalogue, in both languages."""
        return cls(where, say(key, "en", **values), say(key, "vi", **values))

    def text(self, lang: str) -> str:
        return self.vi if lang != "en" and self.vi else self.message


_PLACES = re.compile(r"\b(line|column|row|byte|header|sheet)\b")


def where_in(where: str, lang: str) -> str:
    """A place in a file ("line 3, column 5", "row 7", "sheet Lịch") in ``lang``; field paths
    (``units[3].window``) are the file's own words and stay as written."""
    if lang == "en":
        return where
    return _PLACES.sub(lambda m: say(f"place.{m.group(1)}", lang), where)


class InputError(Exception):
    """A file a planner gave that cannot be used, with every problem found in it."""

    def __init__(self, path: Path | str, problems: Iterable[Problem]) -> None:
        self.path = str(path)
        self.problems = list(problems)
        super().__init__(self.render())

    def render(self, lang: str | None = None) -> str:
        """The file, how many problems, then each (in ``lang``, default ``KIEMTRA_LANG`` or vi)."""
        lang = lang or default_lang()
        lines = [say("input.problems", lang, path=self.path, n=len(self.problems))]
        lines += [f"  - {where_in(p.where, lang)}: {p.text(lang)}" if p.where
                  else f"  - {p.text(lang)}" for p in self.problems]
        return "\n".join(lines)
