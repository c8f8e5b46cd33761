"""Subsidy payments to come: the conventions' échéanciers as a forecast input.

For each convention of ``conventions.yaml`` (:mod:`communs_ledger.conventions.fichier`):

1. the échéancier under the scenario (amount and delays overridden);
2. what the ledger already received for it before the period
   (:meth:`~communs_ledger.conventions.fichier.Conventions.suivi`) is allocated to
   the instalments in their order: the first is paid off first;
3. each instalment's unpaid part is a receipt (category ``subventions``,
   counterpart its receivable, 441) at its expected date; its detail (the
   funder's sub-line in the plan) is named from the accounts the ledger used for
   the convention, as the actual months are (``441-…:Region`` → « Région »), or
   is the convention's ``financeur`` when the ledger has nothing of it yet. An
   instalment expected before the start of the period is **overdue**: it is
   forecast on the first day of the period, its label saying « en retard » and
   the date it was expected. Instalments after the period are left out;
4. the part of the amount not yet recognised in its income accounts (amount −
   net credits of its income accounts with the convention's metadata) is a
   forecast produit on the convention's income code (``compte``, or 741), at
   its notification date (or ``debut``), or the first day of the period if that
   is past but in the same exercice; granted in an earlier exercice, it is not
   forecast (its produit belonged to that exercice: a forecast cannot book it in
   a later one), a note says so. The difference is signed: a scenario reducing a convention already
   recognised forecasts the reduction of the produit.

Scenario overrides (``scenario.conventions[REF]``):

- ``montant``: the new amount (number) or a variation (``"-30%"``); every
  instalment is scaled in proportion (to the cent, the last one taking the
  rounding difference);
- ``retard_mois`` / ``retard_jours``: delay of every instalment;
- ``versements: {KEY: {retard_mois, retard_jours, date}}``: one instalment,
  KEY being its ``libelle`` or its position (1 for the first);
- ``annulee: true``: nothing more is received, nor recognised (the amount
  becomes 0).

:meth:`Versements.codes_couverts`: the conventions' income codes (``compte``,
741 for those without one): budget lines on them only contribute what exceeds
the conventions (:mod:`.budget_restant`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..codes import parse_account
from ..conventions.etiquettes import versements_deja_recus
from ..conventions.fichier import (
    Convention,
    Conventions,
    Echeance,
    SuiviConvention,
    ajouter_mois,
    restant,
)
from ..conventions.financeurs import details
from ..exercices import french_date
from ..formatage import montant
from ..montants import to_cent
from ..rapports.objets import Colonne, Genre, Ligne, Partie, Rapport, Style
from ..rapports.source import Source
from .modele import (
    BASE,
    MouvementPrevu,
    Periode,
    Previsions,
    ResultatPrevu,
    Scenario,
    lire_variation,
)

CATEGORIE = "subventions"
SURCHARGES = ("montant", "retard_mois", "retard_jours", "versements", "annulee")
SURCHARGES_VERSEMENT = ("retard_mois", "retard_jours", "date")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _instalment_key(convention: Convention, key: Any) -> int | None:
    """Position (1-based) of the instalment a scenario names, or None."""
    text = str(key).strip()
    for echeance in convention.echeancier():
        if echeance.libelle == text:
            return echeance.rang
    if text.isdigit() and 1 <= int(text) <= len(convention.versements):
        return int(text)
    return None


def _delay_problems(
    overrides: dict[str, Any], allowed: tuple[str, ...], what: str
) -> list[tuple[tuple[Any, ...], str]]:
    problems: list[tuple[tuple[Any, ...], str]] = []
    for key in ("retard_mois", "retard_jours"):
        if key in overrides and not _is_int(overrides[key]):
            problems.append(((key,), f"{key} : nombre entier attendu (lu : {overrides[key]!r})"))
    for key in overrides:
        if key not in allowed:
            problems.append(
                ((key,), f"surcharge « {key} » inconnue pour {what} ({', '.join(allowed)})")
            )
    return problems


def valider_surcharges_de_convention(
    convention: Convention, overrides: dict[str, Any]
) -> list[tuple[tuple[Any, ...], str]]:
    """Problems of a scenario's overrides of a convention: (path inside them, message)."""
    problems = _delay_problems(overrides, SURCHARGES, "une convention")
    if "montant" in overrides:
        try:
            new = lire_variation(overrides["montant"]).appliquer(convention.montant)
        except ValueError as exc:
            problems.append((("montant",), str(exc)))
        else:
            if new < 0:
                problems.append((("montant",), "le montant d'une convention ne peut être négatif"))
    if "annulee" in overrides and not isinstance(overrides["annulee"], bool):
        problems.append((("annulee",), "annulee : vrai ou faux (true / false) attendu"))
    instalments = overrides.get("versements")
    if instalments is not None:
        if not isinstance(instalments, dict):
            problems.append(
                (("versements",), "versements : ensemble de clés attendu (ex. {solde: {…}})")
            )
            return problems
        names = ", ".join(e.libelle for e in convention.echeancier())
        for key, value in instalments.items():
            path = ("versements", key)
            if _instalment_key(convention, key) is None:
                problems.append(
                    (
                        path,
                        f"versement « {key} » inconnu de {convention.reference} ({names}, ou "
                        "son rang : 1, 2…)",
                    )
                )
                continue
            if not isinstance(value, dict):
                problems.append((path, "ensemble de clés attendu (ex. {retard_mois: 4})"))
                continue
            for sub_path, message in _delay_problems(value, SURCHARGES_VERSEMENT, "un versement"):
                problems.append(((*path, *sub_path), message))
            if "date" in value and not isinstance(value["date"], datetime.date):
                problems.append(((*path, "date"), "date AAAA-MM-JJ attendue"))
    if not problems:
        try:
            echeancier_scenario(convention, overrides)
        except (ValueError, OverflowError):  # a delay beyond the year 9999
            problems.append(((), "retard hors du calendrier : une date attendue dépasse l'an 9999"))
    return problems


