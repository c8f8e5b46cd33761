"""The FEC of an exercice: one line per posting, journals, numbering, à-nouveaux.

What goes in each column:

- ``JournalCode`` / ``JournalLib``: the entry's journal (:mod:`.journaux`);
- ``EcritureNum``: ``BQ-000001``, sequential per journal in date order (the
  ledger's order within a day), numbered after the entries are placed;
- ``EcritureDate``, ``PieceDate``: the entry's date (the ledger records no separate
  piece date); ``ValidDate``: the day the exercice was closed and locked
  (``cloture_le`` of ``clotures.yaml``), the entry's date while it is open;
- ``CompteNum``: the account's code (its deepest coded component); ``CompteLib``:
  the label of the chart in force for the exercice, or the account's own label
  when the code extends the chart, followed by its user sub-accounts
  (:func:`~communs_ledger.rapports.comptes.libelle_compte`);
- ``CompAuxNum`` / ``CompAuxLib``: for the accounts under ``fec.auxiliaires``
  (40 fournisseurs and 41 usagers by default), the user sub-account
  (``401-Fournisseurs:Jardinerie-du-Coteau`` → ``Jardinerie-du-Coteau`` /
  ``Jardinerie du Coteau``), ``CompteLib`` then being the label of the code;
- ``PieceRef``: the ``piece`` metadata of the posting or else of the
  transaction, else the ``EcritureNum``;
- ``EcritureLib``: ``payee — narration``, on one line;
- ``Debit`` / ``Credit``: one of them is the amount, the other ``0,00``;
- ``EcritureLet`` / ``DateLet``: the lettrage of 401/411/441 (:mod:`.lettrage`);
- ``Montantdevise`` / ``Idevise``: empty in euros; for a posting held or
  converted from another currency, its amount (unsigned) and currency.

The à-nouveaux: when balances exist before the exercice, the FEC opens with
one ``AN`` entry at the first day: the balance of every balance-sheet account
(classes 1 to 5), on the side of its sign, and the results of earlier
exercices (classes 6 to 8 before the exercice): the previous exercice's on
120/129 until its affectation, older ones on 110/119, as in the balance
générale and the grand livre (:mod:`..rapports.resultats_anterieurs`, which
also adds the transfer 120/129 → 110 to the affectation entry). Hence the FEC's
totals equal the balance générale's.

Forecast entries (``#prevision``) are not actual entries: they are left out,
like in every report. Zero postings are left out.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..analytique.repartition import partager
from ..cloture.verrou import VerrouIllisible, chemin
from ..codes import parse_account
from ..exercices import Exercice, french_date
from ..formatage import montant
from ..montants import ZERO, is_cent_exact, to_cent
from ..mouvements import Mouvement, en_masse
from ..plan import Chart, load_chart
from ..rapports.comptes import est_de_bilan, libelle_compte, libelle_ecriture, piece, soldes_avant
from ..rapports.entete import avertissements_devises
from ..rapports.resultats_anterieurs import (
    LigneResultat,
    ResultatsAnterieurs,
    resultats_anterieurs,
)
from ..rapports.source import RapportImpossible, Source
from .journaux import A_NOUVEAUX, JOURNAUX_DERIVES, RepartitionJournaux
from .lettrage import Candidat, comptes_lettres, lettrer
from .norme import (
    COLONNES,
    FIN_DE_LIGNE,
    SEPARATEUR,
    Encodage,
    Encode,
    date_fec,
    encoder,
    montant_fec,
    nom_de_fichier,
    texte_propre,
)
from .reglages import FecConfig, fec_config

LIBELLE_A_NOUVEAU = "À-nouveau"
SANS_LIBELLE = "Écriture sans libellé"
ZERO_FEC = "0,00"


@dataclass(frozen=True, slots=True)
class CompteFec:
    """The four account columns of a line."""

    numero: str
    libelle: str
    aux_numero: str = ""
    aux_libelle: str = ""


class _Comptes:
    """Account columns, computed once per account."""

    def __init__(self, chart: Chart, auxiliaires: tuple[str, ...]) -> None:
        self.chart = chart
        self.auxiliaires = auxiliaires
        self._cache: dict[str, CompteFec] = {}

    def de(self, account: str) -> CompteFec:
        found = self._cache.get(account)
        if found is None:
            found = self._cache[account] = self._build(account)
        return found

    def _build(self, account: str) -> CompteFec:
        parsed = parse_account(account)
        code = parsed.code
        if code is None:
            raise RapportImpossible(
                f"le compte {account} n'a pas de numéro : le FEC exige un numéro de compte "
                "(voir « communs verifier »)"
            )
        parts = account.split(":")
        below = parts[parsed.depth_of_code + 1 :]
        if below and code.startswith(self.auxiliaires):
            base = ":".join(parts[: parsed.depth_of_code + 1])
            return CompteFec(
                code,
                texte_propre(libelle_compte(self.chart, base)),
                texte_propre(":".join(below)),
                texte_propre(" : ".join(part.replace("-", " ") for part in below)),
            )
        return CompteFec(code, texte_propre(libelle_compte(self.chart, account)))


@dataclass
class ResumeJournal:
    """What one journal of the FEC holds."""

    code: str
    libelle: str
    ecritures: int = 0
    lignes: int = 0
    debit: Decimal = ZERO
    credit: Decimal = ZERO


@dataclass
class Fec:
    """The FEC of an exercice: its lines (18 texts each) and what they add up to."""

    siren: str
    exercice: Exercice
    association: str
    lignes: list[tuple[str, ...]] = field(default_factory=list)
    journaux: dict[str, ResumeJournal] = field(default_factory=dict)
    avertissements: list[str] = field(default_factory=list)

    @property
    def nom_de_fichier(self) -> str:
        return nom_de_fichier(self.siren, self.exercice.fin)

    @property
    def ecritures(self) -> int:
        return sum(journal.ecritures for journal in self.journaux.values())

    @property
    def debit(self) -> Decimal:
        return sum((journal.debit for journal in self.journaux.values()), ZERO)

    @property
    def credit(self) -> Decimal:
        return sum((journal.credit for journal in self.journaux.values()), ZERO)

    def texte(self) -> str:
        """The file's text: header line of field names, tab-separated, CRLF line ends."""
        rows = [SEPARATEUR.join(COLONNES)]
        rows.extend(SEPARATEUR.join(line) for line in self.lignes)
        return FIN_DE_LIGNE.join(rows) + FIN_DE_LIGNE

    def encoder(self, encodage: Encodage = Encodage.iso) -> Encode:
        return encoder(self.texte(), encodage)


