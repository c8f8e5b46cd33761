"""Terminal renderer (rich): French figures, one table per part, no markup injection."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console
from rich.measure import Measurement

from communs_ledger.rapports.objets import Genre
from communs_ledger.rendu import Format, render
from communs_ledger.rendu.en_terminal import _table, afficher
from communs_ledger.rendu.valeurs import francais
from test_rendu_exemples import (
    ASSOCIATION,
    BALISES,
    SCRIPT,
    bilan,
    compte_de_resultat,
    diagnostic,
    grand_livre,
    tous,
)

ESC = "\x1b["
NNBSP = "\u202f"


def _texte(rapport, **options) -> str:
    return render(rapport, Format.table, **options).decode("utf-8")


def _ligne(text: str, debut: str) -> str:
    """First line starting (after indentation and colour codes) with ``debut``."""
    return next(line for line in text.splitlines() if _sans_couleur(line).strip().startswith(debut))


def _sans_couleur(line: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", line)


def _mots(line: str) -> list[str]:
    """Words split on ASCII spaces only (figures keep their thin and no-break spaces)."""
    return [word for word in line.split(" ") if word]


def test_chiffres_a_la_francaise():
    text = _texte(compte_de_resultat())
    assert ESC not in text  # no colour unless asked
    assert _mots(_ligne(text, "Cotisations")) == [
        "Cotisations",
        f"1{NNBSP}234,56",
        f"1{NNBSP}100,00",
    ]
    assert f"45{NNBSP}000,01" in _ligne(text, "Subventions")
    assert _mots(_ligne(text, "Résultat financier"))[-2:] == ["-12,01", "0,00"]
    assert _mots(_ligne(text, "Résultat de l'exercice"))[-2:] == [
        f"3{NNBSP}722,06",
        f"2{NNBSP}800,00",
    ]
    assert "montants en euros" in text
    assert "€" not in text


def test_en_tete_parties_notes_et_avertissements():
    text = _texte(compte_de_resultat())
    lines = text.splitlines()
    assert lines[0] == ASSOCIATION
    assert lines[1] == "Compte de résultat"
    assert lines[2].startswith("Modèle ANC 2018-06 — Exercice 2025 — du 1er janvier 2025")
    assert "• Modèle du règlement ANC 2018-06." in text
    assert "Avertissements" in text and "• 2 écritures sans pièce justificative." in text
    bilan_text = _texte(bilan())
    titles = [line.strip() for line in bilan_text.splitlines()]
    assert "Actif" in titles and "Passif" in titles
    assert titles.index("Actif") < titles.index("Passif")


def test_total_sous_un_trait_et_indentation():
    lines = _texte(compte_de_resultat()).splitlines()
    total = next(i for i, line in enumerate(lines) if line.startswith("Résultat de l'exercice"))
    assert set(lines[total - 1]) == {"─"}
    assert set(lines[total - 2]) != {"─"}
    assert _ligne("\n".join(lines), "Cotisations").startswith("  Cotisations")
    assert _ligne("\n".join(lines), "dont").startswith("    dont subventions")
    assert _ligne("\n".join(lines), "Salaires").startswith("Salaires")


def test_chiffres_alignes_a_droite_et_jamais_coupes():
    text = _texte(bilan(), largeur=60)
    line = _ligne(text, "Disponibilités")
    assert _mots(line)[-3:] == [f"25{NNBSP}000,40", f"25{NNBSP}000,40", f"20{NNBSP}000,00"]
    assert "Net 2024" in text  # the table is printed whole, wider than asked
    large = _texte(compte_de_resultat(), largeur=120)
    cotisations = _ligne(large, "Cotisations")
    resultat = _ligne(large, "Résultat de l'exercice")
    assert len(cotisations) == len(resultat)  # right-aligned figures end together


def test_statuts_avec_symbole_et_texte():
    text = _texte(diagnostic())
    assert _mots(_ligne(text, "Taux d'autofinancement"))[-4:] == [
        "12,5\u00a0%",
        "10,0\u00a0%",
        "✓",
        "ok",
    ]
    assert "! à surveiller" in _ligne(text, "Trésorerie")
    assert "✗ alerte" in _ligne(text, "Dépendance")
    assert "-3,1\u00a0%" in _ligne(text, "Variation")
    assert "2,4" in _ligne(text, "Trésorerie")  # nombre: one decimal
    assert " 12 " in _ligne(text, "Trésorerie") + " "


def test_couleurs_sur_demande():
    text = _texte(compte_de_resultat(), couleur=True)
    assert ESC in text
    assert re.search(r"\x1b\[[0-9;]*31m *-12,01", _ligne(text, "Résultat financier"))  # red
    assert _ligne(text, "Résultat de l'exercice").startswith("\x1b[1m")  # total in bold
    assert "\x1b[2;3m" in _ligne(text, "dont subventions")  # dim italic
    statut = _texte(diagnostic(), couleur=True)
    assert "\x1b[32m✓ ok" in statut  # green
    assert "\x1b[1;31m✗ alerte" in statut  # red
    assert _sans_couleur(text) == _texte(compte_de_resultat())


def test_le_texte_n_est_pas_du_balisage_rich():
    text = _texte(grand_livre())
    assert BALISES in text
    assert SCRIPT in text
    assert "15/01/2025" in text


def test_afficher_sur_une_console_existante():
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system=None)
    afficher(compte_de_resultat(), console)
    assert buffer.getvalue() == _texte(compte_de_resultat())


@pytest.mark.parametrize("rapport", tous(), ids=lambda r: r.id)
@pytest.mark.parametrize("largeur", [30, 60, 100])
def test_aucun_chiffre_coupe_meme_etroit(rapport, largeur):
    text = _texte(rapport, largeur=largeur)
    for partie in rapport.parties:
        for ligne in partie.lignes:
            for colonne in partie.colonnes:
                value = ligne.valeurs.get(colonne.id)
                if value is None or colonne.genre in (Genre.TEXTE,) or ligne.style == "titre":
                    continue
                shown = francais(value, colonne.genre, euro=False)
                assert shown in text, (ligne.libelle, colonne.id, shown)


@pytest.mark.parametrize("rapport", tous(), ids=lambda r: r.id)
def test_largeur_minimale_estimee_suffisante(rapport):
    console = Console(file=io.StringIO(), width=100, color_system=None)
    wide = console.options.update_width(10_000)
    for partie in rapport.parties:
        tableau = _table(partie)
        assert tableau.minimum >= Measurement.get(console, wide, tableau.table).minimum


def test_textes_courts_sur_une_ligne():
    """A short text cell (« à jour », ≤ 20 characters) is never wrapped, a long one wraps
    at word boundaries without being cut."""
    from communs_ledger.rapports.objets import Colonne, Ligne, Partie, Rapport

    long_text = "Préfecture de l'Essonne (contrat de ville)"
    partie = Partie(
        "conventions",
        "Conventions",
        [Colonne("financeur", "Financeur", Genre.TEXTE), Colonne("etat", "État", Genre.TEXTE)],
        [
            Ligne("PDV", {"financeur": long_text, "etat": "à jour"}),
            Ligne("FDVA", {"financeur": "DDETS", "etat": "versement en retard"}),
        ],
    )
    rapport = Rapport(id="essai", titre="Essai", association=ASSOCIATION, parties=[partie])
    text = _texte(rapport, largeur=60)
    assert "à jour" in _ligne(text, "PDV")
    assert "versement en retard" in _ligne(text, "FDVA")
    words = " ".join(_sans_couleur(line) for line in text.splitlines()).split()
    assert all(word in words for word in long_text.split())  # wrapped, never cut


# Escape sequences a label, a narration or a name from the ledger could carry: clear the
# screen, set the window title (OSC ended by BEL), a C1 CSI, a carriage return that would
# rewrite the line, a backspace.
PIEGES = "\x1b[2J\x1b]0;pirate\x07\x9b31m\r\b"


def test_aucune_sequence_de_controle_du_grand_livre_n_atteint_le_terminal():
    from communs_ledger.rapports.objets import Colonne, Ligne, Partie, Rapport

    partie = Partie(
        "mouvements",
        f"Mouvements{PIEGES}",
        [Colonne("libelle", f"Libellé{PIEGES}", Genre.TEXTE)],
        [Ligne(f"Don{PIEGES} Durand", {"libelle": f"Virement{PIEGES} reçu"}, code="754")],
        notes=[f"Note{PIEGES} de partie"],
    )
    rapport = Rapport(
        id="essai",
        titre=f"Essai{PIEGES}",
        association=f"Les Ateliers{PIEGES}",
        parties=[partie],
        notes=[f"Note{PIEGES} du rapport"],
        avertissements=[f"main.beancount:3 : libellé{PIEGES} douteux"],
    )
    for couleur in (False, True):
        text = _texte(rapport, couleur=couleur)
        # the words stay, the control sequences are gone (only our own colour codes remain)
        for mot in ("Les Ateliers", "Essai", "Mouvements", "Durand", "reçu", "de partie"):
            assert mot in _sans_couleur(text)
        assert "pirate" not in text
        assert not re.search(r"\x1b\[2J|\x1b\]|[\x07\x08\r\x9b]", text)
        assert "\x1b" not in _sans_couleur(text)
