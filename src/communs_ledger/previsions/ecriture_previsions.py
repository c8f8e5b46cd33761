"""The forecast as Beancount transactions, in a file a ledger may ``include``.

``communs prevision ecrire FICHIER`` writes what the forecast inputs generate
from the day after the last actual entry over ``mois`` calendar months, so
that Fava shows the future balances of the bank account and the future
charges and produits. Every transaction is tagged ``#prevision`` — actual
reports (résultat, bilan, balance, FEC…) leave such entries out even when the
file is included — and carries the input that produced it::

    2026-05-31 * "Salaire net coordinatrice" #prevision
      origine: "paie:coordinatrice"
      source: "previsions/paie.yaml:12"
      Actif:51-Banques:512-Banques:Compte-courant  -1850.00 EUR
      Actif:47-Attente:471-Compte-d-attente:Previsions  1850.00 EUR

**Double entry.** The inputs give the cash side (:class:`MouvementPrevu`, on
its own dates) and the result side (:class:`ResultatPrevu`) independently: a
salary charged in May is paid partly in May (net salary), partly in June
(URSSAF); a subsidy is recognised when notified and paid in instalments; a
loan repayment moves cash with no charge for its principal. Each side is
therefore booked against one clearing account, a sub-account of 471 (compte
d'attente) opened in the file itself:

- a forecast charge or produit: the charge or produit account against the
  clearing account;
- a forecast cash movement: the bank account (the 512 account with the most
  actual movements) against the clearing account.

The bank's future balance is then exactly actual + forecast receipts −
forecast payments, the charges and produits exactly those forecast, nothing
is counted twice, and the clearing account's balance is the forecast
difference between results and cash (payables, receivables, loans). Items of
the same input line on the same day make one transaction (e.g. a rent charged
and paid the same day: charge against bank, no clearing posting). Amounts are
written to the cent with the rounding carried over from one entry to the next
on each account, so that every future balance is the exact forecast rounded
to the cent.

**Accounts.** A charge or produit code goes to the ledger's account with that
code (the shallowest, as Fava budgets do: :class:`communs_ledger.budget.fava.ComptesParCode`);
a heading (``62``) to the ledger's most used account under it; an account
the ledger does not open is opened in the file on the first forecast day
(built from the ledger's accounts, the starter accounts of ``communs init``,
or the chart's labels).

**The file** begins with a header saying it is generated (first line
:data:`MARQUEUR`: a file without it is a user's file, never replaced without
``--ecraser``), then the five ``option "name_*"`` lines (Beancount parses each
file with its own options).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

from ..budget.fava import ComptesParCode
from ..budget.realise import sens
from ..codes import account_code
from ..dates import ONE_DAY, last_day, month_of, shift_month
from ..exercices import french_date
from ..importation.comptes import compte_de_depart
from ..montants import ZERO, to_cent
from ..mouvements import FORECAST_TAG
from ..plan import Chart, CodeState, load_chart
from ..rapports.resultat import is_result_code
from ..rapports.source import RapportImpossible, Source
from ..sources import Location
from ..texte_beancount import chaine, options_des_racines
from .atterrissage import scenario_de
from .entrees import Entrees
from .modele import MouvementPrevu, Periode, Previsions, ResultatPrevu, Scenario

MARQUEUR = "; Fichier généré par communs-ledger : ne pas le modifier à la main."
"""First line of every generated file: what tells it from a user's file."""

MAX_MOIS = 60
COMPTE_D_ATTENTE = "471"
SOUS_COMPTE = "Previsions"
ATTENTE_PAR_DEFAUT = "47-Attente:471-Compte-d-attente"


def est_genere(texte: str) -> bool:
    """True if ``texte`` is a file this module wrote (its first line is :data:`MARQUEUR`)."""
    return texte.split("\n", 1)[0].rstrip("\r") == MARQUEUR


def fin_des_mois(debut: datetime.date, mois: int) -> datetime.date:
    """Last day of the ``mois``-th calendar month counted from the month of ``debut``."""
    return last_day(shift_month(month_of(debut), mois - 1))


def periode_d_ecriture(source: Source, mois: int) -> Periode:
    """From the day after the last actual entry to the end of the ``mois``-th month counted
    from the month of that entry — the months of the plan de trésorerie (``communs
    tresorerie --mois``), which starts with the month in progress in the books. Empty
    (``debut > fin``) for one month when the last entry is on its last day."""
    if not 1 <= mois <= MAX_MOIS:
        raise RapportImpossible(f"nombre de mois entre 1 et {MAX_MOIS} attendu (lu : {mois})")
    last = source.mouvements.derniere_date
    if last is None:
        raise RapportImpossible("le grand livre ne contient aucune écriture")
    return Periode(last + ONE_DAY, fin_des_mois(last, mois))


