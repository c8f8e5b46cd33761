"""The compte rendu financier (CERFA 15059) as a :class:`Rapport`: the figures of
:func:`communs_ledger.conventions.compte_rendu.compute_compte_rendu` in the table of
``plan_comptable/cerfa_15059.yaml``, with the parts « Convention », « Écarts
significatifs » and « Répartition », French notes and warnings."""

from __future__ import annotations

from decimal import Decimal
from typing import Unpack

from ..analytique.repartition import notes_de_repartition
from ..budget.cerfa import PartieCerfa
from ..budget.fichier import Budgets
from ..exercices import french_date
from ..formatage import montant
from ..montants import ZERO
from ..rapports.entete import avertissements_devises
from ..rapports.objets import Colonne, Genre, Ligne, Partie, Rapport, Style, Valeur
from ..rapports.source import Source
from .compte_rendu import (
    AUTOFINANCEMENT,
    ECART,
    ECART_PCT,
    EXCEDENT,
    PREVISION,
    REALISATION,
    SUFFIXES,
    CompteRendu,
    ModeleCompteRendu,
    OptionsCompteRendu,
    PrevuRealise,
    compute_compte_rendu,
    lignes_du_chapitre,
    modele_compte_rendu,
)
from .emploi import avertissement_repartition, hors_periode
from .fichier import Conventions

Totaux = dict[str, dict[str, Decimal]]
Ecart = tuple[str, str, Decimal | None, Decimal]
"""A row the gaps part may list: id, label, prévision (None: not compared), réalisation."""


def _values(prevision: Decimal | None, realisation: Decimal) -> dict[str, Valeur]:
    ecart = realisation - (prevision or ZERO)
    pct = ecart / abs(prevision) if prevision else None  # docs/formats.md: ecart_pct
    return {PREVISION: prevision, REALISATION: realisation, ECART: ecart, ECART_PCT: pct}


def _columns(modele: ModeleCompteRendu) -> list[Colonne]:
    c = modele.colonnes
    return [
        Colonne(PREVISION, c[PREVISION]),
        Colonne(REALISATION, c[REALISATION]),
        Colonne(ECART, c[ECART]),
        Colonne(ECART_PCT, c[ECART_PCT], Genre.POURCENTAGE),
    ]


def _rows_of_part(
    modele: ModeleCompteRendu, cr: CompteRendu, partie: PartieCerfa, ecarts: list[Ecart]
) -> list[Ligne]:
    """The chapters shown and their lines; the rows compared go to ``ecarts``."""
    rows: list[Ligne] = []
    for chapitre in partie.chapitres:
        amounts = cr.chapitres.get(chapitre.id)
        if amounts is None:
            continue
        indirect = chapitre.id == modele.indirectes_chapitre
        lines = lignes_du_chapitre(modele, chapitre)
        ids_all = [i for i, _l, _m in lines] or [chapitre.id]
        chapter_prev = None if indirect else amounts.prevision
        rows.append(
            Ligne(
                chapitre.libelle,
                _values(chapter_prev, amounts.realisation),
                id=chapitre.id,
                style=Style.SOUS_TOTAL if lines else Style.NORMAL,
                comptes=tuple(sorted({a for i in ids_all for a in cr.comptes.get(i, ())})),
            )
        )
        if not lines:
            ecarts.append((chapitre.id, chapitre.libelle, chapter_prev, amounts.realisation))
        for line_id, libelle, hide in lines:
            p, r = cr.prevision.get(line_id, ZERO), cr.realisation.get(line_id, ZERO)
            if hide and not p and not r:
                continue
            rows.append(
                Ligne(
                    libelle,
                    _values(None if indirect else p, r),
                    id=line_id,
                    niveau=2,
                    comptes=tuple(sorted(cr.comptes.get(line_id, ()))),
                )
            )
            if not indirect:
                ecarts.append((line_id, libelle, p, r))
        if chapitre.total:
            rows.append(_total(chapitre.total, amounts))
    return rows


def _total(total: tuple[str, str], amounts: PrevuRealise) -> Ligne:
    """The total row (id, label) of a chapter or a part."""
    total_id, total_label = total
    return Ligne(
        total_label,
        _values(amounts.prevision, amounts.realisation),
        id=total_id,
        style=Style.TOTAL,
    )


