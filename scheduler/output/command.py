"""The frame every kiemtra command runs in, and the options they share.

``friendly_errors`` gives each command its console (``--lang``, ``--json``, ``--quiet``; see
``scheduler.output.console``) and turns bad input into one message naming the file and field,
exit code 2, no traceback; Ctrl-C exits 130. Shared option types take their ranges from
``models.limits`` so that a number means one thing in files and on the command line.
"""

from __future__ import annotations

import functools
import inspect
import math
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from models import limits
from models.calendar import parse_date_text
from models.loading import InputError, Problem
from models.paths import check_writable_folder
from scheduler.messages import say
from scheduler.output import console
from scheduler.output.console import default_lang
from scheduler.output.help import click_message, ctx_lang

F = TypeVar("F", bound=Callable[..., Any])

LANG_OPTION = click.option("--lang", type=click.Choice(["vi", "en"]), default=None)
UNITS_OPTION = click.option(
    "--units", "units_file", type=click.Path(path_type=Path))
PIN_OPTION = click.option(
    "--pin", "pins", multiple=True, metavar="UNIT=DATE[/TEAM]")
MEMBER_SHEETS_OPTION = click.option("--member-sheets/--no-member-sheets", "member_sheets", default=None)
SCENARIO_OPTION = click.option(
    "--scenario", "scenario_path", type=click.Path(path_type=Path))


def friendly_errors(func: F) -> F:
    """Every command's frame: its console (--lang, --json, --quiet), and bad input as a clear
    message naming the file and field, exit code 2, no traceback; Ctrl-C exits 130."""
    names = inspect.signature(func).parameters

    @functools.wraps(func)
    def wrapper(*args: Any, as_json: bool = False, quiet: bool = False, **kwargs: Any) -> Any:
        lang = kwargs.pop("lang", None) or default_lang()
        if "lang" in names:
            kwargs["lang"] = lang
        con = console.Console(click.get_current_context().info_name or "", lang, as_json, quiet)
        console.use(con)
        code = 0
        try:
            func(*args, **kwargs)
        except InputError as exc:
            con.error(exc.render(con.lang))
            code = 2
        except console.OutputsFailed as exc:  # the plan is kept; some outputs are missing
            say_written(*exc.written)
            for name, why in exc.failed:
                con.error(con.t(f"không ghi được {name}: {why}; kế hoạch đã được giữ trong "
                                "schedule.json, chạy lại `kiemtra export`/`gantt` để tạo lại tệp này",
                                f"{name} could not be written: {why}; the plan is kept in "
                                "schedule.json, run `kiemtra export`/`gantt` again for this file"))
            code = 1
        except OSError as exc:  # a file given on the command line that cannot be read or written
            con.error(file_problem(exc).render(con.lang))
            code = 2
        except click.ClickException as exc:
            con.error(click_message(exc.format_message(), con.lang))
            code = exc.exit_code
        except KeyboardInterrupt:
            con.error(con.say("cli.interrupted"))
            code = INTERRUPTED
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            console.release()
        con.finish(code)
        sys.exit(code)

    options = [click.option("--json", "as_json", is_flag=True),
               click.option("--quiet", "-q", is_flag=True)]
    if "lang" not in names:
        options.append(click.option("--lang", type=click.Choice(["vi", "en"]), default=None))
    for option in options:
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


INTERRUPTED = 130  # the shell's code for a run stopped by Ctrl-C (128 + SIGINT)


def file_problem(exc: OSError) -> InputError:
    """An OSError (read-only folder, full disk, missing parent) as the planner's input error."""
    where = exc.filename or "output"
    if isinstance(exc, FileExistsError | NotADirectoryError):
        return InputError(where, [Problem.of("", "input.folder_needed")])
    return InputError(where, [Problem.of("", "input.path_unusable", why=exc.strerror or exc)])


