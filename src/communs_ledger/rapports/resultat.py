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

from ..analytique.repartition import notes_de_repartition, repartir
from ..codes import parse_account
from ..exercices import Exercice
from ..mouvements import totaux_par_compte
from ..plan import Chart, load_chart
from .entete import avertissements_devises, sous_titre
from .modeles import BlocModele, LigneModele, ModeleResultat, modele_resultat
from .objets import Colonne, Ligne, Partie, Rapport, Style
from .periode import date_d_arrete
from .source import Source

ZERO = Decimal(0)
_CLASS_OF_ROOT = {"6": "charges", "7": "produits"}


def is_result_code(code: str | None) -> bool:
    """Codes of the result: classes 6 and 7 (86/87 are not part of it)."""
    return code is not None and code[:1] in ("6", "7")


def is_contribution_code(code: str | None) -> bool:
    return code is not None and code[:2] in ("86", "87")


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


def rattacher(
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


def compte_de_resultat(
    source: Source,
    exercice: Exercice,
    *,
    n1: bool = True,
    projet: str | None = None,
    au: datetime.date | None = None,
    cles: Any = None,
) -> Rapport:
    """Build the compte de résultat of ``exercice`` (and N-1) from ``source``.

    ``cles`` (:class:`~communs_ledger.analytique.cles.Cles`): with ``projet``, add the
    project's share of the indirect costs these clés de répartition allocate.
    """
    source.verifier_projet(projet)
    allocated = projet is not None and cles is not None and len(cles) > 0
    used: dict[str, Any] = {}
    modele = modele_resultat(exercice.version)
    fin = date_d_arrete(exercice, au)  # a date outside the exercice is refused, not clipped
    columns: list[tuple[str, Exercice, datetime.date]] = [("n", exercice, fin)]
    previous = source.precedent(exercice) if n1 else None
    if previous is not None:
        columns.append(("n1", previous, previous.fin))

    colonnes = Colonnes()
    for column_id, period, end in columns:
        moves = source.mouvements.entre(period.debut, end)
        restate = load_chart(exercice.version) if period.version != exercice.version else None
        totals = totaux_par_compte(moves, projet)
        if allocated:
            repartition = repartir(moves, cles, projet)
            for part in repartition.parts:
                totals[part.account] += part.montant
            if column_id == "n":
                used["n"] = repartition
        rattacher(modele, totals, column_id, colonnes, restate)

    values = {col: _named_values(modele.blocs, colonnes.montants[col]) for col, _e, _f in columns}
    contributions = {
        col: _named_values(modele.contributions, colonnes.montants[col]) for col, _e, _f in columns
    }
    for col in values:
        values[col]["contributions_volontaires_emplois"] = contributions[col][
            "contributions_volontaires_emplois"
        ]
        values[col]["contributions_volontaires_ressources"] = contributions[col][
            "contributions_volontaires_ressources"
        ]

    headers = [Colonne(col, periode_label(period, end)) for col, period, end in columns]
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
    notes = [
        "Contributions volontaires en nature présentées au pied du compte de résultat, "
        "hors excédent ou déficit (emplois 86 = ressources 87).",
        f"Modèle : {modele.reference}.",
    ]
    if previous is not None and previous.version != exercice.version:
        notes.append(
            f"Colonne {previous.code} retraitée selon le modèle {exercice.version} : comptes "
            "retirés en 2025 présentés sur la ligne de leur remplacement, autres comptes "
            f"rattachés par leur numéro ; l'exercice {previous.code} relevait du plan "
            f"{previous.version}."
        )
    precision = f"projet {projet} ({source.nom_projet(projet)})" if projet else ""
    if projet and allocated:
        precision += ", avec charges indirectes réparties"
        notes.append(
            "Projet : charges et produits directs (écritures portant « projet: "
            f"{projet} ») et part du projet des charges indirectes réparties par les clés de "
            "répartition (sans modifier les écritures ; arrondi au centime par la méthode du "
            "plus fort reste) ; « --sans-repartition » : charges directes seules."
        )
        notes.extend(notes_de_repartition(used["n"], projet))
    elif projet:
        notes.append(
            "Projet : charges et produits directs (écritures portant « projet: "
            f"{projet} »), sans répartition des charges indirectes."
        )
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
        meta={"plan": exercice.version, "projet": projet, "repartition": allocated},
    )
