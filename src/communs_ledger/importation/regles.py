"""Categorisation rules: which account, project and convention a statement line goes to.

The rules file (``importation: regles:`` in ``communs.yaml``)::

    regles:
      - nom: Urssaf                      # facultatif, montré dans les métadonnées
        motif: urssaf                    # texte cherché (sans casse ni accents)
        sens: débit                      # débit (sortie d'argent) ou crédit (entrée)
        compte: "431"                    # numéro ou nom du compte de contrepartie
        tiers: Urssaf Île-de-France      # bénéficiaire écrit dans l'écriture
        libelle: Cotisations sociales de {mois_precedent}
      - regex: 'VIR SEPA (?P<nom>.+?) / SALAIRE'
        compte: "421"
        tiers: "{nom}"

A rule has ``motif`` (a substring of the line's payee and label, case and
accents ignored) or ``regex`` (a Python regular expression, case ignored,
tried on the label with and without its accents, and given at most
:data:`DELAI_REGEX` seconds per line: a pattern that backtracks without end,
such as ``(a+)+$`` on a long label, stops the import with the rule's
``file:line`` instead of hanging it); optionally ``sens``,
``montant`` (exact) or ``montant_min`` / ``montant_max`` (amounts without
sign). The first rule that matches wins. It gives the counter account and,
optionally, the payee, the narration, ``projet``, ``convention`` and ``lien``
(a Beancount link, for lettrage). These texts may use ``{libelle}`` (the bank's
label), ``{tiers}``, ``{date}``, ``{mois}``, ``{mois_precedent}``, ``{annee}``
and the named groups of the regex.

A rule of a 754 account (dons) may set ``donateur:``, a rule of a 756 account
(cotisations) ``adherent:``: a code or a name of the register, fixed or from a
variable; a regex group named ``donateur`` or ``adherent`` sets it without the key
(see :mod:`.personnes`)::

      - regex: 'VIR SEPA (?P<donateur>.+?) DON'
        compte: "7541"
        libelle: Don par virement
"""

from __future__ import annotations

import datetime
import re
import string
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import regex as moteur_regex

from ..codes import account_code
from ..dates import ONE_DAY, elide_month, month_label, month_of, month_start
from ..plan import fold
from ..schemas import Schema, champ, validate, valider_montant
from ..sources import SourceError, display_path
from ..yaml_lignes import YamlDocument, load_yaml
from .comptes import CompteIntrouvable, Comptes
from .modele import ErreurImport, Operation
from .personnes import CHAMPS, REGISTRES, Personnes

VARIABLES = ("libelle", "tiers", "date", "mois", "mois_precedent", "annee")
_SENS = {"debit": "debit", "credit": "credit", "sortie": "debit", "entree": "credit"}
_LINK = re.compile(r"[^A-Za-z0-9_./-]+")
# Seconds a rule's regex may spend on one line. The ``regex`` package (already required
# by Beancount) takes the same syntax as ``re`` and stops a search after this delay; a
# sane pattern needs microseconds on a bank label.
DELAI_REGEX = 1.0


def _sens(value: object) -> object:
    key = fold(str(value)).strip()
    if key not in _SENS:
        raise ValueError(f"sens « {value} » inconnu : débit (sortie d'argent) ou crédit (entrée)")
    return _SENS[key]


def _champs(template: str) -> set[str]:
    try:
        return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}
    except ValueError:
        raise ValueError(f"accolades mal fermées dans « {template} »") from None


