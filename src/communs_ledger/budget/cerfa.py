"""The budget in the layout of the CERFA 12156 budget table (demande de subvention).

Lines, order, labels and account prefixes come from
``plan_comptable/cerfa_12156.yaml``. The figures are the amounts of one version
of the exercice's budget (never the réalisé: that belongs to the compte rendu
financier, CERFA 15059): every budget line goes to the table line whose account
prefix is the longest prefix of its code. With a project, only the budget lines
of that project count (budget du projet); without, every line counts (budget de
l'association).

The table balances: the line « excédent prévisionnel » (charges side) or
« insuffisance prévisionnelle » (produits side; for a project « ressources
propres affectées au projet ») makes total charges = total produits. Named
totals carry both checks (``ecart_charges_produits``, always 0, and
``ecart_contributions`` = total 86 − total 87, 0 when the contributions en
nature balance, else a warning), shown again in a last part « Contrôle de
l'équilibre ». Parts: « Charges », « Produits » (each with its total),
« Contributions volontaires en nature » (86 then 87), « Contrôle de l'équilibre »:
one sheet each in XLSX, ready to copy into the form.

The contributions en nature (87) use the CERFA's own numbering, that of the old
CRC 99-01 chart: « 870 Bénévolat » takes account 875 (ANC 2018-06 bénévolat),
« 871 Prestations en nature » account 871, « 875 Dons en nature » account 870.

Funder type of a subsidy (74) line, first found wins:

1. the metadata ``type_financeur:`` of the ``open`` directive of the ledger
   accounts whose code *is* the budget line's code (``7412`` designates
   ``Produits:74-Subventions:741-Subventions-d-exploitation:7412-Region`` and its
   uncoded sub-accounts); if those accounts give different types, the line is
   left unclassified (warning);
2. ``financeurs:`` in ``communs.yaml``, key = account code prefix: the longest
   key that prefixes the line's code (``"7412": region``, ``"74": etat``);
3. ``financeurs:`` key = account name: the label of the coded component or an
   uncoded sub-account of the accounts whose code is the line's code
   (``CAF: organismes_sociaux`` matches ``7415-CAF`` or ``741-Subventions:CAF``),
   ignoring case, accents and hyphens;
4. otherwise the line « autres subventions (type de financeur non précisé) »,
   with a warning in the report.

Budget lines are written by account code, so a budget by funder needs coded
sub-accounts of 741 (``7411-Etat``, ``7412-Region``…: valid in the 2025 chart, 741
being postable, and in the 2018 one, where 74 is postable).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from ..codes import parse_account
from ..contexte import LedgerContext
from ..exercices import Exercice, french_date
from ..formatage import montant
from ..plan import Chart, fold, load_chart, load_data_yaml
from ..rapports.entete import sous_titre
from ..rapports.modeles import longest_prefix
from ..rapports.objets import Colonne, Genre, Ligne, Partie, Rapport, Style
from .fichier import LigneBudget, VersionBudget, ligne_id
from .indirectes import charges_indirectes, ligne_du_tableau
from .reglages import TYPES_FINANCEUR, financeurs_config

LAYOUT_FILE = "cerfa_12156.yaml"
COLONNE = "montant"
ZERO = Decimal(0)
FUNDER_KEY = "type_financeur"


# --- The layout -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LigneCerfa:
    id: str
    libelle: str
    prefixes: tuple[str, ...] = ()
    masquer_si_nul: bool = False
    repli: bool = False


@dataclass(frozen=True, slots=True)
class ChapitreCerfa:
    id: str
    libelle: str
    prefixes: tuple[str, ...] = ()
    lignes: tuple[LigneCerfa, ...] = ()
    par_financeur: bool = False
    projet_seulement: bool = False
    masquer_si_nul: bool = False
    repli: bool = False
    total: tuple[str, str] | None = None  # (id, label) of a total row after the chapter


@dataclass(frozen=True, slots=True)
class PartieCerfa:
    id: str
    titre: str
    onglet: str
    chapitres: tuple[ChapitreCerfa, ...]
    total: tuple[str, str] | None = None
    equilibre: tuple[str, str, str] | None = None  # (id, label, label for a project)


@dataclass(frozen=True)
class ModeleCerfa:
    titre: str
    formulaire: str
    parties: tuple[PartieCerfa, ...]
    financeurs: dict[str, str]  # type → label, in the form's order
    autres_financeurs: tuple[str, str]  # (id, label)
    notes: dict[str, str]
    index: dict[str, str]
    """Account prefix → id of the table line (or chapter) it feeds."""

    def id_financeur(self, type_: str | None) -> str:
        return f"subvention_{type_}" if type_ else self.autres_financeurs[0]


def _index(parties: Iterable[PartieCerfa]) -> dict[str, str]:
    index: dict[str, str] = {}
    for partie in parties:
        for chapitre in partie.chapitres:
            for prefix in chapitre.prefixes:
                index.setdefault(prefix, chapitre.id)
            for ligne in chapitre.lignes:
                for prefix in ligne.prefixes:
                    index.setdefault(prefix, ligne.id)
    return index


def _total(raw: Any) -> tuple[str, str] | None:
    return (str(raw["id"]), str(raw["libelle"])) if raw else None


def _ligne(raw: dict[str, Any]) -> LigneCerfa:
    return LigneCerfa(
        id=str(raw["id"]),
        libelle=str(raw["libelle"]),
        prefixes=tuple(str(p) for p in raw.get("comptes") or ()),
        masquer_si_nul=bool(raw.get("masquer_si_nul")),
        repli=bool(raw.get("repli")),
    )


@cache
def modele_cerfa(fichier: str = LAYOUT_FILE) -> ModeleCerfa:
    """The CERFA 12156 budget table layout (``plan_comptable/cerfa_12156.yaml``), or a
    table with the same structure in another file of ``plan_comptable/``."""
    raw = load_data_yaml(fichier)
    parties = []
    for partie in raw["parties"]:
        chapitres = []
        for chapitre in partie["chapitres"]:
            chapitres.append(
                ChapitreCerfa(
                    id=str(chapitre["id"]),
                    libelle=str(chapitre["libelle"]),
                    prefixes=tuple(str(p) for p in chapitre.get("comptes") or ()),
                    lignes=tuple(_ligne(line) for line in chapitre.get("lignes") or ()),
                    par_financeur=bool(chapitre.get("par_financeur")),
                    projet_seulement=bool(chapitre.get("projet_seulement")),
                    masquer_si_nul=bool(chapitre.get("masquer_si_nul")),
                    repli=bool(chapitre.get("repli")),
                    total=_total(chapitre.get("total")),
                )
            )
        equilibre = partie.get("equilibre")
        parties.append(
            PartieCerfa(
                id=str(partie["id"]),
                titre=str(partie["titre"]),
                onglet=str(partie.get("onglet") or partie["titre"]),
                chapitres=tuple(chapitres),
                total=_total(partie.get("total")),
                equilibre=(
                    (
                        str(equilibre["id"]),
                        str(equilibre["libelle"]),
                        str(equilibre.get("libelle_projet") or equilibre["libelle"]),
                    )
                    if equilibre
                    else None
                ),
            )
        )
    autres = raw["autres_financeurs"]
    return ModeleCerfa(
        titre=str(raw["titre"]),
        formulaire=str(raw["formulaire"]),
        parties=tuple(parties),
        financeurs={str(k): str(v) for k, v in raw["financeurs"].items()},
        autres_financeurs=(str(autres["id"]), str(autres["libelle"])),
        notes={str(k): " ".join(str(v).split()) for k, v in raw.get("notes", {}).items()},
        index=_index(parties),
    )


# --- Funder types -----------------------------------------------------------------------


def ouvertures(entries: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """Account name → metadata of its ``open`` directive, for every opened account."""
    from beancount.core import data

    return {
        entry.account: dict(entry.meta or {}) for entry in entries if isinstance(entry, data.Open)
    }


def _name_key(text: str) -> str:
    """How funder names are compared: no case, no accents, hyphens and underscores as spaces."""
    return " ".join(fold(text).replace("-", " ").replace("_", " ").split())


@dataclass(frozen=True, slots=True)
class Financeur:
    """The funder type of a budget code, where it came from, or why it is unknown."""

    type: str | None
    origine: str  # "metadonnee", "config_compte", "config_nom" or "inconnu"
    probleme: str | None = None


class Financeurs:
    """Funder type of a subsidy budget line: ledger metadata, then ``financeurs:`` config."""

    def __init__(self, comptes: Mapping[str, Mapping[str, Any]], config: Mapping[str, str]) -> None:
        self._by_code: dict[str, list[tuple[str, Mapping[str, Any]]]] = defaultdict(list)
        for account, meta in comptes.items():
            code = parse_account(account).code
            if code is not None and code.startswith("74"):
                self._by_code[code].append((account, meta))
        self._prefixes = {key: value for key, value in config.items() if key.isdigit()}
        self._names = {_name_key(key): value for key, value in config.items() if not key.isdigit()}
        self.avertissements: list[str] = []
        self._cache: dict[str, Financeur] = {}

    def de(self, code: str) -> Financeur:
        if code not in self._cache:
            self._cache[code] = self._resolve(code)
        return self._cache[code]

    def _resolve(self, code: str) -> Financeur:
        accounts = self._by_code.get(code, [])
        from_meta: dict[str, list[str]] = defaultdict(list)
        for account, meta in accounts:
            value = meta.get(FUNDER_KEY)
            if value is None:
                continue
            text = str(value).strip()
            if text not in TYPES_FINANCEUR:
                self.avertissements.append(
                    f"compte {account} : {FUNDER_KEY} « {text} » inconnu, ignoré (valeurs "
                    f"possibles : {', '.join(TYPES_FINANCEUR)})"
                )
                continue
            from_meta[text].append(account)
        if len(from_meta) == 1:
            return Financeur(next(iter(from_meta)), "metadonnee")
        if len(from_meta) > 1:
            return Financeur(None, "inconnu", _conflict(code, from_meta))
        found = longest_prefix(code, self._prefixes)
        if found is not None:
            return Financeur(found, "config_compte")
        by_name: dict[str, list[str]] = defaultdict(list)
        for account, _meta in accounts:
            parsed = parse_account(account)
            names = [parsed.coded[-1].label, *account.split(":")[parsed.depth_of_code + 1 :]]
            for name in names:
                type_ = self._names.get(_name_key(name)) if name else None
                if type_ is not None:
                    by_name[type_].append(account)
        if len(by_name) == 1:
            return Financeur(next(iter(by_name)), "config_nom")
        if len(by_name) > 1:
            return Financeur(None, "inconnu", _conflict(code, by_name))
        return Financeur(None, "inconnu")


def _conflict(code: str, found: Mapping[str, list[str]]) -> str:
    listed = " ; ".join(
        f"{type_} ({', '.join(sorted(set(accts)))})" for type_, accts in found.items()
    )
    return (
        f"types de financeur différents sous le compte {code} : {listed} ; pour un budget par "
        f"financeur, ouvrez un compte numéroté par financeur (ex. {code}1-Etat, {code}2-Region)"
    )


# --- The report -------------------------------------------------------------------------


@dataclass
class _Montants:
    """Amounts by table line id, and the budget lines behind each."""

    par_ligne: dict[str, Decimal]
    lignes: dict[str, list[LigneBudget]]
    hors_tableau: list[LigneBudget]  # on a fallback line (« autres »)
    ignorees: list[LigneBudget]  # no line at all (a code outside classes 6, 7, 86, 87)


def _attach(
    modele: ModeleCerfa, lignes: Iterable[LigneBudget], financeurs: Financeurs
) -> tuple[_Montants, list[str]]:
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    behind: dict[str, list[LigneBudget]] = defaultdict(list)
    outside: list[LigneBudget] = []
    ignored: list[LigneBudget] = []
    warnings: list[str] = []
    chapters = {c.id: c for p in modele.parties for c in p.chapitres}
    repli = {line.id for c in chapters.values() for line in c.lignes if line.repli}
    repli |= {c.id for c in chapters.values() if c.repli}
    for ligne in lignes:
        target = longest_prefix(ligne.compte, modele.index)
        if target is None:  # the budget file refuses such codes: defensive
            ignored.append(ligne)
            continue
        if target in repli:
            outside.append(ligne)
        chapter = chapters.get(target)
        if chapter is not None and chapter.par_financeur:
            funder = financeurs.de(ligne.compte)
            target = modele.id_financeur(funder.type)
            if funder.type is None:
                warnings.append(_unknown_funder(modele, ligne, funder))
        amounts[target] += ligne.montant
        behind[target].append(ligne)
    return _Montants(amounts, behind, outside, ignored), warnings


def _designation(ligne: LigneBudget) -> str:
    text = f"compte {ligne.compte}"
    if ligne.libelle:
        text += f" « {ligne.libelle} »"
    if ligne.projet:
        text += f", projet {ligne.projet}"
    return text


def _unknown_funder(modele: ModeleCerfa, ligne: LigneBudget, funder: Financeur) -> str:
    where = f"{ligne.location}: " if ligne.location.line else ""
    cause = funder.probleme or (
        f"indiquez {FUNDER_KEY}: sur l'ouverture du compte {ligne.compte} dans le grand livre, "
        "ou le type dans la section financeurs: de communs.yaml"
    )
    return (
        f"{where}subvention ({_designation(ligne)}) : type de financeur inconnu, rattachée à "
        f"« {modele.autres_financeurs[1]} » ; {cause}"
    )


def _codes(lignes: Iterable[LigneBudget]) -> tuple[str, ...]:
    return tuple(sorted({ligne.compte for ligne in lignes}))


def libelle_du_code(code: str, comptes: Iterable[str], chart: Chart) -> str:
    """A readable label for a budget code: the chart's label of that exact code, else the
    label of the ledger's account numbered with it (``7412-Region`` → ``Region``), else
    the label of the nearest chart account."""
    found = chart.get(code)
    if found is not None:
        return found.libelle
    own = set()
    for account in comptes:
        parsed = parse_account(account)
        if parsed.code == code and parsed.coded[-1].label:
            own.add(parsed.coded[-1].label.replace("-", " "))
    if len(own) == 1:
        return own.pop()
    nearest = chart.nearest(code)
    return f"{nearest.libelle} (sous-compte)" if nearest is not None else f"Compte {code}"


def _detail_label(
    ligne: LigneBudget, comptes: Iterable[str], chart: Chart, with_project: bool
) -> str:
    label = ligne.libelle or f"{ligne.compte} {libelle_du_code(ligne.compte, comptes, chart)}"
    if with_project and ligne.projet:
        label += f" (projet {ligne.projet})"
    return label


COMMENTAIRE = "commentaire"


def _avec_commentaires(
    value: Decimal, lignes: Iterable[LigneBudget], seul: bool = False
) -> dict[str, Any]:
    """The amount of a row and the comments (``commentaire:``) of the budget lines
    behind it, to explain the figure: « 6132 : … » (the text alone for one line's row)."""
    notes = [
        ligne.commentaire
        if seul
        else f"{ligne.compte}{f' ({ligne.projet})' if ligne.projet else ''} : {ligne.commentaire}"
        for ligne in sorted(lignes, key=lambda b: (b.compte, b.projet or ""))
        if ligne.commentaire
    ]
    valeurs: dict[str, Any] = {COLONNE: value}
    if notes:
        valeurs[COMMENTAIRE] = " ; ".join(notes)
    return valeurs


@dataclass
class _Partie:
    rows: list[Ligne]
    total: Decimal


def _rows_of_part(
    modele: ModeleCerfa,
    partie: PartieCerfa,
    montants: _Montants,
    comptes: Iterable[str],
    chart: Chart,
    projet: str | None,
) -> _Partie:
    rows: list[Ligne] = []
    part_total = ZERO
    for chapitre in partie.chapitres:
        if chapitre.projet_seulement and projet is None:
            continue
        subs: list[tuple[str, str, bool]] = [
            (line.id, line.libelle, line.masquer_si_nul) for line in chapitre.lignes
        ]
        if chapitre.par_financeur:
            subs = [
                (modele.id_financeur(t), label, False) for t, label in modele.financeurs.items()
            ]
            subs.append((*modele.autres_financeurs, True))
        value = montants.par_ligne.get(chapitre.id, ZERO)
        value += sum((montants.par_ligne.get(sub_id, ZERO) for sub_id, _l, _m in subs), ZERO)
        part_total += value
        if chapitre.masquer_si_nul and value == 0:
            continue
        behind = [
            line
            for id_ in (chapitre.id, *(sub_id for sub_id, _l, _m in subs))
            for line in montants.lignes.get(id_, ())
        ]
        rows.append(
            Ligne(
                libelle=chapitre.libelle,
                valeurs=_avec_commentaires(value, montants.lignes.get(chapitre.id, ())),
                id=chapitre.id,
                style=Style.SOUS_TOTAL if subs else Style.NORMAL,
                comptes=_codes(behind),
            )
        )
        for sub_id, label, hidden in subs:
            sub_value = montants.par_ligne.get(sub_id, ZERO)
            if hidden and sub_value == 0:
                continue
            rows.append(
                Ligne(
                    libelle=label,
                    valeurs=_avec_commentaires(
                        sub_value,
                        () if chapitre.par_financeur else montants.lignes.get(sub_id, ()),
                    ),
                    id=sub_id,
                    niveau=2,
                    comptes=_codes(montants.lignes.get(sub_id, ())),
                )
            )
            if chapitre.par_financeur:
                for ligne in sorted(
                    montants.lignes.get(sub_id, ()), key=lambda b: (b.compte, b.projet or "")
                ):
                    rows.append(
                        Ligne(
                            libelle=_detail_label(ligne, comptes, chart, projet is None),
                            valeurs=_avec_commentaires(ligne.montant, (ligne,), seul=True),
                            id=f"{sub_id}:{ligne_id(ligne.compte, ligne.projet)}",
                            niveau=3,
                            style=Style.DONT,
                            comptes=(ligne.compte,),
                        )
                    )
        if chapitre.total is not None:
            total_id, total_label = chapitre.total
            rows.append(Ligne(total_label, {COLONNE: value}, id=total_id, style=Style.TOTAL))
    return _Partie(rows, part_total)


def cerfa_12156(
    context: LedgerContext,
    exercice: Exercice,
    version: VersionBudget,
    comptes: Mapping[str, Mapping[str, Any]],
    *,
    projet: str | None = None,
    fichier: str | None = None,
    cles: Any = None,
) -> Rapport:
    """The budget ``version`` of ``exercice`` in the CERFA 12156 layout.

    ``context`` is the ledger's :class:`~communs_ledger.contexte.LedgerContext` (config:
    association, projects, ``financeurs``); ``comptes`` the ledger's opened accounts with
    their metadata (:func:`ouvertures`); ``projet``: the budget du projet, with
    ``cles`` (:class:`~communs_ledger.analytique.cles.Cles`) its share of the general
    lines as « charges indirectes affectées au projet »
    (:mod:`communs_ledger.budget.indirectes`).
    """
    modele = modele_cerfa()
    config = context.config
    financeurs = Financeurs(comptes, financeurs_config(config))
    lignes = [ligne for ligne in version.lignes if projet is None or ligne.projet == projet]
    montants, warnings = _attach(modele, lignes, financeurs)
    chart = load_chart(exercice.version)
    indirect = None
    if projet is not None and cles is not None:
        indirect = charges_indirectes(version.lignes, projet, cles)
        for line_id, value in indirect.par_ligne_du_tableau().items():
            montants.par_ligne[line_id] = montants.par_ligne.get(line_id, ZERO) + value
        warnings.extend(indirect.avertissements)

    built = {
        partie.id: _rows_of_part(modele, partie, montants, list(comptes), chart, projet)
        for partie in modele.parties
    }
    if indirect is not None and indirect.parts:
        _details_indirects(built["charges"].rows, indirect, comptes, chart)
    charges = built["charges"].total
    produits = built["produits"].total
    resultat = produits - charges
    excedent = resultat if resultat > 0 else ZERO
    insuffisance = -resultat if resultat < 0 else ZERO
    balancing = {"charges": excedent, "produits": insuffisance}

    parties: list[Partie] = []
    for partie in modele.parties:
        rows = built[partie.id].rows
        extra = balancing.get(partie.id, ZERO)
        if partie.equilibre is not None and extra > 0:
            eq_id, label, label_projet = partie.equilibre
            rows.append(Ligne(label_projet if projet else label, {COLONNE: extra}, id=eq_id))
        if partie.total is not None:
            total_id, total_label = partie.total
            rows.append(
                Ligne(
                    total_label,
                    {COLONNE: built[partie.id].total + extra},
                    id=total_id,
                    style=Style.TOTAL,
                )
            )
        colonnes = [Colonne(COLONNE, "Montant")]
        if any(row.valeurs.get(COMMENTAIRE) for row in rows):
            colonnes.append(Colonne(COMMENTAIRE, "Commentaire", Genre.TEXTE))
        parties.append(Partie(partie.id, partie.titre, colonnes, rows, onglet=partie.onglet))

    cvn = built["contributions_volontaires"].rows
    emplois = _row_value(cvn, "contributions_volontaires_emplois")
    ressources = _row_value(cvn, "contributions_volontaires_ressources")
    total_charges = charges + excedent
    total_produits = produits + insuffisance
    totaux = {
        "charges_prevues": charges,
        "produits_prevus": produits,
        "resultat_previsionnel": resultat,
        "excedent_previsionnel": excedent,
        "insuffisance_previsionnelle": insuffisance,
        "total_charges": total_charges,
        "total_produits": total_produits,
        "ecart_charges_produits": total_charges - total_produits,
        "contributions_volontaires_emplois": emplois,
        "contributions_volontaires_ressources": ressources,
        "ecart_contributions": emplois - ressources,
    }
    parties.append(_balance_part(totaux))

    notes = [_version_note(version, fichier), modele.notes["source"]]
    notes.append(_balance_note(resultat, total_charges, projet is not None))
    if emplois == ressources:
        notes.append(f"Contributions volontaires : total 86 = total 87 = {montant(emplois)}.")
    else:
        warnings.append(
            f"Contributions volontaires déséquilibrées : emplois (86) {montant(emplois)}, "
            f"ressources (87) {montant(ressources)} ; le formulaire demande total 86 = total 87."
        )
    notes.append(modele.notes["contributions"])
    notes.append(modele.notes["dons"])
    notes.append(
        "Subventions (74) classées par type de financeur : métadonnée type_financeur de "
        "l'ouverture du compte, sinon section financeurs: de communs.yaml (numéro de compte, "
        "puis nom du compte)."
    )
    if projet is not None and indirect is None:
        notes.append(
            f"Budget du projet {projet} : lignes du budget portant « projet: {projet} » ; les "
            "charges indirectes ne sont pas réparties (--sans-repartition) : à compléter le "
            "cas échéant."
        )
    elif projet is not None:
        notes.append(
            f"Budget du projet {projet} : lignes du budget portant « projet: {projet} », et "
            "« Charges indirectes affectées au projet » : sa part des lignes générales de "
            "charges selon les clés de répartition (analytique/), arrondie au centime par la "
            "méthode du plus fort reste."
        )
    if montants.hors_tableau:
        listed = ", ".join(_designation(line) for line in montants.hors_tableau)
        warnings.append(
            f"Lignes du budget sans ligne correspondante au formulaire, présentées sur une "
            f"ligne « autres » : {listed}"
        )
    if montants.ignorees:
        listed = ", ".join(_designation(line) for line in montants.ignorees)
        warnings.append(f"Lignes du budget hors du tableau, non reprises : {listed}")
    warnings.extend(financeurs.avertissements)
    if projet is not None and not lignes:
        warnings.append(f"Aucune ligne du budget ne porte le projet {projet}.")

    association = config.nom
    if projet is not None:
        declared = config.projets.get(projet)
        titre = "Budget prévisionnel du projet"
        precision = f"projet {projet}" + (f" ({declared.nom})" if declared else "")
    else:
        titre = "Budget prévisionnel de l'association"
        precision = ""
    version_text = f"version « {version.nom} » ({version.code})"
    return Rapport(
        id="budget_cerfa_12156",
        titre=f"{titre} ({modele.formulaire})",
        association=association,
        parties=parties,
        sous_titre=sous_titre(
            exercice, exercice.fin, " — ".join(p for p in (precision, version_text) if p)
        ),
        exercice=exercice.code,
        periode=(exercice.debut, exercice.fin),
        totaux={COLONNE: totaux},
        notes=notes,
        avertissements=list(dict.fromkeys(warnings)),
        meta={
            "formulaire": "CERFA 12156",
            "plan": exercice.version,
            "version": version.code,
            "version_nom": version.nom,
            "version_date": version.date,
            "projet": projet,
        },
    )


_BALANCE_ROWS = (
    ("charges_prevues", "Charges prévues (avant excédent)", Style.NORMAL),
    ("produits_prevus", "Produits prévus (avant insuffisance)", Style.NORMAL),
    ("resultat_previsionnel", "Résultat prévisionnel (produits − charges)", Style.SOUS_TOTAL),
    ("excedent_previsionnel", "Excédent prévisionnel (porté en charges)", Style.NORMAL),
    (
        "insuffisance_previsionnelle",
        "Insuffisance prévisionnelle (portée en produits)",
        Style.NORMAL,
    ),
    ("ecart_charges_produits", "Écart total des charges − total des produits (nul)", Style.TOTAL),
    ("ecart_contributions", "Écart total 86 − total 87 (nul si équilibré)", Style.TOTAL),
)


def _balance_part(totaux: dict[str, Decimal]) -> Partie:
    """The balance check as rows (their ids are the named totals, labels in French)."""
    rows = [
        Ligne(label, {COLONNE: totaux[id_]}, id=id_, style=style)
        for id_, label, style in _BALANCE_ROWS
    ]
    return Partie(
        "equilibre",
        "Contrôle de l'équilibre",
        [Colonne(COLONNE, "Montant")],
        rows,
        onglet="Équilibre",
    )


def _details_indirects(
    rows: list[Ligne], indirect: Any, comptes: Mapping[str, Any], chart: Chart
) -> None:
    """Under each line of « Charges indirectes affectées au projet », one row per general
    budget line allocated to it: the project's share, the key and its base."""
    for index in range(len(rows) - 1, -1, -1):
        row = rows[index]
        parts = [p for p in indirect.parts if ligne_du_tableau(p.ligne.compte) == row.id]
        details = [
            Ligne(
                libelle=(
                    f"{_detail_label(p.ligne, list(comptes), chart, False)} — clé {p.cle.code} "
                    f"sur {montant(p.base)}"
                ),
                valeurs={COLONNE: p.part},
                id=f"{row.id}:{ligne_id(p.ligne.compte, None)}:{p.cle.code}",
                niveau=3,
                style=Style.DONT,
                comptes=(p.ligne.compte,),
            )
            for p in sorted(parts, key=lambda p: (p.ligne.compte, p.cle.code))
        ]
        rows[index + 1 : index + 1] = details


def _row_value(rows: list[Ligne], id_: str) -> Decimal:
    for row in rows:
        if row.id == id_:
            value = row.valeurs.get(COLONNE)
            return value if isinstance(value, Decimal) else ZERO
    return ZERO


def _version_note(version: VersionBudget, fichier: str | None) -> str:
    where = f", fichier {fichier}" if fichier else ""
    return f"Budget : version « {version.nom} » ({version.code}) du {_date(version.date)}{where}."


def _date(day: datetime.date) -> str:
    return french_date(day)


def _balance_note(resultat: Decimal, total: Decimal, projet: bool) -> str:
    if resultat > 0:
        side = f"excédent prévisionnel de {montant(resultat)} porté en charges"
    elif resultat < 0:
        if projet:
            side = (
                f"ressources propres affectées au projet de {montant(-resultat)} "
                "portées en produits"
            )
        else:
            side = f"insuffisance prévisionnelle de {montant(-resultat)} portée en produits"
    else:
        side = "budget équilibré sans excédent ni insuffisance"
    return f"Équilibre : total des charges = total des produits = {montant(total)} ({side})."
