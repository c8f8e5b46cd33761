"""Bad input on the command line, found by the robustness audit: every message French,
exit code 1, no traceback, no escape sequence from the ledger on the terminal, nothing
half-written."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import BANQUE, run_communs, write_valid_ledger

# Escape sequences a narration could carry: set the window title (OSC ended by BEL),
# clear the screen, a C1 CSI, a backspace.
PIEGES = "\x1b]0;pirate\x07\x1b[2J\x9b31m\b"
SEQUENCES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_les_messages_d_erreur_qui_citent_le_grand_livre_perdent_les_sequences(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "asso"
    write_valid_ledger(folder)
    with (folder / "2025.beancount").open("a", encoding="utf-8") as ledger:
        # an unknown account and a narration with markup, which « verifier » quotes
        ledger.write(
            f'\n2025-07-01 * "Marché{PIEGES}" "Vente <b>{PIEGES}plants</b>"\n'
            f"  {BANQUE}  10.00 EUR\n"
            "  Produits:70-Ventes:707-Ventes-de-marchandises\n"
        )
    for args in (("verifier",), ("resultat", "--exercice", "2025")):
        done = run_communs(*args, cwd=folder)
        assert done.returncode == 1
        output = done.stdout + done.stderr
        assert "plants" in output or "707" in output  # the message is there…
        assert not SEQUENCES.search(output), repr(output)  # …without the sequences
        assert "pirate" not in output


def test_disque_plein_message_francais_sans_erreur_interne(tmp_path: Path) -> None:
    """The output cannot be written (a full disk, here /dev/full): a French error, exit 1,
    not the last-resort « Erreur interne » with the system's English message."""
    import os
    import subprocess

    from conftest import COMMUNS, assert_no_traceback

    folder = tmp_path / "asso"
    write_valid_ledger(folder)
    env = {k: v for k, v in os.environ.items() if k not in ("COMMUNS_LEDGER", "COMMUNS_DEBUG")}
    with open("/dev/full", "w") as plein:
        done = subprocess.run(
            [str(COMMUNS), "journal", "--exercice", "2025"],
            cwd=folder,
            env=env,
            stdout=plein,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    assert_no_traceback(done.stderr)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "Erreur : lecture ou écriture impossible : plus de place sur le disque"
    )


def test_saisir_dans_un_fichier_en_lecture_seule_refuse_et_ne_touche_a_rien(
    tmp_path: Path,
) -> None:
    """The atomic write renames a temporary file over the target, which needs only the
    folder's permission: a year file its owner made read-only was replaced anyway (and
    the entry written). It is refused now, the file left byte for byte and read-only."""
    folder = tmp_path / "asso"
    write_valid_ledger(folder)
    annee = folder / "2025.beancount"
    avant = annee.read_bytes()
    annee.chmod(0o444)
    try:
        done = run_communs(
            *("saisir", "depense", "--compte", "6064", "--montant", "12,50"),
            *("--date", "2025-07-01", "--tiers", "Papeterie", "--oui"),
            cwd=folder,
        )
        assert done.returncode == 1
        assert "Erreur : impossible d'écrire 2025.beancount : permission refusée" in done.stderr
        assert annee.read_bytes() == avant
        assert annee.stat().st_mode & 0o777 == 0o444
        assert sorted(p.name for p in folder.iterdir() if "tmp" in p.name) == []
    finally:
        annee.chmod(0o644)


def test_cache_de_beancount_abime_aucun_message_anglais(tmp_path: Path) -> None:
    """Beancount's pickle cache damaged (a copy cut short, a disk error): it was loaded
    again, but « ERROR:root:Cache file is corrupted… » came on stderr, in English."""
    folder = tmp_path / "asso"
    write_valid_ledger(folder)
    (folder / ".main.beancount.picklecache").write_bytes(b"; pas un cache\n")
    done = run_communs("verifier", cwd=folder)
    assert done.returncode == 0
    assert "ERROR" not in done.stderr and "Cache file" not in done.stderr
    assert done.stderr.startswith("✓ Aucune erreur")


def test_fichier_inclus_en_latin_1_une_erreur_francaise(tmp_path: Path) -> None:
    """An included year file saved in Latin-1 (or UTF-16): Beancount reported an English
    « UnicodeDecodeError: 'utf-8' codec can't decode… » per bad line; now one French
    error at its first bad line. 2025.beancount: 5 option lines, then the body, whose
    first accent is « Région » on its 9th line: line 14."""
    folder = tmp_path / "asso"
    write_valid_ledger(folder)
    annee = folder / "2025.beancount"
    annee.write_bytes(annee.read_text(encoding="utf-8").encode("latin-1"))
    for args in (("verifier",), ("resultat", "--exercice", "2025")):
        done = run_communs(*args, cwd=folder)
        assert done.returncode == 1
        output = done.stdout + done.stderr
        assert "2025.beancount:14: fichier illisible : il doit être encodé en UTF-8" in output
        assert "codec" not in output and "Unicode" not in output
        assert output.count("2025.beancount:") == 1


def test_ouverture_depuis_un_fichier_qui_n_est_pas_un_csv(tmp_path: Path) -> None:
    """A binary file (its stray carriage returns) or a 200 000-character field given to
    « ouverture --depuis »: Python's csv module raised, shown as « Erreur interne … new-line
    character seen in unquoted field »; now a French error naming the file and line."""
    folder = tmp_path / "asso"
    write_valid_ledger(folder)
    (folder / "binaire.csv").write_bytes(bytes(range(256)) * 4)
    (folder / "long.csv").write_text("compte;libelle;debit;credit\n" + "x" * 200_000 + "\n")
    attendus = {
        "binaire.csv": "binaire.csv:1: ni FEC ni balance lisible : colonnes attendues",
        "long.csv": "long.csv:2: ni FEC ni balance lisible : ce n'est pas un fichier CSV",
    }
    for nom, attendu in attendus.items():
        done = run_communs("ouverture", "--depuis", nom, "--non-interactif", cwd=folder)
        assert done.returncode == 1
        assert done.stderr.startswith(f"Erreur : {attendu}"), done.stderr
        assert "interne" not in done.stderr


