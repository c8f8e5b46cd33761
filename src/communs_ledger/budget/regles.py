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

Each rule is a function with its example (:data:`CHECKS`, in the order of the
findings); :func:`evaluer` runs them. It is pure (no file is read): the Beancount
plugin turns its findings into warnings, the budget report shows them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..codes import is_charge_code
from ..exercices import Exercice, french_date
from ..formatage import BEFORE_UNIT, montant, nombre, pourcentage
from ..mouvements import Mouvement
from ..plan import Chart, load_chart
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


@dataclass(frozen=True, slots=True)
class Evaluation:
    """What the rules read: a version of the budget, the actual amounts of its exercice
    (:func:`~communs_ledger.budget.realise.rattacher`) and the day of the evaluation."""

    version: VersionBudget
    rattachement: Rattachement
    exercice: Exercice
    jour: datetime.date
    regles: ReglesBudget
    charges_projets: Mapping[str, Decimal]
    noms_projets: Mapping[str, str]
    lieux: Mapping[str, Location]
    chart: Chart

    @property
    def titre(self) -> str:
        return f"Budget {self.exercice.code}"

    @property
    def ecoules(self) -> int:
        """Months of the exercice ended on the day of the evaluation."""
        return mois_ecoules(self.exercice, self.jour)

    def realise(self, line: LigneBudget) -> Decimal:
        """The actual amount of a budget line."""
        return self.rattachement.par_ligne.get(line.cle, Decimal(0))

    def label(self, line: LigneBudget) -> str:
        """``Budget 2026, ligne 6226 Honoraires (projet JARDINS)``."""
        libelle = line.libelle
        if libelle is None:
            account = self.chart.get(line.compte)
            libelle = account.libelle if account is not None else None
        text = f"ligne {line.compte}" + (f" {libelle}" if libelle else "")
        if line.projet is not None:
            text += f" (projet {line.projet})"
        return f"{self.titre}, {text}"

    def projet_label(self, code: str) -> str:
        """``projet JARDINS « Jardins partagés »``."""
        nom = self.noms_projets.get(code)
        return f"projet {code}" + (f" « {nom} »" if nom else "")

    def lieu(self, rule: str) -> Location:
        """Where a rule is written in the config (project findings point there)."""
        return self.lieux.get(rule) or self.lieux.get("") or Location("communs.yaml")


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
    """The findings of the rules (:data:`CHECKS`, in this order) for ``version`` of
    ``exercice``'s budget at ``jour``.

    ``charges_projets`` comes from :func:`charges_par_projet` over the same
    movements as ``rattachement``; ``lieux`` gives the location of each rule in
    the config, where project findings (which have no budget line) point. A
    produits line without actual is reported by ``ligne_sans_realise`` only.
    """
    evaluation = Evaluation(
        version,
        rattachement,
        exercice,
        jour,
        regles,
        charges_projets,
        noms_projets or {},
        lieux or {},
        load_chart(exercice.version),
    )
    found: list[Constat] = []
    for check in CHECKS:
        found.extend(check(evaluation))
    return _sans_double_constat(found)


def _sans_double_constat(found: list[Constat]) -> list[Constat]:
    """Drop the ``produits_en_retard`` findings of the lines ``ligne_sans_realise`` reports."""
    sans_realise = {(c.compte, c.projet) for c in found if c.regle == LIGNE_SANS_REALISE}
    return [
        c
        for c in found
        if not (c.regle == PRODUITS_EN_RETARD and (c.compte, c.projet) in sans_realise)
    ]


Check = Callable[[Evaluation], list[Constat]]
"""A budget rule: the evaluation in, its findings out (none when the rule is off)."""


def _depasse(realise: Decimal, budget: Decimal, seuil: Decimal) -> bool:
    """Actual above the budget to date by more than ``seuil`` % (any charge above zero)."""
    return realise > budget * (1 + seuil / 100) and realise > 0


