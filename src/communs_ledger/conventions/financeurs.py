"""Funders of subsidies, as readable labels from the ledger's account names (the cash
plan's sub-lines by funder, the conventions' labels).
"""

from __future__ import annotations

import unicodedata
from functools import cache

from ..codes import lisible, parse_account
from ..plan import VERSIONS, load_chart
from .fichier import Convention, Conventions, SuiviConvention

FINANCEUR_NON_PRECISE = "Financeur non précisé"
__all__ = ["FINANCEUR_NON_PRECISE", "cle", "details", "financeur", "lisible"]


def cle(texte: str) -> str:
    """Comparison key of a label: case, accents, hyphens and spaces ignored."""
    decomposed = unicodedata.normalize("NFKD", texte.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.replace("-", " ").replace("_", " ").split())


@cache
def _codes_du_plan() -> frozenset[str]:
    codes: set[str] = set()
    for version in VERSIONS:
        codes.update(load_chart(version).accounts)
    return frozenset(codes)


@cache
def financeur(account: str) -> str:
    """The funder of a subsidy counterpart account, as a readable label.

    1. a user sub-account below the coded one names it: ``441-Subventions-a-recevoir:Region``,
       ``741-Subventions-d-exploitation:Commune`` (the last such component);
    2. else a coded component numbered by the association (not a chart account) names it
       by its label: ``7412-Region``, ``7401-Region``;
    3. else (a chart account such as ``741`` or ``441`` itself): « Financeur non précisé ».
    """
    parsed = parse_account(account)
    parts = account.split(":")
    if parsed.coded and parsed.depth_of_code < len(parts) - 1:
        return lisible(parts[-1])
    if parsed.coded:
        last = parsed.coded[-1]
        if last.label and last.code not in _codes_du_plan():
            return lisible(last.label)
    return FINANCEUR_NON_PRECISE


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