def _delayed(day: datetime.date, overrides: dict[str, Any]) -> datetime.date:
    if "date" in overrides:
        day = overrides["date"]
    if overrides.get("retard_mois"):
        day = ajouter_mois(day, int(overrides["retard_mois"]))
    if overrides.get("retard_jours"):
        day += datetime.timedelta(days=int(overrides["retard_jours"]))
    return day


def echeancier_scenario(
    convention: Convention, overrides: dict[str, Any]
) -> tuple[Decimal, list[Echeance]]:
    """The amount and échéancier of a convention under a scenario's (valid) overrides."""
    echeances = convention.echeancier()
    if not overrides:
        return convention.montant, echeances
    amount = convention.montant
    if overrides.get("annulee"):
        amount = Decimal(0)
    elif "montant" in overrides:
        amount = lire_variation(overrides["montant"]).appliquer(convention.montant)
    if amount != convention.montant:
        scaled = [to_cent(e.montant * amount / convention.montant) for e in echeances]
        scaled[-1] += amount - sum(scaled, Decimal(0))
        echeances = [
            Echeance(e.rang, e.libelle, e.date, share, e.location)
            for e, share in zip(echeances, scaled, strict=True)
        ]
    by_rank: dict[int, dict[str, Any]] = {}
    for key, value in (overrides.get("versements") or {}).items():
        rank = _instalment_key(convention, key)
        if rank is not None:
            by_rank[rank] = value
    result = []
    for echeance in echeances:
        day = _delayed(echeance.date, overrides)
        day = _delayed(day, by_rank.get(echeance.rang, {}))
        result.append(
            Echeance(echeance.rang, echeance.libelle, day, echeance.montant, echeance.location)
        )
    return amount, result


