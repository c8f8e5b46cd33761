"""The report of ``communs ressources``: resources by origin and by funder over the last
exercices, concentration indicators with their thresholds, readable sentences and a chart.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from ..budget.cerfa import modele_cerfa
from ..conventions.fichier import Conventions
from ..exercices import Exercice, french_date
from ..formatage import montant, nombre, pourcentage
from ..montants import CENT, ZERO, round_to
from ..rapports.entete import avertissements_devises
from ..rapports.indicateurs import (
    Seuil,
    indicateurs,
    indicateurs_du_modele_par_defaut,
    texte_nombre,
)
from ..rapports.objets import Colonne, Genre, Graphique, Ligne, Partie, Rapport, Serie, Style
from ..rapports.reglages import diagnostic_config
from ..rapports.source import Source
from .calcul import (
    NON_CLASSE,
    PUBLIQUES,
    ModeleSocioEconomique,
    RessourcesExercice,
    compute_modele_socio_economique,
    origines,
    ressources_propres,
)
from .reglages import ressources_config

POURCENTAGES = (
    "part_premier_financeur",
    "part_trois_premiers",
    "part_ressources_propres",
    "part_subventions_publiques",
    "part_pluriannuelle",
)
NOMBRES = ("indice_herfindahl", "mois_sans_premier_financeur")
NON_IDENTIFIE = "Financeur non identifié"
QUANTUM_PART = Decimal("0.0001")
GUIDE = "docs/guide/modele-socio-economique.md"


def _definitions(source: Source) -> dict[str, dict[str, Any]]:
    """Label, explanation, source and thresholds of each indicator: those of the section
    ``modele_socio_economique`` of ``diagnostic.yaml``, thresholds overridable in
    communs.yaml (``ressources.seuils``); the public share is the diagnostic's own
    indicator (its thresholds, overridable under ``diagnostic.seuils``)."""
    overrides = ressources_config(source.context.config).seuils
    found: dict[str, dict[str, Any]] = {
        key: {
            "libelle": indicateur.libelle,
            "explication": indicateur.explication,
            "reference": " ".join(indicateur.reference.split()),
            "seuil": indicateur.seuil,
        }
        for key, indicateur in indicateurs(overrides, indicateurs_du_modele_par_defaut()).items()
    }
    public = indicateurs(diagnostic_config(source.context.config).seuils)[
        "part_subventions_publiques"
    ]
    found["part_subventions_publiques"] = {
        "libelle": "Part des subventions et concours publics dans les ressources",
        "explication": "Subventions et concours publics (73, 74) rapportés aux ressources ; "
        "mêmes seuils que l'indicateur du diagnostic financier.",
        "reference": public.reference,
        "seuil": public.seuil,
    }
    return found


def _colonnes(modele: ModeleSocioEconomique, genre: Genre, part: bool) -> list[Colonne]:
    columns = [Colonne(r.exercice.code, _entete(r, modele), genre) for r in modele.exercices]
    if part:
        columns.append(Colonne("part", f"Part {modele.n.exercice.code}", Genre.POURCENTAGE))
    return columns


def _entete(ressources: RessourcesExercice, modele: ModeleSocioEconomique) -> str:
    if ressources is modele.n and modele.en_cours:
        return f"{ressources.exercice.code} au {ressources.fin.strftime('%d/%m/%Y')}"
    return f"Exercice {ressources.exercice.code}"


def _ligne(
    modele: ModeleSocioEconomique, libelle: str, valeurs: Iterable[Decimal], **options: Any
) -> Ligne:
    amounts = list(valeurs)
    cells: dict[str, Any] = {
        r.exercice.code: amount for r, amount in zip(modele.exercices, amounts, strict=True)
    }
    cells["part"] = modele.n.part(amounts[-1])
    return Ligne(libelle=libelle, valeurs=cells, **options)


def _types_publics(modele: ModeleSocioEconomique) -> list[tuple[str, str]]:
    labels = dict(modele_cerfa().financeurs)
    labels[NON_CLASSE] = "Financeur public non classé (type inconnu)"
    present = {t for r in modele.exercices for t, amount in r.par_type.items() if amount}
    return [(t, label) for t, label in labels.items() if t in present]


def _partie_origines(modele: ModeleSocioEconomique) -> Partie:
    rows = []
    for origine in origines():
        rows.append(
            _ligne(
                modele,
                origine.libelle,
                (r.par_origine.get(origine.id, ZERO) for r in modele.exercices),
                id=origine.id,
            )
        )
        if origine.id == PUBLIQUES:
            for type_, label in _types_publics(modele):
                rows.append(
                    _ligne(
                        modele,
                        label,
                        (r.par_type.get(type_, ZERO) for r in modele.exercices),
                        id=f"type_{type_}",
                        style=Style.DONT,
                        niveau=2,
                    )
                )
    rows.append(
        _ligne(
            modele,
            "Total des ressources",
            (r.total for r in modele.exercices),
            id="total",
            style=Style.TOTAL,
        )
    )
    cv = _ligne(
        modele,
        "Contributions volontaires en nature (87, à part, non comprises dans le total)",
        (r.contributions_volontaires for r in modele.exercices),
        id="contributions_volontaires",
        style=Style.NOTE,
    )
    cv.valeurs["part"] = None
    rows.append(cv)
    return Partie(
        "origines",
        "Ressources par origine",
        _colonnes(modele, Genre.MONTANT, True),
        rows,
        onglet="Origines",
    )


def _partie_financeurs(modele: ModeleSocioEconomique) -> Partie:
    names = {name for r in modele.exercices for name in r.par_financeur}
    current = modele.n.par_financeur
    ordered = sorted(names, key=lambda name: (-current.get(name, ZERO), name))
    rows = [
        _ligne(
            modele,
            name,
            (r.par_financeur.get(name, ZERO) for r in modele.exercices),
            id=f"financeur:{name}",
        )
        for name in ordered
    ]
    if any(r.non_identifie for r in modele.exercices):
        rows.append(
            _ligne(
                modele,
                NON_IDENTIFIE,
                (r.non_identifie for r in modele.exercices),
                id="non_identifie",
            )
        )
    return Partie(
        "financeurs",
        "Financeurs (subventions et financements privés)",
        _colonnes(modele, Genre.MONTANT, True),
        rows,
        notes=[
            "Financeur : celui de la convention (conventions.yaml, métadonnée « convention: » "
            "de l'écriture), sinon celui que nomme le sous-compte, sinon le tiers de "
            "l'écriture ; « non identifié » sinon, compté dans les ressources mais pas dans "
            "la concentration."
        ],
        onglet="Financeurs",
    )


def _partie_indicateurs(
    modele: ModeleSocioEconomique,
    definitions: dict[str, dict[str, Any]],
    ids: tuple[str, ...],
    titre: tuple[str, str],
    genre: Genre,
) -> Partie:
    rows = []
    for key in ids:
        spec = definitions[key]
        values: dict[str, Any] = {r.exercice.code: r.valeurs[key] for r in modele.exercices}
        seuil: Seuil | None = spec["seuil"]
        statut = seuil.statut(modele.n.valeurs[key]) if seuil is not None else None
        rows.append(Ligne(libelle=spec["libelle"], valeurs=values, id=key, statut=statut))
    return Partie(titre[0], titre[1], _colonnes(modele, genre, False), rows)


def _seuils(spec: dict[str, Any]) -> str:
    seuil: Seuil | None = spec["seuil"]
    if seuil is None:
        return "sans seuil"
    unit = " %" if seuil.pourcentage else ""
    surveiller, alerte = texte_nombre(seuil.surveiller), texte_nombre(seuil.alerte)
    if seuil.sens == "maximum":
        text = f"ok ≤ {surveiller}{unit} ; alerte > {alerte}{unit}"
    else:
        text = f"ok ≥ {surveiller}{unit} ; alerte < {alerte}{unit}"
    return text + (" (communs.yaml)" if seuil.personnalise else "")


def _partie_explications(definitions: dict[str, dict[str, Any]]) -> Partie:
    return Partie(
        "explications",
        "Explications et seuils",
        [
            Colonne("explication", "Explication", Genre.TEXTE),
            Colonne("seuils", "Seuils (repères d'usage)", Genre.TEXTE),
            Colonne("reference", "Source", Genre.TEXTE),
        ],
        [
            Ligne(
                libelle=definitions[key]["libelle"],
                valeurs={
                    "explication": definitions[key]["explication"],
                    "seuils": _seuils(definitions[key]),
                    "reference": definitions[key]["reference"],
                },
                id=key,
            )
            for key in POURCENTAGES + NOMBRES
        ],
        onglet="Explications",
    )


def _part(value: Decimal | None) -> str:
    """A share as the renderers show it (rounded to 0.0001 first, rendu/valeurs.py), so
    that a sentence and the table print the same figure."""
    return pourcentage(round_to(value, QUANTUM_PART) if value is not None else None)


def _liste(noms: list[str]) -> str:
    return noms[0] if len(noms) == 1 else ", ".join(noms[:-1]) + " et " + noms[-1]


def _phrase_concentration(n: RessourcesExercice) -> list[str]:
    code = n.exercice.code
    top = n.premiers(3)
    if not top or n.total <= 0:
        return [f"Aucun financeur identifié dans les ressources de {code}."]
    first_name, first = top[0]
    sentences = [
        f"{_part(n.part(first))} des ressources de {code} viennent de votre premier "
        f"financeur ({first_name})."
    ]
    if len(top) > 1:
        names = [name for name, _ in top]
        sentences.append(
            f"{_part(n.part_trois_premiers)} viennent de vos {len(top)} premiers "
            f"financeurs ({_liste(names)})."
        )
    months = n.mois_sans_premier_financeur
    if months is not None:
        sentences.append(
            f"Si le premier financeur s'arrêtait, les fonds propres ({montant(n.fonds_propres)}) "
            f"remplaceraient son apport pendant {nombre(round_to(months, CENT), 1)} mois."
        )
    return sentences


def _phrase_evolution(modele: ModeleSocioEconomique) -> list[str]:
    first, last = modele.exercices[0], modele.n
    if first is last:
        return []
    sentences = [
        f"De {first.exercice.code} à {last.exercice.code}, les ressources passent de "
        f"{montant(first.total)} à {montant(last.total)} ; la part des subventions publiques "
        "dans ces ressources de "
        f"{_part(first.part_ressources_publiques)} à "
        f"{_part(last.part_ressources_publiques)}, celle des ressources propres de "
        f"{_part(first.part_ressources_propres)} à "
        f"{_part(last.part_ressources_propres)}."
    ]
    if modele.en_cours:
        sentences.append(
            f"Exercice {last.exercice.code} en cours : ressources au {french_date(last.fin)}, "
            "date de la dernière écriture (une subvention non encore notifiée n'y est pas)."
        )
    return sentences


def _notes(modele: ModeleSocioEconomique) -> list[str]:
    n = modele.n
    notes = [*_phrase_concentration(n), *_phrase_evolution(modele)]
    if modele.conventions_lues:
        share = n.part_pluriannuelle
        notes.append(
            f"Conventions de {n.exercice.code} : {montant(n.conventions)}, dont "
            f"{montant(n.conventions_pluriannuelles)} sous convention de plus de douze mois"
            + (f" ({_part(share)})." if share is not None else ".")
        )
    notes.extend(
        [
            "Ressources : produits de l'exercice, hors reprises et utilisations de fonds dédiés "
            "(78), transferts (79), quote-part des subventions d'investissement et produits "
            "de cessions ; une subvention compte l'année où elle est accordée.",
            "Seuils : repères d'usage des accompagnateurs, pas des règles de droit ; aucun texte "
            "ne fixe la part maximale d'un financeur.",
            f"Pour lire ces chiffres : {GUIDE}.",
        ]
    )
    return notes


def _avertissements(modele: ModeleSocioEconomique, source: Source) -> list[str]:
    warnings = avertissements_devises(source)
    for r in modele.exercices:
        if r.non_identifie:
            warnings.append(
                f"Exercice {r.exercice.code} : {montant(r.non_identifie)} de subventions ou "
                "financements privés sans financeur identifié (ni convention, ni sous-compte "
                "nommé, ni tiers) : hors du calcul de concentration."
            )
        unclassified = r.par_type.get(NON_CLASSE, ZERO)
        if unclassified:
            warnings.append(
                f"Exercice {r.exercice.code} : {montant(unclassified)} de subventions sans type "
                "de financeur (métadonnée type_financeur de la convention ou du compte)."
            )
    if not modele.conventions_lues:
        warnings.append(
            "Pas de fichier de conventions lisible (clé conventions de communs.yaml) : "
            "financeurs lus sur les comptes seulement, part pluriannuelle non calculée."
        )
    return warnings


def _graphique(modele: ModeleSocioEconomique) -> Graphique:
    """The three pillars of the model, exercice by exercice."""
    public = tuple(r.par_origine.get(PUBLIQUES, ZERO) for r in modele.exercices)
    own = tuple(
        sum((r.par_origine.get(o, ZERO) for o in ressources_propres()), ZERO)
        for r in modele.exercices
    )
    private = tuple(r.total - p - o for r, p, o in zip(modele.exercices, public, own, strict=True))
    return Graphique(
        id="ressources_par_origine",
        titre="Ressources publiques, privées et propres",
        categories=tuple(r.exercice.code for r in modele.exercices),
        series=[
            Serie("Subventions publiques", public),
            Serie("Financements privés et dons", private),
            Serie("Ressources propres", own),
        ],
        genre="barres",
    )


def build_rapport_modele_socio_economique(modele: ModeleSocioEconomique, source: Source) -> Rapport:
    """The :class:`Rapport` of ``communs ressources``."""
    n = modele.n
    definitions = _definitions(source)
    exercice = n.exercice
    meta: dict[str, object] = {
        "exercices": [r.exercice.code for r in modele.exercices],
        "au": n.fin.isoformat(),
        "guide": GUIDE,
    }
    return Rapport(
        id="ressources",
        titre="Modèle socio-économique : origine des ressources",
        association=source.association,
        parties=[
            _partie_origines(modele),
            _partie_financeurs(modele),
            _partie_indicateurs(
                modele,
                definitions,
                POURCENTAGES,
                ("concentration", "Concentration et dépendance"),
                Genre.POURCENTAGE,
            ),
            _partie_indicateurs(
                modele, definitions, NOMBRES, ("indices", "Indice et réserves"), Genre.NOMBRE
            ),
            _partie_explications(definitions),
        ],
        sous_titre=exercice.libelle[0].upper() + exercice.libelle[1:],
        exercice=exercice.code,
        periode=(modele.exercices[0].exercice.debut, n.fin),
        totaux={
            r.exercice.code: {"total": r.total, **{o: v for o, v in r.par_origine.items()}}
            for r in modele.exercices
        },
        notes=_notes(modele),
        avertissements=_avertissements(modele, source),
        meta=meta,
        graphiques=[_graphique(modele)],
    )


def modele_socio_economique(
    source: Source, exercice: Exercice, conventions: Conventions | None, *, annees: int = 3
) -> Rapport:
    """Compute and build the report (what the CLI calls)."""
    return build_rapport_modele_socio_economique(
        compute_modele_socio_economique(source, exercice, conventions, annees), source
    )
