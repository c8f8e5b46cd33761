"""Projected result of an exercice (*atterrissage*): actuals to date + forecasts for the rest.

The actual charges and produits run from the opening of the exercice to the
last actual entry of the ledger (forecast entries, tagged ``#prevision``, are
never actuals); the forecast covers the rest of the exercice, from the day
after that entry to the closing day (:func:`periode_restante`): the
:class:`~communs_ledger.previsions.modele.ResultatPrevu` of every forecast
input under the scenario (payroll, conventions, flows, the rest of the
budget…: :mod:`communs_ledger.previsions.entrees` says which input wins over
the budget). Both are attached to the lines of the compte de résultat with the
exercice's layout (:func:`communs_ledger.rapports.resultat.fill_column`, the same
attachment as the statement) and totalled the same way.

Columns: réalisé à date, prévision du reste de l'exercice, atterrissage
(their sum), budget (a version of the exercice's budget, the latest by
default), écart atterrissage − budget in euros and in % of the budget. An
exercice whose last day is past (no forecast period) gives réalisé =
atterrissage. The contributions volontaires en nature (86/87) are not
projected.

The dotations aux amortissements of the fixed-asset register: when the forecast of
the rest of the exercice has no line on 6811 (nor on 681, 68), it gets the register's
dotation of the exercice less what the actuals already hold on 6811, never negative
(:func:`.dotations.completer_dotations`, origin ``immobilisations``, a note; a warning
when the actuals exceed the plan): an exercice whose dotations are booked at closing
does not land with a result too high by the year's dotation.

The fonds dédiés carried from earlier exercices: the same rule on 689x/789x adds the
utilisation (789x) the spending of the dedicated projects to date justifies, less what
is already booked (:func:`.utilisations.completer_utilisations`, origin ``fonds
dédiés``, a note saying what is not projected: the reports of the exercice's resources).

Example (calendar exercice 2026, last entry on 30 April)::

    réalisé 1er janvier – 30 avril   + prévision 1er mai – 31 décembre   = atterrissage
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ..budget.fichier import BudgetExercice, Budgets, VersionBudget
from ..budget.realise import sens
from ..budget.suivi import ECART, ECART_PCT, REALISE, Atterrissage
from ..codes import parse_account
from ..dates import ONE_DAY
from ..exercices import Exercice, french_date
from ..montants import ZERO
from ..mouvements import totaux_par_compte
from ..rapports.entete import avertissements_devises, sous_titre
from ..rapports.modeles import ModeleResultat, modele_resultat
from ..rapports.objets import Colonne, Genre, Ligne, Partie, Rapport, Style, rapport_de
from ..rapports.resultat import (
    Colonnes,
    fill_column,
    is_result_code,
    lignes_du_resultat,
    valeurs_du_resultat,
)
from ..rapports.source import RapportImpossible, Source
from .dotations import (
    COMPTE_DOTATIONS,
    DotationsCompletees,
    completer_dotations,
    dotations_du_registre,
)
from .entrees import Entrees
from .modele import Periode, Previsions, ResultatPrevu, Scenario
from .utilisations import UtilisationsCompletees, completer_utilisations

PREVISION = "prevision"
ORIGINE_DOTATIONS = "immobilisations"
ORIGINE_FONDS_DEDIES = "fonds dédiés"
ATTERRISSAGE = "atterrissage"
BUDGET = "budget"

CHARGES = "charges"
PRODUITS = "produits"
SOLDE = "solde"


def scenario_de(entrees: Entrees, code: str | None) -> Scenario:
    """The scenario named ``code`` (None: the base forecast); French failure if unknown."""
    found = entrees.scenario(code)
    if found is None:
        known = ", ".join(["base", *sorted(entrees.scenarios)])
        raise RapportImpossible(f"scénario « {code} » inconnu : scénarios déclarés : {known}")
    return found


def periode_restante(source: Source, exercice: Exercice) -> Periode | None:
    """From the day after the last actual entry to the exercice's closing day; None when
    the exercice is over (its last day is reached)."""
    last = source.mouvements.derniere_date
    start = exercice.debut if last is None else max(exercice.debut, last + ONE_DAY)
    if start > exercice.fin:
        return None
    return Periode(start, exercice.fin)


def en_debit(code: str, montant: Decimal) -> Decimal:
    """A charge or produit in its natural direction as debit − credit (produits < 0)."""
    return montant * sens(code)


def resultats_par_code(
    resultats: Iterable[ResultatPrevu], debut: datetime.date, fin: datetime.date
) -> dict[str, Decimal]:
    """Forecast results dated in [debut, fin], by account code, as debit − credit
    (classes 6 and 7 only)."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for item in resultats:
        if debut <= item.date <= fin and is_result_code(item.compte):
            totals[item.compte] += en_debit(item.compte, item.montant)
    return totals


