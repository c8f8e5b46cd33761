"""``communs ressources`` (modele_economique/): resources by origin and by funder, shares,
concentration (largest funder, three largest, Herfindahl) and trend, on a small ledger of
three exercices whose every figure is computed by hand below."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from communs_ledger.chargement import load_livre
from communs_ledger.conventions.fichier import conventions_du_grand_livre
from communs_ledger.modele_economique.calcul import (
    ModeleSocioEconomique,
    compute_modele_socio_economique,
)
from communs_ledger.rapports.source import Source
from conftest import BANQUE, FONDS, one_line, write_ledger

D = Decimal

COMMUNE = "Produits:74-Subventions:741-Subventions-d-exploitation:7415-Commune"
REGION = "Produits:74-Subventions:741-Subventions-d-exploitation:7412-Region"
ETAT = "Produits:74-Subventions:741-Subventions-d-exploitation:7411-Etat"
SUBVENTION = "Produits:74-Subventions:741-Subventions-d-exploitation"
FONDATION = (
    "Produits:75-Autres-produits:7551-Contributions-financieres-d-autres-organismes:"
    "Fondation-Abeille"
)
DONS = "Produits:75-Autres-produits:7541-Dons-manuels"
COTISATIONS = "Produits:75-Autres-produits:756-Cotisations"
VENTES = "Produits:70-Ventes:706-Prestations-de-services"
INTERETS = "Produits:76-Produits-financiers:768-Interets"
UTILISATION_FD = "Produits:78-Reprises:7894-Utilisations-fonds-dedies"
FONDS_DEDIES = "Passif:19-Fonds-dedies:194-Fonds-dedies-subventions"
SALAIRES = "Charges:64-Personnel:6411-Salaires"
BENEVOLAT_EMPLOI = "Charges:86-Emplois-CVN:864-Personnel-benevole"
BENEVOLAT = "Produits:87-CVN:875-Benevolat"

CONFIG = """\
association:
  nom: Les Ruches du Val
conventions: conventions.yaml
"""

CONVENTIONS = """\
conventions:
  - reference: COM-2024
    financeur: Ville du Val
    type_financeur: commune
    objet: Fonctionnement 2024
    montant: 50000
    debut: 2024-01-01
    fin: 2024-12-31
    compte: "7415"
  - reference: COM-2025
    financeur: Ville du Val
    type_financeur: commune
    objet: Fonctionnement 2025
    montant: 40000
    debut: 2025-01-01
    fin: 2025-12-31
    compte: "7415"
  - reference: COM-2026
    financeur: Ville du Val
    type_financeur: commune
    objet: Fonctionnement 2026
    montant: 45000
    debut: 2026-01-01
    fin: 2026-12-31
    compte: "7415"
  - reference: REG-PLURI
    financeur: Région Sud
    type_financeur: region
    objet: Ruches pédagogiques (deux ans)
    montant: 30000
    debut: 2024-07-01
    fin: 2026-06-30
    compte: "7412"
  - reference: ETAT-2025
    financeur: Préfecture du Val
    type_financeur: etat
    objet: Politique de la ville 2025
    montant: 10000
    debut: 2025-01-01
    fin: 2025-12-31
    compte: "7411"
