"""Amounts written out in French words, as a tax receipt requires (« cent cinquante euros »).

French rules (orthographe traditionnelle, as on the CERFA examples): hyphens inside the
numbers below one hundred (« quatre-vingt-dix-sept »), « et » for 21, 31… 71
(« soixante et onze ») but not 81 or 91; « vingt » and « cent » take an s when they end
the number and are multiplied (« quatre-vingts », « deux cents », but « deux cent un »,
« quatre-vingt-un »); « mille » never varies; « million » and « milliard » are nouns
(« deux millions d'euros »).
"""

from __future__ import annotations

from decimal import Decimal

from ..montants import CENT, to_cent

_UNITES = [
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
]
_DIZAINES = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _moins_de_cent(n: int) -> str:
    if n < 20:
        return _UNITES[n]
    dizaine, unite = divmod(n, 10)
    if dizaine in (7, 9):  # soixante-dix…, quatre-vingt-dix…
        base = "soixante" if dizaine == 7 else "quatre-vingt"
        if dizaine == 7 and unite == 1:
            return "soixante et onze"
        return f"{base}-{_UNITES[10 + unite]}"
    if dizaine == 8:
        return "quatre-vingts" if unite == 0 else f"quatre-vingt-{_UNITES[unite]}"
    if unite == 0:
        return _DIZAINES[dizaine]
    if unite == 1:
        return f"{_DIZAINES[dizaine]} et un"
    return f"{_DIZAINES[dizaine]}-{_UNITES[unite]}"


def _moins_de_mille(n: int) -> str:
    centaines, reste = divmod(n, 100)
    if centaines == 0:
        return _moins_de_cent(reste)
    tete = "cent" if centaines == 1 else f"{_UNITES[centaines]} cent"
    if reste == 0:
        return tete if centaines == 1 else f"{tete}s"
    return f"{tete} {_moins_de_cent(reste)}"


def _pluriel_final(mots: str) -> str:
    """« quatre-vingts » and « deux cents » lose their s before « mille »."""
    if mots.endswith("cents") or mots.endswith("quatre-vingts"):
        return mots[:-1]
    return mots


def entier_en_lettres(n: int) -> str:
    """A whole number from 0 to 999 999 999 999 in French words."""
    if not 0 <= n < 10**12:
        raise ValueError(f"nombre hors des limites : {n}")
    if n == 0:
        return "zéro"
    milliards, reste = divmod(n, 10**9)
    millions, reste = divmod(reste, 10**6)
    milliers, unites = divmod(reste, 1000)
    parts = []
    for nombre, nom in ((milliards, "milliard"), (millions, "million")):
        if nombre:
            parts.append(f"{entier_en_lettres(nombre)} {nom}{'s' if nombre > 1 else ''}")
    if milliers:
        parts.append(
            "mille" if milliers == 1 else f"{_pluriel_final(_moins_de_mille(milliers))} mille"
        )
    if unites:
        parts.append(_moins_de_mille(unites))
    return " ".join(parts)


def montant_en_lettres(value: Decimal) -> str:
    """A positive amount in euros in French words: « mille deux cent trente-quatre euros et
    cinquante centimes », « un euro », « deux millions d'euros »."""
    value = to_cent(value)
    if value < 0:
        raise ValueError(f"montant négatif : {value}")
    euros = int(value)
    centimes = int((value - euros) / CENT)
    mots = entier_en_lettres(euros)
    if euros in (0, 1):
        texte = f"{mots} euro"
    elif euros % 10**6 == 0:
        texte = f"{mots} d'euros"
    else:
        texte = f"{mots} euros"
    if not centimes:
        return texte
    en_centimes = f"{entier_en_lettres(centimes)} centime{'s' if centimes > 1 else ''}"
    return en_centimes if euros == 0 else f"{texte} et {en_centimes}"
