"""Each rule of the plan_comptable plugin, on small ledgers loaded by the real Beancount loader.

Every ledger is written with :func:`conftest.write_ledger`: five root options and
the plugin line, so the body starts at line 7. Each test asserts the complete
list of errors (file, line, exact French message) and checks that the line
reported is the directive concerned.
"""

from __future__ import annotations

import datetime
import tempfile
import textwrap
from pathlib import Path

import pytest
from beancount.core import data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communs_ledger.chargement import load_livre
from communs_ledger.contexte import LedgerContext
from communs_ledger.plan import VERSIONS, load_chart, natures
from communs_plugins.plan_comptable import plan_comptable
from conftest import BANQUE, FONDS, Found, line_at, load_errors, write_ledger, write_valid_ledger

SUGGESTIONS_60_2025 = (
    "601 Achats stockés - Matières premières et fournitures, "
    "602 Achats stockés - Autres approvisionnements, "
    "603 Variation des stocks d'approvisionnements et de marchandises, "
    "604 Achats d'études et prestations de services…"
)
SUGGESTIONS_74_2025 = (
    "741 Subventions d'exploitation, 742 Subventions d'équilibre, "
    "747 Quote-part des subventions d'investissement virée au résultat de l'exercice"
)


def test_code_inconnu(tmp_path: Path) -> None:
    path = write_ledger(
        tmp_path,
        """\
        2025-01-01 open Charges:99-Inconnu
        """,
    )
    assert load_errors(path) == [
        Found(
            "main.beancount",
            7,
            "Compte Charges:99-Inconnu : le numéro 99 n'existe pas dans le plan comptable "
            "associatif",
        )
    ]


def test_code_prolongeant_seulement_un_titre_refuse(tmp_path: Path) -> None:
    path = write_ledger(
        tmp_path,
        """\
        2025-01-01 open Charges:62-Autres-services-exterieurs:6226-Honoraires
        2025-01-01 open Charges:60-Achats:6000-Divers
        """,
    )
    assert load_errors(path) == [
        Found(
            "main.beancount",
            8,
            "Compte Charges:60-Achats:6000-Divers : 6000 n'est pas dans le plan comptable et "
            "prolonge seulement le titre 60 « Achats (sauf 603) », non mouvementable ; "
            f"choisissez par exemple : {SUGGESTIONS_60_2025}",
        )
    ]
    assert line_at(path, 8) == "2025-01-01 open Charges:60-Achats:6000-Divers"


def test_titre_ouvert_comme_compte_refuse(tmp_path: Path) -> None:
    path = write_ledger(
        tmp_path,
        """\
        2025-01-01 open Actif:51-Banques EUR
        """,
    )
    assert load_errors(path) == [
        Found(
            "main.beancount",
            7,
            "Compte Actif:51-Banques : 51 « Banques, établissements financiers et assimilés » "
            "est un titre, non mouvementable : ouvrez un sous-compte ; choisissez par exemple : "
            "511 Valeurs à l'encaissement, 512 Banques, 517 Autres organismes financiers, "
            "518 Intérêts courus…",
        )
    ]


@pytest.mark.parametrize("year", [2024, 2025])
def test_code_prolongeant_un_compte_mouvementable_accepte(tmp_path: Path, year: int) -> None:
    path = write_ledger(
        tmp_path,
        f"""\
        {year}-01-01 open {BANQUE} EUR
        {year}-01-01 open Charges:62-Autres-services-exterieurs:62261-Honoraires-CAC

        {year}-05-02 * "Cabinet Martin" "Honoraires du commissaire aux comptes"
          Charges:62-Autres-services-exterieurs:62261-Honoraires-CAC  1800.00 EUR
          {BANQUE}
        """,
    )
    assert load_errors(path) == []


