"""Tax receipts (« reçus au titre des dons à certains organismes d'intérêt général »,
CERFA 11580): which receipts to issue for an exercice, their numbers, the register of
receipts issued, and the yearly declaration figures.

Numbers: ``EXERCICE-NNNN``, NNNN continuing across exercices (the register keeps every
receipt ever issued, cancelled ones included). A receipt covers one gift (``par_don``,
key ``DATE/DONATEUR/RANG``) or all the gifts of a donor in the exercice (``annuel``, key
``EXERCICE/DONATEUR``; ``EXERCICE/DONATEUR/AAAA`` when the exercice straddles two calendar
years: the donor's tax reduction is for the calendar year of the payment, article 200 du
CGI, so one receipt never mixes two years). Running again issues receipts only for keys
without an active receipt; an active receipt whose gifts changed in the ledger is an error
(cancel it with ``communs recus annuler`` and a new one is issued with a new number).
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from ..formatage import montant
from ..montants import ZERO
from ..sources import Location, SourceError
from .collecte import Collecte, Don
from .registres import Fiche, RecuEmis, RecusEmis, RegistreDesTiers

ARTICLES = {"particulier": "article 200 du CGI", "entreprise": "article 238 bis du CGI"}


@dataclass(frozen=True, slots=True)
class Recu:
    """A receipt of the exercice: already issued or issued by this run (``nouveau``)."""

    numero: str
    exercice: str
    donateur: Fiche
    dons: tuple[Don, ...]
    cle: str
    emis: datetime.date
    nouveau: bool

    @property
    def montant(self) -> Decimal:
        return sum((don.montant for don in self.dons), ZERO)

    @property
    def article(self) -> str:
        return ARTICLES[self.donateur.type]


@dataclass(frozen=True, slots=True)
class RecusDeLExercice:
    recus: tuple[Recu, ...]
    registre: tuple[RecuEmis, ...]
    """The whole register after this run (what to write when there are new receipts)."""
    annules: tuple[RecuEmis, ...]
    """Cancelled receipts of the exercice."""
    noms: dict[str, str]
    """Donors' names by code."""
    types: dict[str, str]
    """Donors' kinds (particulier, entreprise) by code."""
    en_attente: tuple[tuple[datetime.date, str], ...] = ()
    """Yearly receipts of a July-June exercice not issued yet, their calendar year's part of
    the exercice not being over: (last day of that part, donor's code)."""

    @property
    def nouveaux(self) -> tuple[Recu, ...]:
        return tuple(recu for recu in self.recus if recu.nouveau)


def erreurs_des_donateurs(dons: tuple[Don, ...], donateurs: RegistreDesTiers) -> list[SourceError]:
    """A gift naming no donor of the register; a donor with gifts and no address."""
    errors: list[SourceError] = []
    sans_adresse: dict[str, Fiche] = {}
    for don in dons:
        fiche = donateurs.fiches.get(don.donateur)
        if fiche is None:
            where = "aucun registre des donateurs déclaré (dons.donateurs dans communs.yaml)"
            if donateurs.declare:
                where = "absent du registre des donateurs"
            errors.append(
                SourceError(don.location, f"donateur « {don.donateur} » inconnu : {where}")
            )
        elif not fiche.adresse:
            sans_adresse[fiche.code] = fiche
    for fiche in sans_adresse.values():
        errors.append(
            SourceError(
                fiche.location,
                f"donateur « {fiche.code} » ({fiche.nom}) : adresse manquante, obligatoire "
                "sur un reçu fiscal",
            )
        )
    return errors


def _groupes(
    dons: tuple[Don, ...], exercice: str, annuel: bool, calendaire: bool
) -> dict[str, list[Don]]:
    groupes: dict[str, list[Don]] = defaultdict(list)
    for don in sorted(dons, key=lambda d: (d.date, d.donateur, d.rang)):
        cle = don.cle
        if annuel:
            cle = f"{exercice}/{don.donateur}" + ("" if calendaire else f"/{don.date.year}")
        groupes[cle].append(don)
    return groupes


def _sequence(numero: str) -> int:
    found = re.search(r"(\d+)$", numero)
    return int(found.group(1)) if found else 0


def _modifie(emis: RecuEmis, ligne: Location, dons: list[Don] | None) -> SourceError | None:
    if dons is None:
        return SourceError(
            ligne,
            f"reçu {emis.numero} déjà émis ({montant(emis.montant)}, {emis.donateur}) : ses dons "
            "ne sont plus dans le grand livre ; annulez-le (communs recus annuler "
            f"{emis.numero}) si le don a été retiré",
        )
    total = sum((don.montant for don in dons), ZERO)
    if total == emis.montant:
        return None
    return SourceError(
        dons[-1].location,
        f"reçu {emis.numero} déjà émis pour {montant(emis.montant)} ({emis.donateur}) : le "
        f"grand livre dit maintenant {montant(total)} ; un reçu émis ne change pas : annulez-le "
        f"(communs recus annuler {emis.numero}) pour en émettre un nouveau",
    )


