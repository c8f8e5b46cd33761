"""A model pack used from the first day and for what it provides: ``communs init
--modele`` from a folder and from a local bare Git repository (pinned to its commit),
a faulty pack refused at its ``fichier:ligne`` with nothing created; ``communs budget
nouveau --modele`` in an association without any budget yet; the pack's payroll posts
used by the cash plan (figures computed by hand) unless the association names its own
file; the pack's diagnostic thresholds under the association's own; two packs giving
payroll posts are in conflict, both named."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from communs_ledger.chargement import load_livre
from communs_ledger.previsions.reglages import previsions_config
from communs_ledger.rapports.reglages import SeuilConfig, diagnostic_config
from conftest import one_line
from test_partage_modeles import NOM, PACK, _depot, _git, _pack, git_isole  # noqa: F401

D = Decimal
INSTALLE = f"modeles-communs/{NOM}"


def _init(communs, dossier: Path, modele: str) -> Path:
    result = communs("init", str(dossier), "--nom", "Les Amis du Lavoir", "--modele", modele)
    assert result.exit_code == 0, result.output
    text = one_line(result.output)
    assert f"Modèle commun « {NOM} » (version 1.0) installé." in text
    assert f"communs budget nouveau ANNÉE --modele {NOM}" in text
    return dossier


@pytest.mark.usefixtures("git_isole")
def test_init_depuis_un_dossier(tmp_path: Path, communs, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    asso = _init(communs, tmp_path / "lavoir", str(PACK))
    config = (asso / "communs.yaml").read_text(encoding="utf-8")
    assert f"modeles_communs:\n  - nom: {NOM}\n" in config
    assert "empreinte: " in config
    assert (asso / INSTALLE / "modele.yaml").read_bytes() == (PACK / "modele.yaml").read_bytes()
    # the pack is in the first commit, and the association is valid
    suivis = _git("ls-files", cwd=asso).splitlines()
    assert f"{INSTALLE}/previsions/paie.yaml" in suivis
    monkeypatch.chdir(asso)
    assert communs("verifier").exit_code == 0
    assert "association-employeuse 1.0 (empreinte" in communs("modeles", "lister").output


@pytest.mark.usefixtures("git_isole")
def test_init_depuis_un_depot_git_fige_au_commit(tmp_path: Path, communs, monkeypatch) -> None:
    nu, travail = _depot(tmp_path)
    commit = _git("rev-parse", "HEAD", cwd=travail)
    monkeypatch.chdir(tmp_path)
    asso = _init(communs, tmp_path / "lavoir", str(nu))
    config = (asso / "communs.yaml").read_text(encoding="utf-8")
    assert f"    commit: {commit}\n" in config
    assert not (asso / INSTALLE / ".git").exists()


def test_init_avec_un_modele_faux_ne_cree_rien(tmp_path: Path, communs, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    dossier = _pack(tmp_path, "faux", **{"diagnostic.yaml": "seuils:\n  inconnu: {alerte: 3}\n"})
    result = communs("init", "lavoir", "--nom", "X", "--modele", str(dossier), "--sans-git")
    assert result.exit_code == 1
    text = one_line(result.output)
    assert "--modele : le modèle" in text and "rien n'est installé" in text
    assert "/diagnostic.yaml:2:" in text  # « inconnu » is on line 2
    assert not (tmp_path / "lavoir").exists()


@pytest.fixture
def lavoir(tmp_path: Path, communs, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    result = communs("init", "lavoir", "--nom", "Lavoir", "--modele", str(PACK), "--sans-git")
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(tmp_path / "lavoir")
    return tmp_path / "lavoir"


def test_premier_budget_depuis_le_modele(lavoir: Path, communs) -> None:
    """No budget declared yet: the pack's template starts the first one, in budgets/."""
    result = communs("budget", "nouveau", "2027", "--modele", NOM)
    assert result.exit_code == 0, result.output
    texte = (lavoir / "budgets" / "2027.yaml").read_text(encoding="utf-8")
    assert "libelle: Achats (fournitures, petit matériel)\n        montant: 14000" in texte
    assert 'Déclarez-le dans communs.yaml : budget: {fichiers: {"2027"' in result.output


def _salaires_nets(communs) -> list[str]:
    result = communs("tresorerie", "--depuis", "2026-12-01", "--mois", "2", "--format", "csv")
    assert result.exit_code == 0, result.output
    ligne = next(x for x in result.output.splitlines() if ",decaissement:salaires," in x)
    return ligne.split(",")[-2:]


PAIE_PROPRE = """\
parametres:
  taux_salarial: 25
  paiement_salaires: fin_de_mois
  paiement_cotisations: 15
  organismes: {urssaf: "6451"}
postes:
  - code: entretien
    intitule: Entretien (CDI)
    debut: 2024-01-01
    etp: 1
    brut_mensuel: 2000
    brut_au: 2026-01-01
    cotisations: {urssaf: 20}
"""