def compte_de_banque(source: Source) -> str:
    """The main bank account: the 512 account with the most actual movements (else the
    treasury account — class 5 but 58 and 59 — with the most)."""
    counts: Counter[str] = Counter()
    for movement in source.mouvements.liste:
        code = movement.code
        if code is not None and code[:1] == "5" and code[:2] not in ("58", "59"):
            counts[movement.account] += 1
    for wanted in ("512", "5"):
        found = [(n, a) for a, n in counts.items() if (account_code(a) or "").startswith(wanted)]
        if found:
            return min(found, key=lambda item: (-item[0], item[1]))[1]
    raise RapportImpossible(
        "aucun compte de trésorerie mouvementé (512 Banques) : les prévisions s'écrivent "
        "contre le compte bancaire principal"
    )


def compte_d_attente(comptes_ouverts: Iterable[str], racines: dict[str, str]) -> str:
    """The forecast clearing account: ``Previsions`` under the ledger's 471 account, else
    ``Actif:47-Attente:471-Compte-d-attente:Previsions``."""
    exact = sorted(
        (name for name in comptes_ouverts if account_code(name) == COMPTE_D_ATTENTE),
        key=lambda name: (name.count(":"), name),
    )
    if exact:
        base = exact[0]
        return base if base.endswith(":" + SOUS_COMPTE) else f"{base}:{SOUS_COMPTE}"
    return f"{racines.get('actif', 'Actif')}:{ATTENTE_PAR_DEFAUT}:{SOUS_COMPTE}"


def _composant(code: str, libelle: str) -> str:
    """``6132`` + « Locations immobilières » → ``6132-Locations-immobilieres``."""
    ascii_text = unicodedata.normalize("NFKD", libelle).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z0-9]+", ascii_text)
    text = ""
    for word in words:
        if len(text) + len(word) + 1 > 40:
            break
        text = f"{text}-{word}" if text else word
    return f"{code}-{text[:1].upper()}{text[1:]}" if text else code


class Resolution:
    """Ledger account names for forecast account codes."""

    def __init__(self, source: Source, comptes_ouverts: Iterable[str]) -> None:
        self.source = source
        self.ouverts = set(comptes_ouverts)
        self.index = ComptesParCode(self.ouverts)
        self.racines = source.context.roots
        self._usage: Counter[str] | None = None
        self._cache: dict[tuple[str, str], str] = {}

    def compte(self, code: str, version: str) -> str:
        key = (code, version)
        if key not in self._cache:
            self._cache[key] = self._resoudre(code, version)
        return self._cache[key]

    def _racine(self, code: str) -> str:
        role = "produits" if sens(code) < 0 else "charges"
        return self.racines.get(role, "Produits" if role == "produits" else "Charges")

    def _resoudre(self, code: str, version: str) -> str:
        racine = self._racine(code)
        chart = load_chart(version)
        if chart.check(code).state in (CodeState.HEADING, CodeState.EXTENDS_HEADING):
            under = self._plus_utilise(code, racine)
            if under is not None:
                return under
            suggestions = chart.postable_suggestions(code, 1)
            if not suggestions:
                raise RapportImpossible(
                    f"compte {code} : aucun compte mouvementable pour écrire sa prévision"
                )
            return self.compte(suggestions[0].code, version)
        exact = self.index.resoudre(code, racine)
        if exact is not None and self._existe(exact):
            return exact

        starter = compte_de_depart(code, version, self.racines)
        if starter is not None:
            return starter
        return self._construit(code, racine, chart)

    def _existe(self, name: str) -> bool:
        """Whether ``name`` is an account of the ledger or the prefix of one: not a bare
        code such as ``…:64-Charges-de-personnel:641`` that
        :meth:`ComptesParCode.resoudre` makes up for a code the ledger lacks (an account
        this file opens is named ``CODE-Libelle`` from the chart, as ``communs init``)."""
        return name in self.ouverts or any(o.startswith(f"{name}:") for o in self.ouverts)

    def _plus_utilise(self, code: str, racine: str) -> str | None:
        if self._usage is None:
            self._usage = Counter(m.account for m in self.source.mouvements.liste)
        candidates = [
            name
            for name in self.ouverts
            if name.split(":", 1)[0] == racine and (account_code(name) or "").startswith(code)
        ]
        if not candidates:
            return None
        usage = self._usage
        return min(candidates, key=lambda name: (-usage[name], name))

    def _construit(self, code: str, racine: str, chart: Chart) -> str:
        """A name from the chart's labels, under the ledger's account of the longest prefix."""
        for length in range(len(code) - 1, 0, -1):
            parent = self.index.resoudre(code[:length], racine)
            if parent is not None and self._existe(parent):
                found = chart.nearest(code)
                return f"{parent}:{_composant(code, found.libelle if found else '')}"
        found = chart.nearest(code)
        own = _composant(code, found.libelle if found else "")
        if len(code) <= 2:
            return f"{racine}:{own}"
        chapter = chart.get(code[:2])
        return f"{racine}:{_composant(code[:2], chapter.libelle if chapter else '')}:{own}"


