"""Page « Tableau de bord »: what a board needs at a glance, for the chosen exercice.

- résultat à date against the budget à date (``communs budget``: totals ``realise``
  and ``budget_a_date`` of ``resultat``), and the projected result at the end of the
  exercice: with forecast inputs, that of ``communs prevision atterrissage`` (actuals +
  payroll, conventions, flows and the rest of the budget); without them, the budget's
  ``projection`` (actuals + the rest of the budget); without a budget, the résultat of
  the compte de résultat and a word on the missing budget;
- cash observed at the close (or today for the exercice in progress) and fonds
  propres in months of charges, with their status (``communs diagnostic``);
- the forecast low point and its month (``communs tresorerie``, base scenario);
- the diagnostic ratios with ok / à surveiller / alerte;
- the active warnings (budget rules) — errors are listed atop every page;
- the subsidy instalments expected in the next twelve months (the conventions'
  échéanciers as the cash plan forecasts them).

Each block comes from the engine; one that cannot be made (no budget, no
forecast) says why in French and the others still show.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..budget.suivi import budget_vs_realise
from ..chargement import Diagnostic
from ..exercices import french_date
from ..previsions.modele import BASE, Periode
from ..previsions.versements import Versements
from ..rapports.diagnostic import diagnostic
from ..rapports.objets import Genre, Rapport
from ..rapports.resultat import compte_de_resultat
from ..rapports.source import RapportImpossible
from ..rendu.en_json import to_dict
from ..rendu.valeurs import francais, machine
from .etat import Etat
from .extension import Page, PageCommuns
from .selection import Selection, exercice_choisi
from .tableaux import Chiffre, TableauVue, chiffre, tableau
from .tresorerie import chiffres_du_plan

HORIZON_VERSEMENTS = 365
"""Days ahead for the subsidy instalments listed."""
PARTIES_DU_DIAGNOSTIC = ("montants", "durees", "ratios")


@dataclass(frozen=True)
class Versement:
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


@dataclass
class ContenuTableauDeBord:
    chiffres: list[Chiffre] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    ratios: list[TableauVue] = field(default_factory=list)
    avertissements: list[Diagnostic] = field(default_factory=list)
    versements: list[Versement] = field(default_factory=list)
    versements_message: str | None = None
    rapports: dict[str, Rapport] = field(default_factory=dict)
    url_donnees: str = ""


class TableauDeBord(PageCommuns):
    """Les chiffres clés pour le conseil d'administration."""

    report_title = "Tableau de bord"

    def construire(self, page: Page, etat: Etat, selection: Selection) -> ContenuTableauDeBord:
        source = etat.source
        assert source is not None
        exercice = exercice_choisi(source, selection)
        page.selecteurs = [self.selecteur_exercices(etat, selection, exercice)]
        page.sous_titre = exercice.libelle[:1].upper() + exercice.libelle[1:]
        contenu = ContenuTableauDeBord(
            avertissements=list(etat.avertissements), url_donnees=self.url_donnees(selection)
        )

        self._budget(contenu, etat, exercice)
        self._diagnostic(contenu, etat, exercice)
        self._tresorerie(contenu, etat)
        return contenu

    def _budget(self, contenu: ContenuTableauDeBord, etat: Etat, exercice: Any) -> None:
        source = etat.source
        budgets = etat.budgets
        try:
            if budgets.erreurs:
                raise RapportImpossible(
                    f"les fichiers de budget contiennent {len(budgets.erreurs)} erreur(s) "
                    "(voir la page Budget vs réalisé)"
                )
            rapport = budget_vs_realise(source, budgets, exercice)
        except RapportImpossible as exc:
            cr = compte_de_resultat(source, exercice, n1=False)
            contenu.rapports["compte_de_resultat"] = cr
            contenu.chiffres.append(chiffre("resultat", "Résultat", cr.totaux["n"]["resultat"]))
            contenu.messages.append(f"Budget : {exc}")
            return
        contenu.rapports["budget"] = rapport
        au = rapport.meta.get("au")
        date = f" au {au.strftime('%d/%m/%Y')}" if isinstance(au, datetime.date) else ""
        totaux = rapport.totaux
        contenu.chiffres.append(
            chiffre(
                "resultat_a_date",
                f"Résultat{date}",
                totaux["realise"]["resultat"],
                detail=f"budget à date : {_texte(totaux['budget_a_date']['resultat'])}",
            )
        )
        contenu.chiffres.append(
            chiffre("budget_a_date", f"Résultat budgété{date}", totaux["budget_a_date"]["resultat"])
        )
        annuel = (
            f"budget annuel : {_texte(totaux['budget_annuel']['resultat'])} "
            f"(version « {rapport.meta.get('version_nom')} »)"
        )
        atterri = self._atterrissage(contenu, etat, exercice)
        if atterri is not None:
            projete, methode = atterri, "réalisé + prévisions (atterrissage)"
        else:
            projete, methode = totaux["projection"]["resultat"], "réalisé + reste du budget"
        contenu.chiffres.append(
            chiffre(
                "resultat_projete",
                "Résultat projeté en fin d'exercice",
                projete,
                detail=f"{methode} ; {annuel}",
            )
        )

    @staticmethod
    def _atterrissage(contenu: ContenuTableauDeBord, etat: Etat, exercice: Any) -> Any:
        """The projected result of ``communs prevision atterrissage`` when forecast inputs
        are declared (payroll, conventions, flows) and valid; None otherwise (the budget's
        projection is then shown, as ``communs budget`` computes it)."""
        entrees = etat.entrees
        if entrees is None or not entrees.fichiers or entrees.erreurs:
            return None
        from ..previsions.atterrissage import atterrissage

        try:
            rapport = atterrissage(etat.source, entrees, etat.budgets, exercice.code)
        except RapportImpossible:
            return None
        contenu.rapports["atterrissage"] = rapport
        return rapport.totaux["atterrissage"]["resultat"]

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
        contenu.ratios = [
            tableau(rapport.partie(p)) for p in PARTIES_DU_DIAGNOSTIC if _a(rapport, p)
        ]

    def _tresorerie(self, contenu: ContenuTableauDeBord, etat: Etat) -> None:
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
        plan = etat.plan_de_tresorerie(
            depuis=None if last else datetime.date.today(), scenarios=[BASE]
        )
        contenu.rapports["tresorerie"] = plan
        point_bas = [c for c in chiffres_du_plan(plan, {}) if c.id.startswith("point_bas")]
        contenu.chiffres.extend(point_bas)

        debut = (last or datetime.date.today()) + datetime.timedelta(days=1)
        periode = Periode(debut, debut + datetime.timedelta(days=HORIZON_VERSEMENTS - 1))
        versements = [e for e in entrees.entrees if isinstance(e, Versements)]
        if not versements:
            contenu.versements_message = (
                "Aucun fichier de conventions déclaré (communs.yaml, clé « conventions ») : "
                "les versements de subventions attendus ne sont pas connus."
            )
            return
        for entree in versements:
            for mouvement in entree.generer(periode, BASE, source).tresorerie:
                if mouvement.montant > 0:
                    contenu.versements.append(
                        Versement(
                            mouvement.date,
                            mouvement.libelle,
                            mouvement.detail or "",
                            mouvement.montant,
                        )
                    )
        contenu.versements.sort(key=lambda v: (v.date, v.libelle))
        if not contenu.versements:
            contenu.versements_message = (
                "Aucun versement de subvention attendu dans les douze mois."
            )

    def donnees(self, contenu: ContenuTableauDeBord) -> dict[str, Any]:
        return {
            "chiffres": {c.id: c.valeur for c in contenu.chiffres},
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


def _texte(value: Any) -> str:
    return francais(value, Genre.MONTANT)