def test_7401_accepte_en_2024_refuse_en_2025(tmp_path: Path) -> None:
    path = write_ledger(
        tmp_path,
        f"""\
        2024-01-01 open {BANQUE} EUR
        2024-01-01 open Produits:74-Subventions:7401-Etat

        2024-03-01 * "Préfecture" "Subvention FDVA 2024"
          {BANQUE}  3000.00 EUR
          Produits:74-Subventions:7401-Etat

        2025-03-03 * "Préfecture" "Subvention FDVA 2025"
          {BANQUE}  3200.00 EUR
          Produits:74-Subventions:7401-Etat

        2025-09-01 * "Préfecture" "Solde FDVA 2025"
          {BANQUE}  800.00 EUR
          Produits:74-Subventions:7401-Etat
        """,
    )
    assert load_errors(path) == [
        Found(
            "main.beancount",
            14,
            "Compte Produits:74-Subventions:7401-Etat : dans l'exercice 2025 (plan 2025) : "
            "7401 n'est pas dans le plan comptable et prolonge seulement le titre 74 "
            "« Subventions », non mouvementable ; choisissez par exemple : "
            f"{SUGGESTIONS_74_2025}",
        )
    ]
    assert line_at(path, 14) == '2025-03-03 * "Préfecture" "Subvention FDVA 2025"'


def test_composant_qui_ne_prolonge_pas_son_parent(tmp_path: Path) -> None:
    path = write_ledger(
        tmp_path,
        """\
        2025-01-01 open Charges:60-Achats:6132-Loyer
        """,
    )
    assert load_errors(path) == [
        Found(
            "main.beancount",
            7,
            "Compte Charges:60-Achats:6132-Loyer : « 6132-Loyer » ne prolonge pas le numéro de "
            "son parent « 60-Achats » : un sous-compte de 60 doit avoir un numéro plus long "
            "commençant par 60",
        )
    ]


def test_racine_contraire_a_la_nature(tmp_path: Path) -> None:
    path = write_ledger(
        tmp_path,
        """\
        2025-01-01 open Produits:60-Achats:6064-Fournitures
        2025-01-01 open Actif:62-Autres-services-exterieurs:6226-Honoraires
        2025-01-01 open Actif:40-Fournisseurs:401-Fournisseurs
        2025-01-01 open Charges:75-Autres-produits:756-Cotisations
        """,
    )
    assert load_errors(path) == [
        Found(
            "main.beancount",
            7,
            "Compte Produits:60-Achats:6064-Fournitures : 6064 « Fournitures administratives » "
            "relève de la nature « Charge » : il doit être sous Charges, pas sous Produits",
        ),
        Found(
            "main.beancount",
            8,
            "Compte Actif:62-Autres-services-exterieurs:6226-Honoraires : 6226 « Honoraires » "
            "relève de la nature « Charge » : il doit être sous Charges, pas sous Actif",
        ),
        Found(
            "main.beancount",
            9,
            "Compte Actif:40-Fournisseurs:401-Fournisseurs : 401 « Fournisseurs » relève de la "
            "nature « Passif (dettes) » : il doit être sous Passif, pas sous Actif",
        ),
        Found(
            "main.beancount",
            10,
            "Compte Charges:75-Autres-produits:756-Cotisations : 756 « Cotisations » relève de "
            "la nature « Produit » : il doit être sous Produits, pas sous Charges",
        ),
    ]


@pytest.mark.parametrize("year", [2024, 2025])
def test_comptes_a_double_sens_acceptes_sous_actif_et_passif(tmp_path: Path, year: int) -> None:
    path = write_ledger(
        tmp_path,
        f"""\
        {year}-01-01 open Actif:51-Banques:512-Banques:Credit-Cooperatif EUR
        {year}-01-01 open Passif:51-Banques:512-Banques:Decouvert-autorise EUR
        {year}-01-01 open Actif:44-Etat:441-Subventions-a-recevoir:Region
        {year}-01-01 open Passif:44-Etat:441-Subventions-a-recevoir:Avance-Commune
        {year}-01-01 open Produits:75-Autres-produits:756-Cotisations

        {year}-02-01 * "Adhésions"
          Actif:51-Banques:512-Banques:Credit-Cooperatif  150.00 EUR
          Produits:75-Autres-produits:756-Cotisations
        """,
    )
    assert load_errors(path) == []