"""

OPENED = [
    BANQUE, FONDS, COMMUNE, REGION, ETAT, SUBVENTION, FONDATION, DONS, COTISATIONS, VENTES,
    INTERETS, UTILISATION_FD, FONDS_DEDIES, SALAIRES, BENEVOLAT_EMPLOI, BENEVOLAT,
]  # fmt: skip


def recette(day: str, tiers: str | None, compte: str, amount: str, convention: str = "") -> str:
    head = f'{day} * "{tiers}" "Recette"' if tiers else f'{day} * "Recette"'
    meta = f'\n  convention: "{convention}"' if convention else ""
    return f"{head}{meta}\n  {BANQUE}  {amount} EUR\n  {compte}\n"


LEDGER = "\n".join(
    [
        "\n".join(f"2024-01-01 open {account}" for account in OPENED),
        '2024-01-02 * "Apport"\n  ' + BANQUE + "  12000.00 EUR\n  " + FONDS + "\n",
        # 2024: commune 50 000, région 15 000 (first half of REG-PLURI), an unnamed 5 000
        # on 741 (no convention, no payee), ventes 20 000, cotisations 5 000, dons 3 000,
        # intérêts 2 000; a fonds dédiés used (78: not a resource), bénévolat 4 000 (apart).
        recette("2024-03-01", "Mairie", COMMUNE, "50000.00", "COM-2024"),
        recette("2024-09-01", "Région", REGION, "15000.00", "REG-PLURI"),
        recette("2024-10-01", None, SUBVENTION, "5000.00"),
        recette("2024-06-01", "Clients", VENTES, "20000.00"),
        recette("2024-04-01", "Adhérents", COTISATIONS, "5000.00"),
        recette("2024-05-01", "Donateurs", DONS, "3000.00"),
        recette("2024-12-31", "Banque", INTERETS, "2000.00"),
        f'2024-12-31 * "Utilisation de fonds dédiés"\n  {FONDS_DEDIES}  1000.00 EUR\n'
        f"  {UTILISATION_FD}\n",
        f'2024-12-31 * "Bénévolat"\n  {BENEVOLAT_EMPLOI}  4000.00 EUR\n  {BENEVOLAT}\n',
        f'2024-12-31 * "Salaires"\n  {SALAIRES}  90000.00 EUR\n  {BANQUE}\n',
        # 2025: commune 40 000, région 15 000, préfecture 10 000 (its only year), fondation
        # 10 000 (funder named by the sub-account), ventes 20 000, cotisations 5 000.
        recette("2025-03-01", "Mairie", COMMUNE, "40000.00", "COM-2025"),
        recette("2025-03-15", "Région", REGION, "15000.00", "REG-PLURI"),
        recette("2025-04-01", "Préfecture", ETAT, "10000.00", "ETAT-2025"),
        recette("2025-05-01", "Fondation", FONDATION, "10000.00"),
        recette("2025-06-01", "Clients", VENTES, "20000.00"),
        recette("2025-04-01", "Adhérents", COTISATIONS, "5000.00"),
        f'2025-12-31 * "Salaires"\n  {SALAIRES}  96000.00 EUR\n  {BANQUE}\n',
        # 2026: commune 45 000, ventes 30 000, a mécénat-like gift of the fondation's payee
        # on 741 with a payee (« Coopérative du Val »): identified by the payee, 5 000.
        recette("2026-03-01", "Mairie", COMMUNE, "45000.00", "COM-2026"),
        recette("2026-06-01", "Clients", VENTES, "30000.00"),
        recette("2026-07-01", "Coopérative du Val", SUBVENTION, "5000.00"),
        f'2026-12-31 * "Salaires"\n  {SALAIRES}  70000.00 EUR\n  {BANQUE}\n',
    ]
)


def ecrire(folder: Path) -> Path:
    path = write_ledger(folder, LEDGER, config=CONFIG)
    (folder / "conventions.yaml").write_text(textwrap.dedent(CONVENTIONS), encoding="utf-8")
    return path


@pytest.fixture
def modele(ledger_dir: Path) -> ModeleSocioEconomique:
    livre = load_livre(ecrire(ledger_dir))
    assert livre.ok, [str(d) for d in livre.diagnostics]
    source = Source.from_livre(livre)
    conventions, erreurs = conventions_du_grand_livre(source.context)
    assert not erreurs, erreurs
    return compute_modele_socio_economique(source, source.exercice("2026"), conventions, 3)


def test_ressources_par_origine(modele: ModeleSocioEconomique) -> None:
    r2024, r2025, r2026 = modele.exercices
    assert [r.exercice.code for r in modele.exercices] == ["2024", "2025", "2026"]
    # 2024: 50 000 + 15 000 + 5 000 public; 20 000 ventes, 5 000 cotisations, 3 000 dons,
    # 2 000 intérêts; the 1 000 of fonds dédiés used is not a resource: total 100 000.
    assert dict(r2024.par_origine) == {
        "subventions_publiques": D("70000.00"),
        "financements_prives": D("0"),
        "dons": D("3000.00"),
        "cotisations": D("5000.00"),
        "ventes_prestations": D("20000.00"),
        "autres_produits": D("2000.00"),
    }
    assert r2024.total == D("100000.00")
    assert r2024.contributions_volontaires == D("4000.00")
    # Types: commune and région from the conventions, the 741 without a type « non classé ».
    assert dict(r2024.par_type) == {
        "commune": D("50000.00"),
        "region": D("15000.00"),
        "non_classe": D("5000.00"),
    }
    # 2025: public 40 000 + 15 000 + 10 000 = 65 000; private 10 000; ventes 20 000,
    # cotisations 5 000: total 100 000.
    assert r2025.total == D("100000.00")
    assert r2025.par_origine["financements_prives"] == D("10000.00")
    assert dict(r2025.par_type) == {
        "commune": D("40000.00"),
        "region": D("15000.00"),
        "etat": D("10000.00"),
    }
    # 2026: public 45 000 + 5 000 (741, payee), ventes 30 000: total 80 000.
    assert r2026.total == D("80000.00")
    assert r2026.par_origine["ventes_prestations"] == D("30000.00")


def test_financeurs_et_concentration(modele: ModeleSocioEconomique) -> None:
    r2024, r2025, r2026 = modele.exercices
    # 2024: the unnamed 5 000 is not identified; Ville 50 000, Région 15 000.
    assert dict(r2024.par_financeur) == {"Ville du Val": D("50000.00"), "Région Sud": D("15000.00")}
    assert r2024.non_identifie == D("5000.00")
    # Shares of 100 000: 50 % and 15 %; three largest = 65 %; HHI = 50² + 15² = 2 725.
    assert r2024.part_premier_financeur == D("0.5")
    assert r2024.part_trois_premiers == D("0.65")
    assert r2024.indice_herfindahl == D("2725")
    # 2025: Ville 40 %, Région 15 %, Préfecture 10 %, Fondation Abeille 10 % (sub-account):
    # HHI = 1 600 + 225 + 100 + 100 = 2 025; three largest = 40 + 15 + 10 = 65 %.
    assert dict(r2025.par_financeur) == {
        "Ville du Val": D("40000.00"),
        "Région Sud": D("15000.00"),
        "Préfecture du Val": D("10000.00"),
        "Fondation Abeille": D("10000.00"),
    }
    assert r2025.indice_herfindahl == D("2025")
    assert r2025.part_trois_premiers == D("0.65")
    # Ties broken by name: Fondation Abeille before Préfecture du Val.
    assert [name for name, _ in r2025.premiers(3)] == [
        "Ville du Val",
        "Région Sud",
        "Fondation Abeille",
    ]
    # 2026: Ville 45 000 / 80 000 = 56.25 %; the payee names the 741 gift: 5 000 = 6.25 %;
    # no Préfecture this year. HHI = 56.25² + 6.25² = 3 164.0625 + 39.0625 = 3 203.125.
    assert dict(r2026.par_financeur) == {
        "Ville du Val": D("45000.00"),
        "Coopérative du Val": D("5000.00"),
    }
    assert r2026.part_premier_financeur == D("0.5625")
    assert r2026.indice_herfindahl == D("3203.125")
    assert r2026.non_identifie == D("0")


def test_parts_propres_publiques_pluriannuelles_et_reserves(
    modele: ModeleSocioEconomique,
) -> None:
    r2024, r2025, r2026 = modele.exercices
    # Own resources: ventes + cotisations + autres (dons are private): 2024 27 000 / 100 000.
    assert r2024.part_ressources_propres == D("0.27")
    assert r2026.part_ressources_propres == D("0.375")  # 30 000 / 80 000
    assert r2024.part_ressources_publiques == D("0.7")
    assert r2026.part_ressources_publiques == D("0.625")  # 50 000 / 80 000
    # Conventions running in 2025: COM-2025 40 000, REG-PLURI 30 000 (24 months), ETAT-2025
    # 10 000 → 30 000 / 80 000 = 37.5 %; in 2024: COM-2024 50 000 + REG-PLURI 30 000.
    assert (r2025.conventions, r2025.conventions_pluriannuelles) == (D("80000"), D("30000"))
    assert r2025.part_pluriannuelle == D("0.375")
    assert r2024.part_pluriannuelle == D("0.375")  # 30 000 / 80 000
    # Fonds propres end of 2025: 12 000 + 2024 result (100 000 + 1 000 reprise + 4 000 − 4 000
    # bénévolat − 90 000 = 11 000) + 2025 result (100 000 − 96 000 = 4 000) = 27 000;
    # monthly gift of the Ville 40 000 / 12: 27 000 × 12 / 40 000 = 8.1 months.
    assert r2025.fonds_propres == D("27000.00")
    assert r2025.mois_sans_premier_financeur == D("8.1")


def _json(communs: Callable[..., Any], path: Path, *args: str) -> dict[str, Any]:
    result = communs("ressources", "-f", str(path), *args, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _rows(data: dict[str, Any], partie: str) -> dict[str, dict[str, Any]]:
    found = next(p for p in data["parties"] if p["id"] == partie)
    return {row["id"] or row["libelle"]: row for row in found["lignes"]}


def test_commande_json_statuts_et_phrases(ledger_dir: Path, communs: Callable[..., Any]) -> None:
    data = _json(communs, ecrire(ledger_dir), "-e", "2025", "--annees", "2")
    assert data["meta"]["exercices"] == ["2024", "2025"]
    origines = _rows(data, "origines")
    assert D(origines["subventions_publiques"]["valeurs"]["2025"]) == D("65000.00")
    assert D(origines["subventions_publiques"]["valeurs"]["part"]) == D("0.65")
    assert D(origines["type_non_classe"]["valeurs"]["2024"]) == D("5000.00")
    assert D(origines["type_etat"]["valeurs"]["2024"]) == D("0")
    assert D(origines["total"]["valeurs"]["2025"]) == D("100000.00")
    concentration = _rows(data, "concentration")
    # 40 % > 30 % (à surveiller) but ≤ 50 %; public share 65 %: between 50 and 75.
    assert concentration["part_premier_financeur"]["statut"] == "surveiller"
    assert concentration["part_subventions_publiques"]["statut"] == "surveiller"
    indices = _rows(data, "indices")
    # HHI 2 025: between 1 500 and 2 500.
    assert indices["indice_herfindahl"]["statut"] == "surveiller"
    notes = " ".join(data["notes"])
    assert "40,0 % des ressources de 2025 viennent de votre premier financeur (Ville du Val)" in (
        notes.replace("\u00a0", " ").replace("\u202f", " ")
    )
    assert "65,0 % viennent de vos 3 premiers financeurs" in notes.replace("\u00a0", " ")
    warnings = " ".join(data["avertissements"])
    assert "Exercice 2024 : 5 000,00 € de subventions" in warnings.replace("\u00a0", " ").replace(
        "\u202f", " "
    )
    assert data["graphiques"][0]["series"][0]["nom"] == "Subventions publiques"


def test_commande_2026_alerte_et_formats(
    ledger_dir: Path, communs: Callable[..., Any], tmp_path: Path
) -> None:
    path = ecrire(ledger_dir)
    data = _json(communs, path)  # default: the latest exercice, 3 exercices
    assert data["meta"]["exercices"] == ["2024", "2025", "2026"]
    concentration = _rows(data, "concentration")
    assert concentration["part_premier_financeur"]["statut"] == "alerte"  # 56.25 % > 50 %
    assert _rows(data, "indices")["indice_herfindahl"]["statut"] == "alerte"  # 3 203 > 2 500
    for fmt in ("csv", "xlsx", "html"):
        out = tmp_path / f"ressources.{fmt}"
        result = communs("ressources", "-f", str(path), "--format", fmt, "--sortie", str(out))
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    table = communs("ressources", "-f", str(path), "-e", "2025")
    assert table.exit_code == 0
    assert "Ville du Val" in one_line(table.output)


def test_sans_fichier_de_conventions(ledger_dir: Path, communs: Callable[..., Any]) -> None:
    path = ecrire(ledger_dir)
    (ledger_dir / "communs.yaml").write_text("association:\n  nom: Les Ruches\n", "utf-8")
    data = _json(communs, path, "-e", "2024")
    # Without conventions the funders come from the sub-accounts (7415-Commune → Commune)
    # or the payee (Mairie? no: the sub-account names « Commune » first).
    financeurs = _rows(data, "financeurs")
    assert D(financeurs["financeur:Commune"]["valeurs"]["2024"]) == D("50000.00")
    assert "Pas de fichier de conventions lisible" in " ".join(data["avertissements"])


def test_exemple_ressources_egales_aux_produits_sans_reprises(copie_exemple: Path) -> None:
    """On the example association, each exercice's resources are its total produits
    (compte de résultat) minus the reprises and fonds dédiés used (78): the one class of
    income left out there (no 79, 747, cessions); and the contributions en nature are the
    87 total. 2025: 171 499,53 − 6 753,32 = 164 746,21 (see docs/guide)."""
    from communs_ledger.rapports.diagnostic import mesurer

    livre = load_livre(copie_exemple / "main.beancount")
    source = Source.from_livre(livre)
    conventions, _ = conventions_du_grand_livre(source.context)
    modele = compute_modele_socio_economique(source, source.exercice("2025"), conventions, 2)
    for r in modele.exercices:
        elements = mesurer(source, r.exercice).elements
        assert r.total == elements["total_produits"] - elements["reprises"], r.exercice.code
    assert modele.n.total == D("164746.21")
    assert modele.n.non_identifie == D("0")
    assert modele.n.premiers(1) == [("Ville de Villebrie-sur-Orge", D("52000.00"))]


def test_evolution_et_financeur_absent_une_annee(
    ledger_dir: Path, communs: Callable[..., Any]
) -> None:
    """The trend over three exercices, and a funder absent one year: the Préfecture gives
    only in 2025 (0 in 2024 and 2026), the Région not in 2026."""
    data = _json(communs, ecrire(ledger_dir))
    financeurs = _rows(data, "financeurs")
    prefecture = financeurs["financeur:Préfecture du Val"]["valeurs"]
    assert [D(prefecture[y]) for y in ("2024", "2025", "2026")] == [D(0), D("10000.00"), D(0)]
    assert D(prefecture["part"]) == D(0)
    region = financeurs["financeur:Région Sud"]["valeurs"]
    assert [D(region[y]) for y in ("2024", "2025", "2026")] == [D("15000.00"), D("15000.00"), 0]
    # the unidentified 5 000 of 2024 is its own row, out of the concentration
    assert D(financeurs["non_identifie"]["valeurs"]["2024"]) == D("5000.00")
    # Trend 2024 → 2026: resources 100 000 → 80 000; public share 70 % → 62,5 %
    # (50 000 / 80 000); own resources 27 % → 37,5 % (30 000 / 80 000).
    notes = " ".join(data["notes"]).replace("\u00a0", " ").replace("\u202f", " ")
    assert (
        "De 2024 à 2026, les ressources passent de 100 000,00 € à 80 000,00 € ; la part des "
        "subventions publiques dans ces ressources de 70,0 % à 62,5 %, celle des ressources "
        "propres de 27,0 % à 37,5 %."
    ) in notes
    concentration = _rows(data, "concentration")["part_premier_financeur"]["valeurs"]
    # Ville du Val: 50 % in 2024, 40 % in 2025, 56,25 % in 2026
    assert [D(concentration[y]) for y in ("2024", "2025", "2026")] == [
        D("0.5"),
        D("0.4"),
        D("0.5625"),
    ]
    indices = _rows(data, "indices")["indice_herfindahl"]["valeurs"]
    # 2 725, 2 025, 3 203,125 written to the hundredth (half up) by the JSON: 3 203,13
    assert [D(indices[y]) for y in ("2024", "2025", "2026")] == [
        D("2725"),
        D("2025"),
        D("3203.13"),
    ]


SEUILS = """\
ressources:
  seuils:
    part_premier_financeur: {surveiller: 45, alerte: 60}
    indice_herfindahl: {surveiller: 2000, alerte: 2020}
