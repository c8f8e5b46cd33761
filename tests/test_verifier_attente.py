"""``communs verifier`` warns (never an error) about imported entries still waiting on
the suspense account 471 (flag ``!`` or ``a_revoir``, docs/importation.md): how many,
their total in French, the ``file:line`` of the first ones, what to do. The results
cache keeps the warning and computes it again once an entry is reviewed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from communs_ledger.chargement import loads_recorded
from conftest import BANQUE, COTISATIONS, FONDS, FOURNITURES, run_communs, write_ledger

ATTENTE = "Actif:47-Attente:471-Compte-d-attente"

# header is 6 lines: the body starts at line 7
OUVERTURES = f"""\
2026-01-01 open {BANQUE} EUR
2026-01-01 open {FONDS}
2026-01-01 open {FOURNITURES}
2026-01-01 open {COTISATIONS}
2026-01-01 open {ATTENTE}

2026-01-05 * "Apport" "Apport des fondateurs"
  {BANQUE}  1000.00 EUR
  {FONDS}
"""


def _en_attente(jour: int, libelle: str, montant: str) -> str:
    """An entry as ``communs importer`` writes it for an unknown operation (4 lines + a
    blank one); ``montant`` is the bank's movement."""
    return f"""
2026-11-{jour:02d} ! "{libelle}"
  a_revoir: "aucune règle"
  {BANQUE}  {montant} EUR
  {ATTENTE}
"""


# lines: the entries of _en_attente start at 17 and 22 (OUVERTURES: lines 7 to 15)
CORPS = (
    OUVERTURES
    + _en_attente(24, "REMISE CHEQUE N 4521079", "150.00")  # 471 credited 150.00
    + _en_attente(25, "CB AMAZON EU SARL", "-34.90")  # 471 debited 34.90
    + f"""
2026-11-26 * "Cotisation" "Entrée revue : plus au compte d'attente"
  {BANQUE}  20.00 EUR
  {COTISATIONS}

2026-11-27 ! "Doublon possible" "Marqué ! mais sur son compte : pas en attente"
  a_revoir: "même montant que 2026-11-26"
  {BANQUE}  20.00 EUR
  {COTISATIONS}
"""
)
CONSEIL = (
    "remplacez le compte d'attente par le bon compte, puis retirez le « ! » et la ligne a_revoir"
)


