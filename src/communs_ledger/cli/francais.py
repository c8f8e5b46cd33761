"""French messages for Typer (usage errors, help texts), through Typer's public classes.

- :class:`TyperFrancais` (a ``typer.Typer``) gives every group and command of
  ``communs`` the classes :class:`GroupeFrancais` and :class:`CommandeFrancaise`
  (``typer.Typer(cls=...)`` and ``command(cls=...)``, Typer's supported hooks).
- Their ``get_help_option`` and ``format_usage`` (Click's public methods) give the
  help option's text and the « Usage : » prefix.
- Every usage error raised while parsing or dispatching a command line, at any depth
  of sub-commands, is re-raised by the groups (``make_context`` and ``invoke``) as a
  French ``UsageError`` built from the exception's fields (option, parameter,
  choices), not from its English text; free-text messages (``ctx.fail``…) go through
  :func:`translate`'s patterns. Typer prints it (usage line, help hint, panel).
- A command's failure (:class:`~.echecs.Echec`) is printed by the groups themselves,
  then the command ends with its exit code (``typer.Exit``).
- :func:`install` serves a Typer application other than ``communs``'s own (a command on
  an application of its own): French panel texts, failures printed as ``communs`` does.

Two things have no public API and come from :mod:`.typer_interne`, the one place that
reaches into Typer: Click's exception classes (Typer ≥ 0.26 vendors Click as
``typer._click`` and exports only ``BadParameter``) and the fixed texts of Typer's rich
help and error panels (module constants of ``typer.rich_utils``).
"""

from __future__ import annotations

import copy
import inspect
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from .echecs import Echec
from .typer_interne import echecs_sans_panneau, typer_interne

HELP_TEXT = "Affiche cette aide et quitte."
USAGE = "Usage : "
TYPES_FRANCAIS = {
    "path": "CHEMIN",
    "file": "FICHIER",
    "directory": "DOSSIER",
    "str": "TEXTE",
    "text": "TEXTE",
    "int": "ENTIER",
    "integer": "ENTIER",
    "float": "NOMBRE",
    "decimal": "NOMBRE",
}
"""French kind of value shown in help for a parameter without a metavar of its own
(Typer shows Python's type: ``<path>``, ``<str>``, ``<int>``)."""


def translate(message: str) -> str:
    """French version of a Typer/Click usage message (unchanged if unknown)."""
    from ..messages_beancount import regles_de_traduction

    text = message.strip()
    for pattern, template in regles_de_traduction("usage"):
        match = pattern.fullmatch(text)
        if match:
            values = match.groupdict()
            if "m" in values:
                inner = values["m"].strip().removeprefix("Value error, ")
                values["m"] = translate(inner)
            return template.format(**values)
    return message


def _join_param_hints(hint: Any) -> str | None:
    """Click's naming of a parameter in a message: ``'--mois' / '-m'``."""
    if hint is not None and not isinstance(hint, str):
        return " / ".join(repr(name) for name in hint)
    return hint


def _hint(error: Any, quoted: bool = True) -> str | None:
    """The parameter an error is about, as Click names it (``'--mois' / '-m'``), or
    without quotes (``--exercice / -e``)."""
    hint = error.param_hint
    if hint is None and error.param is not None:
        hint = error.param.get_error_hint(error.ctx)
    if not quoted and hint is not None and not isinstance(hint, str):
        return " / ".join(str(name) for name in hint)
    text = _join_param_hints(hint)
    return text.replace("'", "") if text and not quoted else text


def message_francais(error: Any) -> str:
    """The French message of a Typer/Click usage error, from its fields."""
    exceptions = typer_interne()
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
        choices = getattr(getattr(error.param, "type", None), "choices", None)
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
    """A usage error in French (the same one when it already is, or is the help text)."""
    exceptions = typer_interne(rich=True)
    if getattr(error, "communs_francais", False):
        return error
    if isinstance(error, exceptions.NoArgsIsHelpError):
        return error
    french = exceptions.UsageError(message_francais(error), error.ctx)
    french.communs_francais = True
    return french


def _echouer(failure: Echec) -> typer.Exit:
    """Print a command's failure; the exit to raise."""
    failure.show()
    return typer.Exit(failure.exit_code)


class _EnFrancais:
    """Help option text and usage prefix in French (Click's public methods)."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_TEXT
        return option

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        usage = " ".join(pieces).replace("COMMAND [ARGS]", "COMMANDE [ARGS]")
        formatter.write_usage(ctx.command_path, usage, prefix=USAGE)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        typer_interne(rich=True)
        for param in self.params:  # type: ignore[attr-defined]
            _type_en_francais(param, ctx)
        for command in getattr(self, "commands", {}).values():
            _resume_sur_une_ligne(command)
        super().format_help(ctx, formatter)  # type: ignore[misc]


def _resume_sur_une_ligne(command: Any) -> None:
    """A sub-command's summary in its group's list: the first paragraph of its help as
    one text (Typer's rich mode keeps the docstring's line ends there, which broke the
    list's lines mid-sentence)."""
    if command.short_help is None and command.help:
        first = inspect.cleandoc(command.help).split("\n\n")[0]
        command.short_help = " ".join(first.split())


def _type_en_francais(param: Any, ctx: Any) -> None:
    """Name a parameter's kind of value in French in the help (TEXTE rather than
    ``<str>``), when it has no metavar of its own: an option's metavar; an argument's
    type name (its metavar would replace its name in the help)."""
    option = param.param_type_name == "option"
    if (option and param.metavar is not None) or param.type.get_metavar(param=param, ctx=ctx):
        return
    french = TYPES_FRANCAIS.get(str(param.type.name).lower())
    if french is None:
        return
    if option:
        param.metavar = french
    else:
        param.type = copy.copy(param.type)
        param.type.name = french


class CommandeFrancaise(_EnFrancais, TyperCommand):
    """A ``communs`` command: help in French."""


class GroupeFrancais(_EnFrancais, TyperGroup):
    """A ``communs`` group: help in French, and every usage error of the command line, at
    any depth, in French (parsing errors are raised by ``make_context``, unknown
    sub-commands and the sub-commands' own parsing errors while the group ``invoke``\\ s
    them); a command's failure printed, then its exit code."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except Echec as failure:
            raise _echouer(failure) from None
        except typer_interne().UsageError as error:
            french = _francais(error)
            if french is error:
                raise
            raise french from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except Echec as failure:
            raise _echouer(failure) from None
        except EOFError:  # Typer prints its « Aborted. »
            typer_interne(rich=True)
            raise
        except typer_interne().UsageError as error:
            french = _francais(error)
            if french is error:
                raise
            raise french from None


class TyperFrancais(typer.Typer):
    """A ``typer.Typer`` whose group and commands speak French (:class:`GroupeFrancais`,
    :class:`CommandeFrancaise`), unless another class is given."""

    def __init__(self, *, cls: type[TyperGroup] | None = None, **kwargs: Any) -> None:
        super().__init__(cls=cls or GroupeFrancais, **kwargs)

    def command(self, *args: Any, cls: type[TyperCommand] | None = None, **kwargs: Any) -> Any:
        return super().command(*args, cls=cls or CommandeFrancaise, **kwargs)


def install() -> None:
    """For a Typer application other than ``communs``'s own (e.g. one command on an
    application of its own): the texts of Typer's rich panels in French, and the failures
    of ``communs`` printed as they are (« Erreur : … »), as ``communs`` prints them."""
    typer_interne(rich=True)
    echecs_sans_panneau(Echec)
