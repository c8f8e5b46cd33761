"""The one place where ``communs`` reaches into Typer's internals (no public API for them).

- Click's exception classes: Typer (≥ 0.26) carries its own copy of Click
  (``typer._click``) and exports only ``BadParameter``, while :mod:`.francais` needs
  ``UsageError`` (raised in French, so that Typer prints it with its usage line and
  help hint), ``NoSuchOption``, ``MissingParameter``…, and :mod:`.echecs` derives its
  failures from ``ClickException`` so that any Typer application prints them.
- The fixed texts of Typer's rich help and error panels (« Options », « [default: …] »,
  « Try '… --help' for help. »): module constants of ``typer.rich_utils``, read when
  Typer draws a page, with no parameter, hook or gettext catalogue to set them.
- In a Typer application other than ``communs``'s own (a command on an application of
  its own, :func:`~.francais.install`), the failures of ``communs`` printed as they are
  rather than in Typer's error panel: Typer prints every ``ClickException`` through
  ``typer.rich_utils.rich_format_error``, with no hook per exception class. (The groups
  of ``communs`` print them before Typer sees them.)
- The context of the running command (:func:`contexte_courant`), for the command's
  path (« communs budget ») where the command itself does not ask for it: Typer
  exports the ``Context`` class but not Click's ``get_current_context``.

``tests/test_cli_francais.py::test_typer_interne`` fails loudly if a new Typer moves
any of them.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

TEXTES_RICH = {
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
"""French values of ``typer.rich_utils``'s texts."""


def typer_interne(rich: bool = False) -> ModuleType:
    """Click's ``exceptions`` module as Typer uses it; with ``rich``, first set the texts
    of Typer's rich panels in French (:data:`TEXTES_RICH`). Called just before Typer draws
    help or an error: ``typer.rich_utils`` imports Rich, which ``communs`` loads only then.
    """
    from typer._click import exceptions

    if rich:
        from typer import rich_utils

        for name, french in TEXTES_RICH.items():
            setattr(rich_utils, name, french)
    return exceptions


def contexte_courant() -> Any:
    """The Click context of the command running now, or None outside a command."""
    from typer._click.globals import get_current_context

    return get_current_context(silent=True)


def echecs_sans_panneau(echec: type[Any]) -> None:
    """Have Typer print an ``echec`` (:class:`~.echecs.Echec`) by its own ``show``
    (« Erreur : … » and its details) instead of in its error panel (idempotent)."""
    from typer import rich_utils

    original = rich_utils.rich_format_error
    if getattr(original, "communs", False):
        return

    def rich_format_error(self: Any) -> None:
        if isinstance(self, echec):
            self.show()
            return
        original(self)

    rich_format_error.communs = True  # type: ignore[attr-defined]
    rich_utils.rich_format_error = rich_format_error
