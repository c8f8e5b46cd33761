"""The figures of the treasurer's financial report to the assemblée générale
(``communs rapport-financier``), every one read from the engine that computes it:

- key figures N and N-1: produits, charges and résultat of the compte de résultat
  (:func:`~communs_ledger.rapports.resultat.compute_compte_de_resultat`, N-1 as its N-1
  column), fonds propres and fonds dédiés of the bilan, trésorerie à la clôture (the
  diagnostic's trésorerie constatée);
- where the money came from: the resources by origin of ``communs ressources``
  (:func:`~communs_ledger.modele_economique.calcul.ressources_de`), public subsidies by
  funder type and the funders; what is not a new resource (reprises, fonds dédiés used,
  transfers…) is one more row, so that the rows add up to the produits;
- where it went: the charges by nature (two-digit chapter of class 6) and, when entries
  carry projects, produits and charges by project (entries without one: « sans projet »);
- the result and its affectation: the one booked after the AG's vote, else the board's
  proposal (``comptes_annuels.exercices.<code>.affectation_proposee``), else the whole
  result to report à nouveau, under the rules of the closing
  (:func:`~communs_ledger.cloture.affectation.affectation_proposee`);
- budget vs réalisé (:func:`~communs_ledger.budget.suivi.compute_suivi`, its latest
  version: the budget as last revised);
- the fonds dédiés of the annexe (opening, reports, utilisations, closing);
- the cash curve: treasury accounts (class 5 except 59) at each month end of N and N-1,
  and the months of charges in reserve: trésorerie constatée / (charges d'exploitation
  décaissables of the exercice / its months), as the diagnostic counts them;
- the diagnostic's indicators (:func:`~communs_ledger.rapports.diagnostic.compute_diagnostic`)
  with a plain-French reading;
- the budget of the next exercice, if its file exists: its first version, the one put to
  the AG's vote (revisions come later).

What is missing (comments file, budgets, the board's proposal) is listed in
:attr:`RapportFinancier.a_completer`, and shown « À compléter » in the document.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..budget.cerfa import modele_cerfa
from ..budget.fichier import Budgets
from ..budget.suivi import CHARGES, PRODUITS, SuiviBudget, classe_de, compute_suivi
from ..cloture.affectation import (
    CODE_RESERVES,
    AffectationImpossible,
    affectation_proposee,
    deja_affecte,
)
from ..codes import account_code, est_tresorerie
from ..comptes_annuels.annexe import (
    LIGNE_FONDS_DEDIES,
    FondsDedieAnnexe,
    conventions_lues,
    variation_des_fonds_dedies,
)
from ..comptes_annuels.reglages import comptes_annuels_config
from ..conventions.fichier import Conventions
from ..dates import ONE_DAY, Mois, last_day, month_of, months_from_to
from ..exercices import Exercice
from ..formatage import montant, nombre, pourcentage
from ..modele_economique.calcul import RessourcesExercice, origines, ressources_de
from ..montants import ZERO, round_to
from ..mouvements import Mouvement
from ..plan import load_chart
from ..rapports.bilan import BilanALaDate, compute_bilan
from ..rapports.diagnostic import DiagnosticFinancier, Mesures, compute_diagnostic
from ..rapports.indicateurs import Indicateur, indicateurs, premiere_phrase, texte_seuils
from ..rapports.reglages import diagnostic_config
from ..rapports.resultat import ResultatDeLaPeriode, compute_compte_de_resultat
from ..rapports.source import RapportImpossible, Source
from ..sources import SourceError
from .commentaires import Commentaires, lire_commentaires

A_COMPLETER = "À compléter"
HORS_RESSOURCES = "hors_ressources"
SANS_PROJET = "Sans projet (frais de structure)"
INDICATEURS = (
    "fonds_de_roulement",
    "besoin_en_fonds_de_roulement",
    "capacite_autofinancement",
    "tresorerie_jours",
    "fonds_propres_mois",
    "part_subventions_publiques",
    "part_charges_personnel",
    "resultat_sur_produits",
)
"""The diagnostic's indicators the report reads out (the controls are left to the
diagnostic)."""

SECTIONS: dict[str, str] = {
    "chiffres_cles": "Les chiffres clés",
    "ressources": "D'où vient l'argent",
    "charges": "Où va l'argent",
    "projets": "Les projets",
    "resultat": "Le résultat et son affectation",
    "budget": "Le budget et le réalisé",
    "fonds_dedies": "Les fonds dédiés",
    "tresorerie": "La trésorerie",
    "diagnostic": "Les indicateurs financiers",
    "budget_suivant": "Le budget de l'exercice suivant",
}
"""The sections of the report, in order (id → title); the comments file names them."""


@dataclass(frozen=True, slots=True)
class ChiffresCles:
    exercice: Exercice
    produits: Decimal
    charges: Decimal
    resultat: Decimal
    fonds_propres: Decimal
    tresorerie: Decimal
    """Trésorerie constatée at the closing (the diagnostic's)."""
    fonds_dedies: Decimal


@dataclass(frozen=True, slots=True)
class PosteChiffre:
    """A row with its amount in N and, when there is one, in N-1."""

    id: str
    libelle: str
    n: Decimal
    n1: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ProjetRealise:
    code: str | None
    """None for the entries without a project."""
    nom: str
    produits: Decimal
    charges: Decimal

    @property
    def resultat(self) -> Decimal:
        return self.produits - self.charges


@dataclass(frozen=True, slots=True)
class AffectationDuResultat:
    resultat: Decimal
    report_a_nouveau: Decimal
    reserves: Decimal
    origine: str
    """``votee`` (booked), ``proposee`` (communs.yaml) or ``par_defaut``."""
    date: datetime.date | None = None
    """The day of the booked affectation."""


@dataclass(frozen=True, slots=True)
class BudgetRealise:
    version: str
    """The name of the budget version compared."""
    produits_budget: Decimal
    produits_realise: Decimal
    charges_budget: Decimal
    charges_realise: Decimal

    @property
    def resultat_budget(self) -> Decimal:
        return self.produits_budget - self.charges_budget

    @property
    def resultat_realise(self) -> Decimal:
        return self.produits_realise - self.charges_realise


@dataclass(frozen=True, slots=True)
class BudgetSuivant:
    exercice: Exercice
    version: str
    date: datetime.date
    produits: tuple[PosteChiffre, ...]
    """By chapter (two-digit code)."""
    charges: tuple[PosteChiffre, ...]

    @property
    def total_produits(self) -> Decimal:
        return sum((p.n for p in self.produits), ZERO)

    @property
    def total_charges(self) -> Decimal:
        return sum((p.n for p in self.charges), ZERO)

    @property
    def resultat(self) -> Decimal:
        return self.total_produits - self.total_charges


@dataclass(frozen=True, slots=True)
class MoisDeTresorerie:
    """Cash at the end of a month of N, and of the same month of N-1."""

    mois: Mois
    n: Decimal
    n1: Decimal | None


@dataclass(frozen=True, slots=True)
class IndicateurLu:
    id: str
    libelle: str
    unite: str
    n: Decimal | None
    n1: Decimal | None
    statut: str | None
    sens: str
    """What it means, and the verdict against its thresholds."""
    lecture: str
    """The plain-French sentence: the values, then :attr:`sens`."""


@dataclass(frozen=True)
class RapportFinancier:
    exercice: Exercice
    precedent: Exercice | None
    chiffres: ChiffresCles
    chiffres_n1: ChiffresCles | None
    ressources: tuple[PosteChiffre, ...]
    """By origin, then the produits that are not new resources; they add up to the
    produits."""
    subventions_par_type: tuple[PosteChiffre, ...]
    financeurs: tuple[PosteChiffre, ...]
    """The identified funders of N, largest first."""
    contributions_volontaires: PosteChiffre
    charges: tuple[PosteChiffre, ...]
    """By nature (two-digit chapter of class 6); they add up to the charges."""
    projets: tuple[ProjetRealise, ...]
    affectation: AffectationDuResultat
    budget: BudgetRealise | None
    fonds_dedies: tuple[FondsDedieAnnexe, ...] | None
    """None without a conventions file."""
    tresorerie: tuple[MoisDeTresorerie, ...]
    mois_de_reserve: Decimal | None
    indicateurs: tuple[IndicateurLu, ...]
    budget_suivant: BudgetSuivant | None
    exercice_suivant: Exercice
    commentaires: Commentaires
    a_completer: tuple[str, ...]
    derniere_ecriture: datetime.date | None = None
    """The last entry's date when it falls before the end of the exercice (in progress)."""

    @property
    def total_ressources(self) -> PosteChiffre:
        return _total("total", "Total des produits", self.ressources)

    @property
    def total_charges(self) -> PosteChiffre:
        return _total("total", "Total des charges", self.charges)


def _total(id_: str, libelle: str, postes: Sequence[PosteChiffre]) -> PosteChiffre:
    with_n1 = any(p.n1 is not None for p in postes)
    n1 = sum((p.n1 or ZERO for p in postes), ZERO) if with_n1 else None
    return PosteChiffre(id_, libelle, sum((p.n for p in postes), ZERO), n1)


def _chiffres(
    periode: ResultatDeLaPeriode, bilan: BilanALaDate, mesures: Mesures | None
) -> ChiffresCles:
    return ChiffresCles(
        exercice=periode.exercice,
        produits=periode.total_produits,
        charges=periode.total_charges,
        resultat=periode.resultat_net,
        fonds_propres=bilan.fonds_propres,
        tresorerie=mesures.tresorerie_constatee if mesures is not None else ZERO,
        fonds_dedies=bilan.fonds_dedies,
    )


# --- Where the money came from and went -------------------------------------------------------


def _ressources(
    n: RessourcesExercice, n1: RessourcesExercice | None, produits: ChiffresCles, avant: Decimal
) -> tuple[PosteChiffre, ...]:
    """By origin, then the produits that are not resources (``avant``: their N-1)."""
    rows = [
        PosteChiffre(
            o.id,
            o.libelle,
            n.par_origine.get(o.id, ZERO),
            n1.par_origine.get(o.id, ZERO) if n1 is not None else None,
        )
        for o in origines()
        if n.par_origine.get(o.id) or (n1 is not None and n1.par_origine.get(o.id))
    ]
    rows.append(
        PosteChiffre(
            HORS_RESSOURCES,
            "Reprises, fonds dédiés utilisés et autres produits",
            produits.produits - n.total,
            avant if n1 is not None else None,
        )
    )
    return tuple(rows)


def _subventions_par_type(
    n: RessourcesExercice, n1: RessourcesExercice | None, libelles: dict[str, str]
) -> tuple[PosteChiffre, ...]:
    types = [t for t, amount in n.par_type.items() if amount]
    types += [t for t, amount in (n1.par_type.items() if n1 else ()) if amount and t not in types]
    return tuple(
        PosteChiffre(
            t,
            libelles.get(t, t),
            n.par_type.get(t, ZERO),
            n1.par_type.get(t, ZERO) if n1 is not None else None,
        )
        for t in sorted(types, key=lambda t: (-n.par_type.get(t, ZERO), t))
    )


def _financeurs(n: RessourcesExercice, n1: RessourcesExercice | None) -> tuple[PosteChiffre, ...]:
    rows = [
        PosteChiffre(
            f"financeur:{name}", name, amount, n1.par_financeur.get(name, ZERO) if n1 else None
        )
        for name, amount in n.premiers(len(n.par_financeur))
    ]
    if n.non_identifie:
        rows.append(PosteChiffre("non_identifie", "Financeur non identifié", n.non_identifie))
    return tuple(rows)


def _par_chapitre(mouvements: Iterable[Mouvement], classe: str) -> dict[str, Decimal]:
    """Σ by two-digit chapter of the codes of ``classe`` (charges: debit positive)."""
    found: dict[str, Decimal] = defaultdict(Decimal)
    for m in mouvements:
        code = m.code or ""
        if code[:1] == classe:
            found[code[:2]] += m.montant if classe == "6" else -m.montant
    return found


def _charges(
    source: Source, exercice: Exercice, precedent: Exercice | None
) -> tuple[PosteChiffre, ...]:
    chart = load_chart(exercice.version)
    n = _par_chapitre(source.mouvements.entre(exercice.debut, exercice.fin), "6")
    n1 = (
        _par_chapitre(source.mouvements.entre(precedent.debut, precedent.fin), "6")
        if precedent is not None
        else None
    )
    rows = []
    for chapitre in sorted(set(n) | set(n1 or {})):
        if not n.get(chapitre) and not (n1 or {}).get(chapitre):
            continue
        account = chart.nearest(chapitre)
        libelle = account.libelle if account is not None else f"Comptes {chapitre}"
        rows.append(
            PosteChiffre(
                chapitre,
                libelle,
                n.get(chapitre, ZERO),
                n1.get(chapitre, ZERO) if n1 is not None else None,
            )
        )
    return tuple(rows)


def _projets(source: Source, exercice: Exercice) -> tuple[ProjetRealise, ...]:
    moves = source.mouvements.entre(exercice.debut, exercice.fin)
    if not any(m.projet for m in moves):
        return ()
    produits: dict[str | None, Decimal] = defaultdict(Decimal)
    charges: dict[str | None, Decimal] = defaultdict(Decimal)
    for m in moves:
        code = m.code or ""
        if code[:1] == "7":
            produits[m.projet] -= m.montant
        elif code[:1] == "6":
            charges[m.projet] += m.montant
    codes = sorted({p for p in (*produits, *charges) if p is not None})
    rows = [
        ProjetRealise(code, source.nom_projet(code), produits[code], charges[code])
        for code in codes
    ]
    if produits.get(None) or charges.get(None):
        rows.append(ProjetRealise(None, SANS_PROJET, produits[None], charges[None]))
    return tuple(rows)


# --- Result, budgets, fonds dédiés --------------------------------------------------------------


def _affectation(
    source: Source, exercice: Exercice, a_completer: list[str]
) -> AffectationDuResultat:
    booked = deja_affecte(source.entries, exercice)
    jour = exercice.fin + ONE_DAY
    if booked is not None:
        reserves = -sum(
            (
                p.units.number
                for p in booked.postings
                if p.units is not None
                and isinstance(p.units.number, Decimal)
                and (account_code(p.account) or "").startswith(CODE_RESERVES)
            ),
            ZERO,
        )
        voted = affectation_proposee(source, exercice, booked.date, None, reserves, votee=True)
        return AffectationDuResultat(
            voted.resultat, voted.report_a_nouveau, voted.reserves, "votee", booked.date
        )
    conf = comptes_annuels_config(source.context.config).exercice(exercice.code)
    proposal = conf.affectation_proposee
    if proposal is None or (proposal.reserves is None and proposal.report_a_nouveau is None):
        a_completer.append(
            f"proposition d'affectation du résultat (comptes_annuels.exercices."
            f'"{exercice.code}".affectation_proposee : reserves, report_a_nouveau) ; '
            "par défaut, tout le résultat en report à nouveau"
        )
        found = affectation_proposee(source, exercice, jour, None, ZERO)
        return AffectationDuResultat(
            found.resultat, found.report_a_nouveau, found.reserves, "par_defaut"
        )
    try:
        found = affectation_proposee(
            source, exercice, jour, proposal.report_a_nouveau, proposal.reserves
        )
    except AffectationImpossible as exc:
        where = source.context.config.location(
            "comptes_annuels", "exercices", exercice.code, "affectation_proposee"
        )
        # the closing's message speaks of the command's options and of what it writes
        why = str(exc).replace("--reserves ", "reserves ").replace(" (--report-a-nouveau)", "")
        why = why.removesuffix(". Rien n'est écrit").removesuffix(" : rien n'est écrit")
        raise RapportImpossible(f"{where}: affectation proposée : {why}") from None
    return AffectationDuResultat(found.resultat, found.report_a_nouveau, found.reserves, "proposee")


def _budget_realise(suivi: SuiviBudget) -> BudgetRealise:
    return BudgetRealise(
        version=suivi.version.nom,
        produits_budget=suivi.total_produits.budget_annuel,
        produits_realise=suivi.total_produits.realise,
        charges_budget=suivi.total_charges.budget_annuel,
        charges_realise=suivi.total_charges.realise,
    )


def _budget_suivant(budgets: Budgets, suivant: Exercice) -> BudgetSuivant | None:
    budget = budgets.pour(suivant)
    if budget is None or not budget.versions:
        return None
    version = budget.versions[0]  # the budget put to the vote; revisions come later
    chart = load_chart(suivant.version)
    by_class: dict[str, dict[str, Decimal]] = {CHARGES: defaultdict(Decimal), PRODUITS: {}}
    by_class[PRODUITS] = defaultdict(Decimal)
    for ligne in version.lignes:
        classe = classe_de(ligne.compte)
        if classe in by_class:
            by_class[classe][ligne.compte[:2]] += ligne.montant

    def postes(amounts: dict[str, Decimal]) -> tuple[PosteChiffre, ...]:
        rows = []
        for chapitre in sorted(amounts):
            account = chart.nearest(chapitre)
            libelle = account.libelle if account is not None else f"Comptes {chapitre}"
            rows.append(PosteChiffre(chapitre, libelle, amounts[chapitre]))
        return tuple(rows)

    return BudgetSuivant(
        suivant, version.nom, version.date, postes(by_class[PRODUITS]), postes(by_class[CHARGES])
    )


# --- Cash and indicators --------------------------------------------------------------------------


def soldes_de_fin_de_mois(source: Source, exercice: Exercice) -> dict[Mois, Decimal]:
    """The cash of the treasury accounts at each month end of ``exercice``."""
    balance = sum(
        (m.montant for m in source.mouvements.entre(None, exercice.debut - ONE_DAY) if est(m)),
        ZERO,
    )
    found: dict[Mois, Decimal] = {}
    moves = source.mouvements.entre(exercice.debut, exercice.fin)
    index = 0
    for mois in months_from_to(month_of(exercice.debut), month_of(exercice.fin)):
        end = min(last_day(mois), exercice.fin)
        while index < len(moves) and moves[index].date <= end:
            if est(moves[index]):
                balance += moves[index].montant
            index += 1
        found[mois] = balance
    return found


def est(mouvement: Mouvement) -> bool:
    return est_tresorerie(mouvement.code)


def _tresorerie(
    source: Source, exercice: Exercice, precedent: Exercice | None
) -> tuple[MoisDeTresorerie, ...]:
    n = soldes_de_fin_de_mois(source, exercice)
    n1 = list(soldes_de_fin_de_mois(source, precedent).values()) if precedent else []
    return tuple(
        MoisDeTresorerie(mois, amount, n1[rank] if rank < len(n1) else None)
        for rank, (mois, amount) in enumerate(n.items())
    )


def mois_de_reserve(mesures: Mesures) -> Decimal | None:
    """Trésorerie constatée / monthly charges d'exploitation décaissables."""
    decaissables = mesures.elements["charges_decaissables"]
    if decaissables <= 0:
        return None
    return mesures.tresorerie_constatee * mesures.mois / decaissables


_UNITE = {"euros": "", "jours": "jours", "mois": "mois", "pourcentage": ""}
VERDICTS = {
    "ok": "Dans la zone saine",
    "surveiller": "À surveiller",
    "alerte": "En alerte",
}


def texte_valeur(value: Decimal | None, unite: str) -> str:
    """An indicator's value in French: ``1 234,50 €``, ``12,3 %``, ``4,2 mois``."""
    if value is None:
        return "non calculable"
    if unite == "euros":
        return montant(value)
    if unite == "pourcentage":
        return pourcentage(round_to(value, Decimal("0.0001")))
    return f"{nombre(value, 1)}\u00a0{_UNITE.get(unite, unite)}"


def sens_de_l_indicateur(indicateur: Indicateur, n: Decimal | None) -> str:
    """« Nombre de mois d'activité que les fonds propres couvriraient. Dans la zone saine
    (repère : ok ≥ 3 mois ; …). »"""
    text = premiere_phrase(indicateur.explication)
    statut = indicateur.seuil.statut(n) if indicateur.seuil is not None else None
    if statut is not None:
        repere = texte_seuils(indicateur).rsplit(" (", 1)[0]
        text += f" {VERDICTS.get(statut, statut)} (repère : {repere})."
    return text


def lecture(indicateur: Indicateur, n: Decimal | None, n1: Decimal | None, n1_code: str) -> str:
    """« Fonds propres en mois de charges : 4,2 mois (3,1 mois en 2024). » then
    :func:`sens`."""
    text = f"{indicateur.libelle} : {texte_valeur(n, indicateur.unite)}"
    if n1_code:
        text += f" ({texte_valeur(n1, indicateur.unite)} en {n1_code})"
    return f"{text}. {sens_de_l_indicateur(indicateur, n)}"


def _indicateurs(source: Source, diagnostic: DiagnosticFinancier) -> tuple[IndicateurLu, ...]:
    definitions = indicateurs(diagnostic_config(source.context.config).seuils)
    previous = diagnostic.n1
    rows = []
    for key in INDICATEURS:
        indicateur = definitions[key]
        n = diagnostic.n.valeurs[key]
        n1 = previous.valeurs[key] if previous is not None else None
        code = previous.exercice.code if previous is not None else ""
        rows.append(
            IndicateurLu(
                key,
                indicateur.libelle,
                indicateur.unite,
                n,
                n1,
                indicateur.seuil.statut(n) if indicateur.seuil is not None else None,
                sens_de_l_indicateur(indicateur, n),
                lecture(indicateur, n, n1, code),
            )
        )
    return tuple(rows)


# --- The report -------------------------------------------------------------------------------


def chemin_des_commentaires(source: Source, exercice: Exercice) -> Path:
    """The treasurer's comments file: ``comptes_annuels.rapports_financiers.<code>``, else
    ``rapport-financier-<code>.md`` beside the ledger."""
    named = comptes_annuels_config(source.context.config).rapports_financiers.get(exercice.code)
    folder = Path(source.context.ledger).resolve().parent
    return (folder / (named or f"rapport-financier-{exercice.code}.md")).resolve()


def _commentaires(source: Source, exercice: Exercice, a_completer: list[str]) -> Commentaires:
    path = chemin_des_commentaires(source, exercice)
    try:
        found = lire_commentaires(path, SECTIONS)
    except SourceError as exc:
        raise RapportImpossible(str(exc)) from None
    if not found.existe:
        a_completer.append(
            f"commentaires du trésorier : écrivez-les dans {path.name}, à côté du grand livre "
            "(Markdown ; un titre « ## Trésorerie » place son texte après cette partie)"
        )
    return found


def _budgets(
    source: Source, budgets: Budgets, exercice: Exercice, a_completer: list[str]
) -> tuple[BudgetRealise | None, BudgetSuivant | None, Exercice]:
    suivant = source.context.calendrier.containing(exercice.fin + ONE_DAY)
    budget = None
    own = budgets.pour(exercice)
    if own is not None and own.versions:
        budget = _budget_realise(compute_suivi(source, budgets, exercice))
    else:
        a_completer.append(f"budget de l'exercice {exercice.code} (budget vs réalisé)")
    prochain = _budget_suivant(budgets, suivant)
    if prochain is None:
        a_completer.append(
            f"budget prévisionnel de l'exercice {suivant.code}, à soumettre au vote de l'AG "
            f"({commande_budget_nouveau(suivant.code, own is not None and bool(own.versions))})"
        )
    return budget, prochain, suivant


def commande_budget_nouveau(suivant: str, budget: bool) -> str:
    """The command that prepares the budget of ``suivant``: from this year's budget, or
    (``budget`` False: none to start from) from this year's actuals."""
    return f"communs budget nouveau {suivant}" + ("" if budget else " --depuis realise")


def _fonds_dedies(
    source: Source, conventions: Conventions | None, exercice: Exercice, bilan: BilanALaDate
) -> tuple[FondsDedieAnnexe, ...] | None:
    found = variation_des_fonds_dedies(source, conventions, exercice)
    if found is None:
        # The fonds dédiés line (194-196), not the bloc total: 191 needs no convention.
        return None if bilan.montant(LIGNE_FONDS_DEDIES) else ()
    return tuple(found)


def compute_rapport_financier(
    source: Source, budgets: Budgets, exercice: Exercice
) -> RapportFinancier:
    """The figures of the financial report of ``exercice`` (see the module docstring)."""
    a_completer: list[str] = []
    precedent = source.precedent(exercice)
    resultat = compute_compte_de_resultat(source, exercice)
    bilan = compute_bilan(source, exercice)
    diagnostic = compute_diagnostic(source, exercice, au=exercice.fin)
    chiffres = _chiffres(resultat.n, bilan.n, diagnostic.n)
    chiffres_n1 = None
    if resultat.n1 is not None and bilan.n1 is not None:
        chiffres_n1 = _chiffres(resultat.n1, bilan.n1, diagnostic.n1)
    conventions = conventions_lues(source)
    n = ressources_de(source, exercice, conventions)
    n1 = ressources_de(source, precedent, conventions) if precedent is not None else None
    avant = chiffres_n1.produits - n1.total if chiffres_n1 is not None and n1 else ZERO
    budget, prochain, suivant = _budgets(source, budgets, exercice, a_completer)
    affectation = _affectation(source, exercice, a_completer)
    commentaires = _commentaires(source, exercice, a_completer)
    last = source.mouvements.derniere_date
    return RapportFinancier(
        exercice=exercice,
        precedent=precedent,
        chiffres=chiffres,
        chiffres_n1=chiffres_n1,
        ressources=_ressources(n, n1, chiffres, avant),
        subventions_par_type=_subventions_par_type(n, n1, dict(modele_cerfa().financeurs)),
        financeurs=_financeurs(n, n1),
        contributions_volontaires=PosteChiffre(
            "contributions_volontaires",
            "Contributions volontaires en nature (bénévolat, dons et mises à disposition)",
            n.contributions_volontaires,
            n1.contributions_volontaires if n1 is not None else None,
        ),
        charges=_charges(source, exercice, precedent),
        projets=_projets(source, exercice),
        affectation=affectation,
        budget=budget,
        fonds_dedies=_fonds_dedies(source, conventions, exercice, bilan.n),
        tresorerie=_tresorerie(source, exercice, precedent),
        mois_de_reserve=mois_de_reserve(diagnostic.n),
        indicateurs=_indicateurs(source, diagnostic),
        budget_suivant=prochain,
        exercice_suivant=suivant,
        commentaires=commentaires,
        a_completer=tuple(a_completer),
        derniere_ecriture=last if last is not None and last < exercice.fin else None,
    )