# --- Transactions -------------------------------------------------------------------------


@dataclass
class EcriturePrevue:
    """One forecast transaction (postings: account, amount, project)."""

    date: datetime.date
    libelles: list[str]
    origine: str
    source: str | None
    postings: list[tuple[str, Decimal, str | None]] = field(default_factory=list)

    @property
    def narration(self) -> str:
        return " ; ".join(dict.fromkeys(self.libelles))


@dataclass
class FichierPrevisions:
    """The generated file and what it holds."""

    texte: str
    periode: Periode
    scenario: Scenario
    banque: str
    attente: str
    ecritures: list[EcriturePrevue]
    ouvertures: list[str]
    ignores: int  # forecast results on codes other than classes 6 and 7


def _lieu(location: Location | None, dossier: Path) -> str | None:
    if location is None:
        return None
    path = Path(location.filename)
    try:
        shown = str(path.resolve().relative_to(dossier))
    except (ValueError, OSError):
        shown = location.filename
    return f"{shown}:{location.line}" if location.line else shown


class _Arrondi:
    """Cent amounts per account whose running total is the exact running total rounded."""

    def __init__(self) -> None:
        self.exact: dict[str, Decimal] = defaultdict(Decimal)
        self.ecrit: dict[str, Decimal] = defaultdict(Decimal)

    def montant(self, account: str, amount: Decimal) -> Decimal:
        self.exact[account] += amount
        target = to_cent(self.exact[account])
        posted = target - self.ecrit[account]
        self.ecrit[account] = target
        return posted


def ecritures_de_prevision(
    source: Source,
    resultats: Iterable[ResultatPrevu],
    mouvements: Iterable[MouvementPrevu],
    *,
    banque: str,
    attente: str,
    resolution: Resolution,
    periode: Periode,
) -> tuple[list[EcriturePrevue], int]:
    """The transactions of the forecast items dated in the period; and how many results
    were left out (codes outside classes 6 and 7)."""
    dossier = source.context.ledger.resolve().parent
    groups: dict[tuple[datetime.date, str, str | None], list[ResultatPrevu | MouvementPrevu]] = (
        defaultdict(list)
    )
    item: ResultatPrevu | MouvementPrevu
    ignored = 0
    for item in resultats:
        if not periode.debut <= item.date <= periode.fin or not item.montant:
            continue
        if not is_result_code(item.compte):
            ignored += 1
            continue
        groups[(item.date, item.origine, _lieu(item.location, dossier))].append(item)
    for item in mouvements:
        if periode.debut <= item.date <= periode.fin and item.montant:
            groups[(item.date, item.origine, _lieu(item.location, dossier))].append(item)

    arrondi = _Arrondi()
    result: list[EcriturePrevue] = []
    for key in sorted(groups, key=lambda k: (k[0], k[1], k[2] or "")):
        day, origine, lieu = key
        amounts: dict[tuple[str, str | None], Decimal] = defaultdict(Decimal)
        libelles: list[str] = []
        for item in groups[key]:
            libelles.append(item.libelle)
            if isinstance(item, ResultatPrevu):
                version = source.context.exercice_of(day).version
                account = resolution.compte(item.compte, version)
                amounts[(account, item.projet)] += item.montant * sens(item.compte)
            else:
                amounts[(banque, item.projet)] += item.montant
        ecriture = EcriturePrevue(day, libelles, origine, lieu)
        total = ZERO
        for (account, projet), amount in amounts.items():
            posted = arrondi.montant(account, amount)
            if posted:
                ecriture.postings.append((account, posted, projet))
                total += posted
        if not ecriture.postings:
            continue
        if total:
            ecriture.postings.append((attente, -total, None))
        result.append(ecriture)
    return result, ignored


