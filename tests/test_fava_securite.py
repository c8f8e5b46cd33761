"""What ``communs fava`` puts around Fava (Flask test client, real Fava): the security
headers on every response, read-only by default (Fava's editor cannot rewrite the
ledger), the Host check against DNS rebinding, Fava's import page in French."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import BANQUE, COMMUNS
from fava_pages import ecrire_canal, ecrire_piege, fava_client


@pytest.fixture
def piege(tmp_path: Path) -> Path:
    return ecrire_piege(tmp_path / "piege")


def _politique(response: Any) -> dict[str, str]:
    """The CSP as {directive: sources}."""
    politique = response.headers["Content-Security-Policy"]
    return {d.split()[0]: " ".join(d.split()[1:]) for d in politique.split(";") if d.strip()}


@pytest.mark.parametrize(
    "chemin",
    [
        "journal/",
        f"account/{BANQUE}/",
        "errors/",
        "extension/TableauDeBord/",
        "extension/Bilan/donnees",
        "api/journal_page?page=1&order=desc",
        "api/errors",
        "api/source",
        "static/app.js",
        "page-inconnue/",
    ],
)
def test_entetes_de_securite_sur_chaque_reponse(piege: Path, chemin: str) -> None:
    client, slug = fava_client(piege)
    response = client.get(f"/{slug}/{chemin}")
    assert response.status_code in (200, 404), chemin
    directives = _politique(response)
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"  # no inline, no eval
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def _source(client: Any, slug: str) -> dict[str, Any]:
    response = client.get(f"/{slug}/api/source", query_string={"filename": ""})
    assert response.status_code == 200
    return response.get_json()["data"]


def test_lecture_seule_par_defaut_l_editeur_ne_peut_rien_ecrire(tmp_path: Path) -> None:
    main = ecrire_canal(tmp_path / "canal")
    avant = main.read_bytes()
    client, slug = fava_client(main)
    source = _source(client, slug)
    tentatives = [
        client.put(
            f"/{slug}/api/source",
            json={
                "file_path": source["file_path"],
                "source": source["source"] + "\n; réécrit\n",
                "sha256sum": source["sha256sum"],
            },
        ),
        client.put(f"/{slug}/api/add_entries", json={"entries": []}),
        client.put(f"/{slug}/api/format_source", json={"source": "x"}),
        client.delete(f"/{slug}/api/source_slice", query_string={"entry_hash": "x"}),
        client.delete(f"/{slug}/api/document", query_string={"filename": str(main)}),
        client.post(f"/{slug}/api/source"),
    ]
    for response in tentatives:
        assert response.status_code == 403
        assert "lecture seule" in response.get_json()["error"]
        assert "communs fava --ecriture" in response.get_json()["error"]
    assert main.read_bytes() == avant


def test_ecriture_explicite_l_editeur_ecrit(tmp_path: Path) -> None:
    main = ecrire_canal(tmp_path / "canal")
    client, slug = fava_client(main, ecriture=True)
    source = _source(client, slug)
    nouveau = source["source"] + "\n; réécrit depuis Fava\n"
    response = client.put(
        f"/{slug}/api/source",
        json={
            "file_path": source["file_path"],
            "source": nouveau,
            "sha256sum": source["sha256sum"],
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert main.read_text(encoding="utf-8").endswith("; réécrit depuis Fava\n")
    assert response.headers["Content-Security-Policy"]
    # a write sent by another site's page is refused, even in writing mode
    source = _source(client, slug)
    refus = client.put(
        f"/{slug}/api/source",
        json={"file_path": source["file_path"], "source": "", "sha256sum": source["sha256sum"]},
        headers={"Origin": "http://site-malveillant.example"},
    )
    assert refus.status_code == 403
    assert "autre site" in refus.get_json()["error"]
    assert main.read_text(encoding="utf-8").endswith("; réécrit depuis Fava\n")


@pytest.mark.parametrize(
    ("hote", "accepte"),
    [
        ("localhost", True),  # port 80: browsers omit it
        ("127.0.0.1", True),
        ("[::1]", True),
        ("localhost:80", True),
        ("LOCALHOST", True),
        ("piege.example", False),  # DNS rebinding: a site's name resolved to 127.0.0.1
        ("piege.example:80", False),
        ("localhost:5000", False),  # another port: not this server
        ("127.0.0.1.piege.example", False),
        ("", False),
    ],
)
def test_controle_de_l_hote_en_boucle_locale(piege: Path, hote: str, accepte: bool) -> None:
    client, slug = fava_client(piege)
    response = client.get(f"/{slug}/journal/", headers={"Host": hote})
    if accepte:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert "Adresse refusée" in response.get_json()["error"]
        assert response.headers["Content-Security-Policy"]


def test_hote_choisi_par_l_utilisateur_pas_de_controle(piege: Path) -> None:
    from communs_ledger.cli.serveur import application_fava

    app, slug, *_ = application_fava(piege, hote="0.0.0.0", port=8080)
    response = app.test_client().get(f"/{slug}/journal/", headers={"Host": "compta.local:8080"})
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"]


def test_port_du_serveur_dans_l_hote(piege: Path) -> None:
    from communs_ledger.cli.serveur import application_fava

    app, slug, *_ = application_fava(piege, port=5000)
    client = app.test_client()
    assert client.get(f"/{slug}/journal/", headers={"Host": "127.0.0.1:5000"}).status_code == 200
    assert client.get(f"/{slug}/journal/", headers={"Host": "localhost:5000"}).status_code == 200
    assert client.get(f"/{slug}/journal/", headers={"Host": "localhost"}).status_code == 403


def test_page_d_import_de_fava_en_francais(piege: Path) -> None:
    client, slug = fava_client(piege)
    response = client.get(f"/{slug}/journal/")
    app_js = next(
        ligne.split('src="')[1].split('"')[0]
        for ligne in response.get_data(as_text=True).splitlines()
        if "app.js" in ligne
    )
    script = client.get(app_js, headers={"If-None-Match": "*"})
    assert script.status_code == 200
    texte = script.get_data(as_text=True)
    assert "No importers configured" not in texte
    assert "« communs importer », pas depuis Fava" in texte
    assert int(script.headers["Content-Length"]) == len(script.get_data())
    assert script.headers["Content-Type"].startswith("text/javascript")


def _sortie_de_communs_fava(ledger: Path, *options: str) -> str:
    """What ``communs fava`` prints before serving (the process is then stopped)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "COMMUNS_LEDGER"}
    process = subprocess.Popen(
        [str(COMMUNS), "fava", str(ledger), "--port", str(port), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lignes = []
    try:
        assert process.stdout is not None
        for ligne in process.stdout:
            lignes.append(ligne)
            if ligne.startswith("Arrêt"):
                break
    finally:
        process.terminate()
        process.wait(timeout=30)
    return "".join(lignes)


def test_communs_fava_dit_lecture_seule_ou_ecriture_et_previent_hors_boucle_locale(
    piege: Path,
) -> None:
    defaut = _sortie_de_communs_fava(piege)
    assert "Lecture seule (pour modifier depuis Fava : --ecriture)." in defaut
    assert "Attention : Fava est ouvert" not in defaut
    reseau = _sortie_de_communs_fava(piege, "--hote", "0.0.0.0", "--ecriture")
    assert "Modifications autorisées depuis Fava (--ecriture)." in reseau
    assert "Attention : Fava est ouvert à toute machine qui peut joindre 0.0.0.0" in reseau


@pytest.mark.parametrize(
    ("hote", "attendu"),
    [
        ("999.1.1.1", "--hote 999.1.1.1 : adresse invalide ou inconnue"),
        ("pas-une-adresse.invalid", "--hote pas-une-adresse.invalid : adresse invalide"),
        # TEST-NET-1 (RFC 5737): an address of no computer here
        ("192.0.2.1", "--hote 192.0.2.1 : adresse qui n'est pas celle de cet ordinateur"),
        ("127.0.0.1", "port déjà utilisé (un autre communs fava ?)"),
    ],
)
def test_communs_fava_refuse_une_adresse_ou_un_port_impossible_avant_d_annoncer(
    piege: Path, hote: str, attendu: str
) -> None:
    """No « Fava sert… » for an address Fava cannot listen on: a French error, exit 1."""
    with socket.socket() as occupe:
        occupe.bind(("127.0.0.1", 0))
        occupe.listen()
        port = occupe.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if k != "COMMUNS_LEDGER"}
        done = subprocess.run(
            [str(COMMUNS), "fava", str(piege), "--hote", hote, "--port", str(port)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
    assert done.returncode == 1
    assert "Fava sert" not in done.stdout
    assert done.stderr.startswith(f"Erreur : {attendu}" if "--hote" in attendu else "Erreur : ")
    assert attendu in done.stderr
    assert "Traceback" not in done.stderr


def test_documents_servis_tels_quels_dans_un_bac_a_sable(tmp_path: Path) -> None:
    """An HTML file among the documents (shared through Git, say) would be a page of
    this site: it is served sandboxed (no script, another origin)."""
    main = ecrire_canal(tmp_path / "canal")
    (main.parent / "facture.html").write_text(
        "<script>fetch('/api/source')</script>", encoding="utf-8"
    )
    with main.open("a", encoding="utf-8") as ledger:
        ledger.write(f'\n2026-03-20 document {BANQUE} "facture.html"\n')
    client, slug = fava_client(main)
    response = client.get(
        f"/{slug}/document/", query_string={"filename": str(main.parent / "facture.html")}
    )
    assert response.status_code == 200
    assert "<script>" in response.get_data(as_text=True)  # served as it is…
    directives = _politique(response)
    assert "sandbox" in directives  # …but no script runs, and not as this site
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"
    autre = client.get(f"/{slug}/journal/")
    assert "sandbox" not in _politique(autre)