@pytest.mark.parametrize(
    ("account", "message"),
    [
        (
            "Produits:77-Produits-exceptionnels:7715-Subventions-d-equilibre",
            "7715 « Subventions d'équilibre » est retiré du plan comptable pour les exercices "
            "ouverts à partir du 1er janvier 2025 : utilisez 742 « Subventions d'équilibre » "
            "(les subventions d'équilibre passent en produits d'exploitation)",
        ),
        (
            "Actif:53-Caisse:531-Caisse EUR",
            "531 « Caisse siège social » est retiré du plan comptable pour les exercices ouverts "
            "à partir du 1er janvier 2025 : utilisez 53 « Caisse »",
        ),
        (
            "Produits:77-Produits-exceptionnels:777-Quote-part-subventions-investissement",
            "777 « Quote-part des subventions d'investissement virée au résultat de l'exercice » "
            "est retiré du plan comptable pour les exercices ouverts à partir du 1er janvier "
            "2025 : utilisez 747 « Quote-part des subventions d'investissement virée au résultat "
            "de l'exercice » (la quote-part des subventions d'investissement passe en produits "
            "d'exploitation)",
        ),
    ],
)
def test_compte_retire_en_2025_avec_remplacement(
    tmp_path: Path, account: str, message: str
) -> None:
    path = write_ledger(tmp_path, f"2025-01-01 open {account}\n")
    name = account.split()[0]
    assert load_errors(path) == [Found("main.beancount", 7, f"Compte {name} : {message}")]


def test_compte_retire_accepte_en_2024(tmp_path: Path) -> None:
    path = write_ledger(
        tmp_path,
        f"""\
        2024-01-01 open {BANQUE} EUR
        2024-01-01 open Produits:77-Produits-exceptionnels:7715-Subventions-d-equilibre
        2024-01-01 open Actif:53-Caisse:531-Caisse EUR

        2024-06-30 * "Commune" "Subvention d'équilibre"
          {BANQUE}  5000.00 EUR
          Produits:77-Produits-exceptionnels:7715-Subventions-d-equilibre
        """,
    )
    assert load_errors(path) == []


def test_compte_retire_utilise_en_2024_puis_en_2025(tmp_path: Path) -> None:
    path = write_ledger(
        tmp_path,
        f"""\
        2024-01-01 open {BANQUE} EUR
        2024-01-01 open Produits:77-Produits-exceptionnels:7715-Subventions-d-equilibre

        2024-06-30 * "Commune" "Subvention d'équilibre 2024"
          {BANQUE}  5000.00 EUR
          Produits:77-Produits-exceptionnels:7715-Subventions-d-equilibre

        2025-06-30 * "Commune" "Subvention d'équilibre 2025"
          {BANQUE}  5000.00 EUR
          Produits:77-Produits-exceptionnels:7715-Subventions-d-equilibre
        """,
    )
    assert load_errors(path) == [
        Found(
            "main.beancount",
            14,
            "Compte Produits:77-Produits-exceptionnels:7715-Subventions-d-equilibre : dans "
            "l'exercice 2025 (plan 2025) : 7715 « Subventions d'équilibre » est retiré du plan "
            "comptable pour les exercices ouverts à partir du 1er janvier 2025 : utilisez 742 "
            "« Subventions d'équilibre » (les subventions d'équilibre passent en produits "
            "d'exploitation)",
        )
    ]


def test_compte_sans_composant_numerote(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, "2025-01-01 open Actif:Banque:Credit-Cooperatif EUR\n")
    assert load_errors(path) == [
        Found(
            "main.beancount",
            7,
            "Compte Actif:Banque:Credit-Cooperatif : aucun composant numéroté ; le plan "
            "comptable exige un numéro de compte (ex. Actif:51-Banques:512-Banque:"
            "Credit-Cooperatif)",
        )
    ]


CONTRIBUTIONS = f"""\
2024-01-01 open {BANQUE} EUR
2024-01-01 open {FONDS}
2024-01-01 open Charges:86-Emplois-des-contributions:864-Personnel-benevole
2024-01-01 open Charges:86-Emplois-des-contributions:860-Secours-en-nature
2024-01-01 open Produits:87-Contributions-volontaires:875-Benevolat
2024-01-01 open Produits:87-Contributions-volontaires:870-Dons-en-nature
"""
MIXING = (
    "Une écriture de contributions volontaires en nature (86/87) ne doit contenir que des "
    "comptes 86 et 87 ; comptes d'autres classes : "
)


def _contributions(rest: str) -> str:
    """The six opens above (lines 7 to 12), then ``rest`` from line 13."""
    return CONTRIBUTIONS + textwrap.dedent(rest)


