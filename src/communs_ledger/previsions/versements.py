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
   is past. The difference is signed: a scenario reducing a convention already
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
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..codes import parse_account
from ..conventions.fichier import (
    Convention,
    Conventions,
    Echeance,
    SuiviConvention,
    ajouter_mois,
)
from .modele import MouvementPrevu, Periode, Previsions, ResultatPrevu, Scenario
from .realise import FINANCEUR_NON_PRECISE, financeur

CATEGORIE = "subventions"
CENT = Decimal("0.01")
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


def valider_surcharges(
    convention: Convention, overrides: dict[str, Any]
) -> list[tuple[tuple[Any, ...], str]]:
    """Problems of a scenario's overrides of a convention: (path inside them, message)."""
    from .scenarios import lire_variation

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


def detail(convention: Convention, suivi: SuiviConvention) -> str | None:
    """The funder sub-line of the plan, named as the actual months name it: from the
    accounts the ledger used for the convention (receivable, then income, then its
    dedicated accounts); None when they name no funder."""
    accounts = [*suivi.creances, *suivi.produits, *convention.comptes_dedies]
    for account in accounts:
        label = financeur(account)
        if label != FINANCEUR_NON_PRECISE:
            return label
    return None


def details(conventions: Conventions, suivis: dict[str, SuiviConvention]) -> dict[str, str]:
    """The funder sub-line of every convention, by reference.

    A convention the ledger holds nothing of yet (one expected next year) takes the
    sub-line of another convention of the same ``financeur``, else of one on the
    same income code (``compte``), else its ``financeur``: so that the coming
    subsidies of a funder stay on the line of its past ones.
    """
    known = {c.reference: detail(c, suivis[c.reference]) for c in conventions}
    by_funder: dict[str, str] = {}
    by_code: dict[str, str] = {}
    for convention in conventions:
        label = known[convention.reference]
        if label is None:
            continue
        by_funder.setdefault(convention.financeur.casefold(), label)
        if convention.compte:
            by_code.setdefault(convention.compte, label)
    result = {}
    for convention in conventions:
        result[convention.reference] = (
            known[convention.reference]
            or by_funder.get(convention.financeur.casefold())
            or by_code.get(convention.compte or "")
            or convention.financeur
        )
    return result


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
    from .scenarios import lire_variation

    echeances = convention.echeancier()
    if not overrides:
        return convention.montant, echeances
    amount = convention.montant
    if overrides.get("annulee"):
        amount = Decimal(0)
    elif "montant" in overrides:
        amount = lire_variation(overrides["montant"]).appliquer(convention.montant)
    if amount != convention.montant:
        scaled = [
            (e.montant * amount / convention.montant).quantize(CENT, rounding=ROUND_HALF_UP)
            for e in echeances
        ]
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


def restant(echeances: list[Echeance], recu: Decimal) -> list[Echeance]:
    """The unpaid part of each instalment once ``recu`` is allocated in their order."""
    result = []
    left = recu
    for echeance in echeances:
        paid = min(max(left, Decimal(0)), echeance.montant)
        left -= paid
        if echeance.montant - paid > 0:
            result.append(
                Echeance(
                    echeance.rang,
                    echeance.libelle,
                    echeance.date,
                    echeance.montant - paid,
                    echeance.location,
                )
            )
    return result


class Versements:
    """The conventions' payments to come (and produits not yet recognised)."""

    def __init__(self, conventions: Conventions) -> None:
        self.conventions = conventions
        self._recus: dict[tuple[int, datetime.date], Any] = {}

    def _deja_recus(self, contexte: Any, debut: datetime.date) -> Any:
        """What the ledger holds before ``debut`` (follow-up, untagged receipts matched),
        computed once per ledger and date: it does not depend on the scenario."""
        from ..conventions.etiquettes import versements_deja_recus

        key = (id(contexte), debut)
        found = self._recus.get(key)
        if found is None:
            moves = contexte.mouvements.entre(None, debut - datetime.timedelta(days=1))
            followed = self.conventions.suivi(moves)
            found = (followed, versements_deja_recus(self.conventions, moves, followed))
            self._recus[key] = found
        return found

    def suivis(self, periode: Periode, contexte: Any) -> dict[str, SuiviConvention]:
        """What the ledger holds of each convention before the period."""
        before = periode.debut - datetime.timedelta(days=1)
        return self.conventions.suivi(contexte.mouvements.entre(None, before))

    def generer(self, periode: Periode, scenario: Scenario, contexte: Any) -> Previsions:
        from ..exercices import french_date
        from ..formatage import montant

        result = Previsions()
        followed, untagged = self._deja_recus(contexte, periode.debut)
        funders = details(self.conventions, followed)
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
            recognised = suivi.reconnu + sum(
                (
                    item.montant
                    for item in untagged.get(convention.reference, ())
                    if (parse_account(item.compte).code or "").startswith(
                        convention.prefixe_produits
                    )
                ),
                Decimal(0),
            )
            for echeance in restant(echeances, suivi.recu):
                day, retard = periode.echeance(echeance.date)
                libelle = f"{convention.financeur} – {echeance.libelle}{retard}"
                if day > periode.fin:
                    continue
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
            day = max(convention.notification or convention.debut, periode.debut)
            if to_recognise and day <= periode.fin:
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
