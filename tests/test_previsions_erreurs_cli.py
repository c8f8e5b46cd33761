"""Bad forecast input, end to end through the command line (issue 5, « Bad input »): dates
outside any exercice, a post ending before it starts, instalments that do not add up to
the convention, an unknown scenario, an unwritable output. Each gives a French error
naming the file and line, exit code 1, no file written, no traceback (the ``communs``
fixture and :func:`run_communs` check the latter).

The loaders' own messages are tested file by file in ``test_previsions_paie``,
``test_conventions_fichier`` and ``test_previsions_entrees``; here the same mistakes go
through the real YAML files of :mod:`test_tresorerie_calcule_a_la_main` and every
command that reads them (``tresorerie``, ``prevision atterrissage|pluriannuelle|ecrire``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import one_line, run_communs
from test_cli_etats import dossier_en_lecture_seule
from test_tresorerie_calcule_a_la_main import (
    CONVENTIONS,
    FLUX,
    PAIE,
    SCENARIOS,
    write_association,
)

COMMANDES = (
    ("tresorerie",),
    ("prevision", "atterrissage"),
    ("prevision", "pluriannuelle"),
)


def _texte(output: str) -> str:
    """One line, with ordinary spaces (French numbers use narrow no-break spaces)."""
    return one_line(output.replace("\u202f", " ").replace("\u00a0", " "))


def _remplacer(folder: Path, relative: str, original: str, old: str, new: str) -> None:
    assert original.count(old) == 1, old
    (folder / relative).write_text(original.replace(old, new), encoding="utf-8")


def _refuse_partout(
    communs: Callable[..., Any], ledger: Path, attendu: str, *, sortie: str = "p.beancount"
) -> None:
    """Every command refuses with ``attendu`` (file:line: message), exit 1, writes nothing."""
    folder = ledger.parent
    before = _noms(folder)
    for commande in COMMANDES:
        result = communs(*commande, "-f", str(ledger))
        assert result.exit_code == 1, (commande, result.output)
        assert attendu in _texte(result.output), (commande, result.output)
    target = folder / sortie
    result = communs("prevision", "ecrire", str(target), "-f", str(ledger))
    assert result.exit_code == 1, result.output
    assert attendu in _texte(result.output)
    assert not target.exists()
    assert _noms(folder) == before


def _noms(folder: Path) -> list[str]:
    """The folder's names, without Beancount's pickle cache (written by any load slower than
    the cache threshold, e.g. on a busy machine: not a write of the command)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".picklecache"))


@pytest.fixture
def association(tmp_path: Path) -> Path:
    return write_association(tmp_path / "asso")


def test_les_fichiers_valides_passent(communs: Callable[..., Any], association: Path) -> None:
    for commande in COMMANDES:
        assert communs(*commande, "-f", str(association)).exit_code == 0, commande


# --- A post ending before it starts -----------------------------------------------------------


def test_poste_finissant_avant_de_commencer(communs: Callable[..., Any], association: Path) -> None:
    folder = association.parent
    _remplacer(
        folder,
        "previsions/paie.yaml",
        PAIE,
        "    debut: 2025-09-01\n",
        "    debut: 2025-09-01\n    fin: 2025-08-31\n",
    )
    _refuse_partout(
        communs,
        association,
        "previsions/paie.yaml:10: poste « animatrice » : la fin (2025-08-31) précède le "
        "début (2025-09-01)",
    )


def test_scenario_qui_fait_finir_un_poste_avant_son_debut(
    communs: Callable[..., Any], association: Path
) -> None:
    folder = association.parent
    _remplacer(
        folder,
        "previsions/scenarios.yaml",
        SCENARIOS,
        "    libelle: Sans surcharge\n",
        "    libelle: Sans surcharge\n    postes:\n      animatrice: {fin: 2024-12-31}\n",
    )
    _refuse_partout(
        communs,
        association,
        "previsions/scenarios.yaml:9: poste « animatrice » : la fin (2024-12-31) précède le "
        "début (2025-09-01)",
    )


# --- Instalments that do not add up ------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "attendu"),
    [
        (
            "30",
            "conventions.yaml:12: les versements totalisent 27 000,00 € au lieu du montant de "
            "la convention (30 000,00 €) : complétez-les, ou indiquez « solde_a_definir: true »",
        ),
        (
            "50",
            "conventions.yaml:12: les versements totalisent 33 000,00 €, plus que le montant de "
            "la convention (30 000,00 €)",
        ),
    ],
)
def test_versements_qui_ne_font_pas_le_montant(
    communs: Callable[..., Any], association: Path, part: str, attendu: str
) -> None:
    _remplacer(association.parent, "conventions.yaml", CONVENTIONS, "part: 40", f"part: {part}")
    _refuse_partout(communs, association, attendu)


# --- Dates outside any exercice -------------------------------------------------------------------

HORS = (
    "le 31 décembre 9999 n'appartient à aucun exercice (date au-delà du calendrier des exercices)"
)


