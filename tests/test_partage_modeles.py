"""Shared model packs (``communs modeles``): a pack added from a folder and from a local
bare Git repository (real ``git``, no network), pinned to its commit, updated with a
visible diff, removed; every file checked at its ``fichier:ligne``; conflicts between
packs named; the association's own file wins over a pack's; a pack's bank profile is
detected like a shipped one; ``communs budget nouveau --modele`` starts from a pack's
budget template. ``communs.yaml`` keeps its comments (a text edit, not a re-dump)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from communs_ledger.importation.lecture import lire_releve
from communs_ledger.importation.profils import charger_profils
from communs_ledger.partage.inscription import inscrire, retirer
from communs_ledger.partage.manifeste import lire_modele
from communs_ledger.partage.modeles import conflits
from communs_ledger.partage.reglages import ModeleInscrit
from conftest import ROOT, one_line

PACK = ROOT / "modeles" / "association-employeuse"
NOM = "association-employeuse"
CAISSE = (
    "Date;Objet;Sortie;Entrée;Personne ou organisme;N° de pièce\n"
    "03/11/2026;Buvette de la fête;;152,50;;C-101\n"
    "05/11/2026;Achat de graines;23,40;;Jardinerie;C-102\n"
)


@pytest.fixture
def asso(copie_exemple: Path) -> Path:
    return copie_exemple


@pytest.fixture
def git_isole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Git with a fixed identity and no user or system config (never the user's)."""
    for key, value in {
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig-vide"),
    }.items():
        monkeypatch.setenv(key, value)


def _git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _depot(tmp_path: Path) -> tuple[Path, Path]:
    """A bare repository holding the example pack, and a working clone to push from."""
    nu = tmp_path / "reseau" / "modeles.git"
    nu.mkdir(parents=True)
    _git("init", "--quiet", "--bare", "--initial-branch=main", cwd=nu)
    travail = tmp_path / "reseau" / "travail"
    shutil.copytree(PACK, travail)
    _git("init", "--quiet", "--initial-branch=main", cwd=travail)
    _git("add", ".", cwd=travail)
    _git("commit", "--quiet", "-m", "Modèle 1.0", cwd=travail)
    _git("remote", "add", "origin", str(nu), cwd=travail)
    _git("push", "--quiet", "origin", "main", cwd=travail)
    return nu, travail


def _pack(tmp_path: Path, nom: str, **fichiers: str) -> Path:
    """A copy of the example pack renamed ``nom``, with files replaced (``chemin=texte``,
    ``/`` written ``__``)."""
    dossier = tmp_path / "packs" / nom
    shutil.copytree(PACK, dossier)
    manifeste = dossier / "modele.yaml"
    manifeste.write_text(
        manifeste.read_text(encoding="utf-8").replace(f"nom: {NOM}", f"nom: {nom}"),
        encoding="utf-8",
    )
    for chemin, texte in fichiers.items():
        (dossier / chemin.replace("__", "/")).write_text(texte, encoding="utf-8")
    return dossier


def test_ajouter_un_dossier_garde_les_commentaires(asso: Path, communs) -> None:
    avant = (asso / "communs.yaml").read_text(encoding="utf-8")
    result = communs("modeles", "ajouter", str(PACK))
    assert result.exit_code == 0, result.output
    apres = (asso / "communs.yaml").read_text(encoding="utf-8")
    assert apres.startswith(avant.rstrip("\n"))  # the user's text, comments included, kept
    ajoute = apres[len(avant.rstrip("\n")) :]
    assert "modeles_communs:\n  - nom: association-employeuse\n" in ajoute
    assert 'version: "1.0"' in ajoute and "empreinte: " in ajoute and "commit:" not in ajoute
    assert (asso / "modeles-communs" / NOM / "budgets" / f"{NOM}.yaml").is_file()
    listed = communs("modeles", "lister")
    assert listed.exit_code == 0
    assert "association-employeuse 1.0 (empreinte" in listed.output
    assert "1 profil bancaire" in one_line(listed.output)
    # the same pack again: refused, nothing changes
    again = communs("modeles", "ajouter", str(PACK))
    assert again.exit_code == 1
    assert "déjà inscrit" in one_line(again.output)
    assert (asso / "communs.yaml").read_text(encoding="utf-8") == apres
    # a folder of that name not recorded in communs.yaml is never replaced
    assert communs("modeles", "retirer", NOM).exit_code == 0
    (asso / "modeles-communs" / NOM).mkdir(parents=True)
    (asso / "modeles-communs" / NOM / "notes.txt").write_text("à moi", encoding="utf-8")
    occupe = communs("modeles", "ajouter", str(PACK))
    assert occupe.exit_code == 1
    assert "existe déjà sans être inscrit" in one_line(occupe.output)
    assert (asso / "modeles-communs" / NOM / "notes.txt").read_text(encoding="utf-8") == "à moi"