def writable_folder(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Click callback: refuse an output folder that cannot be written before any work starts."""
    if value is not None:
        try:
            check_writable_folder(value)
        except InputError as exc:
            raise click.BadParameter(exc.render(ctx_lang(ctx)), param=param) from None
    return value


class FiniteRange(click.FloatRange):
    """A FloatRange that also refuses NaN, which passes every comparison click makes."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(say("cli.not_a_number", ctx_lang(ctx), value=value), param, ctx)
        return number


# Numeric options share their ranges with the scenario's solver settings (models/limits.py).
TIME_LIMIT = FiniteRange(0, limits.MAX_TIME_LIMIT_S, min_open=True)
WORKERS = click.IntRange(1, limits.MAX_WORKERS)
SEED = click.IntRange(0, limits.MAX_SEED)


def parse_iso(value: str, what: str) -> date:
    """A date typed on the command line: dd/mm/yyyy as documents write it, or ISO."""
    try:
        return limits.check_supported_date(parse_date_text(value))
    except ValueError as exc:
        raise click.BadParameter(f"{what}: {_in_lang(exc)}") from None


def _in_lang(exc: ValueError) -> str:
    """A model's error in the console's language (``Worded`` messages carry their Vietnamese)."""
    message = exc.args[0] if exc.args else str(exc)
    return str(getattr(message, "vi", message)) if console.current().lang != "en" else str(message)


def recover_folder(folder: Path) -> None:
    """Finish or undo an output-set write that was killed, before reading from the folder."""
    from scheduler.output.sets import recover_output_set

    note = recover_output_set(folder)
    if note:
        console.current().warn(note)




def write_beside(target: Path, data: bytes) -> Path:
    """One file a reading command writes (a chart, a report): into an output folder's set under
    its lock, so the folder's files all stay in its manifest; elsewhere written atomically."""
    from scheduler.output.files import atomic_write_bytes
    from scheduler.output.sets import add_to_set, is_output_set

    if target.parent.is_dir() and is_output_set(target.parent):
        return add_to_set(target.parent, {target.name: data})[0]
    return atomic_write_bytes(target, data)


def say_written(*paths: Path, summary: str | None = None) -> None:
    """Say what was written in one line (every path goes into the --json summary)."""
    con = console.current()
    con.record(written=[str(p) for p in paths])
    if summary is None:
        folders = {p.parent if p.parent.name != "ics" else p.parent.parent for p in paths}
        if len(paths) > 3 and len(folders) == 1:
            folder = next(iter(folders))
            summary = con.say("cli.written_many", n=len(paths), folder=folder)
        else:
            names = ", ".join(str(p) for p in paths)
            summary = con.say("cli.written", names=names)
    con.result(summary)


def chosen_formats(text: str, known: Any) -> set[str]:
    """Parse --formats; json and csv are always written since every other tool reads them."""
    if text.strip() == "all":
        return set(known)
    chosen = {f.strip().lower() for f in text.split(",") if f.strip()}
    unknown = chosen - set(known)
    if unknown:
        raise click.BadParameter(say("cli.unknown_formats", console.current().lang,
                                     unknown=", ".join(sorted(unknown)),
                                     known=", ".join(sorted(known))), param_hint="--formats")
    return chosen | {"json", "csv"}


def apply_pins(scenario: Any, pins: tuple[str, ...]) -> Any:
    """The scenario with ``--pin UNIT=DATE[/TEAM]`` applied (as a unit's `date:` and `team:`)."""
    if not pins:
        return scenario
    known = {u.id for u in scenario.units}
    teams = {t.id for t in scenario.teams}
    changes: dict[str, dict[str, Any]] = {}
    for pin in pins:
        unit_id, _, rest = pin.partition("=")
        parts = rest.split("/")
        # dd/mm/yyyy[/TEAM] or YYYY-MM-DD[/TEAM]
        cut = 3 if len(parts) >= 3 else 1
        text, team = "/".join(parts[:cut]), "/".join(parts[cut:])
        if unit_id not in known or not text:
            raise click.BadParameter(say("cli.pin_form", console.current().lang, pin=pin),
                                     param_hint="--pin")
        if team and team not in teams:
            raise click.BadParameter(say("cli.pin_team", console.current().lang, pin=pin, team=team,
                                     teams=", ".join(sorted(teams))), param_hint="--pin")
        change: dict[str, Any] = {"pinned_date": parse_iso(text, "--pin")}
        if team:
            change["team"] = team
        changes[unit_id] = change
    units = [u.model_copy(update=changes[u.id]) if u.id in changes else u
             for u in scenario.units]
    return scenario.model_copy(update={"units": units})


def scenario_bytes(path: Path, loaded: Any, pins: tuple[str, ...]) -> bytes:
    """The scenario that travels with a plan: the file as written, or with its --pin applied."""
    if not pins:
        return path.read_bytes()
    from scheduler.output.files import scenario_yaml

    pinned = ", ".join(pins)
    return scenario_yaml(loaded, f"# The scenario with --pin {pinned} (written by kiemtra).\n"
                         ).encode("utf-8")
