"""The subsidies follow-up (``communs subventions``): per convention, what was
granted, recognised, received, is still receivable, spent on the project and
left to spend; then the next instalments and compte-rendu deadlines.

Figures are cumulative from the start of the ledger to the *reference date*:
``au`` when given, else the date of the ledger's last entry (not the
computer's date: a report on the same ledger always says the same). A
deadline before that date is *overdue* (« en retard »):

- an instalment not fully received: payments received for the convention are
  applied to its instalments in the order of the échéancier (first expected,
  first paid); the unpaid rest of each is listed with its expected date;
- a compte-rendu not sent (``compte_rendu_remis`` not given in the file).

*Spent* is the convention's emploi (:mod:`communs_ledger.conventions.emploi`)
from its start to the reference date, direct charges and allocated indirect
costs; *left to spend* is granted − spent (negative: spent beyond the grant).

The conventions listed are those whose period overlaps the exercice, or that
are granted for it (``exercice:``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from ..analytique.cles import Cles
from ..exercices import Exercice, french_date
from ..formatage import montant
from ..rapports.entete import avertissements_devises
from ..rapports.objets import Colonne, Genre, Ligne, Partie, Rapport, Style, Valeur
from ..rapports.source import RapportImpossible, Source
from .emploi import emplois, hors_periode
from .fichier import Convention, Conventions

ZERO = Decimal(0)
EN_RETARD = "en retard"
A_VENIR = "à venir"
REMIS = "remis"
A_JOUR = "à jour"

_AMOUNTS = ("montant", "reconnu", "recu", "a_recevoir", "depense", "dont_reparti", "reste")
TOTAUX = {
    "montant": "total_accorde",
    "reconnu": "total_reconnu",
    "recu": "total_recu",
    "a_recevoir": "total_a_recevoir",
    "depense": "total_depense",
    "dont_reparti": "total_reparti",
    "reste": "total_reste_a_depenser",
}


@dataclass(frozen=True)
class Echeance:
    """An instalment still expected, or a compte-rendu deadline."""

    reference: str
    nature: str  # "versement" | "compte_rendu"
    libelle: str
    date: datetime.date
    montant: Decimal | None
    etat: str  # EN_RETARD | A_VENIR | REMIS


@dataclass(frozen=True)
class LigneSubvention:
    convention: Convention
    reconnu: Decimal
    recu: Decimal
    a_recevoir: Decimal
    depense: Decimal
    dont_reparti: Decimal
    echeances: tuple[Echeance, ...]

    @property
    def suivie(self) -> bool:
        """Its use is followed through spending: a project, or charges tagged with it. An
        operating subsidy (no project, nothing tagged) funds the whole association."""
        return bool(self.convention.projets) or self.depense != 0

    @property
    def reste(self) -> Decimal | None:
        """Granted − spent, never below zero (a project costing more than the subsidy is
        co-funded, not « negative »); None when the use is not followed."""
        if not self.suivie:
            return None
        return max(ZERO, self.convention.montant - self.depense)

    @property
    def statut(self) -> str:
        late = [e for e in self.echeances if e.etat == EN_RETARD]
        if not late:
            return A_JOUR
        kinds = []
        if any(e.nature == "versement" for e in late):
            kinds.append("versement en retard")
        if any(e.nature == "compte_rendu" for e in late):
            kinds.append("compte rendu en retard")
        return ", ".join(kinds)


def echeances_restantes(
    convention: Convention, recu: Decimal, reference: datetime.date
) -> list[Echeance]:
    """Instalments not fully received (payments applied in échéancier order), and the
    compte-rendu deadline, each marked late or to come at ``reference``."""
    result = []
    left = recu
    for echeance in sorted(convention.echeancier(), key=lambda e: (e.date, e.rang)):
        paid = min(max(left, ZERO), echeance.montant)
        left -= paid
        due = echeance.montant - paid
        if due <= 0:
            continue
        etat = EN_RETARD if echeance.date < reference else A_VENIR
        result.append(
            Echeance(convention.reference, "versement", echeance.libelle, echeance.date, due, etat)
        )
    if convention.compte_rendu_remis is not None:
        etat = REMIS
    else:
        etat = EN_RETARD if convention.compte_rendu < reference else A_VENIR
    result.append(
        Echeance(
            convention.reference,
            "compte_rendu",
            "compte rendu financier",
            convention.compte_rendu,
            None,
            etat,
        )
    )
    return result


def conventions_de_l_exercice(conventions: Conventions, exercice: Exercice) -> list[Convention]:
    return [
        c
        for c in conventions
        if (c.debut <= exercice.fin and c.fin >= exercice.debut) or c.exercice == exercice.code
    ]


def suivi_des_subventions(
    source: Source,
    conventions: Conventions,
    exercice: Exercice,
    au: datetime.date | None = None,
    cles: Cles | None = None,
) -> list[LigneSubvention]:
    """The follow-up of the exercice's conventions at the reference date."""
    reference = au or source.mouvements.derniere_date or exercice.fin
    chosen = conventions_de_l_exercice(conventions, exercice)
    if not chosen:
        return []
    moves = source.mouvements.entre(None, reference)
    suivis = conventions.suivi(moves)
    debut = min(c.debut for c in chosen)
    used = emplois(source, conventions, debut, reference, cles=cles) if debut <= reference else {}
    lines = []
    for convention in chosen:
        followed = suivis[convention.reference]
        emploi = used.get(convention.reference)
        recu = followed.recu
        lines.append(
            LigneSubvention(
                convention=convention,
                reconnu=followed.reconnu,
                recu=recu,
                a_recevoir=sum(followed.creances.values(), ZERO),
                depense=emploi.total if emploi else ZERO,
                dont_reparti=emploi.reparties if emploi else ZERO,
                echeances=tuple(echeances_restantes(convention, recu, reference)),
            )
        )
    return lines