def test_depot_git_fige_au_commit_puis_mise_a_jour_visible(
    asso: Path, tmp_path: Path, communs, git_isole: None
) -> None:
    nu, travail = _depot(tmp_path)
    premier = _git("rev-parse", "HEAD", cwd=travail)
    result = communs("modeles", "ajouter", str(nu))
    assert result.exit_code == 0, result.output
    config = (asso / "communs.yaml").read_text(encoding="utf-8")
    assert f"    commit: {premier}\n" in config
    installe = asso / "modeles-communs" / NOM
    assert not (installe / ".git").exists()

    # a new commit in the network's repository: 14 000 € of purchases become 15 000 €
    budget = travail / "budgets" / f"{NOM}.yaml"
    budget.write_text(
        budget.read_text(encoding="utf-8").replace("montant: 14000", "montant: 15000"),
        encoding="utf-8",
    )
    _git("commit", "--quiet", "-am", "Achats revus", cwd=travail)
    _git("push", "--quiet", "origin", "main", cwd=travail)
    second = _git("rev-parse", "HEAD", cwd=travail)

    montre = communs("modeles", "mettre-a-jour", NOM)
    assert montre.exit_code == 0, montre.output
    assert f"--- a/budgets/{NOM}.yaml" in montre.output
    assert "-        montant: 14000" in montre.output
    assert "+        montant: 15000" in montre.output
    assert "relancez avec --oui" in montre.output
    assert (asso / "communs.yaml").read_text(encoding="utf-8") == config  # nothing applied
    assert "montant: 14000" in (installe / "budgets" / f"{NOM}.yaml").read_text(encoding="utf-8")

    applique = communs("modeles", "mettre-a-jour", NOM, "--oui")
    assert applique.exit_code == 0, applique.output
    config = (asso / "communs.yaml").read_text(encoding="utf-8")
    assert f"    commit: {second}\n" in config and premier not in config
    assert "montant: 15000" in (installe / "budgets" / f"{NOM}.yaml").read_text(encoding="utf-8")
    assert "à jour" in communs("modeles", "mettre-a-jour", NOM).output

    # back to the first commit, pinned with --version
    retour = communs("modeles", "mettre-a-jour", NOM, "--version", premier, "--oui")
    assert retour.exit_code == 0, retour.output
    assert f"    commit: {premier}\n" in (asso / "communs.yaml").read_text(encoding="utf-8")


def test_retirer_remet_communs_yaml(asso: Path, communs) -> None:
    avant = (asso / "communs.yaml").read_text(encoding="utf-8")
    assert communs("modeles", "ajouter", str(PACK)).exit_code == 0
    result = communs("modeles", "retirer", NOM)
    assert result.exit_code == 0, result.output
    apres = (asso / "communs.yaml").read_text(encoding="utf-8")
    assert apres.startswith(avant.rstrip("\n"))
    assert apres.rstrip("\n").endswith("modeles_communs: []")
    assert not (asso / "modeles-communs" / NOM).exists()
    inconnu = communs("modeles", "retirer", NOM)
    assert inconnu.exit_code == 1
    assert "aucun modèle « association-employeuse »" in one_line(inconnu.output)


def test_fichier_du_modele_faux_a_sa_ligne(asso: Path, tmp_path: Path, communs) -> None:
    budget = (PACK / "budgets" / f"{NOM}.yaml").read_text(encoding="utf-8")
    faux = budget.replace('compte: "6061"', 'compte: "60x1"')
    ligne = faux.splitlines().index('      - compte: "60x1"') + 1
    dossier = _pack(tmp_path, "faux", budgets__association_employeuse="")
    (dossier / "budgets" / f"{NOM}.yaml").write_text(faux, encoding="utf-8")
    result = communs("modeles", "ajouter", str(dossier))
    assert result.exit_code == 1
    text = one_line(result.output)
    assert "rien n'est installé" in text
    assert f"budgets/{NOM}.yaml:{ligne}:" in text
    assert "modeles_communs" not in (asso / "communs.yaml").read_text(encoding="utf-8")
    assert not (asso / "modeles-communs").exists()


