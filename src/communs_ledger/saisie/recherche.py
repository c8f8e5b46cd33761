"""The accounts of a guided entry: named by a number, a name, or everyday words.

A number or a name goes through the bank import's rules
(:class:`~communs_ledger.importation.comptes.Comptes`: exact code, else the one code that
extends it, else the name's end). Words are searched without accents or capitals in the
open accounts' names and in the chart's labels of their numbers, and through the
everyday words of ``plan_comptable/saisie.yaml`` (« loyer » → 6132). A number no open
account carries names the starter account of ``communs init`` with that number: the
entry opens it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..codes import account_code
from ..importation.comptes import CompteIntrouvable, Comptes, compte_de_depart
from ..plan import Chart, fold, load_data_yaml


@cache
def reglages() -> dict[str, Any]:
    """``plan_comptable/saisie.yaml``: default accounts, everyday words, 86 → 87 pairs."""
    data: dict[str, Any] = load_data_yaml("saisie.yaml")
    return data


@dataclass(frozen=True)
class Repertoire:
    """What names an account in a ledger: its open accounts, the chart in force, its
    roots, and the day an account the entry needs is opened (the exercice's first)."""

    comptes: Comptes
    chart: Chart
    racines: dict[str, str]
    ouverture: datetime.date
    banque: str | None = None
    """The bank account of ``communs.yaml`` (``importation.compte``), if any."""

    def _libelle(self, nom: str) -> str:
        code = account_code(nom)
        found = self.chart.nearest(code) if code else None
        return found.libelle if found else ""

    def _par_prefixe(self, code: str) -> list[str]:
        return [nom for nom in self.comptes.noms if (account_code(nom) or "").startswith(code)]

    def chercher(self, texte: str) -> list[str]:
        """Open accounts that ``texte`` may name (number, name's end, or words)."""
        query = fold(texte).strip()
        if not query:
            return []
        if query.isdigit():
            return self._par_prefixe(query)
        synonyme = reglages()["synonymes"].get(query)
        par_synonyme = self._par_prefixe(str(synonyme)) if synonyme else []
        words = query.split()
        par_mots = [
            nom
            for nom in self.comptes.noms
            if all(
                word in fold(nom.replace("-", " ").replace(":", " ") + " " + self._libelle(nom))
                for word in words
            )
        ]
        both = [nom for nom in par_synonyme if nom in par_mots]
        return both or par_synonyme or par_mots

    def resoudre(self, texte: str) -> tuple[str, bool]:
        """The account ``texte`` names, and whether the entry must open it;
        :class:`CompteIntrouvable` (French) when none or several match."""
        texte = texte.strip()
        if not texte:
            raise CompteIntrouvable("compte manquant")
        if texte.isdigit() or texte in self.comptes.ouverture:
            if texte.isdigit() and not self._par_prefixe(texte):
                depart = compte_de_depart(texte, self.chart.version, self.racines)
                if depart is None:
                    raise CompteIntrouvable(
                        f"aucun compte {texte} ouvert dans le grand livre, ni dans le jeu de "
                        "départ de communs init : ouvrez-le (ligne open) ou indiquez un autre "
                        "compte"
                    )
                return depart, True
            return self.comptes.trouver(texte), False
        try:  # a full name or a name's end (« Livret », « 441-Subventions-a-recevoir:Etat »)
            return self.comptes.trouver(texte), False
        except CompteIntrouvable:
            pass
        found = self.chercher(texte)
        if len(found) == 1:
            return found[0], False
        if found:
            shown = ", ".join(found[:6]) + (
                f" et {len(found) - 6} autres" if len(found) > 6 else ""
            )
            raise CompteIntrouvable(
                f"« {texte} » désigne plusieurs comptes : {shown} : précisez (numéro ou nom)"
            )
        raise CompteIntrouvable(
            f"aucun compte ouvert ne répond à « {texte} » (cherchez avec communs "
            "plan-comptable, puis indiquez un numéro, ex. 6132)"
        )

    def par_role(self, role: str) -> tuple[str, bool]:
        """The default account of a role of ``saisie.yaml`` (banque, fournisseurs…)."""
        if role == "banque" and self.banque:
            return self.resoudre(self.banque)
        choix = reglages()["comptes"][role]
        candidats = [str(c) for c in choix] if isinstance(choix, list) else [str(choix)]
        for candidat in candidats[:-1]:
            try:
                return self.resoudre(candidat)
            except CompteIntrouvable:
                continue
        return self.resoudre(candidats[-1])

    def ressource_en_nature(self, emploi: str) -> tuple[str, bool]:
        """The 87x account that answers the 86x account ``emploi``."""
        code = account_code(emploi) or ""
        pairs: dict[str, str] = {str(k): str(v) for k, v in reglages()["contributions"].items()}
        for length in range(len(code), 1, -1):
            if code[:length] in pairs:
                return self.resoudre(pairs[code[:length]])
        raise CompteIntrouvable(
            f"{emploi} n'est pas un emploi de contributions en nature (86x) : indiquez la "
            "contrepartie 87x avec --contrepartie"
        )