def test_ecriture_dans_un_nouveau_fichier_d_un_sous_dossier_include_juste(
    tmp_path: Path,
) -> None:
    """« saisir --fichier ecritures/juillet.beancount » creates the file; the hint named
    include "juillet.beancount", which Beancount looks for next to main.beancount and does
    not find: the include line is the path from the main file's folder."""
    folder = tmp_path / "asso"
    write_valid_ledger(folder)
    (folder / "ecritures").mkdir()
    done = run_communs(
        *("saisir", "depense", "--compte", "6064", "--montant", "12,50"),
        *("--date", "2025-07-01", "--tiers", "Papeterie", "--oui"),
        *("--fichier", "ecritures/juillet.beancount"),
        cwd=folder,
    )
    assert done.returncode == 0, done.stderr
    assert 'ajoutez la ligne include "ecritures/juillet.beancount" à main.beancount' in (
        " ".join(done.stderr.split())
    )
    # the hint followed, the ledger has the entry and no error
    with (folder / "main.beancount").open("a", encoding="utf-8") as main:
        main.write('include "ecritures/juillet.beancount"\n')
    verifie = run_communs("verifier", cwd=folder)
    assert verifie.returncode == 0, verifie.stdout + verifie.stderr


def test_exemple_refuse_un_nombre_d_ecritures_demesure(tmp_path: Path) -> None:
    """« communs exemple DOSSIER -n 99999999999999999999 » (a few digits too many) ran
    until interrupted, filling the disk; now refused at once, nothing created."""
    done = run_communs("exemple", str(tmp_path / "essai"), "-n", "99999999999999999999")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "Erreur : --transactions 99999999999999999999 : au plus 1 000 000 écritures"
    )
    assert not (tmp_path / "essai").exists()


def test_cloture_grand_livre_principal_en_lecture_seule(tmp_path: Path, communs) -> None:
    """The closing writes its lock (clotures.yaml) and a trace in main.beancount: with
    main.beancount read-only, the system's PermissionError went up to the last-resort
    handler, past the code that puts back the fonds dédiés the closing had just booked in
    2024.beancount: they stayed. Now a French error naming the file; no lock written,
    every file as it was."""
    from livre_fonds_dedies import ecrire_livre

    main = ecrire_livre(tmp_path)
    avant = {p.name: p.read_bytes() for p in sorted(main.parent.iterdir()) if p.is_file()}
    main.chmod(0o444)
    try:
        refuse = communs("cloture", "-f", str(main), "-e", "2024", "--ecrire")
    finally:
        main.chmod(0o644)
    apres = {p.name: p.read_bytes() for p in sorted(main.parent.iterdir()) if p.is_file()}
    # the fonds dédiés booked first in 2024.beancount are put back too (they stayed)
    assert apres == avant
    assert refuse.exit_code == 1
    assert f"impossible d'écrire {main} : permission refusée ; rien n'est écrit" in (
        " ".join(refuse.output.split())
    )


def test_saisir_un_libelle_avec_retour_a_la_ligne_et_sequence_reste_sur_sa_ligne(
    tmp_path: Path,
) -> None:
    """A label pasted with a newline and an escape sequence: written as such inside the
    Beancount string, it spread the entry over two lines (the second one reading like a
    directive, « 2025-01-01 open … ») and put ESC into the ledger. Control characters
    become spaces."""
    folder = tmp_path / "asso"
    write_valid_ledger(folder)
    done = run_communs(
        *("saisir", "depense", "--compte", "6064", "--montant", "12,50", "--date", "2025-07-01"),
        *("--tiers", 'Papeterie "Le Stylo"\x1b[2J', "--oui"),
        *("--libelle", "Cahiers\n2025-01-01 open Actif:Pirate\x07"),
        cwd=folder,
    )
    assert done.returncode == 0, done.stderr
    texte = (folder / "2025.beancount").read_text(encoding="utf-8")
    assert (
        '2025-07-01 * "Papeterie \\"Le Stylo\\" [2J" "Cahiers 2025-01-01 open Actif:Pirate "\n'
        in texte
    )
    assert not SEQUENCES.search(texte.replace("\n", ""))


def test_motif_d_annulation_avec_sequence_le_registre_reste_lisible(copie_exemple: Path) -> None:
    """« recus annuler N --motif » with a control character: written raw into recus.yaml,
    which YAML then refused (« caractère de contrôle interdit »): no receipt could be
    issued any more and « verifier » failed. The registry stays readable now."""
    assert run_communs("recus", "--exercice", "2026", cwd=copie_exemple).returncode == 0
    annule = run_communs(
        *("recus", "annuler", "2026-0001", "--motif", "erreur\x1b[2J de nom\x07"),
        cwd=copie_exemple,
    )
    assert annule.returncode == 0, annule.stderr
    assert '    motif: "erreur [2J de nom "\n' in (copie_exemple / "recus.yaml").read_text(
        encoding="utf-8"
    )
    verifie = run_communs("verifier", cwd=copie_exemple)
    assert verifie.returncode == 0, verifie.stdout + verifie.stderr