def check_depassement(evaluation: Evaluation) -> list[Constat]:
    """``depassement``: a charges line whose actual exceeds its budget to date by more than
    ``seuil`` %.

    Before (``seuil: 10``; line 6 of ``budgets/2026.yaml``: ``compte: "6226"``,
    ``montant: 6000``, uniform; 3 450,00 € of honoraires by 30 April 2026)::

        2026-04-30 * "Cabinet Durand" "Honoraires"
          Charges:62-Autres-services-exterieurs:6226-Honoraires  3450.00 EUR
          Actif:51-Banques:512-Banques:Compte-courant

    Finding, at the budget line::

        budgets/2026.yaml:6: Budget 2026, ligne 6226 Honoraires : réalisé 3 450,00 € pour
            un budget à date de 2 000,00 € (+72,5 %, seuil 10 %)
    """
    rule = evaluation.regles.depassement
    if not rule.actif:
        return []
    seuil = Decimal(rule.seuil)

    def detail(realise: Decimal, budget: Decimal) -> str | None:
        if not _depasse(realise, budget, seuil):
            return None
        return f"{_ecart(realise, budget)}seuil {_pour_cent(seuil)}"

    return _constats_des_lignes(evaluation, DEPASSEMENT, is_charge_code, detail)


def _constats_des_lignes(
    evaluation: Evaluation,
    code: str,
    retenir: Callable[[str], bool],
    detail: Callable[[Decimal, Decimal], str | None],
) -> list[Constat]:
    """The findings ``code`` of the budget lines whose account ``retenir`` keeps and whose
    réalisé and budget to date give a ``detail`` (None: the line is within the rule)."""
    found = []
    for line in evaluation.version.lignes:
        if not retenir(line.compte):
            continue
        budget, realise = line.a_date(evaluation.jour), evaluation.realise(line)
        text = detail(realise, budget)
        if text is not None:
            found.append(
                Constat(
                    code,
                    f"{evaluation.label(line)} : réalisé {montant(realise)} pour un budget à "
                    f"date de {montant(budget)} ({text})",
                    line.location,
                    line.compte,
                    line.projet,
                    realise,
                    budget,
                )
            )
    return found


def check_depassement_projets(evaluation: Evaluation) -> list[Constat]:
    """``depassement``, by project: a project's charges (class 6, whichever line covers
    them) exceed the sum of its charges lines to date by more than ``seuil`` %; not when
    the project's only line exceeding says the same figures.

    Before (``seuil: 10``; line 6 ``compte: "6226"``, ``projet: JARDINS``, ``montant:
    1200``, uniform; by 30 June 2026, 500 € of honoraires and 300 € of petit équipement,
    which no line of the project covers)::

        2026-06-30 * "Quincaillerie" "Outils"
          projet: "JARDINS"
          Charges:60-Achats:6063-Petit-equipement  300.00 EUR
          Actif:51-Banques:512-Banques:Compte-courant

    Finding, at ``budget: regles: depassement`` in the config::

        communs.yaml:3: Budget 2026, projet JARDINS « Jardins partagés » : charges
            réalisées 800,00 € pour un budget à date de 600,00 € (+33,3 %, seuil 10 %)
    """
    rule = evaluation.regles.depassement
    if not rule.actif:
        return []
    seuil = Decimal(rule.seuil)
    jour = evaluation.jour
    reported: set[tuple[str | None, Decimal | None, Decimal | None]] = {
        (c.projet, c.realise, c.budget)
        for c in check_depassement(evaluation)
        if c.projet is not None
    }
    budgets_projets: dict[str, Decimal] = {}
    for line in evaluation.version.lignes:
        if line.projet is not None and est_charge_du_projet(line.compte):
            budgets_projets[line.projet] = budgets_projets.get(
                line.projet, Decimal(0)
            ) + line.a_date(jour)
    found = []
    for projet, budget in budgets_projets.items():
        realise = evaluation.charges_projets.get(projet, Decimal(0))
        if not _depasse(realise, budget, seuil) or (projet, realise, budget) in reported:
            continue  # within budget, or the project's only line, reported with these figures
        found.append(
            Constat(
                DEPASSEMENT,
                f"{evaluation.titre}, {evaluation.projet_label(projet)} : charges réalisées "
                f"{montant(realise)} pour un budget à date de {montant(budget)} "
                f"({_ecart(realise, budget)}seuil {_pour_cent(seuil)})",
                evaluation.lieu(DEPASSEMENT),
                None,
                projet,
                realise,
                budget,
            )
        )
    return found


