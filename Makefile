# The quick start, as make targets. Each target sets up .venv first (once, and again when
# pyproject.toml changes), so on a fresh machine one command is enough.
#   make lab        set up, then open JupyterLab on notebooks/00-start-here.ipynb
#   make test       set up, then run every test (unit, widgets, notebooks, Voila, real browser, JupyterHub)
#   make screenshots  the README's screenshots of the explorer and the quiz (docs/screenshots/)
#   make notebooks  re-execute every notebook in place, so stored outputs match the content, and rewrite the
#                   answer key and review sheet in instructors/
#   make quiz-app   serve notebooks/04-quiz.ipynb as a web app (Voila), for learners who should not see code
#   make explorer-app  the same for the condition explorer (apps/explorer.ipynb)
#   ROOM=1 make quiz-app  listen on the network (for a classroom), with a token in the link to share
#   PORT=8900 make quiz-app  another port than 8866 (for either)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-from-pyproject
# JupyterLab refuses to run as root unless told to; containers and CI often are root.
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
# Voila's settings live in apps/voila.py (loopback, no code shown, idle kernels culled).
# ROOM=1: scripts/room.py makes a new token for each run, hands it to apps/voila.py in Voila's environment (not on
# a command line, which other users can read with ps), which then listens on the network, and prints the link to
# share once the app answers (Voila 0.5 itself prints "?token=..." for a token it did not make).
VOILA := $(if $(ROOM),$(BIN)/python scripts/room.py) $(BIN)/voila --Voila.config_file_paths=apps \
	$(if $(PORT),--Voila.port=$(PORT))

.PHONY: lab test notebooks quiz-app explorer-app screenshots clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "ivig-teaching needs Python 3.11 or newer; '$(PYTHON)' is older. Try: make PYTHON=python3.11 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[lab,hub,test]'
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) --ServerApp.root_dir=. notebooks/00-start-here.ipynb

test: $(STAMP)
	bash scripts/ensure_chromium.sh
	bash scripts/ensure_hub_proxy.sh
	$(BIN)/python -m pytest

screenshots: $(STAMP)
	bash scripts/ensure_chromium.sh
	IVIG_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/browser/test_screenshots.py

notebooks: $(STAMP)
	$(BIN)/python scripts/refresh_notebooks.py notebooks/*.ipynb apps/*.ipynb
	$(BIN)/python -m ivig_content answer-key --out instructors/answer-key.md --overwrite
	$(BIN)/python -m ivig_content review-sheet --out instructors/review-sheet.md --overwrite

quiz-app: $(STAMP)
	$(VOILA) notebooks/04-quiz.ipynb

explorer-app: $(STAMP)
	$(VOILA) apps/explorer.ipynb

clean:
	rm -rf $(VENV) build dist *.egg-info
