"""Charts (``Rapport.graphiques``) in every renderer: a real Excel chart read back with
openpyxl, an inline SVG parsed as XML, a text curve in the terminal, the JSON contract
(round trip), and CSV leaving charts out.

The chart of the tests: four months, two series (the second with a gap), threshold
1 000 €; the low points are −250 € (« Pessimiste », mars) and 800 € (« Base », févr.).
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from communs_ledger.rapports.objets import Colonne, Graphique, Ligne, Partie, Rapport, Serie
from communs_ledger.rendu import Format, render
from communs_ledger.rendu.en_json import graphique as graphique_json
from communs_ledger.rendu.en_json import to_dict

D = Decimal
SVG = "{http://www.w3.org/2000/svg}"
MOIS = ("janv. 2026", "févr. 2026", "mars 2026", "avr. 2026")


SEUIL = D("1000")


def _chart(genre: str = "courbe", seuil: Decimal | None = SEUIL) -> Graphique:
    return Graphique(
        id="tresorerie",
        titre="Trésorerie en fin de mois",
        categories=MOIS,
        series=[
            Serie("Base", (D("1500.555"), D("800"), D("1200"), D("2500.10"))),
            Serie("Pessimiste", (D("1500.555"), None, D("-250"), D("300"))),
        ],
        genre=genre,
        seuil=seuil,
        seuil_libelle="Seuil d'alerte" if seuil is not None else "",
    )


def _rapport(*charts: Graphique) -> Rapport:
    colonnes = [Colonne(f"m{i}", mois) for i, mois in enumerate(MOIS)]
    partie = Partie(
        "plan_base",
        "Plan de trésorerie",
        colonnes,
        [Ligne("Trésorerie en fin de mois", {"m0": D("1500.555")}, id="solde_final")],
    )
    return Rapport(
        id="plan_de_tresorerie",
        titre="Plan de trésorerie",
        association="Les Potagers <& Cie>",
        parties=[partie],
        graphiques=list(charts),
    )


# --- XLSX --------------------------------------------------------------------------------------


def _workbook(rapport: Rapport, tmp_path: Path) -> openpyxl.Workbook:
    path = tmp_path / "graphique.xlsx"
    path.write_bytes(render(rapport, Format.xlsx))
    return openpyxl.load_workbook(path)


def test_xlsx_courbe_reelle(tmp_path: Path):
    workbook = _workbook(_rapport(_chart()), tmp_path)
    assert workbook.sheetnames == ["Plan de trésorerie", "Graphique", "Totaux"]
    sheet = workbook["Graphique"]
    (chart,) = sheet._charts
    assert chart.tagname == "lineChart"
    assert len(chart.series) == 3  # two scenarios and the threshold
    refs = [serie.val.numRef.f for serie in chart.series]
    header = next(row for row in range(1, 20) if sheet.cell(row=row, column=1).value == "Mois")
    first, last = header + 1, header + 4
    assert refs == [
        f"'Graphique'!$B${first}:$B${last}",
        f"'Graphique'!$C${first}:$C${last}",
        f"'Graphique'!$D${first}:$D${last}",
    ]
    assert [serie.tx.strRef.f for serie in chart.series] == [
        f"'Graphique'!B{header}",
        f"'Graphique'!C{header}",
        f"'Graphique'!D{header}",
    ]
    # the months (text cells) label the x axis of every series, the threshold's included
    assert {serie.cat.strRef.f for serie in chart.series} == {f"'Graphique'!$A${first}:$A${last}"}
    # the cells behind the references: rounded to the cent, real numbers; a gap stays empty
    cells = [
        [sheet.cell(row=r, column=c).value for c in range(1, 5)] for r in range(first, last + 1)
    ]
    assert cells == [
        ["janv. 2026", 1500.56, 1500.56, 1000.0],
        ["févr. 2026", 800.0, None, 1000.0],
        ["mars 2026", 1200.0, -250.0, 1000.0],
        ["avr. 2026", 2500.1, 300.0, 1000.0],
    ]
    assert [sheet.cell(row=header, column=c).value for c in range(1, 5)] == [
        "Mois",
        "Base",
        "Pessimiste",
        "Seuil d'alerte",
    ]
    assert sheet.cell(row=first, column=2).number_format.startswith("#,##0.00")
    threshold = chart.series[2].graphicalProperties.line
    assert threshold.prstDash == "dash" and threshold.solidFill.srgbClr == "C00000"
    assert chart.x_axis.delete is False and chart.y_axis.numFmt.formatCode == '#,##0 "€"'


def test_xlsx_barres_et_sans_seuil(tmp_path: Path):
    workbook = _workbook(_rapport(_chart("barres"), _chart(seuil=None)), tmp_path)
    assert workbook.sheetnames == ["Plan de trésorerie", "Graphique", "Graphique (2)", "Totaux"]
    (bars,) = workbook["Graphique"]._charts
    assert bars.tagname == "barChart" and len(bars.series) == 2
    (line,) = workbook["Graphique (2)"]._charts
    assert line.tagname == "lineChart" and len(line.series) == 2


def test_xlsx_sans_graphique_inchange(tmp_path: Path):
    assert _workbook(_rapport(), tmp_path).sheetnames == ["Plan de trésorerie", "Totaux"]


# --- HTML / SVG --------------------------------------------------------------------------------


def _svg(rapport: Rapport) -> tuple[str, ET.Element]:
    page = render(rapport, Format.html).decode("utf-8")
    match = re.search(r"<svg.*?</svg>", page, re.S)
    assert match is not None
    return page, ET.fromstring(match.group(0))  # valid XML on its own


def test_svg_valide_une_courbe_par_serie():
    page, svg = _svg(_rapport(_chart()))
    assert page.index("<svg") < page.index('<section class="partie"')  # the chart first
    paths = svg.findall(f".//{SVG}path")
    assert len(paths) == 2
    assert [p.get("data-serie") for p in paths] == ["Base", "Pessimiste"]
    assert json.loads(paths[0].get("data-valeurs")) == ["1500.56", "800.00", "1200.00", "2500.10"]
    assert json.loads(paths[1].get("data-valeurs")) == ["1500.56", None, "-250.00", "300.00"]
    # the gap lifts the pen: the second series is two sub-paths
    assert paths[1].get("d").count("M") == 2 and paths[0].get("d").count("M") == 1
    assert json.loads(svg.get("data-categories")) == list(MOIS)
    assert svg.get("data-seuil") == "1000.00" and svg.get("role") == "img"
    (threshold,) = [line for line in svg.iter(f"{SVG}line") if line.get("data-valeur")]
    assert threshold.get("stroke-dasharray") and threshold.get("data-valeur") == "1000.00"


def test_svg_accessible_et_en_francais():
    _page, svg = _svg(_rapport(_chart()))
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert title.text == "Trésorerie en fin de mois"
    assert "Pessimiste" in desc.text and "minimum -250,00\u00a0€ (mars 2026)" in desc.text
    labelled = svg.get("aria-labelledby").split()
    assert labelled == [title.get("id"), desc.get("id")]
    texts = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]
    assert "1\u202f000\u00a0€" in texts and "0\u00a0€" in texts  # French axis labels
    assert "Seuil d'alerte" in texts and "Base" in texts  # legend
    points = [c for c in svg.iter(f"{SVG}circle")]
    assert len(points) == 7  # one per known value
    below = [c.get("data-valeur") for c in points if "sous-seuil" in c.get("class")]
    assert below == ["800.00", "-250.00", "300.00"]
    tooltip = points[0].find(f"{SVG}title").text
    assert tooltip == "Base — janv. 2026 : 1\u202f500,56\u00a0€"


def test_svg_barres():
    _page, svg = _svg(_rapport(_chart("barres")))
    assert svg.findall(f".//{SVG}path") == []
    assert len(svg.findall(f".//{SVG}rect")) == 7


ORIGINES = (
    "Subventions et concours publics",
    "Financements privés (fondations, mécénat)",
    "Dons, legs et générosité du public",
    "Cotisations",
    "Ventes et prestations",
    "Autres produits (gestion courante, financiers, exceptionnels)",
    "Reprises, fonds dédiés utilisés et autres produits",
)


def test_svg_barres_etiquettes_longues_et_points_sur_leur_barre():
    """Seven long origins under seven pairs of columns (the rapport financier's « D'où
    viennent les produits »): each label is wrapped word by word to its column's width
    (652 px / 7 = 93 px, 15 characters of 6 px), the legend goes under the longest
    one; each point (its tooltip) sits on its own column, not between two."""
    chart = Graphique(
        "ressources",
        "D'où viennent les produits",
        ORIGINES,
        [Serie("Exercice 2025", tuple(D(v) for v in (117370, 7300, 3580, 2863, 33326, 306, 6753))),
         Serie("Exercice 2024", tuple(D(v) for v in (136957, 5000, 3210, 2535, 30242, 750, 0)))],
        genre="barres",
    )  # fmt: skip
    _page, svg = _svg(_rapport(chart))
    labels = svg.findall(f".//{SVG}g[@class='abscisses']/{SVG}text")
    lines = [[t.text for t in label.findall(f"{SVG}tspan")] for label in labels]
    assert lines[0] == ["Subventions et", "concours", "publics"]
    assert lines[3] == ["Cotisations"]
    assert lines[5] == ["Autres produits", "(gestion", "courante,", "financiers,", "exceptionnels)"]
    assert all(len(line) <= 15 for label in lines for line in label)
    assert [" ".join(label) for label in lines] == list(ORIGINES)
    # 5 lines from y = 264 + 16, 13 px apart: the last at 332, the legend 22 px under it
    legend_y = {float(t.get("y")) for t in svg.findall(f".//{SVG}g[@class='legende']/{SVG}text")}
    assert legend_y == {264 + 16 + 4 * 13 + 22}
    assert float(svg.get("height")) >= 264 + 16 + 4 * 13 + 22 + 22
    for trace in svg.findall(f".//{SVG}g[@class='trace']"):
        for rect, point in zip(
            trace.findall(f"{SVG}rect"), trace.findall(f"{SVG}circle"), strict=True
        ):
            left, width = float(rect.get("x")), float(rect.get("width"))
            assert abs(float(point.get("cx")) - (left + width / 2)) < 0.01


def test_html_sans_graphique_sans_svg():
    assert "<svg" not in render(_rapport(), Format.html).decode("utf-8")


def test_svg_texte_echappe():
    chart = _chart()
    chart.series[0] = Serie('<script>"x"</script>', chart.series[0].valeurs)
    page, svg = _svg(_rapport(chart))
    assert "<script>" not in page
    assert svg.findall(f".//{SVG}path")[0].get("data-serie") == '<script>"x"</script>'


# --- Terminal ----------------------------------------------------------------------------------


def test_terminal_courbe_et_point_bas():
    text = render(_rapport(_chart()), Format.table, largeur=120).decode("utf-8")
    plain = text.replace("\u202f", " ").replace("\u00a0", " ")
    assert "Trésorerie en fin de mois (€)" in plain
    assert "Pessimiste — point bas : -250,00 € (mars 2026)" in plain
    assert "Base — point bas : 800,00 € (févr. 2026)" in plain
    assert "sous le seuil : févr. 2026" in plain
    rows = [line for line in plain.splitlines() if line.startswith(MOIS)]
    assert len(rows) == 4
    assert "█" in rows[0] and "!" not in rows[0]  # above the threshold
    assert rows[2].count("!") == 1  # mars: « Pessimiste » below, « Base » above
    assert "┆" in rows[2]  # the threshold's mark beyond a short bar
    assert all(len(line) <= 120 for line in plain.splitlines())


def test_terminal_sans_seuil_ni_couleur():
    text = render(_rapport(_chart(seuil=None)), Format.table, largeur=80).decode("utf-8")
    assert "point bas" in text and "seuil" not in text.lower().replace("seuil_", "")
    assert "\x1b[" not in text
    colour = render(_rapport(_chart()), Format.table, largeur=80, couleur=True).decode("utf-8")
    assert "\x1b[" in colour


# --- JSON, CSV ---------------------------------------------------------------------------------


def test_json_graphiques():
    data = to_dict(_rapport(_chart()))
    assert list(data)[-1] == "graphiques"
    assert data["graphiques"] == [
        {
            "id": "tresorerie",
            "titre": "Trésorerie en fin de mois",
            "genre": "courbe",
            "unite": "€",
            "categories": list(MOIS),
            "series": [
                {"nom": "Base", "valeurs": ["1500.56", "800.00", "1200.00", "2500.10"]},
                {"nom": "Pessimiste", "valeurs": ["1500.56", None, "-250.00", "300.00"]},
            ],
            "seuil": "1000.00",
            "seuil_libelle": "Seuil d'alerte",
        }
    ]
    assert "graphiques" not in to_dict(_rapport())  # other reports keep their keys


def _depuis_json(data: dict) -> Graphique:
    return Graphique(
        id=data["id"],
        titre=data["titre"],
        categories=tuple(data["categories"]),
        series=[
            Serie(s["nom"], tuple(None if v is None else D(v) for v in s["valeurs"]))
            for s in data["series"]
        ],
        genre=data["genre"],
        unite=data["unite"],
        seuil=None if data["seuil"] is None else D(data["seuil"]),
        seuil_libelle=data["seuil_libelle"],
    )


_CENTS = st.one_of(st.none(), st.integers(-(10**12), 10**12).map(lambda c: D(c) / 100))


@settings(max_examples=50, deadline=None)
@given(
    series=st.lists(
        st.tuples(st.text(min_size=1, max_size=20), st.lists(_CENTS, min_size=3, max_size=3)),
        min_size=1,
        max_size=4,
    ),
    seuil=_CENTS,
)
def test_json_aller_retour(series, seuil):
    chart = Graphique(
        "g",
        "Titre « ok »",
        ("a", "b", "c"),
        [Serie(nom, tuple(valeurs)) for nom, valeurs in series],
        seuil=seuil,
    )
    text = render(_rapport(chart), Format.json).decode("utf-8")
    (parsed,) = json.loads(text)["graphiques"]
    back = _depuis_json(parsed)
    assert back == chart  # values already at the cent: nothing lost
    assert graphique_json(back) == parsed


def test_csv_ignore_les_graphiques():
    with_chart = render(_rapport(_chart()), Format.csv).decode("utf-8")
    assert with_chart == render(_rapport(), Format.csv).decode("utf-8")
    assert len(list(csv.reader(io.StringIO(with_chart)))) == 2


@pytest.mark.parametrize("format", list(Format))
def test_un_graphique_vide_ne_casse_aucun_rendu(format: Format):
    empty = Graphique("vide", "Vide", (), [])
    assert render(_rapport(empty), format)
    flat = Graphique("plat", "Plat", ("a",), [Serie("x", (D(0),))], seuil=D(0))
    assert render(_rapport(flat), format)
