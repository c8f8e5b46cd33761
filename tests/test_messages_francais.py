"""Every message a user can get is French and names its ``file:line``: usage errors of
the command line (the real ``communs`` command, in a subprocess), emoji codes never read
in paths, one message at the line of an unclosed quote."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import BANQUE, COTISATIONS, ROOT_OPTIONS, one_line, run_communs

# Phrases of Click's and Typer's English messages (typer/_click/*.py, typer/core.py).
ANGLAIS = re.compile(
    r"No such|Did you mean|Possible options|Missing (argument|option|parameter|command)|"
    r"Invalid value|Got unexpected|requires an? |does not take|is not one of|"
    r"is not a valid|is not in the range|does not exist|is a directory|is a file|"
    r"not readable|not writable|Input should|Try '|Error:|Usage:|Aborted|takes \d+ values|"
    r"does not match"
)


@pytest.mark.parametrize(
    ("args", "francais"),
    [
        (["verifer"], "commande inconnue : verifer ; vouliez-vous dire 'verifier' ?"),
        (["budget", "suivre"], "commande inconnue : suivre"),
        (["export", "pdf"], "commande inconnue : pdf"),
        (["prevision", "atterissage"], "commande inconnue : atterissage"),
        (
            ["resultat", "--exercise", "2025"],
            "option inconnue : --exercise (options proches : --ecraser, --exercice)",
        ),
        (["resultat", "-x"], "option inconnue : -x"),
        (["--versio"], "option inconnue : --versio (options proches : --version)"),
        (["resultat", "--exercice"], "l'option --exercice attend une valeur"),
        (["grand-livre", "--compte"], "l'option --compte attend une valeur"),
        (["resultat", "un", "deux"], "argument(s) en trop : un deux"),
        (["init"], "argument obligatoire manquant : dossier"),
        (["importer"], "argument obligatoire manquant : releve"),
        (["cloture", "rouvrir"], "option obligatoire manquante : --exercice / -e"),
        (["tresorerie", "--mois", "douze"], "'--mois' / '-m' : nombre entier attendu"),
        (["fava", "--port", "abc"], "valeur invalide pour '--port' / '-p' : nombre entier"),
        (["tresorerie", "--mois", ""], "'--mois' / '-m' : nombre entier attendu"),
        (["exemple", "x", "-n", "abc"], "'--transactions' / '-n' : nombre entier attendu"),
        (
            ["exemple", "x", "-n", "0"],
            "'--transactions' / '-n' : nombre supérieur ou égal à 1 attendu",
        ),
        (["ressources", "-n", "25"], "'--annees' / '-n' : nombre entre 1 et 20 attendu"),
        (["verifier", "--format", "yaml"], "« yaml » n'est pas l'une des valeurs"),
        (["resultat", "--format", "pdf"], "« pdf » n'est pas un format connu"),
        (["verifier", "--format"], "l'option --format attend une valeur"),
        (["budget", "comparer", "--foo"], "option inconnue : --foo"),
    ],
)
def test_erreurs_d_usage_en_francais(tmp_path: Path, args: list[str], francais: str) -> None:
    done = run_communs(*args, cwd=tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert francais in one_line(output), output
    assert not ANGLAIS.search(output), output


def test_aide_sans_sous_commande_reste_l_aide(tmp_path: Path) -> None:
    """``communs prevision`` alone shows its help (Click's NoArgsIsHelpError), untouched."""
    done = run_communs("prevision", cwd=tmp_path)
    assert "Usage : communs prevision" in done.stdout + done.stderr
    assert "atterrissage" in done.stdout + done.stderr
    assert not ANGLAIS.search(done.stdout + done.stderr)


def _ligne_100(folder: Path) -> Path:
    """A ledger whose only error is an unbalanced entry at line 100."""
    lines = ROOT_OPTIONS.splitlines()
    lines += [f"2026-01-01 open {BANQUE} EUR", f"2026-01-01 open {COTISATIONS}"]
    while len(lines) < 99:
        lines.append("")
    lines += [
        '2026-02-10 * "Cotisations :100: [bold]gras[/bold]"',  # line 100
        f"  {BANQUE}  450.00 EUR",
        f"  {COTISATIONS}  -400.00 EUR",
    ]
    path = folder / "main.beancount"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_ligne_100_sans_emoji(tmp_path: Path) -> None:
    _ligne_100(tmp_path)
    done = run_communs("verifier", "main.beancount", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "main.beancount:100: Écriture déséquilibrée : les montants ne s'annulent pas "
        "(reste 50,00\u00a0€)"  # 450,00 − 400,00, in French
    ]
    assert "💯" not in done.stdout + done.stderr
    # Through a report that refuses the ledger (the errors listed under « Erreur : »).
    done = run_communs("resultat", "-f", "main.beancount", cwd=tmp_path)
    assert done.returncode == 1
    assert "main.beancount:100: Écriture déséquilibrée" in done.stderr
    assert "💯" not in done.stdout + done.stderr


def test_markup_et_emoji_du_texte_utilisateur_non_interpretes(tmp_path: Path) -> None:
    done = run_communs("plan-comptable", "[red]x:100:", cwd=tmp_path)
    assert done.returncode == 0
    assert "« [red]x:100: »" in done.stdout + done.stderr
    done = run_communs("resultat", "-f", "absent:100:[b].beancount", cwd=tmp_path)
    assert done.returncode == 1
    assert "absent:100:[b].beancount" in done.stderr
    assert "💯" not in done.stderr


def test_guillemet_non_referme_un_seul_message_a_sa_ligne(tmp_path: Path) -> None:
    entry = '2026-02-{day} * "Cotisations"\n  {banque}  450.00 EUR\n  {cotisations}\n\n'
    body = "".join(
        entry.format(day=day, banque=BANQUE, cotisations=COTISATIONS) for day in (10, 11, 12)
    )
    body = body.replace('"Cotisations"', '"Cotisations', 1)  # line 9 loses its closing quote
    text = ROOT_OPTIONS + f"2026-01-01 open {BANQUE} EUR\n2026-01-01 open {COTISATIONS}\n\n"
    (tmp_path / "main.beancount").write_text(text + body, encoding="utf-8")
    assert (tmp_path / "main.beancount").read_text().splitlines()[8].endswith('"Cotisations')
    done = run_communs("verifier", "main.beancount", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        'main.beancount:9: Guillemet non refermé : la chaîne ouverte par " sur cette ligne '
        "se poursuit jusqu'à la ligne 13 ; ajoutez le \" qui la ferme (erreurs de syntaxe "
        "qui en découlent : ligne 13)"
    ]
    assert "non reconnu" not in done.stdout + done.stderr


# --- « Erreur interne » no more: Beancount's loader crashes explained at their line --------

OUVERTURES = f"2026-01-01 open {BANQUE} EUR\n2026-01-01 open {COTISATIONS}\n"


def _ecriture(montant: str, jour: str = "2026-02-10") -> str:
    return f'{jour} * "Cotisations"\n  {BANQUE}  {montant} EUR\n  {COTISATIONS}\n'


@pytest.mark.parametrize(
    "commande",
    [
        ["verifier", "main.beancount"],
        ["resultat", "-f", "main.beancount"],
        ["fava", "main.beancount", "--port", "5989"],
    ],
)
def test_include_d_un_dossier(tmp_path: Path, commande: list[str]) -> None:
    (tmp_path / "justificatifs").mkdir()
    text = ROOT_OPTIONS + OUVERTURES + 'include "justificatifs"\n'  # line 8
    (tmp_path / "main.beancount").write_text(text, encoding="utf-8")
    done = run_communs(*commande, cwd=tmp_path)
    assert done.returncode == 1
    assert one_line(done.stderr) == (
        "Erreur : main.beancount:8: include « justificatifs » : c'est un dossier ; incluez les "
        'fichiers qu\'il contient, par exemple include "justificatifs/*.beancount"'
    )
    assert "interne" not in done.stderr


def test_montant_demesure(tmp_path: Path) -> None:
    text = ROOT_OPTIONS + OUVERTURES + "\n" + _ecriture("1000000000000000000000000000000.00")
    (tmp_path / "main.beancount").write_text(text, encoding="utf-8")
    done = run_communs("verifier", "main.beancount", cwd=tmp_path)
    assert done.returncode == 1
    assert one_line(done.stderr) == (
        "Erreur : main.beancount:10: montant démesuré « 1000000000000000000000000000000.00 » "
        "(31 chiffres avant la virgule) : Beancount calcule sur 28 chiffres significatifs et "
        "ne peut pas le lire ; corrigez ce montant"
    )
    # Control: a large amount Beancount can hold is read (no false alarm).
    text = ROOT_OPTIONS + OUVERTURES + "\n" + _ecriture("100000000000000000000.00")
    (tmp_path / "main.beancount").write_text(text, encoding="utf-8")
    assert run_communs("verifier", "main.beancount", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize(
    ("jour", "message"),
    [
        (
            "2026-02-30",
            "Date impossible : ce jour n'existe pas dans ce mois (30 février, 31 avril…) ; "
            "écrivez la date AAAA-MM-JJ d'un jour qui existe",
        ),
        (
            "2026-13-01",
            "Date impossible : le mois doit être compris entre 01 et 12 (date AAAA-MM-JJ)",
        ),
    ],
)
def test_date_impossible(tmp_path: Path, jour: str, message: str) -> None:
    text = ROOT_OPTIONS + OUVERTURES + "\n" + _ecriture("10.00", jour)
    (tmp_path / "main.beancount").write_text(text, encoding="utf-8")
    done = run_communs("verifier", "main.beancount", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [f"main.beancount:9: {message}"]
    assert "ValueError" not in done.stdout + done.stderr


def test_fichier_inclus_deux_fois_a_sa_ligne(tmp_path: Path) -> None:
    (tmp_path / "main.beancount").write_text(
        ROOT_OPTIONS + OUVERTURES + 'include "b.beancount"\n', encoding="utf-8"
    )
    (tmp_path / "b.beancount").write_text('\ninclude "main.beancount"\n', encoding="utf-8")
    done = run_communs("verifier", "main.beancount", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"b.beancount:2: Fichier inclus deux fois : {tmp_path / 'main.beancount'}"
    ]


def test_exemple_sous_un_fichier(tmp_path: Path) -> None:
    (tmp_path / "fichier").write_text("x", encoding="utf-8")
    done = run_communs("exemple", "fichier/asso", "-n", "10", cwd=tmp_path)
    assert done.returncode == 1
    assert one_line(done.stderr) == (
        "Erreur : écriture impossible dans fichier/asso : un élément du chemin n'est pas un dossier"
    )


@pytest.mark.skipif(not Path("/proc/version").exists(), reason="/proc absent")
@pytest.mark.parametrize("commande", [["init", "--nom", "Asso"], ["exemple", "-n", "10"]])
def test_dossier_impossible_a_creer(tmp_path: Path, commande: list[str]) -> None:
    done = run_communs(commande[0], "/proc/communs-asso", *commande[1:], cwd=tmp_path)
    assert done.returncode == 1
    assert one_line(done.stderr).startswith(
        "Erreur : écriture impossible dans /proc/communs-asso : "
    )
    assert "interne" not in done.stderr and "Errno" not in done.stderr


@pytest.mark.parametrize(
    ("anglais", "francais"),
    [
        ("Unbalanced pushed tag: 'x'", "« pushtag #x » sans « poptag #x »"),
        ("Attempting to pop absent tag: 'y'", "« poptag #y » sans « pushtag #y » avant"),
        (
            'File does not exist: "/tmp/f.pdf"',
            "Justificatif introuvable : /tmp/f.pdf (directive « document »)",
        ),
        (
            "Failed to categorize posting 1",
            "Ligne 1 de l'écriture illisible : montant, coût ou prix incomplet",
        ),
        (
            "Duplicate commodity directives for 'EUR'",
            "Devise EUR déclarée deux fois (directive « commodity »)",
        ),
        (
            "syntax error, unexpected EOL, expecting STRING",
            "Erreur de syntaxe : élément inattendu (fin de ligne) ; attendu : texte entre "
            "guillemets",
        ),
        (
            "syntax error, unexpected ACCOUNT",
            "Erreur de syntaxe : élément inattendu (nom de compte)",
        ),
        (
            "ValueError: year 0 is out of range",
            "Date impossible : l'année 0 n'existe pas (date AAAA-MM-JJ)",
        ),
        (
            "Balance failed for 'Actif:Banque': expected 8438.00 EUR != accumulated "
            "10062.90 EUR (1624.90 too much)",
            "Solde incorrect pour Actif:Banque : attendu 8\u202f438,00\u00a0€, calculé "
            "10\u202f062,90\u00a0€ (écart de 1\u202f624,90\u00a0€ en trop)",
        ),
        (  # a digit beyond the cent is never hidden; another currency keeps its code
            "Balance failed for 'Actif:Caisse': expected -0.005 USD != accumulated "
            "2 USD (2.005 too little)",
            "Solde incorrect pour Actif:Caisse : attendu -0,005\u00a0USD, calculé "
            "2,00\u00a0USD (écart de 2,005\u00a0USD en moins)",
        ),
        (
            "Transaction does not balance: (0.50 EUR, -3 USD)",
            "Écriture déséquilibrée : les montants ne s'annulent pas (reste 0,50\u00a0€ ; "
            "-3,00\u00a0USD)",
        ),
    ],
)
def test_messages_de_beancount_traduits(anglais: str, francais: str) -> None:
    from communs_ledger.messages_beancount import translate_beancount as translate

    assert translate(anglais) == francais


def test_ligne_sans_retrait_message_francais(tmp_path: Path) -> None:
    text = ROOT_OPTIONS + OUVERTURES + '\n2026-02-10 * "x"\n' + f"{BANQUE}  1.00 EUR\n"
    (tmp_path / "main.beancount").write_text(text, encoding="utf-8")
    done = run_communs("verifier", "main.beancount", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "main.beancount:10: Erreur de syntaxe : élément inattendu (nom de compte)"
    ]


def test_solde_incorrect_en_francais(tmp_path: Path) -> None:
    """A failed ``balance``, through ``communs verifier``: 10 062,90 on the bank, 8 438,00
    asserted, so 10 062,90 − 8 438,00 = 1 624,90 too much, in French amounts."""
    (tmp_path / "main.beancount").write_text(
        ROOT_OPTIONS
        + f"""
2026-01-01 open {BANQUE} EUR
2026-01-01 open {COTISATIONS}
2026-01-05 * "Cotisations"
  {BANQUE}  10062.90 EUR
  {COTISATIONS}
2026-02-01 balance {BANQUE}  8438.00 EUR
""",
        encoding="utf-8",
    )
    done = run_communs("verifier", "main.beancount", cwd=tmp_path)
    assert done.returncode == 1
    assert one_line(done.stdout) == (
        f"main.beancount:12: Solde incorrect pour {BANQUE} : attendu 8 438,00 €, calculé "
        "10 062,90 € (écart de 1 624,90 € en trop)"
    )
