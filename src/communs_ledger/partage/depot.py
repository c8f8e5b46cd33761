"""Fetching a pack: a copy of a folder, or a clone of a Git repository (real ``git``).

The pack is fetched into a temporary folder, without its ``.git``: what the
association keeps is the files and the exact version (commit of a Git source,
SHA-256 of the files of a folder source), recorded in ``communs.yaml``.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

_URL = re.compile(r"^(https?|ssh|git|file)://|^[\w.-]+@[\w.-]+:")


class DepotIllisible(Exception):
    """A source that cannot be fetched (French message)."""


@dataclass(frozen=True, slots=True)
class Recuperation:
    """A pack fetched into ``dossier``: its commit (Git source) or None."""

    dossier: Path
    commit: str | None


def est_git(source: str, base: Path) -> bool:
    """A Git URL, or a folder that is a Git repository (bare or not)."""
    if _URL.match(source):
        return True
    path = (base / source) if not Path(source).is_absolute() else Path(source)
    return (path / ".git").exists() or ((path / "HEAD").is_file() and (path / "objects").is_dir())


def _git(*args: str, cwd: Path | None = None) -> str:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise DepotIllisible(
            "git est introuvable : installez-le pour un modèle en dépôt Git"
        ) from None
    if done.returncode != 0:
        cause = (done.stderr or done.stdout).strip().splitlines()
        raise DepotIllisible(f"git {args[0]} : {cause[-1] if cause else 'échec'}")
    return done.stdout.strip()


def cloner(source: str, base: Path, cible: Path, reference: str | None = None) -> Recuperation:
    """Clone ``source`` into ``cible`` (a new folder), at ``reference`` (branch, tag or
    commit; default: the remote's HEAD); keep the files, not the ``.git``."""
    url = source if _URL.match(source) else str((base / source).resolve())
    _git("clone", "--quiet", "--no-checkout", url, str(cible))
    if reference is not None:
        _git("checkout", "--quiet", "--detach", reference, cwd=cible)
    else:
        _git("checkout", "--quiet", "--detach", cwd=cible)
    commit = _git("rev-parse", "HEAD", cwd=cible)
    shutil.rmtree(cible / ".git")
    _refuser_les_liens(cible, source)
    return Recuperation(cible, commit)


def _refuser_les_liens(dossier: Path, source: str) -> None:
    """A pack is plain files: a symbolic link (to ``~/.ssh/id_rsa``, ``/etc``…) would have
    its target copied into the association's folder, then maybe shared with its Git."""
    for racine, dossiers, noms in os.walk(dossier):
        dossiers[:] = [nom for nom in dossiers if nom != ".git"]
        for nom in sorted([*dossiers, *noms]):
            chemin = Path(racine) / nom
            if chemin.is_symlink():
                relatif = chemin.relative_to(dossier).as_posix()
                raise DepotIllisible(
                    f"le modèle « {source} » contient un lien symbolique ({relatif}) : "
                    "un modèle ne contient que des fichiers ; rien n'est installé"
                )


def copier(source: str, base: Path, cible: Path) -> Recuperation:
    """Copy the folder ``source`` into ``cible`` (without a ``.git``)."""
    path = (base / source).resolve()
    if not path.is_dir():
        raise DepotIllisible(f"« {source} » n'est ni un dossier ni un dépôt Git")
    _refuser_les_liens(path, source)
    shutil.copytree(path, cible, ignore=shutil.ignore_patterns(".git"))
    return Recuperation(cible, None)


def recuperer(source: str, base: Path, cible: Path, reference: str | None = None) -> Recuperation:
    """Fetch the pack at ``source`` (relative to ``base``) into the new folder ``cible``."""
    if est_git(source, base):
        return cloner(source, base, cible, reference)
    if reference is not None:
        raise DepotIllisible("--version ne vaut que pour un modèle en dépôt Git")
    return copier(source, base, cible)


def fichiers(dossier: Path) -> list[str]:
    """The files of a pack folder (relative POSIX paths, sorted)."""
    return sorted(
        path.relative_to(dossier).as_posix() for path in dossier.rglob("*") if path.is_file()
    )


def empreinte_du_dossier(dossier: Path) -> str:
    """SHA-256 of a pack's files (names and contents): the version of a folder source."""
    digest = hashlib.sha256()
    for relatif in fichiers(dossier):
        digest.update(relatif.encode("utf-8") + b"\0")
        digest.update((dossier / relatif).read_bytes() + b"\0")
    return digest.hexdigest()
