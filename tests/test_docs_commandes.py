"""The commands shown in the French user guide (docs/*.md and the good-practice guide,
docs/guide/*.md) run as shown.

Every command a chapter shows is run through the venv's real ``communs`` (a subprocess),
chapter by chapter, in the chapter's order (a later command may read what an earlier one
wrote, e.g. ``--ecrire``), in a fresh copy of ``examples/association`` made for the chapter
(without Beancount's ``*picklecache*``):

- ``$ …`` lines of ``text``, ``console`` and unlabelled blocks, the lines below them up to
  the next ``$`` line being the documented output;
- the lines of ``sh``/``bash`` blocks (commands without output), unless the block shows
  ``$`` lines (then it is read like a ``text`` block).

Expected outcome: exit code 0, unless the documented output shows an error (« Erreur », a
``✗`` line, the ``fichier:ligne:`` errors of ``communs verifier`` or any output of
``bean-check``: exit 1), a usage error (« Usage : »: exit 2), or ``$ echo $?`` below the
command gives the code. Figures: every amount-like token of the documented output
(``1 234,56``, ``-1174.31``) must appear in the real output, unless :data:`SANS_COMPARAISON`
says why not.

The shell around the commands is interpreted, not run:

- the folder: a chapter starts in the copy of the example; ``examples/association/…`` and
  ``$E`` (``E=…`` lines) name that copy; ``cd /tmp/…`` enters the copy too (the guide's
  ``/tmp`` folders are copies of the example: ``cp -r examples/association /tmp/asso``);
  ``cd communs-ledger`` enters the folder holding ``examples/``; any other ``cd`` is
  relative. Other ``/tmp/…`` paths are mapped into a private folder (the folder of a
  ``--sortie`` file is created unless the documented output says it does not exist);
- ``cat >> FICHIER`` appends the lines shown below it (what the reader types) for the
  commands of its block only: it is a demonstration, which the guide asks to undo, and the
  file gets its content back at the end of the block;
- ``… | grep …``: the command before the pipe runs; its whole output is compared (the
  filter only hides lines);
- ``$ echo $?`` gives the expected exit code of the command above it.

Not run, each reported as a skipped test with its reason (:func:`_raison_de_ne_pas_lancer`):
``communs fava`` (serves until Ctrl+C), synopsis lines (``[--option]``, ``FICHIER``,
``…``), programs other than ``communs`` and ``bean-check`` (``git``, ``make``, ``pip``,
``ssh``, ``cp``…), ``communs budget comparer`` with a Git revision (``HEAD~1:``, ``ag-2026:``:
the chapter's Git history is not in the example; its refusal outside a Git repository does
run, the copy being in none), and the few commands of
:data:`HORS_EXEMPLE`, which show a ledger or a file made for the page.

Chapters run in parallel (one thread per core), each in its own copy; only the chapters of
the selected tests run.
"""

from __future__ import annotations

import itertools
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import ROOT, VENV_BIN, git_env

DOCS = ROOT / "docs"
EXEMPLE_SOURCE = ROOT / "examples" / "association"

# Commands the test does not run because they show a ledger, a setting or a file made for
# the page, not the example: (chapter, command as shown, text of its documented output,
# reason). The text tells apart the same command shown twice ("": any output).
PAGE = "copie de l'exemple modifiée pour la page"
HORS_EXEMPLE: list[tuple[str, str, str, str]] = [
    (
        "installation.md",
        "communs bilan",
        "",
        "lit le grand livre de la variable COMMUNS_LEDGER (~/compta/ma-compta), propre au lecteur",
    ),
    ("configuration.md", "communs verifier", "telephone", "communs.yaml à erreur de la page"),
    ("verifier.md", "communs verifier --format json", "doc-erreurs", "grand livre de la page"),
    ("verifier.md", "bean-check main.beancount", "doc-erreurs", "grand livre de la page"),
    ("budget.md", "communs verifier", "le profil totalise", f"{PAGE} (profil faux)"),
    ("budget.md", "communs budget", "le profil totalise", f"{PAGE} (profil faux)"),
    ("budget.md", "communs verifier", "seuil 25 %)", f"{PAGE} (seuils des règles)"),
    ("budget.md", "communs verifier", "mais aucune ligne", f"{PAGE} (lignes ECOLE retirées)"),
    ("budget.md", "communs budget cerfa", "type de financeur", f"{PAGE} (type_financeur)"),
    ("budget.md", "communs budget cerfa", "860 Secours", f"{PAGE} (budget sur 860/861)"),
    ("fec-et-exports.md", "communs fec -e 2025", "aucun SIREN", f"{PAGE} (sans SIREN)"),
    (
        "fec-et-exports.md",
        "communs fec -e 2025        # dans le dossier de l'association, avec la section ci-dessus",
        "",
        f"{PAGE} (section fec de communs.yaml)",
    ),
    ("fec-et-exports.md", "communs verifier", "CAISSE DU JARDIN", f"{PAGE} (code de journal)"),
    ("fec-et-exports.md", "communs fec --verifier abime.txt", "", "FEC abîmé fait pour la page"),
    ("fec-et-exports.md", "communs fec --verifier releve.csv", "", "fichier fait pour la page"),
]

