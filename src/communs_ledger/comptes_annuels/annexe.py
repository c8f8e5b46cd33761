"""The figures and texts of the comptes annuels of an exercice: bilan and compte de
résultat (N and N-1), and the annexe (règlement ANC 2018-06).

Every table of the annexe comes from the engine that computes the statements, so
its totals equal their lines:

- immobilisations et amortissements: the register (:mod:`..immobilisations`);
- état des créances et des dettes: the bilan's lines of receivables and debts (gross
  amounts), split at one year by ``comptes_annuels.exercices.<code>.*_a_plus_d_un_an``
  (all within one year otherwise; a borrowing without its split is « à compléter »);
- variation des fonds dédiés: the dedicated conventions, as booked (opening,
  reports 689x, utilisations 789x, closing);
- contributions volontaires en nature: the 86/87 movements, by account;
- fonds propres: the bilan's lines at the opening (N-1) and the closing;
- fonds reportés (191): the bilan's line at the opening and the closing;
- dépréciations (29, 39, 49, 59): by actif line, like the provisions;
- engagements hors bilan: the 801 / 802 balances at the closing, with the text;
- changement de méthode: when N-1 followed another chart version (first 2025 exercice);
- subventions: the 74 credits of the exercice and the investment subsidies received in
  it (13 credits, opening entries left out), by funder (the convention's ``financeur``,
  else the account); with the dons ouvrant droit à réduction d'impôt (7541, 7542), they
  decide whether the comptes are published (:func:`seuils_de_publication`).

What the ledger cannot say (objet social, faits caractéristiques, engagements hors
bilan, effectif, valuation of the contributions en nature) comes from ``communs.yaml``;
when it is missing the document says « à compléter » and
:attr:`ComptesAnnuelsDeLExercice.a_completer` lists it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from ..codes import parse_account
from ..conventions.fichier import Conventions, conventions_du_grand_livre
from ..exercices import Exercice
from ..fonds_dedies.calcul import FondsDedie, calculer
from ..formatage import montant as montant_fr
from ..immobilisations.rapport import Immobilisations, compute_immobilisations
from ..immobilisations.registre import chemin_du_registre
from ..montants import ZERO
from ..mouvements import Mouvement
from ..plan import Chart, load_chart
from ..previsions.realise import est_ouverture
from ..rapports.bilan import BilanALaDate, BilanDeLExercice, bilan_des_soldes, compute_bilan
from ..rapports.comptes import libelle_compte
from ..rapports.modeles import BlocBilan
from ..rapports.resultat import CompteDeResultatDeLExercice, compute_compte_de_resultat
from ..rapports.source import RapportImpossible, Source
from ..sources import display_path
from .reglages import ComptesAnnuelsConfig, EffectifConfig, comptes_annuels_config

A_COMPLETER = "À compléter"

REGLES_PAR_DEFAUT = (
    "Les comptes annuels sont établis conformément au règlement ANC n° 2018-06 relatif "
    "aux comptes annuels des personnes morales de droit privé à but non lucratif et aux "
    "dispositions du plan comptable général (règlement ANC n° 2014-03 modifié). Les "
    "conventions générales comptables ont été appliquées dans le respect des principes "
    "de prudence, de continuité de l'activité, de permanence des méthodes d'un exercice "
    "à l'autre et d'indépendance des exercices. Les éléments inscrits en comptabilité "
    "sont évalués selon la méthode des coûts historiques. Les immobilisations sont "
    "amorties selon le mode linéaire, prorata temporis à compter de leur mise en "
    "service (année de 360 jours), sur leur durée d'utilisation. Les ressources "
    "affectées par un tiers financeur à un projet défini et non utilisées à la clôture "
    "sont inscrites en fonds dédiés."
)


def changement_de_methode(exercice: Exercice, precedent: Exercice | None) -> str | None:
    """The note on the change of accounting regulation when the exercice follows another
    chart version than its N-1 (first exercice opened from 1 January 2025): the
    comparability of the N-1 column. None otherwise."""
    if precedent is None or precedent.version == exercice.version:
        return None
    return (
        f"Changement de méthode comptable : l'exercice {exercice.code} est le premier "
        "ouvert à compter du 1er janvier 2025 ; il applique le règlement ANC n° 2018-06 "
        "modifié par le règlement ANC n° 2023-03 et le plan comptable général modifié par "
        "le règlement ANC n° 2022-06 (plan de comptes, modèles de bilan et de compte de "
        f"résultat), alors que l'exercice {precedent.code} relevait des textes antérieurs "
        f"(plan {precedent.version}). Pour permettre la comparaison, la colonne "
        f"{precedent.code} du bilan et du compte de résultat est présentée selon le modèle "
        f"{exercice.version} : les comptes supprimés en 2025 figurent sur la ligne de leur "
        "remplacement, les autres comptes sur la ligne de leur numéro ; les montants de "
        f"l'exercice {precedent.code} ne sont pas modifiés."
    )


CREANCES_IMMOBILISEES = ("prets", "autres_immobilisations_financieres")
"""Receivables of the actif immobilisé (loans granted, deposits 275, 276): in the état
des créances, their split at one year asked (the ledger cannot tell it)."""
CREANCES = (
    *CREANCES_IMMOBILISEES,
    "avances_acomptes_verses",
    "creances_usagers",
    "creances_legs_donations",
    "autres_creances",
    "charges_constatees_avance",
)
"""Bilan lines of receivables (état des créances; prepaid charges included, as in the
état des échéances of the PCG, at one year at most)."""
BLOC_DETTES = "bloc_dettes"
EMPRUNTS = (
    "emprunts_obligataires",
    "emprunts_etablissements_credit",
    "emprunts_dettes_financieres_divers",
)
"""Debt lines whose split at one year the ledger cannot tell (loan schedules, deposits
received 165, loans from members or partners 167, 168, 455)."""
BLOC_FONDS_PROPRES = "bloc_fonds_propres"
BLOC_PROVISIONS = "bloc_provisions"
LIGNE_FONDS_DEDIES = "fonds_dedies_sur_ressources"
"""The passif line of the fonds dédiés (194-196), whose variation the conventions give."""
BLOC_FONDS_REPORTES = "bloc_fonds_reportes_dedies"
LIGNE_FONDS_REPORTES = "fonds_reportes_legs_donations"
"""The fonds reportés liés aux legs ou donations (191): their own variation table."""
DEPRECIATIONS = ("29", "39", "49", "59")
"""Dépréciations of fixed assets, stocks, receivables and securities: with the
provisions in the état des provisions, by actif line (not the amortissements 28)."""
SUBVENTIONS = ("74", "7715")
"""Subsidies: 74, and before 2025 the subvention d'équilibre (7715, exceptional then)."""
SUBVENTIONS_INVESTISSEMENT = "13"
"""Investment subsidies: their credits in the exercice are subsidies received."""
HORS_SUBVENTIONS = ("747", "139")
"""Not received in the exercice: the quote-part of investment subsidies, and its 139."""
DONS_REDUCTION = ("7541", "7542")
"""Gifts giving right to a tax reduction (CGI art. 200 and 238 bis): dons manuels,
abandons de frais included, and mécénat. Legs and donations (7543) are left out: they
are exempt from droits de mutation, not a reduction of the 200 / 238 bis kind (reading
of loi 87-571 art. 4-1, said so in docs/comptes-annuels.md)."""
CONTRIBUTIONS = "87"
ENGAGEMENTS = (("801", "donnes"), ("802", "recus"))
"""Off-balance-sheet commitments booked in class 8 (given 801, received 802; their
counterpart 809 left out): in the annexe with the text of communs.yaml."""
SEUIL_PUBLICATION = Decimal(153_000)
"""Public subsidies (code de commerce L. 612-4), and separately gifts giving right to a
tax reduction (loi 87-571 art. 4-1), above which the comptes annuels are published."""


