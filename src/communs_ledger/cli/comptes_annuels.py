"""``communs comptes-annuels``: bilan, compte de résultat and annexe in one document."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .options import commande_de_rapport
from .rapports import exercice_option

if TYPE_CHECKING:
    from ..rapports.objets import Rapport
    from .sortie import Sortie


@commande_de_rapport
def comptes_annuels(
    exercice: str | None = exercice_option(),
    pdf: Path | None = typer.Option(
        None,
        "--pdf",
        help="Écrit aussi le document en PDF (A4, imprimé par Chromium) dans ce fichier.",
        metavar="FICHIER",
        show_default=False,
    ),
    *,
    ledger: Path | None,
    sortie: Sortie,
) -> None:
    """Comptes annuels : bilan et compte de résultat (N et N-1) et leur annexe.

    L'annexe (règlement ANC 2018-06) reprend le registre des immobilisations, l'état des
    créances et des dettes, la variation des fonds dédiés et des fonds propres, les
    contributions volontaires en nature, les subventions par financeur ; les textes
    (objet, faits caractéristiques, engagements, effectif) viennent de communs.yaml.
    Ce qui manque est signalé « À compléter » dans le document et listé ici.
    """
    from ..comptes_annuels.rapport import rapport_comptes_annuels
    from .affichage import messages, succes
    from .echecs import Echec
    from .fonds_dedies import livre_et_source
    from .rapports import exercice_de, produire
    from .sortie import verifier_cible, write

    _livre, source = livre_et_source(ledger)
    periode = exercice_de(source, exercice)
    rapport = produire(rapport_comptes_annuels, source, periode)
    if pdf is not None:
        from ..rendu.en_pdf import PdfImpossible, render

        verifier_cible(pdf, sortie.ecraser)
        try:
            data = render(rapport)
        except PdfImpossible as exc:
            raise Echec(str(exc)) from None
        write(pdf, data, sortie.ecraser)
        succes(f"PDF écrit dans {pdf}")
    manque = rapport.meta.get("a_completer") or []
    if pdf is None or sortie.fichier is not None or sortie.format is not None:
        sortie.emettre(_sans_manques_a_l_ecran(rapport, sortie, manque))
    if isinstance(manque, list) and manque:
        console = messages()
        console.print(f"À compléter ({len(manque)}) :")
        for item in manque:
            console.print(f"  • {item}", markup=False, highlight=False)


def _sans_manques_a_l_ecran(rapport: Rapport, sortie: Sortie, manque: object) -> Rapport:
    """On the terminal, the report without its « À compléter » warnings: the list
    « À compléter (N) » follows it, each item is printed once. Files and other formats
    keep them."""
    from dataclasses import replace

    from ..comptes_annuels.annexe import A_COMPLETER
    from ..rendu import Format

    if sortie.fichier is not None or sortie.format_ecrit is not Format.table:
        return rapport
    items = {f"{A_COMPLETER} : {item}" for item in manque} if isinstance(manque, list) else set()
    return replace(rapport, avertissements=[a for a in rapport.avertissements if a not in items])
