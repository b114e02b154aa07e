"""kiemtra command line: the entry point. The command bodies are in ``scheduler/commands/`` by
group; each parses, calls the library and prints. No logic lives here."""

from __future__ import annotations

import click

from scheduler.commands import checking, outputs, planning, reference
from scheduler.output.help import LocalGroup


@click.group("kiemtra", cls=LocalGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kiemtra", message="%(prog)s %(version)s")
def main() -> None:
    """Plan inspection campaigns: teams, dates and members, with CP-SAT (help texts, in Vietnamese
    and English: scheduler/output/help_texts.py)."""


for _group in (reference, checking, outputs, planning):
    for _command in _group.COMMANDS:
        main.add_command(_command)


if __name__ == "__main__":
    main()