def test_manifeste_faux_a_sa_ligne(tmp_path: Path) -> None:
    dossier = _pack(tmp_path, "x")
    texte = (dossier / "modele.yaml").read_text(encoding="utf-8")
    (dossier / "modele.yaml").write_text(
        texte.replace("paie: previsions/paie.yaml", "paie: ../paie.yaml"), encoding="utf-8"
    )
    ligne = texte.splitlines().index("  paie: previsions/paie.yaml") + 1
    modele, erreurs = lire_modele(dossier, "x")
    assert modele is not None
    assert [str(e) for e in erreurs] == [
        f"x/modele.yaml:{ligne}: chemin « ../paie.yaml » : relatif au modèle, sans « .. », attendu"
    ]


def test_conflit_entre_deux_modeles_nomme_les_deux(asso: Path, tmp_path: Path, communs) -> None:
    assert communs("modeles", "ajouter", str(PACK)).exit_code == 0
    autre = _pack(tmp_path, "centre-social")  # same bank profile, same budget template
    result = communs("modeles", "ajouter", str(autre))
    assert result.exit_code == 1
    text = one_line(result.output)
    assert (
        "profil bancaire « cahier-de-caisse » fourni à la fois par les modèles "
        "« association-employeuse » et « centre-social »"
    ) in text
    assert (
        "modèle de budget « association-employeuse » fourni à la fois par les modèles "
        "« association-employeuse » et « centre-social »"
    ) in text
    assert not (asso / "modeles-communs" / "centre-social").exists()


def test_conflits_sans_conflit() -> None:
    modele, erreurs = lire_modele(PACK)
    assert modele is not None and erreurs == []
    assert conflits([modele]) == []


def test_profil_du_modele_reconnu_et_fichier_de_l_association_prioritaire(
    asso: Path, communs
) -> None:
    assert communs("modeles", "ajouter", str(PACK)).exit_code == 0
    (asso / "caisse.csv").write_text(CAISSE, encoding="utf-8")
    result = communs("importer", "caisse.csv")
    assert result.exit_code == 0, result.output
    assert "profil cahier-de-caisse « Cahier de caisse du réseau (tableur) » (reconnu" in (
        one_line(result.output)
    )
    assert "152.50 EUR" in result.output and "-23.40 EUR" in result.output

    # the association's own profile of the same code wins
    modele, _ = lire_modele(asso / "modeles-communs" / NOM)
    assert modele is not None
    propre = asso / "profils.yaml"
    propre.write_text(
        "profils:\n"
        "  cahier-de-caisse:\n"
        "    nom: Notre cahier de caisse\n"
        "    colonnes: {date: Jour, libelle: Quoi, montant: Somme}\n",
        encoding="utf-8",
    )
    profils = charger_profils(propre, modele.profils)
    trouves = [(p.code, p.profil.nom) for p in profils if p.code == "cahier-de-caisse"]
    assert trouves == [("cahier-de-caisse", "Notre cahier de caisse")]
    (asso / "notre-caisse.csv").write_text("Jour;Quoi;Somme\n02/11/2026;Vente;12,00\n")
    lu = lire_releve(asso / "notre-caisse.csv", profils, None)
    assert (lu.profil, lu.profil_nom) == ("cahier-de-caisse", "Notre cahier de caisse")
    # a shipped profile stays after the packs' ones
    assert [p.code for p in profils][:2] == ["cahier-de-caisse", "credit-cooperatif"]


def test_budget_nouveau_depuis_un_modele(asso: Path, communs) -> None:
    assert communs("modeles", "ajouter", str(PACK)).exit_code == 0
    result = communs("budget", "nouveau", "2028", "--modele", NOM, "--indexation", "2")
    assert result.exit_code == 0, result.output
    texte = (asso / "budgets" / "2028.yaml").read_text(encoding="utf-8")
    assert "à partir du modèle de budget « association-employeuse » (modèle commun" in texte
    # 14 000 € of purchases indexed by 2 %: 14 280 €; the December bonus stays in December
    assert "libelle: Achats (fournitures, petit matériel)\n        montant: 14280" in texte
    assert "montant: 1122\n        profil: {mois: {12: 1122}}" in texte
    inconnu = communs("budget", "nouveau", "2028", "--modele", "inconnu", "-o", "x.yaml")
    assert inconnu.exit_code == 1
    assert "aucun modèle de budget « inconnu »" in one_line(inconnu.output)


