"""French versions of the messages Beancount itself emits.

``bean-check`` prints Beancount's English messages; ``communs verifier`` and
the other commands show the French ones below. Unknown messages are kept as
they are. Patterns are matched in order against the whole message.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from .erreurs import CommunsError
from .formatage import montant

Regles = tuple[tuple[re.Pattern[str], str], ...]


@cache
def regles_de_traduction(nom: str) -> Regles:
    """The rules of ``traductions/<nom>.yaml``, in order: (pattern matched against a whole
    message, French template filled with the pattern's named groups)."""
    from .plan import read_data_yaml

    rules = read_data_yaml(Path(__file__).parent / "traductions" / f"{nom}.yaml")
    return tuple(
        (re.compile(rule["motif"], re.S if rule.get("dotall") else 0), rule["message"])
        for rule in rules
    )


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


_AMOUNT = re.compile(r"(?P<n>-?\d+(?:\.\d+)?)(?: (?P<c>[A-Z][A-Z0-9'._-]*))?")


def _montant_francais(texte: str, devise: str | None) -> tuple[str, str | None]:
    """``8438.00 EUR`` → ``8 438,00 €`` (a number alone is in ``devise``), and the
    currency read; text that is not an amount is kept as it is."""
    match = _AMOUNT.fullmatch(texte.strip())
    currency = (match.group("c") or devise) if match else None
    if match is None or currency is None:
        return texte, devise
    value = Decimal(match.group("n"))
    exponent = value.as_tuple().exponent
    places = max(2, -exponent if isinstance(exponent, int) else 0)  # never hide a digit
    return montant(value, currency, places), currency


def _montants_francais(values: dict[str, Any]) -> None:
    """Groups ``montant_…`` (one amount) and ``montants_…`` (amounts separated by « , »)
    shown in French, in the order of the pattern (an amount without currency takes the
    currency of the one before it)."""
    devise: str | None = None
    for name, text in values.items():
        if text is None:
            continue
        if name.startswith("montant_"):
            values[name], devise = _montant_francais(text, devise)
        elif name.startswith("montants_"):
            parts = [_montant_francais(part, None)[0] for part in text.split(", ")]
            values[name] = " ; ".join(parts) if len(parts) > 1 else parts[0]


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
    for pattern, template in regles_de_traduction("beancount"):
        match = pattern.fullmatch(message.strip())
        if match:
            values = match.groupdict()
            _montants_francais(values)
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
