"""Audit of the smallest association: a volunteer club created with ``communs init``,
without employee, convention, budget, forecast or register, one bank account and a cash
box, one exercice (2026). Every figure below is computed by hand.

Hand computation (Club des Randonneurs du Lez, 2026):
  produits = 756 cotisations 1 000 + 125 + 7415 commune 600 + 7541 dons 150 + 50 + 100
             + 706 billetterie 450 = 2 475,00
  charges  = 616 320 + 6281 200 + 6068 180 + 6257 120 + 6251 250 + 627 4 x 12 = 1 118,00
  résultat = 2 475 − 1 118 = 1 357,00
  banque   = 3 200 + 1 000 + 600 + 150 + 400 + 100 − 320 − 200 − 180 − 250 − 48 = 4 452,00
  caisse   = 150 + 125 + 450 + 50 − 120 − 400 = 255,00 ; disponibilités = 4 707,00
  passif   = 102 2 000 + 110 1 350 + résultat 1 357 = 4 707,00
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
CAISSE = "Actif:53-Caisse"
VIREMENTS = "Actif:58-Virements-internes"
FONDS = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"
REPORT = "Fonds-propres:11-Report-a-nouveau:110-Report-a-nouveau-crediteur"
COTISATIONS = "Produits:75-Autres-produits:756-Cotisations"
COMMUNE = "Produits:74-Subventions:741-Subventions-d-exploitation:7415-Commune"
DONS = "Produits:75-Autres-produits:7541-Dons-manuels"
BILLETTERIE = "Produits:70-Ventes-et-prestations:706-Prestations-de-services"
ASSURANCE = "Charges:61-Services-exterieurs:616-Assurances"
FEDERATION = "Charges:62-Autres-services-exterieurs:6281-Cotisations"
FOURNITURES = "Charges:60-Achats:6068-Autres-fournitures"
RECEPTIONS = "Charges:62-Autres-services-exterieurs:6257-Receptions"
VOYAGES = "Charges:62-Autres-services-exterieurs:6251-Voyages-et-deplacements"
FRAIS = "Charges:62-Autres-services-exterieurs:627-Services-bancaires"

# (date, débit, crédit, montant): one line a transaction, two postings.
ECRITURES = [
    ("2026-01-15", BANQUE, COTISATIONS, "1000.00"),
    ("2026-01-20", CAISSE, COTISATIONS, "125.00"),
    ("2026-02-01", ASSURANCE, BANQUE, "320.00"),
    ("2026-02-15", FEDERATION, BANQUE, "200.00"),
    ("2026-03-10", BANQUE, COMMUNE, "600.00"),
    ("2026-03-31", FRAIS, BANQUE, "12.00"),
    ("2026-04-05", BANQUE, DONS, "150.00"),
    ("2026-06-10", FOURNITURES, BANQUE, "180.00"),
    ("2026-06-14", CAISSE, BILLETTERIE, "450.00"),
    ("2026-06-14", RECEPTIONS, CAISSE, "120.00"),
    ("2026-06-20", CAISSE, DONS, "50.00"),
    ("2026-06-30", VIREMENTS, CAISSE, "400.00"),
    ("2026-06-30", BANQUE, VIREMENTS, "400.00"),
    ("2026-06-30", FRAIS, BANQUE, "12.00"),
    ("2026-09-10", VOYAGES, BANQUE, "250.00"),
    ("2026-09-30", FRAIS, BANQUE, "12.00"),
    ("2026-12-10", BANQUE, DONS, "100.00"),
    ("2026-12-31", FRAIS, BANQUE, "12.00"),
]


@pytest.fixture
def club(tmp_path: Path, communs) -> Path:
    """The club as a new user makes it: ``communs init``, then the optional .gitignore
    removed and the year's entries written in 2026.beancount."""
    dossier = tmp_path / "club"
    result = communs(
        "init", str(dossier), "--nom", "Club des Randonneurs du Lez", "-e", "2026", "--sans-git"
    )
    assert result.exit_code == 0, result.output
    (dossier / ".gitignore").unlink()
    lignes = [
        '\n2026-01-01 * "Reprise du bilan au 31 décembre 2025"',
        f"  {BANQUE}  3200.00 EUR",
        f"  {CAISSE}  150.00 EUR",
        f"  {FONDS}  -2000.00 EUR",
        f"  {REPORT}  -1350.00 EUR",
    ]
    for date, debit, credit, montant in ECRITURES:
        lignes += ["", f'{date} * "Opération"', f"  {debit}  {montant} EUR", f"  {credit}"]
    lignes += [
        "",
        f"2027-01-01 balance {BANQUE}  4452.00 EUR",
        f"2027-01-01 balance {CAISSE}  255.00 EUR",
    ]
    with (dossier / "2026.beancount").open("a", encoding="utf-8") as fichier:
        fichier.write("\n".join(lignes) + "\n")
    return dossier / "main.beancount"


