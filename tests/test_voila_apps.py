"""The quiz and the explorer as Voila web apps: settings from apps/voila.py, no code shown, a token for a room.

These start a real Voila server on loopback and read the page it serves (the server executes the notebook
for each visit). What a browser then draws is tested with the real-browser tests.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from traitlets.config.loader import PyFileConfigLoader

from .servers import REPO, start_voila


def get(url: str) -> tuple[int, str]:
    """Status and text of a page, without following redirects (a redirect to a login page is an answer)."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def serve(tmp_path: Path):
    servers = []

    def start(notebook: str, *extra: str):
        server = start_voila(tmp_path, notebook, *extra)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def test_settings_keep_the_app_on_loopback_codeless_and_culled():
    config = PyFileConfigLoader("voila.py", path=str(REPO / "apps")).load_config()
    assert config.Voila.ip == "127.0.0.1"
    assert config.VoilaConfiguration.strip_sources is True
    assert config.VoilaConfiguration.show_tracebacks is False
    assert 0 < config.MappingKernelManager.cull_idle_timeout <= 45
    assert config.MappingKernelManager.cull_interval <= 15
    assert config.MappingKernelManager.cull_connected is False
    assert config.TagRemovePreprocessor.remove_cell_tags == {"notebook-navigation", "not-in-app"}
    for path in (REPO / "apps" / "voila.py", REPO / "Makefile"):
        assert "xsrf" not in re.sub(r"#.*", "", path.read_text(encoding="utf-8")).lower()


def test_room_mode_listens_on_the_network_only_with_a_token():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "$(if $(ROOM),--Voila.ip=0.0.0.0 --token)" in makefile


def test_quiz_app_shows_the_quiz_but_no_code_and_no_notebook_navigation(serve):
    status, page = get(serve("notebooks/04-quiz.ipynb").url)
    assert status == 200
    assert "Check yourself: the quiz" in page and "How the quiz works" in page
    assert "application/vnd.jupyter.widget-view+json" in page
    for hidden in ("QuizWidget()", "import ", "03-giving-ivig-safely.ipynb", "Saving results from code", "Traceback"):
        assert hidden not in page, hidden


def test_explorer_app_shows_the_explorer_but_no_code(serve):
    status, page = get(serve("apps/explorer.ipynb").url)
    assert status == 200
    assert "Conditions treated with IVIG: explorer" in page
    assert "application/vnd.jupyter.widget-view+json" in page
    assert "ConditionExplorer()" not in page and "import " not in page


def test_with_a_token_the_app_opens_only_with_it(serve):
    app = serve("notebooks/04-quiz.ipynb", "--token=class-secret-123")
    assert get(app.url)[0] in (302, 403)
    assert get(app.url + "?token=class-secret-123")[0] == 200
