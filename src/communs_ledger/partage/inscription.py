"""Recording a pack in ``communs.yaml``: a text edit of the ``modeles_communs:`` block.

The file is the user's: its comments, its order and its other sections stay as they
are. Only the lines of the pack's item change (added at the end of the block,
replaced, or removed); a file without the block gets it at its end. The edited text
is read back: it must hold exactly the expected list of packs.
"""

from __future__ import annotations

import json
import re

from ..yaml_lignes import load_yaml
from .reglages import ModeleInscrit

CLE = "modeles_communs"
_ENTETE = re.compile(rf"^{CLE}\s*:\s*(\[\s*\])?\s*(#.*)?$")
_NOM = re.compile(r"^\s*-?\s*nom\s*:\s*[\"']?([A-Za-z0-9_-]+)")


class InscriptionImpossible(Exception):
    """The block cannot be edited as text (French message)."""


def lignes_inscrites(inscrit: ModeleInscrit) -> list[str]:
    """The item of one pack, indented under ``modeles_communs:``."""
    lines = [f"  - nom: {inscrit.nom}", f"    source: {json.dumps(inscrit.source)}"]
    lines.append(f"    version: {json.dumps(inscrit.version)}")
    if inscrit.commit is not None:
        lines.append(f"    commit: {inscrit.commit}")
    if inscrit.empreinte is not None:
        lines.append(f"    empreinte: {inscrit.empreinte}")
    return lines


def _bloc(lignes: list[str]) -> tuple[int, int] | None:
    """[header, end) of the block, without the comments and blank lines that follow it."""
    start = next((i for i, line in enumerate(lignes) if line.startswith(f"{CLE}:")), None)
    if start is None:
        return None
    end = start + 1
    while end < len(lignes) and (not lignes[end] or lignes[end][0] in " \t#"):
        end += 1
    while end > start + 1 and (not lignes[end - 1].strip() or lignes[end - 1].startswith("#")):
        end -= 1
    return start, end


def _items(lignes: list[str], start: int, end: int) -> list[tuple[str, int, int]]:
    """(name, first line, end) of each item of the block."""
    debuts = [i for i in range(start + 1, end) if lignes[i].lstrip().startswith("- ")]
    if debuts:
        indent = min(len(lignes[i]) - len(lignes[i].lstrip()) for i in debuts)
        debuts = [i for i in debuts if len(lignes[i]) - len(lignes[i].lstrip()) == indent]
    found = []
    for index, debut in enumerate(debuts):
        fin = debuts[index + 1] if index + 1 < len(debuts) else end
        while fin > debut + 1 and lignes[fin - 1].lstrip().startswith("#"):
            fin -= 1  # a comment just above the next item belongs to it
        nom = next((m[1] for line in lignes[debut:fin] if (m := _NOM.match(line))), "")
        found.append((nom, debut, fin))
    return found


def _entete(lignes: list[str], start: int) -> None:
    """Make the header a block header (``modeles_communs: []`` → ``modeles_communs:``)."""
    match = _ENTETE.match(lignes[start])
    if match is None:
        raise InscriptionImpossible(
            f"communs.yaml, ligne {start + 1} : {CLE} doit s'écrire en liste de blocs "
            "(« - nom: … » sur les lignes suivantes) pour être modifié par communs"
        )
    lignes[start] = f"{CLE}:" + (f"  {match[2]}" if match[2] else "")


def _relire(texte: str, attendus: list[str]) -> str:
    data = load_yaml("communs.yaml", texte).data
    lus = [item.get("nom") for item in (data or {}).get(CLE) or [] if isinstance(item, dict)]
    if lus != attendus:
        raise InscriptionImpossible(
            f"communs.yaml : le bloc {CLE} n'a pas pu être modifié (lu après modification : "
            f"{', '.join(map(str, lus)) or 'aucun modèle'})"
        )
    return texte


def inscrire(texte: str, inscrit: ModeleInscrit) -> str:
    """``texte`` (communs.yaml) with ``inscrit`` added, or replacing the pack of its name."""
    lignes = texte.split("\n")
    bloc = _bloc(lignes)
    if bloc is None:
        while lignes and not lignes[-1].strip():
            lignes.pop()
        lignes += [
            "",
            "# Modèles communs (communs modeles) : modèles partagés entre associations,",
            "# copiés dans modeles-communs/ et figés à leur version exacte.",
            f"{CLE}:",
            *lignes_inscrites(inscrit),
            "",
        ]
        return _relire("\n".join(lignes), [inscrit.nom])
    start, end = bloc
    _entete(lignes, start)
    items = _items(lignes, start, end)
    noms = [nom for nom, _debut, _fin in items]
    existant = next((item for item in items if item[0] == inscrit.nom), None)
    if existant is None:
        lignes[end:end] = lignes_inscrites(inscrit)
        return _relire("\n".join(lignes), [*noms, inscrit.nom])
    _nom, debut, fin = existant
    lignes[debut:fin] = lignes_inscrites(inscrit)
    return _relire("\n".join(lignes), noms)


def retirer(texte: str, nom: str) -> str:
    """``texte`` (communs.yaml) without the pack ``nom``."""
    lignes = texte.split("\n")
    bloc = _bloc(lignes)
    items = _items(lignes, *bloc) if bloc is not None else []
    existant = next((item for item in items if item[0] == nom), None)
    if bloc is None or existant is None:
        raise InscriptionImpossible(f"aucun modèle « {nom} » dans communs.yaml ({CLE})")
    _nom, debut, fin = existant
    del lignes[debut:fin]
    restants = [item[0] for item in items if item[0] != nom]
    if not restants:
        lignes[bloc[0]] = f"{CLE}: []"
    return _relire("\n".join(lignes), restants)