# Commands whose documented figures are not compared (the exit code still is), with the
# same key as :data:`HORS_EXEMPLE`.
SANS_COMPARAISON: list[tuple[str, str, str, str]] = [
    (
        "cloture.md",
        "communs cloture affecter --exercice 2024 --reserves 5000 --date 2025-06-14",
        "",
        "montré comme sur un résultat pas encore affecté : dans l'ordre du chapitre, qui vient"
        " de l'affecter, le refus dit « déjà affecté » (code 1 aussi)",
    ),
]


def _dans(table: list[tuple[str, str, str, str]], etape: Etape) -> str | None:
    """The reason a table gives for this command, if it names it."""
    sortie = " ".join(" ".join(etape.sortie).split())
    for chapitre, texte, extrait, raison in table:
        if (chapitre, texte) == (etape.chapitre, etape.texte) and extrait in sortie:
            return raison
    return None


AMOUNT = re.compile(
    r"(?<![\d,.])-?(?:\d{1,3}(?: \d{3})+|\d+),\d{2}(?!\d)"  # 1 234,56
    r"|(?<![\d.])-?\d+\.\d{2}(?![\d.])"  # 1234.56 (CSV, JSON)
)
"""An amount-like token: French ``1 234,56`` (spaces normalised) or CSV/JSON ``1234.56``."""

SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


@dataclass
class Etape:
    """One line (or one ``&&`` part of a line) of a chapter's terminal session."""

    chapitre: str
    ligne: int
    texte: str
    sortie: list[str] = field(default_factory=list)
    partie: int = 0
    code_echo: int | None = None
    bloc: int = 0  # line of the block's first line

    @property
    def cle(self) -> tuple[str, int, int]:
        return (self.chapitre, self.ligne, self.partie)

    @property
    def mots(self) -> list[str]:
        return shlex.split(self.texte, comments=True)

    @property
    def programme(self) -> str:
        mots = self.mots
        return Path(mots[0]).name if mots else ""

    @property
    def est_une_commande(self) -> bool:
        """A program run (or skipped with a reason), as opposed to the shell's own state."""
        mots = self.mots
        if not mots or mots[0] in {"cd", "echo", "export", "source"}:
            return False
        if re.match(r"^[A-Za-z_]\w*=", mots[0]):
            return False
        return not (mots[0] == "cat" and ">>" in mots)

    def __str__(self) -> str:
        return f"{self.chapitre}:{self.ligne} {self.texte}"


def _blocs(texte: str) -> Iterator[tuple[str, int, list[str]]]:
    """(language, first line number, lines) of each fenced block (fences may be indented)."""
    langue: str | None = None
    debut = 0
    lignes: list[str] = []
    indentation = 0
    for numero, ligne in enumerate(texte.splitlines(), 1):
        brute = ligne.strip()
        if brute.startswith("```"):
            if langue is None:
                langue = brute[3:].strip() or "text"
                debut, lignes = numero + 1, []
                indentation = len(ligne) - len(ligne.lstrip())
            else:
                yield langue, debut, lignes
                langue = None
            continue
        if langue is not None:
            lignes.append(ligne[indentation:] if ligne[:indentation].strip() == "" else ligne)


def _nom(chapitre: Path) -> str:
    """A chapter's name: ``etats.md``, or ``guide/routines.md`` for a page of the guide."""
    if chapitre.is_relative_to(DOCS):
        return chapitre.relative_to(DOCS).as_posix()
    return chapitre.name


