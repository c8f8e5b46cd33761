"""A deterministic generator of large, realistic association ledgers.

``communs exemple DOSSIER --transactions N --graine S`` writes the ledger of a
fictional employer association: the files ``communs init`` writes (same main
header, starter accounts of the 2025 chart, config with a few projects), one
file per exercice from 2025 on, and exactly N transactions:

- payroll: one payslip and one transfer per employee and month, then the
  URSSAF, retirement, provident and income-tax payments the month after;
- rent, energy, telephone, bank fees, insurance, training and health levies;
- suppliers: invoice on 401 (one sub-account per supplier), paid later;
- usagers: invoice on 411, paid later by transfer, cheque or cash;
- cotisations, dons, mécénat, sales, petty cash, financial aid;
- subsidies: notified on 441 against 741, paid in instalments;
- bénévolat valued monthly on 864/875 (each entry balances 86 against 87);
- a monthly cash deposit, yearly equipment purchase and depreciation, interest;
- a ``balance`` assertion on the bank account on the first of every month;
- a budget per exercice, ``budgets/<année>.yaml``, declared in ``communs.yaml``:
  a voted version (``vote``) with a line per chapter, a few account lines and
  the same codes for each project (so that every posting of a project goes to
  a line of the project), within 10 % of the year's actual amounts (drawn from
  a random generator of their own: the ``.beancount`` files do not change);
  the last exercice also has a revised version (``revise``, base ``vote``).

Everything follows from ``random.Random(seed)``: the same seed and count give
byte-identical files. Amounts are integers of cents written with two decimals.
The ledger spans one year per ~4 000 transactions, at most six years (denser
years beyond); the account of each role is looked up by its code among the
starter accounts (``plan_comptable/comptes_de_depart.yaml``).
"""

from __future__ import annotations

import datetime
import math
import random
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from pathlib import Path

from ..budget.fichier import LigneBudget
from ..budget.realise import Index
from ..codes import account_code
from ..config import ExerciceConfig
from ..dates import ONE_DAY, first_day, last_day, month_end, month_label, month_of, shift_month
from ..ecriture import FichierExistant, write_new
from ..exercices import Calendrier, Exercice
from ..sources import Location
from .initialisation import render_files, starter_accounts

FIRST_YEAR = 2025
TRANSACTIONS_PER_YEAR = 4_000
MAX_YEARS = 6
ASSOCIATION = "Maison des Communs de Belleville (exemple généré)"
CASH_FLOAT = 30_000  # cents kept in the caisse after each monthly deposit
LIVRET_OPENING = 4_000_000  # cents on the savings account at the opening
DEPOSITS_PER_YEAR = 12  # expected cash deposits (the exact count is adjusted at the end)

_ZERO_EUR = Decimal(0)

PROJETS = (
    ("JARDINS", "Jardins partagés"),
    ("ALPHA", "Ateliers sociolinguistiques"),
    ("REPAIR", "Repair café"),
    ("ETE", "Séjours d'été des familles"),
)

_FIRST_NAMES = (
    "Amina",
    "Bernard",
    "Camille",
    "Chloé",
    "Claire",
    "David",
    "Fatou",
    "Hélène",
    "Hugo",
    "Inès",
    "Jean",
    "Julie",
    "Karim",
    "Léa",
    "Louis",
    "Lucie",
    "Malik",
    "Manon",
    "Marc",
    "Marie",
    "Mathieu",
    "Nadia",
    "Nicolas",
    "Paul",
    "Rachid",
    "Sarah",
    "Sofia",
    "Thomas",
    "Yasmine",
    "Zoé",
)
_LAST_NAMES = (
    "Bernard",
    "Bonnet",
    "Boyer",
    "Chevalier",
    "Diallo",
    "Dubois",
    "Durand",
    "Fontaine",
    "Garcia",
    "Girard",
    "Haddad",
    "Lambert",
    "Lefebvre",
    "Leroy",
    "Martin",
    "Mercier",
    "Moreau",
    "Morel",
    "Nguyen",
    "Petit",
    "Robert",
    "Roux",
    "Simon",
    "Traoré",
    "Vincent",
)

