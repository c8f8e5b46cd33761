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
from dataclasses import dataclass, field
from decimal import Decimal

from ..codes import parse_account
from ..exercices import Exercice, french_date
from .entete import avertissements_devises
from .modeles import LigneModele, ModeleBilan, modele_bilan
from .mouvements import totaux_par_compte
from .objets import Colonne, Ligne, Partie, Rapport, Style
from .resultat import is_result_code
from .source import Source

ZERO = Decimal(0)
RESULT_LINE = "resultat_exercice"
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
    placement = Placement()
    before = totaux_par_compte(
        source.mouvements.entre(None, exercice.debut - datetime.timedelta(1))
    )
    during = totaux_par_compte(source.mouvements.entre(exercice.debut, date))
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


def _actif_rows(
    modele: ModeleBilan, n: Placement, n1: Placement | None, totals: dict[str, dict[str, Decimal]]
) -> list[Ligne]:
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
                rows.append(
                    Ligne(
                        libelle=line.libelle,
                        valeurs=dict(values),
                        id=line.id,
                        niveau=niveau,
                        comptes=tuple(sorted(n.comptes.get(line.id, ()))),
                    )
                )
                totals["n"][line.id] = values["net"]
                if n1 is not None:
                    totals["n1"][line.id] = values["n1"]
        values = {k: v for k, v in bloc_sum.items() if n1 is not None or k != "n1"}
        rows.append(
            Ligne(
                libelle=f"Total {bloc.libelle.lower()}",
                valeurs=dict(values),
                id=bloc.total_id,
                style=Style.SOUS_TOTAL,
            )
        )
        totals["n"][bloc.total_id] = bloc_sum["net"]
        if n1 is not None:
            totals["n1"][bloc.total_id] = bloc_sum["n1"]
        for key in grand:
            grand[key] += bloc_sum[key]
    values = {k: v for k, v in grand.items() if n1 is not None or k != "n1"}
    rows.append(
        Ligne(libelle="Total de l'actif", valeurs=dict(values), id="total_actif", style=Style.TOTAL)
    )
    totals["n"]["total_actif"] = grand["net"]
    if n1 is not None:
        totals["n1"]["total_actif"] = grand["n1"]
    return rows


def _passif_rows(
    modele: ModeleBilan, n: Placement, n1: Placement | None, totals: dict[str, dict[str, Decimal]]
) -> list[Ligne]:
    rows: list[Ligne] = []
    grand = {"n": ZERO, "n1": ZERO}

    def add_line(line: LigneModele, niveau: int, bloc_sum: dict[str, Decimal] | None) -> None:
        values = {"n": _passif_value(line, n)}
        if n1 is not None:
            values["n1"] = _passif_value(line, n1)
        rows.append(
            Ligne(
                libelle=line.libelle,
                valeurs=dict(values),
                id=line.id,
                niveau=niveau,
                style=Style.SOUS_TOTAL if line.sous_lignes else Style.NORMAL,
                comptes=tuple(sorted(n.comptes.get(line.id, ()))),
            )
        )
        for column, value in values.items():
            totals[column][line.id] = value
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
        values = {k: v for k, v in bloc_sum.items() if n1 is not None or k != "n1"}
        rows.append(
            Ligne(
                libelle=f"Total {bloc.libelle.lower()}",
                valeurs=dict(values),
                id=bloc.total_id,
                style=Style.SOUS_TOTAL,
            )
        )
        for column, value in values.items():
            totals[column][bloc.total_id] = value
            grand[column] += value
    values = {k: v for k, v in grand.items() if n1 is not None or k != "n1"}
    rows.append(
        Ligne(libelle="Total du passif", valeurs=dict(values), id="total_passif", style=Style.TOTAL)
    )
    for column, value in values.items():
        totals[column]["total_passif"] = value
    return rows


def bilan(
    source: Source,
    exercice: Exercice,
    *,
    au: datetime.date | None = None,
    n1: bool = True,
) -> Rapport:
    """Build the bilan of ``exercice`` at its closing date (or at ``au``)."""
    date = au or exercice.fin
    if not exercice.contains(date):
        exercice = source.context.calendrier.containing(date)
    modele = modele_bilan(exercice.version)
    n_placement = placer(source, exercice, date, modele)
    previous = source.precedent(exercice) if n1 else None
    n1_placement = None
    if previous is not None:
        n1_placement = placer(source, previous, previous.fin, modele_bilan(previous.version))

    totals: dict[str, dict[str, Decimal]] = {"n": {}}
    if n1_placement is not None:
        totals["n1"] = {}
    label_n = f"Au {date.strftime('%d/%m/%Y')}"
    label_n1 = f"Au {previous.fin.strftime('%d/%m/%Y')}" if previous else ""
    actif_cols = [
        Colonne("brut", "Brut"),
        Colonne("amortissements", "Amortissements et dépréciations"),
        Colonne("net", f"Net {label_n.lower()}"),
    ]
    passif_cols = [Colonne("n", label_n)]
    if previous is not None:
        actif_cols.append(Colonne("n1", f"Net {label_n1.lower()}"))
        passif_cols.append(Colonne("n1", label_n1))
    actif = Partie(
        "actif", "Actif", actif_cols, _actif_rows(modele, n_placement, n1_placement, totals)
    )
    passif = Partie(
        "passif", "Passif", passif_cols, _passif_rows(modele, n_placement, n1_placement, totals)
    )
    for column in totals:
        placement = n_placement if column == "n" else n1_placement
        assert placement is not None
        totals[column]["resultat"] = placement.resultat
        totals[column]["fonds_dedies"] = totals[column].get("fonds_dedies", ZERO)
        totals[column]["disponibilites"] = totals[column].get("disponibilites", ZERO)

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
        totaux=totals,
        notes=notes,
        avertissements=warnings,
        meta={"plan": exercice.version, "au": date.isoformat()},
    )