def _parties(modele: ModeleCompteRendu, cr: CompteRendu) -> tuple[list[Partie], list[Ecart]]:
    """The parts of the table, each ending with its balancing line (an excédent on the
    charges side, the ressources propres on the produits side) and its total."""
    ecarts: list[Ecart] = []
    parties = []
    for partie in modele.tableau.parties:
        rows = _rows_of_part(modele, cr, partie, ecarts)
        extra = cr.equilibre(partie.id)
        if partie.equilibre is not None and (extra.prevision or extra.realisation):
            eq_id = partie.equilibre[0]
            label = modele.equilibre.get(
                partie.id, partie.equilibre[2 if not cr.sans_projet else 1]
            )
            rows.append(Ligne(label, _values(extra.prevision, extra.realisation), id=eq_id))
        if partie.total:
            rows.append(_total(partie.total, cr.total(partie.id)))
        parties.append(
            Partie(partie.id, partie.titre, _columns(modele), rows, onglet=partie.onglet)
        )
    return parties, ecarts


def _set(totaux: Totaux, name: str, amounts: PrevuRealise) -> None:
    totaux[PREVISION][name] = amounts.prevision
    totaux[REALISATION][name] = amounts.realisation
    totaux[ECART][name] = amounts.ecart


def _totaux(modele: ModeleCompteRendu, cr: CompteRendu) -> Totaux:
    """Named totals by column: chapter and part totals, résultat, excédent and
    autofinancement (the gaps last)."""
    totaux: Totaux = {PREVISION: {}, REALISATION: {}, ECART: {}}
    for partie in modele.tableau.parties:
        for chapitre in partie.chapitres:
            amounts = cr.chapitres.get(chapitre.id)
            if amounts is None:
                continue
            if chapitre.total:
                _set(totaux, chapitre.total[0], amounts)
            if chapitre.id == modele.indirectes_chapitre:
                totaux[REALISATION]["charges_indirectes"] = amounts.realisation
    for partie in modele.tableau.parties:
        if partie.total:
            _set(totaux, partie.total[0], cr.total(partie.id))
    named = {"resultat": cr.resultat, EXCEDENT: cr.excedent, AUTOFINANCEMENT: cr.autofinancement}
    for column in (PREVISION, REALISATION):
        for name, amounts in named.items():
            totaux[column][name] = getattr(amounts, column)
    for name, amounts in named.items():
        totaux[ECART][name] = amounts.ecart
    return totaux


def _note_equilibre(modele: ModeleCompteRendu, cr: CompteRendu) -> str:
    excedent, autofinancement = cr.excedent.realisation, cr.autofinancement.realisation
    if excedent:
        return (
            f"Réalisation : les produits dépassent les charges de {montant(excedent)} "
            f"(ligne « {modele.equilibre['charges']} »)."
        )
    if autofinancement:
        return (
            f"Réalisation : {montant(autofinancement)} de charges non couvertes par les "
            f"produits de l'action (ligne « {modele.equilibre['produits']} »)."
        )
    return ""


def _partie_convention(cr: CompteRendu) -> Partie:
    convention, fin = cr.convention, cr.fin
    columns = [Colonne("texte", "Valeur", Genre.TEXTE), Colonne("montant", "Montant")]
    rows = [
        Ligne("Financeur", {"texte": convention.financeur}, id="financeur"),
        Ligne("Objet", {"texte": convention.objet}, id="objet"),
        Ligne("Projet(s)", {"texte": ", ".join(convention.projets) or "—"}, id="projets"),
        Ligne(
            "Période",
            {"texte": f"du {french_date(convention.debut)} au {french_date(convention.fin)}"},
            id="periode",
        ),
        Ligne("Montant accordé", {"montant": convention.montant}, id="montant"),
        Ligne(f"Reconnu en produits au {french_date(fin)}", {"montant": cr.reconnu}, id="reconnu"),
        Ligne(f"Reçu au {french_date(fin)}", {"montant": cr.recu}, id="recu"),
        Ligne(
            "Emploi de la subvention : charges éligibles directes",
            {"montant": cr.emploi.directes},
            id="emploi_directes",
        ),
        Ligne(
            "Emploi de la subvention : charges indirectes réparties",
            {"montant": cr.emploi.reparties},
            id="emploi_reparties",
        ),
        Ligne(
            "Reste à employer (accordé − emploi)",
            {"montant": cr.reste_a_employer},
            id="reste",
            style=Style.TOTAL,
        ),
    ]
    if cr.emploi_au_dela:
        rows.append(
            Ligne(
                "Emploi au-delà du montant accordé (à la charge de l'association)",
                {"montant": cr.emploi_au_dela},
                id="emploi_au_dela",
            )
        )
    return Partie(
        "convention",
        "Convention",
        columns,
        rows,
        notes=[
            "Emploi : charges éligibles de la convention (comptes de « charges_eligibles ») ; "
            "une charge d'un projet financé par plusieurs conventions est partagée au prorata "
            "des montants accordés."
        ],
        onglet="Convention",
    )