def check_produits_en_retard(evaluation: Evaluation) -> list[Constat]:
    """``produits_en_retard``: a produits line whose actual is below ``seuil`` % of its
    budget to date, once ``apres_mois`` months of the exercice have ended.

    Before (``seuil: 50, apres_mois: 3``; line 8 of ``budgets/2026.yaml``:
    ``compte: "741"``, ``montant: 24000``, uniform; 1 000 € received by 30 April 2026)::

        2026-04-15 * "Commune" "Acompte de la subvention"
          Actif:51-Banques:512-Banques:Compte-courant  1000.00 EUR
          Produits:74-Subventions:741-Subventions-d-exploitation

    Finding, at the budget line::

        budgets/2026.yaml:8: Budget 2026, ligne 741 Subventions d'exploitation : réalisé
            1 000,00 € pour un budget à date de 8 000,00 € (12,5 % du budget à date,
            seuil 50 %)
    """
    rule = evaluation.regles.produits_en_retard
    if not rule.actif or evaluation.ecoules < rule.apres_mois:
        return []
    seuil = Decimal(rule.seuil)

    def detail(realise: Decimal, budget: Decimal) -> str | None:
        if not (budget > 0 and realise < budget * seuil / 100):
            return None
        return f"{pourcentage(realise / budget)} du budget à date, seuil {_pour_cent(seuil)}"

    return _constats_des_lignes(evaluation, PRODUITS_EN_RETARD, est_produit, detail)


def check_projet_sans_budget(evaluation: Evaluation) -> list[Constat]:
    """``projet_sans_budget``: a project with charges in the exercice but no budget line.

    Before (no line of project ECOLE in the budget)::

        2026-02-10 * "Librairie" "Manuels"
          projet: "ECOLE"
          Charges:60-Achats:6064-Fournitures-administratives  120.00 EUR
          Actif:51-Banques:512-Banques:Compte-courant

    Finding, at ``budget: regles: projet_sans_budget`` in the config (or ``budget:``)::

        communs.yaml:2: Budget 2026 : le projet ECOLE « École » a 120,00 € de charges sur
            l'exercice mais aucune ligne dans le budget
    """
    rule = evaluation.regles.projet_sans_budget
    if not rule.actif or evaluation.ecoules < rule.apres_mois:
        return []
    budgeted = {line.projet for line in evaluation.version.lignes if line.projet is not None}
    found = []
    for projet in sorted(evaluation.charges_projets):
        if projet in budgeted:
            continue
        realise = evaluation.charges_projets[projet]
        found.append(
            Constat(
                PROJET_SANS_BUDGET,
                f"{evaluation.titre} : le {evaluation.projet_label(projet)} a "
                f"{montant(realise)} de charges sur l'exercice mais aucune ligne dans le budget",
                evaluation.lieu(PROJET_SANS_BUDGET),
                None,
                projet,
                realise,
                None,
            )
        )
    return found


def check_ligne_sans_realise(evaluation: Evaluation) -> list[Constat]:
    """``ligne_sans_realise``: a line no posting of the exercice reaches, once
    ``apres_mois`` months have ended, while something is expected by then.

    Before (``apres_mois: 6``; line 10 of ``budgets/2026.yaml``: ``compte: "6161"``,
    ``montant: 1200``, uniform; no insurance posted by 31 July 2026)::

        2026-07-31 * "Cabinet Durand" "Honoraires"      ; the last transaction
          ...

    Finding, at the budget line::

        budgets/2026.yaml:10: Budget 2026, ligne 6161 Multirisques : aucune écriture sur
            l'exercice au 31 juillet 2026, après 7 mois (budget annuel 1 200,00 €, à date
            700,00 €)
    """
    rule = evaluation.regles.ligne_sans_realise
    ecoules = evaluation.ecoules
    if not rule.actif or ecoules < rule.apres_mois:
        return []
    jour = evaluation.jour
    found = []
    for line in evaluation.version.lignes:
        if line.cle in evaluation.rattachement.comptes_par_ligne or line.a_date(jour) <= 0:
            continue
        found.append(
            Constat(
                LIGNE_SANS_REALISE,
                f"{evaluation.label(line)} : aucune écriture sur l'exercice au "
                f"{french_date(jour)}, après {ecoules} mois (budget annuel "
                f"{montant(line.montant)}, à date {montant(line.a_date(jour))})",
                line.location,
                line.compte,
                line.projet,
                Decimal(0),
                line.montant,
            )
        )
    return found


CHECKS: tuple[Check, ...] = (
    check_depassement,
    check_depassement_projets,
    check_produits_en_retard,
    check_projet_sans_budget,
    check_ligne_sans_realise,
)
"""The budget rules, in the order of their findings."""


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