def _json(communs, *args: str) -> dict:
    result = communs(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _partie(doc: dict, partie: str) -> dict:
    return next(p for p in doc["parties"] if p["id"] == partie)


def test_annexe_of_a_club_without_employee_does_not_ask_for_the_effectif(
    club: Path, communs
) -> None:
    """No 64 account moved: the annexe says « aucun salarié » (before: « À compléter :
    effectif salarié (nombre, ETP) », and the effectif in the list of what is missing)."""
    doc = _json(communs, "comptes-annuels", "-f", str(club), "-e", "2026")
    effectif = _partie(doc, "annexe_effectif")
    assert effectif["notes"] == [
        "Aucun salarié au cours de l'exercice : ni salaire ni charge sociale au compte de résultat."
    ]
    texte = json.dumps(doc, ensure_ascii=False)
    assert "effectif salarié" not in texte
    assert 'comptes_annuels.exercices.\\"2026\\".effectif' not in texte
    # The statements of the annexe: hand figures of the module docstring.
    assert "4707.00" in texte and "1357.00" in texte


def test_subsidy_follow_up_without_conventions_file_says_where_the_grant_is(
    club: Path, communs
) -> None:
    """The town's grant booked on 7415 without any conventions file: exit 1 in French,
    how to declare the file, and the 600,00 € of 74 the ledger holds with where to read
    them (before: only « aucune convention déclarée : ajoutez … »)."""
    result = communs("subventions", "-f", str(club))
    assert result.exit_code == 1
    message = " ".join(result.output.split())
    assert "aucune convention déclarée : ajoutez « conventions: conventions.yaml »" in message
    # 600,00 € = the one grant of the Mairie (7415), hand figure of the module docstring
    assert "600,00 € (comptes 73 et 74)" in message
    assert "« communs ressources »" in message


def test_fonds_dedies_booked_without_conventions_file_is_still_refused(club: Path, communs) -> None:
    """A report to fonds dédiés booked (6894 → 194, 100,00) with no conventions file:
    the computation cannot say which convention it belongs to, so it still refuses."""
    with (club.parent / "2026.beancount").open("a", encoding="utf-8") as fichier:
        fichier.write(
            '\n2026-12-31 * "Report en fonds dédiés"\n'
            "  Charges:68-Dotations:6894-Reports-en-fonds-dedies-subventions  100.00 EUR\n"
            "  Passif:19-Fonds-dedies:194-Fonds-dedies-subventions\n"
        )
    result = communs("fonds-dedies", "-f", str(club), "-e", "2026")
    assert result.exit_code == 1
    assert "aucun fichier de conventions : déclarez-le" in " ".join(result.output.split())


def test_fonds_dedies_without_conventions_file_explains_when_there_are_none(
    club: Path, communs
) -> None:
    """The club has a town grant (600,00) and gifts (300,00) but no conventions file:
    the command cannot know whether they are affected to a project, so it refuses (exit
    1), and now says that an association whose grants are for its running has no fonds
    dédiés (before: only « aucun fichier de conventions : déclarez-le … »)."""
    result = communs("fonds-dedies", "-f", str(club), "-e", "2026")
    assert result.exit_code == 1
    message = " ".join(result.output.split())
    assert "aucun fichier de conventions : déclarez-le dans communs.yaml" in message
    assert "subventions sont de fonctionnement n'a pas de fonds dédiés" in message


def test_immobilisations_without_register_says_there_is_none_to_declare(
    club: Path, communs
) -> None:
    """No register and no class 2 account moved: exit 1 with how to declare it, and that
    the club has nothing to register (before: only « aucun registre … : déclarez-le »)."""
    result = communs("immobilisations", "-f", str(club))
    assert result.exit_code == 1
    message = " ".join(result.output.split())
    assert "aucun registre des immobilisations : déclarez-le dans communs.yaml" in message
    assert "Le grand livre ne porte aucune immobilisation" in message


def test_statements_of_the_club_equal_the_hand_figures(club: Path, communs) -> None:
    """Compte de résultat, bilan, rapport financier and diagnostic against the hand
    figures of the module docstring (trésorerie in days: 4 707 / 1 118 × 365 = 1 536,72;
    fonds propres in months: 4 707 / (1 118 / 12) = 50,52)."""
    resultat = _json(communs, "resultat", "-f", str(club), "-e", "2026")["totaux"]
    assert (resultat["cotisations"], resultat["concours_publics_subventions"]) == (
        "1125.00",
        "600.00",
    )
    assert (resultat["dons_manuels"], resultat["ventes_prestations_services"]) == (
        "300.00",
        "450.00",
    )
    assert (resultat["total_produits"], resultat["total_charges"], resultat["resultat"]) == (
        "2475.00",
        "1118.00",
        "1357.00",
    )
    bilan = _json(communs, "bilan", "-f", str(club), "-e", "2026")["totaux"]
    assert (bilan["disponibilites"], bilan["total_actif"], bilan["total_passif"]) == (
        "4707.00",
        "4707.00",
        "4707.00",
    )
    assert (bilan["fonds_propres_sans_droit_reprise"], bilan["report_a_nouveau"]) == (
        "2000.00",
        "1350.00",
    )
    rapport = _json(communs, "rapport-financier", "-f", str(club), "-e", "2026")["totaux"]
    assert rapport == {
        "produits": "2475.00",
        "charges": "1118.00",
        "resultat": "1357.00",
        "fonds_propres": "4707.00",
        "tresorerie": "4707.00",
        "fonds_dedies": "0.00",
        "reserves": "0.00",
        "report_a_nouveau": "1357.00",
    }
    diagnostic = _json(communs, "diagnostic", "-f", str(club), "-e", "2026")["totaux"]
    assert (diagnostic["tresorerie_jours"], diagnostic["fonds_propres_mois"]) == (
        "1536.72",
        "50.52",
    )


def test_closing_controls_name_the_unused_savings_account_and_its_line(club: Path, communs) -> None:
    """The club has one bank account: the Livret ``communs init`` opens never moved and
    has no assertion. The control says how to settle it (0.00 EUR assertion, or remove
    its ``open`` line, file:line) (before: only « assertion manquante : … Livret »)."""
    comptes = (club.parent / "comptes.beancount").read_text(encoding="utf-8").splitlines()
    ligne = next(
        n for n, text in enumerate(comptes, 1) if "open Actif:51-Banques:512-Banques:Livret" in text
    )
    result = communs("cloture", "-f", str(club), "-e", "2026", "--format", "json")
    doc = json.loads(result.stdout)
    details = [row["libelle"] for row in doc["parties"][0]["lignes"]]
    livret = [d for d in details if "balance Actif:51-Banques:512-Banques:Livret" in d]
    assert len(livret) == 1
    assert livret[0].startswith(
        "assertion manquante : 2027-01-01 balance Actif:51-Banques:512-Banques:Livret 0.00 EUR "
        "(compte jamais mouvementé : ajoutez cette assertion si l'association détient ce "
        "compte, sinon supprimez sa ligne « open », "
    )
    assert livret[0].endswith(f"comptes.beancount:{ligne})")
    # The bank account and the cash box have their assertions (4 452,00 and 255,00).
    assert not any("Compte-courant" in d or "53-Caisse" in d for d in details if "balance" in d)


def test_first_budget_from_the_actuals_with_the_command_the_rapport_financier_gives(
    club: Path, communs
) -> None:
    """No budget file at all: the rapport financier asks for the 2027 budget with a
    command that works (before: « communs budget nouveau -e 2027 », a usage error, and
    « --depuis realise » refused with « aucun budget déclaré »). The file has one line
    per account with actuals in 2026, the hand amounts of the module docstring."""
    doc = _json(communs, "rapport-financier", "-f", str(club), "-e", "2026")
    texte = json.dumps(doc, ensure_ascii=False)
    assert "(communs budget nouveau 2027 --depuis realise)" in texte
    assert "budget nouveau -e" not in texte
    result = communs("budget", "nouveau", "2027", "--depuis", "realise", "-f", str(club))
    assert result.exit_code == 0, result.output
    fichier = club.parent / "budgets" / "2027.yaml"
    assert 'budget: {fichiers: {"2027": budgets/2027.yaml}}' in result.output
    lignes = fichier.read_text(encoding="utf-8")
    montants = dict(
        zip(
            [line.split('"')[1] for line in lignes.splitlines() if "- compte:" in line],
            [line.split(":")[1].strip() for line in lignes.splitlines() if "montant:" in line],
            strict=True,
        )
    )
    assert montants == {
        "6068": "180",
        "616": "320",
        "6251": "250",
        "6257": "120",
        "627": "48",
        "6281": "200",
        "706": "450",
        "7415": "600",
        "7541": "300",
        "756": "1125",
    }
    # A second time: the file exists, nothing is replaced without --ecraser.
    again = communs("budget", "nouveau", "2027", "--depuis", "realise", "-f", str(club))
    assert again.exit_code == 1 and "existe déjà" in " ".join(again.output.split())
    assert fichier.read_text(encoding="utf-8") == lignes
    with (club.parent / "communs.yaml").open("a", encoding="utf-8") as config:
        config.write('\nbudget: {fichiers: {"2027": budgets/2027.yaml}}\n')
    cerfa = _json(communs, "budget", "cerfa", "-f", str(club), "-e", "2027")
    # charges 1 118 and produits 2 475 of 2026, carried as they are (no indexation)
    assert cerfa["totaux"]["total_charges"] == cerfa["totaux"]["total_produits"] == "2475.00"


def test_adherents_of_a_club_that_books_its_fees_in_bulk(club: Path, communs) -> None:
    """The fees are booked in two bulk entries (1 000,00 + 125,00 = 1 125,00), naming no
    member: the count of members up to date is unknown, said so (before: « Adhérents à
    jour : 0 », a wrong figure for a club of 45 members)."""
    doc = _json(communs, "adherents", "-f", str(club), "-e", "2026")
    partie = _partie(doc, "adherents")
    montants = {ligne["libelle"]: ligne["valeurs"]["montant"] for ligne in partie["lignes"]}
    assert montants == {
        "Cotisations sans adhérent désigné": "1125.00",
        "Total des cotisations": "1125.00",
    }
    assert partie["notes"][0].startswith(
        "Aucune cotisation ne désigne d'adhérent : le nombre d'adhérents à jour n'est pas connu."
    )
    assert not any("Adhérents à jour : 0" in note for note in partie["notes"])
