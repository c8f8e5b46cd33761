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

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from ..codes import longest_prefix, parse_account
from ..exercices import Exercice
from ..montants import ZERO
from ..plan import fold, load_data_yaml
from .fichier import LigneBudget, VersionBudget
from .indirectes import ChargesIndirectes, charges_indirectes
from .reglages import TYPES_FINANCEUR

LAYOUT_FILE = "cerfa_12156.yaml"
COLONNE = "montant"
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


# --- The figures ------------------------------------------------------------------------


@dataclass
class _Montants:
    """Amounts by table line id, and the budget lines behind each."""

    par_ligne: dict[str, Decimal]
    lignes: dict[str, list[LigneBudget]]
    hors_tableau: list[LigneBudget]  # on a fallback line (« autres »)
    ignorees: list[LigneBudget]  # no line at all (a code outside classes 6, 7, 86, 87)
    inconnus: list[tuple[LigneBudget, Financeur]]  # subsidies of an unknown funder type


def _attach(
    modele: ModeleCerfa, lignes: Iterable[LigneBudget], financeurs: Financeurs
) -> _Montants:
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    behind: dict[str, list[LigneBudget]] = defaultdict(list)
    outside: list[LigneBudget] = []
    ignored: list[LigneBudget] = []
    unknown: list[tuple[LigneBudget, Financeur]] = []
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
                unknown.append((ligne, funder))
        amounts[target] += ligne.montant
        behind[target].append(ligne)
    return _Montants(amounts, behind, outside, ignored, unknown)


def sous_lignes(modele: ModeleCerfa, chapitre: ChapitreCerfa) -> list[tuple[str, str, bool]]:
    """The lines of a chapter: (id, label, hidden when nil); one per funder type for the
    subsidies."""
    if chapitre.par_financeur:
        subs = [(modele.id_financeur(t), label, False) for t, label in modele.financeurs.items()]
        subs.append((*modele.autres_financeurs, True))
        return subs
    return [(line.id, line.libelle, line.masquer_si_nul) for line in chapitre.lignes]