def preparer_recus(
    collecte: Collecte,
    donateurs: RegistreDesTiers,
    emis: RecusEmis,
    exercice: str,
    annuel: bool,
    aujourdhui: datetime.date,
    fin: datetime.date | None = None,
) -> tuple[RecusDeLExercice | None, list[SourceError]]:
    """The receipts of ``exercice``: those issued, and new ones for the gifts without one.
    With any error (unknown donor, no address, an issued receipt whose gifts changed),
    None and the errors: nothing may be issued. ``fin``: the last day of an exercice that
    straddles two calendar years (None for a calendar one); a yearly receipt is then split by
    calendar year, and issued once that year's part of the exercice is over."""
    calendaire = fin is None
    errors = [*collecte.erreurs, *erreurs_des_donateurs(collecte.dons, donateurs)]
    groupes = _groupes(collecte.dons, exercice, annuel, calendaire)
    actifs: dict[str, RecuEmis] = {}
    for recu, ligne in zip(emis.recus, emis.lignes, strict=True):
        if recu.exercice != exercice or recu.annule is not None:
            continue
        actifs[recu.cle] = recu
        probleme = _modifie(recu, ligne, groupes.get(recu.cle))
        if probleme is not None:
            errors.append(probleme)
    if errors:
        return None, sorted(errors, key=lambda e: (e.location.filename, e.location.line))
    suivant = max((_sequence(recu.numero) for recu in emis.recus), default=0) + 1
    recus: list[Recu] = []
    registre = list(emis.recus)
    en_attente: list[tuple[datetime.date, str]] = []
    for cle, dons in groupes.items():
        fiche = donateurs.fiches[dons[0].donateur]
        deja = actifs.get(cle)
        if deja is not None:
            recus.append(Recu(deja.numero, exercice, fiche, tuple(dons), cle, deja.emis, False))
            continue
        if annuel and fin is not None:
            fin_de_l_annee = min(fin, datetime.date(dons[0].date.year, 12, 31))
            if aujourdhui <= fin_de_l_annee:
                en_attente.append((fin_de_l_annee, fiche.code))
                continue
        nouveau = Recu(
            f"{exercice}-{suivant:04d}", exercice, fiche, tuple(dons), cle, aujourdhui, True
        )
        suivant += 1
        recus.append(nouveau)
        registre.append(
            RecuEmis(nouveau.numero, exercice, fiche.code, cle, nouveau.montant, aujourdhui)
        )
    recus.sort(key=lambda r: _sequence(r.numero))
    annules = tuple(r for r in emis.recus if r.exercice == exercice and r.annule is not None)
    noms = {code: fiche.nom for code, fiche in donateurs.fiches.items()}
    types = {code: fiche.type for code, fiche in donateurs.fiches.items()}
    plan = RecusDeLExercice(tuple(recus), tuple(registre), annules, noms, types, tuple(en_attente))
    return plan, []


def annuler_recu(
    emis: RecusEmis, numero: str, motif: str | None, aujourdhui: datetime.date
) -> list[RecuEmis]:
    """The register with receipt ``numero`` cancelled (kept, never renumbered). Raises
    ``ValueError`` (French) when it is unknown or already cancelled."""
    found = False
    result = []
    for recu in emis.recus:
        if recu.numero == numero:
            if recu.annule is not None:
                raise ValueError(f"le reçu {numero} est déjà annulé (le {recu.annule:%d/%m/%Y})")
            found = True
            recu = RecuEmis(
                recu.numero,
                recu.exercice,
                recu.donateur,
                recu.cle,
                recu.montant,
                recu.emis,
                aujourdhui,
                motif,
            )
        result.append(recu)
    if not found:
        raise ValueError(f"aucun reçu numéro {numero} dans le registre des reçus émis")
    return result


@dataclass(frozen=True, slots=True)
class LigneDeclaration:
    type: str
    nombre: int
    montant: Decimal


@dataclass(frozen=True, slots=True)
class Declaration:
    """Figures of the yearly declaration: receipts of the exercice (cancelled ones left
    out) and the amount of the gifts they cover, by kind of donor."""

    exercice: str
    lignes: tuple[LigneDeclaration, ...]
    annules: int
    dons_sans_recu: Decimal

    @property
    def nombre(self) -> int:
        return sum(ligne.nombre for ligne in self.lignes)

    @property
    def montant(self) -> Decimal:
        return sum((ligne.montant for ligne in self.lignes), ZERO)


def compute_declaration(recus: RecusDeLExercice, collecte: Collecte, exercice: str) -> Declaration:
    """The declaration figures of the receipts issued (not those only planned)."""
    par_type: dict[str, list[Recu]] = {"particulier": [], "entreprise": []}
    for recu in recus.recus:
        if not recu.nouveau:
            par_type[recu.donateur.type].append(recu)
    lignes = tuple(
        LigneDeclaration(genre, len(liste), sum((r.montant for r in liste), ZERO))
        for genre, liste in par_type.items()
    )
    couverts = sum((ligne.montant for ligne in lignes), ZERO)
    total = sum((don.montant for don in collecte.dons), ZERO) + collecte.dons_anonymes
    return Declaration(exercice, lignes, len(recus.annules), total - couverts)
