"""Report objects built by hand for the renderer tests (imported by the other
``test_rendu_*`` modules), and checks that their figures are consistent.

Every figure below is written by hand; the expected rounded values are in
``ATTENDU`` (half-up to the cent: 45000.005 → 45000.01, -12.005 → -12.01).
"""

from __future__ import annotations

import datetime
from decimal import Decimal as D

from communs_ledger.rapports.objets import Colonne, Genre, Ligne, Partie, Rapport, Style

SCRIPT = "<script>alert(1)</script>"
FORMULE = '=HYPERLINK("http://exemple.invalid","clic")'
BALISES = "[bold red]pas du balisage[/]"
ASSOCIATION = "Les Jardins Partagés & Cie"


def compte_de_resultat() -> Rapport:
    colonnes = [Colonne("n", "Exercice 2025"), Colonne("n1", "Exercice 2024")]
    lignes = [
        Ligne("Produits d'exploitation", id="bloc_produits_exploitation", style=Style.TITRE),
        Ligne("Cotisations", {"n": D("1234.56"), "n1": D("1100")}, id="cotisations", niveau=2),
        Ligne(
            "Subventions d'exploitation",
            {"n": D("45000.005"), "n1": D("42000")},
            id="subventions_exploitation",
            niveau=2,
            comptes=("Produits:74-Subventions:741-Etat",),
        ),
        Ligne(
            "dont subventions de l'État",
            {"n": D("20000"), "n1": D("18000")},
            id="dont_subventions_etat",
            niveau=3,
            style=Style.DONT,
        ),
        Ligne(
            "Total des produits d'exploitation",
            {"n": D("46234.565"), "n1": D("43100")},
            id="total_produits_exploitation",
            style=Style.SOUS_TOTAL,
        ),
        Ligne("Charges d'exploitation", id="bloc_charges_exploitation", style=Style.TITRE),
        Ligne("Achats", {"n": D("2500.50"), "n1": D("2300")}, id="achats", niveau=2),
        Ligne("Salaires et traitements", {"n": D("40000"), "n1": D("38000")}, id="salaires"),
        Ligne(
            "Total des charges d'exploitation",
            {"n": D("42500.50"), "n1": D("40300")},
            id="total_charges_exploitation",
            style=Style.SOUS_TOTAL,
        ),
        Ligne(
            "Résultat d'exploitation",
            {"n": D("3734.065"), "n1": D("2800")},
            id="resultat_exploitation",
            style=Style.SOUS_TOTAL,
        ),
        Ligne(
            "Résultat financier",
            {"n": D("-12.005"), "n1": D("0")},
            id="resultat_financier",
            style=Style.SOUS_TOTAL,
        ),
        Ligne(
            "Résultat de l'exercice",
            {"n": D("3722.06"), "n1": D("2800")},
            id="resultat",
            style=Style.TOTAL,
        ),
    ]
    totaux = {
        "n": {
            "total_produits_exploitation": D("46234.565"),
            "total_charges_exploitation": D("42500.50"),
            "resultat_exploitation": D("3734.065"),
            "resultat_financier": D("-12.005"),
            "resultat": D("3722.06"),
        },
        "n1": {
            "total_produits_exploitation": D("43100"),
            "total_charges_exploitation": D("40300"),
            "resultat_exploitation": D("2800"),
            "resultat_financier": D("0"),
            "resultat": D("2800"),
        },
    }
    return Rapport(
        id="compte_de_resultat",
        titre="Compte de résultat",
        association=ASSOCIATION,
        parties=[
            Partie(
                "compte_de_resultat",
                "Compte de résultat",
                colonnes,
                lignes,
                notes=["Modèle du règlement ANC 2018-06."],
            )
        ],
        sous_titre="Modèle ANC 2018-06",
        exercice="2025",
        periode=(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
        totaux=totaux,
        notes=["Montants arrondis au centime à l'affichage."],
        avertissements=["2 écritures sans pièce justificative."],
        meta={"version_plan": "2025", "ecritures": 128, "genere_le": datetime.date(2026, 3, 2)},
    )


# Expected exported text (JSON/CSV/data-valeur) of compte_de_resultat(), by (line, column).
ATTENDU_CR = {
    ("cotisations", "n"): "1234.56",
    ("cotisations", "n1"): "1100.00",
    ("subventions_exploitation", "n"): "45000.01",
    ("dont_subventions_etat", "n"): "20000.00",
    ("total_produits_exploitation", "n"): "46234.57",
    ("achats", "n"): "2500.50",
    ("salaires", "n1"): "38000.00",
    ("total_charges_exploitation", "n"): "42500.50",
    ("resultat_exploitation", "n"): "3734.07",
    ("resultat_financier", "n"): "-12.01",
    ("resultat_financier", "n1"): "0.00",
    ("resultat", "n"): "3722.06",
    ("resultat", "n1"): "2800.00",
}


def bilan() -> Rapport:
    actif = Partie(
        "actif",
        "Actif",
        [
            Colonne("brut", "Brut"),
            Colonne("amortissements", "Amortissements et dépréciations"),
            Colonne("net", "Net"),
            Colonne("n1", "Net 2024"),
        ],
        [
            Ligne("Actif immobilisé", id="bloc_actif_immobilise", style=Style.TITRE),
            Ligne(
                "Installations techniques, matériel et outillage",
                {
                    "brut": D("3600"),
                    "amortissements": D("1200"),
                    "net": D("2400"),
                    "n1": D("3000"),
                },
                id="installations_techniques",
                niveau=2,
            ),
            Ligne(
                "Disponibilités",
                {
                    "brut": D("25000.40"),
                    "amortissements": None,
                    "net": D("25000.40"),
                    "n1": D("20000"),
                },
                id="disponibilites",
                niveau=2,
            ),
            Ligne(
                "Total de l'actif",
                {
                    "brut": D("28600.40"),
                    "amortissements": D("1200"),
                    "net": D("27400.40"),
                    "n1": D("23000"),
                },
                id="total_actif",
                style=Style.TOTAL,
            ),
        ],
    )
    passif = Partie(
        "passif",
        "Passif",
        [Colonne("net", "Exercice 2025"), Colonne("n1", "Exercice 2024")],
        [
            Ligne("Fonds propres", {"net": D("14999.40"), "n1": D("12000")}, id="fonds_propres"),
            Ligne("Résultat de l'exercice", {"net": D("3722.06"), "n1": D("2800")}, id="resultat"),
            Ligne("Fonds dédiés", {"net": D("0"), "n1": D("0")}, id="fonds_dedies"),
            Ligne("Dettes", {"net": D("8678.94"), "n1": D("8200")}, id="dettes"),
            Ligne(
                "Total du passif",
                {"net": D("27400.40"), "n1": D("23000")},
                id="total_passif",
                style=Style.TOTAL,
            ),
        ],
    )
    totaux = {
        "net": {
            "total_actif": D("27400.40"),
            "total_passif": D("27400.40"),
            "fonds_propres": D("18721.46"),
            "dettes": D("8678.94"),
            "disponibilites": D("25000.40"),
        },
        "n1": {
            "total_actif": D("23000"),
            "total_passif": D("23000"),
            "fonds_propres": D("14800"),
            "dettes": D("8200"),
            "disponibilites": D("20000"),
        },
    }
    return Rapport(
        id="bilan",
        titre="Bilan",
        association=ASSOCIATION,
        parties=[actif, passif],
        exercice="2025",
        periode=(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
        totaux=totaux,
    )


def diagnostic() -> Rapport:
    colonnes = [
        Colonne("valeur", "Valeur", Genre.POURCENTAGE),
        Colonne("seuil", "Seuil", Genre.POURCENTAGE),
        Colonne("mois", "Mois de charges", Genre.NOMBRE),
        Colonne("effectif", "Salariés", Genre.ENTIER),
    ]
    lignes = [
        Ligne(
            "Taux d'autofinancement",
            {"valeur": D("0.125"), "seuil": D("0.10")},
            id="autofinancement",
            statut="ok",
        ),
        Ligne(
            "Trésorerie en mois de charges",
            {"mois": D("2.345"), "effectif": 12},
            id="tresorerie_mois",
            statut="surveiller",
        ),
        Ligne(
            "Dépendance aux subventions",
            {"valeur": D("0.87655"), "seuil": D("0.5"), "mois": None},
            id="dependance_subventions",
            statut="alerte",
        ),
        Ligne("Variation des fonds propres", {"valeur": D("-0.0312")}, id="variation_fp"),
    ]
    return Rapport(
        id="diagnostic",
        titre="Diagnostic financier",
        association=ASSOCIATION,
        parties=[Partie("ratios", "Ratios", colonnes, lignes)],
        exercice="2025",
    )


def grand_livre() -> Rapport:
    colonnes = [
        Colonne("date", "Date", Genre.DATE),
        Colonne("piece", "Pièce", Genre.TEXTE),
        Colonne("debit", "Débit"),
        Colonne("credit", "Crédit"),
        Colonne("solde", "Solde"),
    ]
    banque = Partie(
        "512",
        "512 Banque : compte courant [Crédit Coopératif]/principal",
        colonnes,
        [
            Ligne(
                SCRIPT,
                {
                    "date": datetime.date(2025, 1, 15),
                    "piece": "F-001",
                    "debit": D("100"),
                    "solde": D("100"),
                },
                code="512",
                comptes=("Actif:51-Banques:512-Banques:Compte-courant",),
            ),
            Ligne(
                FORMULE,
                {
                    "date": datetime.date(2025, 2, 3),
                    "piece": "=1+1",
                    "credit": D("1334.565"),
                    "solde": D("-1234.565"),
                },
                code="512",
            ),
            Ligne(
                BALISES,
                {"date": datetime.date(2025, 12, 31), "piece": None, "debit": D("1234.56")},
                code="512",
            ),
            Ligne(
                "Total du compte",
                {"debit": D("1334.56"), "credit": D("1334.565"), "solde": D("-0.005")},
                id="total_512",
                style=Style.TOTAL,
            ),
        ],
    )
    usagers = Partie(
        "411",
        "512 Banque : compte courant [Crédit Coopératif]/principal",  # same title on purpose
        colonnes,
        [
            Ligne(
                "Cotisation 2025", {"date": datetime.date(2025, 3, 1), "debit": D("30")}, code="411"
            )
        ],
    )
    return Rapport(
        id="grand_livre",
        titre="Grand livre",
        association=ASSOCIATION,
        parties=[banque, usagers],
        periode=(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
    )


def tous() -> list[Rapport]:
    return [compte_de_resultat(), bilan(), diagnostic(), grand_livre()]


def test_le_compte_de_resultat_exemple_est_coherent():
    rapport = compte_de_resultat()
    partie = rapport.parties[0]

    def n(id_: str) -> D:
        return partie.ligne(id_).valeurs["n"]

    assert n("cotisations") + n("subventions_exploitation") == n("total_produits_exploitation")
    assert n("achats") + n("salaires") == n("total_charges_exploitation")
    assert n("total_produits_exploitation") - n("total_charges_exploitation") == n(
        "resultat_exploitation"
    )
    assert n("resultat_exploitation") + n("resultat_financier") == n("resultat")
    assert rapport.totaux["n"]["resultat"] == n("resultat")


def test_le_bilan_exemple_est_equilibre():
    rapport = bilan()
    actif, passif = rapport.parties
    for colonne in ("net", "n1"):
        lines = [ligne for ligne in passif.lignes if ligne.style is Style.NORMAL]
        assert (
            sum(ligne.valeurs[colonne] for ligne in lines)
            == (passif.ligne("total_passif").valeurs[colonne])
        )
        assert (
            actif.ligne("total_actif").valeurs[colonne]
            == (passif.ligne("total_passif").valeurs[colonne])
        )
    for ligne in actif.lignes:
        if ligne.style is not Style.TITRE:
            brut = ligne.valeurs["brut"]
            amortissements = ligne.valeurs.get("amortissements") or D(0)
            assert brut - amortissements == ligne.valeurs["net"]