@dataclass(frozen=True, slots=True)
class LigneEtatDesEcheances:
    """One line of the état des créances et des dettes."""

    id: str
    libelle: str
    montant: Decimal
    plus_d_un_an: Decimal

    @property
    def un_an_au_plus(self) -> Decimal:
        return self.montant - self.plus_d_un_an


@dataclass(frozen=True, slots=True)
class VariationFondsPropres:
    id: str
    libelle: str
    ouverture: Decimal
    cloture: Decimal

    @property
    def variation(self) -> Decimal:
        return self.cloture - self.ouverture


@dataclass(frozen=True, slots=True)
class ProvisionAnnexe:
    """One line of the état des provisions: opening, increases (credits of the exercice:
    dotations 681x/686x/687x), decreases (debits: reprises 781x/786x/787x), closing."""

    id: str
    libelle: str
    ouverture: Decimal
    dotations: Decimal
    reprises: Decimal
    cloture: Decimal


@dataclass(frozen=True, slots=True)
class FondsDedieAnnexe:
    """One source of the tableau de variation des fonds dédiés, as booked."""

    reference: str
    objet: str
    ouverture: Decimal
    reports: Decimal
    utilisations: Decimal

    @property
    def cloture(self) -> Decimal:
        return self.ouverture + self.reports - self.utilisations


