"""What a report is computed from: the ledger's movements, its exercices, its
config; and the French failures when a report cannot be made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..contexte import LedgerContext
from ..exercices import Exercice
from ..mouvements import Mouvements, collect


class RapportImpossible(Exception):
    """The report cannot be made (unknown exercice, project…): French message."""


@dataclass
class Source:
    context: LedgerContext
    mouvements: Mouvements
    exercices: list[Exercice] = field(default_factory=list)
    entries: list[Any] = field(default_factory=list, repr=False)
    """The ledger's directives (``open`` metadata, e.g. ``echeance:``, ``type_financeur:``)."""
    _index: dict[str, list[Any]] = field(default_factory=dict, repr=False, compare=False)
    """What :meth:`avec_meta` and :meth:`comptes_ouverts` found, computed once."""

    @classmethod
    def from_entries(cls, entries: list[Any], options: dict[str, Any]) -> Source:
        context = LedgerContext.from_options(options)
        devise = (options.get("operating_currency") or ["EUR"])[0]
        return cls.from_context(entries, context, devise)

    @classmethod
    def from_context(
        cls, entries: list[Any], context: LedgerContext, devise: str = "EUR"
    ) -> Source:
        mouvements = collect(entries, devise)
        exercices: list[Exercice] = []
        if mouvements.premiere_date and mouvements.derniere_date:
            ouverts = _exercices_ouverts(entries, context)
            last = max([mouvements.derniere_date, *(e.fin for e in ouverts)])
            exercices = context.calendrier.between(mouvements.premiere_date, last)
        return cls(context, mouvements, exercices, list(entries))

    @classmethod
    def from_livre(cls, livre: Any) -> Source:
        devise = (livre.options.get("operating_currency") or ["EUR"])[0]
        return cls.from_context(livre.entries, livre.context, devise)

    def avec_meta(self, key: str) -> list[Any]:
        """The directives whose metadata has ``key``, in ledger order (scanned once per key:
        several statements of an exercice look for the same one)."""
        found = self._index.get(f"meta:{key}")
        if found is None:
            found = self._index[f"meta:{key}"] = [
                entry for entry in self.entries if key in (getattr(entry, "meta", None) or ())
            ]
        return found

    def comptes_ouverts(self) -> list[str]:
        """The accounts of the ledger's ``open`` directives, in ledger order (scanned once)."""
        found = self._index.get("open")
        if found is None:
            from beancount.core import data

            found = self._index["open"] = [
                entry.account for entry in self.entries if isinstance(entry, data.Open)
            ]
        return found

    @property
    def association(self) -> str:
        return self.context.config.nom

    def exercice(self, code: str | None = None) -> Exercice:
        """The exercice named ``code`` (default: the latest one with entries)."""
        if not self.exercices:
            raise RapportImpossible("le grand livre ne contient aucune écriture")
        if code is None:
            # the latest exercice with entries: one the ledger only opens shows nothing yet
            avec = [e for e in self.exercices if self.mouvements.entre(e.debut, e.fin)]
            return (avec or self.exercices)[-1]
        found = self.context.calendrier.find(str(code), self.exercices)
        if found is None:
            known = ", ".join(e.code for e in self.exercices)
            raise RapportImpossible(
                f"exercice « {code} » inconnu : exercices du grand livre : {known}"
            )
        if not self.mouvements.entre(found.debut, found.fin) and not self._ouvert(found):
            raise RapportImpossible(f"aucune écriture dans l'exercice {found.code}")
        return found

    def _ouvert(self, exercice: Exercice) -> bool:
        """Whether the ledger opens ``exercice`` (see :func:`_exercices_ouverts`)."""
        return exercice in _exercices_ouverts(self.entries, self.context)

    def precedent(self, exercice: Exercice) -> Exercice | None:
        """The exercice before ``exercice``, if the ledger covers it (even without entries:
        balances carry over)."""
        for index, known in enumerate(self.exercices):
            if known == exercice and index > 0:
                return self.exercices[index - 1]
        return None

    def projets_connus(self) -> set[str]:
        return set(self.context.config.projets) | self.mouvements.projets()

    def verifier_projet(self, projet: str | None) -> None:
        if projet is None:
            return
        known = self.projets_connus()
        if projet not in known:
            listed = ", ".join(sorted(known)) or "aucun"
            raise RapportImpossible(f"projet « {projet} » inconnu : projets connus : {listed}")

    def nom_projet(self, projet: str) -> str:
        declared = self.context.config.projets.get(projet)
        return declared.nom if declared else projet


def _exercices_ouverts(entries: list[Any], context: LedgerContext) -> list[Exercice]:
    """The exercices the ledger opens before any entry of theirs: the first exercice that
    ``communs.yaml`` declares (``exercice.premier``), and every exercice whose first day
    carries an ``open`` or a ``balance`` (the reprise's check of the carried-over bank
    balance, ``communs init``'s accounts)."""
    from beancount.core import data

    calendrier = context.calendrier
    found: list[Exercice] = []
    premier = calendrier.config.premier
    if premier is not None:
        found.append(calendrier.containing(premier.debut))
    for entry in entries:
        if (
            isinstance(entry, data.Open | data.Balance)
            and calendrier.hors_exercice(entry.date) is None
        ):
            exercice = calendrier.containing(entry.date)
            if exercice.debut == entry.date and exercice not in found:
                found.append(exercice)
    return found