class Regle(Schema):
    compte: str = champ(min_longueur=1)
    nom: str | None = None
    motif: str | None = champ(default=None, min_longueur=1)
    regex: str | None = champ(default=None, min_longueur=1)
    sens: str | None = champ(default=None, valider=_sens)
    montant: Decimal | None = champ(default=None, valider=valider_montant)
    montant_min: Decimal | None = champ(default=None, valider=valider_montant)
    montant_max: Decimal | None = champ(default=None, valider=valider_montant)
    tiers: str | None = None
    libelle: str | None = None
    projet: str | None = None
    convention: str | None = None
    lien: str | None = None
    donateur: str | None = champ(default=None, min_longueur=1)
    adherent: str | None = champ(default=None, min_longueur=1)

    def verifier(self) -> None:
        if (self.motif is None) == (self.regex is None):
            raise ValueError(
                "indiquez « motif » (texte cherché) ou « regex » (expression régulière), "
                "l'un des deux"
            )
        groups: set[str] = set()
        if self.regex is not None:
            try:
                groups = set(re.compile(self.regex, re.IGNORECASE).groupindex)
            except re.error as exc:
                raise ValueError(f"regex invalide : {exc.msg} (position {exc.pos})") from None
            try:
                _compiler(self.regex)
            except moteur_regex.error as exc:  # the rare syntax ``re`` takes and it does not
                raise ValueError(f"regex invalide : {exc}") from None
        for value in (self.montant, self.montant_min, self.montant_max):
            if value is not None and value < 0:
                raise ValueError("montant sans signe attendu (le sens se dit avec « sens »)")
        if (
            self.montant_min is not None
            and self.montant_max is not None
            and self.montant_min > self.montant_max
        ):
            raise ValueError("montant_min dépasse montant_max")
        allowed = set(VARIABLES) | groups
        if self.donateur is not None and self.adherent is not None:
            raise ValueError("une règle donne « donateur » (dons) ou « adherent » (cotisations)")
        for key in ("tiers", "libelle", "convention", "lien", "donateur", "adherent"):
            template = getattr(self, key)
            if template is None:
                continue
            unknown = sorted(_champs(template) - allowed)
            if unknown:
                possibles = ", ".join("{" + name + "}" for name in sorted(allowed))
                raise ValueError(
                    f"{key} : variable {{{unknown[0]}}} inconnue (variables : {possibles})"
                )


class FichierRegles(Schema):
    regles: list[Regle] = champ(default_factory=list)


def sans_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def plier(text: str) -> str:
    """Case, accents and repeated spaces ignored."""
    return " ".join(fold(text).split())


class Texte:
    """The text of a line the rules look at (payee, short and detailed labels), folded once
    for all rules."""

    def __init__(self, operation: Operation) -> None:
        parts = (operation.tiers, operation.libelle_court, operation.libelle)
        self.brut = " ".join(part for part in parts if part)
        self._plie: str | None = None
        self._sans_accents: str | None = None

    @property
    def plie(self) -> str:
        if self._plie is None:
            self._plie = plier(self.brut)
        return self._plie

    @property
    def sans_accents(self) -> str:
        if self._sans_accents is None:
            self._sans_accents = sans_accents(self.brut)
        return self._sans_accents


@dataclass(frozen=True)
class RegleCompilee:
    """A rule checked against the ledger: its account found, its pattern compiled."""

    regle: Regle
    numero: int  # position in the file, from 1
    ligne: int  # line in the file
    compte: str
    motif: str | None
    regex: moteur_regex.Pattern[str] | None
    fichier: str = ""  # the rules file, as shown to the user
    personnes: Personnes | None = None  # registers the donor / member is looked up in

    def personne(self, groups: dict[str, str]) -> tuple[str, str] | None:
        """(key, template) of the donor or member this rule sets, if any: its
        ``donateur`` / ``adherent`` key, else a regex group of that name."""
        for key in CHAMPS:
            template = getattr(self.regle, key)
            if template is not None:
                return key, template
        code = account_code(self.compte) or ""
        for key, (prefixe, _quoi) in CHAMPS.items():
            if key in groups and code.startswith(prefixe):
                return key, "{" + key + "}"
        return None

    @property
    def nom(self) -> str:
        return self.regle.nom or f"règle {self.numero}"

    def appliquer(self, operation: Operation, texte: Texte | None = None) -> dict[str, str] | None:
        """The regex groups (empty for a motif) if the rule matches the line, else None."""
        regle = self.regle
        montant = operation.montant
        if (regle.sens == "debit" and montant >= 0) or (regle.sens == "credit" and montant <= 0):
            return None
        valeur = abs(montant)
        if regle.montant is not None and valeur != regle.montant:
            return None
        if regle.montant_min is not None and valeur < regle.montant_min:
            return None
        if regle.montant_max is not None and valeur > regle.montant_max:
            return None
        texte = texte or Texte(operation)
        if self.motif is not None:
            return {} if self.motif in texte.plie else None
        assert self.regex is not None
        try:
            match = self.regex.search(texte.brut, timeout=DELAI_REGEX) or self.regex.search(
                texte.sans_accents, timeout=DELAI_REGEX
            )
        except TimeoutError:
            raise self._trop_lente(operation) from None
        if match is None:
            return None
        return {key: value or "" for key, value in match.groupdict().items()}

    def _trop_lente(self, operation: Operation) -> ErreurImport:
        delai = f"{DELAI_REGEX:g}".replace(".", ",")
        return ErreurImport(
            f"règle d'import trop lente dans {self.fichier} : import arrêté, rien n'est écrit",
            [
                f"{self.fichier}:{self.ligne}: la regex « {self.regle.regex} » de la règle "
                f"« {self.nom} » n'a pas fini en {delai} s sur la ligne {operation.ligne} du "
                "relevé : elle revient en arrière sans fin (répétition imbriquée comme "
                "(a+)+ ou (\\w+\\s?)+) ; simplifiez-la, ou écrivez plutôt un « motif »",
            ],
        )