@dataclass(frozen=True)
class ComptesAnnuelsDeLExercice:
    exercice: Exercice
    bilan: BilanDeLExercice
    resultat: CompteDeResultatDeLExercice
    objet: str | None
    faits_caracteristiques: str | None
    regles_et_methodes: str
    changement_de_methode: str | None
    """The comparability note when N-1 followed another chart version."""
    engagements_hors_bilan: str | None
    engagements: dict[str, list[tuple[str, str, Decimal]]]
    """The 801 / 802 balances at the closing (``donnes``, ``recus``): (code, label, amount)."""
    evenements_posterieurs: str | None
    remuneration_dirigeants: str | None
    """The remuneration of the three highest-paid executives, from communs.yaml."""
    remuneration_requise: bool
    """Whether a publication threshold is crossed, so the annexe must give it."""
    effectif: EffectifConfig | None
    immobilisations: Immobilisations | None
    creances: list[LigneEtatDesEcheances]
    dettes: list[LigneEtatDesEcheances]
    fonds_dedies: list[FondsDedieAnnexe] | None
    contributions: list[tuple[str, str, Decimal]]
    """(code, label, amount) of each 87 account (resources in kind)."""
    valorisation_contributions: str | None
    fonds_propres: list[VariationFondsPropres]
    fonds_reportes: list[VariationFondsPropres]
    """The fonds reportés liés aux legs ou donations (191), when there are any."""
    provisions: list[ProvisionAnnexe]
    """The provisions for risks and charges, by bilan line."""
    depreciations: list[ProvisionAnnexe]
    """The dépréciations (:data:`DEPRECIATIONS`), by actif line."""
    subventions: list[tuple[str, Decimal]]
    """(funder, amount) of the subsidies of the exercice (investment subsidies included)."""
    dons: Decimal
    """The gifts of the exercice giving right to a tax reduction (:data:`DONS_REDUCTION`)."""
    a_completer: list[str] = field(default_factory=list)
    sans_salaries: bool = False
    """No wages nor social charges in the exercice: the annexe says there was no
    employee instead of asking for the effectif."""


def _lignes(blocs: list[BlocBilan], bloc_id: str) -> list[tuple[str, str]]:
    return [
        (ligne.id, ligne.libelle)
        for bloc in blocs
        if bloc.id == bloc_id
        for rubrique in bloc.rubriques
        for ligne in rubrique.lignes
    ]


def _tous(blocs: list[BlocBilan]) -> dict[str, str]:
    return {
        ligne.id: ligne.libelle
        for bloc in blocs
        for rubrique in bloc.rubriques
        for ligne in rubrique.lignes
    }


def _plus_d_un_an(bilan: BilanDeLExercice, line: str, par_prefixe: dict[str, Decimal]) -> Decimal:
    codes = {parse_account(a).code or "" for a in bilan.n.placement.comptes.get(line, ())}
    return sum(
        (
            amount
            for prefix, amount in par_prefixe.items()
            if any(c.startswith(prefix) for c in codes)
        ),
        ZERO,
    )


