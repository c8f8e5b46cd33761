"""Budget vs réalisé rules: the warnings a budget raises against the ledger.

Configured in ``communs.yaml`` (every rule is active by default)::

    budget:
      regles:
        depassement: {seuil: 10}                     # %
        produits_en_retard: {seuil: 50, apres_mois: 3}
        projet_sans_budget: {actif: true}
        ligne_sans_realise: {apres_mois: 6}

The rules compare a version of the budget with the actual amounts of an
exercice (:func:`communs_ledger.budget.realise.rattacher`) at a date, the
*budget to date* of a line being :meth:`LigneBudget.a_date` (whole periods
ended, the current one pro rata temporis):

- ``depassement``: a charges line (classes 6 and 86) whose actual exceeds its
  budget to date by more than ``seuil`` % (a budget to date of zero is exceeded
  by any charge); likewise a project's total charges (every charges posting of
  the project, whichever line covers it) against the sum of its charges lines;
- ``produits_en_retard``: a produits line (classes 7 and 87) whose actual is
  below ``seuil`` % of its budget to date, once ``apres_mois`` months of the
  exercice have ended;
- ``projet_sans_budget``: a project with charges in the exercice but no line
  in the budget;
- ``ligne_sans_realise``: a line that no posting of the exercice reaches, once
  ``apres_mois`` months of the exercice have ended, and while something is
  expected by then (a budget to date above zero: a December bonus or a year-end
  depreciation is not reported in July). A produits line reported here is not
  reported again as ``produits_en_retard``.

:func:`evaluer` is pure (no file is read): the Beancount plugin turns its
findings into warnings, the budget report shows them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..exercices import Exercice, french_date
from ..formatage import BEFORE_UNIT, montant, nombre, pourcentage
from ..mouvements import Mouvement
from ..plan import load_chart
from ..sources import Location
from .fichier import LigneBudget, VersionBudget
from .profils import mois_de
from .realise import Rattachement, sens
from .reglages import ReglesBudget

DEPASSEMENT = "depassement"
PRODUITS_EN_RETARD = "produits_en_retard"
PROJET_SANS_BUDGET = "projet_sans_budget"
LIGNE_SANS_REALISE = "ligne_sans_realise"
REGLES = (DEPASSEMENT, PRODUITS_EN_RETARD, PROJET_SANS_BUDGET, LIGNE_SANS_REALISE)


@dataclass(frozen=True)
class Constat:
    """One finding of a rule: a French message and where to look."""

    regle: str
    message: str
    location: Location
    compte: str | None = None
    projet: str | None = None
    realise: Decimal | None = None
    budget: Decimal | None = None
    """Budget to date (annual budget for ``ligne_sans_realise``)."""


def est_charge(code: str) -> bool:
    """Charges for the rules: classes 6 and 86 (contributions, emplois)."""
    return code[:1] == "6" or code[:2] == "86"


def est_produit(code: str) -> bool:
    """Produits for the rules: classes 7 and 87 (contributions, ressources)."""
    return code[:1] == "7" or code[:2] == "87"


def mois_ecoules(exercice: Exercice, jour: datetime.date) -> int:
    """Months of the exercice ended on ``jour`` (a month ends on its last day)."""
    return sum(1 for _debut, fin in mois_de(exercice) if fin <= jour)


def est_charge_du_projet(code: str) -> bool:
    """Charges counted in a project's total: class 6 only, as in the budget report's
    « Par projet » part (contributions en nature 86 are shown apart)."""
    return code[:1] == "6"


def charges_par_projet(mouvements: Iterable[Mouvement]) -> dict[str, Decimal]:
    """Each project with charges postings (class 6), and its net charges (débits − crédits).

    A project is present as soon as one charges posting names it, even if they net to zero.
    """
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for movement in mouvements:
        code = movement.code
        if movement.projet is not None and code is not None and est_charge_du_projet(code):
            totals[movement.projet] += movement.montant * sens(code)
    return dict(totals)


def evaluer(
    version: VersionBudget,
    rattachement: Rattachement,
    exercice: Exercice,
    jour: datetime.date,
    regles: ReglesBudget,
    *,
    charges_projets: Mapping[str, Decimal],
    noms_projets: Mapping[str, str] | None = None,
    lieux: Mapping[str, Location] | None = None,
) -> list[Constat]:
    """The findings of the rules for ``version`` of ``exercice``'s budget at ``jour``.

    ``charges_projets`` comes from :func:`charges_par_projet` over the same
    movements as ``rattachement``; ``lieux`` gives the location of each rule in
    the config, where project findings (which have no budget line) point.
    """
    lieux = lieux or {}
    noms = noms_projets or {}
    titre = f"Budget {exercice.code}"
    ecoules = mois_ecoules(exercice, jour)
    chart = load_chart(exercice.version)
    found: list[Constat] = []

    def label(line: LigneBudget) -> str:
        libelle = line.libelle
        if libelle is None:
            account = chart.get(line.compte)
            libelle = account.libelle if account is not None else None
        text = f"ligne {line.compte}" + (f" {libelle}" if libelle else "")
        if line.projet is not None:
            text += f" (projet {line.projet})"
        return f"{titre}, {text}"

    def projet_label(code: str) -> str:
        nom = noms.get(code)
        return f"projet {code}" + (f" « {nom} »" if nom else "")

    def lieu(rule: str) -> Location:
        return lieux.get(rule) or lieux.get("") or Location("communs.yaml")

    lines = version.lignes
    actual = rattachement.par_ligne

    rule = regles.depassement
    if rule.actif:
        seuil = Decimal(rule.seuil)
        factor = 1 + seuil / 100
        reported: set[tuple[str, Decimal, Decimal]] = set()
        for line in lines:
            if not est_charge(line.compte):
                continue
            budget, realise = line.a_date(jour), actual.get(line.cle, Decimal(0))
            if realise > budget * factor and realise > 0:
                found.append(
                    Constat(
                        DEPASSEMENT,
                        f"{label(line)} : réalisé {montant(realise)} pour un budget à date "
                        f"de {montant(budget)} ({_ecart(realise, budget)}seuil "
                        f"{_pour_cent(seuil)})",
                        line.location,
                        line.compte,
                        line.projet,
                        realise,
                        budget,
                    )
                )
                if line.projet is not None:
                    reported.add((line.projet, realise, budget))
        budgets_projets: dict[str, Decimal] = {}
        for line in lines:
            if line.projet is not None and est_charge_du_projet(line.compte):
                budgets_projets[line.projet] = budgets_projets.get(
                    line.projet, Decimal(0)
                ) + line.a_date(jour)
        for projet, budget in budgets_projets.items():
            realise = charges_projets.get(projet, Decimal(0))
            if realise > budget * factor and realise > 0:
                if (projet, realise, budget) in reported:
                    continue  # the project's only line, already reported with the same figures
                found.append(
                    Constat(
                        DEPASSEMENT,
                        f"{titre}, {projet_label(projet)} : charges réalisées "
                        f"{montant(realise)} pour un budget à date de {montant(budget)} "
                        f"({_ecart(realise, budget)}seuil {_pour_cent(seuil)})",
                        lieu(DEPASSEMENT),
                        None,
                        projet,
                        realise,
                        budget,
                    )
                )

    rule_produits = regles.produits_en_retard
    if rule_produits.actif and ecoules >= rule_produits.apres_mois:
        seuil = Decimal(rule_produits.seuil)
        for line in lines:
            if not est_produit(line.compte):
                continue
            budget, realise = line.a_date(jour), actual.get(line.cle, Decimal(0))
            if budget > 0 and realise < budget * seuil / 100:
                found.append(
                    Constat(
                        PRODUITS_EN_RETARD,
                        f"{label(line)} : réalisé {montant(realise)} pour un budget à date "
                        f"de {montant(budget)} ({pourcentage(realise / budget)} du budget "
                        f"à date, seuil {_pour_cent(seuil)})",
                        line.location,
                        line.compte,
                        line.projet,
                        realise,
                        budget,
                    )
                )

    rule_projets = regles.projet_sans_budget
    if rule_projets.actif and ecoules >= rule_projets.apres_mois:
        budgeted = {line.projet for line in lines if line.projet is not None}
        for projet in sorted(charges_projets):
            if projet in budgeted:
                continue
            realise = charges_projets[projet]
            found.append(
                Constat(
                    PROJET_SANS_BUDGET,
                    f"{titre} : le {projet_label(projet)} a {montant(realise)} de charges "
                    f"sur l'exercice mais aucune ligne dans le budget",
                    lieu(PROJET_SANS_BUDGET),
                    None,
                    projet,
                    realise,
                    None,
                )
            )

    rule_lignes = regles.ligne_sans_realise
    if rule_lignes.actif and ecoules >= rule_lignes.apres_mois:
        for line in lines:
            if line.cle in rattachement.comptes_par_ligne or line.a_date(jour) <= 0:
                continue
            found = [
                c
                for c in found
                if not (c.regle == PRODUITS_EN_RETARD and (c.compte, c.projet) == line.cle)
            ]
            found.append(
                Constat(
                    LIGNE_SANS_REALISE,
                    f"{label(line)} : aucune écriture sur l'exercice au {french_date(jour)}, "
                    f"après {ecoules} mois (budget annuel {montant(line.montant)}, "
                    f"à date {montant(line.a_date(jour))})",
                    line.location,
                    line.compte,
                    line.projet,
                    Decimal(0),
                    line.montant,
                )
            )
    return found


def _ecart(realise: Decimal, budget: Decimal) -> str:
    """``+38,0 %, `` (nothing when the budget to date is zero: no percentage)."""
    if budget <= 0:
        return ""
    text = pourcentage(realise / budget - 1)
    return ("+" if not text.startswith("-") else "") + text + ", "


def _pour_cent(value: Decimal) -> str:
    """A threshold as written: ``10 %``, ``12,5 %``."""
    exponent = value.normalize().as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return f"{nombre(value, decimals)}{BEFORE_UNIT}%"