def budget_par_code(version: VersionBudget) -> dict[str, Decimal]:
    """The annual budget of a version by account code (projects added up), debit − credit,
    classes 6 and 7 only."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for line in version.lignes:
        if is_result_code(line.compte):
            totals[line.compte] += en_debit(line.compte, line.montant)
    return totals


@dataclass
class Projection:
    """The figures of an atterrissage, before any layout."""

    exercice: Exercice
    scenario: Scenario
    periode: Periode | None  # the forecast period (None: exercice over)
    fin_realise: datetime.date  # last day of the actuals in the exercice
    realise: dict[str, Decimal]  # by Beancount account, debit − credit
    prevu: dict[str, Decimal]  # by account code, debit − credit
    previsions: Previsions = field(default_factory=Previsions)
    dotations: DotationsCompletees | None = None
    """The register's dotation of the exercice against its actuals on 6811 (None when
    the forecast has its own 6811 line, or without a register's dotation)."""
    utilisations: UtilisationsCompletees | None = None
    """The utilisation of the fonds dédiés carried into the exercice (None when the
    forecast has its own 689x/789x line, or without fonds carried)."""

    @property
    def notes_des_dotations(self) -> list[str]:
        note = self.dotations.note if self.dotations is not None else None
        return [note] if note else []

    @property
    def notes_des_fonds_dedies(self) -> list[str]:
        return [self.utilisations.note] if self.utilisations is not None else []

    @property
    def avertissements_des_dotations(self) -> list[str]:
        warning = self.dotations.avertissement if self.dotations is not None else None
        return [warning] if warning else []

    @property
    def atterrissage(self) -> dict[str, Decimal]:
        """Actuals (by account) and forecasts (by code) in one mapping for
        :func:`~communs_ledger.rapports.resultat.fill_column`."""
        return {**self.realise, **self.prevu}

    @property
    def resultat(self) -> Decimal:
        """Projected result (produits − charges) of the exercice."""
        return -sum(
            (amount for key, amount in self.atterrissage.items() if _is_result_key(key)), ZERO
        )


def _is_result_key(key: str) -> bool:
    code = key if key.isdigit() else parse_account(key).code
    return is_result_code(code)


def projeter(
    source: Source, entrees: Entrees, exercice: Exercice, scenario: Scenario
) -> Projection:
    """Actuals of ``exercice`` to the last actual entry + the inputs' forecast for the rest."""
    periode = periode_restante(source, exercice)
    fin_realise = exercice.fin if periode is None else periode.debut - ONE_DAY
    moves = source.mouvements.entre(exercice.debut, fin_realise)
    realise = {
        account: amount
        for account, amount in totaux_par_compte(moves).items()
        if _is_result_key(account)
    }
    if periode is None:
        return Projection(exercice, scenario, None, fin_realise, realise, {})
    previsions = entrees.generer(periode, scenario, source)
    prevu = resultats_par_code(previsions.resultat, periode.debut, periode.fin)
    dotations = completer_dotations(prevu, exercice, dotations_du_registre(source), realise)
    if dotations is not None and dotations.ajoutees:
        previsions.resultat.append(
            ResultatPrevu(
                exercice.fin,
                COMPTE_DOTATIONS,
                dotations.ajoutees,
                "Dotations aux amortissements (registre des immobilisations)",
                ORIGINE_DOTATIONS,
            )
        )
    utilisations = completer_utilisations(prevu, exercice, source)
    if utilisations is not None:
        for compte, amount in utilisations.par_compte().items():
            previsions.resultat.append(
                ResultatPrevu(
                    exercice.fin,
                    compte,
                    amount,
                    "Utilisations des fonds dédiés reportés",
                    ORIGINE_FONDS_DEDIES,
                )
            )
    return Projection(
        exercice,
        scenario,
        periode,
        fin_realise,
        realise,
        prevu,
        previsions,
        dotations,
        utilisations,
    )


