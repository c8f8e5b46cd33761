"""French versions of the messages Beancount itself emits.

``bean-check`` prints Beancount's English messages; ``communs verifier`` and
the other commands show the French ones below. Unknown messages are kept as
they are. Patterns are matched in order against the whole message.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .erreurs import CommunsError

_RULES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"Balance failed for '(?P<a>[^']+)': expected (?P<e>\S+ \S+) != accumulated "
            r"(?P<c>\S+ \S+) \((?P<d>\S+) too (?P<w>much|little)\)"
        ),
        "Solde incorrect pour {a} : attendu {e}, calculé {c} (écart de {d} {w_fr})",
    ),
    (
        re.compile(r"Transaction does not balance: \((?P<r>.*)\)"),
        "Écriture déséquilibrée : les montants ne s'annulent pas (reste {r})",
    ),
    (
        re.compile(r"Invalid reference to unknown account '(?P<a>[^']+)'"),
        "Compte inconnu {a} : ajoutez une directive « open » pour ce compte",
    ),
    (
        re.compile(r"Invalid reference to inactive account '(?P<a>[^']+)'"),
        "Compte {a} utilisé en dehors de sa période d'ouverture "
        "(avant son « open » ou après son « close »)",
    ),
    (re.compile(r"Duplicate open directive for (?P<a>\S+)"), "Compte {a} ouvert deux fois"),
    (re.compile(r"Duplicate close directive for (?P<a>\S+)"), "Compte {a} clôturé deux fois"),
    (
        re.compile(r"Unopened account (?P<a>\S+) is being closed"),
        "Clôture du compte {a}, qui n'a jamais été ouvert",
    ),
    (
        re.compile(r"Invalid currency (?P<c>\S+) for account '(?P<a>[^']+)'"),
        "Devise {c} non autorisée pour le compte {a}",
    ),
    (
        re.compile(r"Invalid account name: (?P<a>.+)"),
        "Nom de compte invalide : {a} (la racine doit être Actif, Passif, Fonds-propres, "
        "Produits ou Charges ; chaque composant commence par une majuscule ou un chiffre, "
        "sans accent ni espace)",
    ),
    (
        re.compile(r"(?:ValueError: )?Invalid number format: '(?P<n>[^']*)'"),
        "Nombre invalide « {n} » : écrivez les montants avec un point décimal, sans espace "
        "ni séparateur de milliers (ex. 1234.50)",
    ),
    (
        re.compile(r"You may not have more than one auto-posting per currency"),
        "Une écriture ne peut omettre qu'un seul montant par devise",
    ),
    (
        re.compile(r"syntax error, unexpected COLON.*"),
        "Erreur de syntaxe : nom de compte invalide (chaque composant commence par une "
        "majuscule ou un chiffre, sans accent ni espace)",
    ),
    (
        re.compile(r"syntax error, unexpected (?P<u>\w+)(?:, expecting (?P<e>[\w ]+))?"),
        "Erreur de syntaxe : élément inattendu ({u_fr}){e_fr}",
    ),
    (re.compile(r"syntax error, (?P<m>.*)"), "Erreur de syntaxe ({m})"),
    (re.compile(r"Unbalanced pushed tag: '(?P<t>.+)'"), "« pushtag #{t} » sans « poptag #{t} »"),
    (
        re.compile(r"Attempting to pop absent tag: '(?P<t>.+)'"),
        "« poptag #{t} » sans « pushtag #{t} » avant",
    ),
    (
        re.compile(r"Attempting to pop absent metadata key: '(?P<k>.+)'"),
        "« popmeta {k}: » sans « pushmeta {k}: » avant",
    ),
    (
        re.compile(r"Unbalanced metadata key '?(?P<k>[^';]+)'?.*"),
        "« pushmeta {k}: » sans « popmeta {k}: »",
    ),
    (
        re.compile(r'File does not exist: "(?P<f>.+)"'),
        "Justificatif introuvable : {f} (directive « document »)",
    ),
    (
        re.compile(r"Failed to categorize posting (?P<n>\d+)"),
        "Ligne {n} de l'écriture illisible : montant, coût ou prix incomplet",
    ),
    (
        re.compile(r"Duplicate commodity directives for '(?P<c>.+)'"),
        "Devise {c} déclarée deux fois (directive « commodity »)",
    ),
    (
        re.compile(r"Duplicate metadata field on entry: (?P<k>.+)"),
        "Métadonnée « {k} » écrite deux fois dans l'écriture",
    ),
    (
        re.compile(r"Duplicate posting metadata field: (?P<k>.+)"),
        "Métadonnée « {k} » écrite deux fois sur la ligne",
    ),
    (
        re.compile(r"Duplicate prices for (?P<c>.+) on (?P<d>.+)"),
        "Deux cours pour {c} le {d} (directive « price »)",
    ),
    (re.compile(r"Invalid token: '(?P<t>.*)'"), "Élément non reconnu : « {t} »"),
    (
        re.compile(r"(?:ValueError: )?day is out of range for month"),
        "Date impossible : ce jour n'existe pas dans ce mois (30 février, 31 avril…) ; "
        "écrivez la date AAAA-MM-JJ d'un jour qui existe",
    ),
    (
        re.compile(r"(?:ValueError: )?month must be in 1\.\.12"),
        "Date impossible : le mois doit être compris entre 01 et 12 (date AAAA-MM-JJ)",
    ),
    (
        re.compile(r"(?:ValueError: )?year (?P<y>-?\d+) is out of range"),
        "Date impossible : l'année {y} n'existe pas (date AAAA-MM-JJ)",
    ),
    (
        re.compile(r'File glob "(?P<f>.+)" does not match any files'),
        "Fichier inclus introuvable : {f}",
    ),
    (re.compile(r'File "(?P<f>.+)" does not exist'), "Fichier introuvable : {f}"),
    (re.compile(r'Duplicate filename parsed: "(?P<f>.+)"'), "Fichier inclus deux fois : {f}"),
    (
        re.compile(r'Error importing "(?P<p>[^"]+)".*', re.S),
        "Greffon « {p} » introuvable : communs-ledger (ou le paquet qui le fournit) est-il "
        "installé dans cet environnement Python ?",
    ),
    (re.compile(r'Error applying plugin "(?P<p>[^"]+)".*', re.S), "Erreur dans le greffon « {p} »"),
    (
        re.compile(r"Duplicate balance assertion with different amounts"),
        "Deux contrôles de solde différents pour le même compte et le même jour",
    ),
    (re.compile(r"Unused Pad entry"), "Directive « pad » inutilisée"),
    (re.compile(r'Amount is zero: "(?P<a>.+)"'), "Montant nul : {a}"),
    (
        re.compile(r"Too many missing numbers for currency group '(?P<c>.+)'"),
        "Trop de montants manquants dans l'écriture (devise {c}) : un seul peut être omis",
    ),
    (re.compile(r"Invalid option: '(?P<o>.+)'"), "Option inconnue : « {o} »"),
    (re.compile(r"Error for option '(?P<o>[^']+)': (?P<m>.*)"), "Option « {o} » invalide : {m}"),
]

_WHICH = {"much": "en trop", "little": "en moins"}

_TOKENS = {
    "EOL": "fin de ligne",
    "EOF": "fin de fichier",
    "INDENT": "retrait (ligne qui commence par des espaces)",
    "STRING": "texte entre guillemets",
    "ACCOUNT": "nom de compte",
    "NUMBER": "nombre",
    "CURRENCY": "devise",
    "DATE": "date",
    "COLON": "deux-points",
    "TAG": "étiquette #",
    "LINK": "lien ^",
    "KEY": "clé de métadonnée",
    "FLAG": "marque (* ou !)",
    "COMMA": "virgule",
}


def _token(name: str) -> str:
    return _TOKENS.get(name, f"élément {name}")


_FRENCH_ROOTS = ("Actif:", "Passif:", "Fonds-propres:", "Produits:", "Charges:")
_INVALID_NAME = re.compile(r"Invalid account name: (?P<a>\S+)")


def translate_beancount(message: str) -> str:
    """The French version of a Beancount message (unchanged if unknown)."""
    invalid = _INVALID_NAME.fullmatch(message.strip())
    if invalid and invalid.group("a").startswith(_FRENCH_ROOTS):
        return (
            f"Nom de compte refusé : {invalid.group('a')} — ce fichier ne déclare pas les "
            "racines françaises : Beancount lit les options de chaque fichier séparément, "
            'reprenez en tête les cinq lignes option "name_assets" "Actif"… du fichier '
            "principal"
        )
    for pattern, template in _RULES:
        match = pattern.fullmatch(message.strip())
        if match:
            values = match.groupdict()
            if "w" in values:
                values["w_fr"] = _WHICH.get(values["w"], values["w"])
            if "u" in values:
                values["u_fr"] = _token(values["u"])
                expected = [_token(t) for t in (values.get("e") or "").replace(" or ", " ").split()]
                values["e_fr"] = f" ; attendu : {' ou '.join(expected)}" if expected else ""
            return template.format(**values)
    return message


_LEXER_ERROR = re.compile(r"(Invalid token: |syntax error, )")


def _multiline_strings(text: str) -> list[tuple[int, int]]:
    """(first line, last line) of each string of ``text`` that spans several lines
    (Beancount's strings may; comments after ``;`` outside strings are skipped)."""
    found: list[tuple[int, int]] = []
    line, start, in_string, escaped, comment = 1, 0, False, False, False
    for char in text:
        if char == "\n":
            line += 1
            comment = False
            escaped = False
            continue
        if comment:
            continue
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
                if line > start:
                    found.append((start, line))
        elif char == '"':
            in_string, start = True, line
        elif char == ";":
            comment = True
    if in_string and line > start:
        found.append((start, line))
    return found


def regrouper_guillemets(errors: list[Any]) -> list[Any]:
    """One French error at the line of an unclosed quote, instead of the « Élément non
    reconnu » Beancount reports further down, where the runaway string ends.

    A string left open on line S runs until the next quote, on line E: Beancount then
    reports invalid tokens at E and later. When the first syntax error of a file is on
    the last line of a string that started on an earlier line, that error and the file's
    later syntax errors become one message at S, which names the lines they were on.
    """
    by_file: dict[str, list[Any]] = {}
    for error in errors:
        source = getattr(error, "source", None) or {}
        filename, lineno = source.get("filename"), source.get("lineno")
        if filename and lineno and _LEXER_ERROR.match(str(getattr(error, "message", ""))):
            by_file.setdefault(filename, []).append(error)
    replaced: dict[int, Any] = {}
    for filename, found in by_file.items():
        try:
            text = Path(filename).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        first = min(int(e.source["lineno"]) for e in found)
        runaway = next(((s, e) for s, e in _multiline_strings(text) if e == first), None)
        if runaway is None:
            continue
        debut, fin = runaway
        lines = sorted({int(e.source["lineno"]) for e in found})
        listed = ", ".join(str(n) for n in lines)
        message = (
            'Guillemet non refermé : la chaîne ouverte par " sur cette ligne se poursuit '
            f"jusqu'à la ligne {fin} ; ajoutez le \" qui la ferme (erreurs de syntaxe qui "
            f"en découlent : ligne{'s' if len(lines) > 1 else ''} {listed})"
        )
        merged = CommunsError({"filename": filename, "lineno": debut}, message, None)
        for error in found:
            replaced[id(error)] = None
        replaced[id(found[0])] = merged
    if not replaced:
        return errors
    result = []
    for error in errors:
        if id(error) in replaced:
            if replaced[id(error)] is not None:
                result.append(replaced[id(error)])
        else:
            result.append(error)
    return result
