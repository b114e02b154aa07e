"""``--help`` in the planner's language: Vietnamese by default, English with ``--lang en`` on a
command or ``KIEMTRA_LANG=en`` (the only switch for ``kiemtra --help`` itself).

Help texts are catalogue ids (``scheduler/output/help_texts.py``), looked up when help is shown:
a command's own under ``cmd.NAME``, an option's under ``opt.NAME.PARAM`` or ``opt.PARAM``.
click's own words ("Usage:", "Options", "[default: …]", "Show this message and exit.") are
replaced through a formatter and a context of our own, since click offers no catalogue.
"""

from __future__ import annotations

import copy
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import click
from click.exceptions import NoArgsIsHelpError

from models.messages import LANGS, default_lang, has, say
from scheduler.output import help_texts  # noqa: F401  (registers the help catalogue)

_LANG_KEY = "kiemtra.lang"
_SECTIONS = {"Options": "help.options", "Commands": "help.commands",
             "Arguments": "help.arguments"}


def lang_in_args(args: Sequence[str]) -> str | None:
    """The ``--lang`` written on the command line, read before click parses it (``--help`` is
    eager and answers before ``--lang`` would be processed)."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = arg.partition("=")[2] if arg.startswith("--lang=") else (
            args[i + 1] if arg == "--lang" and i + 1 < len(args) else None)
        if value in LANGS:
            return value
    return None


def ctx_lang(ctx: click.Context | None) -> str:
    return str(ctx.meta.get(_LANG_KEY)) if ctx is not None and ctx.meta.get(_LANG_KEY) \
        else default_lang()


class LocalFormatter(click.HelpFormatter):
    """click's formatter with the usage prefix and section headings in the chosen language."""

    def __init__(self, *args: Any, lang: str = "vi", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lang = lang

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix if prefix is not None else
                            say("help.usage", self.lang) + " ")

    def write_heading(self, heading: str) -> None:
        key = _SECTIONS.get(heading)
        super().write_heading(say(key, self.lang) if key else heading)


class LocalContext(click.Context):
    formatter_class = LocalFormatter

    def make_formatter(self) -> click.HelpFormatter:
        return LocalFormatter(width=self.terminal_width, max_width=self.max_content_width,
                              lang=ctx_lang(self))


def _help_key(command: str, param: click.Parameter, is_help: bool) -> str | None:
    name = "help" if is_help else param.name or ""
    for key in (f"opt.{command}.{name}", f"opt.{name}"):
        if has(key):
            return key
    return None


def _localised(param: click.Parameter, command: str, lang: str, is_help: bool) -> click.Parameter:
    """A copy of ``param`` whose help is in ``lang`` (the original keeps its own)."""
    key = _help_key(command, param, is_help)
    if key is None or not isinstance(param, click.Option):
        return param
    twin = copy.copy(param)
    twin.help = say(key, lang)
    return twin


# click's metavars and usage words, for the Vietnamese help (longest first)
_METAVARS = (("INTEGER RANGE", "SỐ_NGUYÊN"), ("FLOAT RANGE", "SỐ"), ("INTEGER", "SỐ_NGUYÊN"),
             ("FLOAT", "SỐ"), ("PATH", "ĐƯỜNG_DẪN"), ("TEXT", "CHỮ"), ("[OPTIONS]", "[TÙY_CHỌN]"),
             ("COMMAND", "LỆNH"), ("[ARGS]", "[THAM_SỐ]"))


def _local_words(text: str, lang: str) -> str:
    if lang == "en":
        return text
    for word, local in _METAVARS:
        text = text.replace(word, local)
    return text


def _local_record(record: tuple[str, str] | None, lang: str) -> tuple[str, str] | None:
    """click's metavars, "[default: x]" and "[required]" in ``lang``."""
    if record is None or lang == "en":
        return record
    names, text = record
    names = _local_words(names, lang)
    text = text.replace("[default: ", f"[{say('help.default', lang)}: ").replace(
        "default: ", f"{say('help.default', lang)}: ").replace(
        "required]", f"{say('help.required', lang)}]")
    return names, text