def _plus_d_un_an_donnee(
    bilan: BilanDeLExercice, line: str, par_prefixe: dict[str, Decimal]
) -> bool:
    """Whether communs.yaml gives the part after one year of ``line`` (0 included)."""
    codes = {parse_account(a).code or "" for a in bilan.n.placement.comptes.get(line, ())}
    return any(c.startswith(prefix) for prefix in par_prefixe for c in codes)


def _echeances(
    bilan: BilanDeLExercice, reglages: ComptesAnnuelsConfig, a_completer: list[str]
) -> tuple[list[LigneEtatDesEcheances], list[LigneEtatDesEcheances]]:
    placement = bilan.n.placement
    conf = reglages.exercice(bilan.exercice.code)
    actif = _tous(bilan.modele.actif)
    creances = [
        LigneEtatDesEcheances(
            line,
            actif[line],
            placement.brut.get(line, ZERO),
            _plus_d_un_an(bilan, line, conf.creances_a_plus_d_un_an),
        )
        for line in CREANCES
        if line in actif and placement.brut.get(line, ZERO)
    ]
    for ligne in creances:
        if ligne.id in CREANCES_IMMOBILISEES and not _plus_d_un_an_donnee(
            bilan, ligne.id, conf.creances_a_plus_d_un_an
        ):
            a_completer.append(
                f"part à plus d'un an de « {ligne.libelle} » ({bilan.exercice.code}) : "
                f'comptes_annuels.exercices."{bilan.exercice.code}".creances_a_plus_d_un_an '
                "dans communs.yaml (0 si tout est dû dans l'année)"
            )
    dettes = []
    for line, libelle in _lignes(bilan.modele.passif, BLOC_DETTES):
        montant = placement.passif.get(line, ZERO)
        # Every debt line, PCA and instruments de trésorerie included: the état's total
        # is the bilan's total of the dettes.
        if not montant:
            continue
        plus = _plus_d_un_an(bilan, line, conf.dettes_a_plus_d_un_an)
        if line in EMPRUNTS and not _plus_d_un_an_donnee(bilan, line, conf.dettes_a_plus_d_un_an):
            a_completer.append(
                f"part à plus d'un an de « {libelle} » ({bilan.exercice.code}) : "
                f'comptes_annuels.exercices."{bilan.exercice.code}".dettes_a_plus_d_un_an '
                "dans communs.yaml (0 si tout est dû dans l'année)"
            )
        dettes.append(LigneEtatDesEcheances(line, libelle, montant, plus))
    for lignes, cle in ((creances, "creances"), (dettes, "dettes")):
        for ligne in lignes:
            if ligne.plus_d_un_an > ligne.montant:
                a_completer.append(
                    f"part à plus d'un an de « {ligne.libelle} » ({bilan.exercice.code}) : "
                    f"{montant_fr(ligne.plus_d_un_an)} dans communs.yaml, plus que les "
                    f"{montant_fr(ligne.montant)} du bilan (comptes_annuels.exercices."
                    f'"{bilan.exercice.code}".{cle}_a_plus_d_un_an)'
                )
    return creances, dettes


def _ouverture(source: Source, bilan: BilanDeLExercice) -> BilanALaDate | None:
    """The opening balances: the bilan N-1, or for the ledger's first exercice those of its
    opening entries (« reprise du bilan », :func:`est_ouverture`) on its first day."""
    if bilan.n1 is not None:
        return bilan.n1
    debut = bilan.exercice.debut
    entries: dict[int, list[Mouvement]] = {}
    for movement in source.mouvements.entre(debut, debut):
        entries.setdefault(id(movement.entry), []).append(movement)
    soldes: dict[str, Decimal] = defaultdict(Decimal)
    for postings in entries.values():
        if est_ouverture(postings):
            for movement in postings:
                soldes[movement.account] += movement.montant
    return bilan_des_soldes(bilan.exercice, debut, bilan.modele, soldes) if soldes else None


