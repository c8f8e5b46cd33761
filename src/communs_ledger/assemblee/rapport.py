"""The report of ``communs rapport-financier``: the figures of
:func:`.rapport_financier.compute_rapport_financier` laid out section by section, with
their charts and the treasurer's comments.

The report is a document in sections: ``meta["sections"]`` lists them in order, each
with its id, title, parts and charts (``parties``, ``graphiques``: ids); the HTML
renderer places each chart and comment in its section (:mod:`communs_ledger.rendu.en_html`),
the other formats show the parts in order. A comment is a text part whose one note is
Markdown (ids in ``meta["markdown"]``; ``commentaire_<section>``, ``commentaire_introduction``,
``commentaire_fin``).

Part ids: ``chiffres_cles``, ``ressources``, ``subventions_par_type``, ``financeurs``,
``charges``, ``projets``, ``affectation``, ``budget``, ``fonds_dedies``, ``tresorerie``,
``indicateurs``, ``budget_suivant``. Chart ids: ``ressources``, ``charges``,
``tresorerie``. Named totals (column ``n``, and ``n1``): ``produits``, ``charges``,
``resultat``, ``fonds_propres``, ``tresorerie``, ``fonds_dedies``; in ``n`` also
``reserves`` and ``report_a_nouveau``. ``meta["mois_de_reserve"]``: the months of charges
the cash covers (to 0.1).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ..budget.fichier import Budgets
from ..dates import MOIS, MOIS_COURTS
from ..exercices import Exercice, french_date
from ..formatage import montant, nombre
from ..montants import ZERO, round_to
from ..rapports.objets import (
    Colonne,
    Genre,
    Graphique,
    Ligne,
    Partie,
    Rapport,
    Serie,
    Style,
    Valeur,
)
from ..rapports.source import Source
from .commentaires import FIN, INTRODUCTION, Commentaire
from .rapport_financier import (
    A_COMPLETER,
    SECTIONS,
    ChiffresCles,
    PosteChiffre,
    RapportFinancier,
    commande_budget_nouveau,
    compute_rapport_financier,
    texte_valeur,
)

LECTURE = "lecture"
"""The text column of the indicators: what each one means, and the verdict."""
INTRODUCTION_TITRE = "Le mot du trésorier"
COMMENTAIRE_TITRE = "Commentaire du trésorier"
CHIFFRES = (
    ("produits", "Total des produits"),
    ("charges", "Total des charges"),
    ("resultat", "Résultat (excédent ou déficit)"),
    ("fonds_propres", "Fonds propres à la clôture"),
    ("tresorerie", "Trésorerie à la clôture"),
    ("fonds_dedies", "Fonds dédiés à la clôture"),
)


def _colonnes_n_n1(rf: RapportFinancier, part: str | None = None) -> list[Colonne]:
    """The N and N-1 columns; with ``part`` (« Part des produits »: the base), the share of
    each line in the table's total."""
    columns = [Colonne("n", f"Exercice {rf.exercice.code}")]
    if rf.precedent is not None:
        columns.append(Colonne("n1", f"Exercice {rf.precedent.code}"))
    if part is not None:
        columns.append(Colonne("part", f"{part} {rf.exercice.code}", Genre.POURCENTAGE))
    return columns


def _ligne(poste: PosteChiffre, total: Decimal | None = None, style: Style = Style.NORMAL) -> Ligne:
    valeurs: dict[str, Valeur] = {"n": poste.n, "n1": poste.n1}
    if total is not None:
        valeurs["part"] = poste.n / total if total > 0 else None
    return Ligne(poste.libelle, valeurs, id=poste.id, style=style)


def _table(
    rf: RapportFinancier,
    id_: str,
    titre: str,
    postes: Sequence[PosteChiffre],
    total: tuple[PosteChiffre, str] | None,
) -> Partie:
    """A table of ``postes``; with ``total`` (its line, the header of the share column), each
    line's share of it."""
    whole = total[0].n if total is not None else None
    rows = [_ligne(p, whole) for p in postes]
    if total is not None:
        rows.append(_ligne(total[0], whole, Style.TOTAL))
    return Partie(id_, titre, _colonnes_n_n1(rf, total and total[1]), rows)


def _texte(id_: str, titre: str, texte: str) -> Partie:
    return Partie(id_, titre, [], [], [texte])