class LocalCommand(click.Command):
    """A command whose help comes from the catalogue, in the language of its ``--lang``."""

    context_class = LocalContext

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        lang = lang_in_args(args)
        if lang is not None:
            ctx.meta[_LANG_KEY] = lang
        return super().parse_args(ctx, args)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [_local_words(piece, ctx_lang(ctx)) for piece in super().collect_usage_pieces(ctx)]

    def catalogue_help(self, lang: str) -> str | None:
        key = f"cmd.{self.name}"
        return say(key, lang) if has(key) else self.help

    def get_short_help_str(self, limit: int = 45) -> str:
        text = self.catalogue_help(default_lang()) or ""
        first = " ".join(text.split("\n\n", 1)[0].split())
        if len(first) <= limit:
            return first
        return first[:limit - 3].rsplit(" ", 1)[0] + "..."

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = self.catalogue_help(ctx_lang(ctx))
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lang = ctx_lang(ctx)
        name = self.name or ""
        helper = self.get_help_option(ctx)
        records = [_local_record(_localised(p, name, lang, p is helper).get_help_record(ctx), lang)
                   for p in self.get_params(ctx) if not isinstance(p, click.Argument)]
        rows = [r for r in records if r is not None]
        if rows:
            with formatter.section("Options"):
                formatter.write_dl(rows)


# click's own error messages, in Vietnamese (the first pattern that matches the whole text)
_CLICK_ERRORS = (
    (r"Missing argument '(.+)'\.", "Thiếu tham số '{0}'."),
    (r"Missing option '(.+)'\.", "Thiếu tùy chọn '{0}'."),
    (r"No such option:? '?([^'?]+)'?\.? Did you mean '?([^'?]+)'?\?", "Không có tùy chọn '{0}'. "
                                                                     "Có phải là '{1}'?"),
    (r"No such option:? '?([^'.]+)'?\.?", "Không có tùy chọn '{0}'."),
    (r"No such command '(.+)'\.", "Không có lệnh '{0}'."),
    (r"Option '(.+)' requires an argument\.", "Tùy chọn '{0}' cần một giá trị."),
    (r"Got unexpected extra arguments? \((.+)\)", "Thừa tham số ({0})."),
    (r"(.+) is not in the range (.+)\.", "{0} nằm ngoài khoảng {1}."),
    (r"'(.*)' is not one of (.+)\.", "'{0}' không thuộc các giá trị {1}."),
    (r"'(.*)' is not a valid (?:float|integer)(?: range)?\.", "'{0}' không phải là số hợp lệ."),
)
_INVALID = re.compile(r"Invalid value for (.+?): (.+)", re.S)
_INVALID_BARE = re.compile(r"Invalid value: (.+)", re.S)


def click_message(text: str, lang: str) -> str:
    """One of click's error messages in ``lang`` (an unknown one is left as click wrote it)."""
    if lang == "en":
        return text
    bare = _INVALID_BARE.fullmatch(text)
    if bare:
        return f"Giá trị không hợp lệ: {click_message(bare.group(1), lang)}"
    invalid = _INVALID.fullmatch(text)
    if invalid:
        return f"Giá trị không hợp lệ cho {invalid.group(1)}: {click_message(invalid.group(2), lang)}"
    for pattern, vi in _CLICK_ERRORS:
        found = re.fullmatch(pattern, text, re.S)
        if found:
            return vi.format(*found.groups())
    return text


def show_click_error(exc: click.ClickException) -> None:
    """What click prints for a wrong command line, in the language asked for."""
    ctx = getattr(exc, "ctx", None)
    lang = ctx_lang(ctx)
    if lang == "en" or isinstance(exc, NoArgsIsHelpError):
        exc.show()
        return
    if ctx is not None:
        click.echo(f"{ctx.get_usage()}\nXem '{ctx.command_path} --help' để biết cách dùng.\n",
                   err=True)
    click.echo(f"lỗi: {click_message(exc.format_message(), lang)}", err=True)


class LocalGroup(LocalCommand, click.Group):
    """The ``kiemtra`` group: its commands are ``LocalCommand``, and its help and click's own
    errors (a missing argument, an unknown option) are in the planner's language."""

    command_class = LocalCommand

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.ClickException as exc:
            show_click_error(exc)
            _exit(exc.exit_code)
        except click.Abort:
            click.echo("Đã hủy." if default_lang() != "en" else "Aborted!", err=True)
            _exit(1)
        _exit(code if isinstance(code, int) else 0)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        LocalCommand.format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)


def _exit(code: int) -> NoReturn:
    sys.exit(code)
