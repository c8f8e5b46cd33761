"""French messages for Typer (usage errors, help headings).

Typer ≥ 0.20 carries its own copy of Click (``typer._click``) whose messages
are English f-strings (no gettext catalogue to plug a translation into). The
usage errors are translated by the class of the ``communs`` group,
:class:`GroupeFrancais` (``typer.Typer(cls=...)``, Typer's supported hook):
every usage error raised while parsing or dispatching a command line, at any
depth of sub-commands, is re-raised as a French ``UsageError`` built from the
exception's fields (option, parameter, choices), not from its English text;
free-text messages (``ctx.fail``…) go through :func:`translate`'s patterns.
The help option's text, the rich help panel titles and the usage prefix have no
such hook and are set by :func:`install`.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import re
import sys
from collections.abc import Callable
from typing import Any

from typer.core import TyperGroup

_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"No such option: (?P<o>.+)"), "option inconnue : {o}"),
    (
        re.compile(r"No such command '?(?P<c>[^']+?)'?\. Did you mean (?P<s>.+)\?", re.S),
        "commande inconnue : {c} ; vouliez-vous dire {s} ?",
    ),
    (re.compile(r"No such command '?(?P<c>[^']+?)'?\.?"), "commande inconnue : {c}"),
    (re.compile(r"Missing command\.?"), "commande manquante"),
    (re.compile(r"Missing argument '?(?P<a>[^'.]+)'?\.?"), "argument obligatoire manquant : {a}"),
    (re.compile(r"Missing option (?P<a>.+?)\.?"), "option obligatoire manquante : {a}"),
    (re.compile(r"Missing (?P<t>\w+) '?(?P<a>[^'.]+)'?\.?"), "{t} obligatoire manquant : {a}"),
    (re.compile(r"Missing parameter: (?P<a>.+)"), "paramètre manquant : {a}"),
    (
        re.compile(r"Invalid value for (?P<h>.+?): (?P<m>.+)", re.S),
        "valeur invalide pour {h} : {m}",
    ),
    (re.compile(r"Invalid value: (?P<m>.+)", re.S), "valeur invalide : {m}"),
    (
        re.compile(r"Got unexpected extra arguments?(\(s\))? \((?P<a>.+)\)", re.S),
        "argument(s) en trop : {a}",
    ),
    (
        re.compile(r"Option '?(?P<o>[^' ]+)'? requires an argument\.?"),
        "l'option {o} attend une valeur",
    ),
    (
        re.compile(r"Option '?(?P<o>[^' ]+)'? requires (?P<n>\d+) arguments\.?"),
        "l'option {o} attend {n} valeurs",
    ),
    (
        re.compile(r"Argument '?(?P<a>[^' ]+)'? takes (?P<n>\d+) values\.?"),
        "l'argument {a} attend {n} valeurs",
    ),
    (
        re.compile(r"'?(?P<v>.+?)'? does not match the formats? (?P<f>.+?)\.?", re.S),
        "« {v} » ne suit pas le format attendu ({f})",
    ),
    (
        re.compile(r"(?:File|Directory|Path) '(?P<p>.+)' is not readable\.?"),
        "« {p} » : lecture interdite (droits du fichier)",
    ),
    (
        re.compile(r"(?:File|Directory|Path) '(?P<p>.+)' is not writable\.?"),
        "« {p} » : écriture interdite (droits du fichier)",
    ),
    (re.compile(r"Value must be an iterable\.?"), "plusieurs valeurs attendues"),
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


def _hint(error: Any, quoted: bool = True) -> str | None:
    """The parameter an error is about, as Click names it (``'--mois' / '-m'``), or
    without quotes (``--exercice / -e``)."""
    from typer._click.exceptions import _join_param_hints

    hint = error.param_hint
    if hint is None and error.param is not None:
        hint = error.param.get_error_hint()
    if not quoted and hint is not None and not isinstance(hint, str):
        return " / ".join(str(name) for name in hint)
    text = _join_param_hints(hint)
    return text.replace("'", "") if text and not quoted else text


def message_francais(error: Any) -> str:
    """The French message of a Typer/Click usage error, from its fields."""
    from typer._click import exceptions

    if isinstance(error, exceptions.NoSuchOption):
        text = f"option inconnue : {error.option_name}"
        if error.possibilities:
            text += f" (options proches : {', '.join(sorted(error.possibilities))})"
        return text
    if isinstance(error, exceptions.MissingParameter):
        kind = error.param_type or (error.param.param_type_name if error.param else None)
        label = {
            "option": "option obligatoire manquante",
            "argument": "argument obligatoire manquant",
        }.get(kind or "", "paramètre obligatoire manquant")
        hint = _hint(error, quoted=False)
        text = f"{label} : {hint}" if hint else label
        choices = getattr(getattr(error.param, "type_descriptor", None), "choices", None)
        if choices:
            listed = ", ".join(str(getattr(c, "value", c)) for c in choices)
            text += f" (valeurs possibles : {listed})"
        return text
    if isinstance(error, exceptions.BadParameter):
        hint = _hint(error)
        inner = translate(str(error.message).strip().removeprefix("Value error, "))
        return f"valeur invalide pour {hint} : {inner}" if hint else f"valeur invalide : {inner}"
    return translate(str(error.message))


def _francais(error: Any) -> Any:
    """A usage error in French (the same one when it is ours, or is the help text)."""
    from typer._click import exceptions

    if getattr(error, "communs", False) or getattr(error, "communs_francais", False):
        return error
    if isinstance(error, exceptions.NoArgsIsHelpError):
        return error
    french = exceptions.UsageError(message_francais(error), error.ctx)
    french.communs_francais = True  # type: ignore[attr-defined]
    return french


class GroupeFrancais(TyperGroup):
    """The ``communs`` group: every usage error of the command line, at any depth, in
    French (parsing errors are raised by ``make_context``, unknown sub-commands and the
    sub-commands' own parsing errors while the group ``invoke``\\ s them)."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        from typer._click.exceptions import UsageError

        try:
            return super().make_context(*args, **kwargs)
        except UsageError as error:
            french = _francais(error)
            if french is error:
                raise
            raise french from None

    def invoke(self, ctx: Any) -> Any:
        from typer._click.exceptions import UsageError

        try:
            return super().invoke(ctx)
        except UsageError as error:
            french = _francais(error)
            if french is error:
                raise
            raise french from None


_installed = False


def _patch_rich_utils(rich_utils: Any) -> None:
    """French panel titles; our French usage errors shown as they are."""
    for name, french in _PANELS.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, french)

    original_format_error = rich_utils.rich_format_error

    def rich_format_error(self: Any) -> None:
        if getattr(self, "communs", False):
            self.show()
            return
        original_format_error(self)

    rich_utils.rich_format_error = rich_format_error


def _when_imported(name: str, patch: Callable[[Any], None]) -> None:
    """Run ``patch(module)`` once the module is imported (now, if it already is)."""
    if name in sys.modules:
        patch(sys.modules[name])
        return

    class Loader(importlib.abc.Loader):
        def __init__(self, wrapped: importlib.abc.Loader) -> None:
            self.wrapped = wrapped

        def create_module(self, spec: Any) -> Any:
            return self.wrapped.create_module(spec)

        def exec_module(self, module: Any) -> None:
            self.wrapped.exec_module(module)
            patch(module)

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
            if fullname != name:
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(fullname)
            if spec is not None and spec.loader is not None:
                spec.loader = Loader(spec.loader)
            return spec

    sys.meta_path.insert(0, Finder())


def install() -> None:
    """Set Typer's help texts in French (idempotent; costs no import beyond Typer's own)."""
    global _installed
    if _installed:
        return
    _installed = True
    try:
        from typer._click import core, formatting
    except ImportError:  # an older Typer built on Click: keep English
        return
    # Typer's rich help and error display (and Rich) are imported only when drawn.
    _when_imported("typer.rich_utils", _patch_rich_utils)

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