def _reprises_non_reconnues(source: Source, exercice: Exercice) -> list[str]:
    """First-day entries of the ledger's first exercice that credit the fonds propres (10)
    from balance-sheet accounts only, without a report à nouveau, a résultat or the bilan
    d'ouverture (11, 12, 89): a reprise du bilan or a founder's contribution, the ledger
    cannot tell; they are read as a variation of the exercice (one sentence each)."""
    entries: dict[int, list[Mouvement]] = {}
    for movement in source.mouvements.entre(exercice.debut, exercice.debut):
        entries.setdefault(id(movement.entry), []).append(movement)
    found = []
    for postings in entries.values():
        codes = [m.code or "" for m in postings]
        if not all(code[:1] in "12345" for code in codes):
            continue
        if not any(
            code.startswith("10") and m.montant < 0 for code, m in zip(codes, postings, strict=True)
        ):
            continue
        meta = postings[0].entry.meta or {}
        where = f"{display_path(meta.get('filename', '?'))}:{meta.get('lineno', 0)}"
        found.append(
            f"fonds propres à l'ouverture : l'écriture du premier jour ({where}) crédite les "
            "fonds propres (10) sans report à nouveau (11), résultat (12) ni bilan "
            "d'ouverture (89) : elle est lue comme un apport de l'exercice, pas comme la "
            "reprise du bilan ; si c'est la reprise, ajoutez-lui la ligne "
            "« Fonds-propres:11-Report-a-nouveau:110-Report-a-nouveau-crediteur 0.00 EUR »"
        )
    return found


def _variations(
    bilan: BilanDeLExercice, bloc: str, debut: BilanALaDate | None
) -> list[VariationFondsPropres]:
    """Opening (``debut``) and closing amounts of the non-zero passif lines of ``bloc``."""
    rows = []
    for line, libelle in _lignes(bilan.modele.passif, bloc):
        ouverture = debut.montant(line) if debut is not None else ZERO
        cloture = bilan.n.montant(line)
        if ouverture or cloture:
            rows.append(VariationFondsPropres(line, libelle, ouverture, cloture))
    return rows


def _ecritures(source: Source, exercice: Exercice) -> list[tuple[bool, list[Mouvement]]]:
    """The entries of the exercice: (is an opening entry, its movements)."""
    entries: dict[int, list[Mouvement]] = defaultdict(list)
    for m in source.mouvements.entre(exercice.debut, exercice.fin):
        entries[id(m.entry)].append(m)
    return [(est_ouverture(postings), postings) for postings in entries.values()]


def _provisions(
    bilan: BilanDeLExercice,
    debut: BilanALaDate | None,
    ecritures: list[tuple[bool, list[Mouvement]]],
) -> list[ProvisionAnnexe]:
    """The état des provisions: by passif line of the provisions, the credits of its
    accounts in the exercice (dotations) and their debits (reprises), opening entries
    left out; the closing is the bilan's."""
    rows = []
    for line in _variations(bilan, BLOC_PROVISIONS, debut):
        comptes = set(bilan.n.placement.comptes.get(line.id, ()))
        if debut is not None:
            comptes |= debut.placement.comptes.get(line.id, set())
        montants = [
            m.montant
            for ouverture, postings in ecritures
            if not ouverture
            for m in postings
            if m.account in comptes
        ]
        dotations = -sum((x for x in montants if x < 0), ZERO)
        reprises = sum((x for x in montants if x > 0), ZERO)
        rows.append(
            ProvisionAnnexe(
                line.id, line.libelle, line.ouverture, dotations, reprises, line.cloture
            )
        )
    return rows


