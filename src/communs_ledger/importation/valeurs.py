"""Dates and amounts as French banks write them in their exports.

Amounts: ``-1 234,56``, ``+1 234,56``, ``1.234,56``, ``1234.56`` (a CSV with
dot decimals despite a French locale), ``1 234,56-`` (trailing sign),
``(12,50)``, with normal, non-breaking or narrow spaces, a ``€`` or ``EUR``.
They become exact :class:`~decimal.Decimal` values; a malformed one raises
``ValueError`` with the reason in French. So does an **ambiguous** one, rather
than a guess: ``1,234.56`` under a comma-decimal profile (English notation:
1 234,56 or a typo?), ``12,345`` or ``1.234`` (three digits after the mark: a
thousands separator or three decimals?) unless the profile declares that
thousands separator, and any amount with more than two decimals (a euro
amount has cents at most).

Dates: the profile's formats written the French way (``JJ/MM/AAAA``,
``JJ/MM/AA``, ``AAAA-MM-JJ``, ``AAAAMMJJ``…); a time after the date is ignored.
"""

from __future__ import annotations

import codecs
import datetime
import html
import re
from decimal import Decimal, InvalidOperation
from functools import cache

from ..montants import is_cent_exact

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_DIGITS = re.compile(r"^\d+(\.\d+)?$")
_TOKENS = (("AAAA", "%Y"), ("AA", "%y"), ("MM", "%m"), ("JJ", "%d"))
FORMATS_DATE = ("JJ/MM/AAAA", "JJ/MM/AA", "AAAA-MM-JJ", "AAAAMMJJ", "JJ-MM-AAAA", "JJ.MM.AAAA")


@cache
def strptime_format(format_: str) -> str:
    """``JJ/MM/AAAA`` → ``%d/%m/%Y``; raises ValueError for an unknown format."""
    result = format_.upper()
    for token, directive in _TOKENS:
        result = result.replace(token, directive)
    if re.search(r"[A-Z]", result.replace("%Y", "").replace("%y", "")):
        possibles = ", ".join(FORMATS_DATE)
        raise ValueError(f"format de date « {format_} » inconnu (formats : {possibles})")
    if not all(part in result for part in ("%d", "%m")) or not re.search("%[Yy]", result):
        raise ValueError(f"format de date « {format_} » incomplet : jour, mois et année")
    return result


@cache
def _motif(format_: str) -> re.Pattern[str]:
    """A regular expression reading one format (faster than ``strptime`` on 10 000 lines)."""
    pattern = ""
    for part in re.split(r"(AAAA|AA|MM|JJ)", format_.upper()):
        pattern += {
            "AAAA": r"(?P<annee>\d{4})",
            "AA": r"(?P<an>\d{2})",
            "MM": r"(?P<mois>\d{1,2})",
            "JJ": r"(?P<jour>\d{1,2})",
        }.get(part, re.escape(part))
    return re.compile(pattern)


def _selon(value: str, format_: str) -> datetime.date | None:
    strptime_format(format_)  # an unknown format is an error, not a silent miss
    match = _motif(format_).fullmatch(value)
    if match is None:
        return None
    parts = match.groupdict()
    if parts.get("annee"):
        year = int(parts["annee"])
    else:
        short = int(parts["an"])
        year = short + (1900 if short >= 69 else 2000)  # as strptime's %y
    try:
        return datetime.date(year, int(parts["mois"]), int(parts["jour"]))
    except ValueError:
        return None


def lire_date(text: str, formats: list[str] | tuple[str, ...]) -> datetime.date:
    """A date in one of ``formats`` (French notation); ValueError if none fits."""
    value = text.strip()
    if "T" in value[8:11]:  # ISO date and time
        value = value.split("T", 1)[0]
    value = value.split(" ", 1)[0]
    for format_ in formats:
        found = _selon(value, format_)
        if found is not None:
            return found
    attendu = " ou ".join(formats)
    raise ValueError(f"date « {text.strip()} » illisible (format attendu : {attendu})")


def lire_montant(text: str, decimale: str = ",", milliers: str = " ") -> Decimal | None:
    """A signed amount, or None for an empty cell; ValueError if malformed."""
    raw = text.strip()
    value = _SPACES.sub("", raw)
    if not value:
        return None
    value = value.replace("\u2212", "-")  # minus sign
    for suffix in ("€", "EUR", "eur"):
        value = value.removesuffix(suffix)
    value = value.removeprefix("€")
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1]
    if value.endswith("-"):
        negative, value = not negative, value[:-1]
    elif value.endswith("+"):
        value = value[:-1]
    if value[:1] in "+-":
        negative, value = (value[0] == "-") != negative, value[1:]
    value = _normalise(value, raw, decimale, milliers)
    if not _DIGITS.match(value):
        raise ValueError(f"montant « {raw} » illisible")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"montant « {raw} » illisible") from None
    au_centime(number, raw, " ; vérifiez le séparateur décimal du relevé")
    return -number if negative else number