def _etapes(chapitre: Path) -> list[Etape]:
    """The terminal session a chapter shows, in order."""
    etapes: list[Etape] = []
    for langue, debut, lignes in _blocs(chapitre.read_text(encoding="utf-8")):
        if langue not in {"text", "console", "sh", "bash", "shell"}:
            continue
        invite = langue in {"text", "console"} or any(ligne.startswith("$ ") for ligne in lignes)
        if not invite:
            for decalage, ligne in enumerate(lignes):
                brute = ligne.strip()
                if brute and not brute.startswith("#"):
                    etapes.extend(_parties(_nom(chapitre), debut + decalage, brute, debut))
            continue
        courantes: list[Etape] = []
        for decalage, ligne in enumerate(lignes):
            if ligne.startswith("$ "):
                courantes = _parties(_nom(chapitre), debut + decalage, ligne[2:].strip(), debut)
                etapes.extend(courantes)
            elif courantes:
                courantes[-1].sortie.append(ligne.translate(SPACES))
    # ``$ echo $?`` gives the exit code of the command above it.
    for precedente, etape in itertools.pairwise(etapes):
        if etape.mots[:2] == ["echo", "$?"] and etape.sortie and etape.sortie[0].strip().isdigit():
            precedente.code_echo = int(etape.sortie[0].strip())
    return etapes


def _parties(chapitre: str, ligne: int, texte: str, bloc: int) -> list[Etape]:
    parties = [partie.strip() for partie in texte.split("&&")]
    return [
        Etape(chapitre, ligne, partie, partie=i, bloc=bloc)
        for i, partie in enumerate(parties)
        if partie
    ]


CHAPITRES = sorted(DOCS.glob("*.md")) + sorted((DOCS / "guide").glob("*.md"))
ETAPES = {_nom(chapitre): _etapes(chapitre) for chapitre in CHAPITRES}
COMMANDES = [etape for etapes in ETAPES.values() for etape in etapes if etape.est_une_commande]


def _sans_tuyau(etape: Etape) -> list[str]:
    """The words of the command before any ``|`` (the filter only hides lines)."""
    mots = etape.mots
    return mots[: mots.index("|")] if "|" in mots else mots


def _raison_de_ne_pas_lancer(etape: Etape) -> str | None:
    """Why a command shown in the guide is not run by this test (``None``: it is run)."""
    raison = _dans(HORS_EXEMPLE, etape)
    if raison is not None:
        return f"{raison}, pas l'exemple"
    if etape.programme not in {"communs", "bean-check"}:
        return f"« {etape.programme} » n'est pas une commande de communs-ledger"
    if re.search(r"[\[\]<>…]|\b(FICHIER|DOSSIER|DATE)\b", etape.texte):
        return "ligne de syntaxe (options entre crochets, paramètres à remplacer), pas une commande"
    mots = _sans_tuyau(etape)
    if mots[1:2] == ["fava"]:
        return "communs fava sert les pages jusqu'à Ctrl+C"
    # The refusal outside a Git repository runs: the copy is in none.
    hors_depot = "n'est pas dans un dépôt git" in " ".join(etape.sortie)
    revision = any(":" in mot for mot in mots[3:])
    if mots[1:3] == ["budget", "comparer"] and revision and not hors_depot:
        return "lit une révision Git (historique du chapitre, absent de la copie de l'exemple)"
    return None


def _code_attendu(etape: Etape) -> int:
    """The exit code the documented output implies (module docstring)."""
    if etape.code_echo is not None:
        return etape.code_echo
    sortie = [ligne.strip() for ligne in etape.sortie]
    if any(ligne.startswith(("Usage :", "Usage:")) for ligne in sortie):
        return 2
    if any(re.match(r"(Erreur\b|╭─ Erreur|✗)", ligne) for ligne in sortie):
        return 1
    if etape.programme == "bean-check" and any(ligne and ligne != "…" for ligne in sortie):
        return 1
    if _sans_tuyau(etape)[1:2] == ["verifier"]:
        for ligne in sortie:
            if ligne.startswith("Avertissements"):
                break
            if re.match(r"^\S+:\d+: ", ligne):
                return 1
    return 0


@dataclass
class Resultat:
    argv: list[str]
    dossier: Path
    code: int
    sortie: str