@dataclass(frozen=True)
class Categorie:
    """Where a statement line goes."""

    compte: str
    regle: RegleCompilee | None
    tiers: str | None
    libelle: str
    projet: str | None = None
    convention: str | None = None
    lien: str | None = None
    donateur: str | None = None
    adherent: str | None = None
    a_revoir: str | None = None
    """Why the entry is flagged ``!`` though a rule matched (a donor naming nobody)."""


def _mois(day: datetime.date) -> str:
    return month_label(month_of(day))


def _variables(operation: Operation, groups: dict[str, str]) -> dict[str, str]:
    previous = month_start(operation.date) - ONE_DAY
    values = {
        "libelle": operation.libelle,
        "tiers": operation.tiers or "",
        "date": operation.date.strftime("%d/%m/%Y"),
        "mois": _mois(operation.date),
        "mois_precedent": _mois(previous),
        "annee": str(operation.date.year),
    }
    values.update(groups)
    return values


def lien_beancount(text: str) -> str | None:
    """A text made a valid Beancount link (``^FA-2026-009``), or None if nothing is left."""
    link = _LINK.sub("-", text.strip()).strip("-")
    return link or None


def categoriser(operation: Operation, regles: list[RegleCompilee]) -> Categorie | None:
    """The first rule matching the line, applied; None if no rule does."""
    texte = Texte(operation)
    for regle in regles:
        groups = regle.appliquer(operation, texte)
        if groups is None:
            continue
        values = _variables(operation, groups)
        spec = regle.regle

        def fill(template: str | None, values: dict[str, str] = values) -> str | None:
            if template is None:
                return None
            return elide_month(" ".join(template.format_map(values).split())) or None

        lien = fill(spec.lien)
        personne = _personne(regle, groups, fill)
        return Categorie(
            compte=regle.compte,
            regle=regle,
            tiers=fill(spec.tiers) or operation.tiers,
            libelle=fill(spec.libelle) or operation.libelle,
            projet=spec.projet,
            convention=fill(spec.convention),
            lien=lien_beancount(lien) if lien else None,
            **personne,
        )
    return None


def _personne(regle: RegleCompilee, groups: dict[str, str], fill: Any) -> dict[str, str]:
    """The ``donateur`` / ``adherent`` of the entry (a code of the register), or its
    ``a_revoir`` note when the value read on the line names nobody."""
    found = regle.personne(groups)
    if found is None:
        return {}
    key, template = found
    valeur = fill(template)
    if not valeur:
        return {}
    if regle.personnes is None:
        return {key: valeur}
    code, pourquoi = regle.personnes.repertoire(key).trouver(valeur)
    if code is not None:
        return {key: code}
    return {
        "a_revoir": (
            f"{key} « {valeur} » ({pourquoi}) : règle « {regle.nom} » "
            f"({regle.fichier}:{regle.ligne}) ; ajoutez la personne au "
            f"{REGISTRES[key]} puis écrivez « {key}: CODE »"
        )
    }


