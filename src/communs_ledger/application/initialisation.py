"""Creating a new association repository (``communs init``).

The folder receives a ledger with French roots and the communs plugin, a
starter set of accounts from ``plan_comptable/comptes_de_depart.yaml`` opened
at the current exercice's opening date, the config file, a ``.gitignore``, and
becomes a Git repository whose pre-commit hook runs ``communs verifier``.
No existing file is ever replaced. With a model pack (``communs init --modele``), the
pack, already fetched and checked (:func:`communs_ledger.partage.modeles.preparer`), is
copied into ``modeles-communs/<nom>/`` and recorded in ``communs.yaml``, as
``communs modeles ajouter`` does, before the first commit.

A new (absent or empty) folder is built complete — files, repository, hook,
first commit — in a hidden sibling folder, then renamed into place: an
interrupted ``init`` leaves no half-made association (a leftover hidden folder
is removed by the next ``init`` of the same name). In a non-empty folder
(``--force``), files are added in place; a repository without any commit (an
``init`` interrupted there) is completed: hook if missing, first commit.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..codes import account_code
from ..config import ExerciceConfig
from ..ecriture import FichierExistant, write_new
from ..exercices import Calendrier, Exercice
from ..partage.depot import fichiers
from ..partage.inscription import inscrire
from ..partage.modeles import Preparation, dossier_du_modele
from ..plan import starter_accounts, starter_financeurs
from ..texte_beancount import echappe

_TREASURY_CLASSES = ("5",)


@dataclass
class InitResult:
    folder: Path
    exercice: Exercice
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    git: str = ""
    warnings: list[str] = field(default_factory=list)


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("communs_ledger", "modeles"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )


def _yaml_string(text: str) -> str:
    from ..texte_beancount import chaine

    return chaine(text)  # YAML double quotes escape as Beancount's


def _beancount_string(text: str) -> str:
    return echappe(text)


def render_files(nom: str, exercice: Exercice, debut: str) -> dict[str, str]:
    """The files of a new association, by relative path."""
    env = _environment()
    fichier_exercice = f"{exercice.code}.beancount"
    accounts = starter_accounts(exercice.version)
    width = max(len(a) for a in accounts)
    opens = []
    current_chapter = None
    for name in accounts:
        code = account_code(name) or ""
        chapter = code[:1]
        if chapter != current_chapter:
            opens.append(f"\n; Classe {chapter}")
            current_chapter = chapter
        currency = " EUR" if code.startswith(_TREASURY_CLASSES) else ""
        opens.append(
            f"{exercice.debut.isoformat()} open {name.ljust(width) if currency else name}"
            f"{currency}".rstrip()
        )
    context = {
        "nom": _beancount_string(nom),
        "nom_yaml": _yaml_string(nom),
        "debut": debut,
        "date_options": exercice.debut.isoformat(),
        "fichiers": [fichier_exercice],
        "ouvertures": "\n".join(opens).lstrip("\n"),
        "exercice": exercice,
        "plan": exercice.version,
        "financeurs": list(starter_financeurs(exercice.version).items()),
    }
    return {
        "main.beancount": env.get_template("main.beancount.j2").render(context),
        "comptes.beancount": env.get_template("comptes.beancount.j2").render(context),
        fichier_exercice: env.get_template("exercice.beancount.j2").render(context),
        "communs.yaml": env.get_template("communs.yaml.j2").render(context),
        ".gitignore": env.get_template("gitignore.j2").render(context),
    }


def hook_script() -> str:
    """The pre-commit hook: runs ``communs verifier`` with this installation, else PATH."""
    python = shlex.quote(sys.executable)
    return f"""#!/bin/sh
# Installé par « communs init » : refuse le commit si le grand livre contient des erreurs.
# Pour passer outre exceptionnellement : git commit --no-verify
cd "$(git rev-parse --show-toplevel)" || exit 1
if [ -x {python} ]; then
  exec {python} -m communs_ledger verifier main.beancount
elif command -v communs >/dev/null 2>&1; then
  exec communs verifier main.beancount
fi
echo "communs introuvable : impossible de vérifier le grand livre avant le commit." >&2
echo "Installez communs-ledger, ou passez outre avec : git commit --no-verify" >&2
exit 1
"""


def is_empty(folder: Path) -> bool:
    return not folder.exists() or not any(folder.iterdir())


def initialise(
    folder: Path,
    nom: str,
    debut: str = "01-01",
    *,
    force: bool = False,
    git: bool = True,
    today: datetime.date | None = None,
    modele: Preparation | None = None,
) -> InitResult:
    """Create the association repository in ``folder`` (with the pack ``modele``).

    Raises ``FileExistsError`` for a non-empty folder without ``force``.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(str(folder))
    if not force and not is_empty(folder):
        raise FileExistsError(str(folder))
    exercice_config = ExerciceConfig(debut=debut)
    exercice = Calendrier(exercice_config).containing(today or datetime.date.today())
    files: dict[str, str | bytes] = dict(render_files(nom, exercice, exercice_config.debut))
    if modele is not None:
        files.update(fichiers_du_modele(modele, folder, files))
    if is_empty(folder):
        return _initialise_a_part(folder, nom, exercice, files, git)
    return _remplir(folder, nom, exercice, files, git)