def test_paie_du_modele_utilisee_sauf_fichier_de_l_association(lavoir: Path, communs) -> None:
    """The pack's two posts (previsions/paie.yaml of the pack), net = gross × (1 − 25 %):
    December 2026: (2 800 + 500 bonus) + (2 280 + 400 bonus) = 5 980 gross → 4 485,00;
    January 2027, raised 1.5 %: (2 800 + 2 280) × 1.015 = 5 156,20 → 3 867,15."""
    config = load_livre(lavoir / "main.beancount").context.config
    assert previsions_config(config).paie == f"{INSTALLE}/previsions/paie.yaml"
    assert _salaires_nets(communs) == ["4485.00", "3867.15"]
    # the association's own payroll file wins: one post of 2 000 gross → 1 500,00 net
    (lavoir / "paie.yaml").write_text(PAIE_PROPRE, encoding="utf-8")
    texte = (lavoir / "communs.yaml").read_text(encoding="utf-8")
    (lavoir / "communs.yaml").write_text(
        texte + "previsions:\n  paie: paie.yaml\n", encoding="utf-8"
    )
    assert _salaires_nets(communs) == ["1500.00", "1500.00"]


def test_seuils_du_modele_sous_ceux_de_l_association(lavoir: Path) -> None:
    config = load_livre(lavoir / "main.beancount").context.config
    assert diagnostic_config(config).seuils == {  # the pack's diagnostic.yaml
        "tresorerie_jours": SeuilConfig(alerte=D(30), surveiller=D(90)),
        "fonds_propres_mois": SeuilConfig(alerte=D(3), surveiller=D(6)),
    }
    texte = (lavoir / "communs.yaml").read_text(encoding="utf-8")
    (lavoir / "communs.yaml").write_text(
        texte + "diagnostic:\n  seuils:\n    tresorerie_jours: {alerte: 20, surveiller: 60}\n",
        encoding="utf-8",
    )
    config = load_livre(lavoir / "main.beancount").context.config
    assert diagnostic_config(config).seuils == {
        "tresorerie_jours": SeuilConfig(alerte=D(20), surveiller=D(60)),  # the association's
        "fonds_propres_mois": SeuilConfig(alerte=D(3), surveiller=D(6)),
    }


def test_deux_modeles_de_paie_en_conflit(lavoir: Path, tmp_path: Path, communs) -> None:
    autre = _pack(tmp_path, "paie-seule")
    manifeste = (autre / "modele.yaml").read_text(encoding="utf-8")
    # no bank profile, budget template nor thresholds: only the payroll posts collide
    manifeste = manifeste.split("contenu:")[0] + "contenu:\n  paie: previsions/paie.yaml\n"
    (autre / "modele.yaml").write_text(manifeste, encoding="utf-8")
    result = communs("modeles", "ajouter", str(autre))
    assert result.exit_code == 1
    text = one_line(result.output)
    assert (
        "fichier de paie « previsions.paie » fourni à la fois par les modèles "
        f"« {NOM} » et « paie-seule »"
    ) in text
    assert "profil bancaire" not in text and "seuil du diagnostic" not in text


BUVETTE_PROPRE = """\
modeles:
  buvette:
    description: Buvette tenue en caisse
    libelle: "Buvette"
    lignes:
      - compte: "531"
        montant: montant
      - compte: "707"
        montant: -montant
"""


def test_modeles_d_ecritures_du_modele_et_de_l_association(copie_exemple: Path, communs) -> None:
    """The pack's entry templates come after the shipped ones and before the association's
    own: its « buvette » is used until the association writes its own."""
    assert communs("modeles", "ajouter", str(PACK)).exit_code == 0
    listed = communs("saisir", "--modeles")
    assert f"({INSTALLE}/saisie/ecritures.yaml:4)" in listed.output  # buvette, line 4
    essai = communs("saisir", "buvette", "--montant", "152,50", "--date", "2026-11-03", "--essai")
    assert essai.exit_code == 0, essai.output
    assert "Compte-courant                         152.50 EUR" in essai.output
    assert "707-Ventes-de-marchandises       -152.50 EUR" in essai.output
    (copie_exemple / "modeles" / "buvette.yaml").write_text(BUVETTE_PROPRE, encoding="utf-8")
    propre = communs("saisir", "buvette", "--montant", "152,50", "--date", "2026-11-03", "--essai")
    assert propre.exit_code == 0, propre.output
    assert "Actif:53-Caisse:531-Caisse" in propre.output and "Compte-courant" not in propre.output
    assert (
        "Buvette tenue en caisse (modeles/buvette.yaml:2)" in communs("saisir", "--modeles").output
    )


def test_deux_modeles_avec_le_meme_modele_d_ecriture(
    copie_exemple: Path, tmp_path, communs
) -> None:
    assert communs("modeles", "ajouter", str(PACK)).exit_code == 0
    autre = _pack(tmp_path, "fetes")
    manifeste = (autre / "modele.yaml").read_text(encoding="utf-8")
    manifeste = manifeste.split("contenu:")[0] + "contenu:\n  saisie: saisie/ecritures.yaml\n"
    (autre / "modele.yaml").write_text(manifeste, encoding="utf-8")
    result = communs("modeles", "ajouter", str(autre))
    assert result.exit_code == 1
    text = one_line(result.output)
    assert (
        f"modèle d'écriture « buvette » fourni à la fois par les modèles « {NOM} » et « fetes »"
    ) in text
    assert "modèle d'écriture « atelier » fourni à la fois" in text
