"""Each learner's Voila kernel: kept while the page is open or its network has dropped, given back when it closes.

A real Voila server with the shipped apps/voila.py, at a shorter time scale: the kernel manager, the culler and
the websocket code are the shipped ones; only the culler's two numbers are made small (a kernel with nobody
connected is culled after IDLE seconds, checked every CHECK seconds) so that each test takes seconds, not
minutes. The shipped numbers themselves are checked in test_voila_apps.py; what they mean in real time is
measured by bench/voila_kernel_lifetime.py.

A learner is a websocket client that does what Voila's page does: GET the app (Voila starts a kernel and runs
the notebook), then connect to the kernel's channels with a session id. A "network drop" here is the server
seeing that connection end without a goodbye (the socket simply closes), which is what it sees when a phone's
connection is reset or when its pings go unanswered for 90 s; a drop the server never sees keeps the
connection, which is the first test's case.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from .servers import Server, start_voila

IDLE, CHECK = 3, 1  # seconds: the shortened cull_idle_timeout and cull_interval
SHORT = (f"--MappingKernelManager.cull_idle_timeout={IDLE}", f"--MappingKernelManager.cull_interval={CHECK}")
STOCK_MANAGER = "--VoilaConfiguration.multi_kernel_manager_class=" \
    "jupyter_server.services.kernels.kernelmanager.AsyncMappingKernelManager"


class Learner:
    """A page of the quiz app: its kernel id, cookies and a websocket to the kernel."""

    def __init__(self, server: Server):
        self.server = server
        request = urllib.request.Request(server.url)
        with urllib.request.urlopen(request, timeout=90) as response:
            page = response.read().decode("utf-8")
            self.cookies = SimpleCookie()
            for header in response.headers.get_all("Set-Cookie") or []:
                self.cookies.load(header)
        self.kernel = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', page).group(1)
        self.session = uuid.uuid4().hex
        self.socket = None

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={morsel.value}" for name, morsel in self.cookies.items())

    async def connect(self) -> None:
        url = self.server.url.replace("http", "ws", 1) + f"api/kernels/{self.kernel}/channels?session_id={self.session}"
        headers = {"Origin": self.server.url.rstrip("/"), "Cookie": self.cookie_header()}
        self.socket = await websocket_connect(HTTPRequest(url, headers=headers, request_timeout=30))

    async def kernel_answers(self) -> bool:
        """Send kernel_info_request on the open socket; True when the kernel's reply comes back."""
        msg_id = uuid.uuid4().hex
        self.socket.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "kernel_info_request", "session": self.session,
                       "username": "learner", "date": "", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": {}, "channel": "shell", "buffers": [],
        }))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            raw = await asyncio.wait_for(self.socket.read_message(), deadline - time.monotonic())
            if raw is None:
                return False
            if isinstance(raw, str):
                message = json.loads(raw)
                if message["parent_header"].get("msg_id") == msg_id and message["msg_type"] == "kernel_info_reply":
                    return True
        return False

    def drop(self) -> None:
        """The connection ends without a goodbye (no websocket close frame), as when a network drops."""
        self.socket.protocol.stream.close()
        self.socket = None

    def kernel_model(self) -> dict | None:
        try:
            with urllib.request.urlopen(self.server.url + f"api/kernels/{self.kernel}", timeout=30) as answer:
                return json.load(answer)
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise


def wait_for(condition, seconds: float) -> float | None:
    """Seconds until ``condition()`` holds, or None if it did not within ``seconds``."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if condition():
            return time.monotonic() - start
        time.sleep(0.2)
    return None


@pytest.fixture
def serve(tmp_path: Path):
    servers = []

    def start(*extra: str, **kwargs) -> Server:
        server = start_voila(tmp_path, "notebooks/04-quiz.ipynb", *extra, **kwargs)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def run_in_own_loop(coroutine) -> None:  # noqa: ANN001
    """asyncio.run, in a thread of its own: in the full suite, Playwright's browser tests leave an event loop running
    in the main thread, where asyncio.run refuses to start another."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(coroutine)
        except BaseException as problem:  # noqa: BLE001 - handed back to the test
            failure.append(problem)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if failure:
        raise failure[0]


