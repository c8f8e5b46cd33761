"""Donors and members an import rule may name (``donateur:`` / ``adherent:``).

A rule of a 754 account may set the ``donateur:`` metadata of the entries it makes, a
rule of a 756 account their ``adherent:``: a fixed code (``donateur: DURAND-M``), a
variable (``donateur: "{nom}"``), or a named group ``(?P<donateur>…)`` /
``(?P<adherent>…)`` of its regex. The value is looked up in the register
(``donateurs.yaml`` / ``adherents.yaml``, given by the caller as a :class:`RepertoireDePersonnes`):
by code, else by name, case, accents, hyphens and word order ignored (a bank writes
« DURAND MARIE » for Marie Durand). A fixed value naming nobody stops the loading of the
rules at the rule's line; a value read on a statement line and naming nobody leaves the
entry flagged ``!`` for review, without the metadata.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..plan import fold

CHAMPS: dict[str, tuple[str, str]] = {
    "donateur": ("754", "dons"),
    "adherent": ("756", "cotisations"),
}
"""Key of a rule → (account prefix it needs, what the account holds)."""

REGISTRES = {"donateur": "registre des donateurs", "adherent": "registre des adhérents"}


def cle_de_nom(text: str) -> str:
    """A name as compared: folded, hyphens as spaces, words sorted."""
    return " ".join(sorted(fold(text).replace("-", " ").split()))


@dataclass(frozen=True, slots=True)
class RepertoireDePersonnes:
    """The people of one register: names by code; ``fichier`` the register as shown to
    the user (None: no register declared in ``communs.yaml``)."""

    noms: dict[str, str] = field(default_factory=dict)
    fichier: str | None = None
    illisible: bool = False
    """The register has errors (``communs verifier`` lists them)."""

    def trouver(self, valeur: str) -> tuple[str | None, str]:
        """The code ``valeur`` designates (a code or a name), or None and why not."""
        valeur = valeur.strip()
        if valeur in self.noms:
            return valeur, ""
        if self.fichier is None:
            return None, "aucun registre déclaré (dons: dans communs.yaml)"
        if self.illisible:
            return None, f"{self.fichier} a des erreurs (communs verifier)"
        par_code = [code for code in self.noms if code.casefold() == valeur.casefold()]
        if len(par_code) == 1:
            return par_code[0], ""
        cle = cle_de_nom(valeur)
        par_nom = [code for code, nom in self.noms.items() if cle and cle_de_nom(nom) == cle]
        if len(par_nom) == 1:
            return par_nom[0], ""
        if par_nom:
            return None, f"plusieurs personnes de ce nom dans {self.fichier} ({', '.join(par_nom)})"
        return None, f"absent de {self.fichier}"


@dataclass(frozen=True, slots=True)
class Personnes:
    """The donors' and members' registers the rules are checked against."""

    donateurs: RepertoireDePersonnes = field(default_factory=RepertoireDePersonnes)
    adherents: RepertoireDePersonnes = field(default_factory=RepertoireDePersonnes)

    def repertoire(self, champ: str) -> RepertoireDePersonnes:
        return self.donateurs if champ == "donateur" else self.adherents
