"""The subsidies follow-up (``communs subventions``): per convention, what was
granted, recognised, received, is still receivable, spent on the project and
left to spend; then the next instalments and compte-rendu deadlines.

Figures are cumulative from the start of the ledger to the *reference date*:
``au`` when given, else the date of the ledger's last entry (not the
computer's date: a report on the same ledger always says the same). A
deadline before that date is *overdue* (« en retard »):

- an instalment not fully received: payments received for the convention are
  applied to its instalments in the order of the échéancier (first expected,
  first paid); the unpaid rest of each is listed with its expected date;
- a compte-rendu not sent (``compte_rendu_remis`` not given in the file).

*Spent* is the convention's emploi (:mod:`communs_ledger.conventions.emploi`)
from its start to the reference date, direct charges and allocated indirect
costs; *left to spend* is granted − spent (negative: spent beyond the grant).

The conventions listed are those whose period overlaps the exercice, or that
are granted for it (``exercice:``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..analytique.cles import Cles
from ..exercices import Exercice
from ..montants import ZERO
from ..rapports.source import RapportImpossible, Source
from .emploi import emplois
from .fichier import Convention, Conventions

EN_RETARD = "en retard"
A_VENIR = "à venir"
REMIS = "remis"
A_JOUR = "à jour"


@dataclass(frozen=True, slots=True)
class EcheanceAVenir:
    """An instalment still expected, or a compte-rendu deadline."""

    reference: str
    nature: str  # "versement" | "compte_rendu"
    libelle: str
    date: datetime.date
    montant: Decimal | None
    etat: str  # EN_RETARD | A_VENIR | REMIS


@dataclass(frozen=True, slots=True)
class LigneSubvention:
    convention: Convention
    reconnu: Decimal
    recu: Decimal
    a_recevoir: Decimal
    depense: Decimal
    dont_reparti: Decimal
    echeances: tuple[EcheanceAVenir, ...]
    reverse: Decimal = ZERO
    """Repaid to the funder (« reversement ») up to the reference date."""

    @property
    def suivie(self) -> bool:
        """Its use is followed through spending: a project, or charges tagged with it. An
        operating subsidy (no project, nothing tagged) funds the whole association."""
        return bool(self.convention.projets) or self.depense != 0

    @property
    def reste(self) -> Decimal | None:
        """Granted − repaid − spent, never below zero (a project costing more than the
        subsidy is co-funded, not « negative »; a part repaid to the funder is no longer
        to spend); None when the use is not followed."""
        if not self.suivie:
            return None
        return max(ZERO, self.convention.montant - self.reverse - self.depense)

    @property
    def statut(self) -> str:
        late = [e for e in self.echeances if e.etat == EN_RETARD]
        if not late:
            return A_JOUR
        kinds = []
        if any(e.nature == "versement" for e in late):
            kinds.append("versement en retard")
        if any(e.nature == "compte_rendu" for e in late):
            kinds.append("compte rendu en retard")
        return ", ".join(kinds)


def echeances_restantes(
    convention: Convention, recu: Decimal, reference: datetime.date
) -> list[EcheanceAVenir]:
    """Instalments not fully received (payments applied in échéancier order), and the
    compte-rendu deadline, each marked late or to come at ``reference``. ``recu`` is what
    the funder paid (:attr:`SuiviConvention.verse`), before any repayment."""
    result = []
    left = recu
    for echeance in sorted(convention.echeancier(), key=lambda e: (e.date, e.rang)):
        paid = min(max(left, ZERO), echeance.montant)
        left -= paid
        due = echeance.montant - paid
        if due <= 0:
            continue
        etat = EN_RETARD if echeance.date < reference else A_VENIR
        result.append(
            EcheanceAVenir(
                convention.reference, "versement", echeance.libelle, echeance.date, due, etat
            )
        )
    if convention.compte_rendu_remis is not None:
        etat = REMIS
    else:
        etat = EN_RETARD if convention.compte_rendu < reference else A_VENIR
    result.append(
        EcheanceAVenir(
            convention.reference,
            "compte_rendu",
            "compte rendu financier",
            convention.compte_rendu,
            None,
            etat,
        )
    )
    return result


def conventions_de_l_exercice(conventions: Conventions, exercice: Exercice) -> list[Convention]:
    return [
        c
        for c in conventions
        if (c.debut <= exercice.fin and c.fin >= exercice.debut) or c.exercice == exercice.code
    ]


def suivi_des_subventions(
    source: Source,
    conventions: Conventions,
    exercice: Exercice,
    au: datetime.date | None = None,
    cles: Cles | None = None,
) -> list[LigneSubvention]:
    """The follow-up of the exercice's conventions at the reference date."""
    reference = au or source.mouvements.derniere_date or exercice.fin
    chosen = conventions_de_l_exercice(conventions, exercice)
    if not chosen:
        return []
    moves = source.mouvements.entre(None, reference)
    suivis = conventions.suivi(moves)
    debut = min(c.debut for c in chosen)
    used = emplois(source, conventions, debut, reference, cles=cles) if debut <= reference else {}
    lines = []
    for convention in chosen:
        followed = suivis[convention.reference]
        emploi = used.get(convention.reference)
        lines.append(
            LigneSubvention(
                convention=convention,
                reconnu=followed.reconnu,
                recu=followed.recu,
                a_recevoir=sum(followed.creances.values(), ZERO),
                depense=emploi.total if emploi else ZERO,
                dont_reparti=emploi.reparties if emploi else ZERO,
                echeances=tuple(echeances_restantes(convention, followed.verse, reference)),
                reverse=followed.reverse,
            )
        )
    return lines