def _barres(
    rf: RapportFinancier, id_: str, titre: str, postes: Sequence[PosteChiffre]
) -> Graphique:
    series = [Serie(f"Exercice {rf.exercice.code}", tuple(p.n for p in postes))]
    if rf.precedent is not None:
        series.append(Serie(f"Exercice {rf.precedent.code}", tuple(p.n1 for p in postes)))
    return Graphique(id_, titre, tuple(p.libelle for p in postes), series, genre="barres")


# --- Sections ---------------------------------------------------------------------------------


def _chiffres_cles(rf: RapportFinancier) -> list[Partie]:
    def values(chiffres: ChiffresCles | None, key: str) -> Decimal | None:
        return getattr(chiffres, key) if chiffres is not None else None

    rows = [
        Ligne(
            libelle,
            {"n": values(rf.chiffres, key), "n1": values(rf.chiffres_n1, key)},
            id=key,
            style=Style.TOTAL if key == "resultat" else Style.NORMAL,
        )
        for key, libelle in CHIFFRES
    ]
    columns = _colonnes_n_n1(rf)
    if rf.chiffres_n1 is not None:
        columns.append(Colonne("evolution", "Évolution"))
        for row in rows:
            n, n1 = row.valeurs["n"], row.valeurs["n1"]
            if isinstance(n, Decimal) and isinstance(n1, Decimal):
                row.valeurs["evolution"] = n - n1
    titre = f"Exercice {rf.exercice.code}"
    if rf.precedent is not None:
        titre += f" comparé à {rf.precedent.code}"
    return [Partie("chiffres_cles", titre, columns, rows)]


def _ressources(rf: RapportFinancier) -> list[Partie]:
    ressources = _table(
        rf,
        "ressources",
        "Produits par origine",
        rf.ressources,
        (rf.total_ressources, "Part des produits"),  # not of the resources: reprises included
    )
    cv = rf.contributions_volontaires
    if cv.n or cv.n1:
        ressources.lignes.append(
            Ligne(
                f"{cv.libelle}, à part, hors total",
                {"n": cv.n, "n1": cv.n1},
                id=cv.id,
                style=Style.NOTE,
            )
        )
    ressources.notes.append(
        "Origine : subventions publiques, financements privés, dons, cotisations, ventes "
        "et autres produits (comme « communs ressources ») ; la dernière ligne rassemble ce "
        "qui n'est pas une ressource nouvelle de l'exercice (reprises de provisions, fonds "
        "dédiés utilisés, quote-part des subventions d'investissement, cessions). La part "
        "est celle du total des produits, cette ligne comprise : « communs ressources » "
        "rapporte aux ressources (sans elle), le diagnostic aux produits d'exploitation."
    )
    parties = [ressources]
    if rf.subventions_par_type:
        parties.append(
            _table(
                rf,
                "subventions_par_type",
                "Subventions publiques par type de financeur",
                rf.subventions_par_type,
                None,
            )
        )
    if rf.financeurs:
        parties.append(_table(rf, "financeurs", "Principaux financeurs", rf.financeurs, None))
    return parties


def _charges(rf: RapportFinancier) -> list[Partie]:
    total = (rf.total_charges, "Part des charges")
    return [_table(rf, "charges", "Charges par nature", rf.charges, total)]


def _projets(rf: RapportFinancier) -> list[Partie]:
    if not rf.projets:
        return []
    columns = [
        Colonne("produits", "Produits"),
        Colonne("charges", "Charges"),
        Colonne("resultat", "Résultat"),
    ]
    rows = [
        Ligne(
            p.nom,
            {"produits": p.produits, "charges": p.charges, "resultat": p.resultat},
            id=f"projet:{p.code}" if p.code else "sans_projet",
        )
        for p in rf.projets
    ]
    produits = sum((p.produits for p in rf.projets), ZERO)
    charges = sum((p.charges for p in rf.projets), ZERO)
    rows.append(
        Ligne(
            "Total",
            {"produits": produits, "charges": charges, "resultat": produits - charges},
            id="total",
            style=Style.TOTAL,
        )
    )
    return [
        Partie(
            "projets",
            f"Produits et charges par projet ({rf.exercice.code})",
            columns,
            rows,
            ["Charges et produits affectés directement à chaque projet (métadonnée projet)."],
        )
    ]