class _Redaction:
    """Writes the lines of the FEC entry by entry, numbering each journal."""

    def __init__(self, fec: Fec, repartition: RepartitionJournaux, comptes: _Comptes, devise: str):
        self.fec = fec
        self.repartition = repartition
        self.comptes = comptes
        self.devise = devise
        self.numeros: dict[str, int] = {}
        self.arrondies: list[str] = []  # entries whose amounts had more than two decimals
        self.validation: str | None = None  # ValidDate: the closing date once locked
        self.lettres = comptes_lettres()
        self.candidats: list[Candidat] = []  # lines of the lettered accounts
        # lines added to an entry (by id): the transfer of the result at its affectation
        self.virement: dict[int, list[LigneResultat]] = {}

    def numero(self, journal: str) -> tuple[ResumeJournal, str]:
        number = self.numeros.get(journal, 0) + 1
        self.numeros[journal] = number
        resume = self.fec.journaux.get(journal)
        if resume is None:
            resume = ResumeJournal(journal, texte_propre(self.repartition.libelle(journal)))
            self.fec.journaux[journal] = resume
        resume.ecritures += 1
        return resume, f"{journal}-{number:06d}"

    def ecriture(
        self,
        journal: str,
        day: datetime.date,
        lines: list[tuple[CompteFec, Decimal, str | None, str, tuple[str, str]]],
        tiers: str | None = None,
    ) -> None:
        """One entry: (account columns, amount debit > 0, piece, label, (currency amount,
        currency)) per line; ``tiers``: its payee (lettrage of accounts without
        sub-account)."""
        resume, number = self.numero(journal)
        date = date_fec(day)
        journal_label = resume.libelle
        validation = self.validation or date
        debit_total = credit_total = ZERO
        append = self.fec.lignes.append
        amounts = arrondir_ecriture([line[1] for line in lines])
        if amounts is None:
            amounts = [line[1] for line in lines]
        else:
            self.arrondies.append(f"{number} du {day.strftime('%d/%m/%Y')}")
        for (compte, _amount, reference, label, (foreign, currency)), rounded in zip(
            lines, amounts, strict=True
        ):
            if rounded >= 0:
                debit, credit = montant_fec(rounded), ZERO_FEC
                debit_total += rounded
            else:
                debit, credit = ZERO_FEC, montant_fec(-rounded)
                credit_total -= rounded
            if compte.numero.startswith(self.lettres):
                self.candidats.append(
                    Candidat(
                        len(self.fec.lignes),
                        (compte.numero, compte.aux_numero, compte.libelle),
                        rounded,
                        reference,
                        None if compte.aux_numero else tiers,
                        day,
                    )
                )
            append(
                (
                    journal,
                    journal_label,
                    number,
                    date,
                    compte.numero,
                    compte.libelle,
                    compte.aux_numero,
                    compte.aux_libelle,
                    reference or number,
                    date,
                    label,
                    debit,
                    credit,
                    "",
                    "",
                    validation,
                    foreign,
                    currency,
                )
            )
        resume.lignes += len(lines)
        resume.debit += debit_total
        resume.credit += credit_total
        if debit_total != credit_total:  # cannot happen: refuse rather than write it
            raise RapportImpossible(
                f"l'écriture {number} du {day.strftime('%d/%m/%Y')} ne s'équilibre pas au "
                f"centime (débit {montant(debit_total)}, crédit {montant(credit_total)}) : "
                "FEC non écrit"
            )

    def mouvements(self, exercice: Exercice, entry: Any, group: list[Mouvement]) -> None:
        """The FEC entry of a ledger entry: its postings (``group``), then the transfer
        of the result added to the affectation entry — alone when the whole result was
        left in report à nouveau (an entry without posting)."""
        postings = [m for m in group if m.montant]
        virement = self.virement.get(id(entry), [])
        if not postings and not virement:
            return
        accounts = tuple(m.account for m in postings) or tuple(v.compte for v in virement)
        codes = tuple(m.code for m in postings) or tuple(v.code for v in virement)
        tags = frozenset(entry.tags) if entry.tags else frozenset()
        reprise = (entry.meta or {}).get("reprise") == "FEC"  # communs ouverture's opening
        journal = self.repartition.journal(
            accounts, codes, tags, entry.date == exercice.debut, reprise
        )
        label = texte_propre(libelle_ecriture(entry)) or SANS_LIBELLE
        lines = []
        for movement in postings:
            reference = piece(movement)
            lines.append(
                (
                    self.comptes.de(movement.account),
                    movement.montant,
                    texte_propre(reference) if reference else None,
                    label,
                    self._devise(movement),
                )
            )
        reference = lines[0][2] if lines else None
        for line in virement:
            lines.append((self.comptes.de(line.compte), line.montant, reference, label, ("", "")))
        payee = getattr(entry, "payee", None)
        tiers = str(payee).strip().casefold() if payee and str(payee).strip() else None
        self.ecriture(journal, entry.date, lines, tiers)

    def _devise(self, movement: Mouvement) -> tuple[str, str]:
        units = movement.entry.postings[movement.rang].units
        if units.currency == self.devise:
            return ("", "")
        return (montant_fec(abs(units.number)), texte_propre(units.currency))


