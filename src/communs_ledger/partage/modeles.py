"""Installing, updating and removing model packs, and what the installed packs provide.

A pack is fetched into a temporary folder (:mod:`.depot`), checked (:mod:`.manifeste`,
every file at its ``fichier:ligne``), compared with the packs already installed (two
packs providing the same bank profile or budget template: an error naming both),
then installed under the association folder's lock: its files copied into
``modeles-communs/<nom>/`` and its exact version recorded in ``communs.yaml``
(:mod:`.inscription`), the ledger checked again (:mod:`communs_ledger.ajout`); any
new error puts everything back.

What the installed packs provide: bank profiles (after the association's own, before
the shipped ones), import rules (after the association's own), budget templates
(``communs budget nouveau --modele``), entry templates (``communs saisir``, after the
shipped ones, before the association's own), payroll posts (the forecasts' ``previsions.paie``
when the association names none) and diagnostic thresholds (under the association's
own, indicator by indicator): :func:`apports_des_modeles`.
"""

from __future__ import annotations

import difflib
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..acces_exclusif import acces_exclusif
from ..ajout import Changement, ResultatEcriture, ecrire_et_verifier
from ..chargement import Diagnostic
from ..config import Config
from ..importation.profils import ProfilNomme
from ..rapports.indicateurs import erreurs_de_seuils
from ..rapports.reglages import DiagnosticConfig, SeuilConfig
from ..schemas import validate
from ..sources import SourceError
from ..yaml_lignes import load_yaml
from .depot import DepotIllisible, empreinte_du_dossier, fichiers, recuperer
from .inscription import inscrire, retirer
from .manifeste import MANIFESTE, Manifeste, Modele, ModeleDeBudget, chemin_sur, lire_modele
from .reglages import DOSSIER_MODELES, ModeleInscrit, modeles_inscrits