class Versements:
    """The conventions' payments to come (and produits not yet recognised)."""

    def __init__(self, conventions: Conventions) -> None:
        self.conventions = conventions
        self._recus: dict[tuple[int, datetime.date], Any] = {}

    def _deja_recus(self, contexte: Source, debut: datetime.date) -> Any:
        """What the ledger holds before ``debut`` (follow-up, untagged receipts matched),
        computed once per ledger and date: it does not depend on the scenario."""
        key = (id(contexte), debut)
        found = self._recus.get(key)
        if found is None:
            moves = contexte.mouvements.entre(None, debut - datetime.timedelta(days=1))
            followed = self.conventions.suivi(moves)
            found = (followed, versements_deja_recus(self.conventions, moves, followed))
            self._recus[key] = found
        return found

    def suivis(self, periode: Periode, contexte: Source) -> dict[str, SuiviConvention]:
        """What the ledger holds of each convention before the period."""
        before = periode.debut - datetime.timedelta(days=1)
        return self.conventions.suivi(contexte.mouvements.entre(None, before))

    def generer(self, periode: Periode, scenario: Scenario, contexte: Source) -> Previsions:
        result = Previsions()
        followed, untagged = self._deja_recus(contexte, periode.debut)
        funders = details(self.conventions, followed)
        debut_exercice = contexte.context.calendrier.containing(periode.debut).debut
        for convention in self.conventions:
            overrides = scenario.conventions.get(convention.reference) or {}
            amount, echeances = echeancier_scenario(convention, overrides)
            suivi = followed[convention.reference]
            origine = f"convention:{convention.reference}"
            funder = funders[convention.reference]
            paid = {item.echeance.rang for item in untagged.get(convention.reference, ())}
            for item in untagged.get(convention.reference, ()):
                result.notes.append(
                    f"{convention.reference}, versement « {item.echeance.libelle} » : "
                    f"considéré comme reçu — encaissement de {montant(item.montant)} le "
                    f"{french_date(item.date)} sur {item.compte} sans métadonnée "
                    f"« convention: » ({item.location}), rapproché par financeur, montant et "
                    "date ; ajoutez-lui la métadonnée convention."
                )
            echeances = [e for e in echeances if e.rang not in paid]
            result.notes.extend(_dates_improbables(convention))
            # a part repaid to the funder was recognised, then cancelled: not to recognise again
            recognised = (
                suivi.reconnu
                + suivi.reverse
                + sum(
                    (
                        item.montant
                        for item in untagged.get(convention.reference, ())
                        if (parse_account(item.compte).code or "").startswith(
                            convention.prefixe_produits
                        )
                    ),
                    Decimal(0),
                )
            )
            for echeance in restant(echeances, suivi.verse):
                day, retard = periode.echeance(echeance.date)
                libelle = f"{convention.financeur} – {echeance.libelle}{retard}"
                if day > periode.fin:
                    continue
                if retard:
                    result.notes.append(_en_retard(convention, echeance))
                result.tresorerie.append(
                    MouvementPrevu(
                        day,
                        echeance.montant,
                        CATEGORIE,
                        libelle,
                        origine,
                        detail=funder,
                        compte=convention.prefixe_creances,
                        projet=convention.projet,
                        location=echeance.location,
                    )
                )
            to_recognise = amount - recognised
            granted = convention.notification or convention.debut
            if to_recognise and granted < debut_exercice:
                result.notes.append(_jamais_constate(convention, to_recognise, granted))
                continue
            day = max(granted, periode.debut)
            if to_recognise and day <= periode.fin:
                fin_exercice = contexte.context.calendrier.containing(day).fin
                if to_recognise > 0 and convention.fin > fin_exercice:
                    result.notes.append(_pluriannuelle(convention, to_recognise, day))
                result.resultat.append(
                    ResultatPrevu(
                        day,
                        convention.code_produit,
                        to_recognise,
                        f"{convention.financeur} – {convention.objet}",
                        origine,
                        convention.projet,
                        convention.location,
                    )
                )
        return result

    def codes_couverts(self) -> set[str]:
        return {convention.code_produit for convention in self.conventions}

    def signees_entre(self, debut: datetime.date, fin: datetime.date) -> list[Convention]:
        """The conventions recognised between ``debut`` and ``fin`` (notification, else
        start): what the funders sign for an exercice."""
        return [
            convention
            for convention in self.conventions
            if debut <= (convention.notification or convention.debut) <= fin
        ]

    def codes_couverts_entre(self, debut: datetime.date, fin: datetime.date) -> set[str]:
        """The income codes of the conventions recognised between ``debut`` and ``fin``
        (notification, else start): a subsidy is granted year by year, so an exercice
        without a convention on a code keeps its budget line (the multi-year
        projection carries it over, see :mod:`.pluriannuelle`)."""
        return {
            convention.code_produit
            for convention in self.conventions
            if debut <= (convention.notification or convention.debut) <= fin
        }


def _en_retard(convention: Convention, echeance: Echeance) -> str:
    """The note for an instalment expected before the forecast and not received."""
    return (
        f"{convention.reference}, versement « {echeance.libelle} » "
        f"({montant(echeance.montant)}) : attendu le {french_date(echeance.date)}, "
        "introuvable au grand livre : prévu en retard, au premier jour de la prévision ; "
        "s'il a été reçu, ajoutez la métadonnée « convention: » à son encaissement."
    )


JOURS_IMPROBABLES = 366
"""A dated instalment more than this many days before the action's start or after the
compte-rendu deadline is most likely a typo (the year): the forecasts say so."""


def _dates_improbables(convention: Convention) -> list[str]:
    """Warnings, at the instalment's line, for a written date far outside the convention:
    it is forecast as written (or left out of a plan that ends earlier), never silently."""
    margin = datetime.timedelta(days=JOURS_IMPROBABLES)
    notes = []
    for versement in convention.versements:
        day = versement.date
        if day is None:
            continue
        if day > convention.compte_rendu + margin:
            where = (
                f"plus d'un an après la date limite du compte rendu "
                f"({french_date(convention.compte_rendu)})"
            )
        elif day < convention.debut - margin:
            where = f"plus d'un an avant le début de l'action ({french_date(convention.debut)})"
        else:
            continue
        notes.append(
            f"{versement.location} : {convention.reference}, versement « {versement.libelle} » "
            f"attendu le {french_date(day)}, {where} : date à vérifier (année mal tapée ?) ; "
            "il est prévu à cette date."
        )
    return notes


