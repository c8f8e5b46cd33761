"""The Beancount directives of an import, and their text.

Each operation becomes a transaction between the bank account and the
rule's account (or the suspense account, flagged ``!`` with ``a_revoir``
metadata). One that may already be in the ledger under other words (see
:mod:`.doublons`) is flagged ``!`` too, its ``a_revoir`` naming the entry it
may repeat (``doublon possible de 2026.beancount:15``). The bank's reference
and label stay as metadata (``fitid`` or ``ref_banque``, and ``libelle_banque``):
they recognise the operation when a statement is imported again, and say where
an entry comes from.

A bank label is text from outside: its ``<`` and ``>`` become ``‹`` and ``›`` in the
payee and narration (Fava 1.30 shows them as HTML in its journal), and are kept,
escaped as ``&lt;`` and ``&gt;``, in ``libelle_banque`` (``libelle_de_meta`` gives
the label back).
"""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..exercices import french_date
from ..montants import CENT
from ..texte_beancount import chaine
from .doublons import CLE_LIBELLE, libelle_en_meta
from .modele import Operation, Releve
from .regles import Categorie

DEVISE = "EUR"
CLE_A_REVOIR = "a_revoir"
CLE_LIBELLE_COURT = "libelle_court"  # the bank's short label (Société Générale…)
A_REVOIR = "aucune règle d'import ne reconnaît cette opération"
_SANS_BALISE = str.maketrans({"<": "‹", ">": "›"})


def sans_balise(texte: str | None) -> str | None:
    """A payee or narration from a bank label: ``<`` and ``>`` as ``‹`` and ``›``."""
    return texte.translate(_SANS_BALISE) if texte else texte


@dataclass(frozen=True)
class EcritureImportee:
    """One operation to add: its category (None: suspense account) and its transaction."""

    operation: Operation
    categorie: Categorie | None
    transaction: Any
    doublon_possible: str | None = None  # file:line of an entry it may repeat


def emplacement(entry: Any, dossier: Path | None) -> str:
    """``2026.beancount:15``: where a ledger entry is, relative to the ledger's folder."""
    filename = Path(str(entry.meta.get("filename", "?")))
    if dossier is not None:
        with contextlib.suppress(ValueError):  # outside the folder: the absolute path
            filename = filename.resolve().relative_to(dossier.resolve())
    return f"{filename}:{entry.meta.get('lineno', 0)}"


def marquer_doublon_possible(entry: Any, ou: str) -> Any:
    """The transaction flagged ``!``: the ledger may already hold it at ``ou``."""
    note = f"doublon possible de {ou}"
    meta = {key: entry.meta[key] for key in ("filename", "lineno") if key in entry.meta}
    deja = entry.meta.get(CLE_A_REVOIR)
    meta[CLE_A_REVOIR] = f"{deja} ; {note}" if deja else note
    meta.update((key, value) for key, value in entry.meta.items() if key not in meta)
    return entry._replace(flag="!", meta=meta)


def transaction_de_l_operation(
    operation: Operation,
    categorie: Categorie | None,
    compte_banque: str,
    compte_attente: str,
    releve: Releve,
) -> Any:
    """The transaction of one operation."""
    from beancount.core import data
    from beancount.core.amount import Amount

    meta: dict[str, Any] = data.new_metadata(str(releve.chemin), operation.ligne)
    if categorie is None:
        meta[CLE_A_REVOIR] = A_REVOIR
        flag, payee, narration = "!", operation.tiers, operation.libelle
        contrepartie, links = compte_attente, data.EMPTY_SET
    else:
        flag, payee, narration = "*", categorie.tiers, categorie.libelle
        contrepartie = categorie.compte
        links = frozenset({categorie.lien}) if categorie.lien else data.EMPTY_SET
        if categorie.projet:
            meta["projet"] = categorie.projet
        if categorie.convention:
            meta["convention"] = categorie.convention
        if categorie.donateur:
            meta["donateur"] = categorie.donateur
        if categorie.adherent:
            meta["adherent"] = categorie.adherent
        if categorie.a_revoir:
            flag = "!"
            meta[CLE_A_REVOIR] = categorie.a_revoir
    if operation.reference:
        meta[releve.cle_reference] = operation.reference
    meta[CLE_LIBELLE] = libelle_en_meta(operation.libelle)
    if operation.libelle_court:
        meta[CLE_LIBELLE_COURT] = libelle_en_meta(operation.libelle_court)
    payee, narration = sans_balise(payee), sans_balise(narration)
    montant = _cents(operation.montant)
    postings = [
        data.Posting(compte_banque, Amount(montant, DEVISE), None, None, None, None),
        data.Posting(contrepartie, Amount(-montant, DEVISE), None, None, None, None),
    ]
    return data.Transaction(
        meta, operation.date, flag, payee, narration, data.EMPTY_SET, links, postings
    )