def _somme(values: Iterable[Decimal | None]) -> Decimal:
    return sum((value for value in values if value is not None), ZERO)


@dataclass(frozen=True, slots=True)
class SuiviSubventions:
    """The follow-up of an exercice's conventions at a reference date, and its totals."""

    exercice: Exercice
    au: datetime.date
    """The reference date: ``au`` when given, else the date of the last entry."""
    au_demande: bool
    lignes: tuple[LigneSubvention, ...]
    anterieures: tuple[EcheanceAVenir, ...] = ()
    """Instalments and comptes rendus still due at ``au`` of conventions that ended before
    the exercice (not in its table): a compte rendu due in the exercice stays visible."""

    @property
    def total_accorde(self) -> Decimal:
        return _somme(line.convention.montant for line in self.lignes)

    @property
    def total_reconnu(self) -> Decimal:
        return _somme(line.reconnu for line in self.lignes)

    @property
    def total_recu(self) -> Decimal:
        return _somme(line.recu for line in self.lignes)

    @property
    def total_a_recevoir(self) -> Decimal:
        return _somme(line.a_recevoir for line in self.lignes)

    @property
    def total_depense(self) -> Decimal:
        """Spent, on the conventions whose use is followed (:attr:`LigneSubvention.suivie`)."""
        return _somme(line.depense for line in self.lignes if line.suivie)

    @property
    def total_reparti(self) -> Decimal:
        return _somme(line.dont_reparti for line in self.lignes if line.suivie)

    @property
    def total_reste_a_depenser(self) -> Decimal:
        return _somme(line.reste for line in self.lignes)

    @property
    def echeances(self) -> list[EcheanceAVenir]:
        """Instalments and comptes rendus still expected, by date (late ones first)."""
        own = (e for line in self.lignes for e in line.echeances if e.etat != REMIS)
        return sorted(
            (*own, *self.anterieures),
            key=lambda e: (e.date, e.reference, e.nature),
        )

    @property
    def en_retard(self) -> list[EcheanceAVenir]:
        return [e for e in self.echeances if e.etat == EN_RETARD]


def compute_subventions(
    source: Source,
    conventions: Conventions,
    exercice: Exercice,
    au: datetime.date | None = None,
    cles: Cles | None = None,
) -> SuiviSubventions:
    """The figures of ``communs subventions``: :func:`suivi_des_subventions` and totals."""
    if au is not None and au < exercice.debut:
        raise RapportImpossible(f"--au {au.isoformat()} précède le début de l'{exercice.libelle}")
    reference = au or source.mouvements.derniere_date or exercice.fin
    lines = suivi_des_subventions(source, conventions, exercice, au, cles)
    anterieures = echeances_anterieures(source, conventions, exercice, reference)
    return SuiviSubventions(exercice, reference, au is not None, tuple(lines), anterieures)


def echeances_anterieures(
    source: Source, conventions: Conventions, exercice: Exercice, reference: datetime.date
) -> tuple[EcheanceAVenir, ...]:
    """What conventions ended before ``exercice`` (and not granted for it) still expect at
    ``reference``: an instalment not paid, a compte rendu not sent."""
    chosen = {c.reference for c in conventions_de_l_exercice(conventions, exercice)}
    earlier = [c for c in conventions if c.reference not in chosen and c.fin < exercice.debut]
    if not earlier:
        return ()
    suivis = conventions.suivi(source.mouvements.entre(None, reference))
    return tuple(
        e
        for c in earlier
        for e in echeances_restantes(c, suivis[c.reference].verse, reference)
        if e.etat != REMIS
    )