def arrondir_ecriture(amounts: list[Decimal]) -> list[Decimal] | None:
    """The amounts (debit > 0) of an entry to the cent, debits and credits adding up to the
    same total; None when they already are at the cent and balanced.

    Each side's total is rounded once — the side whose lines are all at the cent keeps its
    total (the bank's line of a conversion), else the debits' total is rounded half-up —
    then split over the side's lines in proportion to their amounts, by largest remainder
    (:func:`~communs_ledger.analytique.repartition.partager`). A line moves by at most a
    cent, and the entry balances exactly.
    """
    if all(is_cent_exact(amount) for amount in amounts) and sum(amounts, ZERO) == 0:
        return None
    debits = [(index, amount) for index, amount in enumerate(amounts) if amount > 0]
    credits = [(index, -amount) for index, amount in enumerate(amounts) if amount < 0]
    debit_total = sum((amount for _i, amount in debits), ZERO)
    credit_total = sum((amount for _i, amount in credits), ZERO)
    if all(is_cent_exact(amount) for _i, amount in credits):
        total = credit_total
    elif all(is_cent_exact(amount) for _i, amount in debits):
        total = debit_total
    else:
        total = to_cent(debit_total)
    result = [ZERO] * len(amounts)
    for side, side_total, sign in ((debits, debit_total, 1), (credits, credit_total, -1)):
        if not side:
            continue
        parts = [(str(index), amount * 100 / side_total) for index, amount in side]
        for (index, _amount), share in zip(side, partager(total, parts), strict=True):
            result[index] = sign * share
    return result


