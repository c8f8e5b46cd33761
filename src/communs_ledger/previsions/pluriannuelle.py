"""Multi-year projection: the compte de résultat and the year-end cash of the next exercices.

Columns: the current exercice (the latest of the ledger) as its *atterrissage*
(:mod:`.atterrissage`: actuals to date + forecast of the rest), then each of
the ``annees`` following exercices.

**Result of a following exercice.** Two sources, never added on the same
account:

1. the *explicit inputs* (payroll, conventions' instalments, flows, open
   receivables and payables — every input but the rest of the budget), generated
   once from the day after the last actual entry to the end of the last projected
   exercice and split by exercice (generated exercice by exercice, the open
   receivables would be settled again every year): they know the raises, the end
   of contracts, the employment aids that stop;
2. the *budget carried over*: the lines of the reference budget — the latest
   version of the latest exercice with a budget that opens no later than the
   projected one (the last budget, usually) — grown by the configured yearly
   rates (``previsions.croissance``: ``charges``, ``produits`` per cent per year,
   ``par_compte`` by code prefix, the longest prefix winning; 0 by default)
   compounded once per exercice between the budget's and the projected one.
   A budget line on a payroll code or chapter (lines 6411, 641, 645 when payroll is
   declared: ``codes_remplaces()``), or whose code extends a code an explicit input
   covers (line 61321, a flow on 6132), is **replaced** by the input, entirely: the
   payroll's own figures say how that item evolves (a post that ends, an aid that
   stops), which a grown budget would contradict. Any other line on a covered code,
   equal or broader (line 6226 and a flow on 6226 for the pay slips; line 60 and a
   flow on 6061), keeps, grown, what it exceeds the inputs' forecasts attached to it
   by (attached as actual postings are: longest code, then project), as the rest of
   the budget does in the plan de trésorerie (:mod:`.budget_restant`): its other
   items (the annual accounts, fournitures) are not covered by the input. A post
   that ends can be partly made up by a line on 64 itself: budget payroll on 641/645
   or below. Conventions cover their income code only in the exercices where one of
   them is recognised (``codes_couverts_entre``): a subsidy is granted exercice by
   exercice, so in a later exercice without a convention on that code the budget
   line is carried over (the association is expected to apply again).

3. the *dotations of the fixed-asset register* (:mod:`.dotations`), on 6811, in an
   exercice whose budget (its own or the one carried over) has no line on 6811:
   the depreciation plans say what the budget forgot (a note says so); no cash. The
   current exercice's column (the atterrissage) gets them the same way, less what its
   actuals already hold on 6811 (:func:`.dotations.completer_dotations`).

**Year-end cash.** Trésorerie de fin = trésorerie de début + the explicit
inputs' cash movements of the exercice (their own dates: salaries, URSSAF the
following month, instalments, loan repayments — principal included, which has
no effect on the result) + produits − charges of the budget lines carried
over, assumed received or paid within the exercice, calculated ones excepted
(:data:`.budget_restant.SANS_TRESORERIE`: amortissements, provisions…). The
current exercice starts from the actual balance of the treasury accounts
(class 5 except 59) at the last actual entry and adds every input's movements
of the rest of the exercice (the rest of the budget included): the closing
balance of the plan de trésorerie at the end of the exercice. Simplification,
stated in the report: no change in working capital beyond what the inputs say.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from typing import Any

from ..budget.fichier import Budgets
from ..dates import ONE_DAY
from ..exercices import Exercice, french_date
from ..formatage import pourcentage
from ..montants import HUNDRED, ZERO
from ..plan import load_chart
from ..rapports.entete import avertissements_devises
from ..rapports.modeles import ModeleResultat, modele_resultat
from ..rapports.objets import Colonne, Graphique, Ligne, Partie, Rapport, Serie, Style, Valeur
from ..rapports.resultat import (
    Colonnes,
    fill_column,
    lignes_du_resultat,
    valeurs_du_resultat,
)
from ..rapports.source import RapportImpossible, Source
from .atterrissage import (
    notes_des_chapitres,
    projeter,
    resultats_par_code,
    scenario_de,
)
from .budget_restant import (
    BudgetRestant,
    Reference,
    budgetisation,
    codes_remplaces,
    couverture,
)
from .budget_restant import facteur as facteur  # re-exported
from .budget_restant import taux_de_croissance as taux_de_croissance  # re-exported
from .dotations import ajouter_dotations, dotations_du_registre
from .entrees import Entrees
from .modele import BASE, Periode, Previsions, Scenario
from .realise import solde_de_tresorerie
from .reglages import CroissanceConfig, previsions_config

MAX_ANNEES = 10

TRESORERIE_DEBUT = "tresorerie_debut"
FLUX_ENTREES = "flux_entrees"
BUDGET_RECONDUIT = "budget_reconduit"
TRESORERIE_FIN = "tresorerie_fin"


# --- Growth, exercices, budgets: shared with the rest of the budget (budget_restant) -------


def sans_croissance(croissance: CroissanceConfig) -> bool:
    return not croissance.charges and not croissance.produits and not croissance.par_compte


def exercices_suivants(source: Source, exercice: Exercice, annees: int) -> list[Exercice]:
    """The ``annees`` exercices after ``exercice``, in order."""
    found: list[Exercice] = []
    current = exercice
    for _ in range(annees):
        current = source.context.calendrier.containing(current.fin + ONE_DAY)
        found.append(current)
    return found


# --- One column ---------------------------------------------------------------------------


@dataclass
class Annee:
    """One column of the projection."""

    id: str
    libelle: str
    exercice: Exercice
    resultats: dict[str, Decimal]  # by account name (actuals) or code, debit − credit
    flux_entrees: Decimal  # the inputs' cash movements (receipts − payments)
    budget_reconduit: Decimal  # cash of the budget lines carried over (produits − charges)
    reference: Reference | None = None
    tresorerie_debut: Decimal = ZERO
    notes: list[str] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)

    @property
    def tresorerie_fin(self) -> Decimal:
        return self.tresorerie_debut + self.flux_entrees + self.budget_reconduit


def _explicites(entrees: Entrees) -> list[Any]:
    """Every input but the rest of the budget (the budget is carried over here)."""
    return [entree for entree in entrees.entrees if not isinstance(entree, BudgetRestant)]


@dataclass
class Explicites:
    """What the explicit inputs forecast from the day after the last actual entry to the
    end of the last projected exercice, and the codes they cover."""

    previsions: Previsions
    couverts: set[str]
    entrees: list[Any] = field(default_factory=list)

    def couverts_entre(self, debut: datetime.date, fin: datetime.date) -> set[str]:
        """The codes the inputs cover in an exercice (conventions: those recognised in it)."""
        codes: set[str] = set()
        for entree in self.entrees:
            par_exercice = getattr(entree, "codes_couverts_entre", None)
            codes |= par_exercice(debut, fin) if par_exercice else entree.codes_couverts()
        return codes


def explicites(
    source: Source, entrees: Entrees, debut: datetime.date, fin: datetime.date, scenario: Scenario
) -> Explicites:
    """One generation over the whole horizon: the inputs settle open receivables and
    payables once, from the first forecast day (generating each exercice on its own would
    settle them again every year)."""
    previsions = Previsions()
    couverts: set[str] = set()
    for entree in _explicites(entrees):
        if debut <= fin:
            previsions.ajouter(entree.generer(Periode(debut, fin), scenario, source))
        couverts |= entree.codes_couverts()
    return Explicites(previsions, couverts, _explicites(entrees))


def _annee_future(
    source: Source,
    budgets: Budgets,
    exercice: Exercice,
    inputs: Explicites,
    reste: Previsions,
    rang: int,
) -> Annee:
    """One following exercice: the explicit inputs' results and cash, and the budget lines
    of the rest of the budget (:mod:`.budget_restant`: its own budget, or the last one
    carried over and grown), the very forecasts of the plan de trésorerie."""
    debut, fin = exercice.debut, exercice.fin
    resultats = resultats_par_code([*inputs.previsions.resultat, *reste.resultat], debut, fin)
    flux = sum((m.montant for m in inputs.previsions.tresorerie if debut <= m.date <= fin), ZERO)
    budget_reconduit = sum((m.montant for m in reste.tresorerie if debut <= m.date <= fin), ZERO)
    budgeted = budgetisation(source.context, budgets, exercice)
    return Annee(
        f"n_plus_{rang}",
        exercice.code,
        exercice,
        resultats,
        flux,
        budget_reconduit,
        budgeted.reference if budgeted.lignes else None,
    )


def _reste_du_budget(
    source: Source, entrees: Entrees, budgets: Budgets, debut: datetime.date, fin: datetime.date
) -> Previsions:
    """The rest of the budget from ``debut`` to ``fin``, as the plan de trésorerie forecasts
    it (the same under every scenario)."""
    if debut > fin:
        return Previsions()
    explicit = _explicites(entrees)
    couverts: set[str] = set()
    for entree in explicit:
        couverts |= entree.codes_couverts()
    reste = BudgetRestant(couverts, explicit)
    reste.avec_budgets(source.context, budgets)
    return reste.generer(Periode(debut, fin), BASE, source)


def _annee_courante(
    source: Source, entrees: Entrees, exercice: Exercice, scenario: Scenario
) -> Annee:
    projection = projeter(source, entrees, exercice, scenario)
    flux = ZERO
    if projection.periode is not None:
        debut, fin = projection.periode.debut, projection.periode.fin
        flux = sum(
            (m.montant for m in projection.previsions.tresorerie if debut <= m.date <= fin),
            ZERO,
        )
    annee = Annee(
        "atterrissage",
        f"{exercice.code} (atterrissage)",
        exercice,
        projection.atterrissage,
        flux,
        ZERO,
        tresorerie_debut=solde_de_tresorerie(source.mouvements, projection.fin_realise),
    )
    annee.notes.append(
        f"Colonne {exercice.code} : atterrissage (réalisé au "
        f"{french_date(projection.fin_realise)} + prévision du reste de l'exercice, "
        "comme « communs prevision atterrissage ») ; trésorerie de début : solde réel des "
        f"comptes de trésorerie (classe 5) au {french_date(projection.fin_realise)}."
    )
    annee.notes.extend(projection.notes_des_dotations)
    annee.notes.extend(projection.notes_des_fonds_dedies)
    annee.avertissements.extend(projection.avertissements_des_dotations)
    return annee


# --- Report -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PrevisionPluriannuelle:
    """The figures of a multi-year projection: one :class:`Annee` per column (the current
    exercice's atterrissage, then the following exercices), attached to the compte de
    résultat of the last one's layout."""

    scenario: Scenario
    annees: tuple[Annee, ...]
    modele: ModeleResultat
    colonnes: Colonnes
    valeurs: Mapping[str, Mapping[str, Decimal]]
    """Column id → line or named total id → amount."""
    nombre: int
    """The number of following exercices asked for."""

    def resultat(self, annee: Annee) -> Decimal:
        """The excédent (> 0) or déficit (< 0) projected for the column ``annee``."""
        return self.valeurs[annee.id].get("resultat", ZERO)

    @property
    def resultats(self) -> dict[str, Decimal]:
        """The result of every column, by exercice code."""
        return {annee.exercice.code: self.resultat(annee) for annee in self.annees}

    @property
    def tresoreries_de_fin(self) -> dict[str, Decimal]:
        """The year-end cash of every column, by exercice code."""
        return {annee.exercice.code: annee.tresorerie_fin for annee in self.annees}


def _annees(
    source: Source, entrees: Entrees, budgets: Budgets, annees: int, chosen: Scenario
) -> list[Annee]:
    """The current exercice (atterrissage) and the ``annees`` following ones, each opening
    on the previous one's year-end cash."""
    courant = source.exercice(None)
    columns = [_annee_courante(source, entrees, courant, chosen)]
    futurs = exercices_suivants(source, courant, annees)
    latest = source.mouvements.derniere_date
    debut = futurs[0].debut if latest is None else latest + ONE_DAY  # as the atterrissage
    inputs = explicites(source, entrees, debut, futurs[-1].fin, chosen)
    reste = _reste_du_budget(source, entrees, budgets, debut, futurs[-1].fin)
    dotations = dotations_du_registre(source)
    for rang, exercice in enumerate(futurs, start=1):
        annee = _annee_future(source, budgets, exercice, inputs, reste, rang)
        note = ajouter_dotations(annee.resultats, exercice, dotations)
        if note is not None:
            annee.notes.append(note)
        columns.append(annee)
    for previous, annee in pairwise(columns):
        annee.tresorerie_debut = previous.tresorerie_fin
    return columns


def compute_pluriannuelle(
    source: Source,
    entrees: Entrees,
    budgets: Budgets,
    *,
    annees: int = 3,
    scenario: str | None = None,
) -> PrevisionPluriannuelle:
    """The figures of the compte de résultat and year-end cash of the current exercice
    (atterrissage) and of the ``annees`` following ones."""
    if not 1 <= annees <= MAX_ANNEES:
        raise RapportImpossible(f"nombre d'années entre 1 et {MAX_ANNEES} attendu (lu : {annees})")
    chosen = scenario_de(entrees, scenario)
    columns = _annees(source, entrees, budgets, annees, chosen)
    modele = modele_resultat(columns[-1].exercice.version)
    colonnes = Colonnes()
    for annee in columns:
        version = annee.exercice.version
        restate = load_chart(version) if version != modele.version else None
        fill_column(modele, annee.resultats, annee.id, colonnes, restate)
    valeurs = valeurs_du_resultat(modele, colonnes)
    return PrevisionPluriannuelle(chosen, tuple(columns), modele, colonnes, valeurs, annees)


def _graphique(figures: PrevisionPluriannuelle) -> Graphique:
    columns = figures.annees
    return Graphique(
        id="resultat_tresorerie",
        titre="Résultat et trésorerie de fin d'exercice",
        categories=tuple(annee.libelle for annee in columns),
        series=[
            Serie("Excédent ou déficit", tuple(figures.resultat(a) for a in columns)),
            Serie("Trésorerie de fin d'exercice", tuple(a.tresorerie_fin for a in columns)),
        ],
        genre="barres",
    )


def build_rapport_pluriannuelle(
    figures: PrevisionPluriannuelle, source: Source, entrees: Entrees
) -> Rapport:
    """The :class:`Rapport` of a multi-year projection: the compte de résultat (lines
    null in every column omitted), the year-end cash, the chart, notes and warnings."""
    columns, modele, chosen = list(figures.annees), figures.modele, figures.scenario
    valeurs = {col: dict(values) for col, values in figures.valeurs.items()}
    headers = [Colonne(annee.id, annee.libelle) for annee in columns]
    layout_lines = {line.id for bloc in modele.blocs for top in bloc.lignes for line in top.walk()}
    rows = [
        row
        for row in lignes_du_resultat(modele, valeurs, figures.colonnes)
        if row.id not in layout_lines or any(row.valeurs.values())
    ]
    totaux = {
        annee.id: {
            **valeurs[annee.id],
            TRESORERIE_DEBUT: annee.tresorerie_debut,
            FLUX_ENTREES: annee.flux_entrees,
            BUDGET_RECONDUIT: annee.budget_reconduit,
            TRESORERIE_FIN: annee.tresorerie_fin,
        }
        for annee in columns
    }
    courant, last = columns[0].exercice, columns[-1].exercice
    precision = f" — scénario « {chosen.libelle} »" if chosen.code != "base" else ""
    return Rapport(
        id="prevision_pluriannuelle",
        titre="Prévision pluriannuelle",
        association=source.association,
        parties=[
            Partie(
                "compte_de_resultat",
                "Compte de résultat prévisionnel",
                headers,
                rows,
                onglet="Compte de résultat",
            ),
            Partie(
                "tresorerie", "Trésorerie de fin d'exercice", headers, _lignes_tresorerie(columns)
            ),
        ],
        sous_titre=f"Exercices {courant.code} à {last.code}{precision}",
        exercice=courant.code,
        periode=(courant.debut, last.fin),
        totaux=totaux,
        notes=_notes(source, entrees, columns, chosen, modele.reference)
        + notes_des_chapitres(modele, figures.colonnes),
        avertissements=_avertissements(source, columns, figures.colonnes),
        meta=_meta(figures),
        graphiques=[_graphique(figures)],
    )


def _meta(figures: PrevisionPluriannuelle) -> dict[str, Any]:
    return {
        "scenario": figures.scenario.code,
        "annees": figures.nombre,
        "exercices": [annee.exercice.code for annee in figures.annees],
        "plan": figures.modele.version,
    }


def pluriannuelle(
    source: Source,
    entrees: Entrees,
    budgets: Budgets,
    *,
    annees: int = 3,
    scenario: str | None = None,
) -> Rapport:
    """The compte de résultat and year-end cash of the current exercice (atterrissage) and
    of the ``annees`` following ones (:func:`compute_pluriannuelle`, then
    :func:`build_rapport_pluriannuelle`)."""
    figures = compute_pluriannuelle(source, entrees, budgets, annees=annees, scenario=scenario)
    return build_rapport_pluriannuelle(figures, source, entrees)


def _lignes_tresorerie(columns: list[Annee]) -> list[Ligne]:
    def values(attribute: str) -> dict[str, Valeur]:
        return {annee.id: getattr(annee, attribute) for annee in columns}

    return [
        Ligne("Trésorerie de début", values("tresorerie_debut"), id=TRESORERIE_DEBUT),
        Ligne(
            "Encaissements − décaissements prévus par les entrées",
            values("flux_entrees"),
            id=FLUX_ENTREES,
        ),
        Ligne(
            "Lignes de budget reconduites (produits − charges, hors charges calculées)",
            values("budget_reconduit"),
            id=BUDGET_RECONDUIT,
        ),
        Ligne(
            "Trésorerie de fin d'exercice",
            values("tresorerie_fin"),
            id=TRESORERIE_FIN,
            style=Style.TOTAL,
        ),
    ]


def _taux(value: Decimal) -> str:
    """``Decimal("1.5")`` → ``1,5 %``."""
    exponent = value.normalize().as_tuple().exponent
    decimals = min(2, -exponent) if isinstance(exponent, int) and exponent < 0 else 0
    return pourcentage(value / HUNDRED, decimals)


def _notes(
    source: Source, entrees: Entrees, columns: list[Annee], scenario: Scenario, reference: str
) -> list[str]:
    notes = [note for annee in columns for note in annee.notes]
    croissance = previsions_config(source.context.config).croissance
    references = {
        (a.reference.exercice.code, a.reference.version.code): a.reference
        for a in columns[1:]
        if a.reference
    }
    for ref in references.values():
        notes.append(
            f"Budget reconduit : version « {ref.version.nom} » ({ref.version.code}) du budget "
            f"{ref.exercice.code}, grandi chaque exercice suivant des taux de croissance."
        )
    if sans_croissance(croissance):
        notes.append(
            "Aucun taux de croissance configuré (communs.yaml, previsions.croissance : "
            "charges, produits, par_compte) : budget reconduit à l'identique (0 % par an)."
        )
    else:
        text = (
            f"Croissance annuelle : charges {_taux(croissance.charges)}, produits "
            f"{_taux(croissance.produits)}"
        )
        if croissance.par_compte:
            text += " ; par compte : " + ", ".join(
                f"{code} {_taux(rate)}" for code, rate in sorted(croissance.par_compte.items())
            )
        notes.append(text + " (composée d'un exercice à l'autre).")
    couverts = set()
    for entree in _explicites(entrees):
        couverts |= entree.codes_couverts()
    remplaces = codes_remplaces(_explicites(entrees))
    paie = sorted(code for code in couverts if couverture(code, set(), remplaces))
    autres = sorted(code for code in couverts if code not in paie)
    if paie:
        notes.append(
            "La paie remplace entièrement les lignes du budget de ses comptes ("
            + ", ".join(paie)
            + ") : hausses, fins de contrat et fins d'aides viennent d'elle."
        )
    if autres:
        notes.append(
            "Les conventions et les flux ne laissent aux lignes du budget de leurs comptes ("
            + ", ".join(autres)
            + ") que ce qui dépasse leurs prévisions sur l'exercice : un flux qui s'arrête "
            "(emprunt remboursé) laisse revenir la ligne du budget reconduite. Les "
            "conventions ne couvrent leur compte que les exercices où l'une d'elles est "
            "notifiée : les autres années, la ligne du budget est reconduite (nouvelle "
            "demande de subvention supposée)."
        )
    notes.append(
        "Trésorerie de fin = trésorerie de début + encaissements − décaissements prévus par "
        "les entrées (à leurs dates : paie, échéances des conventions, flux, remboursements "
        "d'emprunts compris, créances et dettes ouvertes) + produits − charges des lignes de "
        "budget reconduites, supposés encaissés ou payés dans l'exercice, hors charges et "
        "produits calculés (amortissements, provisions, fonds dédiés, variations de stocks…). "
        "Simplification : aucune variation du besoin en fonds de roulement au-delà de ce que "
        "prévoient les entrées (délais de paiement des lignes de budget ignorés)."
    )
    notes.append(f"Scénario « {scenario.code} » ({scenario.libelle}).")
    notes.append(f"Modèle : {reference}. Lignes nulles sur toutes les colonnes omises.")
    return notes


def _avertissements(source: Source, columns: list[Annee], colonnes: Colonnes) -> list[str]:
    rien = previsions_config(source.context.config).sans_budget == "rien"
    warnings = [
        f"Exercice {annee.exercice.code} sans budget (communs.yaml, previsions.sans_budget : "
        "rien) : seules les entrées explicites y sont projetées."
        if rien
        else f"Aucun budget pour l'exercice {annee.exercice.code} ni avant : seules les "
        "entrées explicites y sont projetées."
        for annee in columns[1:]
        if annee.reference is None
    ]
    warnings.extend(warning for annee in columns for warning in annee.avertissements)
    if colonnes.hors_modele:
        listed = ", ".join(sorted(colonnes.hors_modele))
        warnings.append(f"Comptes hors modèle rattachés aux lignes « autres » : {listed}")
    warnings.extend(avertissements_devises(source))
    return warnings