def version_du_budget(
    budgets: Budgets, exercice: Exercice, code: str | None
) -> VersionBudget | None:
    """The budget version to compare with: ``code`` or the latest; None when the exercice
    has no budget and no version was asked. French failure for an unknown version."""
    budget: BudgetExercice | None = budgets.pour(exercice)
    if budget is None or not budget.versions:
        if code is None:
            return None
        raise RapportImpossible(
            f"aucun budget pour l'exercice {exercice.code} : la version « {code} » ne peut "
            "pas être comparée"
        )
    found = budget.version(code)
    if found is None:
        known = ", ".join(f"{v.code} (« {v.nom} »)" for v in budget.versions)
        raise RapportImpossible(
            f"version « {code} » inconnue dans le budget {exercice.code} : versions : {known}"
        )
    return found


@dataclass(frozen=True, slots=True)
class AtterrissageDeLExercice:
    """The figures of an atterrissage attached to the compte de résultat: by column
    (réalisé, prévision, atterrissage, budget, écart) every line and named total."""

    projection: Projection
    budget: VersionBudget | None
    modele: ModeleResultat
    colonnes: Colonnes
    valeurs: Mapping[str, Mapping[str, Decimal]]
    """Column id → line or total id → amount (:func:`valeurs_du_resultat`)."""

    @property
    def exercice(self) -> Exercice:
        return self.projection.exercice

    @property
    def resultat(self) -> Decimal:
        """The excédent (> 0) or déficit (< 0) of the exercice projected by the atterrissage."""
        return self.valeurs[ATTERRISSAGE].get("resultat", ZERO)

    @property
    def resultat_realise(self) -> Decimal:
        """The result of the actuals (to the last actual entry)."""
        return self.valeurs[REALISE].get("resultat", ZERO)

    @property
    def resultat_budget(self) -> Decimal | None:
        """The result of the budget compared (None without a budget)."""
        return self.valeurs[BUDGET].get("resultat", ZERO) if BUDGET in self.valeurs else None


def compute_atterrissage(
    source: Source,
    entrees: Entrees,
    budgets: Budgets,
    exercice: str | None = None,
    *,
    scenario: str | None = None,
    version: str | None = None,
) -> AtterrissageDeLExercice:
    """The figures of the projected result of ``exercice`` (default: the latest of the
    ledger) by line of the compte de résultat, against a version of its budget."""
    chosen = scenario_de(entrees, scenario)
    periode_exercice = source.exercice(exercice)
    budget = version_du_budget(budgets, periode_exercice, version)
    projection = projeter(source, entrees, periode_exercice, chosen)
    modele = modele_resultat(periode_exercice.version)
    colonnes = Colonnes()
    fill_column(modele, projection.realise, REALISE, colonnes)
    fill_column(modele, projection.prevu, PREVISION, colonnes)
    fill_column(modele, projection.atterrissage, ATTERRISSAGE, colonnes)
    if budget is not None:
        fill_column(modele, budget_par_code(budget), BUDGET, colonnes)
    valeurs = valeurs_du_resultat(modele, colonnes)
    if budget is not None:
        valeurs[ECART] = _ecarts(valeurs[ATTERRISSAGE], valeurs[BUDGET])
    return AtterrissageDeLExercice(projection, budget, modele, colonnes, valeurs)