class ModeleInvalide(Exception):
    """A pack that cannot be used: a French message and the errors (``fichier:ligne``)."""

    def __init__(self, message: str, erreurs: Sequence[SourceError | str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.erreurs = [str(error) for error in erreurs]


@dataclass(frozen=True, slots=True)
class Preparation:
    """A pack fetched and checked, ready to install."""

    modele: Modele
    inscrit: ModeleInscrit


def dossier_du_modele(dossier: Path, nom: str) -> Path:
    """Where the pack ``nom`` is installed in the association folder ``dossier``."""
    return dossier / DOSSIER_MODELES / nom


def source_inscrite(source: str, dossier: Path, ici: Path) -> str:
    """The source as recorded: a folder relative to the association (read from ``ici``,
    the working folder), a URL as it is."""
    if "://" in source or ("@" in source and ":" in source):
        return source
    return Path(os.path.relpath((ici / source).resolve(), dossier.resolve())).as_posix()


def preparer_modele(
    source: str, dossier: Path, temporaire: Path, reference: str | None = None
) -> Preparation:
    """Fetch ``source`` (relative to ``dossier``) into ``temporaire`` and check it."""
    try:
        recu = recuperer(source, dossier, temporaire / "modele", reference)
    except DepotIllisible as exc:
        raise ModeleInvalide(str(exc)) from None
    modele, errors = lire_modele(recu.dossier, affiche=source.rstrip("/"))
    if modele is None or errors:
        raise ModeleInvalide(f"le modèle « {source} » a des erreurs, rien n'est installé", errors)
    version = modele.manifeste.version
    inscrit = ModeleInscrit(
        nom=modele.nom,
        source=source,
        version=version,
        commit=recu.commit,
        empreinte=None if recu.commit else empreinte_du_dossier(recu.dossier),
    )
    return Preparation(modele, inscrit)


def modeles_installes(config: Config, dossier: Path) -> list[Modele]:
    """The packs recorded in ``communs.yaml``, read from ``modeles-communs/`` and checked."""
    found: list[Modele] = []
    for inscrit in modeles_inscrits(config):
        where = dossier_du_modele(dossier, inscrit.nom)
        affiche = f"{DOSSIER_MODELES}/{inscrit.nom}"
        if not where.is_dir():
            raise ModeleInvalide(
                f"modèle « {inscrit.nom} » inscrit dans communs.yaml mais absent de {affiche}/ "
                f"(communs modeles mettre-a-jour {inscrit.nom} --oui le réinstalle)"
            )
        modele, errors = lire_modele(where, affiche=affiche)
        if modele is None or errors:
            raise ModeleInvalide(f"le modèle installé « {inscrit.nom} » a des erreurs", errors)
        found.append(modele)
    return found


def erreurs_des_modeles(config: Config, dossier: Path) -> list[SourceError]:
    """Every problem of the recorded packs (``communs verifier``): a pack missing from
    ``modeles-communs/``, its files' errors at their lines, two packs in conflict (at the
    later one's entry in ``communs.yaml``)."""
    errors: list[SourceError] = []
    lus: list[Modele] = []
    for index, inscrit in enumerate(modeles_inscrits(config)):
        where = config.location("modeles_communs", index)
        affiche = f"{DOSSIER_MODELES}/{inscrit.nom}"
        if not dossier_du_modele(dossier, inscrit.nom).is_dir():
            errors.append(SourceError(where, f"modèle « {inscrit.nom} » absent de {affiche}/"))
            continue
        modele, found = lire_modele(dossier_du_modele(dossier, inscrit.nom), affiche=affiche)
        errors.extend(found)
        if modele is None:
            continue
        problems = conflits([*lus, modele])
        errors.extend(SourceError(where, problem) for problem in problems)
        if not problems:
            lus.append(modele)
    return errors


def _fournis(modeles: Sequence[Modele]) -> dict[str, dict[str, list[str]]]:
    """What each kind of content names, and the packs providing each name."""
    found: dict[str, dict[str, list[str]]] = {
        "profil bancaire": {},
        "modèle de budget": {},
        "fichier de paie": {},
        "seuil du diagnostic": {},
        "modèle d'écriture": {},
    }
    for modele in modeles:
        for profil in modele.profils:
            found["profil bancaire"].setdefault(profil.code, []).append(modele.nom)
        for nom in modele.manifeste.contenu.budgets:
            found["modèle de budget"].setdefault(nom, []).append(modele.nom)
        if modele.manifeste.contenu.paie is not None:
            found["fichier de paie"].setdefault("previsions.paie", []).append(modele.nom)
        for indicateur in modele.seuils:
            found["seuil du diagnostic"].setdefault(indicateur, []).append(modele.nom)
        for nom in modele.ecritures:
            found["modèle d'écriture"].setdefault(nom, []).append(modele.nom)
    return found


def conflits(modeles: Sequence[Modele]) -> list[str]:
    """The names two packs both provide (French messages naming both packs)."""
    problems = []
    for genre, noms in _fournis(modeles).items():
        for nom, packs in sorted(noms.items()):
            if len(packs) > 1:
                listed = " et ".join(f"« {pack} »" for pack in packs)
                problems.append(f"{genre} « {nom} » fourni à la fois par les modèles {listed}")
    return problems


def verifier_ensemble(modeles: Sequence[Modele]) -> None:
    """Raise :class:`ModeleInvalide` when two packs provide the same name."""
    problems = conflits(modeles)
    if problems:
        raise ModeleInvalide("modèles communs en conflit", problems)


def profils_communs(modeles: Sequence[Modele]) -> list[ProfilNomme]:
    """The bank profiles of the packs (no two packs may provide the same code)."""
    verifier_ensemble(modeles)
    return [profil for modele in modeles for profil in modele.profils]


def fichiers_d_ecritures(modeles: Sequence[Modele]) -> list[tuple[Path, str]]:
    """The entry templates files of the packs (path, how errors name it), in the order
    of ``communs.yaml`` (no two packs may provide the same template)."""
    verifier_ensemble(modeles)
    return [
        (modele.fichier(saisie), f"{DOSSIER_MODELES}/{modele.nom}/{saisie}")
        for modele in modeles
        if (saisie := modele.manifeste.contenu.saisie) is not None
    ]


def fichiers_de_regles(modeles: Sequence[Modele]) -> list[Path]:
    """The import rules files of the packs, in the order of ``communs.yaml``."""
    return [
        modele.fichier(modele.manifeste.contenu.regles_import)
        for modele in modeles
        if modele.manifeste.contenu.regles_import is not None
    ]


@dataclass(frozen=True, slots=True)
class Apports:
    """What the installed packs bring to the configuration: diagnostic thresholds by
    indicator, and the payroll file (relative to the association folder)."""

    seuils: dict[str, SeuilConfig]
    paie: str | None


def _lire_sans_erreur(path: Path, schema: type[Manifeste] | type[DiagnosticConfig]) -> Any:
    """The file read with ``schema``, or None when unreadable or invalid (the checks of
    ``communs verifier`` report it, at its line)."""
    try:
        data, errors = validate(load_yaml(path), schema)
    except (SourceError, OSError, UnicodeDecodeError):
        return None
    return None if errors else data


def _fichier_sur(dossier: Path, relatif: str) -> bool:
    return chemin_sur(relatif) is None and (dossier / relatif).is_file()


def apports_des_modeles(inscrits: Sequence[ModeleInscrit], dossier: Path) -> Apports:
    """The thresholds and payroll file of the packs recorded, in the order of
    ``communs.yaml`` (a name two packs provide is an error of ``communs verifier``; here
    the first pack's is kept). Reads the manifests and threshold files only: cheap
    enough for every load of the configuration."""
    seuils: dict[str, SeuilConfig] = {}
    paie = None
    for inscrit in inscrits:
        where = dossier_du_modele(dossier, inscrit.nom)
        manifeste = _lire_sans_erreur(where / MANIFESTE, Manifeste)
        if manifeste is None:
            continue
        contenu = manifeste.contenu
        if paie is None and contenu.paie is not None and _fichier_sur(where, contenu.paie):
            paie = f"{DOSSIER_MODELES}/{inscrit.nom}/{contenu.paie}"
        if contenu.seuils is None or not _fichier_sur(where, contenu.seuils):
            continue
        lus = _lire_sans_erreur(where / contenu.seuils, DiagnosticConfig)
        if lus is not None and not erreurs_de_seuils(lus.seuils):
            for indicateur, seuil in lus.seuils.items():
                seuils.setdefault(indicateur, seuil)
    return Apports(seuils, paie)


def modele_de_budget(modeles: Sequence[Modele], nom: str) -> tuple[Modele, ModeleDeBudget]:
    """The budget template ``nom`` (or the only template of the pack ``nom``)."""
    verifier_ensemble(modeles)
    for modele in modeles:
        budgets = modele.manifeste.contenu.budgets
        if nom in budgets:
            return modele, budgets[nom]
    for modele in modeles:
        budgets = modele.manifeste.contenu.budgets
        if modele.nom == nom and len(budgets) == 1:
            return modele, next(iter(budgets.values()))
    connus = sorted(n for modele in modeles for n in modele.manifeste.contenu.budgets)
    raise ModeleInvalide(
        f"aucun modèle de budget « {nom} » dans les modèles communs installés "
        f"(modèles de budget : {', '.join(connus) or 'aucun'} ; communs modeles lister)"
    )


# --- Writing: install, remove -------------------------------------------------------------


def _config(ledger: Path, config: Config) -> Path:
    return config.path if config.path is not None else ledger.parent / "communs.yaml"


def installer(
    ledger: Path, config: Config, preparation: Preparation, erreurs_avant: Sequence[Diagnostic]
) -> ResultatEcriture:
    """Copy the pack into ``modeles-communs/<nom>/`` and record it in ``communs.yaml``,
    under the folder's lock; put everything back when the ledger gets a new error."""
    dossier = ledger.parent
    path = _config(ledger, config)
    cible = dossier_du_modele(dossier, preparation.inscrit.nom)
    ancien = cible.with_name(f".{cible.name}.ancien")
    nouveau = cible.with_name(f".{cible.name}.nouveau")
    with acces_exclusif(dossier):
        texte = path.read_text(encoding="utf-8") if path.exists() else ""
        inscrit = inscrire(texte, preparation.inscrit)
        if ancien.exists() and not cible.exists():
            ancien.rename(cible)  # an install interrupted between its two renames
        for reste in (ancien, nouveau):
            shutil.rmtree(reste, ignore_errors=True)
        shutil.copytree(preparation.modele.dossier, nouveau)
        if cible.exists():
            cible.rename(ancien)
        nouveau.rename(cible)
        try:
            resultat = ecrire_et_verifier(
                ledger, [Changement(path, inscrit, remplacer=True)], erreurs_avant, dossier=dossier
            )
        except BaseException:
            _remettre(cible, ancien)
            raise
        if resultat.ok:
            shutil.rmtree(ancien, ignore_errors=True)
        else:
            _remettre(cible, ancien)
    return resultat


def _remettre(cible: Path, ancien: Path) -> None:
    shutil.rmtree(cible, ignore_errors=True)
    if ancien.exists():
        ancien.rename(cible)


def desinstaller(
    ledger: Path, config: Config, nom: str, erreurs_avant: Sequence[Diagnostic]
) -> ResultatEcriture:
    """Remove the pack ``nom`` from ``communs.yaml`` then delete its copy."""
    dossier = ledger.parent
    path = _config(ledger, config)
    with acces_exclusif(dossier):
        texte = retirer(path.read_text(encoding="utf-8"), nom)
        resultat = ecrire_et_verifier(
            ledger, [Changement(path, texte, remplacer=True)], erreurs_avant, dossier=dossier
        )
        if resultat.ok:
            shutil.rmtree(dossier_du_modele(dossier, nom), ignore_errors=True)
    return resultat


# --- What an update changes --------------------------------------------------------------


def _texte(path: Path) -> list[str] | None:
    try:
        return path.read_text(encoding="utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return None


def difference(ancien: Path, nouveau: Path) -> list[str]:
    """The changes from the installed copy to the new one: a unified diff per text file,
    one line per added, removed or changed binary file. Empty: nothing changes."""
    avant = set(fichiers(ancien)) if ancien.is_dir() else set()
    apres = set(fichiers(nouveau))
    lines: list[str] = []
    for relatif in sorted(avant | apres):
        a, b = ancien / relatif, nouveau / relatif
        if relatif in avant and relatif in apres and a.read_bytes() == b.read_bytes():
            continue
        texte_a = _texte(a) if relatif in avant else []
        texte_b = _texte(b) if relatif in apres else []
        if texte_a is None or texte_b is None:
            lines.append(f"fichier binaire modifié : {relatif}\n")
            continue
        lines.extend(
            difflib.unified_diff(
                texte_a,
                texte_b,
                f"a/{relatif}" if relatif in avant else "/dev/null",
                f"b/{relatif}" if relatif in apres else "/dev/null",
            )
        )
    return [line if line.endswith("\n") else line + "\n" for line in lines]