def _cents(value: Decimal) -> Decimal:
    """At least two decimals (``12.5`` → ``12.50``), never rounded."""
    return value.quantize(CENT) if value.as_tuple().exponent > -2 else value  # type: ignore[operator]


def open_directive(compte: str, jour: datetime.date) -> Any:
    from beancount.core import data

    return data.Open(data.new_metadata("<communs importer>", 0), jour, compte, None, None)


def controle_solde(compte: str, jour: datetime.date, montant: Decimal) -> Any:
    from beancount.core import data
    from beancount.core.amount import Amount

    meta = data.new_metadata("<communs importer>", 0)
    return data.Balance(meta, jour, compte, Amount(_cents(montant), DEVISE), None, None)


# --- Text --------------------------------------------------------------------------------


def _meta_lines(meta: dict[str, Any]) -> list[str]:
    lines = []
    for key, value in meta.items():
        if key in ("filename", "lineno") or key.startswith("__"):
            continue
        lines.append(f"  {key}: {chaine(str(value))}")
    return lines


def _posting_line(account: str, number: Decimal, width: int) -> str:
    return f"  {account:<{width}}  {number:>12} {DEVISE}"


def texte_directives(
    ecritures: list[EcritureImportee],
    releve: Releve,
    ouverture_attente: Any | None,
    solde: Any | None,
    solde_note: str = "",
) -> str:
    """The block appended to the ledger (or shown): French comments, then the directives."""
    width = max(
        [len(p.account) for e in ecritures for p in e.transaction.postings]
        + [len(solde.account) - 2 if solde is not None else 0]
        + [40]
    )
    a_revoir = sum(1 for e in ecritures if e.categorie is None)
    possibles = sum(1 for e in ecritures if e.doublon_possible)
    source = f"profil {releve.profil_nom}" if releve.profil_nom else releve.nom_format
    dont = []
    if a_revoir:
        dont.append(f"{a_revoir} à revoir (compte d'attente, drapeau !)")
    if possibles:
        dont.append(
            f"{possibles} {'doublons possibles' if possibles > 1 else 'doublon possible'} "
            "à revoir (drapeau !)"
        )
    lines = [
        f"; Relevé {releve.chemin.name} ({source}) importé par « communs importer » :",
        f"; {_nombre(len(ecritures), 'écriture')}"
        + (", dont " + " et ".join(dont) if dont else ""),
        "",
    ]
    if ouverture_attente is not None:
        lines += [
            "; Compte d'attente des opérations à revoir (ouvert par communs importer)",
            f"{ouverture_attente.date} open {ouverture_attente.account}",
            "",
        ]
    for ecriture in ecritures:
        entry = ecriture.transaction
        if ecriture.categorie is None:
            lines.append(
                f"; À revoir : ligne {ecriture.operation.ligne} du relevé, aucune règle ne "
                "la reconnaît : imputez-la au bon compte"
            )
        if ecriture.categorie is not None and ecriture.categorie.a_revoir:
            lines.append(
                f"; À revoir : ligne {ecriture.operation.ligne} du relevé, "
                f"{ecriture.categorie.a_revoir}"
            )
        if ecriture.doublon_possible:
            lines.append(
                f"; À revoir : ligne {ecriture.operation.ligne} du relevé, même montant qu'une "
                f"écriture saisie à la main ({ecriture.doublon_possible}) à quelques jours "
                "près : si c'est la même opération, supprimez l'une des deux"
            )
        head = f"{entry.date} {entry.flag}"
        if entry.payee:
            head += f" {chaine(entry.payee)}"
        head += f" {chaine(entry.narration or '')}"
        for link in sorted(entry.links):
            head += f" ^{link}"
        lines.append(head)
        lines += _meta_lines(entry.meta)
        for posting in entry.postings:
            lines.append(_posting_line(posting.account, posting.units.number, width))
        lines.append("")
    if solde is not None:
        veille = solde.date - datetime.timedelta(days=1)
        lines.append(f"; Solde du relevé au {french_date(veille)} au soir{solde_note}")
        lines.append(
            f"{solde.date} balance {solde.account:<{width - 2}}  "
            f"{solde.amount.number:>12} {solde.amount.currency}"
        )
        lines.append("")
    return "\n".join(lines)


def _nombre(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"