def _depreciations(
    bilan: BilanDeLExercice,
    debut: BilanALaDate | None,
    ecritures: list[tuple[bool, list[Mouvement]]],
) -> list[ProvisionAnnexe]:
    """The dépréciations by actif line: opening (``debut``) and closing balances of the
    29/39/49/59 accounts, their credits in the exercice (dotations) and debits
    (reprises), opening entries left out."""
    actif = _tous(bilan.modele.actif)
    soldes: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for colonne, placement in (("ouverture", debut), ("cloture", bilan.n)):
        for line, detail in (placement.placement.detail if placement else {}).items():
            for account, balance in detail.items():
                if (parse_account(account).code or "").startswith(DEPRECIATIONS):
                    soldes[line][colonne] -= balance
    for ouverture, postings in ecritures:
        for m in postings:
            code = m.code or ""
            if ouverture or not code.startswith(DEPRECIATIONS):
                continue
            spot = bilan.modele.placer(code, Decimal(-1))
            if spot is None:
                continue
            soldes[spot[0]]["dotations" if m.montant < 0 else "reprises"] += abs(m.montant)
    return [
        ProvisionAnnexe(
            f"depreciation_{line}",
            f"Dépréciations — {actif.get(line, line)}",
            *(soldes[line][k] for k in ("ouverture", "dotations", "reprises", "cloture")),
        )
        for line in actif
        if line in soldes and any(soldes[line].values())
    ]


def conventions_lues(source: Source) -> Conventions | None:
    """The ledger's conventions (None without a file); :class:`RapportImpossible` when
    the file has errors."""
    conventions, errors = conventions_du_grand_livre(source.context)
    if errors:
        details = "\n".join(str(error) for error in errors[:10])
        raise RapportImpossible(f"le fichier des conventions a des erreurs :\n{details}")
    return conventions


def variation_des_fonds_dedies(
    source: Source, conventions: Conventions | None, exercice: Exercice
) -> list[FondsDedieAnnexe] | None:
    """The tableau de variation des fonds dédiés, as booked (None without conventions)."""
    if conventions is None:
        return None
    fonds: list[FondsDedie] = calculer(source, conventions, exercice)
    return [
        FondsDedieAnnexe(f.reference, f.objet, f.ouverture, f.report_passe, f.utilisation_passee)
        for f in fonds
    ]


def _est_subvention(movement: Mouvement, ouverture: bool) -> bool:
    """A subsidy received: a 74 (or 7715) movement, or the credit of an investment
    subsidy (13) outside an opening entry; never the quote-part (747, 139)."""
    code = movement.code or ""
    if code.startswith(HORS_SUBVENTIONS):
        return False
    if code.startswith(SUBVENTIONS_INVESTISSEMENT):
        return movement.montant < 0 and not ouverture
    return code.startswith(SUBVENTIONS)


def _subventions(
    source: Source, conventions: Conventions | None, exercice: Exercice
) -> list[tuple[str, Decimal]]:
    found: dict[str, Decimal] = defaultdict(Decimal)
    chart = load_chart(exercice.version)
    for ouverture, postings in _ecritures(source, exercice):
        for m in postings:
            if _est_subvention(m, ouverture):
                _ajouter_subvention(found, m, conventions, chart)
    return sorted(((k, v) for k, v in found.items() if v), key=lambda item: -item[1])


def _ajouter_subvention(
    found: dict[str, Decimal], m: Mouvement, conventions: Conventions | None, chart: Chart
) -> None:
    reference = conventions.reference_de(m) if conventions is not None else None
    convention = conventions.get(reference) if conventions and reference else None
    financeur = convention.financeur if convention else libelle_compte(chart, m.account)
    found[financeur] -= m.montant


def _dons(source: Source, exercice: Exercice) -> Decimal:
    """The gifts of the exercice giving right to a tax reduction, receipted or not."""
    return -sum(
        (
            m.montant
            for m in source.mouvements.entre(exercice.debut, exercice.fin)
            if (m.code or "").startswith(DONS_REDUCTION)
        ),
        ZERO,
    )


def seuil_franchi(subventions: list[tuple[str, Decimal]], dons: Decimal) -> bool:
    """Whether the subsidies, or apart the gifts, are above :data:`SEUIL_PUBLICATION`."""
    total = sum((amount for _f, amount in subventions), ZERO)
    return total > SEUIL_PUBLICATION or dons > SEUIL_PUBLICATION


