"""The Fava extension of communs-ledger: French pages for the board in Fava's sidebar.

Declared in the ledger with::

    2024-01-01 custom "fava-extension" "communs_ledger.fava_ext"

Fava imports this module when it serves the ledger (``bean-check`` and the
``communs`` command never do) and registers every page class found here:

- « Tableau de bord » (:class:`TableauDeBord`): résultat and budget à date, projected
  result, cash and forecast low point, fonds propres, diagnostic ratios, warnings,
  upcoming subsidy instalments;
- « Compte de résultat » (:class:`CompteDeResultat`) and « Bilan » (:class:`Bilan`),
  N and N-1, exercice selector, drill-down to Fava's account pages;
- « Budget vs réalisé » (:class:`BudgetVsRealise`), by chapter and project, with
  Fava's charts and a version selector;
- « Trésorerie » (:class:`Tresorerie`): the plan de trésorerie and the chart of
  actual and forecast cash, scenario selector;
- « Comptes annuels » (:class:`ComptesAnnuels`): bilan, compte de résultat and annexe
  of ``communs comptes-annuels``, with its PDF and XLSX;
- « Rapport financier » (:class:`RapportDuTresorier`): the treasurer's report of
  ``communs rapport-financier``, its charts and comments, with its PDF and XLSX;
- « Comparaison avec le réseau » (:class:`ComparaisonReseau`): quartiles of the
  network's peers and the association's position, per shared indicator;
- « Dons et adhésions » (:class:`DonsEtAdhesions`): gifts by month, donor and band,
  receipts issued and cancelled, declaration figures, members' fees (no address);
- « Ressources et financeurs » (:class:`Ressources`): the socio-economic model of
  ``communs ressources`` (origins, funders, concentration, trends, chart).

Every figure comes from the report engine, as in the CLI; the pages only read
(each page's ``donnees`` endpoint gives its data as the CLI's JSON).
"""

from __future__ import annotations

from .bilan import Bilan
from .budget import BudgetVsRealise
from .compte_de_resultat import CompteDeResultat
from .comptes_annuels import ComptesAnnuels
from .dons import DonsEtAdhesions
from .rapport_financier import RapportDuTresorier
from .reseau import ComparaisonReseau
from .ressources import Ressources
from .tableau_de_bord import TableauDeBord
from .tresorerie import Tresorerie

__all__ = [
    "Bilan",
    "BudgetVsRealise",
    "ComparaisonReseau",
    "CompteDeResultat",
    "ComptesAnnuels",
    "DonsEtAdhesions",
    "RapportDuTresorier",
    "Ressources",
    "TableauDeBord",
    "Tresorerie",
]