def _par_chapitre(
    modele: ModeleCerfa, par_ligne: Mapping[str, Decimal], projet: str | None
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """The amount of each chapter of the table (its own and its lines'), and of each part
    (before the balancing line)."""
    chapitres: dict[str, Decimal] = {}
    parties: dict[str, Decimal] = {}
    for partie in modele.parties:
        total = ZERO
        for chapitre in partie.chapitres:
            if chapitre.projet_seulement and projet is None:
                continue
            subs = sous_lignes(modele, chapitre)
            value = par_ligne.get(chapitre.id, ZERO)
            value += sum((par_ligne.get(sub_id, ZERO) for sub_id, _l, _m in subs), ZERO)
            chapitres[chapitre.id] = value
            total += value
        parties[partie.id] = total
    return chapitres, parties


def _total_de_chapitre(
    modele: ModeleCerfa, chapitres: Mapping[str, Decimal], total_id: str
) -> Decimal:
    """The amount of the chapter whose total row is ``total_id`` (0 when not shown)."""
    for partie in modele.parties:
        for chapitre in partie.chapitres:
            if chapitre.total is not None and chapitre.total[0] == total_id:
                value = chapitres.get(chapitre.id, ZERO)
                return ZERO if chapitre.masquer_si_nul and value == 0 else value
    return ZERO


@dataclass(frozen=True, slots=True)
class BudgetCerfa:
    """The figures of a budget version in the CERFA 12156 table."""

    exercice: Exercice
    version: VersionBudget
    projet: str | None
    lignes: tuple[LigneBudget, ...]
    """The budget lines counted (those of ``projet`` with a project)."""
    par_ligne: Mapping[str, Decimal]
    """Table line (or chapter) id → amount, the allocated indirect costs included."""
    budget_par_ligne: Mapping[str, list[LigneBudget]]
    """Table line id → the budget lines behind it."""
    par_chapitre: Mapping[str, Decimal]
    """Chapter id → its amount (own and its lines'), for the chapters of the table."""
    par_partie: Mapping[str, Decimal]
    """Part id → its amount before the balancing line."""
    hors_tableau: tuple[LigneBudget, ...]
    ignorees: tuple[LigneBudget, ...]
    financeurs_inconnus: tuple[tuple[LigneBudget, Financeur], ...]
    avertissements_financeurs: tuple[str, ...]
    """Problems with the ``type_financeur:`` metadata of the ledger's accounts."""
    indirectes: ChargesIndirectes | None
    """With a project and allocation keys: its share of the general lines."""
    contributions_volontaires_emplois: Decimal
    contributions_volontaires_ressources: Decimal

    @property
    def charges_prevues(self) -> Decimal:
        return self.par_partie.get("charges", ZERO)

    @property
    def produits_prevus(self) -> Decimal:
        return self.par_partie.get("produits", ZERO)

    @property
    def resultat_previsionnel(self) -> Decimal:
        return self.produits_prevus - self.charges_prevues

    @property
    def excedent_previsionnel(self) -> Decimal:
        resultat = self.resultat_previsionnel
        return resultat if resultat > 0 else ZERO

    @property
    def insuffisance_previsionnelle(self) -> Decimal:
        resultat = self.resultat_previsionnel
        return -resultat if resultat < 0 else ZERO

    @property
    def total_charges(self) -> Decimal:
        return self.charges_prevues + self.excedent_previsionnel

    @property
    def total_produits(self) -> Decimal:
        return self.produits_prevus + self.insuffisance_previsionnelle

    @property
    def ecart_charges_produits(self) -> Decimal:
        return self.total_charges - self.total_produits

    @property
    def ecart_contributions(self) -> Decimal:
        return self.contributions_volontaires_emplois - self.contributions_volontaires_ressources

    def equilibre(self, partie: str) -> Decimal:
        """The balancing line of a part: the excédent for charges, the insuffisance for
        produits."""
        return {
            "charges": self.excedent_previsionnel,
            "produits": self.insuffisance_previsionnelle,
        }.get(partie, ZERO)


def compute_cerfa(
    context: Any,
    exercice: Exercice,
    version: VersionBudget,
    comptes: Mapping[str, Mapping[str, Any]],
    *,
    projet: str | None = None,
    cles: Any = None,
) -> BudgetCerfa:
    """The figures of the budget ``version`` of ``exercice`` in the CERFA 12156 table.

    ``context``: the ledger's :class:`~communs_ledger.contexte.LedgerContext` (config:
    ``financeurs``); ``comptes`` the ledger's opened accounts with their metadata
    (:func:`ouvertures`); ``projet``: the budget du projet, with ``cles``
    (:class:`~communs_ledger.analytique.cles.Cles`) its share of the general lines as
    « charges indirectes affectées au projet » (:mod:`communs_ledger.budget.indirectes`).
    """
    modele = modele_cerfa()
    financeurs = Financeurs(comptes, context.config.data.financeurs)
    lignes = [ligne for ligne in version.lignes if projet is None or ligne.projet == projet]
    montants = _attach(modele, lignes, financeurs)
    indirect = None
    if projet is not None and cles is not None:
        indirect = charges_indirectes(version.lignes, projet, cles)
        for line_id, value in indirect.par_ligne_du_tableau().items():
            montants.par_ligne[line_id] = montants.par_ligne.get(line_id, ZERO) + value
    chapitres, parties = _par_chapitre(modele, montants.par_ligne, projet)
    return BudgetCerfa(
        exercice=exercice,
        version=version,
        projet=projet,
        lignes=tuple(lignes),
        par_ligne=dict(montants.par_ligne),
        budget_par_ligne=dict(montants.lignes),
        par_chapitre=chapitres,
        par_partie=parties,
        hors_tableau=tuple(montants.hors_tableau),
        ignorees=tuple(montants.ignorees),
        financeurs_inconnus=tuple(montants.inconnus),
        avertissements_financeurs=tuple(financeurs.avertissements),
        indirectes=indirect,
        contributions_volontaires_emplois=_total_de_chapitre(
            modele, chapitres, "contributions_volontaires_emplois"
        ),
        contributions_volontaires_ressources=_total_de_chapitre(
            modele, chapitres, "contributions_volontaires_ressources"
        ),
    )
