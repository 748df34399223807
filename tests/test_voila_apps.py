"""The quiz and the explorer as Voila web apps: settings from apps/voila.py, no code shown, a token for a room.

These start a real Voila server on loopback and read the page it serves (the server executes the notebook
for each visit). What a browser then draws is tested with the real-browser tests.
"""

from __future__ import annotations

import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from traitlets.config.loader import PyFileConfigLoader

from .servers import REPO, Server, free_port, lesson_copy, private_jupyter_env, process_tree, start_voila


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
    assert config.VoilaConfiguration.file_allowlist == []  # no file of the lesson folder is served
    assert config.TagRemovePreprocessor.remove_cell_tags == {"notebook-navigation", "not-in-app"}
    for path in (REPO / "apps" / "voila.py", REPO / "Makefile"):  # XSRF checks stay on
        code = re.sub(r"#.*", "", path.read_text(encoding="utf-8")).lower()
        assert "disable_check_xsrf" not in code and "xsrf_cookies" not in code


def test_kernel_settings_keep_open_pages_through_a_dropped_network():
    """The shipped values; tests/test_voila_kernels.py shows on a real server, at a shorter time scale, that the
    mechanism does what these numbers promise."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    config = PyFileConfigLoader("voila.py", path=str(REPO / "apps")).load_config()
    kernels = config.MappingKernelManager
    assert kernels.cull_connected is False  # an open page is never culled, however long the learner reads
    # A disconnected page keeps its kernel for longer than a 60 s drop, and longer than Voila's page keeps trying
    # to reconnect: 7 tries at random delays of at most 2**n - 1 seconds (@jupyterlab/services KernelConnection).
    reconnect_schedule = sum(2**n - 1 for n in range(7))
    assert reconnect_schedule == 120
    assert kernels.cull_idle_timeout >= max(60 + 30, reconnect_schedule)
    assert kernels.cull_idle_timeout <= 180 and kernels.cull_interval <= 15  # closed pages still given back
    manager = config.VoilaConfiguration.multi_kernel_manager_class
    assert issubclass(manager, AsyncMappingKernelManager) and "notify_disconnect" in vars(manager)
    # A drop the server cannot see is not a disconnection until 90 s without an answer to its pings.
    assert config.Voila.tornado_settings == {"ws_ping_interval": 30_000, "ws_ping_timeout": 90_000}
    assert callable(config.VoilaConfiguration.prelaunch_hook)  # sets the cookie the closing page's request needs


def listens_on_every_address(port: int) -> bool:
    """Whether something listens on ``port`` of every address (0.0.0.0 or ::), from the kernel's own tables."""
    for table, anywhere in (("/proc/net/tcp", "00000000"), ("/proc/net/tcp6", "0" * 32)):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if state == "0A" and local == f"{anywhere}:{port:04X}":  # 0A: LISTEN
                return True
    return False


def test_room_mode_prints_a_link_that_opens_the_app_and_nothing_opens_it_without_the_token(tmp_path):
    """`ROOM=1 make quiz-app`, run as an instructor runs it: Voila 0.5 printed "?token=..." (a link nobody could
    open), so scripts/room.py makes the token and prints the link itself. The link opens the quiz; without the
    token the page sends to the login form; Voila listens on every address; the token is on no command line."""
    port = free_port()
    command = ["make", "--no-print-directory", "quiz-app", "ROOM=1", f"PORT={port}"]
    server = Server(command, REPO, private_jupyter_env(tmp_path), port, tmp_path / "make.log")
    try:
        deadline = time.monotonic() + 60
        while "On this computer:" not in (printed := (tmp_path / "make.log").read_text(encoding="utf-8")):
            assert time.monotonic() < deadline, printed
            time.sleep(0.5)
        links = re.findall(r"http://([0-9.]+):(\d+)/\?token=([A-Za-z0-9_-]{32})", printed)
        assert len(links) == 2 and links[1][0] == "127.0.0.1" and {link[1] for link in links} == {str(port)}
        token = links[0][2]
        # the link to share comes after Voila's own unusable "?token=..." line, as the last thing printed
        assert links[1][2] == token and "token=..." not in printed.split("Share this link")[1]
        status, page = get(f"http://127.0.0.1:{port}/?token={token}")
        assert status == 200 and "Check yourself" in page
        assert get(f"http://127.0.0.1:{port}/")[0] == 302
        assert get(f"http://127.0.0.1:{port}/?token={'x' * 32}")[0] == 302
        assert listens_on_every_address(port)
        command_lines = [command for _, command in process_tree(server.process.pid).values()]
        assert len(command_lines) >= 3 and not [line for line in command_lines if token in line], command_lines
    finally:
        server.stop()


