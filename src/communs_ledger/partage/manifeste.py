"""A model pack: its manifest (``modele.yaml``) and the check of every file it lists.

A pack is a folder (or a Git repository) with a manifest and files in the formats
communs already reads::

    nom: association-employeuse
    version: "1.0"
    description: Modèles d'une petite association employeuse (jardins, éducation populaire)
    licence: CC-BY-SA-4.0
    contenu:
      profils_bancaires: profils_bancaires.yaml      # comme plan_comptable/profils_bancaires.yaml
      regles_import: importation/regles.yaml        # comme importation.regles
      budgets:                                       # modèles de budget, par nom
        association-employeuse: {fichier: budgets/association-employeuse.yaml, exercice: 2026}
      paie: previsions/paie.yaml                     # comme previsions.paie
      seuils: diagnostic.yaml                        # comme diagnostic: de communs.yaml
      saisie: modeles/ecritures.yaml                 # modèles d'écritures (communs saisir)

Every file is checked with the loader of its format, errors at ``fichier:ligne``.
What depends on the association's ledger (accounts of the import rules, projects) is
checked when the file is used.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..budget.fichier import load_budget_file
from ..exercices import Exercice
from ..importation.profils import ProfilNomme, lire_profils
from ..importation.regles import FichierRegles
from ..previsions.paie import FichierPaie
from ..rapports.indicateurs import erreurs_de_seuils
from ..rapports.reglages import DiagnosticConfig
from ..saisie.modeles import FichierModeles
from ..schemas import Schema, champ, validate, valider_entier
from ..sources import Location, SourceError
from ..yaml_lignes import YamlDocument, load_yaml
from .reglages import nom_de_modele

MANIFESTE = "modele.yaml"


_annee = valider_entier(1900, 9999, "année attendue (ex. 2026, lu : {!r})")


class ModeleDeBudget(Schema):
    """A budget template: a budget file written for the calendar year ``exercice``."""

    fichier: str = champ(min_longueur=1)
    exercice: int = champ(valider=_annee)


class Contenu(Schema):
    """The files of a pack, by kind (paths relative to the pack)."""

    profils_bancaires: str | None = None
    regles_import: str | None = None
    budgets: dict[str, ModeleDeBudget] = champ(default_factory=dict)
    paie: str | None = None
    seuils: str | None = None
    saisie: str | None = None  # entry templates, as modeles/*.yaml (communs saisir)


class Manifeste(Schema):
    """``modele.yaml``."""

    nom: str = champ(valider=nom_de_modele)
    version: str = champ(min_longueur=1)
    description: str = champ(min_longueur=1)
    licence: str = champ(min_longueur=1)
    contenu: Contenu = champ(default_factory=Contenu)


@dataclass
class Modele:
    """A pack read from a folder: its manifest and what it provides."""

    dossier: Path
    manifeste: Manifeste
    profils: list[ProfilNomme] = field(default_factory=list)
    seuils: list[str] = field(default_factory=list)  # indicators given thresholds
    ecritures: list[str] = field(default_factory=list)  # names of the entry templates

    @property
    def nom(self) -> str:
        return self.manifeste.nom

    def fichier(self, relatif: str) -> Path:
        return self.dossier / relatif

    @property
    def fichiers(self) -> list[str]:
        """The files the manifest lists (relative paths), in the manifest's order."""
        contenu = self.manifeste.contenu
        found = [contenu.profils_bancaires, contenu.regles_import]
        found += [budget.fichier for budget in contenu.budgets.values()]
        found += [contenu.paie, contenu.seuils, contenu.saisie]
        return [path for path in found if path is not None]


def _etiquette(dossier: Path, relatif: str, affiche: str | None) -> str:
    """How errors name a pack file: ``modeles-communs/x/budgets/a.yaml``."""
    return f"{affiche}/{relatif}" if affiche else str(dossier / relatif)


