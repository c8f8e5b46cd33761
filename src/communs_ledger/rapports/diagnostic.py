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
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from ..codes import parse_account
from ..exercices import Exercice, french_date
from ..formatage import montant, nombre
from .bilan import Placement, placer
from .indicateurs import Indicateur, donnees, indicateurs, texte_seuils
from .modeles import modele_bilan
from .mouvements import totaux_par_compte
from .objets import Colonne, Genre, Ligne, Partie, Rapport, Style
from .periode import date_d_arrete, jours, mois
from .resultat import compte_de_resultat
from .source import Source

ZERO = Decimal(0)

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


@dataclass
class Mesures:
    """Every figure of the diagnostic for one exercice (to one closing date)."""

    exercice: Exercice
    fin: datetime.date
    jours: int
    mois: Decimal
    groupes: dict[str, Decimal] = field(default_factory=dict)
    comptes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    elements: dict[str, Decimal] = field(default_factory=dict)
    valeurs: dict[str, Decimal | None] = field(default_factory=dict)
    non_classees: dict[str, Decimal] = field(default_factory=dict)
    hors_modele: set[str] = field(default_factory=set)


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


def mesurer(source: Source, exercice: Exercice, fin: datetime.date | None = None) -> Mesures:
    """Compute the diagnostic's figures of ``exercice`` at ``fin`` (default: its closing)."""
    fin = date_d_arrete(exercice, fin)
    data = donnees()
    modele = modele_bilan(exercice.version)
    placement = placer(source, exercice, fin, modele)
    cr = compte_de_resultat(source, exercice, n1=False, au=fin).totaux["n"]
    result = Mesures(exercice, fin, jours(exercice.debut, fin), mois(exercice.debut, fin))
    result.hors_modele = set(placement.hors_modele)

    # Functional bilan: every bilan line in one group, some accounts moved by prefix.
    line_group = {
        line: group for group, spec in data["bilan_fonctionnel"].items() for line in spec["lignes"]
    }
    moves = {
        spec["ligne"]: (tuple(str(p) for p in spec["prefixes"]), spec["vers"])
        for spec in data.get("reclassements") or []
    }
    groups = dict.fromkeys(GROUPES, ZERO)
    for line_id, amount in _line_amounts(placement):
        group = line_group.get(line_id)
        if group is None:
            if amount:
                result.non_classees[line_id] = amount
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
            groups[target] += moved
            result.comptes[target].update(moved_accounts)
            amount -= moved
            accounts = accounts - moved_accounts
        groups[group] += amount
        result.comptes[group].update(accounts)
    result.groupes = groups

    fonds_propres = ZERO
    for bloc in modele.passif:
        if bloc.total_id == data["fonds_propres"]:
            for rubrique in bloc.rubriques:
                for top in rubrique.lignes:
                    for line in top.walk():
                        fonds_propres += placement.passif.get(line.id, ZERO)

    # Compte de résultat and account prefixes of the period.
    totals = totaux_par_compte(source.mouvements.entre(exercice.debut, fin))
    specs = data["resultat"]
    caf_parts = {
        key: _signed_sum(totals, _prefixes(spec, exercice.version), spec["sens"])
        for key, spec in specs["caf"].items()
    }
    non_cash = sum((cr.get(line, ZERO) for line in specs["charges_non_decaissables"]), ZERO)
    elements = {
        "fonds_propres": fonds_propres,
        "total_produits_exploitation": cr["total_produits_exploitation"],
        "total_charges_exploitation": cr["total_charges_exploitation"],
        "charges_non_decaissables": non_cash,
        "charges_decaissables": cr["total_charges_exploitation"] - non_cash,
        "total_produits": cr["total_produits"],
        "total_charges": cr["total_charges"],
        "resultat": cr["resultat"],
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
    result.elements = elements

    fr = groups["ressources_stables"] - groups["actif_immobilise"]
    bfr = groups["actif_circulant_exploitation"] - groups["dettes_exploitation"]
    tn = fr - bfr
    cash = groups["tresorerie_actif"] - groups["tresorerie_passif"]
    caf = (
        elements["resultat"]
        + caf_parts["dotations"]
        - caf_parts["reprises"]
        - caf_parts["quote_part_subventions_investissement"]
        + caf_parts["valeurs_comptables_actifs_cedes"]
        - caf_parts["produits_cessions"]
    )
    decaissables = elements["charges_decaissables"]
    result.valeurs = {
        "fonds_de_roulement": fr,
        "besoin_en_fonds_de_roulement": bfr,
        "tresorerie_nette": tn,
        "tresorerie_constatee": cash,
        "ecart_tresorerie": tn - cash,
        "capacite_autofinancement": caf,
        "tresorerie_jours": (tn * result.jours / decaissables if decaissables > 0 else None),
        "fonds_propres_mois": (
            fonds_propres * result.mois / elements["total_charges"]
            if elements["total_charges"] > 0
            else None
        ),
        "part_subventions_publiques": _ratio(
            elements["subventions_publiques"], elements["total_produits_exploitation"]
        ),
        "part_charges_personnel": _ratio(
            elements["charges_personnel"], elements["total_charges_exploitation"]
        ),
        "resultat_sur_produits": _ratio(elements["resultat"], elements["total_produits"]),
    }
    return result


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
    return Ligne(libelle=indicateur.libelle, valeurs=dict(values), id=indicateur.id, statut=statut)


def _headers(columns: dict[str, Mesures], genre: Genre) -> list[Colonne]:
    headers = []
    for col, mesures in columns.items():
        label = f"Exercice {mesures.exercice.code}"
        if mesures.fin < mesures.exercice.fin:
            label = f"{mesures.exercice.code} au {mesures.fin.strftime('%d/%m/%Y')}"
        headers.append(Colonne(col, label, genre))
    return headers


def diagnostic(source: Source, exercice: Exercice, *, au: datetime.date | None = None) -> Rapport:
    """Build the diagnostic financier of ``exercice`` (to its closing date, or to ``au``),
    with the previous exercice as N-1."""
    fin = date_d_arrete(exercice, au)
    last = source.mouvements.derniere_date
    in_progress = au is None and last is not None and exercice.debut <= last < exercice.fin
    if in_progress:
        assert last is not None
        fin = last  # days and months of the elapsed period, not of the whole exercice
    columns: dict[str, Mesures] = {"n": mesurer(source, exercice, fin)}
    previous = source.precedent(exercice)
    if previous is not None:
        columns["n1"] = mesurer(source, previous, previous.fin)
    definitions = indicateurs(source.context.config.data.diagnostic.seuils)
    groups_spec = donnees()["bilan_fonctionnel"]

    def part(id_: str, titre: str, ids: tuple[str, ...], genre: Genre) -> Partie:
        rows = [_indicator_row(definitions[key], columns) for key in ids]
        return Partie(id_, titre, _headers(columns, genre), rows)

    montants = part("montants", "Équilibre financier", MONTANTS, Genre.MONTANT)
    durees = part("durees", "Autonomie", DUREES, Genre.NOMBRE)
    ratios = part("ratios", "Structure des ressources et des charges", RATIOS, Genre.POURCENTAGE)
    ratios.onglet = "Structure ressources charges"

    element_rows = []
    for key, label, style in _ELEMENTS:
        values: dict[str, Any] = {}
        for col, mesures in columns.items():
            values[col] = mesures.groupes[key] if key in GROUPES else mesures.elements[key]
        accounts = tuple(sorted(columns["n"].comptes.get(key, ()))) if key in GROUPES else ()
        element_rows.append(
            Ligne(
                libelle=label or groups_spec[key]["libelle"],
                valeurs=values,
                id=key,
                style=style,
                niveau=2 if style is Style.DONT else 1,
                comptes=accounts,
            )
        )
    elements = Partie(
        "elements", "Éléments du calcul", _headers(columns, Genre.MONTANT), element_rows
    )

    explications = Partie(
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

    totals = {
        col: {
            key: value for key in MONTANTS + DUREES if (value := mesures.valeurs[key]) is not None
        }
        for col, mesures in columns.items()
    }
    current = columns["n"]
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
    if in_progress:
        notes.append(
            f"Exercice en cours : situation au {french_date(fin)}, date de la dernière "
            "écriture ; trésorerie en jours et fonds propres en mois rapportés à la période "
            "écoulée (option --au pour une autre date)."
        )
    if previous is not None and previous.version != exercice.version:
        notes.append(
            f"Colonne {previous.code} calculée selon le plan {previous.version} (celui de "
            f"l'exercice {previous.code}), colonne {exercice.code} selon le plan "
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
    warnings = []
    for col, mesures in columns.items():
        gap = mesures.valeurs["ecart_tresorerie"]
        if gap:
            nette = cast(Decimal, mesures.valeurs["tresorerie_nette"])  # both set with the gap
            constatee = cast(Decimal, mesures.valeurs["tresorerie_constatee"])
            warnings.append(
                f"Exercice {mesures.exercice.code} : la trésorerie nette calculée (FR − BFR, "
                f"{montant(nette)}) diffère de la trésorerie "
                f"constatée ({montant(constatee)}) de "
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
        parties=[montants, durees, ratios, elements, explications],
        sous_titre=sous_titre,
        exercice=exercice.code,
        periode=(exercice.debut, fin),
        totaux=totals,
        notes=notes,
        avertissements=warnings,
        meta=meta,
    )
