"""``communs modeles``: shared model packs (add, list, update, remove)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from .chargement import ecriture_exclusive
from .francais import TyperFrancais
from .options import ledger_option

if TYPE_CHECKING:
    from collections.abc import Collection

    from ..partage.manifeste import Modele
    from ..partage.modeles import Preparation

modeles_app = TyperFrancais(
    help="Modèles communs : profils bancaires, règles d'import, modèles de budget… partagés "
    "entre associations (dossier ou dépôt Git).",
    no_args_is_help=True,
)


def _reference() -> Any:
    return typer.Option(
        None,
        "--version",
        help="Branche, étiquette ou commit du dépôt Git (par défaut : sa branche principale).",
        show_default=False,
    )


def _livre(ledger: Path | None) -> Any:
    from .chargement import charger
    from .echecs import Echec

    livre = charger(ledger)
    if livre.context.config.errors:
        raise Echec(
            "la configuration a des erreurs : corrigez-les d'abord (communs verifier)",
            [str(error) for error in livre.context.config.errors],
        )
    return livre


def _echec(exc: Exception) -> Exception:
    """A pack or communs.yaml problem as a French failure."""
    from ..partage.inscription import InscriptionImpossible
    from ..partage.modeles import ModeleInvalide
    from .echecs import Echec

    if isinstance(exc, ModeleInvalide):
        return Echec(exc.message, exc.erreurs)
    if isinstance(exc, InscriptionImpossible):
        return Echec(str(exc))
    return exc


def _installes(livre: Any) -> list[Modele]:
    from ..partage.modeles import ModeleInvalide, modeles_installes

    try:
        return modeles_installes(livre.context.config, livre.path.parent)
    except ModeleInvalide as exc:
        raise _echec(exc) from None


def _nommes(noms: Collection[str], singulier: str, pluriel_: str) -> str:
    """« 2 modèles de budget (a, b) »."""
    from ..formatage import pluriel

    return pluriel(len(noms), singulier, pluriel_) + f" ({', '.join(noms)})"


def _contenu(modele: Modele) -> str:
    from ..formatage import pluriel

    contenu = modele.manifeste.contenu
    parts = []
    if modele.profils:
        parts.append(pluriel(len(modele.profils), "profil bancaire", "profils bancaires"))
    if contenu.regles_import:
        parts.append("des règles d'import")
    if contenu.budgets:
        parts.append(_nommes(contenu.budgets, "modèle de budget", "modèles de budget"))
    if contenu.paie:
        parts.append("des postes de paie")
    if contenu.seuils:
        parts.append("des seuils du diagnostic")
    if modele.ecritures:
        parts.append(_nommes(modele.ecritures, "modèle d'écriture", "modèles d'écritures"))
    return ", ".join(parts) or "aucun fichier"


def _version(preparation: Preparation) -> str:
    inscrit = preparation.inscrit
    exacte = f"commit {inscrit.commit[:12]}" if inscrit.commit else "copie d'un dossier"
    return f"version {inscrit.version}, {exacte}"


def _installer(livre: Any, preparation: Preparation, verbe: str) -> None:
    from ..partage.modeles import installer
    from ..partage.reglages import DOSSIER_MODELES
    from .affichage import succes
    from .echecs import Echec
    from .sortie import cause_lisible

    try:
        resultat = installer(livre.path, livre.context.config, preparation, livre.diagnostics)
    except OSError as exc:
        raise Echec(f"impossible d'installer le modèle : {cause_lisible(exc)}") from None
    except Exception as exc:
        raise _echec(exc) from None
    if resultat.echec is not None:
        from ..sources import display_path

        echec = resultat.echec
        raise Echec(
            f"impossible d'écrire {display_path(echec.fichier)} : {cause_lisible(echec.erreur)} ; "
            "rien n'est installé"
        )
    if resultat.nouvelles_erreurs:
        raise Echec(
            "le modèle rend le grand livre invalide : rien n'est installé",
            [str(d) for d in resultat.nouvelles_erreurs[:20]],
        )
    modele = preparation.modele
    succes(
        f"Modèle « {modele.nom} » {verbe} dans {DOSSIER_MODELES}/{modele.nom}/ "
        f"({_version(preparation)}) et inscrit dans communs.yaml : {_contenu(modele)}."
    )


def _profils_remplaces(livre: Any, modele: Modele) -> None:
    """Tell which of the pack's bank profiles the association's own file overrides."""
    from ..importation.modele import ErreurImport
    from ..importation.profils import charger_profils
    from ..importation.reglages import import_config
    from .affichage import info

    reglages = import_config(livre.context.config)
    if not reglages.profils or not modele.profils:
        return
    try:
        propres = charger_profils(livre.path.parent / reglages.profils)
    except ErreurImport:
        return
    codes = {p.code for p in propres if p.origine != "profils_bancaires.yaml"}
    for profil in modele.profils:
        if profil.code in codes:
            info(
                f"profil bancaire « {profil.code} » : celui de {reglages.profils} (votre "
                "fichier) reste utilisé, pas celui du modèle"
            )


@modeles_app.command("ajouter")
@ecriture_exclusive()
def ajouter_command(
    source: str = typer.Argument(
        ..., metavar="CHEMIN|URL", help="Dossier du modèle ou dépôt Git.", show_default=False
    ),
    reference: str | None = _reference(),
    ledger: Path | None = ledger_option(),
) -> None:
    """Ajoute un modèle commun : le vérifie, le copie dans modeles-communs/ et l'inscrit
    dans communs.yaml à sa version exacte."""
    import tempfile

    from ..partage.modeles import (
        dossier_du_modele,
        preparer_modele,
        source_inscrite,
        verifier_ensemble,
    )
    from ..partage.reglages import DOSSIER_MODELES, modeles_inscrits
    from .echecs import Echec

    livre = _livre(ledger)
    dossier = livre.path.parent
    inscrite = source_inscrite(source, dossier, Path.cwd())
    with tempfile.TemporaryDirectory(prefix="communs-modele-") as temporaire:
        try:
            preparation = preparer_modele(inscrite, dossier, Path(temporaire), reference)
            nom = preparation.modele.nom
            if nom in {m.nom for m in modeles_inscrits(livre.context.config)}:
                raise Echec(
                    f"le modèle « {nom} » est déjà inscrit dans communs.yaml : "
                    f"communs modeles mettre-a-jour {nom}"
                )
            if dossier_du_modele(dossier, nom).exists():
                raise Echec(
                    f"le dossier {DOSSIER_MODELES}/{nom}/ existe déjà sans être inscrit dans "
                    "communs.yaml : déplacez-le ou supprimez-le, rien n'est installé"
                )
            verifier_ensemble([*_installes(livre), preparation.modele])
        except Echec:
            raise
        except Exception as exc:
            raise _echec(exc) from None
        _profils_remplaces(livre, preparation.modele)
        _installer(livre, preparation, "installé")


@modeles_app.command("lister")
def lister(ledger: Path | None = ledger_option()) -> None:
    """Liste les modèles communs inscrits : version, source et contenu."""
    from ..partage.reglages import DOSSIER_MODELES, modeles_inscrits
    from .affichage import sans_controle

    livre = _livre(ledger)
    inscrits = modeles_inscrits(livre.context.config)
    if not inscrits:
        typer.echo("Aucun modèle commun (communs modeles ajouter CHEMIN|URL).")
        return
    modeles = {modele.nom: modele for modele in _installes(livre)}
    for inscrit in inscrits:
        exacte = (
            f"commit {inscrit.commit[:12]}"
            if inscrit.commit
            else f"empreinte {(inscrit.empreinte or '')[:12]}"
        )
        modele = modeles[inscrit.nom]
        # a pack's manifest comes from elsewhere (a network's repository): no escape sequences
        for line in (
            f"{inscrit.nom} {inscrit.version} ({exacte})",
            f"  {modele.manifeste.description}",
            f"  licence : {modele.manifeste.licence} ; source : {inscrit.source}",
            f"  contenu ({DOSSIER_MODELES}/{inscrit.nom}/) : {_contenu(modele)}",
        ):
            typer.echo(sans_controle(line))


def _inscrit(livre: Any, nom: str) -> Any:
    from ..partage.reglages import modeles_inscrits
    from .echecs import Echec

    inscrits = {m.nom: m for m in modeles_inscrits(livre.context.config)}
    if nom not in inscrits:
        connus = ", ".join(inscrits) or "aucun"
        raise Echec(f"aucun modèle « {nom} » dans communs.yaml (modèles inscrits : {connus})")
    return inscrits[nom]


@modeles_app.command("mettre-a-jour")
@ecriture_exclusive()
def mettre_a_jour(
    nom: str = typer.Argument(..., metavar="NOM", help="Nom du modèle.", show_default=False),
    reference: str | None = _reference(),
    oui: bool = typer.Option(False, "--oui", help="Applique la mise à jour montrée."),
    ledger: Path | None = ledger_option(),
) -> None:
    """Montre ce que change la dernière version d'un modèle (différences des fichiers),
    puis, avec --oui, l'installe et inscrit sa nouvelle version."""
    import tempfile

    from ..partage.modeles import difference, dossier_du_modele, preparer_modele, verifier_ensemble
    from .echecs import Echec

    livre = _livre(ledger)
    inscrit = _inscrit(livre, nom)
    dossier = livre.path.parent
    with tempfile.TemporaryDirectory(prefix="communs-modele-") as temporaire:
        try:
            preparation = preparer_modele(inscrit.source, dossier, Path(temporaire), reference)
        except Exception as exc:
            raise _echec(exc) from None
        if preparation.modele.nom != nom:
            raise Echec(f"la source de « {nom} » contient le modèle « {preparation.modele.nom} »")
        installe = dossier_du_modele(dossier, nom)
        changes = difference(installe, preparation.modele.dossier)
        nouveau = preparation.inscrit
        if not changes and (nouveau.commit, nouveau.empreinte) == (
            inscrit.commit,
            inscrit.empreinte,
        ):
            typer.echo(f"Modèle « {nom} » à jour ({_version(preparation)}).")
            return
        typer.echo(f"Modèle « {nom} » : version {inscrit.version} → {_version(preparation)}.")
        typer.echo("".join(changes) if changes else "Aucun fichier ne change.", nl=not changes)
        if not oui:
            typer.echo("Rien n'est changé : relancez avec --oui pour appliquer.")
            return
        autres = [m for m in _installes(livre) if m.nom != nom]
        try:
            verifier_ensemble([*autres, preparation.modele])
        except Exception as exc:
            raise _echec(exc) from None
        _installer(livre, preparation, "mis à jour")


@modeles_app.command("retirer")
@ecriture_exclusive()
def retirer_command(
    nom: str = typer.Argument(..., metavar="NOM", help="Nom du modèle.", show_default=False),
    ledger: Path | None = ledger_option(),
) -> None:
    """Retire un modèle commun : le retire de communs.yaml et supprime sa copie."""
    from ..partage.modeles import desinstaller
    from ..partage.reglages import DOSSIER_MODELES
    from .affichage import succes
    from .echecs import Echec

    livre = _livre(ledger)
    _inscrit(livre, nom)
    try:
        resultat = desinstaller(livre.path, livre.context.config, nom, livre.diagnostics)
    except Exception as exc:
        raise _echec(exc) from None
    if not resultat.ok:
        raise Echec(
            "retirer ce modèle rend le grand livre invalide : rien n'est changé",
            [str(d) for d in resultat.nouvelles_erreurs[:20]],
        )
    succes(f"Modèle « {nom} » retiré de communs.yaml et de {DOSSIER_MODELES}/.")
