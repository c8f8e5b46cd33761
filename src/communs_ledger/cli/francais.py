"""French messages for Typer (usage errors, help headings).

Typer ≥ 0.20 carries its own copy of Click (``typer._click``) whose messages
are English f-strings. We translate them where they are produced: the
``format_message`` of the usage exceptions (regular expressions below), the
help option's text, the rich help panel titles and the usage prefix.
Unknown messages stay in English.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"No such option: (?P<o>.+)"), "option inconnue : {o}"),
    (re.compile(r"No such command '?(?P<c>[^'.]+)'?\.?"), "commande inconnue : {c}"),
    (re.compile(r"Missing argument '?(?P<a>[^'.]+)'?\.?"), "argument obligatoire manquant : {a}"),
    (re.compile(r"Missing option '?(?P<a>[^'.]+)'?\.?"), "option obligatoire manquante : {a}"),
    (re.compile(r"Missing (?P<t>\w+) '?(?P<a>[^'.]+)'?\.?"), "{t} obligatoire manquant : {a}"),
    (re.compile(r"Missing parameter: (?P<a>.+)"), "paramètre manquant : {a}"),
    (
        re.compile(r"Invalid value for (?P<h>.+?): (?P<m>.+)", re.S),
        "valeur invalide pour {h} : {m}",
    ),
    (re.compile(r"Invalid value: (?P<m>.+)", re.S), "valeur invalide : {m}"),
    (re.compile(r"Got unexpected extra arguments? \((?P<a>.+)\)"), "argument(s) en trop : {a}"),
    (
        re.compile(r"Option '?(?P<o>[^' ]+)'? requires an argument\.?"),
        "l'option {o} attend une valeur",
    ),
    (
        re.compile(r"Option '?(?P<o>[^' ]+)'? does not take a value\.?"),
        "l'option {o} ne prend pas de valeur",
    ),
    (
        re.compile(r"'?(?P<v>.+?)'? is not one of (?P<c>.+?)\.?"),
        "« {v} » n'est pas l'une des valeurs {c}",
    ),
    (
        re.compile(r"'?(?P<v>.+?)'? is not a valid (integer|float|int)\.?"),
        "« {v} » n'est pas un nombre valide",
    ),
    (
        re.compile(r"'?(?P<v>.+?)'? is not in the range (?P<r>.+?)\.?"),
        "{v} n'est pas dans l'intervalle {r}",
    ),
    (
        re.compile(r"(?P<v>.+?) is not in the range (?P<r>.+?)\.?"),
        "{v} n'est pas dans l'intervalle {r}",
    ),
    (
        re.compile(r"Value '?(?P<v>.+?)'? is not a valid (?P<t>.+?)\.?"),
        "« {v} » n'est pas une valeur valide ({t})",
    ),
    (
        re.compile(r"Input should be a valid integer(, .*)?", re.S),
        "nombre entier attendu",
    ),
    (
        re.compile(r"Input should be a valid (number|decimal|float)(, .*)?", re.S),
        "nombre attendu",
    ),
    (re.compile(r"Input should be a valid date(, .*)?", re.S), "date attendue"),
    (
        re.compile(r"(?:[Ff]ile|[Pp]ath) '(?P<p>.+)' is a directory\.?"),
        "« {p} » est un dossier : indiquez un fichier",
    ),
    (
        re.compile(r"(?:[Dd]irectory|[Pp]ath) '(?P<p>.+)' is a file\.?"),
        "« {p} » est un fichier : indiquez un dossier",
    ),
    (re.compile(r"Path '(?P<p>.+)' does not exist\.?"), "chemin introuvable : {p}"),
    (
        re.compile(r"(?P<k>File|Directory|Path) '(?P<p>.+)' does not exist\.?"),
        "chemin introuvable : {p}",
    ),
]

_PANELS = {
    "DEPRECATED_STRING": "(obsolète) ",
    "DEFAULT_STRING": "[par défaut : {}]",
    "ENVVAR_STRING": "[variable : {}]",
    "REQUIRED_LONG_STRING": "[obligatoire]",
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commandes",
    "ERRORS_PANEL_TITLE": "Erreur",
    "ABORTED_TEXT": "Interrompu.",
    "RICH_HELP": "Aide : [blue]« {command_path} {help_option} »[/].",
}

HELP_TEXT = "Affiche cette aide et quitte."


def translate(message: str) -> str:
    """French version of a Typer/Click usage message (unchanged if unknown)."""
    text = message.strip()
    for pattern, template in _MESSAGES:
        match = pattern.fullmatch(text)
        if match:
            values = match.groupdict()
            if "m" in values:
                inner = values["m"].strip().removeprefix("Value error, ")
                values["m"] = translate(inner)
            return template.format(**values)
    return message


def _wrap(original: Callable[[Any], str]) -> Callable[[Any], str]:
    def format_message(self: Any) -> str:
        return translate(original(self))

    format_message.__wrapped__ = original  # type: ignore[attr-defined]
    return format_message


_installed = False


def install() -> None:
    """Patch Typer's messages (idempotent; costs no import beyond Typer's own)."""
    global _installed
    if _installed:
        return
    _installed = True
    try:
        from typer import rich_utils
        from typer._click import core, exceptions, formatting
    except ImportError:  # an older Typer built on Click: keep English
        return
    for name, french in _PANELS.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, french)
    for cls_name in (
        "ClickException",
        "UsageError",
        "BadParameter",
        "MissingParameter",
        "NoSuchOption",
        "BadOptionUsage",
        "BadArgumentUsage",
    ):
        cls = getattr(exceptions, cls_name, None)
        if cls is not None and "format_message" in vars(cls):
            cls.format_message = _wrap(vars(cls)["format_message"])

    original_format_error = rich_utils.rich_format_error

    def rich_format_error(self: Any) -> None:
        if getattr(self, "communs", False):
            self.show()
            return
        original_format_error(self)

    rich_utils.rich_format_error = rich_format_error

    original_help = core.Command.get_help_option

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original_help(self, ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    core.Command.get_help_option = get_help_option

    original_usage = formatting.HelpFormatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        original_usage(self, prog, args, "Usage : " if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage
