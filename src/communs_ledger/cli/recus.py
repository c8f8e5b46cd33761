"""``communs recus``: tax receipts (CERFA 11580) of an exercice, their register, the
yearly declaration figures, and the cancellation of a receipt."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .francais import TyperFrancais
from .options import commande_de_rapport, ledger_option
from .rapports import exercice_option

if TYPE_CHECKING:
    from .sortie import Sortie

recus_app = TyperFrancais(
    help="Reçus fiscaux des dons (CERFA 11580) : émission numérotée, registre, déclaration "
    "annuelle, annulation.",
    no_args_is_help=False,
)

SANS_ELIGIBILITE = (
    "l'association n'a pas déclaré pouvoir émettre des reçus fiscaux : ajoutez à communs.yaml "
    "une section « recus_fiscaux: » (base: interet_general, utilite_publique, rescrit… ; "
    "signataire: nom et qualité) après avoir vérifié que ses dons ouvrent droit à réduction "
    "d'impôt (articles 200 et 238 bis du CGI) ; voir docs/dons-et-recus.md"
)


def _date(text: str | None) -> datetime.date:
    from .rapports import parse_date

    return parse_date(text, "--date") or datetime.date.today()


@recus_app.callback(invoke_without_command=True)
@commande_de_rapport
def recus(
    ctx: typer.Context,
    exercice: str | None = exercice_option("Exercice des dons (ex. 2026)."),
    declaration: bool = typer.Option(
        False,
        "--declaration",
        help="Chiffres de la déclaration annuelle : nombre de reçus émis et montant des dons, "
        "par type de donateur. N'émet rien.",
    ),
    dossier: Path | None = typer.Option(
        None,
        "--dossier",
        help="Dossier des PDF (par défaut recus/EXERCICE à côté du grand livre).",
        show_default=False,
    ),
    date: str | None = typer.Option(
        None, "--date", help="Date d'émission (par défaut aujourd'hui).", show_default=False
    ),
    *,
    ledger: Path | None,
    sortie: Sortie,
) -> None:
    """Émet les reçus fiscaux des dons de l'exercice qui n'en ont pas encore (un PDF par reçu
    et un PDF de tous les reçus de l'exercice), puis affiche le registre des reçus.

    Un reçu émis garde son numéro ; relancer la commande n'émet que les nouveaux."""
    if ctx.invoked_subcommand is not None:
        return
    from .chargement import ecrire_dans_le_dossier

    with ecrire_dans_le_dossier(ledger, actif=not declaration):
        _recus(exercice, declaration, dossier, _date(date), ledger, sortie)


def _preparer(exercice, ledger, aujourdhui):  # -> (source, periode, fiscal, plan, collecte)
    from ..dons.reglages import recus_fiscaux
    from ..dons.synthese import recus_de_l_exercice
    from ..formatage import pluriel
    from .echecs import Echec, erreurs_listees
    from .rapports import exercice_de, source_du_grand_livre

    source = source_du_grand_livre(ledger)
    config = source.context.config
    fiscal = recus_fiscaux(config)
    if fiscal is None:
        raise Echec(SANS_ELIGIBILITE)
    periode = exercice_de(source, exercice)
    annuel = fiscal.regroupement == "annuel"
    collecte, plan, errors = recus_de_l_exercice(
        config, source.entries, periode, annuel, aujourdhui
    )
    if errors:
        raise Echec(
            f"{pluriel(len(errors), 'erreur')} : aucun reçu n'est émis", erreurs_listees(errors)
        )
    return source, periode, fiscal, plan, collecte


def _recus(exercice, declaration, dossier, aujourdhui, ledger, sortie: Sortie) -> None:
    from ..dons.rapports import build_rapport_declaration, build_rapport_registre
    from ..dons.recus import compute_declaration

    source, periode, fiscal, plan, collecte = _preparer(exercice, ledger, aujourdhui)
    nom = source.context.config.nom
    if declaration:
        chiffres = compute_declaration(plan, collecte, periode.code)
        sortie.emettre(build_rapport_declaration(chiffres, nom))
        return
    cible = dossier or source.context.ledger.resolve().parent / "recus" / periode.code
    _emettre_recus(source.context.config, fiscal, plan, cible, periode.code)
    from dataclasses import replace

    emis = replace(plan, recus=tuple(replace(r, nouveau=False) for r in plan.recus))
    sortie.emettre(build_rapport_registre(emis, nom))


def _emettre_recus(config, fiscal, plan, cible: Path, exercice: str) -> None:
    """PDFs first (a receipt's own file is never replaced), then the register."""
    from ..dons.mentions import mentions
    from ..dons.registres import chemin_des_recus, texte_des_recus
    from ..ecriture import write_file, write_new
    from ..formatage import pluriel
    from ..rendu.recus_pdf import recus_pdf
    from ..sources import display_path
    from .affichage import avertissement, info, succes
    from .echecs import Echec
    from .sortie import cause_lisible

    textes = [mentions(recu, config, fiscal) for recu in plan.recus]
    try:
        cible.mkdir(parents=True, exist_ok=True)
        for recu, texte in zip(plan.recus, textes, strict=True):
            fichier = cible / f"recu-{recu.numero}.pdf"
            if not fichier.exists():
                write_new(fichier, recus_pdf([texte]))
        if textes:
            write_file(cible / f"recus-{exercice}.pdf", recus_pdf(textes), replace=True)
        if plan.nouveaux:
            write_file(chemin_des_recus(config), texte_des_recus(list(plan.registre)), replace=True)
    except OSError as exc:
        raise Echec(
            f"{display_path(cible)} : {cause_lisible(exc)} ; aucun reçu n'est émis"
        ) from None
    sans_mode = [
        d for r in plan.nouveaux for d in r.dons if d.nature == "numeraire" and not d.paiement
    ]
    if sans_mode:
        avertissement(
            f"{pluriel(len(sans_mode), 'don')} en numéraire sans mode de versement (métadonnée "
            "« paiement: » : cheque, virement, especes, carte, prelevement) : "
            f"{'son' if len(sans_mode) == 1 else 'leur'} reçu porte « Non précisé »"
        )
    for apres in sorted({apres for apres, _ in plan.en_attente}):
        nombre = sum(1 for date, _ in plan.en_attente if date == apres)
        info(
            f"{pluriel(nombre, 'reçu annuel', 'reçus annuels')} des dons de {apres.year} : "
            f"à émettre après le {apres:%d/%m/%Y} (un reçu annuel couvre une seule année "
            "civile, celle de la réduction d'impôt du donateur)"
        )
    if plan.nouveaux:
        premier, dernier = plan.nouveaux[0].numero, plan.nouveaux[-1].numero
        numeros = premier if premier == dernier else f"{premier} à {dernier}"
        emis = pluriel(len(plan.nouveaux), "reçu émis", "reçus émis")
        succes(f"{emis} ({numeros}) dans {display_path(cible)}")
    elif not plan.en_attente:
        info(f"Aucun nouveau reçu : les dons de l'exercice {exercice} ont tous leur reçu.")


@recus_app.command("annuler")
def annuler(
    numero: str = typer.Argument(..., help="Numéro du reçu à annuler (ex. 2026-0003)."),
    motif: str | None = typer.Option(None, "--motif", help="Raison de l'annulation."),
    date: str | None = typer.Option(
        None, "--date", help="Date d'annulation (par défaut aujourd'hui).", show_default=False
    ),
    ledger: Path | None = ledger_option(),
) -> None:
    """Annule un reçu émis : il reste au registre avec sa date d'annulation, son numéro n'est
    jamais réutilisé ; le don reçoit un nouveau reçu à la prochaine émission."""
    from ..dons.recus import annuler_recu
    from ..dons.registres import charger_recus, chemin_des_recus, texte_des_recus
    from ..ecriture import write_file
    from .affichage import succes
    from .chargement import ecrire_dans_le_dossier
    from .echecs import Echec, erreurs_listees
    from .rapports import livre_sans_erreur

    with ecrire_dans_le_dossier(ledger):
        livre = livre_sans_erreur(ledger, "avant d'annuler un reçu")
        path = chemin_des_recus(livre.context.config)
        emis, errors = charger_recus(path)
        if errors:
            raise Echec("registre des reçus illisible : rien n'est annulé", erreurs_listees(errors))
        try:
            registre = annuler_recu(emis, numero, motif, _date(date))
        except ValueError as exc:
            raise Echec(str(exc)) from None
        write_file(path, texte_des_recus(registre), replace=True)
    succes(f"Reçu {numero} annulé ; son numéro reste au registre et ne sera pas réutilisé.")