def test_an_open_page_keeps_its_kernel_through_a_drop_after_long_reading(serve):
    """Read (connected, idle) for more than twice the cull time, lose the network, come back just before the
    cull time is up: the same kernel answers. Then close the page without the beacon: the kernel is given back
    after the cull time, not before."""
    server = serve(*SHORT)
    learner = Learner(server)

    async def scenario() -> None:
        await learner.connect()
        assert await learner.kernel_answers()
        time.sleep(2.5 * IDLE)  # reading: connected, no message at all
        model = learner.kernel_model()
        assert model is not None and model["connections"] == 1, model
        learner.drop()
        dropped = time.monotonic()
        assert wait_for(lambda: learner.kernel_model()["connections"] == 0, 5) is not None
        time.sleep(max(0.0, dropped + IDLE - 0.8 - time.monotonic()))
        assert learner.kernel_model() is not None, "culled before the cull time after the drop"
        await learner.connect()  # the network is back: the page reconnects with its session
        assert await learner.kernel_answers()
        learner.socket.close()  # the page is closed (without the beacon: a phone, a crashed tab)
        closed = time.monotonic()
        gone = wait_for(lambda: learner.kernel_model() is None, IDLE + CHECK + 10)
        assert gone is not None, "the closed page's kernel was never given back"
        assert time.monotonic() - closed >= IDLE - 0.5, "given back before the cull time"

    run_in_own_loop(scenario())
    assert server.kernel_pids() == []


def test_without_our_kernel_manager_a_drop_after_reading_loses_the_kernel(serve):
    """The same drop with jupyter_server's own manager (idle time counted from the kernel's last message): the
    kernel is culled at the next check, so the test above would catch the old behaviour."""
    server = serve(*SHORT, STOCK_MANAGER)
    learner = Learner(server)

    async def scenario() -> None:
        await learner.connect()
        assert await learner.kernel_answers()
        time.sleep(2.5 * IDLE)
        assert learner.kernel_model() is not None  # connected: kept, with either manager
        learner.drop()
        assert wait_for(lambda: learner.kernel_model() is None, IDLE - 0.8) is not None

    run_in_own_loop(scenario())


def test_a_closing_page_can_give_its_kernel_back_at_once_with_xsrf_checks_on(serve):
    """The page's own shutdown request (sent when it closes) carries the `_xsrf` cookie's value: the app's page
    now sets that cookie, the request without it is still refused, the one with it shuts the kernel down."""
    server = serve()
    learner = Learner(server)
    xsrf = learner.cookies["_xsrf"].value
    url = server.url + f"voila/api/shutdown/{learner.kernel}"
    headers = {"Cookie": learner.cookie_header(), "Origin": server.url.rstrip("/")}

    def post(body: bytes) -> int:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code

    assert post(b"") == 403 and learner.kernel_model() is not None
    assert post(f"_xsrf={xsrf}".encode()) == 204
    assert wait_for(lambda: learner.kernel_model() is None and server.kernel_pids() == [], 15) is not None


def test_a_kernel_that_dies_as_it_starts_gives_an_error_page_not_an_endless_one(serve, tmp_path: Path):
    """Voila 0.5 would stream the loading page forever (voila-dashboards/voila#1311); with our kernel manager the
    learner gets a 503 page that says to reload, and no kernel is left behind."""
    kernels = tmp_path / "jupyter-path" / "kernels" / "python3"
    kernels.mkdir(parents=True)

    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-c", "import sys; sys.exit(3)", "-f", "{connection_file}"],
        "display_name": "Python 3", "language": "python",
    }), encoding="utf-8")
    server = serve(env={"JUPYTER_PATH": str(tmp_path / "jupyter-path")})
    start = time.monotonic()
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(server.url, timeout=90).read()
    assert answer.value.code == 503
    assert "Please reload the page" in answer.value.read().decode("utf-8")
    assert time.monotonic() - start < 60
    assert wait_for(lambda: server.kernel_pids() == [], 10) is not None