def _a_nouveaux(
    source: Source, exercice: Exercice, comptes: _Comptes
) -> tuple[list[tuple[CompteFec, Decimal, str | None, str, tuple[str, str]]], ResultatsAnterieurs]:
    """The opening entry's lines: balance-sheet accounts, the earlier results among them
    (previous exercice's on 120/129, older ones on 110/119, merged into the ledger's
    account of that number as in the balance and the grand livre); and those results."""
    opening = soldes_avant(source, exercice.debut)
    anterieurs = resultats_anterieurs(source, exercice, opening)
    balances = dict(opening)
    labels: dict[str, str] = {}
    for line in anterieurs.a_nouveaux:
        if not balances.get(line.compte):
            labels[line.compte] = line.libelle
        balances[line.compte] = balances.get(line.compte, ZERO) + line.montant
    accounts: list[tuple[str, str, Decimal]] = []
    for account, amount in balances.items():
        code = parse_account(account).code
        if est_de_bilan(code) and amount:
            accounts.append((code or "", account, amount))
    accounts.sort()
    lines = [
        (comptes.de(account), amount, None, labels.get(account, LIBELLE_A_NOUVEAU), ("", ""))
        for _code, account, amount in accounts
    ]
    return lines, anterieurs


def date_de_validation(source: Source, exercice: Exercice) -> datetime.date | None:
    """The day ``exercice`` was closed and locked (``clotures.yaml``), None while it is
    open (or when the lock file cannot be read: the ledger's own check reports it)."""
    from ..cloture.verrou import lire_verrou

    try:
        clotures = lire_verrou(chemin(source.context))
    except VerrouIllisible:
        return None
    for cloture in clotures:
        if cloture.exercice == exercice.code:
            return cloture.cloture_le
    return None


@en_masse()
def exporter(
    source: Source, exercice: Exercice, siren: str, config: FecConfig | None = None
) -> Fec:
    """The FEC of ``exercice`` (the config's ``fec`` section unless ``config`` is given)."""
    if config is None:
        config = fec_config(source.context.config)
    chart = load_chart(exercice.version)
    repartition = RepartitionJournaux(config)
    comptes = _Comptes(chart, tuple(config.auxiliaires))
    fec = Fec(siren, exercice, source.association)
    redaction = _Redaction(fec, repartition, comptes, source.mouvements.devise)
    validation = date_de_validation(source, exercice)
    if validation is not None:
        redaction.validation = date_fec(validation)
    opening, anterieurs = _a_nouveaux(source, exercice, comptes)
    if opening:
        redaction.ecriture(A_NOUVEAUX, exercice.debut, opening)
    movements = source.mouvements.entre(exercice.debut, exercice.fin)
    # Movements are sorted by date, stably: the postings of a transaction are contiguous.
    groups = [
        (group[0].entry, group)
        for _key, grouped in itertools.groupby(movements, key=lambda m: id(m.entry))
        for group in [list(grouped)]
    ]
    entry = anterieurs.affectation
    if entry is not None:
        redaction.virement = {id(entry): anterieurs.virement}
        if not entry.postings:  # the whole result left in report à nouveau
            at = sum(1 for _entry, group in groups if group[0].date <= entry.date)
            groups.insert(at, (entry, []))
    for entry, group in groups:
        redaction.mouvements(exercice, entry, group)
    lettrer(fec.lignes, redaction.candidats)
    fec.journaux = _ordered(fec.journaux, config)
    fec.avertissements = _avertissements(source, exercice, redaction)
    return fec


def _ordered(journaux: dict[str, ResumeJournal], config: FecConfig) -> dict[str, ResumeJournal]:
    """À-nouveaux first, then the declared journals, then the derived ones."""
    order = [A_NOUVEAUX, *(j.code for j in config.journaux), *JOURNAUX_DERIVES]
    rank = {code: index for index, code in reversed(list(enumerate(order)))}
    codes = sorted(journaux, key=lambda code: (rank.get(code, len(order)), code))
    return {code: journaux[code] for code in codes}


def _avertissements(source: Source, exercice: Exercice, redaction: _Redaction) -> list[str]:
    warnings = list(avertissements_devises(source))
    if redaction.arrondies:
        listed = ", ".join(redaction.arrondies[:5])
        more = len(redaction.arrondies) - 5
        warnings.append(
            "montants à plus de deux décimales (conversion de devise…) arrondis au centime "
            "écriture par écriture, chacune restant équilibrée (plus fort reste) : "
            f"{listed}" + (f" et {more} autre(s)" if more > 0 else "")
        )
    today = datetime.date.today()
    if exercice.fin >= today:
        warnings.append(
            f"l'exercice {exercice.code} n'est pas clos (il se termine le "
            f"{french_date(exercice.fin)}) : ce FEC est provisoire"
        )
    return warnings


def total(fec: Fec) -> str:
    """``débit = crédit = 1 234,56 €`` or both totals when they differ."""
    if fec.debit == fec.credit:
        return f"débit = crédit = {montant(fec.debit)}"
    return f"débit {montant(fec.debit)}, crédit {montant(fec.credit)}"
