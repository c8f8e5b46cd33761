"""Writing generated entries (fonds dédiés, closing, affectation) where the user asked.

``--ecrire FICHIER``:

- a file of the ledger (the main file or one it includes): the block is
  appended atomically, the whole ledger loaded again, and the file restored
  byte for byte if new errors appear (:func:`communs_ledger.ajout.ajouter`);
- any other path: a new Beancount file (with the five ``option "name_*"`` lines
  every included file repeats) is created atomically, never replacing an
  existing file without ``--ecraser``; the user then includes it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..ajout import fichiers_du_livre
from .echecs import Echec

if TYPE_CHECKING:
    from ..chargement import Livre


def _entete(livre: Livre) -> str:
    lines = [
        "; Écritures produites par communs-ledger.",
        "; Chaque fichier inclus répète les options des racines du grand livre.",
    ]
    from ..texte_beancount import options_des_racines

    lines.extend(options_des_racines(livre.context.roots))
    return "\n".join(lines) + "\n\n"


def ecrire_bloc(
    livre: Livre, fichier: Path, bloc: str, ecraser: bool = False, *, une_seule: bool = False
) -> str:
    """Write ``bloc`` (see the module docstring); return a French summary of what was done
    (``une_seule``: the block is one entry, said in the singular)."""
    from ..sources import display_path
    from .sortie import verifier_cible, write

    nom = display_path(fichier)
    resolved = fichier.resolve()
    ecritures = "écriture" if une_seule else "écritures"
    accord = "" if une_seule else "s"
    if resolved in fichiers_du_livre(livre):
        _ajouter(livre, resolved, bloc, nom)
        return (
            f"{ecritures} ajoutée{accord} à {nom} ; grand livre revérifié : aucune nouvelle erreur"
        )
    if fichier.suffix.lower() != ".beancount":
        raise Echec(f"{nom} : un fichier .beancount est attendu ; rien n'est écrit")
    verifier_cible(fichier, ecraser)
    write(fichier, (_entete(livre) + bloc).encode("utf-8"), ecraser)
    # the include is relative to the main file's folder (a file in a subfolder needs it)
    inclus = Path(os.path.relpath(resolved, livre.path.resolve().parent)).as_posix()
    return (
        f"{ecritures} écrite{accord} dans {nom}, qui n'est pas encore inclus dans le grand "
        "livre : "
        f'ajoutez la ligne include "{inclus}" à {display_path(livre.path)}, puis '
        "lancez communs verifier"
    )


def _ajouter(livre: Livre, cible: Path, bloc: str, nom: str) -> None:
    """Append to a file of the ledger through the kernel's service; French failures."""
    from ..ajout import ajouter
    from .affichage import messages
    from .sortie import cause_lisible

    with messages().status("Ajout et vérification du grand livre…", spinner="dots"):
        try:
            resultat = ajouter(livre, cible, bloc)
        except OSError as exc:
            raise Echec(f"impossible d'écrire {nom} : {cause_lisible(exc)}") from None
    if resultat.echec is not None:
        raise Echec(f"impossible d'écrire {nom} : {cause_lisible(resultat.echec.erreur)}")
    if not resultat.ok:
        raise Echec(
            f"le grand livre ne passe plus la vérification avec ces écritures : {nom} est "
            "laissé exactement dans son état d'origine",
            [str(error) for error in resultat.nouvelles_erreurs],
        )
