# The quick start, as make targets. Each target sets up .venv first (once, and again when
# pyproject.toml changes), so on a fresh machine one command is enough.
#   make lab        set up, then open the lesson in JupyterLab on notebooks/00-start-here.ipynb, as
#                   `ivig-teaching lab` does (it shows notebooks/, apps/ and instructors/ only: build/lesson links to them)
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
# What `make lab` opens: the lesson's folders and nothing else (not tests/, bench/, ...). Links, so that what you
# change in JupyterLab is the repository's own notebooks; JupyterLab's settings for the lesson go in
# build/lesson/.jupyter.
LESSON_VIEW := build/lesson
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
	@echo "==> Setting up $(VENV)/ with $$($(PYTHON) --version) (once; again when pyproject.toml changes)"
	$(PYTHON) -m venv $(VENV)
	@echo "==> Updating pip"
	$(BIN)/python -m pip install --upgrade pip
	@echo "==> Installing ivig-teaching with JupyterLab, Voila, JupyterHub and the test tools (about a minute)"
	$(BIN)/python -m pip install -e '.[lab,hub,test]'
	touch $(STAMP)
	@echo "==> $(VENV)/ is ready"

lab: $(STAMP)
	@mkdir -p $(LESSON_VIEW)
	@for part in notebooks apps instructors; do ln -sfn ../../$$part $(LESSON_VIEW)/$$part; done
	$(BIN)/ivig-teaching lab $(LESSON_VIEW)

test: $(STAMP)
	@echo "==> Checking for Chromium (browser tests) and the JupyterHub proxy (hub tests)"
	bash scripts/ensure_chromium.sh
	bash scripts/ensure_hub_proxy.sh
	@echo "==> Running every test (unit, notebooks, Voila, real browser, JupyterHub: several minutes)"
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