def fichiers_du_modele(
    modele: Preparation, folder: Path, files: dict[str, str | bytes]
) -> dict[str, str | bytes]:
    """The pack's files under ``modeles-communs/<nom>/`` and ``communs.yaml`` recording
    it (unless the folder already has a ``communs.yaml``: kept as it is)."""
    dossier = modele.modele.dossier
    cible = dossier_du_modele(Path(), modele.inscrit.nom).as_posix()
    found: dict[str, str | bytes] = {
        f"{cible}/{relatif}": (dossier / relatif).read_bytes() for relatif in fichiers(dossier)
    }
    config = files["communs.yaml"]
    if not (folder / "communs.yaml").exists() and isinstance(config, str):
        found["communs.yaml"] = inscrire(config, modele.inscrit)
    return found


def _initialise_a_part(
    folder: Path, nom: str, exercice: Exercice, files: dict[str, str | bytes], git: bool
) -> InitResult:
    """Build the repository in a hidden sibling folder, then rename it to ``folder``."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    _nettoyer_chantiers(folder)
    chantier = folder.parent / f".{folder.name}.init-{os.getpid()}"
    shutil.rmtree(chantier, ignore_errors=True)
    try:
        result = _remplir(chantier, nom, exercice, files, git)
        try:
            os.rename(chantier, folder)  # replaces an empty folder, atomically
        except OSError as exc:
            if not is_empty(folder):
                raise FileExistsError(str(folder)) from exc
            raise
    finally:
        shutil.rmtree(chantier, ignore_errors=True)
    result.folder = folder
    return result


def _nettoyer_chantiers(folder: Path) -> None:
    """Hidden build folders left by an interrupted ``init`` of ``folder`` (dead process)."""
    for chantier in folder.parent.glob(f".{folder.name}.init-*"):
        pid = chantier.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _vivant(int(pid)):
            shutil.rmtree(chantier, ignore_errors=True)


def _vivant(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remplir(
    folder: Path, nom: str, exercice: Exercice, files: dict[str, str | bytes], git: bool
) -> InitResult:
    """Write the missing files into ``folder``, then make or complete its repository."""
    folder.mkdir(parents=True, exist_ok=True)
    result = InitResult(folder, exercice)
    for relative, text in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        try:
            write_new(folder / relative, text)
            result.created.append(relative)
        except FichierExistant:
            result.kept.append(relative)
    if git:
        _init_git(folder, nom, result)
    return result


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=False)


def _init_git(folder: Path, nom: str, result: InitResult) -> None:
    if shutil.which("git") is None:
        result.warnings.append("git introuvable : dépôt non créé (installez git puis « git init »)")
        return
    complete = False
    if (folder / ".git").exists():
        if _git(folder, "rev-parse", "-q", "--verify", "HEAD").returncode == 0:
            result.git = "dépôt Git existant conservé"
            return
        complete = True  # a repository without any commit: an interrupted init, completed
    else:
        done = _git(folder, "init", "-q")
        if done.returncode != 0:
            result.warnings.append(f"git init a échoué : {done.stderr.strip()}")
            return
    hook = folder / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FichierExistant):  # the user's own hook is kept
        write_new(hook, hook_script(), mode=0o755)
    _git(folder, "add", "-A")
    identity: list[str] = []
    if not _git(folder, "config", "user.email").stdout.strip():
        identity += ["-c", "user.email=communs@localhost"]
    if not _git(folder, "config", "user.name").stdout.strip():
        identity += ["-c", "user.name=communs-ledger"]
    # The hook checks the ledger during this commit; a load slower than the cache
    # threshold (a busy machine) would leave Beancount's cache in the build folder, a
    # cache of files at a path that the rename below makes obsolete: none is written.
    env = dict(os.environ, BEANCOUNT_DISABLE_LOAD_CACHE="1")
    done = subprocess.run(
        ["git", *identity, "commit", "-q", "-m", f"Création de la comptabilité : {nom}"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if done.returncode != 0:
        detail = (done.stdout + done.stderr).strip()
        result.warnings.append(f"premier commit refusé : {detail}")
        return
    if complete:
        result.git = (
            "dépôt Git existant sans commit complété : premier commit fait, vérification "
            "avant chaque commit"
        )
        return
    result.git = "dépôt Git créé, premier commit fait, vérification avant chaque commit"
