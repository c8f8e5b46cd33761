"""Fonds dédiés: the part of a dedicated resource not used at closing, and its later use.

Règlement ANC 2018-06, art. 132-1 to 132-4: when a funder earmarks a resource
(subvention d'exploitation, contribution financière of another organisation,
resource from the générosité du public) to a defined project, the part not yet
used at closing is carried to a liability, *fonds dédiés* (19x), by a charge,
*reports en fonds dédiés* (689x); in the following exercices, as the project is
carried out, the fonds are taken back to income, *utilisations des fonds
dédiés* (789x). Only conventions marked ``dediee: true`` are concerned: an
operating subsidy, or a project the board earmarks itself, gives no fonds dédiés.

For one dedicated convention and one exercice E, with amounts attached to the
convention (:meth:`~communs_ledger.conventions.fichier.Conventions.reference_de`):

- ``ouverture``: balance of its fonds dédiés (19x) at the opening of E, as
  booked in the ledger (what the bilan of E−1 shows);
- ``ressource``: its resource recognised in E (net credits of its income
  accounts; 789x excluded);
- ``emploi``: what was spent on it in E
  (:func:`communs_ledger.conventions.emploi.emplois`: its eligible charges,
  tagged with it or of its project), less any 689x and 86x amount. The
  indirect costs the clés de répartition allocate to the project count only
  for a convention that pays them (``frais_indirects: true``): the same choice
  as the subsidies follow-up, the compte-rendu and the closing.
  ``repartition`` True or False overrides it (``--avec-repartition``). By
  default (no ``frais_indirects``), direct charges only — prudence: counting
  allocated overheads releases dedicated resources sooner (a smaller 689x, a
  larger result) on the strength of an allocation the funder may refuse;
- ``utilisation`` = min(ouverture, emploi): the fonds carried from earlier
  exercices are used first (19x → 789x);
- ``report`` = max(0, ressource − (emploi − utilisation)): the unspent part of
  the resource of E (689x → 19x). It is never negative: charges above the
  dedicated resources (``depassement``) are financed by the association's
  other resources; a negative fonds dédié would be an asset the funder never
  granted;
- ``cloture`` = ouverture − utilisation + report: the fonds dédiés at closing.

The account numbers of each family of resources are data
(``plan_comptable/fonds_dedies.yaml``); the family of a convention follows its
income account (``compte``, 74 by default).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..codes import parse_account
from ..conventions.emploi import emplois
from ..conventions.fichier import Conventions, charger_conventions
from ..conventions.reglages import conventions_file
from ..exercices import Exercice, french_date
from ..formatage import montant
from ..montants import ZERO
from ..plan import Famille, famille_de, familles
from ..rapports.source import RapportImpossible, Source
from ..sources import Location, display_path

CONTRIBUTIONS = ("86", "87")


@dataclass(frozen=True)
class FondsDedie:
    """The fonds dédiés of one convention for one exercice (see the module docstring)."""

    reference: str
    objet: str
    projets: tuple[str, ...]
    famille: Famille
    ouverture: Decimal
    ressource: Decimal
    emploi: Decimal
    utilisation: Decimal
    report: Decimal
    depassement: Decimal
    utilisation_passee: Decimal
    """Utilisation (789x) already booked in the exercice."""
    report_passe: Decimal
    """Report (689x) already booked in the exercice."""
    fin: datetime.date | None = None
    """Last day of the convention."""
    lieu: Location | None = None
    """Where the convention is written (its file and line)."""

    @property
    def cloture(self) -> Decimal:
        return self.ouverture - self.utilisation + self.report

    @property
    def utilisation_a_passer(self) -> Decimal:
        return self.utilisation - self.utilisation_passee

    @property
    def report_a_passer(self) -> Decimal:
        return self.report - self.report_passe

    @property
    def a_jour(self) -> bool:
        """The booked entries equal the computed ones."""
        return not self.utilisation_a_passer and not self.report_a_passer

    @property
    def concerne(self) -> bool:
        """Something to show: fonds, resource, use or booked entries."""
        return any(
            (
                self.ouverture,
                self.ressource,
                self.utilisation,
                self.report,
                self.utilisation_passee,
                self.report_passe,
            )
        )


def mouvements_de_fonds(
    ouverture: Decimal, ressource: Decimal, emploi: Decimal
) -> tuple[Decimal, Decimal, Decimal]:
    """(utilisation, report, non couvert) of one convention for one exercice.

    The fonds carried from earlier exercices are used first, up to the emploi; the
    rest of the emploi is covered by the resource of the exercice, whose unspent part
    is reported; what neither covers is financed by the association. None is negative.
    """
    utilisation = min(ouverture, emploi) if ouverture > 0 and emploi > 0 else ZERO
    reste = emploi - utilisation
    report = max(ZERO, ressource - reste)
    return utilisation, report, max(ZERO, reste - max(ressource, ZERO))


def conventions_du_livre(source: Source) -> Conventions:
    """The conventions declared in the config; RapportImpossible if none or invalid."""
    context = source.context
    named = conventions_file(context.config)
    if not named:
        raise RapportImpossible(
            "aucun fichier de conventions : déclarez-le dans communs.yaml "
            "(conventions: conventions.yaml). Les fonds dédiés se calculent par convention "
            "dédiée (dediee: true : ressource affectée par le financeur à un projet défini) ; "
            "sans convention, la commande ne peut savoir si une subvention ou un don est "
            "affecté. Une association dont les subventions sont de fonctionnement n'a pas "
            "de fonds dédiés : rien à calculer, le bilan et l'annexe n'en portent pas"
        )
    folder = context.config.path.parent if context.config.path else context.ledger.parent
    path = folder / named
    if not path.exists():
        raise RapportImpossible(f"fichier des conventions introuvable : {path}")
    conventions, errors = charger_conventions(path, context)
    if conventions is None:
        details = "\n".join(str(error) for error in errors[:10])
        raise RapportImpossible(f"le fichier des conventions a des erreurs :\n{details}")
    return conventions


def _code_of(mouvement: Any) -> str:
    return mouvement.code or ""


def _excluded(account: str) -> bool:
    """Amounts of an emploi that are not spending: fonds dédiés reports and 86/87."""
    code = account if account.isdigit() else (parse_account(account).code or "")
    return code.startswith(CONTRIBUTIONS) or any(
        code.startswith(famille.report) for famille in familles()
    )


def emploi_net(emploi: Any) -> Decimal:
    """An :class:`~communs_ledger.conventions.emploi.Emploi` less 689x and 86/87 amounts."""
    excluded = sum(
        (amount for account, amount in emploi.par_compte.items() if _excluded(account)), ZERO
    )
    total: Decimal = emploi.total
    return total - excluded


BILAN = ("1", "2", "3", "4", "5")
A_NOUVEAU = ("11", "12")


def _a_nouveau(mouvement: Any, debut: datetime.date) -> bool:
    """A movement of the ledger's own opening entry (a reprise of the bilan): dated on
    the first day of the exercice, on balance-sheet accounts only, one of them a report
    à nouveau or a résultat (the rule of the FEC's ``AN`` journal), or written by
    ``communs ouverture`` (metadata ``reprise:``; a young association's opening may have
    no report à nouveau). Its 19x lines are the fonds dédiés at the opening."""
    if mouvement.date != debut:
        return False
    codes = [parse_account(posting.account).code or "" for posting in mouvement.entry.postings]
    return all(code.startswith(BILAN) for code in codes) and (
        "reprise" in (mouvement.entry.meta or {})
        or any(code.startswith(A_NOUVEAU) for code in codes)
    )


def _booked(source: Source, conventions: Any, exercice: Exercice) -> dict[str, dict[str, Decimal]]:
    """Per convention: fonds at opening, 689x and 789x booked in the exercice."""
    result: dict[str, dict[str, Decimal]] = {}
    prefixes = [(f.fonds, f.report, f.utilisation) for f in familles()]
    veille = exercice.debut - datetime.timedelta(days=1)
    for period, mouvements in (
        ("avant", source.mouvements.entre(None, veille)),
        ("pendant", source.mouvements.entre(exercice.debut, exercice.fin)),
    ):
        for mouvement in mouvements:
            code = _code_of(mouvement)
            if not code.startswith(("19", "689", "789")):
                continue
            reference = conventions.reference_de(mouvement)
            if reference is None or reference not in conventions:
                continue
            sums = result.setdefault(
                reference, {"ouverture": ZERO, "report": ZERO, "utilisation": ZERO}
            )
            a_nouveau = period == "avant" or _a_nouveau(mouvement, exercice.debut)
            for fonds, report, utilisation in prefixes:
                if code.startswith(fonds):
                    if a_nouveau:
                        sums["ouverture"] -= mouvement.montant
                elif period == "pendant" and code.startswith(report):
                    sums["report"] += mouvement.montant
                elif period == "pendant" and code.startswith(utilisation):
                    sums["utilisation"] -= mouvement.montant
    return result


def sans_convention(source: Source, conventions: Any, exercice: Exercice) -> list[Any]:
    """Entries of the exercice moving fonds dédiés accounts (19x, 689x, 789x) that no
    known convention claims: they are left out of the computation."""
    found: dict[int, Any] = {}
    prefixes = tuple(code for f in familles() for code in (f.fonds, f.report, f.utilisation))
    for mouvement in source.mouvements.entre(exercice.debut, exercice.fin):
        if _code_of(mouvement).startswith(prefixes):
            reference = conventions.reference_de(mouvement)
            if reference is None or reference not in conventions:
                found.setdefault(id(mouvement.entry), mouvement.entry)
    return list(found.values())


def calculer(
    source: Source, conventions: Any, exercice: Exercice, repartition: bool | None = None
) -> list[FondsDedie]:
    """The fonds dédiés of every dedicated convention for ``exercice``, in file order.

    ``repartition``: None (default) counts the allocated indirect costs for the
    conventions with ``frais_indirects: true``; True or False overrides that choice.
    Conventions with nothing to show (no fonds, resource, use or entry) are left out.
    """
    dediees = [c for c in conventions if c.dediee]
    if not dediees:
        return []
    spent = emplois(source, conventions, exercice.debut, exercice.fin, repartition=repartition)
    suivis = conventions.suivi(source.mouvements.entre(exercice.debut, exercice.fin))
    booked = _booked(source, conventions, exercice)
    result = []
    for convention in dediees:
        famille = famille_de(convention.prefixe_produits)
        if famille is None:
            raise RapportImpossible(
                f"convention {convention.reference} ({convention.location}) : le compte de "
                f"produits {convention.prefixe_produits} n'est pas une ressource pouvant "
                "donner des fonds dédiés (74 subventions, 754 générosité du public, 755 "
                "contributions financières)"
            )
        sums = booked.get(convention.reference, {})
        ouverture = sums.get("ouverture", ZERO)
        ressource = suivis[convention.reference].reconnu
        emploi = emploi_net(spent[convention.reference]) if convention.reference in spent else ZERO
        utilisation, report, depassement = mouvements_de_fonds(ouverture, ressource, emploi)
        fonds = FondsDedie(
            reference=convention.reference,
            objet=convention.objet,
            projets=convention.projets,
            famille=famille,
            ouverture=ouverture,
            ressource=ressource,
            emploi=emploi,
            utilisation=utilisation,
            report=report,
            depassement=depassement,
            utilisation_passee=sums.get("utilisation", ZERO),
            report_passe=sums.get("report", ZERO),
            fin=convention.fin,
            lieu=convention.location,
        )
        if fonds.concerne:
            result.append(fonds)
    return result


def fonds_sans_emploi(fonds: list[FondsDedie], exercice: Exercice) -> list[str]:
    """Warnings (French, at the convention's ``fichier:ligne``) for the fonds dédiés left at
    the closing of an exercice after their convention ended (on or before the closing day):
    no later charge can use them, and whether they go back to the funder, are taken to
    income or are reassigned is the funder's decision, not the tool's."""
    found = []
    for item in fonds:
        if item.fin is None or item.fin > exercice.fin or item.cloture <= 0:
            continue
        where = f"{display_path(item.lieu.filename)}:{item.lieu.line}: " if item.lieu else ""
        found.append(
            f"{where}{item.reference} : action terminée le {french_date(item.fin)}, "
            f"{montant(item.cloture)} de fonds dédiés restent au passif à la clôture du "
            f"{french_date(exercice.fin)}, qu'aucune charge ne peut plus employer (les charges "
            "d'après la fin de la convention ne comptent pas) : à reverser au financeur, ou à "
            "reprendre en produit ou réaffecter avec son accord écrit, par une écriture passée "
            "à la main, et à expliquer dans l'annexe ; la commande ne le décide pas"
        )
    return found
