"""``communs budget nouveau EXERCICE``: next year's budget file, from a budget or its actuals."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from .budget_cerfa import version_option
from .echecs import Echec, MauvaisUsage
from .options import ledger_option
from .rapports import exercice_option
from .sortie import ecraser_option

if TYPE_CHECKING:
    from ..budget.fichier import BudgetExercice, Budgets
    from ..budget.nouveau import NouveauBudget
    from ..exercices import Exercice

DEPUIS = ("budget", "realise")


def nouveau(
    cible: str = typer.Argument(
        ..., metavar="EXERCICE", help="Exercice du nouveau budget (ex. 2027).", show_default=False
    ),
    depuis: str = typer.Option(
        "budget",
        "--depuis",
        help="Point de départ : « budget » (montants du budget) ou « realise » (réalisé de "
        "l'exercice source).",
    ),
    indexation: str | None = typer.Option(
        None,
        "--indexation",
        help="Hausse appliquée à chaque montant, en pour cent (ex. « 2 » ou « 2,5 % »).",
        show_default=False,
    ),
    exercice: str | None = exercice_option(
        "Exercice source ; par défaut le dernier exercice doté d'un budget avant EXERCICE."
    ),
    version: str | None = version_option(),
    modele: str | None = typer.Option(
        None,
        "--modele",
        help="Part d'un modèle de budget des modèles communs installés (communs modeles "
        "lister) plutôt que d'un budget de l'association.",
        show_default=False,
    ),
    sortie: Path | None = typer.Option(
        None,
        "--sortie",
        "-o",
        help="Fichier à écrire ; par défaut EXERCICE.yaml dans le dossier du budget source.",
        show_default=False,
    ),
    ledger: Path | None = ledger_option(),
    ecraser: bool = ecraser_option(),
) -> None:
    """Prépare le budget d'un nouvel exercice à partir du budget ou du réalisé d'un exercice :
    lignes, libellés, projets, profils et commentaires repris, montants indexés au besoin."""
    from ..budget.fichier import load_budgets
    from ..sources import display_path
    from .budget_cerfa import charger_budget
    from .echecs import MauvaisUsage
    from .sortie import write

    if depuis not in DEPUIS:
        raise MauvaisUsage(f"--depuis « {depuis} » inconnu : budget ou realise")
    if modele is not None and (depuis != "budget" or exercice is not None):
        raise MauvaisUsage("--modele part du modèle : sans --depuis realise ni --exercice")
    taux = _taux(indexation)
    realise = modele is None and depuis == "realise"
    # from a pack's template or from the actuals, a first budget: no budget of the
    # association needed
    livre = _livre(ledger) if modele is not None or realise else charger_budget(ledger, None).livre
    context = livre.context
    target = _exercice_cible(context, cible)
    budgets = load_budgets(context)
    if realise and not budgets.par_exercice:
        _premier_budget(livre, budgets, target, exercice, taux, (sortie, ecraser))
        return
    origine = None
    if modele is not None:
        choisi, origine = _modele_de_budget(livre, modele)
        dossier = _dossier_des_budgets(livre, budgets)
        if sortie is None and not budgets.fichiers:
            dossier.mkdir(exist_ok=True)  # the association's first budget: budgets/
    else:
        choisi = (
            charger_budget(ledger, exercice).budget
            if exercice is not None
            else _budget_precedent(budgets, target)
        )
        dossier = Path(choisi.fichier).parent
    fait = _construire(livre, choisi, version, target, depuis, taux, origine)
    path = sortie if sortie is not None else dossier / f"{target.code}.yaml"
    path = Path(display_path(path))
    write(path, fait.texte.encode("utf-8"), ecraser)  # atomic; never replaces without --ecraser
    _annoncer(fait, path, target, budgets, context)


def _premier_budget(
    livre: Any,
    budgets: Budgets,
    target: Exercice,
    exercice: str | None,
    taux: Decimal,
    ecriture: tuple[Path | None, bool],
) -> None:
    """The association's first budget, from the actuals of ``exercice`` (by default the
    one before ``target``): a small club without any budget file."""
    from ..budget.nouveau import premier_budget
    from ..rapports.source import RapportImpossible, Source
    from ..sources import display_path
    from .rapports import exercice_de
    from .sortie import write

    sortie, ecraser = ecriture
    source = Source.from_livre(livre)
    if exercice is not None:
        realise = exercice_de(source, exercice)
    else:
        realise = livre.context.calendrier.containing(target.debut - datetime.timedelta(days=1))
    moves = source.mouvements.entre(realise.debut, realise.fin)
    projets = set(livre.context.config.projets)
    try:
        fait = premier_budget(
            realise,
            target,
            taux,
            moves,
            projets,
            datetime.date.today(),
            source.mouvements.derniere_date,
        )
    except RapportImpossible as exc:
        raise Echec(str(exc)) from None
    dossier = _dossier_des_budgets(livre, budgets)
    if sortie is None:
        dossier.mkdir(exist_ok=True)  # the association's first budget: budgets/
    path = Path(display_path(sortie if sortie is not None else dossier / f"{target.code}.yaml"))
    write(path, fait.texte.encode("utf-8"), ecraser)  # atomic; never replaces without --ecraser
    _annoncer(fait, path, target, budgets, livre.context)


def _livre(ledger: Path | None) -> Any:
    """The ledger without error, its budget files (if any) without error either."""
    from ..budget.fichier import load_budgets
    from .rapports import livre_sans_erreur

    livre = livre_sans_erreur(ledger, "avant de produire le budget")
    erreurs = load_budgets(livre.context).erreurs
    if erreurs:
        raise Echec(
            f"les fichiers de budget contiennent {len(erreurs)} erreur(s)",
            [str(e) for e in erreurs],
        )
    return livre


def _exercice_cible(context: Any, cible: str) -> Exercice:
    from ..budget.fichier import exercice_nomme

    target = exercice_nomme(context, cible)
    if target is None:
        raise MauvaisUsage(f"exercice « {cible} » invalide (ex. 2027, ou 2026-2027)")
    return target


def _modele_de_budget(livre: Any, nom: str) -> tuple[BudgetExercice, str]:
    """The budget template ``nom`` of the installed shared model packs."""
    from ..budget.fichier import load_budget_file
    from ..exercices import Exercice
    from ..partage.modeles import ModeleInvalide, modele_de_budget, modeles_installes

    try:
        pack, spec = modele_de_budget(
            modeles_installes(livre.context.config, livre.path.parent), nom
        )
    except ModeleInvalide as exc:
        raise Echec(exc.message, exc.erreurs) from None
    annee = Exercice(datetime.date(spec.exercice, 1, 1), datetime.date(spec.exercice, 12, 31))
    budget, errors = load_budget_file(pack.fichier(spec.fichier), annee, set())
    if errors:
        raise Echec(f"le modèle de budget « {nom} » a des erreurs", [str(e) for e in errors])
    nom_du_modele = next(n for n, b in pack.manifeste.contenu.budgets.items() if b is spec)
    version = pack.manifeste.version
    return budget, f"du modèle de budget « {nom_du_modele} » (modèle commun {pack.nom} {version})"


def _dossier_des_budgets(livre: Any, budgets: Budgets) -> Path:
    """Where a new budget goes: beside the declared budgets, else in budgets/."""
    if budgets.fichiers:
        return budgets.fichiers[-1].parent
    return livre.path.parent / "budgets"


def _budget_precedent(budgets: Budgets, target: Exercice) -> BudgetExercice:
    from ..budget.nouveau import budget_precedent

    choisi = budget_precedent(budgets, target)
    if choisi is None:
        raise Echec(
            f"aucun budget avant l'exercice {target.code} : indiquez l'exercice source (--exercice)"
        )
    return choisi


def _construire(
    livre: Any,
    choisi: BudgetExercice,
    version: str | None,
    target: Exercice,
    depuis: str,
    taux: Decimal,
    origine: str | None = None,
) -> NouveauBudget:
    """The new budget file from the chosen version of the source budget."""
    from ..budget.nouveau import nouveau_budget
    from ..rapports.source import RapportImpossible, Source
    from .budget_cerfa import version_ou_echec

    chosen = version_ou_echec(choisi, version)
    source = Source.from_livre(livre)
    moves = source.mouvements.entre(choisi.exercice.debut, choisi.exercice.fin)
    try:
        return nouveau_budget(
            choisi,
            chosen,
            target,
            depuis,
            taux,
            moves,
            set(livre.context.config.projets),
            datetime.date.today(),
            source.mouvements.derniere_date,
            origine,
        )
    except RapportImpossible as exc:
        raise Echec(str(exc)) from None


def _annoncer(
    fait: NouveauBudget, path: Path, target: Exercice, budgets: Budgets, context: Any
) -> None:
    typer.echo(
        f"Budget {target.code} écrit dans {path} : {fait.lignes} ligne(s), version « projet »."
    )
    for note in fait.notes:
        typer.echo(f"• {note}")
    if target.code not in budgets.par_exercice:
        typer.echo(
            f'• Déclarez-le dans communs.yaml : budget: {{fichiers: {{"{target.code}": '
            f"{_relatif(path, context)}}}}}"
        )


def _taux(text: str | None) -> Decimal:
    if text is None:
        return Decimal(0)
    cleaned = re.sub(r"\s|%", "", text).replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise MauvaisUsage(
            f"--indexation « {text} » : pourcentage attendu (ex. 2 ou 2,5 %)"
        ) from None
    if not value.is_finite() or not Decimal(-100) < value < Decimal(1000):
        raise MauvaisUsage(f"--indexation « {text} » : pourcentage attendu (ex. 2 ou 2,5 %)")
    return value


def _relatif(path: Path, context: Any) -> str:
    folder = Path(context.ledger).resolve().parent
    try:
        return path.resolve().relative_to(folder).as_posix()
    except ValueError:
        return str(path)
