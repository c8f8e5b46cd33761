"""Two budget versions side by side as a :class:`Rapport`: the figures of
:func:`communs_ledger.budget.comparaison.compute_comparaison` with French titles,
labels of the chart and notes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from ..exercices import Exercice
from ..plan import Chart, load_chart
from ..rapports.entete import sous_titre
from ..rapports.objets import Colonne, Genre, Ligne, Partie, Rapport, Style, Valeur
from .comparaison import (
    ChapitreCompare,
    ComparaisonVersions,
    LigneComparee,
    MontantsAB,
    VersionDesignee,
    compute_comparaison,
)
from .fichier import ligne_id
from .rapport_cerfa import libelle_du_code

COLONNES = ("a", "b", "ecart", "ecart_pct")
CONTRIBUTION_TOTALS = {
    "86": ("contributions_volontaires_emplois", "Total des emplois (86)"),
    "87": ("contributions_volontaires_ressources", "Total des contributions volontaires (87)"),
}


def _values(montants: MontantsAB) -> dict[str, Valeur]:
    return {
        "a": montants.a,
        "b": montants.b,
        "ecart": montants.ecart,
        "ecart_pct": montants.ecart_pct,
    }


def _profil_change(ligne: LigneComparee) -> str | None:
    """A note when a line kept in both versions is spread differently over the months
    (a revision that drops a seasonal profile silently makes the line uniform)."""
    a, b = ligne.ligne_a, ligne.ligne_b
    if a is None or b is None or a.echeances == b.echeances:
        return None
    before, after = a.profil, b.profil
    if before == after and a.montant != b.montant:
        periods_a = [(debut, fin) for debut, fin, _m in a.echeances]
        if periods_a == [(debut, fin) for debut, fin, _m in b.echeances]:
            return None  # the same profile carrying a new amount
    code, projet = ligne.cle
    what = f"ligne {code}" + (f" (projet {projet})" if projet else "")
    if before == after:
        return f"{what} : répartition mensuelle modifiée (profil {after})"
    warning = " — la révision ne reprend pas le profil" if after == "uniforme" else ""
    return f"{what} : profil {before} → {after}{warning}"


def _label(ligne: LigneComparee, chart: Chart, comptes: Iterable[str]) -> str:
    code, projet = ligne.cle
    found = ligne.ligne_b or ligne.ligne_a
    assert found is not None
    own = found.libelle or libelle_du_code(code, comptes, chart)
    return f"{own} — projet {projet}" if projet else own


def _rows(chapters: Iterable[ChapitreCompare], chart: Chart, comptes: list[str]) -> list[Ligne]:
    rows: list[Ligne] = []
    for chapter in chapters:
        code = chapter.code
        heading = libelle_du_code(code, comptes, chart)
        rows.append(Ligne(heading, id=f"titre:{code}", code=code, style=Style.TITRE))
        for ligne in chapter.lignes:
            rows.append(
                Ligne(
                    _label(ligne, chart, comptes),
                    _values(ligne.montants),
                    id=ligne_id(*ligne.cle),
                    code=ligne.code,
                    niveau=2,
                    statut=ligne.statut,
                )
            )
        rows.append(
            Ligne(
                f"Total {code} - {heading}",
                _values(chapter.total),
                id=f"chapitre:{code}",
                style=Style.SOUS_TOTAL,
            )
        )
        if code in CONTRIBUTION_TOTALS:
            cvn_id, cvn_label = CONTRIBUTION_TOTALS[code]
            rows.append(Ligne(cvn_label, _values(chapter.total), id=cvn_id, style=Style.TOTAL))
    return rows


def _parties(comparaison: ComparaisonVersions, comptes: list[str]) -> list[Partie]:
    chart = load_chart(comparaison.exercice.version)
    a, b = comparaison.a, comparaison.b
    colonnes = [
        Colonne("a", f"A — {a.libelle}", Genre.MONTANT),
        Colonne("b", f"B — {b.libelle}", Genre.MONTANT),
        Colonne("ecart", "Différence (B − A)", Genre.MONTANT),
        Colonne("ecart_pct", "Différence (%)", Genre.POURCENTAGE),
    ]
    charges = _rows(comparaison.charges, chart, comptes)
    produits = _rows(comparaison.produits, chart, comptes)
    totals = (
        (charges, "Total des charges", comparaison.total_charges, "total_charges"),
        (produits, "Total des produits", comparaison.total_produits, "total_produits"),
        (produits, "Résultat prévisionnel (produits − charges)", comparaison.resultat, "resultat"),
    )
    for rows, label, total, total_id in totals:
        rows.append(Ligne(label, _values(total), id=total_id, style=Style.TOTAL))
    contributions = _rows(comparaison.contributions, chart, comptes)
    return [
        Partie("charges", "Charges", list(colonnes), charges),
        Partie("produits", "Produits", list(colonnes), produits),
        Partie(
            "contributions_volontaires",
            "Contributions volontaires en nature",
            list(colonnes),
            contributions,
        ),
    ]


def _totaux(comparaison: ComparaisonVersions) -> dict[str, dict[str, Decimal]]:
    named = {
        "total_charges": comparaison.total_charges,
        "total_produits": comparaison.total_produits,
        "resultat": comparaison.resultat,
        "contributions_volontaires_emplois": comparaison.contributions_volontaires_emplois,
        "contributions_volontaires_ressources": comparaison.contributions_volontaires_ressources,
    }
    totaux: dict[str, dict[str, Decimal]] = {column: {} for column in COLONNES}
    for name, montants in named.items():
        for column, value in _values(montants).items():
            if isinstance(value, Decimal):
                totaux[column][name] = value
    return totaux


def _notes(comparaison: ComparaisonVersions) -> list[str]:
    lignes = comparaison.lignes
    counts = Counter(ligne.statut for ligne in lignes)
    profils = [text for ligne in lignes if (text := _profil_change(ligne)) is not None]
    notes = [
        f"A : {comparaison.a.description}.",
        f"B : {comparaison.b.description}.",
        "Différence = B − A ; % = différence rapportée à la valeur absolue du montant A "
        "(vide si A est nul).",
        "Lignes : {} ajoutée(s), {} supprimée(s), {} modifiée(s), {} identique(s).".format(
            counts["ajoutée"], counts["supprimée"], counts["modifiée"], counts["identique"]
        ),
    ]
    if counts["profil modifié"]:
        notes[-1] = notes[-1][:-1] + f", {counts['profil modifié']} au profil modifié."
    if profils:
        notes.append(
            "Répartition sur les mois changée (budget à date, plan de trésorerie) : "
            + " ; ".join(profils)
            + "."
        )
    return notes


def build_rapport_comparaison_versions(
    comparaison: ComparaisonVersions, association: str, comptes: Iterable[str] = ()
) -> Rapport:
    """The report of ``comparaison``; ``comptes``: the ledger's account names (labels of
    codes that extend the chart)."""
    exercice, a, b = comparaison.exercice, comparaison.a, comparaison.b
    return Rapport(
        id="budget_comparaison",
        titre="Comparaison de deux versions du budget",
        association=association,
        parties=_parties(comparaison, list(comptes)),
        sous_titre=sous_titre(exercice, exercice.fin, f"A : {a.libelle} / B : {b.libelle}"),
        exercice=exercice.code,
        periode=(exercice.debut, exercice.fin),
        totaux=_totaux(comparaison),
        notes=_notes(comparaison),
        meta={
            "plan": exercice.version,
            "version_a": a.version.code,
            "version_b": b.version.code,
            "revision_a": a.revision,
            "revision_b": b.revision,
        },
    )


def comparer_versions(
    association: str,
    exercice: Exercice,
    a: VersionDesignee,
    b: VersionDesignee,
    comptes: Iterable[str] = (),
) -> Rapport:
    """Budget versions ``a`` and ``b`` of ``exercice`` side by side (:func:`compute_comparaison`,
    then :func:`build_rapport_comparaison_versions`)."""
    return build_rapport_comparaison_versions(
        compute_comparaison(exercice, a, b), association, comptes
    )
