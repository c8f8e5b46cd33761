"""``communs rapport-financier``: the treasurer's report to the assemblée générale."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .options import ledger_option
from .rapports import exercice_option
from .sortie import ecraser_option, format_option, sortie_option

if TYPE_CHECKING:
    from ..assemblee.rapport_financier import RapportFinancier


def rapport_financier_command(
    exercice: str | None = exercice_option(),
    pdf: Path | None = typer.Option(
        None,
        "--pdf",
        help="Écrit aussi le rapport en PDF (A4, imprimé par Chromium) dans ce fichier.",
        metavar="FICHIER",
        show_default=False,
    ),
    ledger: Path | None = ledger_option(),
    format=format_option(),
    sortie: Path | None = sortie_option(),
    ecraser: bool = ecraser_option(),
) -> None:
    """Rapport financier du trésorier à l'assemblée générale, lisible sans être comptable.

    Chiffres clés (N et N-1), origine des produits et nature des charges, résultat et
    affectation proposée, budget et réalisé, fonds dédiés, trésorerie mois par mois,
    indicateurs expliqués, budget de l'exercice suivant ; graphiques en HTML et PDF.
    Les commentaires du trésorier viennent d'un fichier Markdown
    (rapport-financier-EXERCICE.md à côté du grand livre) : un titre « ## Trésorerie »
    place son texte après cette partie. Ce qui manque est signalé « À compléter ».
    """
    from ..assemblee.rapport import LECTURE, build_rapport_financier
    from ..assemblee.rapport_financier import compute_rapport_financier
    from ..budget.fichier import load_budgets
    from ..rendu import Format
    from ..rendu.vues_budget import commentaires_a_part
    from .budget import refuser_erreurs_de_budget
    from .echecs import Echec
    from .fonds_dedies import livre_et_source
    from .rapports import exercice_de, produire
    from .sortie import emettre, format_effectif, verifier_cible, write

    _livre, source = livre_et_source(ledger)
    periode = exercice_de(source, exercice)
    budgets = load_budgets(source.context)
    refuser_erreurs_de_budget(budgets)
    chiffres = produire(compute_rapport_financier, source, budgets, periode)
    rapport = build_rapport_financier(chiffres, source)
    if pdf is not None:
        from ..rendu.en_pdf import PdfImpossible, render
        from .affichage import succes

        verifier_cible(pdf, ecraser)
        try:
            data = render(rapport)
        except PdfImpossible as exc:
            raise Echec(str(exc)) from None
        write(pdf, data, ecraser)
        succes(f"PDF écrit dans {pdf}")
    if pdf is None or sortie is not None or format is not None:
        target = None if sortie is None or str(sortie) == "-" else sortie
        if format_effectif(format, target) is Format.table:
            # the readings of the indicators below their table, not in a narrow column;
            # the bars repeat their tables: only the cash curve is drawn
            rapport = commentaires_a_part(rapport, LECTURE, None)
            rapport.graphiques = [g for g in rapport.graphiques if g.genre != "barres"]
        emettre(rapport, format, sortie, ecraser)
    if pdf is not None or sortie is not None:
        _resume(chiffres)
    _a_completer(chiffres)


def _resume(rf: RapportFinancier) -> None:
    """The few figures the treasurer checks before sending the files."""
    from ..formatage import montant, nombre
    from .affichage import messages

    c, a = rf.chiffres, rf.affectation
    lines = [
        f"Exercice {rf.exercice.code} : produits {montant(c.produits)}, charges "
        f"{montant(c.charges)}, {'excédent' if c.resultat >= 0 else 'déficit'} "
        f"{montant(abs(c.resultat))}",
        f"Trésorerie à la clôture : {montant(c.tresorerie)}"
        + (
            f" ({nombre(rf.mois_de_reserve, 1)} mois de charges courantes)"
            if rf.mois_de_reserve is not None
            else ""
        ),
        f"Affectation {'votée' if a.origine == 'votee' else 'proposée'} : "
        f"{montant(a.report_a_nouveau)} en report à nouveau, {montant(a.reserves)} en réserves",
    ]
    commentaires = rf.commentaires
    if commentaires.existe:
        lines.append(
            f"Commentaires du trésorier : {commentaires.fichier.name} "
            f"({len(commentaires.morceaux)} placé(s))"
        )
    console = messages()
    for line in lines:
        console.print(line, markup=False, highlight=False)
    for inconnu in commentaires.inconnus:
        console.print(f"Attention : {inconnu}", markup=False, highlight=False)


def _a_completer(rf: RapportFinancier) -> None:
    if not rf.a_completer:
        return
    from .affichage import messages

    console = messages()
    console.print(f"À compléter ({len(rf.a_completer)}) :")
    for item in rf.a_completer:
        console.print(f"  • {item}", markup=False, highlight=False)
