"""Page « Tableau de bord »: what a board needs at a glance, for the chosen exercice.

- résultat à date against the budget à date (``communs budget``: totals ``realise``
  and ``budget_a_date`` of ``resultat``), and the two end-of-exercice results, each
  under its own name: the « projection du budget » (actuals + the rest of the budget,
  ``communs budget``), and, with valid forecast inputs, the « atterrissage » (actuals +
  payroll, conventions, flows and the rest of the budget: ``communs prevision
  atterrissage``); without a budget, the résultat of the compte de résultat and a word
  on the missing budget;
- cash observed at the close (or today for the exercice in progress) and fonds
  propres in months of charges, with their status (``communs diagnostic``);
- the forecast low point and its month (``communs tresorerie``, base scenario);
- the diagnostic ratios with ok / à surveiller / alerte;
- the active warnings (budget rules) — errors are listed atop every page;
- the subsidy instalments expected in the next twelve months (the conventions'
  échéanciers as the cash plan forecasts them).

The page opens with the alerts (:class:`Alerte`): what needs attention, each with
its figure and a link to the page that explains it — months under the cash
threshold in any scenario (the lowest scenario's low point beside the base),
budget lines in alert, subsidy instalments late and comptes rendus due, fonds
dédiés not booked once the exercice is over, errors of the ledger. Every figure is
the engine's (plan de trésorerie, budget, subsidies follow-up, fonds dédiés).

Each block comes from the engine; one that cannot be made (no budget, no
forecast) says why in French and the others still show.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask import url_for

from ..budget.suivi import SuiviBudget
from ..chargement import Diagnostic
from ..conventions.fichier import conventions_du_grand_livre
from ..conventions.reglages import conventions_file
from ..conventions.subventions import A_VENIR, EN_RETARD, suivi_des_subventions
from ..dates import month_label, month_of, parse_month_key
from ..exercices import french_date
from ..fonds_dedies.rapport import a_passer
from ..previsions.modele import BASE
from ..previsions.resultat_projete import resultat_projete
from ..previsions.versements import (
    HORIZON_VERSEMENTS,
    debut_des_versements,
    versements_attendus,
)
from ..rapports.diagnostic import diagnostic
from ..rapports.objets import Genre, Rapport
from ..rapports.source import RapportImpossible
from ..rendu.en_json import to_dict
from ..rendu.textes import Statut, statut
from ..rendu.valeurs import francais, machine
from .etat import Etat
from .explications import expliquer_chiffres, expliquer_indicateurs
from .extension import Page, PageCommuns, phrase_d_arrete, url_guide
from .guide import ancre
from .selection import TOUS, Selection
from .tableaux import Chiffre, TableauVue, chiffre, tableau
from .tresorerie import chiffres_du_plan

HORIZON_COMPTES_RENDUS = 60
"""Days ahead for a compte rendu to be due (an alert « à surveiller »)."""
SECTION_SUIVI = "Le suivi : `communs subventions`"
SECTION_COMPTE_RENDU = "Le compte rendu financier : `communs compte-rendu CONVENTION`"
ALERTES_DU_BUDGET = 8
"""Budget lines listed in the alerts (the worst first; the page lists them all)."""
PARTIES_DU_DIAGNOSTIC = ("montants", "durees", "ratios")


@dataclass(frozen=True)
class LigneDeVersement:
    date: datetime.date
    libelle: str
    financeur: str
    montant: Decimal

    @property
    def texte_date(self) -> str:
        return self.date.strftime("%d/%m/%Y")

    @property
    def valeur(self) -> str:
        return str(machine(self.montant, Genre.MONTANT))

    @property
    def texte(self) -> str:
        return francais(self.montant, Genre.MONTANT)


@dataclass(frozen=True)
class Alerte:
    """One thing that needs attention: level (alerte / surveiller), what, its figure
    (the engine's value) and the page that explains it."""

    id: str
    niveau: str
    titre: str
    texte: str
    chiffre: Chiffre | None
    lien: str
    lien_texte: str

    @property
    def badge(self) -> Statut:
        return statut(self.niveau)


@dataclass
class ContenuTableauDeBord:
    chiffres: list[Chiffre] = field(default_factory=list)
    alertes: list[Alerte] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    ratios: list[TableauVue] = field(default_factory=list)
    avertissements: list[Diagnostic] = field(default_factory=list)
    versements: list[LigneDeVersement] = field(default_factory=list)
    versements_message: str | None = None
    rapports: dict[str, Rapport] = field(default_factory=dict)
    url_donnees: str = ""


class TableauDeBord(PageCommuns):
    """Les chiffres clés pour le conseil d'administration."""

    report_title = "Tableau de bord"
    guide_pratique = ("guide/lire-le-diagnostic", "", "Lire le diagnostic financier")

    def construire(self, page: Page, etat: Etat, selection: Selection) -> ContenuTableauDeBord:
        _source, exercice, au = self.exercice_et_arrete(page, etat, selection)
        page.sous_titre = exercice.libelle[:1].upper() + exercice.libelle[1:]
        if au is not None:
            page.arrete = phrase_d_arrete(au)
        contenu = ContenuTableauDeBord(
            avertissements=list(etat.avertissements), url_donnees=self.url_donnees(selection)
        )

        self._erreurs(contenu, etat)
        self._budget(contenu, etat, exercice, selection)
        self._diagnostic(contenu, etat, exercice)
        self._tresorerie(contenu, etat, selection, page)
        self._subventions(contenu, etat, exercice)
        self._fonds_dedies(contenu, etat, exercice)
        contenu.alertes.sort(key=_ordre_des_alertes)
        contenu.chiffres = expliquer_chiffres(contenu.chiffres, url_guide)
        contenu.messages = [page.pour_le_conseil(m) for m in contenu.messages]
        page.details.extend(str(a) for a in contenu.avertissements)  # with file:line
        return contenu

    # --- alerts -------------------------------------------------------------------------------

    @staticmethod
    def _erreurs(contenu: ContenuTableauDeBord, etat: Etat) -> None:
        if etat.erreurs:
            nombre = len(etat.erreurs)
            contenu.alertes.append(
                Alerte(
                    "erreurs",
                    "alerte",
                    "Erreurs dans le grand livre",
                    "Les chiffres sont calculés malgré elles et peuvent être faux : à corriger "
                    "d'abord (liste en tête de page).",
                    chiffre("erreurs", "Erreurs", nombre, Genre.ENTIER),
                    url_for("report", report_name="errors"),
                    "Page Erreurs de Fava",
                )
            )

    def _alertes_du_budget(
        self, contenu: ContenuTableauDeBord, suivi: SuiviBudget, rapport: Rapport, url: str
    ) -> None:
        libelles = {
            ligne.id: ligne.libelle for partie in rapport.parties for ligne in partie.lignes
        }
        lignes = [
            (partie_id, poste, libelles.get(poste.id, ""))
            for partie_id, section in (("charges", suivi.charges), ("produits", suivi.produits))
            for chapitre in section.chapitres
            for poste in chapitre.postes
            if poste.statut in ("alerte", "surveiller")
        ]
        lignes.sort(key=lambda item: (item[1].statut != "alerte", item[2]))
        for partie_id, poste, libelle in lignes[:ALERTES_DU_BUDGET]:
            montants, id_ = poste.montants, poste.id
            sens = "charge au-dessus" if partie_id == "charges" else "produit en dessous"
            contenu.alertes.append(
                Alerte(
                    f"budget:{id_}",
                    poste.statut or "surveiller",
                    f"Budget : {libelle}",
                    f"{sens} du budget à date : réalisé {_texte(montants.realise)} pour "
                    f"{_texte(montants.budget_a_date)} budgétés à date.",
                    chiffre(f"budget:{id_}", "Écart", montants.ecart),
                    url,
                    "Budget vs réalisé",
                )
            )
        if len(lignes) > ALERTES_DU_BUDGET:
            contenu.messages.append(
                f"Budget : {len(lignes) - ALERTES_DU_BUDGET} autre(s) ligne(s) à surveiller "
                "(page Budget vs réalisé)."
            )

    def _subventions(self, contenu: ContenuTableauDeBord, etat: Etat, exercice: Any) -> None:
        source = etat.source
        conventions, erreurs = conventions_du_grand_livre(source.context)
        if conventions is None or erreurs:
            return
        # the exercice's conventions and the previous one's: a compte rendu is due after
        # the end of the convention, often in the next exercice
        lignes: dict[str, Any] = {}
        for periode in (source.precedent(exercice), exercice):
            if periode is None:
                continue
            try:
                suivi = suivi_des_subventions(source, conventions, periode)
            except RapportImpossible:
                continue
            lignes.update((ligne.convention.reference, ligne) for ligne in suivi)
        reference = source.mouvements.derniere_date or exercice.fin
        proche = reference + datetime.timedelta(days=HORIZON_COMPTES_RENDUS)
        url = url_guide("conventions", ancre(SECTION_SUIVI))
        for ligne in lignes.values():
            convention = ligne.convention
            for echeance in ligne.echeances:
                date = echeance.date.strftime("%d/%m/%Y")
                nom = f"{convention.reference} ({convention.financeur})"
                if echeance.nature == "versement" and echeance.etat == EN_RETARD:
                    contenu.alertes.append(
                        Alerte(
                            f"subvention:{convention.reference}:{echeance.libelle}",
                            "alerte",
                            f"Subvention en retard : {nom}",
                            f"{echeance.libelle}, attendu le {date}, pas encore reçu.",
                            chiffre(
                                f"subvention:{convention.reference}", "Attendu", echeance.montant
                            ),
                            url,
                            "Guide : suivi des subventions",
                        )
                    )
                elif echeance.nature == "compte_rendu" and (
                    echeance.etat == EN_RETARD
                    or (echeance.etat == A_VENIR and echeance.date <= proche)
                ):
                    en_retard = echeance.etat == EN_RETARD
                    contenu.alertes.append(
                        Alerte(
                            f"compte_rendu:{convention.reference}",
                            "alerte" if en_retard else "surveiller",
                            f"Compte rendu {'en retard' if en_retard else 'à rendre'} : {nom}",
                            f"Compte rendu financier à remettre au financeur "
                            f"{'depuis' if en_retard else 'avant'} le {date} "
                            "(commande « communs compte-rendu »).",
                            chiffre(
                                f"compte_rendu:{convention.reference}",
                                "Subvention",
                                convention.montant,
                            ),
                            url_guide("conventions", ancre(SECTION_COMPTE_RENDU)),
                            "Guide : compte rendu financier",
                        )
                    )

    def _fonds_dedies(self, contenu: ContenuTableauDeBord, etat: Etat, exercice: Any) -> None:
        """Once the exercice is over (an entry after its end), the fonds dédiés not booked."""
        source = etat.source
        last = source.mouvements.derniere_date
        if last is None or last <= exercice.fin or not conventions_file(source.context.config):
            return

        try:
            _fonds, ecritures = a_passer(source, exercice)
        except RapportImpossible:
            return
        if not ecritures:
            return
        total = sum((e.montant for e in ecritures), Decimal(0))
        contenu.alertes.append(
            Alerte(
                "fonds_dedies",
                "alerte",
                f"Fonds dédiés de l'exercice {exercice.code} non comptabilisés",
                f"{len(ecritures)} écriture(s) de fonds dédiés à passer pour la clôture "
                "(commande « communs fonds-dedies »).",
                chiffre("fonds_dedies", "À comptabiliser", total),
                url_guide("cloture", ancre("Les contrôles avant clôture")),
                "Guide : clôture",
            )
        )

    def _budget(
        self, contenu: ContenuTableauDeBord, etat: Etat, exercice: Any, selection: Selection
    ) -> None:
        resultats = resultat_projete(etat.source, etat.budgets, etat.entrees, exercice)
        contenu.rapports.update(resultats.rapports)
        if resultats.sans_budget is not None:
            contenu.chiffres.append(chiffre("resultat", "Résultat", resultats.resultat_a_date))
            contenu.messages.append(f"Budget : {resultats.sans_budget}")
            return
        url = url_for("extension_report", extension_name="BudgetVsRealise", exercice=exercice.code)
        assert resultats.suivi is not None  # a budget comparison was made
        self._alertes_du_budget(contenu, resultats.suivi, resultats.rapports["budget"], url)
        au = resultats.au
        date = f" au {au.strftime('%d/%m/%Y')}" if au is not None else ""
        contenu.chiffres.append(
            chiffre(
                "resultat_a_date",
                f"Résultat{date}",
                resultats.resultat_a_date,
                detail=f"budget à date : {_texte(resultats.budget_a_date)}",
            )
        )
        contenu.chiffres.append(
            chiffre("budget_a_date", f"Résultat budgété{date}", resultats.budget_a_date)
        )
        annuel = (
            f"budget annuel : {_texte(resultats.budget_annuel)} "
            f"(version « {resultats.version_budget} »)"
        )
        contenu.chiffres.append(
            chiffre(
                "projection_du_budget",
                "Projection du budget (résultat de fin d'exercice)",
                resultats.projection_du_budget,
                detail=f"réalisé{date} + budget restant ; {annuel}",
            )
        )
        if resultats.atterrissage is not None:
            contenu.chiffres.append(
                chiffre(
                    "atterrissage",
                    "Atterrissage (résultat de fin d'exercice)",
                    resultats.atterrissage,
                    detail="réalisé + prévisions détaillées (paie, conventions, flux, reste "
                    "du budget) : communs prevision atterrissage",
                )
            )
        else:
            contenu.messages.append(
                "Atterrissage : aucune prévision détaillée valide (paie, conventions, flux) ; "
                "seule la projection du budget est montrée."
            )

    def _diagnostic(self, contenu: ContenuTableauDeBord, etat: Etat, exercice: Any) -> None:
        rapport = diagnostic(etat.source, exercice)
        contenu.rapports["diagnostic"] = rapport
        fin = rapport.periode[1] if rapport.periode else exercice.fin
        last = etat.source.mouvements.derniere_date
        if last is not None and last < fin:
            fin = last
        for partie_id, ligne_id, libelle in (
            ("montants", "tresorerie_constatee", f"Trésorerie au {french_date(fin)}"),
            ("durees", "fonds_propres_mois", "Fonds propres en mois de charges"),
        ):
            partie = rapport.partie(partie_id)
            ligne = partie.ligne(ligne_id)
            if ligne is None:
                continue
            genre = next((c.genre for c in partie.colonnes if c.id == "n"), Genre.MONTANT)
            contenu.chiffres.append(
                chiffre(ligne_id, libelle, ligne.valeurs.get("n"), genre, statut=ligne.statut)
            )
        explications = {}
        if _a(rapport, "explications"):
            explications = {
                ligne.id or "": str(ligne.valeurs.get("explication") or "")
                for ligne in rapport.partie("explications").lignes
            }
        contenu.ratios = [
            expliquer_indicateurs(tableau(rapport.partie(p)), explications, url_guide)
            for p in PARTIES_DU_DIAGNOSTIC
            if _a(rapport, p)
        ]

    def _alertes_de_tresorerie(
        self,
        contenu: ContenuTableauDeBord,
        plan: Rapport,
        libelles: dict[str, str],
        selection: Selection,
    ) -> None:
        """The low point of the base scenario and of the lowest one, with the threshold
        check; an alert per scenario going under the alert threshold."""
        seuil = plan.meta.get("seuil")
        sous_le_seuil = plan.meta.get("mois_sous_seuil") or {}
        assert isinstance(sous_le_seuil, dict)
        debut = plan.periode[0] if plan.periode else None
        depuis = f"plan de trésorerie à partir de {month_label(month_of(debut))}" if debut else ""
        cartes = {c.id: c for c in chiffres_du_plan(plan, libelles)}
        pire = min(plan.totaux, key=lambda code: plan.totaux[code]["point_bas"])
        for code in dict.fromkeys([BASE.code, pire]):
            carte = cartes.get(f"point_bas:{code}")
            if carte is None:
                continue
            libelle = (
                "Point bas prévu"
                if code == BASE.code
                else (f"Point bas du scénario le plus bas (« {libelles.get(code, code)} »)")
            )
            details = [carte.detail]
            if code == BASE.code and depuis:
                details.append(depuis)
            contenu.chiffres.append(
                Chiffre(
                    carte.id,
                    libelle,
                    carte.texte,
                    carte.valeur,
                    statut=carte.statut,
                    detail=" ; ".join(d for d in details if d),
                )
            )
        url = url_for(
            "extension_report",
            extension_name="Tresorerie",
            **({"scenario": TOUS} if len(plan.totaux) > 1 else {}),
        )
        for code, mois in sous_le_seuil.items():
            if not mois:
                continue
            totaux = plan.totaux[code]
            noms = ", ".join(_nom_du_mois(m) for m in mois)
            contenu.alertes.append(
                Alerte(
                    f"tresorerie:{code}",
                    "alerte",
                    f"Trésorerie sous le seuil d'alerte — scénario « {libelles.get(code, code)} »",
                    f"{len(mois)} mois sous le seuil de {_texte(seuil)} ({noms}) ; point bas "
                    f"{_texte(totaux['point_bas'])}, fin "
                    f"{_nom_du_mois(str(totaux['mois_point_bas']))}.",
                    chiffre(f"tresorerie:{code}", "Point bas", totaux["point_bas"]),
                    url,
                    "Trésorerie",
                )
            )

    def _tresorerie(
        self, contenu: ContenuTableauDeBord, etat: Etat, selection: Selection, page: Page
    ) -> None:
        source = etat.source
        entrees = etat.entrees
        if entrees.erreurs:
            contenu.messages.append(
                f"Prévisions : {len(entrees.erreurs)} erreur(s) dans les fichiers de prévisions "
                "(fichier manquant ou invalide) ; point bas et versements attendus non calculés "
                "(voir la page Trésorerie)."
            )
            return
        last = source.mouvements.derniere_date
        scenarios = [BASE, *(entrees.scenarios[code] for code in sorted(entrees.scenarios))]
        plan = etat.plan_de_tresorerie(
            depuis=None if last else datetime.date.today(), scenarios=scenarios
        )
        contenu.rapports["tresorerie"] = plan
        self._alertes_de_tresorerie(
            contenu, plan, {s.code: s.libelle for s in scenarios}, selection
        )
        contenu.messages.extend(a for a in plan.avertissements if a.startswith("Mois sans budget"))
        contenu.messages.extend(n for n in plan.notes if " sans budget" in n)

        debut = debut_des_versements(source, datetime.date.today())
        attendus = versements_attendus(source, entrees, debut, HORIZON_VERSEMENTS)
        if attendus is None:
            contenu.versements_message = (
                "Aucun fichier de conventions déclaré : les versements de subventions "
                "attendus ne sont pas connus (détail pour le gestionnaire plus bas)."
            )
            page.details.append(
                "Les conventions de subvention se déclarent dans communs.yaml, clé "
                "« conventions » (guide, chapitre « Conventions de subvention »)."
            )
            return
        contenu.versements = [
            LigneDeVersement(v.date, v.libelle, v.financeur, v.montant) for v in attendus
        ]
        if not contenu.versements:
            contenu.versements_message = (
                "Aucun versement de subvention attendu dans les douze mois."
            )

    def rapport_exporte(self, contenu: ContenuTableauDeBord) -> Rapport | None:
        """The diagnostic financier, the dashboard's table (``communs diagnostic``)."""
        return contenu.rapports.get("diagnostic")

    def donnees(self, contenu: ContenuTableauDeBord) -> dict[str, Any]:
        return {
            "chiffres": {c.id: c.valeur for c in contenu.chiffres},
            "alertes": [
                {
                    "id": a.id,
                    "niveau": a.niveau,
                    "titre": a.titre,
                    "texte": a.texte,
                    "valeur": a.chiffre.valeur if a.chiffre else None,
                }
                for a in contenu.alertes
            ],
            "statuts": {c.id: c.statut for c in contenu.chiffres if c.statut},
            "messages": contenu.messages,
            "avertissements": [str(a) for a in contenu.avertissements],
            "versements": [
                {
                    "date": v.date.isoformat(),
                    "libelle": v.libelle,
                    "financeur": v.financeur,
                    "montant": v.valeur,
                }
                for v in contenu.versements
            ],
            "rapports": {nom: to_dict(r) for nom, r in contenu.rapports.items()},
        }


def _a(rapport: Rapport, partie_id: str) -> bool:
    return any(p.id == partie_id for p in rapport.parties)


ORDRE_DES_ALERTES = ("erreurs", "tresorerie", "budget", "subvention", "compte_rendu")


def _ordre_des_alertes(alerte: Alerte) -> tuple[bool, int]:
    """Alerts before « à surveiller »; then errors, cash, budget, subsidies, the rest."""
    genre = alerte.id.split(":")[0]
    rang = ORDRE_DES_ALERTES.index(genre) if genre in ORDRE_DES_ALERTES else 99
    return alerte.niveau != "alerte", rang


def _nom_du_mois(cle: str) -> str:
    """``"2027-03"`` → « mars 2027 »."""
    return month_label(parse_month_key(cle))


def _texte(value: Any) -> str:
    return francais(value, Genre.MONTANT)
