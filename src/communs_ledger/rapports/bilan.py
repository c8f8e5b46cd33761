"""The bilan in the associative model (règlement ANC 2018-06).

Balance-sheet accounts (classes 1 to 5) are placed on the lines of
``plan_comptable/bilan.yaml`` by the longest prefix of their code; an account
that can sit on either side goes where its balance puts it, account by
account (a 512 in overdraft is a dette, a creditor 411 is a dette). The
result of the exercice is computed from classes 6 and 7 (before closing
entries exist), and the results of earlier exercices not yet assigned are
shown as report à nouveau. Each column uses the chart version of its own
exercice, so the N-1 column equals the previous bilan's N column.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ..codes import parse_account
from ..exercices import Exercice, french_date
from ..montants import ZERO
from ..plan import RESULT_LINE
from .entete import avertissements_devises
from .modeles import LigneModele, ModeleBilan, modele_bilan
from .objets import Colonne, Ligne, Partie, Rapport, Style, cellules, rapport_de
from .periode import ColonnesNEtN1
from .resultat import is_result_code
from .source import Source

CARRIED_LINE = "report_a_nouveau"


@dataclass
class Placement:
    """Amounts of one date: by line, gross / amortissements (actif) or net (passif)."""

    brut: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    amortissements: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    passif: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    comptes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    detail: dict[str, dict[str, Decimal]] = field(default_factory=lambda: defaultdict(dict))
    """Per line, the signed contribution of each account (for drill-down and diagnostics)."""
    hors_modele: set[str] = field(default_factory=set)
    resultat: Decimal = ZERO
    resultats_anterieurs: Decimal = ZERO

    def net(self, line_id: str) -> Decimal:
        return self.brut.get(line_id, ZERO) - self.amortissements.get(line_id, ZERO)


def placer(
    source: Source, exercice: Exercice, date: datetime.date, modele: ModeleBilan | None = None
) -> Placement:
    """Place every balance-sheet account at ``date`` on the bilan lines."""
    modele = modele or modele_bilan(exercice.version)
    before = source.mouvements.totaux(None, exercice.debut - datetime.timedelta(1))
    during = source.mouvements.totaux(exercice.debut, date)
    return placer_soldes(modele, before, during)


def placer_soldes(
    modele: ModeleBilan, before: Mapping[str, Decimal], during: Mapping[str, Decimal]
) -> Placement:
    """Place account balances on the bilan lines: ``before`` the exercice (earlier
    results go to the report à nouveau) and ``during`` it."""
    placement = Placement()
    for account in sorted(before.keys() | during.keys()):
        code = parse_account(account).code
        earlier = before.get(account, ZERO)
        current = during.get(account, ZERO)
        if is_result_code(code):
            placement.resultats_anterieurs -= earlier
            placement.resultat -= current
            continue
        if code is None or code[:1] not in "12345":
            continue  # 86/87 net to zero; uncoded accounts are reported by the checks
        balance = earlier + current
        spot = modele.placer(code, balance)
        if spot is None:
            continue
        line_id, side, amortissement = spot
        if modele.is_fallback(code):
            placement.hors_modele.add(account)
        if side == "actif":
            if amortissement:
                placement.amortissements[line_id] += -balance
            else:
                placement.brut[line_id] += balance
            placement.detail[line_id][account] = balance
        else:
            placement.passif[line_id] += -balance
            placement.detail[line_id][account] = -balance
        placement.comptes[line_id].add(account)
    placement.passif[RESULT_LINE] += placement.resultat
    placement.passif[CARRIED_LINE] += placement.resultats_anterieurs
    return placement


def _passif_value(line: LigneModele, placement: Placement) -> Decimal:
    total = placement.passif.get(line.id, ZERO)
    for sub in line.sous_lignes:
        total += _passif_value(sub, placement)
    return total


def _actif_rows(modele: ModeleBilan, n: Placement, n1: Placement | None) -> list[Ligne]:
    rows: list[Ligne] = []
    grand = {"brut": ZERO, "amortissements": ZERO, "net": ZERO, "n1": ZERO}
    for bloc in modele.actif:
        rows.append(Ligne(libelle=bloc.libelle, id=bloc.id, style=Style.TITRE))
        bloc_sum = {"brut": ZERO, "amortissements": ZERO, "net": ZERO, "n1": ZERO}
        for rubrique in bloc.rubriques:
            if rubrique.libelle and not (
                len(rubrique.lignes) == 1 and rubrique.lignes[0].libelle == rubrique.libelle
            ):
                rows.append(Ligne(libelle=rubrique.libelle, style=Style.TITRE, niveau=1))
                niveau = 2
            else:
                niveau = 1
            for line in rubrique.lignes:
                brut = n.brut.get(line.id, ZERO)
                amort = n.amortissements.get(line.id, ZERO)
                values = {"brut": brut, "amortissements": amort, "net": brut - amort}
                if n1 is not None:
                    values["n1"] = n1.net(line.id)
                for key, value in values.items():
                    bloc_sum[key] += value
                rows.append(_ligne(line, values, niveau, n))
        rows.append(_total(f"Total {bloc.libelle.lower()}", bloc_sum, n1, bloc.total_id))
        for key in grand:
            grand[key] += bloc_sum[key]
    rows.append(_total("Total de l'actif", grand, n1, "total_actif", Style.TOTAL))
    return rows


def _ligne(
    line: LigneModele,
    values: dict[str, Decimal],
    niveau: int,
    n: Placement,
    style: Style = Style.NORMAL,
) -> Ligne:
    """The row of a line of the layout: its amounts by column, its accounts in column N."""
    return Ligne(
        libelle=line.libelle,
        valeurs=cellules(values),
        id=line.id,
        niveau=niveau,
        style=style,
        comptes=tuple(sorted(n.comptes.get(line.id, ()))),
    )


def _total(
    libelle: str,
    sums: dict[str, Decimal],
    n1: Placement | None,
    id: str,
    style: Style = Style.SOUS_TOTAL,
) -> Ligne:
    """A total row of ``sums`` by column (N-1 only when the bilan has that column)."""
    values = {k: v for k, v in sums.items() if n1 is not None or k != "n1"}
    return Ligne(libelle=libelle, valeurs=cellules(values), id=id, style=style)


def _passif_rows(modele: ModeleBilan, n: Placement, n1: Placement | None) -> list[Ligne]:
    rows: list[Ligne] = []
    grand = {"n": ZERO, "n1": ZERO}

    def add_line(line: LigneModele, niveau: int, bloc_sum: dict[str, Decimal] | None) -> None:
        values = {"n": _passif_value(line, n)}
        if n1 is not None:
            values["n1"] = _passif_value(line, n1)
        style = Style.SOUS_TOTAL if line.sous_lignes else Style.NORMAL
        rows.append(_ligne(line, values, niveau, n, style))
        if bloc_sum is not None:
            for column, value in values.items():
                bloc_sum[column] += value
        for sub in line.sous_lignes:
            add_line(sub, niveau + 1, None)

    for bloc in modele.passif:
        rows.append(Ligne(libelle=bloc.libelle, id=bloc.id, style=Style.TITRE))
        bloc_sum = {"n": ZERO, "n1": ZERO}
        for rubrique in bloc.rubriques:
            for line in rubrique.lignes:
                add_line(line, 1, bloc_sum)
        rows.append(_total(f"Total {bloc.libelle.lower()}", bloc_sum, n1, bloc.total_id))
        for key in grand:
            grand[key] += bloc_sum[key]
    rows.append(_total("Total du passif", grand, n1, "total_passif", Style.TOTAL))
    return rows


def _valeurs_du_bilan(modele: ModeleBilan, placement: Placement) -> dict[str, Decimal]:
    """The net amount of every line, block total and grand total of ``modele`` for one
    placement (actif lines net of amortissements), then ``resultat``, ``fonds_dedies``
    and ``disponibilites``."""
    values: dict[str, Decimal] = {}
    total_actif = ZERO
    for bloc in modele.actif:
        bloc_total = ZERO
        for rubrique in bloc.rubriques:
            for line in rubrique.lignes:
                values[line.id] = placement.net(line.id)
                bloc_total += values[line.id]
        values[bloc.total_id] = bloc_total
        total_actif += bloc_total
    values["total_actif"] = total_actif
    total_passif = ZERO
    for bloc in modele.passif:
        bloc_total = ZERO
        for rubrique in bloc.rubriques:
            for top in rubrique.lignes:
                for line in top.walk():
                    values[line.id] = _passif_value(line, placement)
                bloc_total += values[top.id]
        values[bloc.total_id] = bloc_total
        total_passif += bloc_total
    values["total_passif"] = total_passif
    values["resultat"] = placement.resultat
    values["fonds_dedies"] = values.get("fonds_dedies", ZERO)
    values["disponibilites"] = values.get("disponibilites", ZERO)
    return values


@dataclass(frozen=True, slots=True)
class BilanALaDate:
    """The figures of one column of the bilan (N or N-1)."""

    exercice: Exercice
    date: datetime.date
    placement: Placement
    """The accounts placed on the lines (gross, amortissements, passif, by account)."""
    valeurs: Mapping[str, Decimal]
    """Net amount of every line, block total (``fonds_propres``, ``dettes``…) and grand
    total; N-1 in the layout of N."""

    @property
    def fin(self) -> datetime.date:
        """The date of the bilan (the end of the period it closes)."""
        return self.date

    def montant(self, id_: str) -> Decimal:
        """The net amount of a line or total of the layout (zero if absent)."""
        return self.valeurs.get(id_, ZERO)

    @property
    def total_actif(self) -> Decimal:
        return self.montant("total_actif")

    @property
    def total_passif(self) -> Decimal:
        return self.montant("total_passif")

    @property
    def resultat_net(self) -> Decimal:
        """The result of the exercice (classes 6 and 7) at the date."""
        return self.placement.resultat

    @property
    def resultats_anterieurs(self) -> Decimal:
        return self.placement.resultats_anterieurs

    @property
    def fonds_propres(self) -> Decimal:
        return self.montant("fonds_propres")

    @property
    def fonds_dedies(self) -> Decimal:
        return self.montant("fonds_dedies")

    @property
    def disponibilites(self) -> Decimal:
        return self.montant("disponibilites")


def bilan_des_soldes(
    exercice: Exercice, date: datetime.date, modele: ModeleBilan, soldes: Mapping[str, Decimal]
) -> BilanALaDate:
    """A column of the bilan made of given account balances (the opening entries of a
    ledger's first exercice)."""
    placement = placer_soldes(modele, {}, soldes)
    return BilanALaDate(exercice, date, placement, _valeurs_du_bilan(modele, placement))


@dataclass(frozen=True, slots=True)
class BilanDeLExercice(ColonnesNEtN1[BilanALaDate]):
    """The bilan of an exercice at a date (and N-1 at its closing): typed figures."""

    modele: ModeleBilan
    n: BilanALaDate
    n1: BilanALaDate | None

    @property
    def date(self) -> datetime.date:
        return self.n.date

    @property
    def colonnes(self) -> dict[str, BilanALaDate]:
        """The columns by id: ``n`` and, when there is one, ``n1``."""
        return self.par_colonne()


def compute_bilan(
    source: Source,
    exercice: Exercice,
    *,
    au: datetime.date | None = None,
    n1: bool = True,
) -> BilanDeLExercice:
    """The figures of the bilan of ``exercice`` at its closing date (or at ``au``; the
    exercice containing ``au`` when it is outside ``exercice``)."""
    date = au or exercice.fin
    if not exercice.contains(date):
        exercice = source.context.calendrier.containing(date)
    previous = source.precedent(exercice) if n1 else None
    modele = modele_bilan(exercice.version, previous.version if previous else None)
    n_placement = placer(source, exercice, date, modele)
    column_n = BilanALaDate(exercice, date, n_placement, _valeurs_du_bilan(modele, n_placement))
    column_n1 = None
    if previous is not None:
        placement = placer(source, previous, previous.fin, modele_bilan(previous.version))
        column_n1 = BilanALaDate(
            previous, previous.fin, placement, _valeurs_du_bilan(modele, placement)
        )
    return BilanDeLExercice(modele, column_n, column_n1)


def build_rapport_bilan(resultat: BilanDeLExercice, source: Source) -> Rapport:
    """The :class:`Rapport` of a bilan: actif and passif tables, notes and warnings."""
    modele, exercice, date = resultat.modele, resultat.exercice, resultat.date
    n_placement = resultat.n.placement
    n1_placement = resultat.n1.placement if resultat.n1 is not None else None
    label_n = f"Au {date.strftime('%d/%m/%Y')}"
    actif_cols = [
        Colonne("brut", "Brut"),
        Colonne("amortissements", "Amortissements et dépréciations"),
        Colonne("net", f"Net {label_n.lower()}"),
    ]
    passif_cols = [Colonne("n", label_n)]
    if resultat.n1 is not None:
        label_n1 = f"Au {resultat.n1.date.strftime('%d/%m/%Y')}"
        actif_cols.append(Colonne("n1", f"Net {label_n1.lower()}"))
        passif_cols.append(Colonne("n1", label_n1))
    actif = Partie("actif", "Actif", actif_cols, _actif_rows(modele, n_placement, n1_placement))
    passif = Partie(
        "passif", "Passif", passif_cols, _passif_rows(modele, n_placement, n1_placement)
    )
    notes = [
        "Comptes à solde variable (banques, subventions à recevoir, comptes de tiers) "
        "présentés à l'actif s'ils sont débiteurs et au passif s'ils sont créditeurs, "
        "compte par compte."
    ]
    if n_placement.resultats_anterieurs:
        notes.append(
            "Report à nouveau : comprend les résultats des exercices antérieurs non encore "
            "affectés (calculés à partir des classes 6 et 7)."
        )
    warnings = []
    if n_placement.hors_modele:
        warnings.append(
            "Comptes hors modèle présentés en autres créances ou autres dettes : "
            + ", ".join(sorted(n_placement.hors_modele))
        )
    warnings.extend(avertissements_devises(source))
    sous_titre = f"{exercice.libelle[0].upper()}{exercice.libelle[1:]}"
    if date != exercice.fin:
        sous_titre += f", situation au {french_date(date)}"
    return Rapport(
        id="bilan",
        titre="Bilan",
        association=source.association,
        parties=[actif, passif],
        sous_titre=sous_titre,
        exercice=exercice.code,
        periode=(exercice.debut, date),
        totaux={col: dict(c.valeurs) for col, c in resultat.colonnes.items()},
        notes=notes,
        avertissements=warnings,
        meta={"plan": exercice.version, "au": date.isoformat()},
    )


bilan = rapport_de(
    compute_bilan,
    build_rapport_bilan,
    """Build the bilan of ``exercice`` at its closing date (or at ``au``)
    (:func:`compute_bilan`, then :func:`build_rapport_bilan`).""",
)
