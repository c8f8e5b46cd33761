"""Peers' shared indicators (files written by ``communs indicateurs --partage``), and the
association's place among them: quartiles and median of each indicator.

A peer's file is read strictly: the keys of the schema only, every value a band label
or a decimal string; anything else (a name, an amount…) makes the file refused. An
indicator is compared only when at least :data:`~.indicateurs.MINIMUM_DE_PAIRS` peers
of the same exercice give it: fewer could let a reader recognise an association.

Quartiles are interpolated between the sorted values (the « inclusive » method of
spreadsheets, ``QUARTILE.INC``): the quartile ``p`` of ``n`` values ``v₀ ≤ … ≤ vₙ₋₁`` is
at rank ``r = p × (n − 1)``: ``v⌊r⌋ + (r − ⌊r⌋) × (v⌊r⌋₊₁ − v⌊r⌋)``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..config import Config
from ..exercices import Exercice
from ..rapports.objets import Colonne, Genre, Graphique, Ligne, Partie, Rapport, Serie
from ..rapports.source import Source
from .indicateurs import (
    BANDES_SALARIES,
    BANDES_TAILLE,
    FORMAT,
    INDICATEURS,
    MINIMUM_DE_PAIRS,
    NON_RENSEIGNE,
    UNITES,
    VERSION,
    IndicateursPartages,
    arrondi_du_ratio,
    compute_indicateurs_partages,
)
from .jetons import MOTIF_JETON, cle_propre, est_propre
from .reglages import partage_config

_CLES = {"format", "version", "exercice", "bande_taille", "secteur", "bande_salaries", "jeton"}
_CLES_INDICATEURS = {key for key, _label, _unite in INDICATEURS}


class PairIllisible(Exception):
    """A peer's file that is not a shared indicators file (French message)."""


def _valeur(path: Path, key: str, value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value)) if isinstance(value, str) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise PairIllisible(f"{path.name} : indicateur {key} : nombre en texte attendu")
    unite = UNITES[key]
    # as the format rounds it (a per cent is shared as a whole number, not a fraction)
    arrondi = arrondi_du_ratio(number / 100 if unite == "%" else number, unite)
    if arrondi != number:
        precision = "une décimale" if unite == "mois" else "pour cent entier"
        raise PairIllisible(
            f"{path.name} : indicateur {key} : {value} plus précis que le format ({precision})"
        )
    return number


def _texte(path: Path, data: dict[str, Any], key: str, permis: set[str] | None) -> str:
    value = data.get(key)
    if not isinstance(value, str) or (permis is not None and value not in permis):
        raise PairIllisible(f"{path.name} : {key} invalide")
    return value