def _pluriannuelle(convention: Convention, reste: Decimal, day: datetime.date) -> str:
    """The warning for a convention whose action runs past the exercice where its
    unrecognised part is forecast: whether that part belongs to this exercice (a global
    grant) or to the next ones (annual tranches, produits constatés d'avance) depends on
    the convention's wording, which the file does not say."""
    return (
        f"{convention.location} : {convention.reference}, action du "
        f"{french_date(convention.debut)} au {french_date(convention.fin)}, au-delà de "
        f"l'exercice : {montant(reste)} pas encore constatés en produit sont prévus en "
        f"produit le {french_date(day)}, dans cet exercice. Si la convention fixe des "
        "tranches annuelles (part des exercices suivants en produits constatés d'avance, "
        "487), déclarez une convention par exercice."
    )


def _jamais_constate(convention: Convention, reste: Decimal, granted: datetime.date) -> str:
    """The note for a convention granted before the exercice of the forecast whose amount
    the ledger never recognised in full: its produit belonged to that earlier exercice."""
    return (
        f"{convention.reference} : {montant(reste)} jamais constatés en produit au grand livre "
        f"(notification ou début le {french_date(granted)}, avant l'exercice de la prévision) "
        "ne sont pas prévus en produit : ce produit appartenait à l'exercice de la "
        "notification ; vérifiez la métadonnée « convention: » de ses produits."
    )


# --- Instalments expected ------------------------------------------------------------------

HORIZON_VERSEMENTS = 365
"""Days ahead for the subsidy instalments expected (:func:`versements_attendus`)."""


@dataclass(frozen=True, slots=True)
class VersementAttendu:
    """One subsidy instalment expected, as the cash plan forecasts it (base scenario)."""

    date: datetime.date
    libelle: str
    financeur: str
    montant: Decimal


def debut_des_versements(source: Any, aujourd_hui: datetime.date) -> datetime.date:
    """The first day the instalments to come are looked for: the day after the last
    actual entry (after ``aujourd_hui`` for a ledger without entries)."""
    last = source.mouvements.derniere_date
    return (last or aujourd_hui) + datetime.timedelta(days=1)


def versements_attendus(
    source: Any, entrees: Any, debut: datetime.date, jours: int = HORIZON_VERSEMENTS
) -> list[VersementAttendu] | None:
    """The subsidy instalments expected from ``debut`` over ``jours`` days (the conventions'
    échéanciers, overdue ones on ``debut``), by date then label; None when no conventions
    file is declared among the forecast inputs ``entrees``."""
    periode = Periode(debut, debut + datetime.timedelta(days=jours - 1))
    versements = [e for e in entrees.entrees if isinstance(e, Versements)]
    if not versements:
        return None
    found = [
        VersementAttendu(
            mouvement.date, mouvement.libelle, mouvement.detail or "", mouvement.montant
        )
        for entree in versements
        for mouvement in entree.generer(periode, BASE, source).tresorerie
        if mouvement.montant > 0
    ]
    found.sort(key=lambda v: (v.date, v.libelle))
    return found


def build_rapport_versements_attendus(
    attendus: list[VersementAttendu] | None,
    association: str,
    debut: datetime.date,
    jours: int = HORIZON_VERSEMENTS,
) -> Rapport:
    """The instalments of :func:`versements_attendus` as a one-table report."""
    fin = debut + datetime.timedelta(days=jours - 1)
    lignes = [
        Ligne(v.libelle, {"date": v.date, "financeur": v.financeur, "montant": v.montant})
        for v in attendus or []
    ]
    if lignes:
        total = sum((v.montant for v in attendus or []), Decimal(0))
        lignes.append(Ligne("Total", {"montant": total}, id="total", style=Style.TOTAL))
    if attendus is None:
        notes = [
            "Aucun fichier de conventions déclaré : les versements de subventions attendus ne "
            "sont pas connus (communs.yaml, clé « conventions »)."
        ]
    elif not attendus:
        notes = [f"Aucun versement de subvention attendu dans les {jours} jours."]
    else:
        notes = [
            "Échéanciers des conventions (scénario de base), moins ce que le grand livre a déjà "
            "reçu ; une échéance passée non reçue est attendue au premier jour de la période, "
            "son libellé dit « en retard »."
        ]
    return Rapport(
        id="versements_attendus",
        titre="Versements de subventions attendus",
        association=association,
        parties=[
            Partie(
                "versements",
                "Versements attendus",
                [
                    Colonne("date", "Date", Genre.DATE),
                    Colonne("financeur", "Financeur", Genre.TEXTE),
                    Colonne("montant", "Montant"),
                ],
                lignes,
            )
        ],
        sous_titre=f"Du {french_date(debut)} au {french_date(fin)} ({jours} jours)",
        periode=(debut, fin),
        totaux={"versements": {"total": sum((v.montant for v in attendus or []), Decimal(0))}},
        notes=notes,
    )