@dataclass
class Session:
    """The state of one chapter's terminal: its copy of the example, folder, variables."""

    base: Path
    racine: Path = field(init=False)
    copie: Path = field(init=False)
    dossier: Path = field(init=False)
    variables: dict[str, str] = field(default_factory=dict)
    demonstrations: list[tuple[Path, bytes]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.racine = self.base / "communs-ledger"
        self.copie = self.racine / "examples" / "association"
        shutil.copytree(EXEMPLE_SOURCE, self.copie, ignore=shutil.ignore_patterns("*picklecache*"))
        shutil.copytree(ROOT / "modeles", self.racine / "modeles")  # shared packs, network
        # the sample books of another software that « Reprendre une comptabilité » opens
        shutil.copytree(EXEMPLE_SOURCE.parent / "reprise", self.racine / "examples" / "reprise")
        (self.base / "tmp").mkdir()
        self.dossier = self.copie

    def chemin(self, mot: str) -> str:
        """A word of the guide with ``$VAR``, ``examples/association`` and ``/tmp`` mapped."""
        if mot == "examples/association" or mot.startswith("examples/association/"):
            return str(self.copie) + mot[len("examples/association") :]
        if mot.startswith("/tmp/"):
            return str(self.base / "tmp" / mot[len("/tmp/") :])
        return re.sub(r"\$(\w+)", lambda m: self.variables.get(m.group(1), m.group(0)), mot)

    def cd(self, cible: str) -> None:
        if cible.startswith("/tmp/"):
            self.dossier = self.copie
        elif cible == "communs-ledger":
            self.dossier = self.racine
        else:
            self.dossier = (self.dossier / self.chemin(cible)).resolve()

    def lancer(self, etape: Etape) -> Resultat:
        mots = [self.chemin(mot) for mot in _sans_tuyau(etape)]
        mots[0] = str(VENV_BIN / etape.programme)
        if "n'existe pas" not in "\n".join(etape.sortie):
            for option, valeur in itertools.pairwise(mots):
                if option == "--sortie" and valeur != "-":
                    Path(self.dossier, valeur).parent.mkdir(parents=True, exist_ok=True)
        env = git_env()
        env.pop("COMMUNS_LEDGER", None)
        env.update({"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})
        env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
        fait = subprocess.run(
            mots,
            cwd=self.dossier,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        return Resultat(mots, self.dossier, fait.returncode, fait.stdout + fait.stderr)

    def fin_de_bloc(self) -> None:
        """Undo the demonstrations (``cat >>``) of the block that ends."""
        for fichier, contenu in reversed(self.demonstrations):
            fichier.write_bytes(contenu)
        self.demonstrations.clear()

    def jouer(self, etape: Etape) -> Resultat | None:
        mots = etape.mots
        if not mots:
            return None
        if mots[0] == "cd":
            self.cd(mots[1])
        elif re.match(r"^[A-Za-z_]\w*=", mots[0]):
            nom, valeur = mots[0].split("=", 1)
            self.variables[nom] = self.chemin(valeur)
        elif mots[0] == "cat" and ">>" in mots:
            fichier = Path(self.dossier, self.chemin(mots[mots.index(">>") + 1]))
            self.demonstrations.append((fichier, fichier.read_bytes()))
            with fichier.open("a", encoding="utf-8") as flux:
                flux.write("".join(ligne + "\n" for ligne in etape.sortie))
        elif etape.est_une_commande and _raison_de_ne_pas_lancer(etape) is None:
            return self.lancer(etape)
        return None


def _jouer_chapitre(chapitre: str, base: Path) -> dict[tuple[str, int, int], Resultat]:
    session = Session(base)
    resultats = {}
    etapes = ETAPES[chapitre]
    for etape, suivante in itertools.zip_longest(etapes, etapes[1:]):
        try:
            resultat = session.jouer(etape)
        except (OSError, subprocess.TimeoutExpired) as erreur:
            # Only this command's test fails (a step of the shell: the commands after it).
            resultat = Resultat(
                [etape.texte], session.dossier, -1, f"{type(erreur).__name__}: {erreur}"
            )
        if resultat is not None:
            resultats[etape.cle] = resultat
        if suivante is None or suivante.bloc != etape.bloc:
            session.fin_de_bloc()
    return resultats


@pytest.fixture(scope="session")
def resultats_docs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, int, int], Resultat]:
    """Run the chapters of the selected tests, in parallel, each in its own copy."""
    noms = {
        item.callspec.params["etape"].chapitre
        for item in request.session.items
        if item.name.startswith("test_commande_du_guide[")
    }
    # The longest chapters first, so that the threads finish together.
    choisis = sorted(noms, key=lambda nom: -len(ETAPES[nom]))
    resultats: dict[tuple[str, int, int], Resultat] = {}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for part in pool.map(
            lambda nom: _jouer_chapitre(
                nom, tmp_path_factory.mktemp(nom.removesuffix(".md").replace("/", "-"))
            ),
            choisis,
        ):
            resultats.update(part)
    return resultats


def _montants(texte: str) -> list[str]:
    return [m.group(0) for m in AMOUNT.finditer(" ".join(texte.translate(SPACES).split()))]


def _ident(etape: Etape) -> str:
    return f"{etape.chapitre}:{etape.ligne}:{etape.texte[:60]}"


@pytest.mark.parametrize("etape", COMMANDES, ids=_ident)
def test_commande_du_guide(
    etape: Etape, resultats_docs: dict[tuple[str, int, int], Resultat]
) -> None:
    """The command runs as the guide shows it: exit code, no traceback, same amounts."""
    raison = _raison_de_ne_pas_lancer(etape)
    if raison is not None:
        pytest.skip(raison)
    resultat = resultats_docs[etape.cle]
    montre = f"\n$ {' '.join(resultat.argv)}\n(dans {resultat.dossier})\n{resultat.sortie[-6000:]}"
    assert "Traceback" not in resultat.sortie, montre
    assert resultat.code == _code_attendu(etape), f"code de sortie {resultat.code}{montre}"
    if _dans(SANS_COMPARAISON, etape) is not None:
        return
    reel = " ".join(resultat.sortie.translate(SPACES).split())
    reels = set(_montants(reel))
    manquants = [m for m in _montants("\n".join(etape.sortie)) if m not in reels]
    assert not manquants, f"montants du guide absents de la sortie : {manquants}{montre}"


def test_le_guide_montre_des_commandes() -> None:
    """The extraction finds the guide's commands (a broken parser would test nothing)."""
    lancees = [etape for etape in COMMANDES if _raison_de_ne_pas_lancer(etape) is None]
    assert len(lancees) > 100
    chapitres = {etape.chapitre for etape in lancees}
    assert {"etats.md", "verifier.md", "cloture.md", "importation.md"} <= chapitres


def test_les_tables_nomment_des_commandes_du_guide() -> None:
    """Every entry of the tables still names a command shown in the guide."""
    for table in (HORS_EXEMPLE, SANS_COMPARAISON):
        for entree in table:
            assert any(_dans([entree], etape) for etape in COMMANDES), entree


def test_montants_reconnus() -> None:
    assert _montants("Total 1 234,56 € et -1 174,31 ; 2863.00,2535.00 ; 2026-11-19 ; 12,5 %") == [
        "1 234,56",
        "-1 174,31",
        "2863.00",
        "2535.00",
    ]


def test_lecture_d_un_chapitre(tmp_path: Path) -> None:
    """Commands, outputs, expected codes and skips read from a small chapter."""
    chapitre = tmp_path / "essai.md"
    chapitre.write_text(
        "Texte.\n\n"
        "```sh\n"
        "E=examples/association/main.beancount   # le grand livre\n"
        "communs bilan -f $E --sortie bilan.xlsx\n"
        "```\n\n"
        "```text\n"
        "$ communs resultat -f $E -e 2025 --au 2026-03-01\n"
        "Erreur : --au 2026-03-01 est hors de l'exercice 2025\n"
        "$ communs bilan --format xlsx\n"
        "Erreur : le format xlsx s'écrit dans un fichier\n"
        "$ echo $?\n"
        "2\n"
        "$ git status\n"
        "```\n\n"
        "  ```console\n"
        "  $ communs verifier\n"
        "  2024.beancount:12: Compte inconnu\n"
        "  $ communs budget -f $E | grep 6132\n"
        "  6132   Loyer   1 234,56   2 000,00\n"
        "  $ communs tresorerie [--mois 12]\n"
        "  ```\n",
        encoding="utf-8",
    )
    etapes = _etapes(chapitre)
    assert [(e.ligne, e.texte) for e in etapes] == [
        (4, "E=examples/association/main.beancount   # le grand livre"),
        (5, "communs bilan -f $E --sortie bilan.xlsx"),
        (9, "communs resultat -f $E -e 2025 --au 2026-03-01"),
        (11, "communs bilan --format xlsx"),
        (13, "echo $?"),
        (15, "git status"),
        (19, "communs verifier"),
        (21, "communs budget -f $E | grep 6132"),
        (23, "communs tresorerie [--mois 12]"),
    ]
    commandes = {e.ligne: e for e in etapes if e.est_une_commande}
    assert sorted(commandes) == [5, 9, 11, 15, 19, 21, 23]
    assert [_code_attendu(commandes[n]) for n in (5, 9, 11, 19, 21)] == [0, 1, 2, 1, 0]
    assert _sans_tuyau(commandes[21]) == ["communs", "budget", "-f", "$E"]
    assert _montants("\n".join(commandes[21].sortie)) == ["1 234,56", "2 000,00"]
    assert _raison_de_ne_pas_lancer(commandes[15]) is not None
    assert _raison_de_ne_pas_lancer(commandes[23]) is not None
    assert _raison_de_ne_pas_lancer(commandes[21]) is None
