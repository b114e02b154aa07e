"""What a command shows in the terminal, and where: one console per command run.

- results (the plan table, a verdict, what was written) go to stdout;
- progress and warnings go to stderr, so ``kiemtra solve ... > plan.txt`` keeps only results;
- ``--quiet`` drops progress and the long tables, keeping verdicts, warnings and errors;
- ``--json`` prints one machine-readable summary on stdout instead of the text (warnings and
  errors still reach stderr), with the exit code in it;
- ``--lang vi`` (default, or ``KIEMTRA_LANG``) or ``en`` chooses the words.

Texts come from the message catalogue, keyed by id (``scheduler/messages.py``), looked up with
``con.say(id, ...)``; ``con.t(vi, en)`` is kept for code that still words a text in place.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import click

from models.messages import LANGS, default_lang
from scheduler.messages import say

__all__ = ["LANGS", "Console", "current", "default_lang", "release", "use"]


class OutputsFailed(Exception):
    """The plan was written (schedule.json first) but some outputs could not be: exit 1."""

    def __init__(self, written: list[Any], failed: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{name}: {why}" for name, why in failed))
        self.written = written
        self.failed = failed


@dataclass
class Console:
    command: str = ""
    lang: str = "vi"
    as_json: bool = False
    quiet: bool = False
    summary: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def t(self, vi: str, en: str) -> str:
        """The text in this console's language."""
        return vi if self.lang == "vi" else en

    def say(self, key: str, **values: object) -> str:
        """The catalogue's text ``key`` in this console's language."""
        return say(key, self.lang, **values)

    def progress(self, text: str) -> None:
        """While working: stderr, unless --quiet or --json."""
        if not (self.quiet or self.as_json):
            click.echo(text, err=True)

    def detail(self, text: str) -> None:
        """A long result (a table): stdout, unless --quiet or --json."""
        if not (self.quiet or self.as_json):
            click.echo(text)

    def result(self, text: str) -> None:
        """A result line (a verdict, what was written): stdout, unless --json."""
        if not self.as_json:
            click.echo(text)

    def warn(self, text: str) -> None:
        self.warnings.append(text)
        click.echo(self.say("cli.warning", text=text), err=True)

    def error(self, text: str) -> None:
        self.errors.append(text)
        click.echo(self.say("cli.error", text=text), err=True)

    def record(self, **values: Any) -> None:
        """Figures for the --json summary."""
        self.summary.update(values)

    def finish(self, code: int) -> None:
        if self.as_json:
            payload = {"command": self.command, "exit_code": code, "ok": code == 0,
                       **self.summary, "warnings": self.warnings, "errors": self.errors}
            sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2,
                                        default=_plain) + "\n")
            sys.stdout.flush()


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return str(value)


_CURRENT: list[Console] = [Console()]


def current() -> Console:
    """The console of the command being run (a plain Vietnamese one outside a command)."""
    return _CURRENT[-1]


def use(console: Console) -> None:
    _CURRENT.append(console)


def release() -> None:
    if len(_CURRENT) > 1:
        _CURRENT.pop()