def test_ecriture_melant_86_87_et_une_autre_classe(tmp_path: Path) -> None:
    path = write_ledger(
        tmp_path,
        _contributions(
            f"""
            2024-03-01 * "Bénévolat de mars"
              Charges:86-Emplois-des-contributions:864-Personnel-benevole  300.00 EUR
              Produits:87-Contributions-volontaires:875-Benevolat  -200.00 EUR
              {BANQUE}  -100.00 EUR
            """
        ),
    )
    assert line_at(path, 14) == '2024-03-01 * "Bénévolat de mars"'
    assert load_errors(path) == [
        Found(
            "main.beancount",
            14,
            "Exercice 2024 : le total des emplois des contributions volontaires en nature (86) "
            "vaut 300,00\u00a0€ et celui des ressources (87) 200,00\u00a0€ ; ils doivent être "
            "égaux",
        ),
        Found("main.beancount", 14, MIXING + BANQUE),
    ]


def test_sigma_86_different_de_sigma_87_sur_l_exercice(tmp_path: Path) -> None:
    path = write_ledger(
        tmp_path,
        _contributions(
            f"""
            2024-03-01 * "Bénévolat valorisé contre la banque (erreur)"
              Charges:86-Emplois-des-contributions:864-Personnel-benevole  1200.00 EUR
              {BANQUE}

            2024-06-01 * "Don en nature contre les fonds propres (erreur)"
              Produits:87-Contributions-volontaires:870-Dons-en-nature  -450.50 EUR
              {FONDS}
            """
        ),
    )
    # 86 : 1 200,00 ; 87 : 450,50. The Σ error is placed at the exercice's last 86/87 entry.
    assert load_errors(path) == [
        Found("main.beancount", 14, MIXING + BANQUE),
        Found(
            "main.beancount",
            18,
            "Exercice 2024 : le total des emplois des contributions volontaires en nature (86) "
            "vaut 1\u202f200,00\u00a0€ et celui des ressources (87) 450,50\u00a0€ ; ils doivent "
            "être égaux",
        ),
        Found("main.beancount", 18, MIXING + FONDS),
    ]


def test_sigma_86_sigma_87_compares_exercice_par_exercice(tmp_path: Path) -> None:
    """Equal over 2024 + 2025 (800 each) but not within each exercice: two errors."""
    path = write_ledger(
        tmp_path,
        _contributions(
            f"""
            2024-12-31 * "Bénévolat 2024 valorisé contre la banque (erreur)"
              Charges:86-Emplois-des-contributions:864-Personnel-benevole  800.00 EUR
              {BANQUE}

            2025-01-02 * "Bénévolat 2024 enregistré en 2025 (erreur)"
              Produits:87-Contributions-volontaires:875-Benevolat  -800.00 EUR
              {BANQUE}
            """
        ),
    )
    assert load_errors(path) == [
        Found(
            "main.beancount",
            14,
            "Exercice 2024 : le total des emplois des contributions volontaires en nature (86) "
            "vaut 800,00\u00a0€ et celui des ressources (87) 0,00\u00a0€ ; ils doivent être égaux",
        ),
        Found("main.beancount", 14, MIXING + BANQUE),
        Found(
            "main.beancount",
            18,
            "Exercice 2025 : le total des emplois des contributions volontaires en nature (86) "
            "vaut 0,00\u00a0€ et celui des ressources (87) 800,00\u00a0€ ; ils doivent être égaux",
        ),
        Found("main.beancount", 18, MIXING + BANQUE),
    ]