def seuils_de_publication(comptes: ComptesAnnuelsDeLExercice) -> list[str]:
    """The publication thresholds crossed, one French sentence each: the public subsidies
    (code de commerce L. 612-4) and, apart, the gifts giving right to a tax reduction
    (loi 87-571 art. 4-1), each above :data:`SEUIL_PUBLICATION` over the exercice."""
    seuil = montant_fr(SEUIL_PUBLICATION)
    subventions = sum((amount for _f, amount in comptes.subventions), ZERO)
    phrases = []
    if subventions > SEUIL_PUBLICATION:
        phrases.append(
            f"Subventions publiques de l'exercice : {montant_fr(subventions)}, plus de {seuil} : "
            "les comptes annuels sont publiés au Journal officiel, avec le rapport du "
            "commissaire aux comptes (article L. 612-4 du code de commerce)."
        )
    if comptes.dons > SEUIL_PUBLICATION:
        phrases.append(
            f"Dons ouvrant droit à réduction d'impôt de l'exercice (7541, 7542) : "
            f"{montant_fr(comptes.dons)}, plus de {seuil} : les comptes annuels sont publiés "
            "au Journal officiel, avec le rapport du commissaire aux comptes (article 4-1 "
            "de la loi n° 87-571 du 23 juillet 1987)."
        )
    return phrases


def _contributions(source: Source, exercice: Exercice) -> list[tuple[str, str, Decimal]]:
    chart = load_chart(exercice.version)
    found: dict[str, Decimal] = defaultdict(Decimal)
    for m in source.mouvements.entre(exercice.debut, exercice.fin):
        code = m.code or ""
        if code.startswith(CONTRIBUTIONS):
            found[code[:3]] -= m.montant
    rows = []
    for code in sorted(found):
        account = chart.nearest(code)
        if found[code]:
            rows.append((code, account.libelle if account else code, found[code]))
    return rows


def _engagements(source: Source, exercice: Exercice) -> dict[str, list[tuple[str, str, Decimal]]]:
    """The balances of the commitments accounts at the closing, by account number."""
    chart = load_chart(exercice.version)
    found: dict[str, dict[str, Decimal]] = {sens: defaultdict(Decimal) for _p, sens in ENGAGEMENTS}
    for account, balance in source.mouvements.totaux(None, exercice.fin).items():
        code = parse_account(account).code or ""
        for prefix, sens in ENGAGEMENTS:
            if code.startswith(prefix):
                found[sens][code] += balance
    rows: dict[str, list[tuple[str, str, Decimal]]] = {}
    for sens, amounts in found.items():
        rows[sens] = [
            (code, _libelle_du_code(chart, code), abs(amount))
            for code, amount in sorted(amounts.items())
            if amount
        ]
    return rows


def _libelle_du_code(chart: Chart, code: str) -> str:
    account = chart.nearest(code)
    return account.libelle if account else code


def _textes(
    source: Source,
    exercice: Exercice,
    a_completer: list[str],
    engagements: bool,
    sans_salaries: bool,
) -> dict[str, str | None]:
    config = source.context.config
    reglages = comptes_annuels_config(config)
    conf = reglages.exercice(exercice.code)
    association = config.data.association
    textes: dict[str, str | None] = {
        "objet": association.objet if association else None,
        "faits_caracteristiques": conf.faits_caracteristiques,
        "engagements_hors_bilan": conf.engagements_hors_bilan,
    }
    noms = {
        "objet": "objet social (association.objet dans communs.yaml)",
        "faits_caracteristiques": f"faits caractéristiques de l'exercice (comptes_annuels."
        f'exercices."{exercice.code}".faits_caracteristiques)',
        "engagements_hors_bilan": f"engagements hors bilan (comptes_annuels.exercices."
        f"\"{exercice.code}\".engagements_hors_bilan ; « Aucun. » s'il n'y en a pas)",
    }
    for key, value in textes.items():
        # Commitments booked in 801 / 802 are in the annexe: the text is then optional.
        if not value and not (key == "engagements_hors_bilan" and engagements):
            a_completer.append(noms[key])
    if conf.effectif is None and not sans_salaries:
        a_completer.append(
            f'effectif (comptes_annuels.exercices."{exercice.code}".effectif : salaries, etp)'
        )
    return textes