def chemin_sur(relatif: str) -> str | None:
    """Why a path of the manifest is unsafe (absolute, or out of the pack), or None."""
    path = PurePosixPath(relatif)
    if path.is_absolute() or ".." in path.parts or "\\" in relatif:
        return f"chemin « {relatif} » : relatif au modèle, sans « .. », attendu"
    return None


def _schema(schema: type[Schema]) -> Callable[[YamlDocument], list[SourceError]]:
    def check(document: YamlDocument) -> list[SourceError]:
        return validate(document, schema)[1]

    return check


def _seuils(modele: Modele, document: YamlDocument) -> list[SourceError]:
    data, errors = validate(document, DiagnosticConfig)
    if data is None:
        return errors
    modele.seuils = sorted(data.seuils)
    return [
        SourceError(document.location(("seuils", *path)), message)
        for path, message in erreurs_de_seuils(data.seuils)
    ]


def _ecritures(modele: Modele, document: YamlDocument) -> list[SourceError]:
    data, errors = validate(document, FichierModeles)
    if data is not None:
        modele.ecritures = sorted(data.modeles)
    return errors


def _verifier_budget(path: Path, etiquette: str, modele: ModeleDeBudget) -> list[SourceError]:
    annee = modele.exercice
    exercice = Exercice(datetime.date(annee, 1, 1), datetime.date(annee, 12, 31))
    text = path.read_text(encoding="utf-8")
    return load_budget_file(path, exercice, set(), text=text, label=etiquette)[1]


def _verifier_fichier(
    modele: Modele, cle: tuple[str, ...], relatif: str, affiche: str | None, manifeste: YamlDocument
) -> list[SourceError]:
    where = manifeste.location(("contenu", *cle))
    unsafe = chemin_sur(relatif)
    if unsafe is not None:
        return [SourceError(where, unsafe)]
    path = modele.fichier(relatif)
    if not path.is_file():
        return [SourceError(where, f"{relatif} : fichier introuvable dans le modèle")]
    etiquette = _etiquette(modele.dossier, relatif, affiche)
    if cle[0] == "profils_bancaires":
        profils, errors = lire_profils(path, etiquette)
        modele.profils = profils
        return errors
    if cle[0] == "budgets":
        return _verifier_budget(path, etiquette, modele.manifeste.contenu.budgets[cle[1]])
    try:
        document = load_yaml(path, filename=etiquette)
    except SourceError as error:
        return [error]
    if cle[0] == "seuils":
        return _seuils(modele, document)
    if cle[0] == "saisie":
        return _ecritures(modele, document)
    checks = {"regles_import": _schema(FichierRegles), "paie": _schema(FichierPaie)}
    return checks[cle[0]](document)


def lire_modele(
    dossier: Path, affiche: str | None = None
) -> tuple[Modele | None, list[SourceError]]:
    """Read and check the pack in ``dossier`` (``affiche``: how errors name the folder).

    Returns no pack when its manifest is invalid; otherwise the pack and the errors of
    its files (an empty list: the pack can be used)."""
    label = f"{affiche}/{MANIFESTE}" if affiche else str(dossier / MANIFESTE)
    if not (dossier / MANIFESTE).is_file():
        return None, [SourceError(Location(label), "manifeste du modèle introuvable")]
    try:
        document = load_yaml(dossier / MANIFESTE, filename=label)
    except SourceError as error:
        return None, [error]
    data, errors = validate(document, Manifeste)
    if data is None:
        return None, errors
    modele = Modele(dossier, data)
    contenu = data.contenu
    cles: list[tuple[tuple[str, ...], str | None]] = [
        (("profils_bancaires",), contenu.profils_bancaires),
        (("regles_import",), contenu.regles_import),
        *((("budgets", nom), budget.fichier) for nom, budget in contenu.budgets.items()),
        (("paie",), contenu.paie),
        (("seuils",), contenu.seuils),
        (("saisie",), contenu.saisie),
    ]
    for cle, relatif in cles:
        if relatif is not None:
            errors.extend(_verifier_fichier(modele, cle, relatif, affiche, document))
    return modele, errors