def test_sigma_86_egal_sigma_87_sur_deux_exercices(tmp_path: Path) -> None:
    path = write_ledger(
        tmp_path,
        _contributions(
            f"""
            2024-03-01 * "Bénévolat 2024 (1 200 h au SMIC)"
              Charges:86-Emplois-des-contributions:864-Personnel-benevole  1200.00 EUR
              Produits:87-Contributions-volontaires:875-Benevolat

            2024-11-15 * "Colis alimentaires reçus et distribués"
              Charges:86-Emplois-des-contributions:860-Secours-en-nature  450.50 EUR
              Produits:87-Contributions-volontaires:870-Dons-en-nature  -405.50 EUR
              Produits:87-Contributions-volontaires:875-Benevolat  -45.00 EUR

            2025-03-01 * "Bénévolat 2025"
              Charges:86-Emplois-des-contributions:864-Personnel-benevole  800.00 EUR
              Produits:87-Contributions-volontaires:875-Benevolat  -800.00 EUR

            2025-04-01 * "Frais bancaires"
              Charges:62-Autres-services-exterieurs:627-Services-bancaires  1.00 EUR
              {BANQUE}
            """
        ).replace(
            "2024-01-01 open Produits:87-Contributions-volontaires:870-Dons-en-nature\n",
            "2024-01-01 open Produits:87-Contributions-volontaires:870-Dons-en-nature\n"
            "2024-01-01 open Charges:62-Autres-services-exterieurs:627-Services-bancaires\n",
        ),
    )
    # 2024 : 86 = 1 200,00 + 450,50 = 1 650,50 = 87 ; 2025 : 800,00 de chaque côté.
    assert load_errors(path) == []


CAISSE_2024 = f"""\
2024-01-01 open Actif:53-Caisse:531-Caisse EUR
2024-01-01 open {BANQUE} EUR
2024-01-01 open {FONDS}

2024-02-01 * "Fonds de caisse"
  Actif:53-Caisse:531-Caisse  50.00 EUR
  {FONDS}
"""
CAISSE_RETIREE = (
    "Compte Actif:53-Caisse:531-Caisse : dans l'exercice 2025 (plan 2025) : 531 « Caisse siège "
    "social » est retiré du plan comptable pour les exercices ouverts à partir du 1er janvier "
    "2025 : utilisez 53 « Caisse »"
)


def test_solde_reporte_en_2025_sur_un_compte_retire(tmp_path: Path) -> None:
    """Opened in 2024, no 2025 posting, but its 50 € are still in the 2025 balance sheet."""
    path = write_ledger(
        tmp_path,
        CAISSE_2024
        + f"""
2025-03-01 * "Cotisation"
  {BANQUE}  20.00 EUR
  {FONDS}
""",
    )
    assert load_errors(path) == [Found("main.beancount", 7, CAISSE_RETIREE)]
    assert line_at(path, 7) == "2024-01-01 open Actif:53-Caisse:531-Caisse EUR"


def test_solde_reporte_apres_un_exercice_sans_mouvement(tmp_path: Path) -> None:
    """Balance from 2023, nothing in 2024, the ledger goes on in 2025: still carried."""
    path = write_ledger(
        tmp_path,
        CAISSE_2024.replace("2024-", "2023-")
        + f"""
2025-03-01 * "Cotisation"
  {BANQUE}  20.00 EUR
  {FONDS}
""",
    )
    assert load_errors(path) == [Found("main.beancount", 7, CAISSE_RETIREE)]


def test_compte_retire_solde_en_2024_accepte(tmp_path: Path) -> None:
    path = write_ledger(
        tmp_path,
        CAISSE_2024
        + f"""
2024-12-31 * "Caisse versée en banque"
  {BANQUE}  50.00 EUR
  Actif:53-Caisse:531-Caisse

2025-03-01 * "Cotisation"
  {BANQUE}  20.00 EUR
  {FONDS}
""",
    )
    assert load_errors(path) == []


def test_grand_livre_arrete_en_2024_ne_reporte_rien(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, CAISSE_2024)
    assert load_errors(path) == []


SUBVENTION_7401 = f"""\
2024-07-01 open {BANQUE} EUR
2024-07-01 open Produits:74-Subventions:7401-Etat

2025-06-15 * "Préfecture" "Subvention 2024-2025"
  {BANQUE}  3000.00 EUR
  Produits:74-Subventions:7401-Etat
"""


def test_exercice_non_calendaire_garde_le_plan_2018_jusqu_a_sa_cloture(tmp_path: Path) -> None:
    """Exercices 1 July - 30 June: the one opened on 2024-07-01 follows the 2018 chart."""
    path = write_ledger(tmp_path, SUBVENTION_7401, config='exercice:\n  debut: "01-07"\n')
    assert load_errors(path) == []

    calendar = write_ledger(tmp_path / "calendaire", SUBVENTION_7401)
    assert load_errors(calendar) == [
        Found(
            "main.beancount",
            10,
            "Compte Produits:74-Subventions:7401-Etat : dans l'exercice 2025 (plan 2025) : "
            "7401 n'est pas dans le plan comptable et prolonge seulement le titre 74 "
            "« Subventions », non mouvementable ; choisissez par exemple : "
            f"{SUGGESTIONS_74_2025}",
        )
    ]