def build_rapport_atterrissage(figures: AtterrissageDeLExercice, source: Source) -> Rapport:
    """The :class:`Rapport` of an atterrissage: the compte de résultat columns, the
    forecast by input, notes and warnings."""
    projection, budget, modele = figures.projection, figures.budget, figures.modele
    periode_exercice, chosen = projection.exercice, projection.scenario
    valeurs = {col: dict(values) for col, values in figures.valeurs.items()}
    headers = [
        Colonne(REALISE, f"Réalisé au {projection.fin_realise.strftime('%d/%m/%Y')}"),
        Colonne(PREVISION, "Prévision du reste de l'exercice"),
        Colonne(ATTERRISSAGE, "Atterrissage"),
    ]
    if budget is not None:
        headers += [
            Colonne(BUDGET, f"Budget ({budget.code})"),
            Colonne(ECART, "Écart atterrissage − budget"),
            Colonne(ECART_PCT, "Écart %", Genre.POURCENTAGE),
        ]
    rows = lignes_du_resultat(modele, valeurs, figures.colonnes)
    if budget is not None:
        for row in rows:
            _pourcentage(row)
    parties = [Partie("atterrissage", "Atterrissage du compte de résultat", headers, rows)]
    if projection.previsions.resultat:
        parties.append(_partie_origines(projection))
    precision = f"scénario « {chosen.libelle} »" if chosen.code != "base" else ""
    return Rapport(
        id="atterrissage",
        titre="Atterrissage de l'exercice",
        association=source.association,
        parties=parties,
        sous_titre=sous_titre(periode_exercice, periode_exercice.fin, precision),
        exercice=periode_exercice.code,
        periode=(periode_exercice.debut, periode_exercice.fin),
        totaux={col: dict(valeurs[col]) for col in (ATTERRISSAGE, BUDGET) if col in valeurs},
        notes=_notes(projection, budget, modele.reference)
        + notes_des_chapitres(modele, figures.colonnes),
        avertissements=_avertissements(source, figures.colonnes)
        + projection.avertissements_des_dotations,
        meta={
            "scenario": chosen.code,
            "version_budget": budget.code if budget is not None else None,
            "fin_realise": projection.fin_realise,
            "debut_prevision": projection.periode.debut if projection.periode else None,
            "exercice_clos": projection.periode is None,
            "plan": periode_exercice.version,
        },
    )


atterrissage = rapport_de(
    compute_atterrissage,
    build_rapport_atterrissage,
    """The projected result of ``exercice`` (default: the latest of the ledger) by line of
    the compte de résultat, against a version of its budget (:func:`compute_atterrissage`,
    then :func:`build_rapport_atterrissage`).""",
)


def _ecarts(atterri: Mapping[str, Decimal], budget: Mapping[str, Decimal]) -> dict[str, Decimal]:
    return {key: atterri.get(key, ZERO) - budget.get(key, ZERO) for key in atterri.keys() | budget}


def _pourcentage(row: Ligne) -> None:
    """Écart in % of the budget (of its absolute value: a budgeted deficit is negative)."""
    if row.style is Style.TITRE:
        return
    budget, ecart = row.valeurs.get(BUDGET), row.valeurs.get(ECART)
    if isinstance(budget, Decimal) and isinstance(ecart, Decimal) and budget:
        row.valeurs[ECART_PCT] = ecart / abs(budget)
    else:
        row.valeurs[ECART_PCT] = None


def _partie_origines(projection: Projection) -> Partie:
    """The forecast of the rest of the exercice by input (``origine``)."""
    periode = projection.periode
    assert periode is not None
    by_origin: dict[str, dict[str, Decimal]] = defaultdict(lambda: {CHARGES: ZERO, PRODUITS: ZERO})
    for item in projection.previsions.resultat:
        if not (periode.debut <= item.date <= periode.fin and is_result_code(item.compte)):
            continue
        side = CHARGES if item.compte[:1] == "6" else PRODUITS
        by_origin[item.origine][side] += item.montant
    rows = []
    total = {CHARGES: ZERO, PRODUITS: ZERO}
    for origine in sorted(by_origin):
        amounts = by_origin[origine]
        total[CHARGES] += amounts[CHARGES]
        total[PRODUITS] += amounts[PRODUITS]
        rows.append(
            Ligne(
                origine,
                {**amounts, SOLDE: amounts[PRODUITS] - amounts[CHARGES]},
                id=f"origine:{origine}",
            )
        )
    rows.append(
        Ligne(
            "Total de la prévision",
            {**total, SOLDE: total[PRODUITS] - total[CHARGES]},
            id="total_prevision",
            style=Style.TOTAL,
        )
    )
    return Partie(
        "prevision_par_origine",
        "Prévision du reste de l'exercice par entrée",
        [
            Colonne(CHARGES, "Charges"),
            Colonne(PRODUITS, "Produits"),
            Colonne(SOLDE, "Produits − charges"),
        ],
        rows,
        notes=[
            "Origine : l'entrée de prévision qui produit le montant (paie:POSTE, "
            "convention:RÉFÉRENCE, flux:CODE, budget…)."
        ],
        onglet="Par origine",
    )