def lire_pair(path: Path) -> IndicateursPartages:
    """One peer's file, read strictly (see the module docstring)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        raise PairIllisible(f"{path.name} : fichier JSON illisible") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PairIllisible(f"{path.name} : ce n'est pas un fichier d'indicateurs partagés")
    if data.get("version") != VERSION:
        raise PairIllisible(f"{path.name} : version {data.get('version')!r} inconnue")
    inconnues = set(data) - _CLES - {"indicateurs"}
    valeurs = data.get("indicateurs")
    if inconnues or not isinstance(valeurs, dict) or set(valeurs) - _CLES_INDICATEURS:
        raise PairIllisible(f"{path.name} : clés hors du schéma, fichier refusé")
    return IndicateursPartages(
        exercice=_texte(path, data, "exercice", None),
        bande_taille=_texte(path, data, "bande_taille", {b for _, b in BANDES_TAILLE}),
        secteur=_texte(path, data, "secteur", None),
        bande_salaries=_texte(
            path, data, "bande_salaries", {b for _, b in BANDES_SALARIES} | {NON_RENSEIGNE}
        ),
        valeurs={key: _valeur(path, key, valeurs.get(key)) for key in sorted(_CLES_INDICATEURS)},
        jeton=_jeton(path, data.get("jeton")),
    )


def _jeton(path: Path, value: object) -> str | None:
    """The file's token (optional): 32 hexadecimal digits, else the file is refused (a
    free text there could name the association)."""
    if value is None:
        return None
    if not isinstance(value, str) or not MOTIF_JETON.match(value):
        raise PairIllisible(f"{path.name} : jeton invalide (32 chiffres hexadécimaux attendus)")
    return value


def lire_pairs(dossier: Path) -> list[IndicateursPartages]:
    """Every ``*.json`` file of ``dossier`` (sorted by name)."""
    return [lire_pair(path) for path in sorted(dossier.glob("*.json"))]


def quantile(valeurs: list[Decimal], p: Decimal) -> Decimal:
    """The quantile ``p`` (0 to 1) of sorted ``valeurs`` (see the module docstring)."""
    rang = p * (len(valeurs) - 1)
    bas = int(rang)
    if bas + 1 >= len(valeurs):
        return valeurs[bas]
    return valeurs[bas] + (rang - bas) * (valeurs[bas + 1] - valeurs[bas])


def _quartiles(valeurs: list[Decimal]) -> tuple[Decimal, Decimal, Decimal] | None:
    """1st quartile, median, 3rd quartile of sorted ``valeurs``; None under the minimum."""
    if len(valeurs) < MINIMUM_DE_PAIRS:
        return None
    quart = Decimal("0.25")
    return quantile(valeurs, quart), quantile(valeurs, 2 * quart), quantile(valeurs, 3 * quart)


@dataclass(frozen=True, slots=True)
class Position:
    """One indicator: the association's value and its peers' quartiles (None when fewer
    than :data:`MINIMUM_DE_PAIRS` peers give it)."""

    id: str
    libelle: str
    unite: str
    valeur: Decimal | None
    pairs: int
    quartiles: tuple[Decimal, Decimal, Decimal] | None

    @property
    def position(self) -> str:
        if self.quartiles is None:
            return f"non comparé (moins de {MINIMUM_DE_PAIRS})"
        if self.valeur is None:
            return "non calculable pour l'association"
        q1, mediane, q3 = self.quartiles
        if self.valeur < q1:
            return "sous le 1er quartile"
        if self.valeur < mediane:
            return "entre le 1er quartile et la médiane"
        if self.valeur == mediane:
            return "à la médiane"
        if self.valeur <= q3:
            return "entre la médiane et le 3e quartile"
        return "au-dessus du 3e quartile"


@dataclass(frozen=True, slots=True)
class Comparaison:
    exercice: str
    pairs: int  # peers' files of the same exercice (and group)
    ecartes: int  # peers' files of another exercice or group
    groupe: str | None = None  # « taille 50 à 200 k€ »…
    positions: list[Position] = field(default_factory=list)
    propres: int = 0  # the association's own files (its tokens), left out


GROUPES = {"taille": "bande_taille", "secteur": "secteur", "salaries": "bande_salaries"}
"""The groups the association may compare itself within (``--groupe``), by attribute."""


def comparer(
    propre: IndicateursPartages,
    fichiers: list[IndicateursPartages],
    groupe: str | None = None,
    cle: bytes | None = None,
) -> Comparaison:
    """The association among the peers of its exercice (and of its ``groupe``: same size
    band, sector or employees band), indicator by indicator; the files whose token
    comes from the association's ``cle`` are its own, not peers (:mod:`.jetons`)."""
    attribut = GROUPES[groupe] if groupe is not None else None
    pairs = [pair for pair in fichiers if not est_propre(cle, pair.exercice, pair.jeton)]
    memes = [
        pair
        for pair in pairs
        if pair.exercice == propre.exercice
        and (attribut is None or getattr(pair, attribut) == getattr(propre, attribut))
    ]
    positions = []
    for key, label, unite in INDICATEURS:
        values = sorted(v for pair in memes if (v := pair.valeurs.get(key)) is not None)
        positions.append(
            Position(key, label, unite, propre.valeurs.get(key), len(values), _quartiles(values))
        )
    libelle = f"{groupe} {getattr(propre, attribut)}" if attribut is not None else None
    return Comparaison(
        propre.exercice,
        len(memes),
        len(pairs) - len(memes),
        libelle,
        positions,
        propres=len(fichiers) - len(pairs),
    )


class ReseauIntrouvable(Exception):
    """No network folder to compare with (French message saying how to give one)."""


def dossier_du_reseau(config: Config, dossier: Path) -> Path | None:
    """The network's folder named by ``partage.reseau.chemin`` (relative to the folder of
    ``communs.yaml``, else to ``dossier``, the association's), or None when not set."""
    chemin = partage_config(config).reseau.chemin
    if chemin is None:
        return None
    base = config.path.parent if config.path is not None else dossier
    return base / chemin


def lire_reseau(dossier: Path) -> list[IndicateursPartages]:
    """The peers' files of the network's folder (:class:`ReseauIntrouvable` when it is
    not a folder, :class:`PairIllisible` for a file out of the schema)."""
    if not dossier.is_dir():
        raise ReseauIntrouvable(f"dossier du réseau {dossier} introuvable")
    return lire_pairs(dossier)


