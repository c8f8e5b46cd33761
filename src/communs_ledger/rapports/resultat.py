"""The compte de résultat in the associative model (règlement ANC 2018-06).

Lines, order and account prefixes come from ``plan_comptable/compte_de_resultat.yaml``
(variant of the exercice's chart version). The N-1 column is computed with the
same layout (accounts attached by their code), so it is restated in the N
model when the chart changed between the two exercices. The contributions
volontaires en nature (86/87) are a separate part, below the result.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..codes import is_contribution_code, parse_account
from ..exercices import Exercice
from ..montants import ZERO
from ..plan import Chart, load_chart
from .entete import avertissements_devises, sous_titre
from .modeles import BlocModele, LigneModele, ModeleResultat, modele_resultat
from .objets import Colonne, Ligne, Partie, Rapport, Style, rapport_de
from .periode import ColonnesNEtN1, date_d_arrete
from .source import Source

_CLASS_OF_ROOT = {"6": "charges", "7": "produits"}


def is_result_code(code: str | None) -> bool:
    """Codes of the result: classes 6 and 7 (86/87 are not part of it)."""
    return code is not None and code[:1] in ("6", "7")


@dataclass
class Colonnes:
    """Per column: amount by line id, accounts by line id."""

    montants: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    comptes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    hors_modele: set[str] = field(default_factory=set)
    chapitres: dict[str, str] = field(default_factory=dict)
    """Bare heading codes (budget or forecast lines on ``60``) → the line they went to."""


def periode_label(exercice: Exercice, fin: datetime.date) -> str:
    if fin >= exercice.fin:
        return f"Exercice {exercice.code}"
    return f"{exercice.code} au {fin.strftime('%d/%m/%Y')}"


def ligne_du_chapitre(modele: ModeleResultat, code: str) -> str | None:
    """The line of a heading code no prefix of the layout attaches (a budget line on
    ``60``): the line most of the layout's prefixes extending the code go to, the first
    in layout order on a tie (``60`` → autres achats et charges externes); None if no
    prefix extends it."""
    counts: dict[str, int] = {}
    for bloc in modele.blocs:
        for top in bloc.lignes:
            for line in top.walk():
                found = 0 if line.dont else sum(p.startswith(code) for p in line.prefixes)
                if found:
                    counts[line.id] = counts.get(line.id, 0) + found
    return max(counts, key=lambda line_id: counts[line_id]) if counts else None


def fill_column(
    modele: ModeleResultat,
    totals: Mapping[str, Decimal],
    column: str,
    colonnes: Colonnes,
    restate: Chart | None = None,
) -> None:
    """Add amounts (debit − credit) to the lines of ``modele`` as column ``column``.

    ``totals`` is keyed by Beancount account name (its code attaches it; the account
    is listed for drill-down) or by a bare account code (``"6411"``: forecasts,
    budgets). Codes outside classes 6, 7, 86 and 87 are ignored; a code no prefix of
    the layout attaches goes to the fallback line (``repli``) and is listed in
    ``colonnes.hors_modele`` — except a bare heading code, which goes to
    :func:`ligne_du_chapitre` (listed in ``colonnes.chapitres``). ``restate``: restate
    codes of that earlier chart into this model.
    """
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    for key, amount in totals.items():
        code = key if key.isdigit() else parse_account(key).code
        if not (is_result_code(code) or is_contribution_code(code)):
            continue
        assert code is not None
        account = None if key.isdigit() else key
        line_id = modele.ligne_retraitee(code, restate) if restate else modele.ligne_de(code)
        if line_id is None and account is None:
            line_id = ligne_du_chapitre(modele, code)
            if line_id is not None:
                colonnes.chapitres[code] = line_id
        if line_id is None:
            line_id = modele.repli.get(_CLASS_OF_ROOT.get(code[:1], "charges"))
            colonnes.hors_modele.add(key)
            if line_id is None:
                continue
        line = modele.ligne(line_id)
        signed = -amount if line.sens == "credit" else amount
        amounts[line_id] += signed
        if account is not None:
            colonnes.comptes[line_id].add(account)
        for dont_id in modele.dont_de(code):
            dont = modele.ligne(dont_id)
            amounts[dont_id] += -amount if dont.sens == "credit" else amount
            if account is not None:
                colonnes.comptes[dont_id].add(account)
    colonnes.montants[column] = amounts


def _line_value(line: LigneModele, amounts: dict[str, Decimal]) -> Decimal:
    total = amounts.get(line.id, ZERO)
    for sub in line.sous_lignes:
        if not sub.dont:
            total += _line_value(sub, amounts)
    return total


def _evaluate(formula: str, values: dict[str, Decimal]) -> Decimal:
    """Evaluate ``a - b + c`` over named values."""
    tokens = re.findall(r"[+-]|[a-z_0-9]+", formula)
    total, sign = ZERO, 1
    for token in tokens:
        if token == "+":
            sign = 1
        elif token == "-":
            sign = -1
        else:
            total += sign * values.get(token, ZERO)
    return total


def _named_values(blocs: list[BlocModele], amounts: dict[str, Decimal]) -> dict[str, Decimal]:
    values: dict[str, Decimal] = {}
    for bloc in blocs:
        if bloc.formule:
            values[bloc.id] = _evaluate(bloc.formule, values)
            continue
        bloc_total = ZERO
        for top in bloc.lignes:
            for line in top.walk():
                values[line.id] = _line_value(line, amounts)
            bloc_total += values[top.id]
        if bloc.total_id:
            values[bloc.total_id] = bloc_total
        if len(bloc.lignes) == 1 and not bloc.total_id:
            values.setdefault(bloc.id, values[bloc.lignes[0].id])
    return values


def _rows_for_line(
    line: LigneModele, niveau: int, values: dict[str, dict[str, Decimal]], colonnes: Colonnes
) -> list[Ligne]:
    # a line whose only sub-lines are « dont » amounts is an ordinary line, not a sub-total
    adds_up = any(not sub.dont for sub in line.sous_lignes)
    style = Style.DONT if line.dont else (Style.SOUS_TOTAL if adds_up else Style.NORMAL)
    rows = [
        Ligne(
            libelle=line.libelle,
            valeurs={col: vals.get(line.id, ZERO) for col, vals in values.items()},
            id=line.id,
            niveau=niveau,
            style=style,
            comptes=tuple(sorted(colonnes.comptes.get(line.id, ()))),
        )
    ]
    for sub in line.sous_lignes:
        rows.extend(_rows_for_line(sub, niveau + 1, values, colonnes))
    return rows


def _rows(
    blocs: list[BlocModele], values: dict[str, dict[str, Decimal]], colonnes: Colonnes
) -> list[Ligne]:
    rows: list[Ligne] = []
    for bloc in blocs:
        if bloc.formule:
            final = bloc.id == "resultat"
            rows.append(
                Ligne(
                    libelle=bloc.libelle,
                    valeurs={col: vals[bloc.id] for col, vals in values.items()},
                    id=bloc.id,
                    style=Style.TOTAL
                    if final or bloc.id.startswith("resultat")
                    else Style.SOUS_TOTAL,
                )
            )
            continue
        if bloc.total_id or len(bloc.lignes) > 1:
            rows.append(Ligne(libelle=bloc.libelle, id=f"bloc_{bloc.id}", style=Style.TITRE))
        for top in bloc.lignes:
            rows.extend(_rows_for_line(top, 1, values, colonnes))
        if bloc.total_id:
            libelle = bloc.total_libelle or f"Total {bloc.libelle.lower()}"
            rows.append(
                Ligne(
                    libelle=libelle,
                    valeurs={col: vals[bloc.total_id] for col, vals in values.items()},
                    id=bloc.total_id,
                    style=Style.SOUS_TOTAL,
                )
            )
    return rows


def valeurs_du_resultat(
    modele: ModeleResultat, colonnes: Colonnes
) -> dict[str, dict[str, Decimal]]:
    """Per column of ``colonnes``: the value of every line and named total of the
    compte de résultat (``resultat``, ``total_charges_exploitation``…), contributions
    volontaires excluded."""
    return {col: _named_values(modele.blocs, amounts) for col, amounts in colonnes.montants.items()}


def lignes_du_resultat(
    modele: ModeleResultat, valeurs: dict[str, dict[str, Decimal]], colonnes: Colonnes
) -> list[Ligne]:
    """The rows of the compte de résultat (titles, lines, totals, formulas) for the
    columns of ``valeurs`` (:func:`valeurs_du_resultat`), with their accounts."""
    return _rows(modele.blocs, valeurs, colonnes)


@dataclass(frozen=True, slots=True)
class ResultatDeLaPeriode:
    """The figures of one column of the compte de résultat (N or N-1)."""

    exercice: Exercice
    fin: datetime.date
    valeurs: Mapping[str, Decimal]
    """Every line and named total of the layout, contributions volontaires totals included."""
    contributions: Mapping[str, Decimal]
    """Lines and totals of the contributions volontaires en nature (86/87)."""

    def montant(self, id_: str) -> Decimal:
        """The amount of a line or named total of the layout (zero if absent)."""
        return self.valeurs.get(id_, ZERO)

    @property
    def total_produits_exploitation(self) -> Decimal:
        return self.montant("total_produits_exploitation")

    @property
    def total_charges_exploitation(self) -> Decimal:
        return self.montant("total_charges_exploitation")

    @property
    def resultat_exploitation(self) -> Decimal:
        return self.montant("resultat_exploitation")

    @property
    def resultat_financier(self) -> Decimal:
        return self.montant("resultat_financier")

    @property
    def resultat_courant(self) -> Decimal:
        return self.montant("resultat_courant")

    @property
    def resultat_exceptionnel(self) -> Decimal:
        return self.montant("resultat_exceptionnel")

    @property
    def total_produits(self) -> Decimal:
        return self.montant("total_produits")

    @property
    def total_charges(self) -> Decimal:
        return self.montant("total_charges")

    @property
    def resultat_net(self) -> Decimal:
        """Excédent (> 0) or déficit (< 0) of the period."""
        return self.montant("resultat")

    @property
    def contributions_volontaires_emplois(self) -> Decimal:
        return self.montant("contributions_volontaires_emplois")

    @property
    def contributions_volontaires_ressources(self) -> Decimal:
        return self.montant("contributions_volontaires_ressources")


@dataclass(frozen=True, slots=True)
class LigneDuResultat:
    """One line of the layout with its amounts N / N-1 and its accounts."""

    id: str
    libelle: str
    n: Decimal
    n1: Decimal | None
    comptes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CompteDeResultatDeLExercice(ColonnesNEtN1[ResultatDeLaPeriode]):
    """The compte de résultat of an exercice (and N-1): typed figures, no layout."""

    modele: ModeleResultat
    n: ResultatDeLaPeriode
    n1: ResultatDeLaPeriode | None
    colonnes: Colonnes
    """Amounts and accounts attached to the lines (accounts of both columns)."""
    projet: str | None = None
    repartition: Any = None
    """With ``projet`` and clés: the :class:`~communs_ledger.analytique.repartition`
    result of column N (indirect costs allocated to the project)."""

    @property
    def periodes(self) -> dict[str, ResultatDeLaPeriode]:
        """The columns by id: ``n`` and, when there is one, ``n1``."""
        return self.par_colonne()

    @property
    def lignes(self) -> tuple[LigneDuResultat, ...]:
        """Every line of the layout (sub-lines included), in layout order."""
        return tuple(
            LigneDuResultat(
                id=line.id,
                libelle=line.libelle,
                n=self.n.montant(line.id),
                n1=self.n1.montant(line.id) if self.n1 is not None else None,
                comptes=tuple(sorted(self.colonnes.comptes.get(line.id, ()))),
            )
            for bloc in self.modele.blocs
            for top in bloc.lignes
            for line in top.walk()
        )


def _totals_of_period(
    source: Source, period: Exercice, end: datetime.date, projet: str | None, cles: Any
) -> tuple[dict[str, Decimal], Any]:
    """Debit − credit by account of the period (the project's share of the indirect costs
    added when ``cles`` allocate some), and the allocation (None without one)."""
    totals = source.mouvements.totaux(period.debut, end, projet)
    if projet is None or cles is None or len(cles) == 0:
        return totals, None
    from ..analytique.repartition import repartir

    moves = source.mouvements.entre(period.debut, end)
    repartition = repartir(moves, cles, projet)
    for part in repartition.parts:
        totals[part.account] += part.montant
    return totals, repartition


def _period_figures(
    modele: ModeleResultat, colonnes: Colonnes, column: str, period: Exercice, end: datetime.date
) -> ResultatDeLaPeriode:
    values = _named_values(modele.blocs, colonnes.montants[column])
    contributions = _named_values(modele.contributions, colonnes.montants[column])
    for key in ("contributions_volontaires_emplois", "contributions_volontaires_ressources"):
        values[key] = contributions[key]
    return ResultatDeLaPeriode(period, end, values, contributions)


def compute_compte_de_resultat(
    source: Source,
    exercice: Exercice,
    *,
    n1: bool = True,
    projet: str | None = None,
    au: datetime.date | None = None,
    cles: Any = None,
) -> CompteDeResultatDeLExercice:
    """The figures of the compte de résultat of ``exercice`` (and N-1) from ``source``.

    ``cles`` (:class:`~communs_ledger.analytique.cles.Cles`): with ``projet``, add the
    project's share of the indirect costs these clés de répartition allocate.
    """
    source.verifier_projet(projet)
    modele = modele_resultat(exercice.version)
    fin = date_d_arrete(exercice, au)  # a date outside the exercice is refused, not clipped
    columns: list[tuple[str, Exercice, datetime.date]] = [("n", exercice, fin)]
    previous = source.precedent(exercice) if n1 else None
    if previous is not None:
        columns.append(("n1", previous, previous.fin))
    colonnes = Colonnes()
    repartition = None
    for column_id, period, end in columns:
        restate = load_chart(exercice.version) if period.version != exercice.version else None
        totals, allocation = _totals_of_period(source, period, end, projet, cles)
        if column_id == "n":
            repartition = allocation
        fill_column(modele, totals, column_id, colonnes, restate)
    figures = {col: _period_figures(modele, colonnes, col, p, e) for col, p, e in columns}
    return CompteDeResultatDeLExercice(
        modele, figures["n"], figures.get("n1"), colonnes, projet, repartition
    )


def _notes_du_resultat(
    resultat: CompteDeResultatDeLExercice, source: Source
) -> tuple[list[str], str]:
    """The notes of the report and the précision of its subtitle (the project)."""
    exercice, previous, projet = resultat.exercice, resultat.n1, resultat.projet
    notes = [
        "Contributions volontaires en nature présentées au pied du compte de résultat, "
        "hors excédent ou déficit (emplois 86 = ressources 87).",
        f"Modèle : {resultat.modele.reference}.",
    ]
    if previous is not None and previous.exercice.version != exercice.version:
        code = previous.exercice.code
        notes.append(
            f"Colonne {code} retraitée selon le modèle {exercice.version} : comptes "
            "retirés en 2025 présentés sur la ligne de leur remplacement, autres comptes "
            f"rattachés par leur numéro ; l'exercice {code} relevait du plan "
            f"{previous.exercice.version}."
        )
    precision = f"projet {projet} ({source.nom_projet(projet)})" if projet else ""
    if projet and resultat.repartition is not None:
        from ..analytique.repartition import notes_de_repartition

        precision += ", avec charges indirectes réparties"
        notes.append(
            "Projet : charges et produits directs (écritures portant « projet: "
            f"{projet} ») et part du projet des charges indirectes réparties par les clés de "
            "répartition (sans modifier les écritures ; arrondi au centime par la méthode du "
            "plus fort reste) ; « --sans-repartition » : charges directes seules."
        )
        notes.extend(notes_de_repartition(resultat.repartition, projet))
    elif projet:
        notes.append(
            "Projet : charges et produits directs (écritures portant « projet: "
            f"{projet} »), sans répartition des charges indirectes."
        )
    return notes, precision


def build_rapport_compte_de_resultat(
    resultat: CompteDeResultatDeLExercice, source: Source
) -> Rapport:
    """The :class:`Rapport` of a compte de résultat: the statement, the contributions
    volontaires en nature, notes and warnings."""
    modele, colonnes, periodes = resultat.modele, resultat.colonnes, resultat.periodes
    exercice, fin = resultat.exercice, resultat.fin
    values = {col: dict(p.valeurs) for col, p in periodes.items()}
    contributions = {col: dict(p.contributions) for col, p in periodes.items()}
    headers = [Colonne(col, periode_label(p.exercice, p.fin)) for col, p in periodes.items()]
    main = Partie(
        "compte_de_resultat", "Compte de résultat", headers, _rows(modele.blocs, values, colonnes)
    )
    cvn = Partie(
        "contributions_volontaires",
        "Contributions volontaires en nature",
        headers,
        _rows(modele.contributions, contributions, colonnes),
        onglet="Contributions en nature",
    )
    notes, precision = _notes_du_resultat(resultat, source)
    warnings = []
    if colonnes.hors_modele:
        listed = ", ".join(sorted(colonnes.hors_modele))
        warnings.append(f"Comptes hors modèle rattachés aux lignes « autres » : {listed}")
    warnings.extend(avertissements_devises(source))
    return Rapport(
        id="compte_de_resultat",
        titre="Compte de résultat",
        association=source.association,
        parties=[main, cvn],
        sous_titre=sous_titre(exercice, fin, precision),
        exercice=exercice.code,
        periode=(exercice.debut, fin),
        totaux={col: {**values[col]} for col in values},
        notes=notes,
        avertissements=warnings,
        meta={
            "plan": exercice.version,
            "projet": resultat.projet,
            "repartition": resultat.repartition is not None,
        },
    )


compte_de_resultat = rapport_de(
    compute_compte_de_resultat,
    build_rapport_compte_de_resultat,
    """Build the compte de résultat of ``exercice`` (and N-1) from ``source``
    (:func:`compute_compte_de_resultat`, then :func:`build_rapport_compte_de_resultat`).""",
)
