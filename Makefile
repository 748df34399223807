# The quick start, as make targets. Each target sets up .venv first (once, and again when
# pyproject.toml changes), so on a fresh machine one command is enough.
#   make lab        set up, then open JupyterLab on notebooks/00-start-here.ipynb
#   make test       set up, then run every test (unit, packaging, notebooks)
#   make notebooks  re-execute every notebook in place, so stored outputs match the content

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-from-pyproject
# JupyterLab refuses to run as root unless told to; containers and CI often are root.
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: lab test notebooks clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "ivig-teaching needs Python 3.11 or newer; '$(PYTHON)' is older. Try: make PYTHON=python3.11 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[lab,test]'
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) --ServerApp.root_dir=. notebooks/00-start-here.ipynb

test: $(STAMP)
	$(BIN)/python -m pytest

notebooks: $(STAMP)
	$(BIN)/python scripts/refresh_notebooks.py notebooks/*.ipynb

clean:
	rm -rf $(VENV) build dist *.egg-info