def test_exercice_non_calendaire_ouvert_en_2025_applique_le_plan_2025(tmp_path: Path) -> None:
    path = write_ledger(
        tmp_path,
        SUBVENTION_7401
        + f"""
2025-07-01 * "Préfecture" "Subvention 2025-2026"
  {BANQUE}  3000.00 EUR
  Produits:74-Subventions:7401-Etat
""",
        config='exercice:\n  debut: "01-07"\n',
    )
    assert line_at(path, 14) == '2025-07-01 * "Préfecture" "Subvention 2025-2026"'
    assert load_errors(path) == [
        Found(
            "main.beancount",
            14,
            "Compte Produits:74-Subventions:7401-Etat : dans l'exercice 2025-2026 (plan 2025) : "
            "7401 n'est pas dans le plan comptable et prolonge seulement le titre 74 "
            "« Subventions », non mouvementable ; choisissez par exemple : "
            f"{SUGGESTIONS_74_2025}",
        )
    ]


def test_grand_livre_valide_sur_deux_exercices(tmp_path: Path) -> None:
    path = write_valid_ledger(tmp_path)
    assert load_errors(path) == []
    livre = load_livre(path)
    assert livre.ok
    assert livre.diagnostics == []


def test_erreur_dans_un_fichier_inclus(tmp_path: Path) -> None:
    path = write_valid_ledger(tmp_path)
    accounts = tmp_path / "comptes.beancount"
    accounts.write_text(
        accounts.read_text(encoding="utf-8") + "2025-01-01 open Charges:60-Achats:6000-Divers\n",
        encoding="utf-8",
    )
    # 5 option lines + 19 opens: the new one is line 25 of comptes.beancount.
    assert line_at(accounts, 25) == "2025-01-01 open Charges:60-Achats:6000-Divers"
    assert load_errors(path) == [
        Found(
            "comptes.beancount",
            25,
            "Compte Charges:60-Achats:6000-Divers : 6000 n'est pas dans le plan comptable et "
            "prolonge seulement le titre 60 « Achats (sauf 603) », non mouvementable ; "
            f"choisissez par exemple : {SUGGESTIONS_60_2025}",
        )
    ]


def test_verifications_appliquees_sans_declaration_du_greffon(ledger_dir: Path) -> None:
    """``load_livre`` runs the communs checks even if the ledger has no plugin line."""
    path = write_ledger(
        ledger_dir,
        "2025-01-01 open Charges:60-Achats:6132-Loyer\n",
        plugin=None,
    )
    assert load_errors(path) == []  # plain Beancount: nothing to say
    livre = load_livre(path)
    assert [str(d) for d in livre.diagnostics] == [
        "main.beancount:7: Compte Charges:60-Achats:6132-Loyer : « 6132-Loyer » ne prolonge pas "
        "le numéro de son parent « 60-Achats » : un sous-compte de 60 doit avoir un numéro plus "
        "long commençant par 60"
    ]


def test_greffon_declare_une_seule_fois_pas_de_doublon(ledger_dir: Path) -> None:
    path = write_ledger(ledger_dir, "2025-01-01 open Charges:60-Achats:6132-Loyer\n")
    assert len(load_livre(path).diagnostics) == 1


def test_le_greffon_ne_leve_jamais_d_exception(tmp_path: Path) -> None:
    """An internal failure becomes one French CommunsError; the entries come back unchanged."""
    path = write_ledger(tmp_path, f"2025-01-01 open {BANQUE} EUR\n")
    from beancount import loader

    entries, errors, options = loader.load_file(str(path))
    assert errors == []
    broken = data.Transaction(
        data.new_metadata(str(path), 99),
        datetime.date(2025, 2, 1),
        "*",
        None,
        "Écriture produite par un autre greffon, sans liste d'imputations",
        frozenset(),
        frozenset(),
        None,  # type: ignore[arg-type]
    )
    given = [*entries, broken]
    returned, found = plan_comptable(given, options)
    assert returned is given
    assert len(found) == 1
    assert found[0].message.startswith("Erreur interne du greffon plan_comptable : ")
    assert found[0].source["filename"] == str(path)
    assert "Traceback" not in found[0].message