def test_room_mode_on_a_port_in_use_says_so_and_prints_no_link(tmp_path):
    """A second fresh-eyes trial: with the port taken, Voila moved to the next one and the link named the old."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(["make", "--no-print-directory", "quiz-app", "ROOM=1", f"PORT={port}"], cwd=REPO,
                                env=private_jupyter_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert f"Port {port} is already in use (another app?). Stop it, or choose another: PORT=8900 ROOM=1 make ..." in (
        result.stderr)
    assert "token=" not in result.stdout + result.stderr


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


LESSON_MARK = "lesson-file-marker"


def with_headers(url: str) -> tuple[int, str, str]:
    """Status, Location header and text of an answer, without following redirects."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=60) as response:
            return response.status, response.headers.get("Location", ""), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", ""), error.read().decode("utf-8", "replace")


def test_in_room_mode_no_file_of_the_lesson_is_served_without_the_token(tmp_path):
    """Every kind of URL Voila 0.5 answers, asked without and with the token, on a lesson folder holding
    pictures and a text file (Voila would serve pictures next to the notebook to anyone at /voila/files/)."""
    root = lesson_copy(tmp_path)
    (root / "notebooks" / "diagram.png").write_bytes(b"\x89PNG\r\n\x1a\n" + LESSON_MARK.encode())
    (root / "notebooks" / "diagram.svg").write_text(f"<svg>{LESSON_MARK}</svg>", encoding="utf-8")
    (root / "notebooks" / "notes.txt").write_text(LESSON_MARK, encoding="utf-8")
    token = "room-secret-4567"
    app = start_voila(tmp_path, "notebooks/04-quiz.ipynb", f"--token={token}", cwd=root)
    try:
        status, _, page = with_headers(f"{app.url}?token={token}")
        assert status == 200 and "Check yourself: the quiz" in page
        kernel = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', page).group(1)
        # (path, status without the token, status with it). 302 without the token goes to the login page; 302
        # with it is Voila sending a path other than the app's to /voila/files/, which refuses it (403).
        expected = [
            ("", 302, 200),
            ("voila/files/diagram.png", 403, 403),
            ("voila/files/diagram.svg", 403, 403),
            ("voila/files/notes.txt", 403, 403),
            ("voila/files/04-quiz.ipynb", 403, 403),
            ("voila/files/..%2fnotebooks%2fdiagram.png", 403, 403),
            ("diagram.png", 302, 302),
            ("04-quiz.ipynb", 302, 302),
            ("notebooks/diagram.png", 302, 302),
            ("voila/render/04-quiz.ipynb", 302, 302),
            ("voila/tree", 302, 302),
            ("voila/api/contents/", 302, 302),
            ("tree", 302, 302),
            ("files/diagram.png", 302, 302),
            ("api/contents", 302, 302),
            ("api/sessions", 302, 302),
            ("api/kernels", 302, 302),
            (f"api/kernels/{kernel}", 403, 200),
            (f"api/kernels/{kernel}/channels", 403, 400),  # 400: a plain GET, not a websocket
            ("voila/static/..%2f..%2fdiagram.png", 403, 403),
            # Voila's and the installed widgets' own front end, the same for every install: public by design.
            ("voila/static/voila.js", 200, 200),
            ("voila/templates/lab/static/index.css", 200, 200),
            ("voila/labextensions/anywidget/package.json", 200, 200),
            ("voila/api/themes/@jupyterlab/theme-light-extension/index.css", 200, 200),
        ]
        for path, without, with_token in expected:
            status, location, text = with_headers(app.url + path)
            assert status == without, (path, status)
            assert LESSON_MARK not in text and "Check yourself" not in text, path
            if status == 302:
                assert location.startswith("/login?"), (path, location)
            sep = "&" if "?" in path else "?"
            status, location, text = with_headers(f"{app.url}{path}{sep}token={token}")
            assert status == with_token, (path, "with token", status)
            assert LESSON_MARK not in text, path
            if status == 302 and path:
                assert location.startswith("/voila/files/"), (path, location)
                assert with_headers(f"{app.url}{location.lstrip('/')}?token={token}")[0] == 403, location
        status, _, text = with_headers(app.url + "login")
        assert status == 200 and LESSON_MARK not in text and "Check yourself" not in text  # the token form
        shutdown = urllib.request.Request(app.url + f"voila/api/shutdown/{kernel}", data=b"", method="POST")
        assert with_headers_request(shutdown) == 403
    finally:
        app.stop()


def with_headers_request(request: urllib.request.Request) -> int:
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
