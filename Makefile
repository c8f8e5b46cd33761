# communs-ledger — démarrage en deux commandes : `make demo` et `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXEMPLE := examples/association/main.beancount
STAMP := $(VENV)/.installe

.PHONY: demo test test-rapide bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## make demo : installe, vérifie et présente l'association d'exemple, puis la sert dans Fava
demo: $(STAMP)
	$(BIN)/communs verifier $(EXEMPLE)
	$(BIN)/communs resultat -f $(EXEMPLE) --exercice 2025
	$(BIN)/communs bilan -f $(EXEMPLE) --exercice 2025
	$(BIN)/communs diagnostic -f $(EXEMPLE) --exercice 2025
	$(BIN)/communs ressources -f $(EXEMPLE) --exercice 2025
	$(BIN)/communs rapport-financier -f $(EXEMPLE) --exercice 2025
	$(BIN)/communs budget -f $(EXEMPLE) --exercice 2026
	$(BIN)/communs tresorerie -f $(EXEMPLE) --scenario base,pessimiste
	$(BIN)/communs subventions -f $(EXEMPLE)
	$(BIN)/communs reseau comparer modeles/reseau-exemple -f $(EXEMPLE) --exercice 2025
	@echo "Fava et les pages du conseil d'administration (Ctrl+C pour arrêter) :"
	$(BIN)/communs fava $(EXEMPLE)

## make test : installe avec les dépendances de développement et lance la suite
test: $(STAMP)
	$(BIN)/ruff check src plugins tests benchmarks
	$(BIN)/python -m pytest -q

## make test-rapide : la suite sans les tests lents (navigateur, tableur, installation d'une
## roue…) sur tous les cœurs, en une minute environ ; `make test` reste la référence
test-rapide: $(STAMP)
	$(BIN)/python -m pytest -q -n auto -m "not lent and not navigateur and not tableur"

## make bench : mesures de performance (ratios mesurés côte à côte)
bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

## make lint : ruff (règles, complexité, mise en forme) et mypy --strict sur le cœur
lint: $(STAMP)
	$(BIN)/ruff check src plugins tests benchmarks
	$(BIN)/ruff format --check src plugins tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist .pytest_cache