# (payee, 401 sub-account, code of the charge, object, relative size, project or None)
_SUPPLIERS = (
    ("Bureau Vallée", "Bureau-Vallee", "6064", "fournitures de bureau", 1.0, None),
    ("Leroy Merlin", "Leroy-Merlin", "6063", "petit équipement", 1.4, "JARDINS"),
    ("Biocoop Belleville", "Biocoop", "6068", "denrées des ateliers", 0.8, None),
    ("Cabinet Audit et Associés", "Cabinet-Audit", "6226", "honoraires comptables", 3.0, None),
    ("Imprimerie du Faubourg", "Imprimerie-Faubourg", "623", "impression de tracts", 1.2, None),
    ("Autocars Lebrun", "Autocars-Lebrun", "604", "transport de groupe", 2.5, "ETE"),
    ("Plomberie Martin", "Plomberie-Martin", "615", "réparations", 1.5, None),
    ("Informatique Solidaire", "Informatique-Solidaire", "6063", "consommables", 0.7, None),
    ("Éditions Sociales", "Editions-Sociales", "6181", "manuels", 0.6, "ALPHA"),
    ("Formations Solidaires", "Formations-Solidaires", "6185", "formation des salariés", 2.0, None),
)
# (payee, code of the charge, narration, relative size) for card payments
_CARD = (
    ("SNCF Connect", "6251", "Billets de train", 1.6),
    ("La Poste", "626", "Affranchissements", 0.4),
    ("Carrefour City", "6068", "Courses pour les ateliers", 1.0),
    ("Le Bistrot du Coin", "6257", "Repas d'équipe", 1.2),
    ("Castorama", "6063", "Petit outillage", 1.3),
    ("Librairie Le Genre urbain", "6181", "Ouvrages", 0.5),
)
_PETTY = (
    ("Boulangerie Julien", "6257", "Goûter des ateliers"),
    ("Marché de Belleville", "6068", "Fruits et légumes des ateliers"),
    ("Bureau de tabac", "626", "Timbres"),
)
# (label, project)
_ACTIVITIES = (
    ("accueil de loisirs", None),
    ("jardins partagés", "JARDINS"),
    ("ateliers de français", "ALPHA"),
    ("atelier réparation", "REPAIR"),
    ("séjour d'été", "ETE"),
    ("sortie familiale", None),
    ("soutien scolaire", None),
)
# (funder, 441 and 741 sub-account, % of the subsidies, instalments (days, %), project)
_FUNDERS = (
    ("Région Île-de-France", "Region", 24, ((40, 50), (160, 30), (330, 20)), "JARDINS"),
    ("DDETS de Paris", "Etat", 18, ((60, 60), (300, 40)), "ALPHA"),
    ("Département de Paris", "Departement", 20, ((45, 70), (250, 30)), None),
    ("Ville de Paris", "Commune", 26, ((30, 50), (120, 25), (240, 25)), None),
    ("Caisse d'allocations familiales", "Organismes-sociaux", 12, ((50, 80), (380, 20)), "ETE"),
)
_COTISATIONS = (1000, 1500, 1500, 2000, 2000, 2500, 3000, 5000)

# Kinds of volume events: (name, transactions per event, weight)
_KINDS = (
    ("usager", 2, 30),
    ("fournisseur", 2, 14),
    ("carte", 1, 12),
    ("don", 1, 10),
    ("cotisation", 1, 14),
    ("vente", 1, 4),
    ("caisse", 1, 5),
    ("aide", 1, 4),
    ("benevolat", 1, 2),
)


@dataclass
class GeneratedLedger:
    main: Path  # path of the main .beancount file written
    transactions: int  # number of transactions written


