"""The diagnostic financier of an association (the analysis France Active and the DLA
use): fonds de roulement, besoin en fonds de roulement, trésorerie, capacité
d'autofinancement and a few ratios, for N and N-1, each with its formula, an
explanation and a status (ok / à surveiller / alerte) from thresholds.

Everything is computed from the bilan (:func:`~.bilan.placer`: amounts per bilan
line and per account) and the compte de résultat (its named totals), grouped as
``plan_comptable/diagnostic.yaml`` says: which bilan line is a ressource stable,
actif immobilisé, actif circulant, dette circulante or trésorerie; which account
prefixes make the capacité d'autofinancement; the default thresholds (overridable
in ``communs.yaml``). The N-1 column is the previous exercice's diagnostic, each
exercice with its own chart version.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..codes import parse_account
from ..dates import days_between, months_between
from ..exercices import Exercice, french_date
from ..formatage import montant, nombre
from ..montants import ZERO
from .bilan import Placement, compute_bilan
from .indicateurs import Indicateur, donnees, indicateurs, texte_seuils
from .objets import Colonne, Genre, Ligne, Partie, Rapport, Style, cellules
from .periode import ColonnesNEtN1, date_d_arrete
from .reglages import diagnostic_config
from .resultat import ResultatDeLaPeriode, compute_compte_de_resultat
from .source import Source

GROUPES = (
    "ressources_stables",
    "actif_immobilise",
    "actif_circulant_exploitation",
    "dettes_exploitation",
    "tresorerie_actif",
    "tresorerie_passif",
)
MONTANTS = (
    "fonds_de_roulement",
    "besoin_en_fonds_de_roulement",
    "tresorerie_nette",
    "tresorerie_constatee",
    "ecart_tresorerie",
    "capacite_autofinancement",
)
DUREES = ("tresorerie_jours", "fonds_propres_mois")
RATIOS = ("part_subventions_publiques", "part_charges_personnel", "resultat_sur_produits")


@dataclass(frozen=True, slots=True)
class Mesures:
    """Every figure of the diagnostic for one exercice (to one closing date)."""

    exercice: Exercice
    fin: datetime.date
    jours: int
    mois: Decimal
    groupes: Mapping[str, Decimal]
    """The functional bilan: amount of each group of :data:`GROUPES`."""
    comptes: Mapping[str, frozenset[str]]
    """Accounts behind each group."""
    elements: Mapping[str, Decimal]
    """The compte de résultat and account figures the indicators use."""
    non_classees: Mapping[str, Decimal]
    hors_modele: frozenset[str]
    fonds_de_roulement: Decimal
    besoin_en_fonds_de_roulement: Decimal
    tresorerie_nette: Decimal
    tresorerie_constatee: Decimal
    ecart_tresorerie: Decimal
    capacite_autofinancement: Decimal
    tresorerie_jours: Decimal | None
    fonds_propres_mois: Decimal | None
    part_subventions_publiques: Decimal | None
    part_charges_personnel: Decimal | None
    resultat_sur_produits: Decimal | None

    @property
    def valeurs(self) -> dict[str, Decimal | None]:
        """The indicators by id (:data:`MONTANTS`, :data:`DUREES`, :data:`RATIOS`)."""
        return {key: getattr(self, key) for key in MONTANTS + DUREES + RATIOS}


@dataclass(frozen=True, slots=True)
class _Groupes:
    montants: dict[str, Decimal]
    comptes: dict[str, set[str]]
    non_classees: dict[str, Decimal]


def _signed_sum(
    totals: dict[str, Decimal], prefixes: list[str] | tuple[str, ...], sens: str
) -> Decimal:
    """Σ of the accounts whose code starts with a prefix: débits − crédits for ``charges``,
    crédits − débits for ``produits``."""
    total = ZERO
    for account, amount in totals.items():
        code = parse_account(account).code
        if code is not None and any(code.startswith(str(p)) for p in prefixes):
            total += amount
    return total if sens == "charges" else -total


def _prefixes(spec: dict[str, Any], version: str) -> list[str]:
    raw = spec["prefixes"]
    if isinstance(raw, dict):
        raw = raw.get(version, [])
    return [str(p) for p in raw]


def _line_amounts(placement: Placement) -> list[tuple[str, Decimal]]:
    """(line id, amount) of every bilan line with an amount: actif lines net of
    amortissements, passif lines as they are."""
    found = [
        (line_id, placement.net(line_id))
        for line_id in sorted(placement.brut.keys() | placement.amortissements.keys())
    ]
    found.extend(sorted(placement.passif.items()))
    return found


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    return numerator / denominator if denominator > 0 else None


def _groupes(placement: Placement, data: dict[str, Any]) -> _Groupes:
    """The functional bilan: every bilan line in one group, some accounts moved by prefix."""
    line_group = {
        line: group for group, spec in data["bilan_fonctionnel"].items() for line in spec["lignes"]
    }
    moves = {
        spec["ligne"]: (tuple(str(p) for p in spec["prefixes"]), spec["vers"])
        for spec in data.get("reclassements") or []
    }
    found = _Groupes(dict.fromkeys(GROUPES, ZERO), defaultdict(set), {})
    for line_id, amount in _line_amounts(placement):
        group = line_group.get(line_id)
        if group is None:
            if amount:
                found.non_classees[line_id] = amount
            continue
        accounts = placement.comptes.get(line_id, set())
        if line_id in moves:
            prefixes, target = moves[line_id]
            moved_accounts = {
                account
                for account in accounts
                if (parse_account(account).code or "").startswith(prefixes)
            }
            moved = sum((placement.detail[line_id][a] for a in moved_accounts), ZERO)
            found.montants[target] += moved
            found.comptes[target].update(moved_accounts)
            amount -= moved
            accounts = accounts - moved_accounts
        found.montants[group] += amount
        found.comptes[group].update(accounts)
    return found


def _elements(
    source: Source,
    exercice: Exercice,
    fin: datetime.date,
    cr: ResultatDeLaPeriode,
    fonds_propres: Decimal,
    data: dict[str, Any],
) -> dict[str, Decimal]:
    """The compte de résultat totals and the account sums of the period the indicators use."""
    totals = source.mouvements.totaux(exercice.debut, fin)
    specs = data["resultat"]
    caf_parts = {
        key: _signed_sum(totals, _prefixes(spec, exercice.version), spec["sens"])
        for key, spec in specs["caf"].items()
    }
    non_cash = sum((cr.montant(line) for line in specs["charges_non_decaissables"]), ZERO)
    return {
        "fonds_propres": fonds_propres,
        "total_produits_exploitation": cr.total_produits_exploitation,
        "total_charges_exploitation": cr.total_charges_exploitation,
        "charges_non_decaissables": non_cash,
        "charges_decaissables": cr.total_charges_exploitation - non_cash,
        "total_produits": cr.total_produits,
        "total_charges": cr.total_charges,
        "resultat": cr.resultat_net,
        **caf_parts,
        "reports_fonds_dedies": _signed_sum(totals, specs["fonds_dedies"]["reports"], "charges"),
        "utilisations_fonds_dedies": _signed_sum(
            totals, specs["fonds_dedies"]["utilisations"], "produits"
        ),
        "subventions_publiques": _signed_sum(
            totals, specs["subventions_publiques"]["prefixes"], "produits"
        ),
        "charges_personnel": _signed_sum(totals, specs["charges_personnel"]["prefixes"], "charges"),
    }


def _capacite_autofinancement(elements: Mapping[str, Decimal]) -> Decimal:
    return (
        elements["resultat"]
        + elements["dotations"]
        - elements["reprises"]
        - elements["quote_part_subventions_investissement"]
        + elements["valeurs_comptables_actifs_cedes"]
        - elements["produits_cessions"]
    )


def mesurer(source: Source, exercice: Exercice, fin: datetime.date | None = None) -> Mesures:
    """Compute the diagnostic's figures of ``exercice`` at ``fin`` (default: its closing),
    from the typed bilan and compte de résultat."""
    fin = date_d_arrete(exercice, fin)
    data = donnees()
    situation = compute_bilan(source, exercice, au=fin, n1=False).n
    cr = compute_compte_de_resultat(source, exercice, n1=False, au=fin).n
    groupes = _groupes(situation.placement, data)
    groups = groupes.montants
    elements = _elements(source, exercice, fin, cr, situation.montant(data["fonds_propres"]), data)
    nb_jours, nb_mois = days_between(exercice.debut, fin), months_between(exercice.debut, fin)
    fr = groups["ressources_stables"] - groups["actif_immobilise"]
    bfr = groups["actif_circulant_exploitation"] - groups["dettes_exploitation"]
    tn = fr - bfr
    cash = groups["tresorerie_actif"] - groups["tresorerie_passif"]
    decaissables = elements["charges_decaissables"]
    return Mesures(
        exercice=exercice,
        fin=fin,
        jours=nb_jours,
        mois=nb_mois,
        groupes=groups,
        comptes={group: frozenset(accounts) for group, accounts in groupes.comptes.items()},
        elements=elements,
        non_classees=groupes.non_classees,
        hors_modele=frozenset(situation.placement.hors_modele),
        fonds_de_roulement=fr,
        besoin_en_fonds_de_roulement=bfr,
        tresorerie_nette=tn,
        tresorerie_constatee=cash,
        ecart_tresorerie=tn - cash,
        capacite_autofinancement=_capacite_autofinancement(elements),
        tresorerie_jours=tn * nb_jours / decaissables if decaissables > 0 else None,
        fonds_propres_mois=(
            elements["fonds_propres"] * nb_mois / elements["total_charges"]
            if elements["total_charges"] > 0
            else None
        ),
        part_subventions_publiques=_ratio(
            elements["subventions_publiques"], elements["total_produits_exploitation"]
        ),
        part_charges_personnel=_ratio(
            elements["charges_personnel"], elements["total_charges_exploitation"]
        ),
        resultat_sur_produits=_ratio(elements["resultat"], elements["total_produits"]),
    )


_ELEMENTS: tuple[tuple[str, str, Style], ...] = (
    ("ressources_stables", "", Style.NORMAL),
    ("actif_immobilise", "", Style.NORMAL),
    ("actif_circulant_exploitation", "", Style.NORMAL),
    ("dettes_exploitation", "", Style.NORMAL),
    ("tresorerie_actif", "", Style.NORMAL),
    ("tresorerie_passif", "", Style.NORMAL),
    ("fonds_propres", "Fonds propres (total I du passif)", Style.NORMAL),
    ("total_produits_exploitation", "Total des produits d'exploitation", Style.NORMAL),
    ("subventions_publiques", "dont concours publics et subventions (73, 74)", Style.DONT),
    ("total_charges_exploitation", "Total des charges d'exploitation", Style.NORMAL),
    ("charges_personnel", "dont charges de personnel (641, 645, 647, 648, 649)", Style.DONT),
    (
        "charges_non_decaissables",
        "dont dotations, reports en fonds dédiés et valeurs comptables des cessions",
        Style.DONT,
    ),
    ("charges_decaissables", "Charges d'exploitation décaissables", Style.NORMAL),
    ("total_produits", "Total des produits", Style.NORMAL),
    ("total_charges", "Total des charges", Style.NORMAL),
    ("resultat", "Excédent ou déficit", Style.NORMAL),
    ("dotations", "Dotations aux amortissements, dépréciations et provisions (68)", Style.NORMAL),
    ("reports_fonds_dedies", "dont reports en fonds dédiés (689)", Style.DONT),
    ("reprises", "Reprises sur amortissements, dépréciations et provisions (78)", Style.NORMAL),
    ("utilisations_fonds_dedies", "dont utilisations de fonds dédiés (789)", Style.DONT),
    (
        "quote_part_subventions_investissement",
        "Quote-part des subventions d'investissement virée au résultat",
        Style.NORMAL,
    ),
    ("valeurs_comptables_actifs_cedes", "Valeurs comptables des actifs cédés", Style.NORMAL),
    ("produits_cessions", "Produits des cessions d'actifs", Style.NORMAL),
)


def _indicator_row(indicateur: Indicateur, columns: dict[str, Mesures]) -> Ligne:
    values = {col: mesures.valeurs[indicateur.id] for col, mesures in columns.items()}
    statut = indicateur.seuil.statut(values["n"]) if indicateur.seuil is not None else None
    return Ligne(
        libelle=indicateur.libelle, valeurs=cellules(values), id=indicateur.id, statut=statut
    )


def _headers(columns: dict[str, Mesures], genre: Genre) -> list[Colonne]:
    headers = []
    for col, mesures in columns.items():
        label = f"Exercice {mesures.exercice.code}"
        if mesures.fin < mesures.exercice.fin:
            label = f"{mesures.exercice.code} au {mesures.fin.strftime('%d/%m/%Y')}"
        headers.append(Colonne(col, label, genre))
    return headers


@dataclass(frozen=True, slots=True)
class DiagnosticFinancier(ColonnesNEtN1[Mesures]):
    """The diagnostic financier of an exercice: its measures N and N-1, typed."""

    n: Mesures
    n1: Mesures | None
    en_cours: bool
    """True when the exercice is in progress and measured to its last entry."""

    @property
    def colonnes(self) -> dict[str, Mesures]:
        """The columns by id: ``n`` and, when there is one, ``n1``."""
        return self.par_colonne()


def compute_diagnostic(
    source: Source, exercice: Exercice, *, au: datetime.date | None = None
) -> DiagnosticFinancier:
    """The measures of ``exercice`` (to its closing date, or to ``au``; an exercice in
    progress to its last entry) and of the previous exercice."""
    fin = date_d_arrete(exercice, au)
    last = source.mouvements.derniere_date
    in_progress = au is None and last is not None and exercice.debut <= last < exercice.fin
    if in_progress:
        assert last is not None
        fin = last  # days and months of the elapsed period, not of the whole exercice
    previous = source.precedent(exercice)
    return DiagnosticFinancier(
        mesurer(source, exercice, fin),
        mesurer(source, previous, previous.fin) if previous is not None else None,
        in_progress,
    )


def _parties_indicateurs(
    columns: dict[str, Mesures], definitions: dict[str, Indicateur]
) -> list[Partie]:
    def part(id_: str, titre: str, ids: tuple[str, ...], genre: Genre) -> Partie:
        rows = [_indicator_row(definitions[key], columns) for key in ids]
        return Partie(id_, titre, _headers(columns, genre), rows)

    montants = part("montants", "Équilibre financier", MONTANTS, Genre.MONTANT)
    durees = part("durees", "Autonomie", DUREES, Genre.NOMBRE)
    ratios = part("ratios", "Structure des ressources et des charges", RATIOS, Genre.POURCENTAGE)
    ratios.onglet = "Structure ressources charges"
    return [montants, durees, ratios]


def _partie_elements(columns: dict[str, Mesures]) -> Partie:
    groups_spec = donnees()["bilan_fonctionnel"]
    element_rows = []
    for key, label, style in _ELEMENTS:
        values: dict[str, Any] = {}
        for col, mesures in columns.items():
            values[col] = mesures.groupes[key] if key in GROUPES else mesures.elements[key]
        accounts = tuple(sorted(columns["n"].comptes.get(key, ()))) if key in GROUPES else ()
        element_rows.append(
            Ligne(
                libelle=label or groups_spec[key]["libelle"],
                valeurs=cellules(values),
                id=key,
                style=style,
                niveau=2 if style is Style.DONT else 1,
                comptes=accounts,
            )
        )
    return Partie("elements", "Éléments du calcul", _headers(columns, Genre.MONTANT), element_rows)


def _partie_explications(definitions: dict[str, Indicateur]) -> Partie:
    return Partie(
        "explications",
        "Formules et explications",
        [
            Colonne("formule", "Formule", Genre.TEXTE),
            Colonne("explication", "Explication", Genre.TEXTE),
            Colonne("seuils", "Seuils", Genre.TEXTE),
            Colonne("reference", "Statut de la formule", Genre.TEXTE),
        ],
        [
            Ligne(
                libelle=definitions[key].libelle,
                valeurs={
                    "formule": definitions[key].formule,
                    "explication": definitions[key].explication,
                    "seuils": texte_seuils(definitions[key]),
                    "reference": definitions[key].reference,
                },
                id=key,
            )
            for key in MONTANTS + DUREES + RATIOS
        ],
    )


def _notes_diagnostic(
    resultat: DiagnosticFinancier, definitions: dict[str, Indicateur]
) -> list[str]:
    current, previous, exercice = resultat.n, resultat.n1, resultat.exercice
    notes = [
        "Dettes financières (emprunts et dettes des comptes 16 et 17) toutes comptées dans "
        "les ressources stables, comme si elles étaient à plus d'un an : leurs échéances ne "
        "sont pas connues du grand livre. Concours bancaires courants (512 créditeurs, 519, "
        "5181) comptés en trésorerie.",
        "Seuils par défaut conventionnels (usage des accompagnateurs, non sourcés), "
        "modifiables dans communs.yaml (clé diagnostic.seuils) ; statut apprécié sur "
        "l'exercice N.",
        f"Période N : {current.jours} jours, {nombre(current.mois, 1)} mois (trésorerie en "
        "jours et fonds propres en mois rapportés à cette durée).",
    ]
    if resultat.en_cours:
        notes.append(
            f"Exercice en cours : situation au {french_date(resultat.fin)}, date de la "
            "dernière écriture ; trésorerie en jours et fonds propres en mois rapportés à la "
            "période écoulée (option --au pour une autre date)."
        )
    if previous is not None and previous.exercice.version != exercice.version:
        code = previous.exercice.code
        notes.append(
            f"Colonne {code} calculée selon le plan {previous.exercice.version} (celui de "
            f"l'exercice {code}), colonne {exercice.code} selon le plan "
            f"{exercice.version}."
        )
    undefined = [
        definitions[key].libelle for key in DUREES + RATIOS if current.valeurs[key] is None
    ]
    if undefined:
        notes.append(
            "Non calculable faute de charges ou de produits sur la période : "
            + ", ".join(undefined)
            + "."
        )
    return notes


def _avertissements_diagnostic(columns: dict[str, Mesures]) -> list[str]:
    warnings = []
    for col, mesures in columns.items():
        gap = mesures.ecart_tresorerie
        if gap:
            warnings.append(
                f"Exercice {mesures.exercice.code} : la trésorerie nette calculée (FR − BFR, "
                f"{montant(mesures.tresorerie_nette)}) diffère de la trésorerie "
                f"constatée ({montant(mesures.tresorerie_constatee)}) de "
                f"{montant(gap)}."
            )
        if mesures.non_classees:
            warnings.append(
                f"Exercice {mesures.exercice.code} : ligne(s) du bilan sans groupe du "
                "diagnostic (plan_comptable/diagnostic.yaml) : "
                + ", ".join(sorted(mesures.non_classees))
            )
        if col == "n" and mesures.hors_modele:
            warnings.append(
                "Comptes hors modèle présentés en autres créances ou autres dettes : "
                + ", ".join(sorted(mesures.hors_modele))
            )
    return warnings


def build_rapport_diagnostic(resultat: DiagnosticFinancier, source: Source) -> Rapport:
    """The :class:`Rapport` of a diagnostic financier: indicators, elements, formulas."""
    columns = resultat.colonnes
    exercice, fin, current = resultat.exercice, resultat.fin, resultat.n
    definitions = indicateurs(diagnostic_config(source.context.config).seuils)
    totals = {
        col: {
            key: value for key in MONTANTS + DUREES if (value := mesures.valeurs[key]) is not None
        }
        for col, mesures in columns.items()
    }
    sous_titre = exercice.libelle[0].upper() + exercice.libelle[1:]
    if fin < exercice.fin:
        sous_titre += f", situation au {french_date(fin)}"
    meta: dict[str, Any] = {
        "plan": exercice.version,
        "au": fin.isoformat(),
        "jours": current.jours,
        "mois": current.mois,
    }
    return Rapport(
        id="diagnostic",
        titre="Diagnostic financier",
        association=source.association,
        parties=[
            *_parties_indicateurs(columns, definitions),
            _partie_elements(columns),
            _partie_explications(definitions),
        ],
        sous_titre=sous_titre,
        exercice=exercice.code,
        periode=(exercice.debut, fin),
        totaux=totals,
        notes=_notes_diagnostic(resultat, definitions),
        avertissements=_avertissements_diagnostic(columns),
        meta=meta,
    )


def diagnostic(source: Source, exercice: Exercice, *, au: datetime.date | None = None) -> Rapport:
    """Build the diagnostic financier of ``exercice`` (to its closing date, or to ``au``),
    with the previous exercice as N-1 (:func:`compute_diagnostic`, then
    :func:`build_rapport_diagnostic`)."""
    return build_rapport_diagnostic(compute_diagnostic(source, exercice, au=au), source)
