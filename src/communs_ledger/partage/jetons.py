"""The association's token: how it recognises its own shared indicators among the
network's files without anything in them that names it.

At its first ``communs indicateurs --partage``, the association gets a secret key
(:data:`NOM_CLE`, 32 random bytes from :mod:`secrets`, in the folder of
``communs.yaml``: never shared). The token (``jeton``) of an exercice's shared file is
``HMAC-SHA256(key, "communs-indicateurs-partages:" + exercice)`` cut to 32 hexadecimal
digits. The comparison computes the token of each network file's exercice with the key
and leaves out the files whose token is the association's: its own file is not counted
among its peers. Without the key, nobody can compute a token nor link the tokens of two
exercices (they look random and unrelated); the same exercice shared again keeps its
token.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import re
import secrets
from pathlib import Path

from ..acces_exclusif import acces_exclusif
from ..config import Config
from ..ecriture import FichierExistant, write_new

NOM_CLE = "indicateurs-partages.cle"
"""File of the association's secret key, in the folder of ``communs.yaml``."""
MOTIF_JETON = re.compile(r"^[0-9a-f]{32}$")
"""A token: 32 lowercase hexadecimal digits, nothing else."""
_MOTIF_CLE = re.compile(r"^[0-9a-f]{64}$")
_ENTETE = (
    "# Clé secrète de l'association pour les indicateurs partagés (communs indicateurs\n"
    "# --partage) : elle reconnaît ses propres fichiers dans le dossier du réseau\n"
    "# (communs reseau comparer). Gardez ce fichier (versionné avec la comptabilité),\n"
    "# ne le partagez jamais.\n"
)


def fichier_de_la_cle(config: Config, dossier: Path) -> Path:
    """:data:`NOM_CLE` in the folder of ``communs.yaml`` (else ``dossier``, the
    association's)."""
    base = config.path.parent if config.path is not None else dossier
    return base / NOM_CLE


def _lire_cle(path: Path) -> bytes | None:
    try:
        texte = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    for ligne in texte.splitlines():
        if _MOTIF_CLE.match(ligne.strip()):
            return bytes.fromhex(ligne.strip())
    return None


def cle_propre(config: Config, dossier: Path) -> bytes | None:
    """The association's key; None when it has never shared (or the file is unreadable:
    the comparison then counts every file, as before any token)."""
    return _lire_cle(fichier_de_la_cle(config, dossier))


def cle_creee(config: Config, dossier: Path) -> bytes:
    """The association's key, created (atomically, under the folder's lock) when absent;
    ``OSError`` when it cannot be written, ``ValueError`` when the file is not a key."""
    path = fichier_de_la_cle(config, dossier)
    with acces_exclusif(path.parent):
        if not path.exists():
            with contextlib.suppress(FichierExistant):  # written meanwhile: keep it
                write_new(path, f"{_ENTETE}{secrets.token_hex(32)}\n", mode=0o600)
        cle = _lire_cle(path)
    if cle is None:
        raise ValueError(f"{path} : clé illisible (64 chiffres hexadécimaux attendus)")
    return cle


def jeton(cle: bytes, exercice: str) -> str:
    """The token of ``exercice``'s shared file (see the module docstring)."""
    message = f"communs-indicateurs-partages:{exercice}".encode()
    return hmac.new(cle, message, hashlib.sha256).hexdigest()[:32]


def est_propre(cle: bytes | None, exercice: str, jeton_du_fichier: str | None) -> bool:
    """Whether a network file of ``exercice`` carrying ``jeton_du_fichier`` is the
    association's own."""
    if cle is None or jeton_du_fichier is None:
        return False
    return hmac.compare_digest(jeton(cle, exercice), jeton_du_fichier)
