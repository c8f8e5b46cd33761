"""Terminal layouts of the cash reports: the plan de trésorerie cut into tables as wide
as the terminal, whole euros. No figure is computed here."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from ..formatage import nombre
from ..rapports.objets import Colonne, Genre, Ligne, Partie, Rapport


def vue_terminal(rapport: Rapport, largeur: int = 100) -> Rapport:
    """The plan laid out for a terminal ``largeur`` characters wide: whole euros, and the
    months split into several tables of as many months as fit side by side.

    No figure is computed here: the values are those of ``rapport`` (rounded at display).
    """
    parties: list[Partie] = []
    for partie in rapport.parties:
        months = [c for c in partie.colonnes]
        label = 30
        status = 12 if any(ligne.statut for ligne in partie.lignes) else 0
        widest = max(
            (
                len(nombre(v, 0)) if isinstance(v, Decimal) else len(str(v))
                for ligne in partie.lignes
                for v in ligne.valeurs.values()
                if v is not None
            ),
            default=6,
        )
        per_table = max(1, (largeur - label - status) // (max(widest, 6) + 3))
        if per_table >= len(months):
            chunks = [months]
        else:
            count = -(-len(months) // per_table)
            size = -(-len(months) // count)  # even chunks
            chunks = [months[i : i + size] for i in range(0, len(months), size)]
        for index, chunk in enumerate(chunks):
            ids = {c.id for c in chunk}
            seuil = rapport.meta.get("seuil")
            titre = partie.titre
            if len(chunks) > 1:
                titre += f" ({chunk[0].libelle} – {chunk[-1].libelle})"
            parties.append(
                Partie(
                    partie.id if len(chunks) == 1 else f"{partie.id}:{index + 1}",
                    titre,
                    [Colonne(c.id, c.libelle, Genre.ENTIER) for c in chunk],
                    [
                        Ligne(
                            ligne.libelle,
                            {k: v for k, v in ligne.valeurs.items() if k in ids},
                            id=ligne.id,
                            code=ligne.code,
                            niveau=ligne.niveau,
                            style=ligne.style,
                            comptes=ligne.comptes,
                            statut=_statut_de_tranche(ligne, ids, seuil, len(chunks) > 1),
                        )
                        for ligne in partie.lignes
                    ],
                    notes=partie.notes if index == len(chunks) - 1 else [],
                    onglet=partie.onglet,
                )
            )
    return replace(rapport, parties=parties, notes=[*rapport.notes, "Montants arrondis à l'euro."])


def _statut_de_tranche(ligne: Ligne, ids: set[str], seuil: Any, split: bool) -> str | None:
    """The alert status of a row over the months of one table of the terminal layout."""
    if not split or ligne.statut is None:
        return ligne.statut
    values = [v for k, v in ligne.valeurs.items() if k in ids and isinstance(v, Decimal)]
    if ligne.id == "ecart_seuil":
        return "alerte" if any(v < 0 for v in values) else "ok"
    if ligne.id == "alerte":  # the months' alerts are texts (« sous le seuil », « danger »)
        return "alerte" if any(v for k, v in ligne.valeurs.items() if k in ids) else "ok"
    if (ligne.id or "").startswith("solde_final:") and isinstance(seuil, Decimal):
        return "alerte" if any(v < seuil for v in values) else "ok"
    return ligne.statut