def _compiler(pattern: str) -> moteur_regex.Pattern[str]:
    """The pattern for the ``regex`` engine (its syntax was checked with ``re``)."""
    return moteur_regex.compile(pattern, moteur_regex.IGNORECASE)


def _erreur_personne(
    regle: Regle, compte: str, personnes: Personnes | None
) -> tuple[str, str] | None:
    """(key, message) of a ``donateur`` / ``adherent`` the rule cannot set: on an
    account of another kind, or a fixed value naming nobody of the register."""
    for key, (prefixe, quoi) in CHAMPS.items():
        valeur = getattr(regle, key)
        if valeur is None:
            continue
        if not (account_code(compte) or "").startswith(prefixe):
            return key, (
                f"« {key} » réservé aux règles d'un compte {prefixe} ({quoi}) : le compte "
                f"de cette règle est {compte}"
            )
        if personnes is not None and not _champs(valeur):
            code, pourquoi = personnes.repertoire(key).trouver(valeur)
            if code is None:
                return key, f"{key} « {valeur} » inconnu : {pourquoi}"
    return None


def fichier_introuvable(nom: str) -> str:
    """The message of a rules file ``communs.yaml`` names and that does not exist."""
    return f"fichier de règles « {nom} » introuvable (importation: regles dans communs.yaml)"


def charger_regles(
    fichier: Path | None,
    comptes: Comptes,
    projets: set[str],
    personnes: Personnes | None = None,
) -> list[RegleCompilee]:
    """Load and check the rules file against the ledger (accounts, projects) and, when
    given, the donors' and members' registers."""
    if fichier is None:
        return []
    nom = display_path(fichier)
    if not fichier.exists():
        raise ErreurImport(fichier_introuvable(nom))
    try:
        document = load_yaml(fichier)
    except SourceError as error:
        raise ErreurImport(f"règles d'import illisibles : {error}") from None
    compiled, problems = regles_du_document(document, comptes, projets, personnes)
    if problems:
        raise ErreurImport(
            f"règles d'import invalides dans {nom}", [str(problem) for problem in problems]
        )
    return compiled


def regles_du_document(
    document: YamlDocument,
    comptes: Comptes,
    projets: set[str],
    personnes: Personnes | None = None,
) -> tuple[list[RegleCompilee], list[SourceError]]:
    """The rules of a read rules file, and its problems at their lines (``communs
    verifier`` lists them, ``communs importer`` stops on them)."""
    nom = document.filename
    data, errors = validate(document, FichierRegles)
    if data is None:
        return [], errors
    compiled: list[RegleCompilee] = []
    problems: list[SourceError] = []
    for index, regle in enumerate(data.regles):
        try:
            compte = comptes.trouver(regle.compte)
        except CompteIntrouvable as exc:
            problems.append(SourceError(document.location(("regles", index, "compte")), str(exc)))
            continue
        if regle.projet is not None and projets and regle.projet not in projets:
            problems.append(
                SourceError(
                    document.location(("regles", index, "projet")),
                    f"projet « {regle.projet} » inconnu (projets : {', '.join(sorted(projets))})",
                )
            )
            continue
        mauvaise = _erreur_personne(regle, compte, personnes)
        if mauvaise is not None:
            problems.append(
                SourceError(document.location(("regles", index, mauvaise[0])), mauvaise[1])
            )
            continue
        compiled.append(
            RegleCompilee(
                regle=regle,
                numero=index + 1,
                ligne=document.line_of(("regles", index)),
                compte=compte,
                motif=plier(regle.motif) if regle.motif is not None else None,
                regex=_compiler(regle.regex) if regle.regex else None,
                fichier=nom,
                personnes=personnes,
            )
        )
    return compiled, problems