def _notes(projection: Projection, budget: VersionBudget | None, reference: str) -> list[str]:
    exercice = projection.exercice
    notes = [
        f"Réalisé : écritures du {french_date(exercice.debut)} au "
        f"{french_date(projection.fin_realise)} (les écritures de prévision, #prevision, "
        "ne sont jamais du réalisé).",
    ]
    if projection.periode is None:
        notes.append(
            f"Exercice terminé (dernière écriture au-delà du {french_date(exercice.fin)}) : "
            "aucune prévision, l'atterrissage est le réalisé."
        )
    else:
        scenario = projection.scenario
        notes.append(
            f"Prévision du {french_date(projection.periode.debut)} au "
            f"{french_date(projection.periode.fin)} : charges et produits prévus par les "
            "entrées de prévision (paie, conventions, flux, reste du budget), scénario "
            f"« {scenario.code} » ({scenario.libelle}). Les entrées explicites (paie, "
            "conventions, flux) l'emportent sur les lignes du budget des comptes qu'elles "
            "couvrent."
        )
    notes.append("Atterrissage = réalisé + prévision.")
    if budget is not None:
        notes.append(
            f"Budget : version « {budget.nom} » ({budget.code}) du {french_date(budget.date)}, "
            "montants annuels. Écart = atterrissage − budget, en euros et en % du budget : "
            "positif, une charge dépasse son budget ou un produit dépasse sa prévision."
        )
    else:
        notes.append(
            f"Aucun budget pour l'exercice {exercice.code} : pas de colonne budget ni d'écart."
        )
    notes.append("Contributions volontaires en nature (86/87) non projetées.")
    notes.extend(projection.previsions.notes)  # the inputs' own (untagged receipts…)
    notes.extend(projection.notes_des_dotations)
    notes.extend(projection.notes_des_fonds_dedies)
    notes.append(f"Modèle : {reference}.")
    return notes


def notes_des_chapitres(modele: ModeleResultat, colonnes: Colonnes) -> list[str]:
    """Which line the budget or forecast amounts on a heading (``60``) went to."""
    if not colonnes.chapitres:
        return []
    listed = " ; ".join(
        f"{code} → {modele.ligne(line_id).libelle}"
        for code, line_id in sorted(colonnes.chapitres.items())
    )
    return [
        "Montants prévus ou budgétés sur un chapitre, rattachés à la ligne principale du "
        f"chapitre : {listed}."
    ]


def _avertissements(source: Source, colonnes: Colonnes) -> list[str]:
    warnings = []
    if colonnes.hors_modele:
        listed = ", ".join(sorted(colonnes.hors_modele))
        warnings.append(f"Comptes hors modèle rattachés aux lignes « autres » : {listed}")
    warnings.extend(avertissements_devises(source))
    return warnings


def atterrissage_de(
    source: Source,
    entrees: Entrees | None,
    budgets: Budgets,
    exercice: Exercice,
    version: str | None = None,
) -> Atterrissage | str:
    """The atterrissage of ``exercice`` under the base scenario, or why there is none
    (French). ``entrees``: the forecast inputs
    (:func:`~communs_ledger.previsions.entrees.charger_entrees`)."""
    if entrees is None or not entrees.fichiers:
        return (
            "aucune prévision détaillée déclarée (communs.yaml, clé « previsions ») : pas "
            "d'atterrissage"
        )
    if entrees.erreurs:
        return (
            f"les fichiers de prévisions contiennent {len(entrees.erreurs)} erreur(s) : "
            "atterrissage non calculé (voir « communs verifier »)"
        )
    try:
        rapport = atterrissage(source, entrees, budgets, exercice.code, version=version)
    except RapportImpossible as exc:
        return f"atterrissage impossible : {exc}"
    totaux = rapport.totaux["atterrissage"]
    fin = rapport.meta["fin_realise"]
    assert isinstance(fin, datetime.date)
    return Atterrissage(fin, totaux["total_produits"], totaux["total_charges"])