# --- Text ---------------------------------------------------------------------------------


def _chaine(text: str) -> str:
    return chaine(" ".join(str(text).split()))  # on one line


def _montant(amount: Decimal) -> str:
    return f"{to_cent(amount, ROUND_HALF_EVEN):.2f}"


def _ligne_de_periode(periode: Periode, scenario: Scenario) -> str:
    if periode.debut > periode.fin:  # the months asked end on the last actual entry
        return (
            f"; Aucune prévision : les mois demandés s'arrêtent au {french_date(periode.fin)}, "
            f"jour de la dernière écriture réelle (scénario « {scenario.code} »)."
        )
    return (
        f"; Prévisions du {french_date(periode.debut)} au {french_date(periode.fin)}, "
        f"scénario « {scenario.code} » ({scenario.libelle})."
    )


def texte_du_fichier(
    ecritures: list[EcriturePrevue],
    ouvertures: list[str],
    *,
    racines: dict[str, str],
    devise: str,
    periode: Periode,
    scenario: Scenario,
    attente: str,
    genere_le: datetime.date,
    commande: str,
    inclusion: str,
) -> str:
    """The whole file: header, options, openings, transactions."""
    lines = [
        MARQUEUR,
        _ligne_de_periode(periode, scenario),
        f"; Généré le {french_date(genere_le)} par : {commande}",
        "; Chaque régénération remplace ce fichier en entier. Pour voir les soldes futurs",
        f'; dans Fava, incluez-le depuis le grand livre : include "{inclusion}"',
        "; Les états réels (résultat, bilan, balance, FEC…) ignorent ces écritures (#prevision).",
        f"; Contrepartie : {attente}",
        ";   (écart entre les charges et produits prévus et leurs encaissements ou paiements).",
    ]
    lines.extend(options_des_racines(racines))
    lines.append("")
    for account in ouvertures:
        lines.append(f"{periode.debut.isoformat()} open {account}")
    if ouvertures:
        lines.append("")
    width = max((len(a) for e in ecritures for a, _m, _p in e.postings), default=0)
    for ecriture in ecritures:
        lines.append(f"{ecriture.date.isoformat()} * {_chaine(ecriture.narration)} #{FORECAST_TAG}")
        lines.append(f"  origine: {_chaine(ecriture.origine)}")
        if ecriture.source:
            lines.append(f"  source: {_chaine(ecriture.source)}")
        for account, amount, projet in ecriture.postings:
            lines.append(f"  {account:<{width}}  {_montant(amount):>12} {devise}")
            if projet:
                lines.append(f"    projet: {_chaine(projet)}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def fichier_de_previsions(
    source: Source,
    entrees: Entrees,
    *,
    comptes_ouverts: Iterable[str],
    scenario: str | None = None,
    mois: int = 12,
    genere_le: datetime.date,
    commande: str,
    inclusion: str,
) -> FichierPrevisions:
    """The forecast of the next ``mois`` months as a Beancount file.

    ``comptes_ouverts``: the accounts the ledger opens (outside the generated file);
    ``commande`` and ``genere_le`` go in the header; ``inclusion`` is the path an
    ``include`` of the ledger would give.
    """
    chosen = scenario_de(entrees, scenario)
    periode = periode_d_ecriture(source, mois)
    ouverts = set(comptes_ouverts)
    banque = compte_de_banque(source)
    attente = compte_d_attente(ouverts, source.context.roots)
    previsions = (
        entrees.generer(periode, chosen, source) if periode.debut <= periode.fin else Previsions()
    )
    resolution = Resolution(source, ouverts)
    ecritures, ignored = ecritures_de_prevision(
        source,
        previsions.resultat,
        previsions.tresorerie,
        banque=banque,
        attente=attente,
        resolution=resolution,
        periode=periode,
    )
    used = dict.fromkeys(a for e in ecritures for a, _m, _p in e.postings)
    ouvertures = sorted(a for a in used if a not in ouverts)
    texte = texte_du_fichier(
        ecritures,
        ouvertures,
        racines=source.context.roots,
        devise=source.mouvements.devise,
        periode=periode,
        scenario=chosen,
        attente=attente,
        genere_le=genere_le,
        commande=commande,
        inclusion=inclusion,
    )
    return FichierPrevisions(
        texte, periode, chosen, banque, attente, ecritures, ouvertures, ignored
    )
