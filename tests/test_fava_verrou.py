"""``communs fava --ecriture``: Fava's writes take the association folder's lock, as the
writing commands do (real Fava through Flask's test client, the real lock of
:mod:`communs_ledger.acces_exclusif`, real ``communs`` processes)."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from communs_ledger.acces_exclusif import NOM_JOURNAL, NOM_VERROU, DossierOccupe, acces_exclusif
from conftest import COMMUNS, assert_no_traceback, one_line
from fava_pages import fava_client
from test_acces_exclusif import IMPORT, _env, _verrou_tenu
from test_importation_cli import BANQUE, ecrire_livre

ATTENTE = "Une autre commande communs écrit dans ce dossier, attente…"
OCCUPE = (
    "Rien n'a été enregistré : une autre commande communs (import, saisie, clôture…) écrit "
    "en ce moment dans le dossier de la comptabilité. Réessayez dans un instant, quand elle "
    "sera terminée (verrou .communs.lock)."
)
AJOUT_FAVA = "\n; ajouté depuis l'éditeur de Fava\n"
LIVRET = "Actif:51-Banques:512-Banques:Livret"

# The lock held by another process, as a running `communs` command holds it.
_TENIR = """
import sys
from pathlib import Path
from communs_ledger.acces_exclusif import acces_exclusif
with acces_exclusif(Path(sys.argv[1])):
    print("pris", flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def livre(ledger_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COMMUNS_ATTENTE_VERROU", "0.3")  # Fava waits 0.3 s, not 10
    return ecrire_livre(ledger_dir)


def _source(client: Any, slug: str) -> dict[str, Any]:
    response = client.get(f"/{slug}/api/source", query_string={"filename": ""})
    assert response.status_code == 200
    return dict(response.get_json()["data"])


def _enregistrer(client: Any, slug: str, ajout: str = AJOUT_FAVA) -> Any:
    """What Fava's source editor sends when the gestionnaire saves the main file."""
    source = _source(client, slug)
    return client.put(
        f"/{slug}/api/source",
        json={
            "file_path": source["file_path"],
            "source": source["source"] + ajout,
            "sha256sum": source["sha256sum"],
        },
    )


@contextmanager
def _tenu_par_un_autre_processus(dossier: Path) -> Iterator[None]:
    process = subprocess.Popen(
        [sys.executable, "-c", _TENIR, str(dossier)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stdout.readline() == "pris\n"
        yield
    finally:
        process.communicate(timeout=30)  # closes its stdin: it releases the lock and ends
    assert process.returncode == 0


@contextmanager
def _tenu_par_un_autre_fil(dossier: Path) -> Iterator[None]:
    """The lock held by another thread of this process (cheroot serves Fava in threads)."""
    pris, fin = threading.Event(), threading.Event()

    def tenir() -> None:
        with acces_exclusif(dossier):
            pris.set()
            fin.wait(30)

    fil = threading.Thread(target=tenir)
    fil.start()
    try:
        assert pris.wait(30)
        yield
    finally:
        fin.set()
        fil.join(30)


def test_dossier_libre_fava_ecrit_et_ne_laisse_rien(livre: Path) -> None:
    client, slug = fava_client(livre, ecriture=True)
    response = _enregistrer(client, slug)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert livre.read_text(encoding="utf-8").endswith(AJOUT_FAVA)
    assert not (livre.parent / NOM_VERROU).exists()  # released and deleted
    assert not (livre.parent / NOM_JOURNAL).exists()


@pytest.mark.parametrize(
    "tenir", [_tenu_par_un_autre_processus, _tenu_par_un_autre_fil], ids=["processus", "fil"]
)
def test_dossier_occupe_fava_refuse_en_francais_sans_rien_ecrire(
    livre: Path, tenir: Callable[[Path], Any]
) -> None:
    client, slug = fava_client(livre, ecriture=True)
    avant = {path.name: path.read_bytes() for path in livre.parent.glob("*.beancount")}
    entree = {
        "t": "Transaction",
        "date": "2026-05-02",
        "flag": "*",
        "payee": "",
        "narration": "Virement saisi dans Fava",
        "meta": {},
        "tags": [],
        "links": [],
        "postings": [
            {"account": BANQUE, "amount": "20.00 EUR"},
            {"account": LIVRET, "amount": "-20.00 EUR"},
        ],
    }
    with tenir(livre.parent):
        debut = time.monotonic()
        refus = [
            _enregistrer(client, slug),
            client.put(f"/{slug}/api/add_entries", json={"entries": [entree]}),
        ]
        duree = time.monotonic() - debut
    for response in refus:
        assert response.status_code == 423
        assert response.get_json() == {"error": OCCUPE}  # shown by Fava as a notification
        assert response.headers["Content-Security-Policy"]
    assert duree >= 2 * 0.3  # each request waited $COMMUNS_ATTENTE_VERROU before refusing
    assert {path.name: path.read_bytes() for path in livre.parent.glob("*.beancount")} == avant
    # the other command done, the same writes go through
    assert _enregistrer(client, slug).status_code == 200
    ajout = client.put(f"/{slug}/api/add_entries", json={"entries": [entree]})
    assert ajout.status_code == 200, ajout.get_data(as_text=True)
    assert "Virement saisi dans Fava" in livre.read_text(encoding="utf-8")


def test_lecture_pendant_une_commande_n_attend_pas(livre: Path) -> None:
    client, slug = fava_client(livre, ecriture=True)
    with _tenu_par_un_autre_processus(livre.parent):
        debut = time.monotonic()
        assert client.get(f"/{slug}/api/source", query_string={"filename": ""}).status_code == 200
        assert client.get(f"/{slug}/journal/").status_code == 200
        assert time.monotonic() - debut < 0.3


def test_lecture_seule_ne_prend_pas_le_verrou(livre: Path) -> None:
    """Read-only Fava refuses writes itself (403), without waiting for the lock."""
    client, slug = fava_client(livre)
    with _tenu_par_un_autre_processus(livre.parent):
        response = client.put(f"/{slug}/api/source", json={})
    assert response.status_code == 403
    assert "lecture seule" in response.get_json()["error"]


@contextmanager
def _fava_en_train_d_ecrire(livre: Path) -> Iterator[Callable[[], Any]]:
    """A save of Fava's source editor paused inside Fava (the lock taken, the file not yet
    written); yields a function that lets it finish and returns its response."""
    client, slug = fava_client(livre, ecriture=True)
    source = _source(client, slug)
    protection = client.application.wsgi_app
    fava = protection.app
    dans_fava, continuer = threading.Event(), threading.Event()

    def lente(environ: dict[str, Any], start_response: Any) -> Any:
        if environ["REQUEST_METHOD"] == "PUT":
            dans_fava.set()
            continuer.wait(60)
        return fava(environ, start_response)

    protection.app = lente
    reponse: list[Any] = []
    fil = threading.Thread(
        target=lambda: reponse.append(
            client.put(
                f"/{slug}/api/source",
                json={
                    "file_path": source["file_path"],
                    "source": source["source"] + AJOUT_FAVA,
                    "sha256sum": source["sha256sum"],
                },
            )
        )
    )
    fil.start()

    def terminer() -> Any:
        continuer.set()
        fil.join(60)
        return reponse[0]

    try:
        assert dans_fava.wait(30)
        yield terminer
    finally:
        continuer.set()
        fil.join(60)


def test_commande_pendant_une_ecriture_de_fava_refuse_apres_l_attente(
    livre: Path, communs: Callable[..., Any]
) -> None:
    folder = livre.parent
    exercice = folder / "2026.beancount"
    avant = exercice.read_bytes()
    with _fava_en_train_d_ecrire(livre) as terminer:
        assert _verrou_tenu(folder)
        result = communs(*IMPORT, env={"COMMUNS_ATTENTE_VERROU": "0.3"})
        assert result.exit_code == 1
        texte = one_line(result.stderr)
        assert ATTENTE in texte
        assert (
            "une autre commande communs écrit toujours dans ce dossier après 0.3 s d'attente : "
            "rien n'est fait"
        ) in texte
        assert exercice.read_bytes() == avant
        assert terminer().status_code == 200
    assert livre.read_text(encoding="utf-8").endswith(AJOUT_FAVA)
    assert not _verrou_tenu(folder)


def test_commande_pendant_une_ecriture_de_fava_attend_puis_ecrit(livre: Path) -> None:
    """An import started while Fava saves waits (saying so), then loads the ledger as Fava
    left it and adds its entries: neither write is lost."""
    folder = livre.parent
    exercice = folder / "2026.beancount"
    avant = exercice.read_text(encoding="utf-8")
    with _fava_en_train_d_ecrire(livre) as terminer:
        env = _env()
        env.pop("COMMUNS_ATTENTE_VERROU")  # the default wait (120 s)
        commande = subprocess.Popen(
            [str(COMMUNS), *IMPORT],
            cwd=folder,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert commande.stderr is not None
        assert ATTENTE in commande.stderr.readline()  # waiting for Fava
        assert commande.poll() is None
        assert exercice.read_text(encoding="utf-8") == avant
        assert terminer().status_code == 200
        out, err = commande.communicate(timeout=120)
    assert_no_traceback(out, err)
    assert commande.returncode == 0, err
    assert "2 écritures ajoutées" in one_line(err)
    assert livre.read_text(encoding="utf-8").endswith(AJOUT_FAVA)
    texte = exercice.read_text(encoding="utf-8")
    assert texte.startswith(avant)
    assert texte[len(avant) :].count("Subvention jardins – versement") == 1


def test_commande_interrompue_fava_remet_les_fichiers_et_refuse(livre: Path) -> None:
    """A journal left by a killed command: Fava's write puts the files back (as the next
    command would), then refuses, since the page it was sent from showed the broken state."""
    folder = livre.parent
    exercice = folder / "2026.beancount"
    original = exercice.read_bytes()
    journal = {"pid": 1, "fichiers": [{"chemin": "2026.beancount", "contenu": ""}]}
    journal["fichiers"][0]["contenu"] = base64.b64encode(original).decode("ascii")
    (folder / NOM_JOURNAL).write_text(json.dumps(journal), encoding="utf-8")
    exercice.write_bytes(original + b"\n; moitie d'import\n")  # the killed command's change
    client, slug = fava_client(livre, ecriture=True)
    avant = livre.read_bytes()
    response = _enregistrer(client, slug)
    assert response.status_code == 409
    assert response.get_json()["error"] == (
        "Rien n'a été enregistré : une commande communs avait été interrompue pendant une "
        "écriture ; 2026.beancount remis dans leur état d'avant cette commande "
        "(.communs-journal). Rechargez la page, puis recommencez la modification."
    )
    assert exercice.read_bytes() == original
    assert livre.read_bytes() == avant
    assert not (folder / NOM_JOURNAL).exists()
    assert _enregistrer(client, slug).status_code == 200  # after reloading, it goes through


def test_journal_illisible_fava_refuse(livre: Path) -> None:
    (livre.parent / NOM_JOURNAL).write_text("{pas du json", encoding="utf-8")
    client, slug = fava_client(livre, ecriture=True)
    avant = livre.read_bytes()
    response = _enregistrer(client, slug)
    assert response.status_code == 409
    assert (
        ".communs-journal, le journal d'une commande interrompue, est illisible"
        in (response.get_json()["error"])
    )
    assert livre.read_bytes() == avant
    assert (livre.parent / NOM_JOURNAL).exists()  # left for the gestionnaire to look at


def test_verrou_reentrant_dans_un_fil_exclusif_entre_fils(tmp_path: Path) -> None:
    """The kernel's lock: re-entrant in the thread that holds it, refused to another thread
    of the same process as to another process."""
    with (
        _tenu_par_un_autre_fil(tmp_path),
        pytest.raises(DossierOccupe),
        acces_exclusif(tmp_path, attente=0.2),
    ):
        pass
    with acces_exclusif(tmp_path), acces_exclusif(tmp_path):  # nested: no wait
        assert _verrou_tenu(tmp_path)
    assert not (tmp_path / NOM_VERROU).exists()