def test_contexte_du_greffon_sans_fichier_de_configuration(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, f"2025-01-01 open {BANQUE} EUR\n")
    from beancount import loader

    _entries, errors, options = loader.load_file(str(path))
    context = LedgerContext.from_options(options)
    assert errors == []
    assert context.config.errors == []
    assert context.exercice_of(datetime.date(2025, 6, 30)).code == "2025"
    assert context.exercice_of(datetime.date(2024, 12, 31)).version == "2018"
    assert context.exercice_of(datetime.date(2025, 1, 1)).version == "2025"


# --- Property: names built per the convention from chart codes are accepted --------------

_ROOTS = {
    "actif": "Actif",
    "passif": "Passif",
    "fonds_propres": "Fonds-propres",
    "produits": "Produits",
    "charges": "Charges",
}
_OPENING = {"2018": "2024-01-01", "2025": "2025-01-01"}
_LABEL = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", min_size=1)


@st.composite
def _conventional_account(draw: st.DrawFn, version: str) -> str:
    """``Root:CH-Label:CODE-Label[:User-sub-account]`` for a postable code of the chart."""
    chart = load_chart(version)
    postable = sorted(a.code for a in chart.accounts.values() if not a.is_heading)
    code = draw(st.sampled_from(postable))
    if draw(st.booleans()):  # a user extension of the code (62261 under 6226)
        extended = code + draw(st.text(alphabet="0123456789", min_size=1, max_size=2))
        if chart.check(extended).ok:
            code = extended
    check = chart.check(code)
    assert check.ok and check.nature is not None
    role = draw(st.sampled_from(natures()[check.nature].roles))
    components = [_ROOTS[role]]
    # Coded ancestors: any increasing selection of the code's proper prefixes.
    for length in range(2, len(code)):
        if (length == 2 or draw(st.booleans())) and draw(st.booleans()):
            components.append(f"{code[:length]}-{draw(_LABEL).capitalize()}")
    components.append(code if draw(st.booleans()) else f"{code}-{draw(_LABEL).capitalize()}")
    if draw(st.booleans()):
        components.append(draw(_LABEL).capitalize())
    return ":".join(components)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), version=st.sampled_from(VERSIONS))
def test_noms_conformes_a_la_convention_acceptes(data: st.DataObject, version: str) -> None:
    names = data.draw(st.sets(_conventional_account(version), min_size=1, max_size=12))
    body = "".join(f"{_OPENING[version]} open {name}\n" for name in sorted(names))
    with tempfile.TemporaryDirectory() as folder:
        path = write_ledger(Path(folder), body)
        assert load_errors(path) == []


def test_projet_non_declare(tmp_path: Path) -> None:
    config = "projets:\n  - code: JARDINS\n    nom: Jardins\n  - code: ECOLE\n    nom: École\n"
    path = write_ledger(
        tmp_path,
        f"""\
        2025-01-01 open {BANQUE} EUR
        2025-01-01 open {FONDS}
        2025-02-01 * "Apport" #fonds
          projet: "JARDINS"
          {BANQUE}  100.00 EUR
          {FONDS}
        2025-02-02 * "Apport"
          projet: "JARDIN"
          {BANQUE}  50.00 EUR
          {FONDS}
        2025-02-03 * "Apport"
          {BANQUE}  25.00 EUR
            projet: "CUISINE"
          {FONDS}
        """,
        config=config,
    )
    message = (
        "Projet « {} » inconnu : les projets déclarés dans la configuration sont ECOLE, JARDINS"
    )
    assert load_errors(path) == [
        Found("main.beancount", 13, message.format("JARDIN")),
        Found("main.beancount", 18, message.format("CUISINE")),
    ]
    # Without declared projects, any code is accepted (nothing to check against).
    path = write_ledger(
        tmp_path / "sans",
        f"""\
        2025-01-01 open {BANQUE} EUR
        2025-01-01 open {FONDS}
        2025-02-02 * "Apport"
          projet: "JARDIN"
          {BANQUE}  50.00 EUR
          {FONDS}
        """,
    )
    assert load_errors(path) == []