def _partie_ecarts(modele: ModeleCompteRendu, ecarts: list[Ecart]) -> Partie:
    seuil = modele.seuil / 100
    rows = []
    for id_, libelle, p, r in ecarts:
        pct = _values(p, r)[ECART_PCT]
        prevision = p or ZERO
        realisation = r or ZERO
        significant = (prevision == 0 and realisation != 0) or (
            isinstance(pct, Decimal) and abs(pct) > seuil
        )
        if not significant:
            continue
        rows.append(
            Ligne(
                libelle,
                {
                    PREVISION: prevision,
                    REALISATION: realisation,
                    ECART: realisation - prevision,
                    ECART_PCT: pct,
                    "explication": "",
                },
                id=f"ecart:{id_}",
            )
        )
    number = f"{modele.seuil.normalize():f}".replace(".", ",")
    return Partie(
        "ecarts",
        "Écarts significatifs",
        [*_columns(modele), Colonne("explication", "Explication", Genre.TEXTE)],
        rows,
        notes=[
            f"Lignes dont l'écart dépasse {number} % de la prévision, ou réalisées sans prévision.",
            modele.annexes["ecarts"],
        ],
        onglet="Écarts",
    )


def _partie_repartition(modele: ModeleCompteRendu, cr: CompteRendu) -> Partie:
    allocation = cr.allocation
    assert allocation is not None
    columns = [Colonne("methode", "Méthode", Genre.TEXTE), Colonne("montant", "Part de l'action")]
    rows = [
        Ligne(
            cle.libelle,
            {
                "methode": f"{cle.methode}, comptes {', '.join(cle.comptes)}",
                "montant": cr.reparti_par_cle[code],
            },
            id=f"cle:{code}",
        )
        for code, cle in allocation.cles.items()
    ]
    rows.append(
        Ligne(
            "Total des charges indirectes réparties",
            {"montant": cr.total_reparti},
            id="total_reparti",
            style=Style.TOTAL,
        )
    )
    notes = [modele.annexes["repartition"]]
    notes.extend(notes_de_repartition(allocation))
    return Partie(
        "repartition",
        "Règles de répartition des charges indirectes",
        columns,
        rows,
        notes=notes,
        onglet="Répartition",
    )


def _notes(modele: ModeleCompteRendu, cr: CompteRendu, source: Source) -> list[str]:
    convention = cr.convention
    projets_txt = ", ".join(f"{p} ({source.nom_projet(p)})" for p in convention.projets)
    action = "ensemble de l'association (convention sans projet)"
    notes = [
        f"Action : {action if cr.sans_projet else 'projet(s) ' + projets_txt}.",
        "Prévision : lignes du budget des projets (fichiers du budget, dernière version de "
        "chaque exercice) pour la part de leurs échéances comprise dans la période de la "
        "convention.",
        f"Réalisation : écritures du {french_date(convention.debut)} au {french_date(cr.fin)} "
        "portant le(s) projet(s) ou « convention: "
        f"{convention.reference} »"
        + (
            ", et part des projets des charges indirectes réparties par les clés de "
            "répartition (lignes « charges indirectes »)."
            if cr.allocation is not None
            else " ; sans répartition des charges indirectes."
        ),
        "Écart = réalisation − prévision ; en % de la prévision.",
        "Reports en fonds dédiés (689x) et leurs utilisations (789x) de la convention : "
        "exclus, ce sont des transferts de la ressource d'un exercice à l'autre, pas des "
        "charges ni des produits de l'action (comme pour l'emploi de la subvention).",
        _note_equilibre(modele, cr),
        modele.annexes["contributions"],
    ]
    notes.extend(modele.tableau.notes.get(key, "") for key in ("contributions", "dons"))
    return [note for note in notes if note]