"""


def test_seuils_remplaces_dans_communs_yaml(ledger_dir: Path, communs: Callable[..., Any]) -> None:
    """communs.yaml overrides the model's thresholds (ressources.seuils): in 2025 the first
    funder's 40 % is ok under 45 % (« à surveiller » by default, 30 %); the HHI 2 025 is
    above the new alert 2 020 (« à surveiller » by default, ≤ 2 500)."""
    path = ecrire(ledger_dir)
    (ledger_dir / "communs.yaml").write_text(CONFIG + SEUILS, encoding="utf-8")
    data = _json(communs, path, "-e", "2025")
    assert _rows(data, "concentration")["part_premier_financeur"]["statut"] == "ok"
    assert _rows(data, "indices")["indice_herfindahl"]["statut"] == "alerte"
    seuils = _rows(data, "explications")["part_premier_financeur"]["valeurs"]["seuils"]
    assert seuils == "ok ≤ 45 % ; alerte > 60 % (communs.yaml)"
    defaut = _rows(data, "explications")["part_trois_premiers"]["valeurs"]["seuils"]
    assert defaut == "sans seuil"


def test_seuils_errones_signales_a_la_ligne(ledger_dir: Path, communs: Callable[..., Any]) -> None:
    path = ecrire(ledger_dir)
    (ledger_dir / "communs.yaml").write_text(
        CONFIG
        + "ressources:\n  seuils:\n    part_premier_financeur: {surveiller: 40, alerte: 20}\n"
        + "    part_trois_premiers: {alerte: 80}\n    marge: {alerte: 1}\n",
        encoding="utf-8",
    )
    result = communs("ressources", "-f", str(path))
    assert result.exit_code == 1
    text = one_line(result.output)
    assert (
        "communs.yaml:6: ressources.seuils.part_premier_financeur : le seuil d'alerte (20) "
        "doit être supérieur ou égal au seuil « surveiller » (40)"
    ) in text
    assert (
        "communs.yaml:7: ressources.seuils : indicateur « part_trois_premiers » informatif, "
        "sans seuil (indicateurs à seuils : part_premier_financeur, indice_herfindahl)"
    ) in text
    assert "communs.yaml:8: ressources.seuils : indicateur « marge » inconnu" in text


def test_page_fava_ressources_calculee_a_la_main(ledger_dir: Path) -> None:
    """The Fava page « Ressources et financeurs » on the same ledger, exercice 2025: the
    figures computed by hand above, the chart's three pillars, the guide's links."""
    from fava_pages import fava_client, lire_page

    path = ecrire(ledger_dir)
    path.write_text(
        path.read_text(encoding="utf-8")
        + '\n2024-01-01 custom "fava-extension" "communs_ledger.fava_ext"\n',
        encoding="utf-8",
    )
    client, slug = fava_client(path)
    html = client.get(f"/{slug}/extension/Ressources/?exercice=2025").get_data(as_text=True)
    lue = lire_page(html)
    assert lue.page == "ressources"
    cellules = lue.cellules
    # 2025 and the exercice before (the ledger starts in 2024): public 65 000 in 2025
    assert cellules[("origines", "subventions_publiques", "2025")] == ["65000.00"]
    assert cellules[("origines", "total", "2024")] == ["100000.00"]
    assert cellules[("financeurs", "financeur:Préfecture du Val", "2024")] == ["0.00"]
    assert cellules[("concentration", "part_premier_financeur", "2025")] == ["0.4000"]
    assert cellules[("indices", "indice_herfindahl", "2025")] == ["2025.00"]
    assert cellules[("indices", "mois_sans_premier_financeur", "2025")] == ["8.10"]
    # chart: public 70 000 / 65 000, private + dons 3 000 / 10 000, own 27 000 / 25 000
    (chart,) = lue.graphiques
    series = {s["nom"]: [D(str(v)) for v in s["valeurs"]] for s in chart["series"]}
    assert series == {
        "Subventions publiques": [D("70000.00"), D("65000.00")],
        "Financements privés et dons": [D("3000.00"), D("10000.00")],
        "Ressources propres": [D("27000.00"), D("25000.00")],
    }
    assert "40,0 % des ressources de 2025 viennent de votre premier financeur" in " ".join(
        html.replace("\u00a0", " ").replace("\u202f", " ").split()
    )
    assert "chapitre=guide/modele-socio-economique#part-du-premier-financeur" in html
    donnees = client.get(f"/{slug}/extension/Ressources/donnees?exercice=2025").get_json()
    assert donnees["meta"]["exercices"] == ["2024", "2025"]