@pytest.mark.parametrize(
    ("relative", "original", "old", "new", "attendu"),
    [
        (
            "previsions/paie.yaml",
            PAIE,
            "    debut: 2025-09-01\n",
            "    debut: 2025-09-01\n    fin: 9999-12-31\n",
            f"previsions/paie.yaml:10: poste « animatrice », fin : {HORS}",
        ),
        (
            "previsions/paie.yaml",
            PAIE,
            "        fin: 2026-06-15",
            "        fin: 9999-12-31",
            f"previsions/paie.yaml:18: poste « animatrice », fin : {HORS}",
        ),
        (
            "previsions/flux.yaml",
            FLUX,
            "    debut: 2025-01-05\n",
            "    debut: 2025-01-05\n    fin: 9999-12-31\n",
            f"previsions/flux.yaml:9: fin : {HORS}",
        ),
        (
            "conventions.yaml",
            CONVENTIONS,
            "    fin: 2026-12-31",
            "    fin: 9999-12-31",
            f"conventions.yaml:8: fin : {HORS}",
        ),
        (
            "conventions.yaml",
            CONVENTIONS,
            "        date: 2026-05-15",
            "        date: 9999-12-31",
            f"conventions.yaml:15: date : {HORS}",
        ),
    ],
)
def test_dates_hors_de_tout_exercice(
    communs: Callable[..., Any],
    association: Path,
    relative: str,
    original: str,
    old: str,
    new: str,
    attendu: str,
) -> None:
    """A date the calendar of exercices cannot hold: its exercice would close after
    31 December 9999 (it used to hang the loaders, the calendar looking for a day of the
    year 10000 forever)."""
    _remplacer(association.parent, relative, original, old, new)
    _refuse_partout(communs, association, attendu)


def test_plan_au_dela_du_calendrier(communs: Callable[..., Any], association: Path) -> None:
    result = communs("tresorerie", "-f", str(association), "--depuis", "9998-06-01")
    assert result.exit_code == 1
    # A ledger with entries: the plan may start at most 60 months after the last one.
    assert "--depuis 9998-06-01 : le plan doit commencer au plus 60 mois après" in _texte(
        result.output
    )


def test_retard_au_dela_du_calendrier(communs: Callable[..., Any], association: Path) -> None:
    _remplacer(
        association.parent,
        "previsions/scenarios.yaml",
        SCENARIOS,
        "retard_mois: 4",
        "retard_mois: 100000",
    )
    _refuse_partout(
        communs,
        association,
        "previsions/scenarios.yaml:5: retard hors du calendrier : une date attendue dépasse "
        "l'an 9999",
    )


# --- Unknown scenario --------------------------------------------------------------------------


def test_scenario_demande_inconnu(communs: Callable[..., Any], association: Path) -> None:
    result = communs("tresorerie", "-f", str(association), "--scenario", "base,noir")
    assert result.exit_code == 1
    assert "scénario « noir » inconnu : scénarios connus : base, identique, retard" in _texte(
        result.output
    )
    for commande in (("prevision", "atterrissage"), ("prevision", "pluriannuelle")):
        result = communs(*commande, "-f", str(association), "-s", "noir")
        assert result.exit_code == 1, commande
        assert "scénario « noir » inconnu : scénarios déclarés : base, identique, retard" in (
            _texte(result.output)
        )
    target = association.parent / "previsions.beancount"
    result = communs("prevision", "ecrire", str(target), "-f", str(association), "-s", "noir")
    assert result.exit_code == 1
    assert "scénario « noir » inconnu" in _texte(result.output)
    assert not target.exists()
    done = run_communs("tresorerie", "-f", str(association), "-s", "noir")
    assert done.returncode == 1 and "scénarios connus" in _texte(done.stderr)


def test_scenario_qui_nomme_une_convention_inconnue(
    communs: Callable[..., Any], association: Path
) -> None:
    _remplacer(
        association.parent,
        "previsions/scenarios.yaml",
        SCENARIOS,
        "    libelle: Sans surcharge\n",
        "    libelle: Sans surcharge\n    conventions: {INCONNUE: {retard_mois: 1}}\n",
    )
    _refuse_partout(
        communs,
        association,
        "previsions/scenarios.yaml:8: convention « INCONNUE » inconnue (connues : ETAT-2026)",
    )


# --- Unwritable output ------------------------------------------------------------------------


def test_sortie_non_inscriptible(communs: Callable[..., Any], association: Path) -> None:
    with dossier_en_lecture_seule(association.parent / "protege") as protege:
        for commande, name in (
            (("tresorerie",), "plan.xlsx"),
            (("prevision", "atterrissage"), "atterrissage.json"),
            (("prevision", "pluriannuelle"), "pluriannuelle.html"),
        ):
            sortie = protege / name
            result = communs(*commande, "-f", str(association), "--sortie", str(sortie))
            assert result.exit_code == 1, commande
            assert f"impossible d'écrire {sortie}" in _texte(result.output), commande
        assert list(protege.iterdir()) == []
    # a folder as --sortie is refused when the options are read: a usage error (exit 2)
    dossier = association.parent / "previsions"
    result = communs("tresorerie", "-f", str(association), "--sortie", str(dossier))
    assert result.exit_code == 2
    assert "valeur invalide pour '--sortie'" in _texte(result.output)
