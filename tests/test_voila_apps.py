"""The quiz and the explorer as Voila web apps: settings from apps/voila.py, no code shown, a token for a room.

These start a real Voila server on loopback and read the page it serves (the server executes the notebook
for each visit). What a browser then draws is tested with the real-browser tests.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from traitlets.config.loader import PyFileConfigLoader

from .conftest import REPO


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class VoilaApp:
    def __init__(self, notebook: str, tmp_path: Path, *extra: str):
        self.port = free_port()
        env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
            "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
            "JUPYTER_DATA_DIR": str(tmp_path / "data"),
            "IPYTHONDIR": str(tmp_path / "ipython"),
        }
        self.log = tmp_path / "voila.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "voila", "--Voila.config_file_paths=apps", "--no-browser",
             f"--port={self.port}", f"--Voila.connection_dir_root={tmp_path}", *extra, notebook],
            cwd=REPO, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"Voila did not start: {self.log.read_text()}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture
def serve(tmp_path: Path):
    apps = []

    def start(notebook: str, *extra: str) -> VoilaApp:
        app = VoilaApp(notebook, tmp_path, *extra)
        apps.append(app)
        return app

    yield start
    for app in apps:
        app.stop()


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
