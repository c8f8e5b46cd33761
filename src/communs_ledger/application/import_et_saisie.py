"""The files ``communs importer`` and ``communs saisir`` read, checked for ``communs verifier``.

The categorisation rules (``importation: regles``), the bank profiles (``importation:
profils``) and the association's entry templates (``modeles/*.yaml``) are read by these
two commands only: without this check, a broken one shows only at the next import or
entry. The errors are those the commands give, at their ``fichier:ligne``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Config
from ..contexte import LedgerContext
from ..sources import SourceError, display_path

if TYPE_CHECKING:
    from ..importation.personnes import Personnes


def personnes_des_registres(config: Config) -> Personnes:
    """The donors' and members' registers the rules' ``donateur`` / ``adherent`` are
    checked against (a register with errors names nobody: communs verifier tells why)."""
    from ..dons.registres import charger_adherents, charger_donateurs
    from ..importation.personnes import Personnes, RepertoireDePersonnes

    repertoires = []
    for charger in (charger_donateurs, charger_adherents):
        registre, errors = charger(config)
        noms = {code: fiche.nom for code, fiche in registre.fiches.items()}
        chemin = display_path(registre.chemin) if registre.chemin is not None else None
        repertoires.append(RepertoireDePersonnes(noms, chemin, illisible=bool(errors)))
    return Personnes(*repertoires)


def erreurs_d_import_et_de_saisie(context: LedgerContext, entries: list[Any]) -> list[SourceError]:
    """Errors of the rules file, of the bank profiles file and of the association's
    entry templates (the shipped ones too, and those of the shared model packs: checked
    with the packs)."""
    from ..saisie.modeles import charger_modeles

    dossier = context.config.path.parent if context.config.path else context.ledger.parent
    errors = _erreurs_des_regles(context, entries, dossier)
    errors.extend(_erreurs_des_profils(context, dossier))
    errors.extend(charger_modeles(context.ledger.parent)[1])
    return errors


def _erreurs_des_regles(
    context: LedgerContext, entries: list[Any], dossier: Path
) -> list[SourceError]:
    from ..importation.comptes import Comptes
    from ..importation.reglages import import_config
    from ..importation.regles import fichier_introuvable, regles_du_document
    from ..yaml_lignes import load_yaml

    nom = import_config(context.config).regles
    if nom is None:
        return []
    fichier = dossier / nom
    if not fichier.exists():
        where = context.config.location("importation", "regles")
        return [SourceError(where, fichier_introuvable(display_path(fichier)))]
    try:
        document = load_yaml(fichier)
    except SourceError as error:
        return [error]
    comptes = Comptes.du_grand_livre(entries)
    projets = set(context.config.projets)
    personnes = personnes_des_registres(context.config)
    return regles_du_document(document, comptes, projets, personnes)[1]


def _erreurs_des_profils(context: LedgerContext, dossier: Path) -> list[SourceError]:
    from ..importation.profils import fichier_de_profils_introuvable, lire_profils
    from ..importation.reglages import import_config

    nom = import_config(context.config).profils
    if nom is None:
        return []
    fichier = dossier / nom
    if not fichier.exists():
        where = context.config.location("importation", "profils")
        return [SourceError(where, fichier_de_profils_introuvable(display_path(fichier)))]
    return lire_profils(fichier, display_path(fichier))[1]