def _avertissement_sans_projet(cr: CompteRendu) -> str:
    """A convention without project whose charges carry its reference: its table covers
    the whole association, its emploi only those charges; the two figures differ."""
    reference = cr.convention.reference
    realise = cr.parties["charges"].realisation if "charges" in cr.parties else ZERO
    return (
        f"{reference} n'a pas de projet : le tableau couvre l'ensemble de l'association "
        f"({montant(realise)} de charges réalisées), alors que l'emploi de la subvention ne "
        f"compte que les {montant(cr.emploi.directes)} de charges portant « convention: "
        f"{reference} ». Pour rendre compte d'une action, déclarez-la comme projet "
        "(projets: de communs.yaml et de la convention) et portez-le sur ses écritures."
    )


def _avertissements(cr: CompteRendu, source: Source, conventions: Conventions) -> list[str]:
    convention = cr.convention
    warnings = [
        f"Aucun budget pour l'{exercice.libelle} : prévision incomplète."
        for exercice in cr.sans_budget
    ]
    if cr.fin < convention.fin:
        warnings.append(
            f"Convention en cours (fin le {french_date(convention.fin)}) : réalisation "
            f"arrêtée au {french_date(cr.fin)}."
        )
    outside = hors_periode(source, conventions, convention)
    if outside:
        warnings.append(outside)
    if cr.sans_projet and cr.emploi.directes:
        warnings.append(_avertissement_sans_projet(cr))
    override = cr.repartition_demandee
    if override is not None and override != convention.frais_indirects:
        warnings.append(avertissement_repartition(override, [convention]))
    warnings.extend(avertissements_devises(source))
    return warnings


def build_rapport_compte_rendu(
    cr: CompteRendu, source: Source, conventions: Conventions
) -> Rapport:
    """The report of ``cr`` (``source`` and ``conventions``: projects' names, warnings)."""
    modele = modele_compte_rendu()
    convention = cr.convention
    parties, ecarts = _parties(modele, cr)
    parties.insert(0, _partie_convention(cr))
    parties.append(_partie_ecarts(modele, ecarts))
    if cr.allocation is not None:
        parties.append(_partie_repartition(modele, cr))
    totaux = _totaux(modele, cr)
    return Rapport(
        id="compte_rendu_financier",
        titre=f"{modele.titre} — {convention.reference}",
        association=source.association,
        parties=parties,
        sous_titre=(
            f"{modele.formulaire} — {convention.financeur} — {convention.objet} — du "
            f"{french_date(convention.debut)} au {french_date(convention.fin)}"
        ),
        exercice=cr.exercices[-1].code if cr.exercices else None,
        periode=(convention.debut, cr.fin),
        totaux={
            "n": {
                f"{name}_{SUFFIXES[col]}": value
                for col, values in totaux.items()
                for name, value in values.items()
            },
            **{col: dict(values) for col, values in totaux.items()},
        },
        notes=_notes(modele, cr, source),
        avertissements=_avertissements(cr, source, conventions),
        meta={
            "convention": convention.reference,
            "projets": ", ".join(convention.projets) or None,
            "repartition": cr.allocation is not None,
            "au": cr.fin,
            "formulaire": modele.formulaire,
        },
    )


def compte_rendu(
    source: Source,
    conventions: Conventions,
    reference: str,
    budgets: Budgets,
    **options: Unpack[OptionsCompteRendu],
) -> Rapport:
    """The CERFA 15059 compte rendu financier of convention ``reference``
    (:func:`compute_compte_rendu`, then :func:`build_rapport_compte_rendu`)."""
    cr = compute_compte_rendu(source, conventions, reference, budgets, **options)
    return build_rapport_compte_rendu(cr, source, conventions)