def _affectation(rf: RapportFinancier) -> list[Partie]:
    a = rf.affectation
    exces = "Excédent" if a.resultat >= 0 else "Déficit"
    rows = [
        Ligne(f"{exces} de l'exercice {rf.exercice.code}", {"montant": a.resultat}, id="resultat"),
        Ligne("Report à nouveau", {"montant": a.report_a_nouveau}, id="report_a_nouveau"),
        Ligne("Réserves (1068)", {"montant": a.reserves}, id="reserves"),
    ]
    if a.origine == "votee" and a.date is not None:
        note = f"Affectation votée par l'AG, passée en écriture le {french_date(a.date)}."
        titre = "Affectation votée"
    elif a.origine == "proposee":
        note = "Proposition du conseil d'administration, soumise au vote de l'assemblée."
        titre = "Affectation proposée à l'assemblée"
    else:
        note = (
            f"{A_COMPLETER} : proposition du conseil (par défaut, tout le résultat en report "
            "à nouveau)."
        )
        titre = "Affectation proposée à l'assemblée"
    return [Partie("affectation", titre, [Colonne("montant", "Montant")], rows, [note])]


def _budget(rf: RapportFinancier) -> list[Partie]:
    b = rf.budget
    titre = f"Budget et réalisé {rf.exercice.code}"
    if b is None:
        return [
            _texte("budget", titre, f"{A_COMPLETER} : budget de l'exercice {rf.exercice.code}.")
        ]
    columns = [
        Colonne("budget", "Budget"),
        Colonne("realise", "Réalisé"),
        Colonne("ecart", "Écart"),
    ]
    rows = []
    for id_, libelle, budget, realise in (
        ("produits", "Produits", b.produits_budget, b.produits_realise),
        ("charges", "Charges", b.charges_budget, b.charges_realise),
        ("resultat", "Résultat", b.resultat_budget, b.resultat_realise),
    ):
        rows.append(
            Ligne(
                libelle,
                {"budget": budget, "realise": realise, "ecart": realise - budget},
                id=id_,
                style=Style.TOTAL if id_ == "resultat" else Style.NORMAL,
            )
        )
    return [
        Partie(
            "budget",
            titre,
            columns,
            rows,
            [f"Budget : version « {b.version} » ; le détail par ligne : communs budget."],
        )
    ]


def _fonds_dedies(rf: RapportFinancier) -> list[Partie]:
    titre = "Fonds dédiés (subventions reçues pour un projet, pas encore utilisées)"
    if rf.fonds_dedies is None:
        return [_texte("fonds_dedies", titre, f"{A_COMPLETER} : conventions (conventions.yaml).")]
    if not rf.fonds_dedies:
        return [_texte("fonds_dedies", titre, "Aucun fonds dédié.")]
    columns = [
        Colonne("ouverture", "À l'ouverture"),
        Colonne("reports", "Reçus, reportés"),
        Colonne("utilisations", "Utilisés"),
        Colonne("cloture", "À la clôture"),
    ]
    rows = [
        Ligne(
            f"{f.objet} ({f.reference})",
            {
                "ouverture": f.ouverture,
                "reports": f.reports,
                "utilisations": f.utilisations,
                "cloture": f.cloture,
            },
            id=f.reference,
        )
        for f in rf.fonds_dedies
    ]
    fonds = rf.fonds_dedies
    rows.append(
        Ligne(
            "Total",
            {
                "ouverture": sum((f.ouverture for f in fonds), ZERO),
                "reports": sum((f.reports for f in fonds), ZERO),
                "utilisations": sum((f.utilisations for f in fonds), ZERO),
                "cloture": sum((f.cloture for f in fonds), ZERO),
            },
            id="total",
            style=Style.TOTAL,
        )
    )
    return [Partie("fonds_dedies", titre, columns, rows)]


