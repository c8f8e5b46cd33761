"""``communs export xlsx``: the statements of an exercice in one workbook, for the
accountant or the board."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .francais import TyperFrancais
from .options import ledger_option
from .rapports import exercice_option
from .sortie import ecraser_option

if TYPE_CHECKING:
    from ..rendu.classeur import Classeur

export_app = TyperFrancais(
    help="Exports destinés aux personnes : classeur des états d'un exercice.",
    no_args_is_help=True,
)


@export_app.command("xlsx")
def xlsx(
    exercice: str | None = exercice_option(),
    sortie: str | None = typer.Option(
        None,
        "--sortie",
        help="Dossier où écrire le classeur sous son nom (<association>-<exercice>.xlsx), "
        "ou nom du fichier (« - » : sortie standard) ; par défaut le dossier courant.",
        metavar="DOSSIER_OU_FICHIER",
        show_default=False,
    ),
    ecraser: bool = ecraser_option(),
    ledger: Path | None = ledger_option(),
) -> None:
    """Classeur XLSX de l'exercice : bilan, compte de résultat, budget vs réalisé (s'il y a un
    budget), balance et grand livre, avec un sommaire.

    Une feuille par partie de chaque état, des cellules numériques au format euro,
    les totaux en gras : le fichier à remettre à l'expert-comptable ou au conseil
    d'administration.
    """
    from ..rendu.classeur import render
    from .affichage import info, succes
    from .en_cache import resultat_en_cache
    from .sortie import cible_dossier_ou_fichier, verifier_cible, vers_la_sortie_standard, write

    calcule = []

    def calculer() -> tuple[Classeur, Path]:
        calcule.append(True)
        return _classeur(exercice, sortie, ecraser, ledger)

    # the workbook's figures are kept by the results cache like a report's; on a hit the
    # ledger had no error and the exercice exists: only the target is left to check
    found = resultat_en_cache("export xlsx", ledger, {"exercice": exercice}, calculer)
    assert found is not None
    classeur, nom = found
    path = Path("-") if sortie == "-" else cible_dossier_ou_fichier(sortie, nom.name)
    to_stdout = str(path) == "-"
    if not calcule and not to_stdout:
        verifier_cible(path, ecraser)
    data = render(classeur)
    if to_stdout:
        vers_la_sortie_standard(data)
        return
    write(path, data, ecraser)
    from ..rendu.classeur import feuilles

    names = [name for name, _cahier, _partie in feuilles(classeur)]
    succes(f"Classeur écrit dans {path} : sommaire et {len(names)} feuilles")
    info("Feuilles : " + ", ".join(names))
    for remarque in classeur.remarques:
        info(remarque)


def _classeur(
    exercice: str | None, sortie: str | None, ecraser: bool, ledger: Path | None
) -> tuple[Classeur, Path]:
    """Load, pick the exercice, check the target (in this order, as the messages come),
    build the workbook; with its default file name (the target depends on --sortie,
    which the cache does not key)."""
    from .affichage import messages
    from .rapports import exercice_de, produire, source_du_grand_livre
    from .sortie import cible_dossier_ou_fichier, verifier_cible

    source = source_du_grand_livre(ledger)
    periode = exercice_de(source, exercice)
    nom = nom_par_defaut(source.association, periode.code)
    if sortie != "-":
        verifier_cible(cible_dossier_ou_fichier(sortie, nom), ecraser)
    console = messages()
    spinner = (  # drawn on a terminal only (elsewhere Rich would run it for nothing)
        console.status("Construction du classeur…", spinner="dots")
        if console.is_terminal
        else contextlib.nullcontext()
    )
    with spinner:
        return produire(construire_classeur, source, periode), Path(nom)


def nom_par_defaut(association: str, exercice: str) -> str:
    """``les-jardins-du-coteau-2025.xlsx``."""
    from ..plan import fold

    text = fold(association).replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "association"
    return f"{slug}-{exercice}.xlsx"


def construire_classeur(source, exercice):  # -> Classeur
    """The workbook of an exercice: statements, budget vs réalisé if the exercice has a
    budget, balance and grand livre; key figures; remarks."""
    from ..budget.fichier import load_budgets
    from ..budget.rapport_suivi import budget_vs_realise
    from ..rapports.balance import balance
    from ..rapports.bilan import bilan
    from ..rapports.grand_livre import grand_livre
    from ..rapports.resultat import compte_de_resultat
    from ..rendu.classeur import Cahier, ChiffreCle, Classeur
    from .budget import refuser_erreurs_de_budget

    resultat = compte_de_resultat(source, exercice)
    etat = bilan(source, exercice)
    cahiers = [Cahier(etat, "Bilan"), Cahier(resultat, "Résultat")]
    remarques = []
    budgets = load_budgets(source.context)
    if budgets.pour(exercice) is not None:
        refuser_erreurs_de_budget(budgets)
        cahiers.append(Cahier(budget_vs_realise(source, budgets, exercice), "Budget"))
    else:
        remarques.append(
            f"Pas de budget vs réalisé : aucun budget n'est déclaré pour l'exercice "
            f"{exercice.code} (communs.yaml, section budget)."
        )
    balance_generale = balance(source, exercice)
    cahiers.append(Cahier(balance_generale, "Balance"))
    cahiers.append(Cahier(grand_livre(source, exercice), "Grand livre"))
    totaux_resultat = resultat.totaux.get("n", {})
    chiffres = [
        ChiffreCle("Résultat de l'exercice", totaux_resultat.get("resultat")),
        ChiffreCle(
            "Total des produits d'exploitation", totaux_resultat.get("total_produits_exploitation")
        ),
        ChiffreCle(
            "Total des charges d'exploitation", totaux_resultat.get("total_charges_exploitation")
        ),
        ChiffreCle("Total du bilan", etat.totaux.get("n", {}).get("total_actif")),
        ChiffreCle("Total débit de la balance", balance_generale.totaux["n"]["total_debit"]),
    ]
    chiffres = [chiffre for chiffre in chiffres if chiffre.valeur is not None]
    last = source.mouvements.derniere_date
    if last is not None and last < exercice.fin:
        from ..exercices import french_date

        remarques.append(f"Exercice en cours : écritures jusqu'au {french_date(last)}.")
    return Classeur(
        association=source.association,
        titre=f"Comptes de l'exercice {exercice.code}",
        sous_titre=exercice.libelle[0].upper() + exercice.libelle[1:],
        cahiers=cahiers,
        chiffres=chiffres,
        remarques=remarques,
    )