def test_inscription_remplace_et_retire_l_entree() -> None:
    texte = "# mon fichier\nassociation:\n  nom: X\nmodeles_communs: []  # rien\n# fin\n"
    a = ModeleInscrit(nom="a", source="../a", version="1", empreinte="e1")
    b = ModeleInscrit(nom="b", source="https://x/b.git", version="2", commit="c2")
    avec = inscrire(inscrire(texte, a), b)
    assert avec == (
        "# mon fichier\nassociation:\n  nom: X\nmodeles_communs:  # rien\n"
        '  - nom: a\n    source: "../a"\n    version: "1"\n    empreinte: e1\n'
        '  - nom: b\n    source: "https://x/b.git"\n    version: "2"\n    commit: c2\n'
        "# fin\n"
    )
    a2 = ModeleInscrit(nom="a", source="../a", version="1.1", empreinte="e2")
    assert 'version: "1.1"\n    empreinte: e2\n  - nom: b' in inscrire(avec, a2)
    assert retirer(retirer(avec, "a"), "b") == (
        "# mon fichier\nassociation:\n  nom: X\nmodeles_communs: []\n# fin\n"
    )


def test_verifier_signale_un_modele_abime(asso: Path, communs) -> None:
    assert communs("modeles", "ajouter", str(PACK)).exit_code == 0
    assert communs("verifier").exit_code == 0
    installe = asso / "modeles-communs" / NOM / "diagnostic.yaml"
    installe.write_text("seuils:\n  inconnu: {alerte: 3}\n", encoding="utf-8")
    result = communs("verifier")
    assert result.exit_code == 1
    assert "modeles-communs/association-employeuse/diagnostic.yaml:2:" in one_line(result.output)
    shutil.rmtree(asso / "modeles-communs")
    absent = communs("verifier")
    assert absent.exit_code == 1
    ligne = (asso / "communs.yaml").read_text(encoding="utf-8").splitlines()
    numero = ligne.index("  - nom: association-employeuse") + 1
    assert (
        f"communs.yaml:{numero}: modèle « association-employeuse » absent de "
        "modeles-communs/association-employeuse/"
    ) in one_line(absent.output)


def test_un_lien_symbolique_dans_un_modele_est_refuse(
    asso: Path, tmp_path: Path, communs, git_isole: None
) -> None:
    """A pack holding a symbolic link to a file outside it (a key, a password file): the
    copy followed the link and put the target's content into the association's folder
    (then maybe into its shared Git). Refused, from a folder as from a Git repository;
    nothing installed, communs.yaml unchanged."""
    secret = tmp_path / "secret.txt"
    secret.write_text("mot de passe", encoding="utf-8")
    avant = (asso / "communs.yaml").read_text(encoding="utf-8")
    dossier = _pack(tmp_path, "piege")
    (dossier / "budgets" / "cle.txt").symlink_to(secret)
    nu, travail = _depot(tmp_path)
    (travail / "budgets" / "cle.txt").symlink_to(secret)
    _git("add", ".", cwd=travail)
    _git("commit", "--quiet", "-m", "Lien", cwd=travail)
    _git("push", "--quiet", "origin", "main", cwd=travail)
    for source in (dossier, nu):
        result = communs("modeles", "ajouter", str(source))
        assert result.exit_code == 1
        assert "contient un lien symbolique (budgets/cle.txt)" in one_line(result.output)
        assert "rien n'est installé" in one_line(result.output)
    assert (asso / "communs.yaml").read_text(encoding="utf-8") == avant
    assert not (asso / "modeles-communs").exists()


def test_communs_yaml_en_lecture_seule_message_francais(asso: Path, communs) -> None:
    """communs.yaml read-only: the message showed Python's « [Errno 13] … » and the
    absolute path; now the cause in French, and nothing installed."""
    config = asso / "communs.yaml"
    avant = config.read_bytes()
    config.chmod(0o444)
    try:
        result = communs("modeles", "ajouter", str(PACK))
    finally:
        config.chmod(0o644)
    assert result.exit_code == 1
    assert one_line(result.output) == (
        "Erreur : impossible d'écrire communs.yaml : permission refusée ; rien n'est installé"
    )
    assert config.read_bytes() == avant
    assert not (asso / "modeles-communs" / NOM).exists()
