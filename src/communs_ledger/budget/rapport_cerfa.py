"""The CERFA 12156 budget table as a :class:`Rapport`: the figures of
:func:`communs_ledger.budget.cerfa.compute_cerfa` in the layout of
``plan_comptable/cerfa_12156.yaml``, with the French notes and warnings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from ..codes import parse_account
from ..exercices import Exercice, french_date
from ..formatage import montant
from ..plan import Chart, load_chart
from ..rapports.entete import sous_titre
from ..rapports.objets import Colonne, Genre, Ligne, Partie, Rapport, Style, Valeur
from .cerfa import (
    COLONNE,
    FUNDER_KEY,
    BudgetCerfa,
    ChapitreCerfa,
    Financeur,
    ModeleCerfa,
    PartieCerfa,
    compute_cerfa,
    modele_cerfa,
    sous_lignes,
)
from .fichier import LigneBudget, VersionBudget, ligne_id
from .indirectes import ChargesIndirectes, ligne_du_tableau

COMMENTAIRE = "commentaire"


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


def _detail_label(
    ligne: LigneBudget, comptes: Iterable[str], chart: Chart, with_project: bool
) -> str:
    label = ligne.libelle or f"{ligne.compte} {libelle_du_code(ligne.compte, comptes, chart)}"
    if with_project and ligne.projet:
        label += f" (projet {ligne.projet})"
    return label


def _avec_commentaires(
    value: Decimal, lignes: Iterable[LigneBudget], seul: bool = False
) -> dict[str, Valeur]:
    """The amount of a row and the comments (``commentaire:``) of the budget lines
    behind it, to explain the figure: « 6132 : … » (the text alone for one line's row)."""
    notes = [
        ligne.commentaire
        if seul
        else f"{ligne.compte}{f' ({ligne.projet})' if ligne.projet else ''} : {ligne.commentaire}"
        for ligne in sorted(lignes, key=lambda b: (b.compte, b.projet or ""))
        if ligne.commentaire
    ]
    valeurs: dict[str, Valeur] = {COLONNE: value}
    if notes:
        valeurs[COMMENTAIRE] = " ; ".join(notes)
    return valeurs


class _Table:
    """What the rows of the table are drawn from."""

    def __init__(self, cerfa: BudgetCerfa, comptes: list[str], chart: Chart) -> None:
        self.cerfa = cerfa
        self.comptes = comptes
        self.chart = chart
        self.modele = modele_cerfa()

    def behind(self, id_: str) -> list[LigneBudget]:
        return self.cerfa.budget_par_ligne.get(id_, [])

    def value(self, id_: str) -> Decimal:
        return self.cerfa.par_ligne.get(id_, Decimal(0))


def _rows_of_funder(table: _Table, sub_id: str) -> list[Ligne]:
    """One row per budget line of a funder type."""
    return [
        Ligne(
            libelle=_detail_label(ligne, table.comptes, table.chart, table.cerfa.projet is None),
            valeurs=_avec_commentaires(ligne.montant, (ligne,), seul=True),
            id=f"{sub_id}:{ligne_id(ligne.compte, ligne.projet)}",
            niveau=3,
            style=Style.DONT,
            comptes=(ligne.compte,),
        )
        for ligne in sorted(table.behind(sub_id), key=lambda b: (b.compte, b.projet or ""))
    ]


def _rows_of_chapter(table: _Table, chapitre: ChapitreCerfa) -> list[Ligne]:
    subs = sous_lignes(table.modele, chapitre)
    value = table.cerfa.par_chapitre[chapitre.id]
    if chapitre.masquer_si_nul and value == 0:
        return []
    behind = [
        line
        for id_ in (chapitre.id, *(sub_id for sub_id, _l, _m in subs))
        for line in table.behind(id_)
    ]
    rows = [
        Ligne(
            libelle=chapitre.libelle,
            valeurs=_avec_commentaires(value, table.behind(chapitre.id)),
            id=chapitre.id,
            style=Style.SOUS_TOTAL if subs else Style.NORMAL,
            comptes=_codes(behind),
        )
    ]
    for sub_id, label, hidden in subs:
        sub_value = table.value(sub_id)
        if hidden and sub_value == 0:
            continue
        rows.append(
            Ligne(
                libelle=label,
                valeurs=_avec_commentaires(
                    sub_value, () if chapitre.par_financeur else table.behind(sub_id)
                ),
                id=sub_id,
                niveau=2,
                comptes=_codes(table.behind(sub_id)),
            )
        )
        if chapitre.par_financeur:
            rows.extend(_rows_of_funder(table, sub_id))
    if chapitre.total is not None:
        total_id, total_label = chapitre.total
        rows.append(Ligne(total_label, {COLONNE: value}, id=total_id, style=Style.TOTAL))
    return rows


def _partie(table: _Table, partie: PartieCerfa) -> Partie:
    cerfa = table.cerfa
    rows = [
        row
        for chapitre in partie.chapitres
        if not (chapitre.projet_seulement and cerfa.projet is None)
        for row in _rows_of_chapter(table, chapitre)
    ]
    if partie.id == "charges" and cerfa.indirectes is not None and cerfa.indirectes.parts:
        _details_indirects(rows, cerfa.indirectes, table.comptes, table.chart)
    extra = cerfa.equilibre(partie.id)
    if partie.equilibre is not None and extra > 0:
        eq_id, label, label_projet = partie.equilibre
        rows.append(Ligne(label_projet if cerfa.projet else label, {COLONNE: extra}, id=eq_id))
    if partie.total is not None:
        total_id, total_label = partie.total
        total = cerfa.par_partie[partie.id] + extra
        rows.append(Ligne(total_label, {COLONNE: total}, id=total_id, style=Style.TOTAL))
    colonnes = [Colonne(COLONNE, "Montant")]
    if any(row.valeurs.get(COMMENTAIRE) for row in rows):
        colonnes.append(Colonne(COMMENTAIRE, "Commentaire", Genre.TEXTE))
    return Partie(partie.id, partie.titre, colonnes, rows, onglet=partie.onglet)


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
TOTAUX = (
    "charges_prevues",
    "produits_prevus",
    "resultat_previsionnel",
    "excedent_previsionnel",
    "insuffisance_previsionnelle",
    "total_charges",
    "total_produits",
    "ecart_charges_produits",
    "contributions_volontaires_emplois",
    "contributions_volontaires_ressources",
    "ecart_contributions",
)
"""The named totals (:class:`BudgetCerfa` attributes), in the report's order."""


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
    rows: list[Ligne], indirect: ChargesIndirectes, comptes: list[str], chart: Chart
) -> None:
    """Under each line of « Charges indirectes affectées au projet », one row per general
    budget line allocated to it: the project's share, the key and its base."""
    for index in range(len(rows) - 1, -1, -1):
        row = rows[index]
        parts = [p for p in indirect.parts if ligne_du_tableau(p.ligne.compte) == row.id]
        details = [
            Ligne(
                libelle=(
                    f"{_detail_label(p.ligne, comptes, chart, False)} — clé {p.cle.code} "
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


def _version_note(version: VersionBudget, fichier: str | None) -> str:
    where = f", fichier {fichier}" if fichier else ""
    return (
        f"Budget : version « {version.nom} » ({version.code}) du "
        f"{french_date(version.date)}{where}."
    )


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


def _notes(cerfa: BudgetCerfa, modele: ModeleCerfa, fichier: str | None) -> list[str]:
    projet = cerfa.projet
    notes = [_version_note(cerfa.version, fichier), modele.notes["source"]]
    notes.append(
        _balance_note(cerfa.resultat_previsionnel, cerfa.total_charges, projet is not None)
    )
    emplois = cerfa.contributions_volontaires_emplois
    if emplois == cerfa.contributions_volontaires_ressources:
        notes.append(f"Contributions volontaires : total 86 = total 87 = {montant(emplois)}.")
    notes.append(modele.notes["contributions"])
    notes.append(modele.notes["dons"])
    notes.append(
        "Subventions (74) classées par type de financeur : métadonnée type_financeur de "
        "l'ouverture du compte, sinon section financeurs: de communs.yaml (numéro de compte, "
        "puis nom du compte)."
    )
    if projet is not None and cerfa.indirectes is None:
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
    return notes


def _avertissements(cerfa: BudgetCerfa, modele: ModeleCerfa) -> list[str]:
    warnings = [_unknown_funder(modele, ligne, f) for ligne, f in cerfa.financeurs_inconnus]
    if cerfa.indirectes is not None:
        warnings.extend(cerfa.indirectes.avertissements)
    emplois = cerfa.contributions_volontaires_emplois
    ressources = cerfa.contributions_volontaires_ressources
    if emplois != ressources:
        warnings.append(
            f"Contributions volontaires déséquilibrées : emplois (86) {montant(emplois)}, "
            f"ressources (87) {montant(ressources)} ; le formulaire demande total 86 = total 87."
        )
    if cerfa.hors_tableau:
        listed = ", ".join(_designation(line) for line in cerfa.hors_tableau)
        warnings.append(
            f"Lignes du budget sans ligne correspondante au formulaire, présentées sur une "
            f"ligne « autres » : {listed}"
        )
    if cerfa.ignorees:
        listed = ", ".join(_designation(line) for line in cerfa.ignorees)
        warnings.append(f"Lignes du budget hors du tableau, non reprises : {listed}")
    warnings.extend(cerfa.avertissements_financeurs)
    if cerfa.projet is not None and not cerfa.lignes:
        warnings.append(f"Aucune ligne du budget ne porte le projet {cerfa.projet}.")
    return list(dict.fromkeys(warnings))


def build_rapport_cerfa(
    cerfa: BudgetCerfa, context: Any, comptes: Iterable[str], *, fichier: str | None = None
) -> Rapport:
    """The report of ``cerfa``: ``context`` gives the association's and the project's
    names, ``comptes`` (the ledger's accounts) the labels of codes beyond the chart,
    ``fichier`` the budget file named in the notes."""
    modele = modele_cerfa()
    exercice, version, projet = cerfa.exercice, cerfa.version, cerfa.projet
    table = _Table(cerfa, list(comptes), load_chart(exercice.version))
    parties = [_partie(table, partie) for partie in modele.parties]
    totaux = {name: getattr(cerfa, name) for name in TOTAUX}
    parties.append(_balance_part(totaux))
    config = context.config
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
        association=config.nom,
        parties=parties,
        sous_titre=sous_titre(
            exercice, exercice.fin, " — ".join(p for p in (precision, version_text) if p)
        ),
        exercice=exercice.code,
        periode=(exercice.debut, exercice.fin),
        totaux={COLONNE: totaux},
        notes=_notes(cerfa, modele, fichier),
        avertissements=_avertissements(cerfa, modele),
        meta={
            "formulaire": "CERFA 12156",
            "plan": exercice.version,
            "version": version.code,
            "version_nom": version.nom,
            "version_date": version.date,
            "projet": projet,
        },
    )


def cerfa_12156(
    context: Any,
    exercice: Exercice,
    version: VersionBudget,
    comptes: Mapping[str, Mapping[str, Any]],
    *,
    projet: str | None = None,
    fichier: str | None = None,
    cles: Any = None,
) -> Rapport:
    """The budget ``version`` of ``exercice`` in the CERFA 12156 layout
    (:func:`~communs_ledger.budget.cerfa.compute_cerfa`, then :func:`build_rapport_cerfa`)."""
    cerfa = compute_cerfa(context, exercice, version, comptes, projet=projet, cles=cles)
    return build_rapport_cerfa(cerfa, context, comptes, fichier=fichier)
