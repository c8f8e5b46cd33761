"""The association config ``communs.yaml``: French errors with file and line, defaults.

Errors are checked twice: through :func:`communs_ledger.config.load_config`
and through the real Beancount loader (the plugin reports them, so
``bean-check`` and Fava show them too).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from communs_ledger.config import load_config
from communs_ledger.contexte import LedgerContext
from conftest import Found, load_errors, write_ledger

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
LEDGER = f"2025-01-01 open {BANQUE} EUR\n"


def _config_errors(folder: Path, config: str) -> list[tuple[str, int, str]]:
    ledger = write_ledger(folder, LEDGER, config=config)
    loaded = load_config(ledger)
    return [(e.location.filename, e.location.line, e.message) for e in loaded.errors]


@pytest.mark.parametrize(
    ("config", "line", "message"),
    [
        pytest.param(
            "association:\n  nom: Les Jardins\n   sigle: LJB\n",
            3,
            "YAML invalide : « : » inattendu (indentation ou guillemets manquants ?)",
            id="indentation-trop-forte",
        ),
        pytest.param(
            "association:\n  nom: Les Jardins\n sigle: LJB\nexercice:\n  debut: 01-01\n",
            3,
            "YAML invalide : indentation incohérente ou clé manquante",
            id="indentation-trop-faible",
        ),
        pytest.param(
            "association:\n\tnom: Les Jardins\n",
            2,
            "YAML invalide : tabulation interdite : indentez avec des espaces",
            id="tabulation",
        ),
        pytest.param(
            'exercice:\n  debut: "01-01"\nprojets: []\nexercice:\n  debut: "01-07"\n',
            4,
            "clé « exercice » en double",
            id="cle-en-double",
        ),
        pytest.param(
            "association:\n  nom: Les Jardins\n  nom: Les Potagers\n",
            3,
            "clé « nom » en double",
            id="cle-en-double-imbriquee",
        ),
        pytest.param(
            "association:\n  nom: Les Jardins\nprojet:\n  - code: JARDINS\n    nom: Jardins\n",
            3,
            "clé inconnue « projet » : vouliez-vous dire « projets » ?",
            id="faute-de-frappe-projet",
        ),
        pytest.param(
            'association:\n  nom: Les Jardins\n  siren: "123456789"\n',
            3,
            "association.siren : SIREN 123456789 invalide (clé de contrôle erronée)",
            id="siren-cle-luhn",
        ),
        pytest.param(
            'association:\n  nom: Les Jardins\n  siren: "12345678"\n',
            3,
            "association.siren : le SIREN compte 9 chiffres",
            id="siren-longueur",
        ),
        pytest.param(
            'exercice:\n  debut: "31-02"\n',
            2,
            "exercice.debut : « 31-02 » n'est pas un jour valide (JJ-MM)",
            id="debut-31-02",
        ),
        pytest.param(
            'exercice:\n  debut: "2025-01-01"\n',
            2,
            "exercice.debut : date d'ouverture attendue au format JJ-MM (ex. 01-09)",
            id="debut-format",
        ),
        pytest.param(
            "projets:\n"
            "  - code: JARDINS\n"
            "    nom: Jardins partagés\n"
            "  - code: ECOLE\n"
            "    nom: Ateliers école\n"
            "  - code: JARDINS\n"
            "    nom: Jardins (bis)\n",
            6,
            "projet « JARDINS » déclaré deux fois",
            id="projet-en-double",
        ),
        pytest.param(
            "projets:\n  - code: JARDINS PARTAGES\n    nom: Jardins\n",
            2,
            "projets[1].code : code de projet « JARDINS PARTAGES » invalide : lettres, chiffres, - "
            "et _ sans espace",
            id="code-projet-avec-espace",
        ),
        pytest.param(
            "- association\n- exercice\n",
            1,
            "la configuration doit être un ensemble de clés",
            id="liste-au-lieu-de-cles",
        ),
    ],
)
def test_erreur_de_configuration_en_francais_avec_sa_ligne(
    ledger_dir: Path, config: str, line: int, message: str
) -> None:
    assert _config_errors(ledger_dir, config) == [("communs.yaml", line, message)]
    # The same error through the real Beancount loader (what bean-check and Fava show).
    assert load_errors(ledger_dir / "main.beancount") == [Found("communs.yaml", line, message)]


def test_erreurs_de_configuration_triees_par_ligne(ledger_dir: Path) -> None:
    config = (
        "association:\n"
        "  nom: Les Jardins\n"
        '  siren: "123456789"\n'
        "exercice:\n"
        '  debut: "31-02"\n'
        "projets:\n"
        "  - code: A\n"
        "    nom: Atelier\n"
        "    budget: 1000\n"
    )
    assert _config_errors(ledger_dir, config) == [
        (
            "communs.yaml",
            3,
            "association.siren : SIREN 123456789 invalide (clé de contrôle erronée)",
        ),
        ("communs.yaml", 5, "exercice.debut : « 31-02 » n'est pas un jour valide (JJ-MM)"),
        (
            "communs.yaml",
            9,
            "clé inconnue « budget » (clés possibles : code, nom, debut, fin, description)",
        ),
    ]


def test_fichier_de_configuration_nomme_introuvable(ledger_dir: Path) -> None:
    path = write_ledger(
        ledger_dir, LEDGER, plugin='plugin "communs_plugins.plan_comptable" "autre.yaml"\n'
    )
    assert load_errors(path) == [
        Found(
            "main.beancount",
            6,
            "fichier de configuration « autre.yaml » introuvable (autre.yaml)",
        )
    ]


def test_fichier_de_configuration_nomme_est_lu(ledger_dir: Path) -> None:
    """The named file replaces communs.yaml: here it makes exercices start on 1 July."""
    (ledger_dir / "config").mkdir()
    (ledger_dir / "config" / "asso.yaml").write_text(
        'association:\n  nom: Les Jardins\nexercice:\n  debut: "01-07"\n', encoding="utf-8"
    )
    path = write_ledger(
        ledger_dir,
        f"""\
        2024-07-01 open {BANQUE} EUR
        2024-07-01 open Produits:74-Subventions:7401-Etat

        2025-06-15 * "Préfecture" "Subvention"
          {BANQUE}  3000.00 EUR
          Produits:74-Subventions:7401-Etat
        """,
        plugin='plugin "communs_plugins.plan_comptable" "config/asso.yaml"\n',
        config='exercice:\n  debut: "01-01"\n',  # ignored: the plugin line names another file
    )
    assert load_errors(path) == []
    assert load_config(path, "config/asso.yaml").data.exercice.debut == "01-07"


def test_erreur_dans_le_fichier_de_configuration_nomme(ledger_dir: Path) -> None:
    (ledger_dir / "autre.yaml").write_text("exercice:\n  debt: 01-07\n", encoding="utf-8")
    path = write_ledger(
        ledger_dir, LEDGER, plugin='plugin "communs_plugins.plan_comptable" "autre.yaml"\n'
    )
    assert load_errors(path) == [
        Found("autre.yaml", 2, "clé inconnue « debt » : vouliez-vous dire « debut » ?")
    ]


def test_sans_fichier_de_configuration_exercices_civils(ledger_dir: Path) -> None:
    path = write_ledger(ledger_dir, LEDGER)
    config = load_config(path)
    assert config.errors == []
    assert config.path == ledger_dir / "communs.yaml"
    assert config.data.exercice.debut == "01-01"
    assert config.data.association is None
    assert config.nom == "Association"
    assert config.projets == {}
    assert load_errors(path) == []
    context = LedgerContext(path, config, {})
    exercice = context.exercice_of(datetime.date(2025, 3, 15))
    assert (exercice.debut, exercice.fin, exercice.code) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 12, 31),
        "2025",
    )


def test_configuration_complete_valide(ledger_dir: Path) -> None:
    path = write_ledger(
        ledger_dir,
        LEDGER,
        config="""\
        association:
          nom: Les Jardins de la Bièvre
          sigle: LJB
          siren: "123 456 782"
          rna: w751234567
        exercice:
          debut: 1-9          # JJ-MM
          premier:
            debut: 2024-03-15
            fin: 2025-08-31
        projets:
          - code: JARDINS
            nom: Jardins partagés
            debut: 2024-03-15
          - code: ECOLE_2025
            nom: Ateliers dans les écoles
        """,
    )
    config = load_config(path)
    assert config.errors == []
    assert config.nom == "Les Jardins de la Bièvre"
    assert config.data.association is not None
    assert config.data.association.siren == "123456782"
    assert config.data.association.rna == "W751234567"
    assert config.data.exercice.debut == "01-09"
    assert list(config.projets) == ["JARDINS", "ECOLE_2025"]
    assert load_errors(path) == []
    context = LedgerContext(path, config, {})
    first = context.exercice_of(datetime.date(2024, 3, 15))
    assert (first.debut, first.fin, first.code) == (
        datetime.date(2024, 3, 15),
        datetime.date(2025, 8, 31),
        "2024-2025",
    )
    second = context.exercice_of(datetime.date(2025, 9, 1))
    assert (second.debut, second.fin, second.code, second.version) == (
        datetime.date(2025, 9, 1),
        datetime.date(2026, 8, 31),
        "2025-2026",
        "2025",
    )


def test_erreur_de_configuration_n_empeche_pas_les_autres_verifications(
    ledger_dir: Path,
) -> None:
    path = write_ledger(
        ledger_dir,
        "2025-01-01 open Charges:60-Achats:6132-Loyer\n",
        config="projet: []\n",
    )
    assert load_errors(path) == [
        Found("communs.yaml", 1, "clé inconnue « projet » : vouliez-vous dire « projets » ?"),
        Found(
            "main.beancount",
            7,
            "Compte Charges:60-Achats:6132-Loyer : « 6132-Loyer » ne prolonge pas le numéro de "
            "son parent « 60-Achats » : un sous-compte de 60 doit avoir un numéro plus long "
            "commençant par 60",
        ),
    ]


def test_configuration_vide_acceptee(ledger_dir: Path) -> None:
    path = write_ledger(ledger_dir, LEDGER, config="# rien pour l'instant\n")
    assert load_config(path).errors == []
    assert load_errors(path) == []