def _tresorerie(rf: RapportFinancier) -> list[Partie]:
    rows = [
        Ligne(
            f"Fin {MOIS[m.mois[1] - 1]}",
            {"n": m.n, "n1": m.n1},
            id=f"mois:{m.mois[0]}-{m.mois[1]:02d}",
        )
        for m in rf.tresorerie
    ]
    columns = [Colonne("n", f"Exercice {rf.exercice.code}")]
    if rf.precedent is not None:
        columns = _colonnes_n_n1(rf)
    notes = ["Soldes des comptes bancaires et de caisse (classe 5) au dernier jour de chaque mois."]
    if rf.mois_de_reserve is not None:
        notes.append(
            f"À la clôture, la trésorerie ({montant(rf.chiffres.tresorerie)}) couvre "
            f"{nombre(round_to(rf.mois_de_reserve, Decimal('0.1')), 1)} mois de charges "
            "courantes (charges d'exploitation de l'exercice, payées ou non, hors dotations, "
            "fonds dédiés et valeurs des immobilisations cédées)."
        )
    return [Partie("tresorerie", "Trésorerie en fin de mois", columns, rows, notes)]


def _indicateurs(rf: RapportFinancier) -> list[Partie]:
    columns = [Colonne("n", f"Exercice {rf.exercice.code}", Genre.TEXTE)]
    if rf.precedent is not None:
        columns.append(Colonne("n1", f"Exercice {rf.precedent.code}", Genre.TEXTE))
    columns.append(Colonne(LECTURE, "Ce que cela veut dire", Genre.TEXTE))
    rows = [
        Ligne(
            i.libelle,
            {
                "n": texte_valeur(i.n, i.unite),
                "n1": texte_valeur(i.n1, i.unite) if rf.precedent is not None else None,
                LECTURE: i.sens,
            },
            id=i.id,
            statut=i.statut,
        )
        for i in rf.indicateurs
    ]
    return [
        Partie(
            "indicateurs",
            "Indicateurs du diagnostic financier",
            columns,
            rows,
            [
                "Repères d'usage des accompagnateurs, pas des règles de droit ; le détail : "
                "communs diagnostic."
            ],
        )
    ]


def _section_budget(
    id_: str, titre: str, postes: Sequence[PosteChiffre], total: Decimal
) -> list[Ligne]:
    """A title row, one row per line of the budget, the subtotal row (« Total des … »)."""
    rows = [Ligne(titre, {}, id=f"titre_{id_}", style=Style.TITRE)]
    rows += [Ligne(p.libelle, {"montant": p.n}, id=f"{id_}:{p.id}", niveau=2) for p in postes]
    total_ = f"Total des {titre.lower()}"
    rows.append(Ligne(total_, {"montant": total}, id=f"total_{id_}", style=Style.SOUS_TOTAL))
    return rows


def _budget_suivant(rf: RapportFinancier) -> list[Partie]:
    suivant = rf.exercice_suivant.code
    titre = f"Budget prévisionnel {suivant}"
    b = rf.budget_suivant
    if b is None:
        return [
            _texte(
                "budget_suivant",
                titre,
                f"{A_COMPLETER} : budget prévisionnel {suivant} à soumettre au vote de "
                f"l'assemblée ({commande_budget_nouveau(suivant, rf.budget is not None)}).",
            )
        ]
    rows = _section_budget("produits", "Produits", b.produits, b.total_produits)
    rows += _section_budget("charges", "Charges", b.charges, b.total_charges)
    rows.append(
        Ligne("Résultat prévisionnel", {"montant": b.resultat}, id="resultat", style=Style.TOTAL)
    )
    return [
        Partie(
            "budget_suivant",
            titre,
            [Colonne("montant", "Budget")],
            rows,
            [
                f"Version « {b.version} » du {french_date(b.date)} ; le détail : communs budget "
                f"-e {suivant}."
            ],
        )
    ]


PARTIES = {
    "chiffres_cles": _chiffres_cles,
    "ressources": _ressources,
    "charges": _charges,
    "projets": _projets,
    "resultat": _affectation,
    "budget": _budget,
    "fonds_dedies": _fonds_dedies,
    "tresorerie": _tresorerie,
    "diagnostic": _indicateurs,
    "budget_suivant": _budget_suivant,
}


def _graphiques(rf: RapportFinancier) -> dict[str, Graphique]:
    tresorerie = [Serie(f"Exercice {rf.exercice.code}", tuple(m.n for m in rf.tresorerie))]
    if rf.precedent is not None:
        tresorerie.append(
            Serie(f"Exercice {rf.precedent.code}", tuple(m.n1 for m in rf.tresorerie))
        )
    return {
        "ressources": _barres(rf, "ressources", "D'où viennent les produits", rf.ressources),
        "charges": _barres(rf, "charges", "Les charges par nature", rf.charges),
        "tresorerie": Graphique(
            "tresorerie",
            "La trésorerie en fin de mois",
            tuple(MOIS_COURTS[m.mois[1] - 1] for m in rf.tresorerie),
            tresorerie,
        ),
    }