def _amount(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


class _Accounts:
    """Account names of the starter set, found by code (and sub-account)."""

    def __init__(self, version: str) -> None:
        self.names = starter_accounts(version)
        self._by_code: dict[str, list[str]] = {}
        for name in self.names:
            self._by_code.setdefault(account_code(name) or "", []).append(name)

    def __call__(self, code: str, sub: str | None = None) -> str:
        for name in self._by_code.get(code, []):
            if sub is None or name.endswith(":" + sub):
                return name
        if sub is not None:  # a numbered sub-account: 741 + Region → …:7412-Region
            for name in self.names:
                if (account_code(name) or "").startswith(code) and name.endswith("-" + sub):
                    return name
        raise KeyError(f"compte de départ introuvable : {code} {sub or ''}".strip())

    def starting_with(self, prefix: str) -> str:
        for name in self.names:
            if (account_code(name) or "").startswith(prefix):
                return name
        raise KeyError(f"compte de départ introuvable : {prefix}…")


@dataclass(slots=True)
class _Tx:
    date: datetime.date
    order: int
    text: str
    bank: int  # change of the bank account, cents
    cash: int  # change of the caisse, cents
    removable: bool  # a bank-only single entry that may be dropped to reach the count
    postings: tuple[tuple[str, int], ...] = ()  # (account, cents): the budget files read them
    projet: str | None = None


@dataclass
class _Employee:
    name: str
    gross: int  # monthly gross salary, cents


@dataclass
class _Builder:
    rng: random.Random
    accounts: _Accounts
    end: datetime.date  # last day of the period
    txs: list[_Tx] = field(default_factory=list)
    charges: int = 0  # running total of class-6 charges, cents
    invoice_numbers: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        acc = self.accounts
        self.bank = acc("512", "Compte-courant")
        self.livret = acc("512", "Livret")
        self.caisse = acc.starting_with("53")
        self.suppliers = [f"{acc('401')}:{sub}" for sub in sorted({s[1] for s in _SUPPLIERS})]
        self.width = max(len(name) for name in acc.names + self.suppliers)

    # -- writing entries -------------------------------------------------

    def tx(
        self,
        day: datetime.date,
        payee: str,
        narration: str,
        postings: list[tuple[str, int]],
        projet: str | None = None,
        *,
        removable: bool = False,
        order: int | None = None,
    ) -> None:
        assert sum(amount for _account, amount in postings) == 0, postings
        lines = [f'{day.isoformat()} * "{payee}" "{narration}"']
        if projet:
            lines.append(f'  projet: "{projet}"')
        bank = cash = 0
        for account, cents in postings:
            lines.append(f"  {account.ljust(self.width)} {_amount(cents):>12} EUR")
            if account == self.bank:
                bank += cents
            elif account == self.caisse:
                cash += cents
            elif cents > 0 and account.startswith("Charges:6"):
                self.charges += cents
        self.txs.append(
            _Tx(
                day,
                len(self.txs) if order is None else order,
                "\n".join(lines),
                bank,
                cash,
                removable,
                tuple(postings),
                projet,
            )
        )

    # -- random helpers --------------------------------------------------

    def around(self, mean: float, spread: float = 0.6, step: int = 1) -> int:
        """A positive amount of cents around ``mean``, a multiple of ``step``."""
        value = mean * (1 + spread * (2 * self.rng.random() - 1))
        return max(step, int(value) // step * step)

    def person(self) -> str:
        return f"{self.rng.choice(_FIRST_NAMES)} {self.rng.choice(_LAST_NAMES)}"

    def workday(self, day: datetime.date) -> datetime.date:
        """The next working day (the previous one if that passes the period's end)."""
        moved = day + ONE_DAY * ((7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)
        if moved > self.end:
            moved = day - ONE_DAY * (day.weekday() - 4 if day.weekday() >= 5 else 0)
        return moved

    def random_day(self, year: int) -> datetime.date:
        """A working day of ``year``."""
        first = datetime.date(year, 1, 1)
        day = first + ONE_DAY * self.rng.randrange((datetime.date(year + 1, 1, 1) - first).days)
        moved = self.workday(day)
        return moved if moved.year == year else day - ONE_DAY * (day.weekday() - 4)

    def invoice_number(self, year: int) -> str:
        number = self.invoice_numbers.get(year, 0) + 1
        self.invoice_numbers[year] = number
        return f"F{year}-{number:05d}"


def _period(transactions: int, years: int | None = None) -> list[int]:
    if years is None:
        years = min(MAX_YEARS, max(1, math.ceil(transactions / TRANSACTIONS_PER_YEAR)))
    base, extra = divmod(transactions, years)
    return [base + (1 if index < extra else 0) for index in range(years)]


def _employees(rng: random.Random, count: int) -> list[_Employee]:
    team = []
    for _ in range(count):
        name = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"
        team.append(_Employee(name, rng.randrange(190_000, 340_000, 500)))
    return team


def _payroll(b: _Builder, year: int, team: list[_Employee]) -> None:
    acc = b.accounts
    for month in range(1, 13):
        label = month_label((year, month))
        urssaf = retraite = prevoyance = pas = 0
        for person in team:
            gross = person.gross
            er_urssaf, ee_urssaf = gross * 27 // 100, gross * 22 // 100
            er_ret, ee_ret = gross * 6 // 100, gross * 4 // 100
            er_prev, ee_prev = gross * 15 // 1000, gross * 8 // 1000
            tax = (gross - ee_urssaf) * 3 // 100
            net = gross - ee_urssaf - ee_ret - ee_prev - tax
            urssaf += er_urssaf + ee_urssaf
            retraite += er_ret + ee_ret
            prevoyance += er_prev + ee_prev
            pas += tax
            payslip = b.workday(datetime.date(year, month, 25))
            b.tx(
                payslip,
                person.name,
                f"Bulletin de paie de {label}",
                [
                    (acc("6411"), gross),
                    (acc("6451"), er_urssaf),
                    (acc("6453"), er_ret),
                    (acc("6458"), er_prev),
                    (acc("431"), -(er_urssaf + ee_urssaf)),
                    (acc("437", "Retraite-complementaire"), -(er_ret + ee_ret)),
                    (acc("437", "Prevoyance"), -(er_prev + ee_prev)),
                    (acc("442"), -tax),
                    (acc("421"), -net),
                ],
            )
            b.tx(
                b.workday(datetime.date(year, month, 28)),
                person.name,
                f"Virement du salaire de {label}",
                [(acc("421"), net), (b.bank, -net)],
            )
        due = first_day(shift_month((year, month), 1)).replace(day=15)
        payments = [
            ("URSSAF", "Cotisations sociales", acc("431"), urssaf),
            ("Humanis", "Retraite complémentaire", acc("437", "Retraite-complementaire"), retraite),
            ("DGFiP", "Prélèvement à la source", acc("442"), pas),
        ]
        if month % 3 == 0:  # same team all year: the quarter is three equal months
            prevoyance_account = acc("437", "Prevoyance")
            payments.append(
                (
                    "Prévoyance Solidaire",
                    "Prévoyance du trimestre clos en",
                    prevoyance_account,
                    3 * prevoyance,
                )
            )
        for payee, what, account, total in payments:
            day = b.workday(due)
            if day <= b.end:
                b.tx(day, payee, f"{what} de {label}", [(account, total), (b.bank, -total)])


def _overheads(b: _Builder, year: int, team: list[_Employee], staff: int) -> None:
    """The running costs of a year: every month's, then the yearly ones (random draws in
    that order, so that a seed gives the same ledger)."""
    for month in range(1, 13):
        _monthly_overheads(b, year, month, staff)
    _yearly_overheads(b, year, team, staff)


def _monthly_overheads(b: _Builder, year: int, month: int, staff: int) -> None:
    """Rent, energy, telephone, bank fees and the volunteers' time of one month."""
    acc = b.accounts
    rent = 120_000 + 18_000 * staff
    label = month_label((year, month))
    monthly = [
        (5, "SCI Les Tilleuls", f"Loyer de {label}", acc("6132"), rent, None),
        (
            10,
            "EDF",
            f"Électricité de {label}",
            acc("6061"),
            b.around(15_000 + 3_000 * staff, 0.3),
            None,
        ),
        (
            12,
            "Orange",
            f"Téléphone et internet de {label}",
            acc("626"),
            b.around(6_000 + 1_000 * staff, 0.1),
            None,
        ),
    ]
    for day, payee, narration, account, cents, projet in monthly:
        b.tx(
            b.workday(datetime.date(year, month, day)),
            payee,
            narration,
            [(account, cents), (b.bank, -cents)],
            projet,
        )
    fees = b.around(2_400, 0.3)
    b.tx(
        last_day((year, month)),
        "Crédit Coopératif",
        f"Frais de tenue de compte de {label}",
        [(acc("627"), fees), (b.bank, -fees)],
    )
    hours = b.rng.randrange(120, 420)
    value = hours * 1_500
    b.tx(
        last_day((year, month)),
        "Bénévoles",
        f"Valorisation du bénévolat de {label} ({hours} heures)",
        [(acc("864"), value), (acc("875"), -value)],
        b.rng.choice((None, "JARDINS", "REPAIR")),
    )


def _yearly_overheads(b: _Builder, year: int, team: list[_Employee], staff: int) -> None:
    """Insurance, federation dues, training, occupational health, and the hall lent free."""
    acc = b.accounts
    yearly = [
        (
            datetime.date(year, 1, 15),
            "MAIF",
            "Assurance multirisque annuelle",
            acc("616"),
            90_000 + 8_000 * staff,
        ),
        (
            datetime.date(year, 2, 10),
            "Fédération des centres sociaux",
            "Cotisation annuelle",
            acc("6281"),
            45_000,
        ),
        (
            datetime.date(year, 2, 28),
            "Uniformation",
            "Contribution à la formation professionnelle",
            acc("6333"),
            sum(p.gross for p in team) * 12 // 100,
        ),
        (
            datetime.date(year, 3, 20),
            "Santé au travail",
            "Médecine du travail",
            acc("6475"),
            11_500 * staff,
        ),
    ]
    for when, payee, narration, account, cents in yearly:
        b.tx(b.workday(when), payee, narration, [(account, cents), (b.bank, -cents)])
    b.tx(
        datetime.date(year, 6, 1),
        "Ville de Paris",
        "Mise à disposition gratuite de la salle des fêtes",
        [(acc("861"), 240_000), (acc("871"), -240_000)],
    )


def _equipment(b: _Builder, year: int, purchases: list[int]) -> None:
    acc = b.accounts
    supplier = f"{acc('401')}:Informatique-Solidaire"
    cents = b.around(250_000, 0.4, 100)
    purchases.append(cents)
    day = b.workday(datetime.date(year, 4, 8))
    b.tx(
        day,
        "Informatique Solidaire",
        "Facture — ordinateurs portables",
        [(acc("2183"), cents), (supplier, -cents)],
    )
    paid = b.workday(day + ONE_DAY * 30)
    b.tx(
        paid,
        "Informatique Solidaire",
        "Virement — ordinateurs portables",
        [(supplier, cents), (b.bank, -cents)],
    )
    depreciation = sum(amount // 3 for amount in purchases[-3:])
    b.tx(
        datetime.date(year, 12, 31),
        "Amortissements",
        f"Dotation aux amortissements {year}",
        [(acc("6811"), depreciation), (acc("28183"), -depreciation)],
    )


def _subsidies(b: _Builder, year: int, total: int) -> None:
    acc = b.accounts
    asp = total * 4 // 100 // 12
    for month in range(1, 13):
        b.tx(
            b.workday(datetime.date(year, month, 20)),
            "ASP",
            f"Aide au poste (emploi aidé) de {month_label((year, month))}",
            [(b.bank, asp), (acc("741", "ASP-emplois-aides"), -asp)],
        )
    rest = total - 12 * asp
    for funder, sub, share, instalments, projet in _FUNDERS:
        granted = rest * share // 100 // 10_000 * 10_000
        notified = b.workday(datetime.date(year, 2, 1) + ONE_DAY * b.rng.randrange(0, 60))
        b.tx(
            notified,
            funder,
            f"Notification de la subvention {year}",
            [(acc("441", sub), granted), (acc("741", sub), -granted)],
            projet,
        )
        paid_so_far = 0
        for index, (days, percent) in enumerate(instalments):
            last = index == len(instalments) - 1
            cents = granted - paid_so_far if last else granted * percent // 100
            paid_so_far += cents
            day = b.workday(notified + ONE_DAY * (days + b.rng.randrange(0, 20)))
            if day > b.end:
                break
            what = "solde" if last else f"acompte {index + 1}"
            b.tx(
                day,
                funder,
                f"Subvention {year} : versement ({what})",
                [(b.bank, cents), (acc("441", sub), -cents)],
                projet,
            )


@dataclass
class _Budget:
    """Total amounts (cents) of the volume kinds for one year."""

    fournisseur: int
    carte: int
    aide: int
    caisse: int
    usager: int
    don: int
    vente: int


def _volume(b: _Builder, year: int, count: int, budget: _Budget) -> None:
    """Events of the year's day-to-day activity totalling ``count`` transactions."""
    names = [kind[0] for kind in _KINDS]
    sizes = {kind[0]: kind[1] for kind in _KINDS}
    cumulative = list(accumulate(kind[2] for kind in _KINDS))
    events: list[str] = []
    remaining = count
    while remaining > 0:
        kind = names[bisect_right(cumulative, b.rng.random() * cumulative[-1])]
        if sizes[kind] > remaining:
            kind = "carte"
        events.append(kind)
        remaining -= sizes[kind]
    tally = {name: max(1, events.count(name)) for name in names}
    mean = {name: getattr(budget, name) / tally[name] for name in names if hasattr(budget, name)}
    days = sorted(b.random_day(year) for _ in events)  # numbers follow the dates
    for kind, day in zip(events, days, strict=True):
        _EVENTS[kind](b, day, mean.get(kind, 0.0))


def _usager(b: _Builder, day: datetime.date, mean: float) -> None:
    acc = b.accounts
    activity, projet = b.rng.choice(_ACTIVITIES)
    cents = b.around(mean, 0.8, 50)
    number = b.invoice_number(day.year)
    family = f"Famille {b.rng.choice(_LAST_NAMES)}"
    b.tx(
        day,
        family,
        f"Facture {number} — {activity}",
        [(acc("411"), cents), (acc("706"), -cents)],
        projet,
    )
    paid = b.workday(day + ONE_DAY * b.rng.randrange(2, 45))
    if paid > b.end:
        return
    draw = b.rng.random()
    if draw < 0.15:
        target, how = b.caisse, "en espèces"
    elif draw < 0.35:
        target, how = b.bank, "par chèque"
    else:
        target, how = b.bank, "par virement"
    b.tx(
        paid,
        family,
        f"Règlement {how} de la facture {number}",
        [(target, cents), (acc("411"), -cents)],
    )


def _fournisseur(b: _Builder, day: datetime.date, mean: float) -> None:
    acc = b.accounts
    payee, sub, code, what, size, projet = b.rng.choice(_SUPPLIERS)
    cents = b.around(mean * size / 1.5, 0.7)
    supplier = f"{acc('401')}:{sub}"
    reference = f"{b.rng.randrange(1000, 99999)}"
    if projet is None and b.rng.random() < 0.2:
        projet = b.rng.choice(PROJETS)[0]
    b.tx(
        day,
        payee,
        f"Facture {reference} — {what}",
        [(acc(code), cents), (supplier, -cents)],
        projet,
    )
    paid = b.workday(day + ONE_DAY * b.rng.randrange(10, 45))
    if paid <= b.end:
        b.tx(paid, payee, f"Virement — facture {reference}", [(supplier, cents), (b.bank, -cents)])


def _carte(b: _Builder, day: datetime.date, mean: float) -> None:
    payee, code, narration, size = b.rng.choice(_CARD)
    cents = b.around((mean or 4_000) * size, 0.8)
    b.tx(
        day,
        payee,
        f"{narration} (carte bancaire)",
        [(b.accounts(code), cents), (b.bank, -cents)],
        removable=True,
    )


def _don(b: _Builder, day: datetime.date, mean: float) -> None:
    acc = b.accounts
    if b.rng.random() < 0.08:
        company = b.rng.choice(("Fondation Abbé-Pierre", "Fondation de France", "Crédit Mutuel"))
        cents = b.around(mean * 8, 0.5, 10_000)
        b.tx(
            day,
            company,
            "Mécénat : soutien au projet",
            [(b.bank, cents), (acc("7542"), -cents)],
            b.rng.choice(PROJETS)[0],
            removable=True,
        )
        return
    cents = b.around(mean * 0.4, 0.9, 500)
    how = b.rng.choice(("Don en ligne (HelloAsso)", "Don par virement", "Don par chèque"))
    b.tx(
        day,
        b.person(),
        how,
        [(b.bank, cents), (acc("7541"), -cents)],
        removable=True,
    )


def _cotisation(b: _Builder, day: datetime.date, _mean: float) -> None:
    cents = b.rng.choice(_COTISATIONS)
    in_cash = b.rng.random() < 0.3
    target = b.caisse if in_cash else b.bank
    how = "en espèces" if in_cash else "par chèque"
    b.tx(
        day,
        b.person(),
        f"Cotisation {day.year} réglée {how}",
        [(target, cents), (b.accounts("756"), -cents)],
    )


def _vente(b: _Builder, day: datetime.date, mean: float) -> None:
    what = b.rng.choice(
        ("Buvette de la fête de quartier", "Vente d'objets réparés", "Vente de plants du jardin")
    )
    projet = {"Vente d'objets réparés": "REPAIR", "Vente de plants du jardin": "JARDINS"}.get(what)
    cents = b.around(mean, 0.7, 10)
    b.tx(
        day,
        "Ventes diverses",
        what,
        [(b.caisse, cents), (b.accounts("707"), -cents)],
        projet,
    )


def _caisse(b: _Builder, day: datetime.date, mean: float) -> None:
    payee, code, narration = b.rng.choice(_PETTY)
    cents = b.around(min(mean, 3_000) or 1_500, 0.8, 10)
    b.tx(
        day,
        payee,
        f"{narration} (caisse)",
        [(b.accounts(code), cents), (b.caisse, -cents)],
    )


def _aide(b: _Builder, day: datetime.date, mean: float) -> None:
    cents = b.around(mean, 0.6, 1_000)
    b.tx(
        day,
        f"Famille {b.rng.choice(_LAST_NAMES)}",
        "Aide financière d'urgence",
        [(b.accounts("6571"), cents), (b.bank, -cents)],
        removable=True,
    )


def _benevolat(b: _Builder, day: datetime.date, _mean: float) -> None:
    acc = b.accounts
    if b.rng.random() < 0.5:
        cents = b.rng.randrange(20, 200) * 1_500
        b.tx(
            day,
            "Bénévoles",
            "Valorisation d'une journée de chantier solidaire",
            [(acc("864"), cents), (acc("875"), -cents)],
            "JARDINS",
        )
    else:
        cents = b.around(40_000, 0.6, 100)
        b.tx(
            day,
            "Banque alimentaire",
            "Denrées reçues et distribuées",
            [(acc("860"), cents), (acc("870"), -cents)],
        )


_EVENTS = {
    "usager": _usager,
    "fournisseur": _fournisseur,
    "carte": _carte,
    "don": _don,
    "cotisation": _cotisation,
    "vente": _vente,
    "caisse": _caisse,
    "aide": _aide,
    "benevolat": _benevolat,
}


def _deposits(b: _Builder, first: datetime.date) -> None:
    """A monthly deposit of the cash above the float (computed from the caisse's flows)."""
    moves: dict[tuple[int, int], int] = {}
    for tx in b.txs:
        if tx.cash:
            key = (tx.date.year, tx.date.month)
            moves[key] = moves.get(key, 0) + tx.cash
    balance = CASH_FLOAT  # the opening float
    month = first
    while month <= b.end:
        balance += moves.get((month.year, month.month), 0)
        end = month_end(month)
        if balance > CASH_FLOAT:
            cents = balance - CASH_FLOAT
            balance -= cents
            b.tx(
                end,
                "Crédit Coopératif",
                f"Remise d'espèces de {month_label(month_of(month))}",
                [(b.bank, cents), (b.caisse, -cents)],
            )
        month = end + ONE_DAY


def _adjust(b: _Builder, transactions: int, years: list[int]) -> list[_Tx]:
    """Exactly ``transactions`` entries: add or drop bank-only single entries."""
    missing = transactions - len(b.txs)
    for index in range(max(0, missing)):
        _carte(b, b.random_day(years[index % len(years)]), 0.0)
    txs = b.txs
    if missing < 0:
        removable = [index for index, tx in enumerate(txs) if tx.removable]
        if len(removable) >= -missing:
            dropped = set(b.rng.sample(removable, -missing))
            txs = [tx for index, tx in enumerate(txs) if index not in dropped]
    txs.sort(key=lambda tx: (tx.date, tx.order))
    return txs[:transactions]  # tiny counts: the ledger stops early


def _generate(
    transactions: int, seed: int, years: int | None = None
) -> tuple[list[_Tx], _Builder, list[Exercice]]:
    rng = random.Random(seed)
    per_year = _period(transactions, years)
    calendrier = Calendrier(ExerciceConfig())
    exercices = [
        calendrier.containing(datetime.date(FIRST_YEAR + index, 1, 1))
        for index in range(len(per_year))
    ]
    year_list = [exercice.debut.year for exercice in exercices]
    accounts = _Accounts(exercices[0].version)  # 2025 chart throughout
    b = _Builder(rng, accounts, exercices[-1].fin)
    staff = min(20, max(1, round(per_year[0] / 350)))
    team = _employees(rng, staff)
    purchases: list[int] = []
    first_charges = 0
    livret = LIVRET_OPENING
    for index, (year, target) in enumerate(zip(year_list, per_year, strict=True)):
        before, charges_before = len(b.txs), b.charges
        _payroll(b, year, team)
        _overheads(b, year, team, staff)
        _equipment(b, year, purchases)
        fixed_charges = b.charges - charges_before
        if index == 0:
            first_charges = fixed_charges
        expenses = fixed_charges * 130 // 100  # day-to-day purchases: 30 % more
        _subsidies(b, year, expenses * 50 // 100)
        interest = livret * 24 // 1000  # 2.4 % a year
        livret += interest
        b.tx(
            datetime.date(year, 12, 31),
            "Crédit Coopératif",
            f"Intérêts du livret {year}",
            [(b.livret, interest), (accounts("768"), -interest)],
        )
        volume = expenses * 30 // 130
        income = expenses * 103 // 100 - expenses * 50 // 100
        budget = _Budget(
            fournisseur=volume * 55 // 100,
            carte=volume * 25 // 100,
            aide=volume * 15 // 100,
            caisse=volume * 5 // 100,
            usager=income * 70 // 100,
            don=income * 22 // 100,
            vente=income * 4 // 100,
        )
        fixed = len(b.txs) - before
        opening = 1 if index == 0 else 0
        _volume(b, year, target - fixed - DEPOSITS_PER_YEAR - opening, budget)
        for person in team:
            person.gross = person.gross * 102 // 100  # yearly raise
    _deposits(b, datetime.date(FIRST_YEAR, 1, 1))
    _opening(b, first_charges)
    return _adjust(b, transactions, year_list), b, exercices


def _opening(b: _Builder, yearly_charges: int) -> None:
    acc = b.accounts
    bank = yearly_charges // 4 // 100 * 100  # three months of charges
    livret, cash = LIVRET_OPENING, CASH_FLOAT
    reserves = 2_000_000
    b.tx(
        datetime.date(FIRST_YEAR, 1, 1),
        "Reprise des soldes",
        "Soldes d'ouverture au 1er janvier",
        [
            (b.bank, bank),
            (b.livret, livret),
            (b.caisse, cash),
            (acc("102"), -reserves),
            (acc("110"), -(bank + livret + cash - reserves)),
        ],
        order=-1,
    )


def _balances(b: _Builder, txs: list[_Tx]) -> list[tuple[datetime.date, str]]:
    """A bank ``balance`` on the first of each month after the first (start of day)."""
    result = []
    running = 0
    index = 0
    month = datetime.date(FIRST_YEAR, 2, 1)
    while month <= b.end:
        while index < len(txs) and txs[index].date < month:
            running += txs[index].bank
            index += 1
        text = f"{month.isoformat()} balance {b.bank.ljust(b.width)} {_amount(running):>12} EUR"
        result.append((month, text))
        month = month_end(month) + ONE_DAY
    return result


def _config(text: str) -> str:
    marker = "projets: []"
    head, found, _tail = text.partition(marker)
    if not found:
        raise RuntimeError("modèle communs.yaml inattendu : « projets: [] » absent")
    lines = ["projets:"]
    for code, nom in PROJETS:
        lines += [f"  - code: {code}", f"    nom: {nom}"]
    return head + "\n".join(lines) + "\n"


def render_ledger(
    transactions: int, seed: int = 2024, *, years: int | None = None
) -> dict[str, str]:
    """The files of the generated ledger, by relative path (nothing written).

    ``years``: number of exercices (by default one per 4 000 transactions, at most 6).
    """
    if transactions < 1:
        raise ValueError("le nombre d'écritures doit être au moins 1")
    if years is not None and not 1 <= years <= transactions:
        raise ValueError("le nombre d'exercices doit être entre 1 et le nombre d'écritures")
    txs, b, exercices = _generate(transactions, seed, years)
    first = render_files(ASSOCIATION, exercices[0], "01-01")
    main = first["main.beancount"]
    main += "".join(f'include "{e.code}.beancount"\n' for e in exercices[1:])
    opening = exercices[0].debut.isoformat()
    comptes = first["comptes.beancount"].rstrip("\n") + "\n\n; Fournisseurs\n"
    comptes += "".join(f"{opening} open {name}\n" for name in b.suppliers)
    files = {
        "main.beancount": main,
        "comptes.beancount": comptes,
        "communs.yaml": _config(first["communs.yaml"]),
        ".gitignore": first[".gitignore"],
    }
    by_year: dict[int, list[tuple[tuple[datetime.date, int], str]]] = {
        exercice.debut.year: [] for exercice in exercices
    }
    for tx in txs:
        by_year[tx.date.year].append(((tx.date, tx.order), tx.text))
    for day, text in _balances(b, txs):
        by_year[day.year].append(((day, -2), text))
    for exercice in exercices:
        header = render_files(ASSOCIATION, exercice, "01-01")[f"{exercice.code}.beancount"]
        items = sorted(by_year[exercice.debut.year], key=lambda item: item[0])
        body = "\n\n".join(text for _key, text in items)
        files[f"{exercice.code}.beancount"] = header.rstrip("\n") + "\n\n" + body + "\n"
    files["communs.yaml"] += _budget_config(exercices)
    files.update(_budget_files(txs, exercices, seed))
    return files


# --- Budgets ---------------------------------------------------------------------------------

# Accounts with a budget line of their own (the rest of their chapter has a chapter line).
_BUDGET_ACCOUNTS = ("6132", "616", "6411", "706", "741", "756")
_BUDGET_PROFILES = {
    "616": "dates",  # the insurance premium, paid in January
    "756": "{saisonnier: [16, 10, 8, 8, 8, 6, 4, 4, 16, 10, 6, 4]}",  # rentrée and January
}
_SUBSIDY_PROFILE = "{mois: [2, 3]}"  # project subsidies: notified in February or March


def _natural_cents(code: str, cents: int) -> int:
    """Charges (6, 86) count debits, produits (7, 87) credits: positive both ways."""
    return -cents if code[:1] == "7" or code[:2] == "87" else cents


def _actuals(txs: list[_Tx]) -> dict[int, dict[tuple[str, str | None], int]]:
    """Year → (code, project) → actual cents of classes 6, 7, 86 and 87."""
    codes: dict[str, str] = {}
    result: dict[int, dict[tuple[str, str | None], int]] = {}
    for tx in txs:
        by_key = result.setdefault(tx.date.year, {})
        for account, cents in tx.postings:
            code = codes.get(account)
            if code is None:
                code = codes[account] = account_code(account) or ""
            if code[:1] in ("6", "7") or code[:2] in ("86", "87"):
                key = (code, tx.projet)
                by_key[key] = by_key.get(key, 0) + _natural_cents(code, cents)
    return result


def _budget_keys(actuals: dict[tuple[str, str | None], int]) -> list[tuple[str, str | None]]:
    """Lines of a generated budget: one per chapter, a few accounts, and for every project
    the same codes, so that each posting of a project goes to a line of the project."""
    keys: set[tuple[str, str | None]] = set()
    for code, projet in actuals:
        codes = [code[:2], *(a for a in _BUDGET_ACCOUNTS if code.startswith(a))]
        keys.update((c, None) for c in codes)
        if projet is not None:
            keys.update((c, projet) for c in codes)
    return sorted(keys, key=lambda key: (key[0], key[1] or ""))


def _budget_amounts(
    actuals: dict[tuple[str, str | None], int], keys: list[tuple[str, str | None]]
) -> dict[tuple[str, str | None], int]:
    """Actual cents of each budget line, attached as the budget vs réalisé attaches them."""

    index = Index(LigneBudget(c, _ZERO_EUR, p, None, None, (), Location("")) for c, p in keys)
    amounts: dict[tuple[str, str | None], int] = dict.fromkeys(keys, 0)
    for (code, projet), cents in actuals.items():
        key = index.ligne(code, projet)
        if key is not None:
            amounts[key] += cents
    return amounts


def _budget_euros(rng: random.Random, code: str, cents: int, low: float, high: float) -> int:
    """A budget of ``cents`` ± a few %: charges rounded up, produits down (whole euros)."""
    value = cents * (low + (high - low) * rng.random()) / 100
    return math.ceil(value) if _natural_cents(code, 1) > 0 else math.floor(value)


def _budget_line(code: str, projet: str | None, euros: int, year: int, comment: str = "") -> str:
    lines = [f'      - compte: "{code}"']
    if projet is not None:
        lines.append(f"        projet: {projet}")
    lines.append(f"        montant: {euros}")
    profile = _BUDGET_PROFILES.get(code)
    if profile == "dates":
        profile = f"{{dates: {{{year}-01-15: {euros}}}}}"
    elif code == "741" and projet is not None:
        profile = _SUBSIDY_PROFILE
    if profile:
        lines.append(f"        profil: {profile}")
    if comment:
        lines.append(f"        commentaire: {comment}")
    return "\n".join(lines)


def _budget_text(
    year: int, amounts: dict[tuple[str, str | None], int], seed: int, revise: bool
) -> str:
    rng = random.Random(f"budget-{seed}-{year}")  # apart from the ledger's own draws
    vote: list[str] = []
    emplois: dict[str | None, int] = {}  # 86 by project: 87 budgets the same (Σ86 = Σ87)
    for (code, projet), cents in amounts.items():
        if code == "87" and projet in emplois:
            euros = emplois[projet]
        elif _natural_cents(code, 1) > 0:
            euros = _budget_euros(rng, code, cents, 0.95, 1.10)
        else:
            euros = _budget_euros(rng, code, cents, 0.90, 1.05)
        if code == "86":
            emplois[projet] = euros
        if euros > 0:
            vote.append(_budget_line(code, projet, euros, year))
    text = (
        f"# Budget prévisionnel {year} — {ASSOCIATION}.\n"
        "# Montants annuels en euros, répartis par mois selon le profil de chaque ligne.\n"
        "versions:\n"
        "  - code: vote\n"
        "    nom: Budget voté en assemblée générale\n"
        f"    date: {year - 1}-12-12\n"
        "    lignes:" + ("\n" + "\n".join(vote) if vote else " []") + "\n"
    )
    if not revise:
        return text
    revised = []
    salaries = amounts.get(("6411", None), 0)
    if salaries > 0:
        euros = _budget_euros(rng, "6411", salaries, 1.00, 1.02)
        revised.append(_budget_line("6411", None, euros, year, "ajusté sur la masse salariale"))
    subsidies = sorted(k for k in amounts if k[0] == "741" and k[1] is not None)
    if subsidies and amounts[subsidies[0]] > 0:
        code, projet = subsidies[0]
        euros = _budget_euros(rng, code, amounts[subsidies[0]], 0.98, 1.00)
        revised.append(_budget_line(code, projet, euros, year, "montant notifié"))
    return text + (
        "  - code: revise\n"
        "    nom: Budget révisé en juin\n"
        f"    date: {year}-06-20\n"
        "    base: vote\n"
        "    lignes:" + ("\n" + "\n".join(revised) if revised else " []") + "\n"
    )


def _budget_files(txs: list[_Tx], exercices: list[Exercice], seed: int) -> dict[str, str]:
    """``budgets/<year>.yaml`` for every exercice: a voted version, revised in the last one."""
    actuals = _actuals(txs)
    files = {}
    for exercice in exercices:
        year = exercice.debut.year
        by_key = actuals.get(year, {})
        amounts = _budget_amounts(by_key, _budget_keys(by_key))
        revise = exercice == exercices[-1]
        files[f"budgets/{exercice.code}.yaml"] = _budget_text(year, amounts, seed, revise)
    return files


def _budget_config(exercices: list[Exercice]) -> str:
    lines = [
        "",
        "# Budgets prévisionnels, un fichier par exercice (budget vs réalisé : communs budget).",
        "budget:",
        "  fichiers:",
    ]
    lines += [f'    "{e.code}": budgets/{e.code}.yaml' for e in exercices]
    return "\n".join(lines) + "\n"


def generate_ledger(
    folder: Path, transactions: int, seed: int = 2024, *, years: int | None = None
) -> GeneratedLedger:
    """Write a generated ledger of exactly ``transactions`` transactions into ``folder``.

    No file is replaced: if one of the files exists, :class:`FichierExistant`
    is raised before anything is written.
    """
    folder = Path(folder)
    files = render_ledger(transactions, seed, years=years)
    for relative in files:
        if (folder / relative).exists():
            raise FichierExistant(folder / relative)
    for relative, text in files.items():
        write_new(folder / relative, text)
    return GeneratedLedger(folder / "main.beancount", transactions)