_PLAFOND = Decimal(10) ** 12  # a thousand billion euros: no association's bank line


def au_centime(number: Decimal, raw: str, conseil: str = "") -> None:
    """ValueError (French) unless ``number`` is a finite euro amount to the cent."""
    if not number.is_finite() or abs(number) >= _PLAFOND:
        raise ValueError(f"montant « {raw} » démesuré ou illisible")
    if not is_cent_exact(number):
        raise ValueError(
            f"montant « {raw} » à plus de deux décimales : un montant en euros s'écrit au "
            f"centime près{conseil}"
        )


_ANGLAIS = re.compile(r"\d{1,3}(,\d{3})+\.\d+")  # 1,234.56
_FRANCAIS = re.compile(r"\d{1,3}(\.\d{3})+,\d+")  # 1.234,56
_TROIS_CHIFFRES = re.compile(r"[1-9]\d{0,2}[.,]\d{3}")  # 12,345 or 1.234: thousands or decimals?


def _ambigu(raw: str, lecture: str, decimale: str) -> ValueError:
    """The error for an amount that two readings make different numbers of."""
    mark = "la virgule" if decimale == "," else "le point"
    return ValueError(
        f"montant « {raw} » ambigu : {lecture} ; ce relevé est lu avec {mark} comme "
        "séparateur décimal : vérifiez ce montant sur le relevé de la banque (et les clés "
        "decimale et milliers du profil, si la banque écrit ses montants autrement)"
    )


def _normalise(value: str, raw: str, decimale: str, milliers: str) -> str:
    """Digits with at most one ``.`` as the decimal point; ValueError when ambiguous."""
    value = value.replace("'", "")  # Swiss-style thousands
    autre = "." if decimale == "," else ","  # the other mark: a thousands separator at most
    if autre in value and decimale in value:
        attendu, inverse = (_FRANCAIS, _ANGLAIS) if decimale == "," else (_ANGLAIS, _FRANCAIS)
        if inverse.fullmatch(value):
            notation = "à l'anglaise" if decimale == "," else "à la française"
            lu = value.replace(decimale, "\u202f").replace(autre, decimale)
            raise _ambigu(raw, f"écrit {notation} ({lu} ?)", decimale)
        if not attendu.fullmatch(value):
            raise ValueError(f"montant « {raw} » illisible")
        return value.replace(autre, "").replace(decimale, ".")
    if autre in value:
        groupes = re.fullmatch(rf"[1-9]\d{{0,2}}(\{autre}\d{{3}})+", value)
        if groupes and (milliers == autre or value.count(autre) >= 2):
            return value.replace(autre, "")  # declared (or obvious) thousands separator
        if groupes and milliers:
            raise _ambigu(raw, _lectures(value), decimale)
        # "1584.00" under a comma profile (or "12,50" under a dot one): an export written
        # with the other decimal mark despite the profile, read as such
        return value.replace(autre, ".")
    if milliers and _TROIS_CHIFFRES.fullmatch(value):
        raise _ambigu(raw, _lectures(value), decimale)
    return value.replace(decimale, ".")


def _lectures(value: str) -> str:
    """``12,345`` → « 12 345 ou 12,345 ? »: the two readings of three digits after a mark."""
    entier, _mark, fin = value.replace(".", ",").partition(",")
    return f"{entier}\u202f{fin} ou {entier},{fin} ?"


_BLANKS = re.compile(r"\s+")
_CONTROLES = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def nom_encodage(name: str) -> str:
    """``cp1252`` → ``windows-1252``: the name users know."""
    canonical = codecs.lookup(name).name
    return {"cp1252": "windows-1252", "iso8859-15": "iso-8859-15", "iso8859-1": "iso-8859-1"}.get(
        canonical, canonical
    )


def nettoyer(text: str) -> str:
    """One line of text: no line breaks, control characters nor repeated spaces; HTML
    entities decoded."""
    if "&" in text and ";" in text:
        text = html.unescape(text)
    return _BLANKS.sub(" ", _CONTROLES.sub(" ", text)).strip()