def compute_comptes_annuels(source: Source, exercice: Exercice) -> ComptesAnnuelsDeLExercice:
    """The comptes annuels of ``exercice`` (see the module docstring)."""
    a_completer: list[str] = []
    reglages = comptes_annuels_config(source.context.config)
    bilan = compute_bilan(source, exercice)
    debut = _ouverture(source, bilan)
    if bilan.n1 is None and debut is None:
        a_completer.extend(_reprises_non_reconnues(source, exercice))
    resultat = compute_compte_de_resultat(source, exercice)
    engagements = _engagements(source, exercice)
    # Neither wages nor social charges: no employee, nothing to ask (a volunteer club).
    sans_salaries = not any(
        resultat.n.montant(ligne) for ligne in ("salaires_traitements", "charges_sociales")
    )
    textes = _textes(source, exercice, a_completer, any(engagements.values()), sans_salaries)
    immobilisations = None
    if chemin_du_registre(source.context) is not None:
        immobilisations = compute_immobilisations(source, exercice)
    elif bilan.n.montant("total_actif_immobilise"):
        a_completer.append(
            "tableau des immobilisations : déclarez le registre (immobilisations: "
            "immobilisations.yaml dans communs.yaml)"
        )
    creances, dettes = _echeances(bilan, reglages, a_completer)
    conventions = conventions_lues(source)
    fonds_dedies = variation_des_fonds_dedies(source, conventions, exercice)
    if fonds_dedies is None and bilan.n.montant(LIGNE_FONDS_DEDIES):
        a_completer.append(
            "variation des fonds dédiés : déclarez les conventions (conventions: "
            "conventions.yaml dans communs.yaml)"
        )
    contributions = _contributions(source, exercice)
    ecritures = _ecritures(source, exercice)
    subventions = _subventions(source, conventions, exercice)
    dons = _dons(source, exercice)
    conf = reglages.exercice(exercice.code)
    requise = seuil_franchi(subventions, dons)
    if requise and not conf.remuneration_dirigeants:
        a_completer.append(
            "rémunération des trois plus hauts cadres dirigeants, bénévoles et salariés, "
            "avantages en nature compris : seuil de publication franchi (comptes_annuels."
            f'exercices."{exercice.code}".remuneration_dirigeants)'
        )
    if contributions and not reglages.contributions_en_nature:
        a_completer.append(
            "méthode de valorisation des contributions volontaires en nature "
            "(comptes_annuels.contributions_en_nature)"
        )
    return ComptesAnnuelsDeLExercice(
        exercice=exercice,
        bilan=bilan,
        resultat=resultat,
        objet=textes["objet"],
        faits_caracteristiques=textes["faits_caracteristiques"],
        regles_et_methodes=reglages.regles_et_methodes or REGLES_PAR_DEFAUT,
        changement_de_methode=changement_de_methode(
            exercice, bilan.n1.exercice if bilan.n1 is not None else None
        ),
        engagements_hors_bilan=textes["engagements_hors_bilan"],
        engagements=engagements,
        evenements_posterieurs=conf.evenements_posterieurs,
        remuneration_dirigeants=conf.remuneration_dirigeants,
        remuneration_requise=requise,
        effectif=reglages.exercice(exercice.code).effectif,
        immobilisations=immobilisations,
        creances=creances,
        dettes=dettes,
        fonds_dedies=fonds_dedies,
        contributions=contributions,
        valorisation_contributions=reglages.contributions_en_nature,
        fonds_propres=_variations(bilan, BLOC_FONDS_PROPRES, debut),
        fonds_reportes=[
            ligne
            for ligne in _variations(bilan, BLOC_FONDS_REPORTES, debut)
            if ligne.id == LIGNE_FONDS_REPORTES
        ],
        provisions=_provisions(bilan, debut, ecritures),
        depreciations=_depreciations(bilan, debut, ecritures),
        subventions=subventions,
        dons=dons,
        a_completer=a_completer,
        sans_salaries=sans_salaries,
    )