def _commentaire(section: str, rang: int, commentaire: Commentaire) -> Partie:
    if section == INTRODUCTION:
        titre = INTRODUCTION_TITRE
    elif section == FIN:
        titre = commentaire.titre or COMMENTAIRE_TITRE
    else:
        titre = COMMENTAIRE_TITRE
    suffix = f"_{rang}" if rang else ""
    return _texte(f"commentaire_{section}{suffix}", titre, commentaire.texte)


def _sections(
    rf: RapportFinancier, graphiques: dict[str, Graphique]
) -> tuple[list[Partie], list[dict[str, object]], list[str]]:
    parties: list[Partie] = []
    sections: list[dict[str, object]] = []
    markdown: list[str] = []

    def add(id_: str, titre: str, own: list[Partie], charts: list[str], section: str) -> None:
        comments = [
            _commentaire(section, rang, c) for rang, c in enumerate(rf.commentaires.apres(section))
        ]
        markdown.extend(p.id for p in comments)
        listed = [*own, *comments] if section != INTRODUCTION else comments
        parties.extend(listed)
        if listed or charts:
            sections.append(
                {"id": id_, "titre": titre, "parties": [p.id for p in listed], "graphiques": charts}
            )

    add(INTRODUCTION, INTRODUCTION_TITRE, [], [], INTRODUCTION)
    for section, titre in SECTIONS.items():
        own = PARTIES[section](rf)
        charts = [section] if section in graphiques else []
        if section == "projets" and not own:
            charts = []
        add(section, titre, own, charts, section)
    add(FIN, "Pour conclure", [], [], FIN)
    return parties, sections, markdown


def _totaux(rf: RapportFinancier) -> dict[str, dict[str, Decimal]]:
    totaux = {"n": {key: getattr(rf.chiffres, key) for key, _ in CHIFFRES}}
    totaux["n"]["reserves"] = rf.affectation.reserves
    totaux["n"]["report_a_nouveau"] = rf.affectation.report_a_nouveau
    if rf.chiffres_n1 is not None:
        totaux["n1"] = {key: getattr(rf.chiffres_n1, key) for key, _ in CHIFFRES}
    return totaux


def _en_cours(rf: RapportFinancier) -> list[str]:
    if rf.derniere_ecriture is None:
        return []
    return [
        f"Exercice {rf.exercice.code} en cours : dernière écriture le "
        f"{french_date(rf.derniere_ecriture)} ; les chiffres ne sont pas ceux de la clôture."
    ]


def _liste(value: object) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


def build_rapport_financier(rf: RapportFinancier, source: Source) -> Rapport:
    """The :class:`Rapport` of the financial report (see the module docstring)."""
    exercice = rf.exercice
    graphiques = _graphiques(rf)
    parties, sections, markdown = _sections(rf, graphiques)
    shown = {g for s in sections for g in _liste(s["graphiques"])}
    return Rapport(
        id="rapport_financier",
        titre="Rapport financier",
        association=source.association,
        parties=parties,
        sous_titre=f"{exercice.libelle[0].upper()}{exercice.libelle[1:]} — rapport du "
        "trésorier à l'assemblée générale",
        exercice=exercice.code,
        periode=(exercice.debut, exercice.fin),
        totaux=_totaux(rf),
        avertissements=_en_cours(rf)
        + [f"{A_COMPLETER} : {item}" for item in rf.a_completer]
        + list(rf.commentaires.inconnus),
        meta={
            "sections": sections,
            "markdown": markdown,
            "a_completer": list(rf.a_completer),
            "commentaires": str(rf.commentaires.fichier.name),
            "mois_de_reserve": (
                round_to(rf.mois_de_reserve, Decimal("0.1"))
                if rf.mois_de_reserve is not None
                else None
            ),
        },
        graphiques=[g for key, g in graphiques.items() if key in shown],
    )


def rapport_financier(source: Source, budgets: Budgets, exercice: Exercice) -> Rapport:
    """Compute and build the financial report of ``exercice`` (what the CLI calls)."""
    return build_rapport_financier(compute_rapport_financier(source, budgets, exercice), source)
