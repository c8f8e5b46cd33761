"""Every mention of a printed receipt (modèle CERFA 11580), as text: the renderer
(:mod:`communs_ledger.rendu.recus_pdf`) only lays it out."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Config
from ..formatage import nombre
from .lettres import montant_en_lettres
from .recus import Recu
from .reglages import RecusFiscaux

NATURES = {
    "numeraire": "Numéraire",
    "abandon_frais": "Abandon de frais engagés par un bénévole (art. 200-1 al. 3 du CGI)",
    "nature": "Don en nature",
}
FORMES = {
    "numeraire": "Déclaration de don manuel",
    "abandon_frais": "Autres (renonciation au remboursement de frais)",
    "nature": "Déclaration de don manuel",
}
PAIEMENTS = {
    "cheque": "Chèque",
    "virement": "Virement",
    "prelevement": "Prélèvement",
    "carte": "Carte bancaire",
    "especes": "Remise d'espèces",
}


@dataclass(frozen=True, slots=True)
class RecuImprime:
    titre: str
    numero: str
    beneficiaire: tuple[tuple[str, str], ...]
    donateur: tuple[tuple[str, str], ...]
    montant_chiffres: str
    montant_lettres: str
    don: tuple[tuple[str, str], ...]
    detail: tuple[tuple[str, str, str, str], ...]
    """(date, nature, mode, amount) of each gift of a summary receipt."""
    attestation: str
    signature: tuple[str, ...]


def _dates(recu: Recu) -> str:
    dates = sorted({don.date for don in recu.dons})
    if len(dates) == 1:
        return dates[0].strftime("%d/%m/%Y")
    return f"du {dates[0]:%d/%m/%Y} au {dates[-1]:%d/%m/%Y} ({len(recu.dons)} versements)"


def _joindre(valeurs: list[str]) -> str:
    return ", ".join(dict.fromkeys(valeurs))


def mentions(recu: Recu, config: Config, fiscal: RecusFiscaux) -> RecuImprime:
    """The text of every mention required on the receipt."""
    association = config.data.association
    benef = [("Nom", config.nom)]
    if association is not None:
        benef += [
            ("Adresse", association.adresse or ""),
            ("Objet", association.objet or ""),
            *([("SIREN", association.siren)] if association.siren else []),
            *([("RNA", association.rna)] if association.rna else []),
        ]
    benef.append(("Catégorie", fiscal.categorie_imprimee))
    if fiscal.rescrit:
        benef.append(("Rescrit", fiscal.rescrit))
    natures = [don.nature for don in recu.dons]
    paiements = [
        PAIEMENTS.get(d.paiement or "", "Non précisé")
        for d in recu.dons
        if d.nature == "numeraire" or d.paiement in PAIEMENTS
    ]
    don = [
        ("Date(s) du don", _dates(recu)),
        ("Forme du don", _joindre([FORMES[n] for n in natures])),
        ("Nature du don", _joindre([NATURES[n] for n in natures])),
        ("Mode de versement", _joindre(paiements) or "Sans objet (pas de versement)"),
    ]
    valorisations = [d.valorisation for d in recu.dons if d.valorisation]
    if valorisations:
        don.append(("Valorisation", _joindre(valorisations)))
    detail = tuple(
        (
            d.date.strftime("%d/%m/%Y"),
            NATURES[d.nature].split(" (")[0],
            PAIEMENTS.get(
                d.paiement or "", "Non précisé" if d.nature == "numeraire" else "Sans objet"
            ),
            f"{nombre(d.montant)} euros",
        )
        for d in recu.dons
    )
    qui = "le bénéficiaire" if recu.donateur.type == "particulier" else "l'organisme"
    lieu = f"Fait à {fiscal.lieu}, le " if fiscal.lieu else "Le "
    return RecuImprime(
        titre="Reçu au titre des dons à certains organismes d'intérêt général",
        numero=recu.numero,
        beneficiaire=tuple(benef),
        donateur=(
            ("Nom", recu.donateur.nom),
            ("Adresse", recu.donateur.adresse or ""),
            ("Type", "Particulier" if recu.donateur.type == "particulier" else "Entreprise"),
        ),
        montant_chiffres=f"***{nombre(recu.montant)}***",
        montant_lettres=montant_en_lettres(recu.montant),
        don=tuple(don),
        detail=detail if len(recu.dons) > 1 else (),
        attestation=(
            f"{qui.capitalize()} reconnaît avoir reçu au titre des dons et versements "
            f"ouvrant droit à réduction d'impôt ({recu.article}) la somme de :"
        ),
        signature=(f"{lieu}{recu.emis:%d/%m/%Y}", fiscal.signataire, "Signature :"),
    )