def _date_fr(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def rapport_subventions(
    source: Source,
    conventions: Conventions,
    exercice: Exercice,
    au: datetime.date | None = None,
    cles: Cles | None = None,
) -> Rapport:
    """``communs subventions``: the report (parts « Conventions » and « Échéances »)."""
    if au is not None and au < exercice.debut:
        raise RapportImpossible(f"--au {au.isoformat()} précède le début de l'{exercice.libelle}")
    reference = au or source.mouvements.derniere_date or exercice.fin
    lines = suivi_des_subventions(source, conventions, exercice, au, cles)

    columns = [
        Colonne("financeur", "Financeur", Genre.TEXTE),
        Colonne("projets", "Projet(s)", Genre.TEXTE),
        Colonne("montant", "Accordé"),
        Colonne("reconnu", "Reconnu (74)"),
        Colonne("recu", "Reçu"),
        Colonne("a_recevoir", "À recevoir (441)"),
        Colonne("depense", "Dépensé"),
        Colonne("dont_reparti", "dont charges réparties"),
        Colonne("reste", "Reste à dépenser"),
        Colonne("fin", "Fin", Genre.DATE),
        Colonne("compte_rendu", "Compte rendu", Genre.DATE),
        Colonne("etat", "État", Genre.TEXTE),
    ]
    rows = []
    totals = dict.fromkeys(_AMOUNTS, ZERO)
    for line in lines:
        c = line.convention
        values: dict[str, Valeur] = {
            "financeur": c.financeur,
            "projets": ", ".join(c.projets) + (" (dédiée)" if c.dediee else "") or "—",
            "fin": c.fin,
            "montant": c.montant,
            "reconnu": line.reconnu,
            "recu": line.recu,
            "a_recevoir": line.a_recevoir,
            "depense": line.depense if line.suivie else None,
            "dont_reparti": line.dont_reparti if line.suivie else None,
            "reste": line.reste,
            "compte_rendu": c.compte_rendu,
            "etat": line.statut,
        }
        for key in _AMOUNTS:
            if values[key] is not None:
                totals[key] += values[key]  # type: ignore[operator]
        rows.append(Ligne(c.reference, values, id=f"convention:{c.reference}"))
    rows.append(
        Ligne(
            "Total",
            {key: totals[key] for key in _AMOUNTS},
            id="total",
            style=Style.TOTAL,
        )
    )

    due_columns = [
        Colonne("date", "Date", Genre.DATE),
        Colonne("montant", "Montant attendu"),
        Colonne("etat", "État", Genre.TEXTE),
    ]
    dues = sorted(
        (e for line in lines for e in line.echeances if e.etat != REMIS),
        key=lambda e: (e.date, e.reference, e.nature),
    )
    due_rows = [
        Ligne(
            f"{e.reference} — {e.libelle}",
            {"date": e.date, "montant": e.montant, "etat": e.etat},
            id=f"{e.nature}:{e.reference}:{e.date.isoformat()}:{e.libelle}",
            statut="alerte" if e.etat == EN_RETARD else None,
        )
        for e in dues
    ]
    late = [e for e in dues if e.etat == EN_RETARD]
    notes = [
        f"Montants cumulés depuis le début du grand livre jusqu'au {french_date(reference)} "
        + ("(date demandée par --au)." if au else "(date de la dernière écriture du grand livre).")
        + " Les échéances antérieures à cette date et non honorées sont « en retard ».",
        "Reconnu : produits de la convention (74, ou son compte) ; reçu : encaissements en "
        "trésorerie ; à recevoir : solde de sa créance (441) ; dépensé : charges éligibles de "
        "ses projets (ou portant « convention: ») et charges indirectes réparties par les clés "
        "de répartition ; reste à dépenser : accordé − dépensé, à zéro quand le projet a coûté "
        "plus que la subvention (cofinancement). « — » : subvention de fonctionnement, sans "
        "projet ni charge portant sa référence, dont l'emploi ne se suit pas par les dépenses.",
        "Versements reçus imputés aux échéances dans l'ordre de l'échéancier ; compte rendu "
        "financier attendu dans les six mois suivant la fin de l'exercice (loi 2000-321, "
        "art. 10) sauf date de la convention.",
    ]
    warnings = avertissements_devises(source)
    if late:
        warnings.append(
            f"{len(late)} échéance(s) en retard au {french_date(reference)} : "
            + ", ".join(
                f"{e.reference} ({'compte rendu' if e.nature == 'compte_rendu' else e.libelle}, "
                f"{_date_fr(e.date)}"
                + (f", {montant(e.montant)}" if e.montant is not None else "")
                + ")"
                for e in late
            )
        )
    for line in lines:
        outside = hors_periode(source, conventions, line.convention)
        if outside:
            warnings.append(outside)
    if not lines:
        warnings.append(f"Aucune convention sur l'{exercice.libelle}.")
    return Rapport(
        id="subventions",
        titre="Suivi des subventions",
        association=source.association,
        parties=[
            Partie("conventions", "Conventions", columns, rows, onglet="Conventions"),
            Partie(
                "echeances",
                "Prochaines échéances et retards",
                due_columns,
                due_rows,
                notes=["Versements attendus non reçus et comptes rendus non remis."],
                onglet="Échéances",
            ),
        ],
        sous_titre=(
            f"{exercice.libelle[0].upper()}{exercice.libelle[1:]} — situation au "
            f"{french_date(reference)}"
        ),
        exercice=exercice.code,
        periode=(exercice.debut, exercice.fin),
        totaux={"montant": {TOTAUX[key]: totals[key] for key in _AMOUNTS}},
        notes=notes,
        avertissements=warnings,
        meta={"au": reference, "date_de_reference": "au" if au else "derniere_ecriture"},
    )
