"""The comptes annuels as one report: the bilan and compte de résultat parts (the same
as ``communs bilan`` and ``communs resultat``), then the annexe, one part per note.

Part ids: ``actif``, ``passif``, ``compte_de_resultat``, ``contributions_volontaires``,
then ``annexe_objet``, ``annexe_faits``, ``annexe_regles``, ``annexe_immobilisations``,
``annexe_creances``, ``annexe_dettes``, ``annexe_fonds_dedies``, ``annexe_contributions``,
``annexe_fonds_propres``, ``annexe_provisions``, ``annexe_subventions``, ``annexe_engagements``,
``annexe_effectif``; only when they have something to say: ``annexe_evenements`` (after
``annexe_faits``), ``annexe_depreciations`` (after the provisions), ``annexe_remunerations``
(after the engagements). A text part has no column and no row: its paragraphs are its notes.
What is missing reads « À compléter : … » in its part, and the report's warnings list it.
Named totals (column ``n``): the bilan's and the compte de résultat's, and the annexe's
(``immobilisations_vnc``, ``creances``, ``dettes``, ``fonds_dedies_cloture``,
``contributions``, ``subventions``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ..exercices import Exercice, french_date
from ..immobilisations.rapport import rapport_immobilisations
from ..montants import ZERO
from ..rapports.bilan import build_rapport_bilan
from ..rapports.objets import Colonne, Genre, Ligne, Partie, Rapport, Style
from ..rapports.resultat import build_rapport_compte_de_resultat
from ..rapports.source import Source
from .annexe import (
    A_COMPLETER,
    LIGNE_FONDS_DEDIES,
    ComptesAnnuelsDeLExercice,
    LigneEtatDesEcheances,
    ProvisionAnnexe,
    VariationFondsPropres,
    compute_comptes_annuels,
    seuils_de_publication,
)


def _texte(id_: str, titre: str, texte: str | None, manque: str = "") -> Partie:
    paragraphs = [p.strip() for p in (texte or "").split("\n\n") if p.strip()]
    notes = paragraphs or [f"{A_COMPLETER} : {manque or titre.lower()}."]
    return Partie(id_, titre, [], [], notes, onglet=titre.split(" de l'")[0][:31])


def _total(libelle: str, valeurs: dict[str, Decimal | str | None]) -> Ligne:
    return Ligne(libelle, dict(valeurs), id="total", style=Style.TOTAL)


def _lignes_et_total(
    colonnes: list[Colonne], rows: list[tuple[str, str, dict[str, Decimal]]], total: str
) -> list[Ligne]:
    """One line a row (label, id, amount by column), then the total of each column."""
    lignes = [Ligne(libelle, dict(valeurs), id=id_) for libelle, id_, valeurs in rows]
    keys = [colonne.id for colonne in colonnes]
    sums = {key: sum((valeurs[key] for _l, _i, valeurs in rows), ZERO) for key in keys}
    lignes.append(_total(total, dict(sums)))
    return lignes


_ECHEANCES = (
    ("montant", "Montant brut", "montant"),
    ("un_an", "À un an au plus", "un_an_au_plus"),
    ("plus_d_un_an", "À plus d'un an", "plus_d_un_an"),
)
_VARIATION = (
    ("ouverture", "À l'ouverture", "ouverture"),
    ("variation", "Variation", "variation"),
    ("cloture", "À la clôture", "cloture"),
)
"""Columns of a table of rows: id, heading, attribute of the row holding the amount."""
_PROVISIONS = (
    ("ouverture", "À l'ouverture", "ouverture"),
    ("dotations", "Dotations (augmentations)", "dotations"),
    ("reprises", "Reprises (diminutions)", "reprises"),
    ("cloture", "À la clôture", "cloture"),
)


def _tableau(
    id_: str,
    titre: str,
    spec: tuple[tuple[str, str, str], ...],
    rows: Sequence[LigneEtatDesEcheances | VariationFondsPropres | ProvisionAnnexe],
    total: str,
    onglet: str | None = None,
) -> Partie:
    """A table of ``rows`` (one line each, by label and id) with the total of each column."""
    colonnes = [Colonne(key, heading) for key, heading, _attribute in spec]
    valeurs = [
        (r.libelle, r.id, {key: getattr(r, attribute) for key, _h, attribute in spec}) for r in rows
    ]
    return Partie(id_, titre, colonnes, _lignes_et_total(colonnes, valeurs, total), onglet=onglet)


def _fonds_dedies(comptes: ComptesAnnuelsDeLExercice) -> Partie:
    titre = "Tableau de variation des fonds dédiés"
    if comptes.fonds_dedies is None:
        if comptes.bilan.n.montant(LIGNE_FONDS_DEDIES):
            return _texte("annexe_fonds_dedies", titre, None, "variation des fonds dédiés")
        return _texte("annexe_fonds_dedies", titre, "Aucun fonds dédié.")
    colonnes = [
        Colonne("ouverture", "À l'ouverture"),
        Colonne("reports", "Reports (689)"),
        Colonne("utilisations", "Utilisations (789)"),
        Colonne("transferts", "Transferts"),
        Colonne("cloture", "À la clôture"),
    ]
    valeurs = [
        (
            f"{f.objet} ({f.reference})",
            f.reference,
            {
                "ouverture": f.ouverture,
                "reports": f.reports,
                "utilisations": f.utilisations,
                "transferts": ZERO,
                "cloture": f.cloture,
            },
        )
        for f in comptes.fonds_dedies
    ]
    lignes = _lignes_et_total(colonnes, valeurs, "Total")
    return Partie("annexe_fonds_dedies", titre, colonnes, lignes, onglet="Fonds dédiés")


def _fonds_reportes(comptes: ComptesAnnuelsDeLExercice) -> list[Partie]:
    """The variation of the fonds reportés liés aux legs ou donations, when any."""
    if not comptes.fonds_reportes:
        return []
    titre = "Variation des fonds reportés liés aux legs ou donations"
    total = "Total des fonds reportés"
    return [
        _tableau(
            "annexe_fonds_reportes",
            titre,
            _VARIATION,
            comptes.fonds_reportes,
            total,
            "Fonds reportés",
        )
    ]


def _contributions(comptes: ComptesAnnuelsDeLExercice) -> Partie:
    titre = "Contributions volontaires en nature"
    if not comptes.contributions:
        return _texte("annexe_contributions", titre, "Aucune contribution volontaire en nature.")
    lignes = [
        Ligne(libelle, {"montant": amount}, id=code, code=code)
        for code, libelle, amount in comptes.contributions
    ]
    lignes.append(_total("Total", {"montant": sum((c[2] for c in comptes.contributions), ZERO)}))
    methode = comptes.valorisation_contributions or (
        f"{A_COMPLETER} : méthode de valorisation des contributions en nature."
    )
    return Partie(
        "annexe_contributions",
        titre,
        [Colonne("montant", "Valorisation")],
        lignes,
        notes=[methode],
        onglet="Contributions",
    )


def _provisions(comptes: ComptesAnnuelsDeLExercice) -> Partie:
    titre = "Provisions pour risques et charges"
    if not comptes.provisions:
        return _texte("annexe_provisions", titre, "Aucune provision pour risques et charges.")
    return _tableau(
        "annexe_provisions",
        titre,
        _PROVISIONS,
        comptes.provisions,
        "Total des provisions",
        "Provisions",
    )


def _depreciations(comptes: ComptesAnnuelsDeLExercice) -> list[Partie]:
    """The dépréciations of the actif, when there are any (same columns as provisions)."""
    if not comptes.depreciations:
        return []
    titre = "Dépréciations de l'actif"
    total = "Total des dépréciations"
    return [
        _tableau(
            "annexe_depreciations",
            titre,
            _PROVISIONS,
            comptes.depreciations,
            total,
            "Dépréciations",
        )
    ]


def _subventions(comptes: ComptesAnnuelsDeLExercice) -> Partie:
    total = sum((amount for _f, amount in comptes.subventions), ZERO)
    lignes = [Ligne(financeur, {"montant": amount}) for financeur, amount in comptes.subventions]
    lignes.append(_total("Total", {"montant": total}))
    notes = seuils_de_publication(comptes)
    return Partie(
        "annexe_subventions",
        "Subventions reçues, par financeur",
        [Colonne("montant", "Montant")],
        lignes,
        notes,
        onglet="Subventions",
    )


def _engagements(comptes: ComptesAnnuelsDeLExercice) -> Partie:
    """The commitments booked in 801 / 802 (given, received), with the text of
    communs.yaml as notes; the text alone when none is booked."""
    titre = "Engagements hors bilan"
    partie = _texte("annexe_engagements", titre, comptes.engagements_hors_bilan)
    if not any(comptes.engagements.values()):
        return partie
    if not comptes.engagements_hors_bilan:
        partie.notes = []
    lignes = []
    for sens, intitule in (("donnes", "donnés"), ("recus", "reçus")):
        rows = comptes.engagements.get(sens, [])
        if not rows:
            continue
        lignes.append(Ligne(f"Engagements {intitule}", id=f"engagements_{sens}", style=Style.TITRE))
        lignes.extend(
            Ligne(libelle, {"montant": m}, id=code, code=code) for code, libelle, m in rows
        )
        total = sum((m for _c, _l, m in rows), ZERO)
        lignes.append(
            Ligne(
                f"Total des engagements {intitule}",
                {"montant": total},
                id=f"total_engagements_{sens}",
                style=Style.TOTAL,
            )
        )
    partie.colonnes = [Colonne("montant", "Montant")]
    partie.lignes = lignes
    return partie


SANS_SALARIES = (
    "Aucun salarié au cours de l'exercice : ni salaire ni charge sociale au compte de résultat."
)


def _effectif(comptes: ComptesAnnuelsDeLExercice) -> Partie:
    effectif = comptes.effectif
    titre = "Effectif"
    if effectif is None and comptes.sans_salaries:
        return _texte("annexe_effectif", titre, SANS_SALARIES)
    if effectif is None:
        return _texte("annexe_effectif", titre, None, "effectif salarié (nombre, ETP)")
    lignes = []
    if effectif.salaries is not None:
        lignes.append(Ligne("Salariés au cours de l'exercice", {"nombre": str(effectif.salaries)}))
    if effectif.etp is not None:
        etp = f"{effectif.etp:.2f}".replace(".", ",")
        lignes.append(Ligne("Équivalents temps plein", {"nombre": etp}))
    if effectif.benevoles is not None:
        lignes.append(Ligne("Bénévoles réguliers", {"nombre": str(effectif.benevoles)}))
    return Partie("annexe_effectif", titre, [Colonne("nombre", "Nombre", Genre.TEXTE)], lignes)


def _immobilisations(comptes: ComptesAnnuelsDeLExercice, source: Source) -> list[Partie]:
    titre = "Immobilisations et amortissements"
    if comptes.immobilisations is None:
        if comptes.bilan.n.montant("total_actif_immobilise"):
            return [_texte("annexe_immobilisations", titre, None, "tableau des immobilisations")]
        return [_texte("annexe_immobilisations", titre, "Aucune immobilisation.")]
    partie = rapport_immobilisations(source, comptes.exercice).partie("immobilisations")
    partie.id, partie.titre, partie.onglet = "annexe_immobilisations", titre, "Immobilisations"
    # The asset's id is for the register, not the annexe: one column less on the page.
    partie.colonnes = [c for c in partie.colonnes if c.id != "id"]
    return [partie]


def _evenements(comptes: ComptesAnnuelsDeLExercice) -> list[Partie]:
    """The events after the closing, when communs.yaml gives them."""
    if not comptes.evenements_posterieurs:
        return []
    titre = "Événements postérieurs à la clôture"
    return [_texte("annexe_evenements", titre, comptes.evenements_posterieurs)]


def _remuneration(comptes: ComptesAnnuelsDeLExercice) -> list[Partie]:
    """The remuneration of the three highest-paid executives: given, or asked when a
    publication threshold is crossed."""
    if not (comptes.remuneration_dirigeants or comptes.remuneration_requise):
        return []
    titre = "Rémunération des trois plus hauts cadres dirigeants"
    manque = "rémunération des trois plus hauts cadres dirigeants (seuil de publication franchi)"
    return [_texte("annexe_remunerations", titre, comptes.remuneration_dirigeants, manque)]


def _annexe(comptes: ComptesAnnuelsDeLExercice, source: Source) -> list[Partie]:
    return [
        _texte("annexe_objet", "Objet social et activités", comptes.objet, "objet social"),
        _texte(
            "annexe_faits", "Faits caractéristiques de l'exercice", comptes.faits_caracteristiques
        ),
        *_evenements(comptes),
        _texte(
            "annexe_regles",
            "Règles et méthodes comptables",
            "\n\n".join(filter(None, (comptes.regles_et_methodes, comptes.changement_de_methode))),
        ),
        *_immobilisations(comptes, source),
        _tableau("annexe_creances", "État des créances", _ECHEANCES, comptes.creances, "Total"),
        _tableau("annexe_dettes", "État des dettes", _ECHEANCES, comptes.dettes, "Total"),
        _fonds_dedies(comptes),
        *_fonds_reportes(comptes),
        _contributions(comptes),
        _tableau(
            "annexe_fonds_propres",
            "Fonds propres et leur variation",
            _VARIATION,
            comptes.fonds_propres,
            "Total des fonds propres",
            "Fonds propres",
        ),
        _provisions(comptes),
        *_depreciations(comptes),
        _subventions(comptes),
        _engagements(comptes),
        *_remuneration(comptes),
        _effectif(comptes),
    ]


def rapport_comptes_annuels(source: Source, exercice: Exercice) -> Rapport:
    """The comptes annuels of ``exercice`` (see the module docstring)."""
    comptes = compute_comptes_annuels(source, exercice)
    bilan = build_rapport_bilan(comptes.bilan, source)
    resultat = build_rapport_compte_de_resultat(comptes.resultat, source)
    for partie in bilan.parties:
        partie.titre = f"Bilan — {partie.titre.lower()}"
    annexe = _annexe(comptes, source)
    totaux = {"n": {**resultat.totaux.get("n", {}), **bilan.totaux.get("n", {})}}
    totaux["n"].update(_totaux_annexe(comptes))
    return Rapport(
        id="comptes_annuels",
        titre="Comptes annuels",
        association=source.association,
        parties=[*bilan.parties, *resultat.parties, *annexe],
        sous_titre=f"{exercice.libelle[0].upper()}{exercice.libelle[1:]} — bilan, compte de "
        f"résultat et annexe, arrêtés au {french_date(exercice.fin)}",
        exercice=exercice.code,
        periode=(exercice.debut, exercice.fin),
        totaux=totaux,
        notes=[*bilan.notes, *resultat.notes],
        avertissements=[f"{A_COMPLETER} : {item}" for item in comptes.a_completer]
        + bilan.avertissements
        + resultat.avertissements,
        meta={"plan": exercice.version, "a_completer": list(comptes.a_completer)},
    )


def _totaux_annexe(comptes: ComptesAnnuelsDeLExercice) -> dict[str, Decimal]:
    totaux = {
        "creances": sum((r.montant for r in comptes.creances), ZERO),
        "dettes": sum((r.montant for r in comptes.dettes), ZERO),
        "contributions": sum((c[2] for c in comptes.contributions), ZERO),
        "subventions": sum((s[1] for s in comptes.subventions), ZERO),
    }
    if comptes.immobilisations is not None:
        totaux["immobilisations_vnc"] = comptes.immobilisations.total("vnc")
    if comptes.fonds_dedies is not None:
        totaux["fonds_dedies_cloture"] = sum((f.cloture for f in comptes.fonds_dedies), ZERO)
    return totaux
