"""``communs fec``: the Fichier des Écritures Comptables of an exercice, and
``communs fec --verifier FICHIER`` to check any FEC."""

from __future__ import annotations

from pathlib import Path

import typer

from ..fec.norme import Encodage
from .options import ledger_option
from .rapports import exercice_option
from .sortie import ecraser_option


def fec(
    exercice: str | None = exercice_option(
        "Exercice du FEC (ex. 2025, ou 2025-2026 pour un exercice décalé)."
    ),
    siren: str | None = typer.Option(
        None,
        "--siren",
        help="SIREN de l'association (9 chiffres), qui commence le nom du fichier ; "
        "par défaut celui de communs.yaml (association: siren).",
        show_default=False,
    ),
    sortie: str | None = typer.Option(
        None,
        "--sortie",
        help="Dossier où écrire le FEC sous son nom normalisé (SIRENFECAAAAMMJJ.txt), "
        "ou nom du fichier ; par défaut le dossier courant.",
        metavar="DOSSIER_OU_FICHIER",
        show_default=False,
    ),
    ecraser: bool = ecraser_option(),
    encodage: Encodage = typer.Option(
        Encodage.iso,
        "--encodage",
        help="Jeu de caractères : iso-8859-15 (celui de la norme, par défaut ; les caractères "
        "hors de ce jeu sont translittérés) ou utf-8.",
        case_sensitive=False,
    ),
    verifier: Path | None = typer.Option(
        None,
        "--verifier",
        help="Vérifie le FEC FICHIER (produit par communs ou par un autre logiciel) au lieu "
        "d'en écrire un.",
        metavar="FICHIER",
        show_default=False,
    ),
    ledger: Path | None = ledger_option(),
) -> None:
    """Fichier des écritures comptables (FEC) d'un exercice ; --verifier contrôle un FEC.

    Le fichier à remettre à l'expert-comptable ou à l'administration fiscale : une ligne
    par mouvement, 18 colonnes (article A47 A-1 du livre des procédures fiscales),
    à-nouveaux compris, journaux déduits des comptes (banque, caisse, paie, achats,
    ventes, opérations diverses) ou déclarés dans communs.yaml (section fec).
    """
    from .echecs import MauvaisUsage

    if verifier is not None:
        if exercice is not None or siren is not None or sortie is not None or ecraser:
            raise MauvaisUsage(
                "--verifier s'emploie seul : il contrôle un fichier existant "
                "(--exercice, --siren, --sortie et --ecraser servent à en écrire un)"
            )
        _verifier(verifier)
        return
    if exercice is None:
        raise MauvaisUsage("indiquez l'exercice du FEC : --exercice 2025 (par exemple)")
    if sortie == "-":
        raise MauvaisUsage("le FEC s'écrit dans un fichier : --sortie DOSSIER ou FICHIER")
    _exporter(exercice, siren, sortie, ecraser, Encodage(encodage), ledger)


def _siren_valide(siren: str) -> str:
    from ..config import verifier_siren
    from .echecs import MauvaisUsage

    try:
        return verifier_siren(siren)
    except ValueError as exc:
        raise MauvaisUsage(f"--siren « {siren} » : {exc}") from None


def _exporter(
    code: str,
    siren: str | None,
    sortie: str | None,
    ecraser: bool,
    encodage: Encodage,
    ledger: Path | None,
) -> None:
    from ..fec.export import exporter
    from ..fec.norme import NOM_DE_FICHIER, nom_de_fichier
    from ..formatage import entier
    from .affichage import avertissement, info, messages, succes
    from .echecs import Echec
    from .rapports import exercice_de, produire, source_du_grand_livre
    from .sortie import cible_dossier_ou_fichier, verifier_cible, write

    if siren is not None:
        siren = _siren_valide(siren)
    source = source_du_grand_livre(ledger)
    association = source.context.config.data.association
    if siren is None:
        siren = association.siren if association is not None else None
    if not siren:
        raise Echec(
            "aucun SIREN : le nom du FEC commence par le SIREN de l'association "
            "(SIRENFECAAAAMMJJ.txt) ; indiquez-le dans communs.yaml "
            '(association: siren: "123456789") ou avec --siren 123456789'
        )
    periode = exercice_de(source, code)
    path = cible_dossier_ou_fichier(sortie, nom_de_fichier(siren, periode.fin))
    verifier_cible(path, ecraser)
    with messages().status("Construction du FEC…", spinner="dots"):
        fichier = produire(exporter, source, periode, siren)
        encoded = fichier.encoder(encodage)
    _controler(encoded.octets, fichier.nom_de_fichier)
    write(path, encoded.octets, ecraser)
    _resume(fichier)
    succes(
        f"FEC de l'{periode.libelle} écrit dans {path} ({encodage.libelle}, "
        f"séparateur tabulation, fins de ligne CRLF)"
    )
    if NOM_DE_FICHIER.match(path.name) is None:
        avertissement(
            f"le nom {path.name} ne suit pas la norme ({fichier.nom_de_fichier}) : "
            "renommez le fichier avant de le remettre"
        )
    if encoded.remplaces:
        replaced = ", ".join(
            f"« {char} » → « {by} » ({entier(count)} fois)"
            for char, (by, count) in sorted(encoded.remplaces.items(), key=lambda i: -i[1][1])
        )
        info(f"Caractères hors {encodage.libelle} remplacés : {replaced}.")
    for warning in fichier.avertissements:
        avertissement(warning)