def comparer_au_reseau(
    source: Source, exercice: Exercice, dossier: Path, groupe: str | None = None
) -> Comparaison:
    """The association's shared indicators of ``exercice`` among the peers' files of
    ``dossier`` (:class:`ReseauIntrouvable`, :class:`PairIllisible` when unreadable)."""
    pairs = lire_reseau(dossier)
    config = source.context.config
    propres = compute_indicateurs_partages(source, exercice, partage_config(config))
    return comparer(propres, pairs, groupe, cle_propre(config, source.context.ledger.parent))


SERIES = ("1er quartile", "Médiane", "3e quartile")
TITRES_DES_GRAPHIQUES = {
    "mois": "Mois de charges couverts : l'association et les quartiles du réseau",
    "%": "Parts et marge (%) : l'association et les quartiles du réseau",
}


def graphiques_de_comparaison(comparaison: Comparaison) -> list[Graphique]:
    """One bar chart per unit (months, per cent): for each indicator, the peers' first
    quartile, median and third quartile beside the association's value."""
    found: list[Graphique] = []
    for unite, titre in TITRES_DES_GRAPHIQUES.items():
        items = [item for item in comparaison.positions if item.unite == unite]
        if not items:
            continue
        quartiles = [item.quartiles or (None, None, None) for item in items]
        series = [Serie(nom, tuple(q[rang] for q in quartiles)) for rang, nom in enumerate(SERIES)]
        series.append(Serie("Association", tuple(item.valeur for item in items)))
        categories = tuple(item.libelle.split(" (")[0] for item in items)
        found.append(
            Graphique(f"reseau_{len(found) + 1}", titre, categories, series, "barres", unite)
        )
    return found


def build_rapport_comparaison(
    comparaison: Comparaison, association: str, graphiques: bool = False
) -> Rapport:
    """The comparison as a report: one row per indicator (and, with ``graphiques``, the
    charts of :func:`graphiques_de_comparaison`)."""
    colonnes = [
        Colonne("association", "Association", Genre.NOMBRE),
        Colonne("q1", "1er quartile", Genre.NOMBRE),
        Colonne("mediane", "Médiane", Genre.NOMBRE),
        Colonne("q3", "3e quartile", Genre.NOMBRE),
        Colonne("pairs", "Associations", Genre.ENTIER),
        Colonne("position", "Position", Genre.TEXTE),
    ]
    lignes = []
    for item in comparaison.positions:
        q1, mediane, q3 = item.quartiles or (None, None, None)
        lignes.append(
            Ligne(
                item.libelle,
                {
                    "association": item.valeur,
                    "q1": q1,
                    "mediane": mediane,
                    "q3": q3,
                    "pairs": item.pairs,
                    "position": item.position,
                },
                id=item.id,
            )
        )
    groupe = f", groupe {comparaison.groupe}" if comparaison.groupe else ""
    autre = "d'un autre exercice ou groupe" if comparaison.groupe else "d'un autre exercice"
    ecartes = f" ; {comparaison.ecartes} {autre} écarté(s)" if comparaison.ecartes else ""
    if comparaison.propres:
        ecartes += (
            f" ; {comparaison.propres} fichier(s) de l'association elle-même écarté(s) "
            "(reconnu(s) à leur jeton)"
        )
    notes = [
        f"{comparaison.pairs} fichier(s) d'associations pour l'exercice "
        f"{comparaison.exercice}{groupe}{ecartes}.",
        f"Un indicateur n'est comparé que si au moins {MINIMUM_DE_PAIRS} associations le "
        "donnent : un groupe plus petit permettrait de reconnaître une association.",
        "Quartiles interpolés entre les valeurs triées (méthode QUARTILE.INC des tableurs).",
    ]
    avertissements = []
    if comparaison.pairs < MINIMUM_DE_PAIRS:
        avertissements.append(
            f"Seulement {comparaison.pairs} association(s) dans ce groupe : moins de "
            f"{MINIMUM_DE_PAIRS}, aucun indicateur n'est comparé."
        )
    return Rapport(
        id="comparaison_reseau",
        titre="Comparaison avec le réseau",
        association=association,
        parties=[Partie("indicateurs", "Indicateurs partagés", colonnes, lignes, notes)],
        exercice=comparaison.exercice,
        avertissements=avertissements,
        graphiques=graphiques_de_comparaison(comparaison) if graphiques else [],
    )