def test_avertissement_nombre_total_et_lieux(tmp_path: Path) -> None:
    """Two entries on 471: 150,00 + 34,90 = 184,90 € of operations to review."""
    main = write_ledger(tmp_path / "asso", CORPS)
    done = run_communs("verifier", str(main), "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr  # a warning, not an error
    resultat = json.loads(done.stdout)
    assert resultat["nombre_erreurs"] == 0
    [avertissement] = resultat["avertissements"]
    assert (avertissement["fichier"], avertissement["ligne"]) == (str(main), 17)
    message = avertissement["message"]
    assert message.startswith(
        "2 écritures importées attendent d'être revues au compte d'attente 471 "
        f"(184,90\u00a0€ au total) : {main}:17, {main}:22 ; pour chacune, {CONSEIL}"
    )
    assert "Revoir les opérations du compte d'attente" in message

    texte = run_communs("verifier", str(main))
    assert texte.returncode == 0
    assert "Avertissements :" in texte.stdout
    assert f"{main}:17: 2 écritures importées attendent" in texte.stdout
    assert "Aucune erreur, 1 avertissement :" in texte.stdout + texte.stderr


def test_une_seule_et_les_premieres_seulement(tmp_path: Path) -> None:
    """One entry: the singular. Seven entries of 10,00 €: 70,00 €, five places named."""
    main = write_ledger(tmp_path / "une", OUVERTURES + _en_attente(3, "VIR X", "-12.50"))
    [seul] = json.loads(run_communs("verifier", str(main), "--format", "json").stdout)[
        "avertissements"
    ]
    assert seul["message"].startswith(
        "1 écriture importée attend d'être revue au compte d'attente 471 "
        f"(12,50\u00a0€ au total) : {main}:17 ; pour elle, {CONSEIL}"
    )

    sept = OUVERTURES + "".join(_en_attente(j, f"OP {j}", "10.00") for j in range(1, 8))
    main = write_ledger(tmp_path / "sept", sept)
    [avertissement] = json.loads(run_communs("verifier", str(main), "--format", "json").stdout)[
        "avertissements"
    ]
    lieux = ", ".join(f"{main}:{17 + 5 * i}" for i in range(5))
    assert avertissement["message"].startswith(
        f"7 écritures importées attendent d'être revues au compte d'attente 471 "
        f"(70,00\u00a0€ au total) : {lieux} … et 2 autres ; pour chacune"
    )


def test_compte_d_attente_de_communs_yaml(tmp_path: Path) -> None:
    """``importation: compte_attente`` names another account: 471 is then not looked at."""
    autre = "Actif:47-Attente:472-Operations-a-classer"
    corps = OUVERTURES.replace(ATTENTE, f"{ATTENTE}\n2026-01-01 open {autre}") + _en_attente(
        3, "VIR X", "-12.50"
    ).replace(ATTENTE, autre)
    main = write_ledger(tmp_path / "asso", corps, config="importation:\n  compte_attente: '472'\n")
    [avertissement] = json.loads(run_communs("verifier", str(main), "--format", "json").stdout)[
        "avertissements"
    ]
    assert "au compte d'attente 472 (12,50\u00a0€ au total)" in avertissement["message"]
    main.parent.joinpath("communs.yaml").write_text("importation:\n  compte_attente: '471'\n")
    resultat = json.loads(run_communs("verifier", str(main), "--format", "json").stdout)
    assert resultat["avertissements"] == []


@pytest.fixture(autouse=True)
def _cache_a_soi(tmp_path_factory: pytest.TempPathFactory, monkeypatch: Any) -> None:
    monkeypatch.setenv("COMMUNS_CACHE", str(tmp_path_factory.mktemp("cache-communs")))


def test_cache_garde_l_avertissement_puis_le_retire(
    tmp_path: Path, communs: Callable[..., Any]
) -> None:
    """Second run: a hit (no load) with the same warning; once the two entries are
    reviewed (moved to 6064 and 756), the next run loads again and has no warning."""
    main = write_ledger(tmp_path / "asso", CORPS)
    sorties = []
    for _ in range(2):
        with loads_recorded() as loads:
            result = communs("verifier", str(main))
        sorties.append((result.exit_code, result.output, len(loads)))
    assert [charges for *_, charges in sorties] == [1, 0]
    assert sorties[0][:2] == sorties[1][:2]
    assert "2 écritures importées attendent" in sorties[0][1]

    texte = main.read_text(encoding="utf-8")
    texte = texte.replace('  a_revoir: "aucune règle"\n', "").replace("11-24 !", "11-24 *")
    texte = texte.replace("11-25 !", "11-25 *")
    texte = texte.replace(
        f'CHEQUE N 4521079"\n  {BANQUE}  150.00 EUR\n  {ATTENTE}',
        (f'CHEQUE N 4521079"\n  {BANQUE}  150.00 EUR\n  {COTISATIONS}'),
    )
    texte = texte.replace(
        f'AMAZON EU SARL"\n  {BANQUE}  -34.90 EUR\n  {ATTENTE}',
        (f'AMAZON EU SARL"\n  {BANQUE}  -34.90 EUR\n  {FOURNITURES}'),
    )
    assert ATTENTE not in texte.split(f"open {ATTENTE}")[1]
    main.write_text(texte, encoding="utf-8")
    with loads_recorded() as loads:
        result = communs("verifier", str(main))
    assert len(loads) == 1
    assert result.exit_code == 0
    assert "attendent" not in result.output
    assert "Aucune erreur :" in result.output