def _controler(octets: bytes, nom: str) -> None:
    """Refuse to write a FEC that its own check (``--verifier``) would reject."""
    from ..fec.verification import verifier_octets
    from .echecs import Echec

    controle = verifier_octets(octets, nom)
    if not controle.ok:
        listed = " ; ".join(str(probleme) for probleme in controle.problemes[:5])
        raise Echec(f"FEC non écrit : il ne passerait pas « communs fec --verifier » : {listed}")


def _resume(fichier) -> None:  # fichier: Fec
    """The journals of the FEC, their entries, lines and totals (standard output)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from ..fec.export import total
    from ..formatage import entier, nombre, pluriel
    from .affichage import sortie

    table = Table(box=box.SIMPLE_HEAD, show_footer=True, pad_edge=False)
    table.add_column("Journal", footer="Total")
    table.add_column("Libellé")
    table.add_column("Écritures", justify="right", footer=entier(fichier.ecritures))
    table.add_column("Lignes", justify="right", footer=entier(len(fichier.lignes)))
    table.add_column("Débit", justify="right", footer=nombre(fichier.debit))
    table.add_column("Crédit", justify="right", footer=nombre(fichier.credit))
    for journal in fichier.journaux.values():
        table.add_row(  # codes and labels come from the configuration: never markup
            Text(journal.code),
            Text(journal.libelle),
            entier(journal.ecritures),
            entier(journal.lignes),
            nombre(journal.debit),
            nombre(journal.credit),
        )
    out = sortie()
    out.print(f"{fichier.association} — FEC de l'{fichier.exercice.libelle}", markup=False)
    out.print(
        f"{fichier.nom_de_fichier} : {pluriel(len(fichier.lignes), 'ligne')}, "
        f"{pluriel(fichier.ecritures, 'écriture')}, {total(fichier)}",
        markup=False,
    )
    out.print(table)


def _verifier(path: Path) -> None:
    from ..fec.verification import PasUnFec, verifier_fichier
    from ..formatage import montant, pluriel
    from .affichage import sortie, succes
    from .echecs import Echec
    from .sortie import cause_lisible

    if not path.exists():
        raise Echec(f"le fichier {path} n'existe pas")
    try:
        result = verifier_fichier(path)
    except PasUnFec as exc:
        raise Echec(str(exc)) from None
    except OSError as exc:
        raise Echec(f"impossible de lire {path} : {cause_lisible(exc)}") from None

    out = sortie()

    def say(text: str) -> None:
        out.print(text, markup=False, highlight=False, soft_wrap=True)

    say(f"Vérification de {path}")
    if result.siren:
        closing = result.cloture.strftime("%d/%m/%Y") if result.cloture else "date invalide"
        say(f"  SIREN {result.siren}, clôture le {closing}")
    say(
        f"  Encodage {result.encodage}, séparateur {result.separateur}, fins de ligne "
        f"{result.fins_de_ligne}"
        + (", colonnes Montant / Sens" if result.variante == "Montant / Sens" else "")
    )
    journaux = ", ".join(f"{code} {count}" for code, count in result.journaux.items())
    say(
        f"  {pluriel(result.lignes, 'ligne')}, {pluriel(result.ecritures, 'écriture')} dans "
        f"{pluriel(len(result.journaux), 'journal', 'journaux')}"
        + (f" ({journaux})" if journaux else "")
    )
    if result.premiere_date and result.derniere_date:
        say(
            f"  Écritures du {result.premiere_date.strftime('%d/%m/%Y')} au "
            f"{result.derniere_date.strftime('%d/%m/%Y')}"
        )
    if result.debit == result.credit:
        say(f"  Total débit = total crédit = {montant(result.debit)}")
    else:
        say(f"  Total débit {montant(result.debit)}, total crédit {montant(result.credit)}")
    for heading, items in (("Remarques", result.remarques), ("Problèmes", result.problemes)):
        if items:
            say(f"{heading} ({len(items)}) :")
            for item in items:
                say(f"  {item}")
    if not result.ok:
        raise Echec(
            f"{pluriel(len(result.problemes), 'problème')} dans {path} : ce fichier ne respecte "
            "pas la structure du FEC"
        )
    succes(f"{path} respecte la structure du FEC (article A47 A-1 du LPF)")
