"""A real JupyterHub on 127.0.0.1 for tests and the hub benchmark, and what a learner does on it.

The hub runs the production settings (deploy/jupyterhub/jupyterhub_config.py) with the test-only settings of
tests/jupyterhub_test_only_config.py over them. Its proxy is configurable-http-proxy from npm.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlencode

import requests

from .servers import REPO, Server, free_port, process_tree

TEST_CONFIG = Path(__file__).with_name("jupyterhub_test_only_config.py")
LOCAL_PROXY = REPO / "deploy" / "jupyterhub" / "node_modules" / ".bin" / "configurable-http-proxy"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
NODE_HINT = "install Node.js and npm, then run: npm ci --prefix deploy/jupyterhub (make test does this)"


def missing_for_hub() -> str | None:
    """What is missing to start a hub here, in one line, or None."""
    if shutil.which("node") is None:
        return f"no Node.js, which the JupyterHub tests need: {NODE_HINT}"
    if not LOCAL_PROXY.exists() and shutil.which("configurable-http-proxy") is None:
        return f"no configurable-http-proxy, which the JupyterHub tests need: {NODE_HINT}"
    return None


def require_hub() -> None:
    """Stop a test that needs a hub when Node.js is missing: a failure in CI (CI=true), a skip elsewhere."""
    import pytest

    missing = missing_for_hub()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"Node.js is missing, so the JupyterHub tests cannot run: {missing}")
        pytest.skip(missing)


def published_lesson(folder: Path) -> tuple[Path, str]:
    """A clone of this repository standing in for the published one, with the lesson on branch "lesson"."""
    clone = folder / "ivig-teaching"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True, timeout=120)
    subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", "-B", "lesson"], check=True, timeout=60)
    return clone, "lesson"


def still_running(processes: dict[int, tuple[str, str]]) -> dict[int, str]:
    """Those of ``processes`` that still run (the same start time, and not a zombie waiting to be reaped)."""
    running = {}
    for pid, (started, command) in processes.items():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[19] == started and fields[0] != "Z":
            running[pid] = command
    return running


class Hub:
    """A JupyterHub on free loopback ports, with the hub's files and the learners' homes in ``folder``."""

    def __init__(self, folder: Path, spawn_timeouts: tuple[int, int] | None = None, subdomains: bool = False):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.password = secrets.token_urlsafe(12)  # the shared test password, new for every hub
        self.api_token = secrets.token_hex(32)
        self.port = free_port()
        # The learners' runtime folders (kernel sockets) go in a short folder: a Unix socket's path may be at most
        # 107 bytes. Mode 0711, like /home: others may pass through it, not list it; each learner's own runtime
        # folder in it must keep them out by its own mode.
        self.runtime = Path(tempfile.mkdtemp(prefix="ivig-hub-"))
        self.runtime.chmod(0o711)
        env = {
            **os.environ,
            "IVIG_TEST_HUB_FOLDER": str(folder),
            "IVIG_TEST_HUB_PORTS": ",".join(str(port) for port in (self.port, free_port(), free_port())),
            "IVIG_TEST_HUB_PASSWORD": self.password,
            "IVIG_TEST_HUB_API_TOKEN": self.api_token,
            "IVIG_TEST_HUB_RUNTIME": str(self.runtime),
            # this Python's tools first (jupyterhub-singleuser, git from the system after them)
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        self.url = f"http://127.0.0.1:{self.port}"
        if subdomains:  # the production switch, on loopback: the hub at hub.localhost, ada's server at ada.hub.localhost
            self.url = f"http://hub.localhost:{self.port}"
            env["IVIG_HUB_SUBDOMAIN_HOST"] = self.url
        if spawn_timeouts is not None:  # (start, HTTP) in seconds
            env["IVIG_TEST_HUB_TIMEOUTS"] = ",".join(str(seconds) for seconds in spawn_timeouts)
        command = [sys.executable, "-m", "jupyterhub", "-f", str(TEST_CONFIG)]
        try:
            self.server = Server(command, folder, env, self.port, folder / "jupyterhub.log", "/hub/api/")
        except BaseException:
            shutil.rmtree(self.runtime, ignore_errors=True)
            raise

    @property
    def pid(self) -> int:
        return self.server.process.pid

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """Call the hub's REST API as the test's own service (an instructor's tool would do the same)."""
        headers = {"Authorization": f"token {self.api_token}"}
        answer = requests.request(method, f"{self.url}/hub/api{path}", headers=headers, timeout=300, **kwargs)
        answer.raise_for_status()
        return answer

    def wait_until_ready(self, name: str, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        asked = False
        while time.monotonic() < deadline:
            server = self.api("GET", f"/users/{name}").json().get("servers", {}).get("")
            if server and server.get("ready"):
                return
            if server is None and asked:  # the hub gave up on it (a spawn that failed or timed out)
                raise RuntimeError(f"{name}'s server failed to start\n{self.log_tail()}")
            asked = asked or server is not None
            time.sleep(0.25)
        raise TimeoutError(f"{name}'s server was not ready after {timeout} s\n{self.log_tail()}")

    def kernels(self) -> dict[str, tuple[int, Path]]:
        """The learners' running kernels: learner's name -> (process id, connection file). One kernel a learner."""
        found = {}
        for pid, (_, command) in process_tree(self.pid).items():
            if "ipykernel" in command:
                connection_file = Path(command.split(" -f ", 1)[1].split()[0])
                name = connection_file.relative_to(self.runtime).parts[0]
                if name in found:
                    raise AssertionError(f"{name} has more than one kernel")
                found[name] = (pid, connection_file)
        return found

    def learner_token(self, name: str) -> str:
        return self.api("POST", f"/users/{name}/tokens", json={"note": "ivig test"}).json()["token"]

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.server.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 60) -> dict[int, str]:
        """Stop the hub as an operator would (SIGTERM to the hub alone: it must stop the proxy, the learners'
        servers and their kernels itself). Returns what still runs after ``timeout`` seconds, then ends that."""
        before = process_tree(self.pid)
        if self.server.process.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.server.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        deadline = time.monotonic() + timeout
        while still_running(before) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = still_running(before)
        for pid in left:  # never leave a process behind, even when the check fails
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        self.server.stop()
        shutil.rmtree(self.runtime, ignore_errors=True)
        return left


KERNEL_CHANNELS = ("shell", "iopub", "stdin", "control", "hb")


def kernel_sockets(info: dict) -> list[Path]:
    """The Unix sockets of a kernel whose connection file (``info``) says ``"transport": "ipc"``."""
    return [Path(f"{info['ip']}-{info[f'{channel}_port']}") for channel in KERNEL_CHANNELS]


def listening_tcp_ports(pid: int) -> set[int]:
    """The TCP ports on which process ``pid`` listens (its sockets, found in /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    ports = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def kernel_info(address: str, info: dict, timeout: float = 10) -> dict | None:
    """Ask the kernel at ``address`` (a ZeroMQ address such as ipc://PATH or tcp://127.0.0.1:PORT) for its
    kernel_info, signed with the key of its connection file ``info``, as a Jupyter client does on the shell
    channel. Returns the reply, or None when nothing answers within ``timeout`` seconds."""
    import zmq
    from jupyter_client.session import Session

    session = Session(key=info["key"].encode(), signature_scheme=info["signature_scheme"])
    context = zmq.Context()
    shell = context.socket(zmq.DEALER)
    shell.linger = 0
    shell.sndtimeo = int(timeout * 1000)
    try:
        shell.connect(address)
        try:
            session.send(shell, "kernel_info_request", {})
        except zmq.Again:  # no peer took the message
            return None
        if not shell.poll(int(timeout * 1000)):
            return None
        return session.recv(shell, mode=0)[1]
    finally:
        shell.close()
        context.term()


def as_another_user(probe: Callable[[], dict], uid: int = 65534, gid: int = 65534) -> dict:
    """Run ``probe`` in a child process that has become another Unix user (by default nobody), and return the
    dict of strings it returns, with "uid": the user the child really was. Needs root."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop to the other user, probe, report through the pipe, and never return
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
            result = {"uid": os.getuid(), **probe()}
        except BaseException as problem:  # noqa: BLE001 - reported to the parent, which fails the test
            result = {"probe failed": repr(problem)}
        os.write(write, json.dumps(result).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        report = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(report)


def outcomes(actions: dict[str, Callable[[], object]]) -> dict[str, str]:
    """Try each action: label -> "allowed", or the name of the OSError it raised (PermissionError, ...)."""
    found = {}
    for label, action in actions.items():
        try:
            action()
        except OSError as problem:
            found[label] = type(problem).__name__
        else:
            found[label] = "allowed"
    return found


def connect_unix(path: Path) -> None:
    """Connect to the Unix socket at ``path`` (and hang up): what any client of a kernel's socket must do first."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(5)
        client.connect(str(path))


@contextlib.contextmanager
def localhost_subdomains() -> Iterator[None]:
    """Resolve every name under .localhost to 127.0.0.1 in this process, as Chromium and curl do (RFC 6761): the
    system's resolver here knows only "localhost" itself."""
    resolve = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if isinstance(host, str) and host.endswith(".localhost"):
            host = "127.0.0.1"
        return resolve(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo
    try:
        yield
    finally:
        socket.getaddrinfo = resolve


def require_root(what: str) -> None:
    """Stop a test that must become another Unix user when not root: a failure in CI, a skip elsewhere."""
    import pytest

    if os.geteuid() != 0:
        message = f"only root can become another user, which {what} needs"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


class Learner:
    """One learner in a browser: a cookie session on the hub."""

    def __init__(self, hub: Hub, name: str):
        self.hub, self.name = hub, name
        self.browser = requests.Session()

    def log_in(self, password: str) -> requests.Response:
        self.browser.get(f"{self.hub.url}/hub/login", timeout=60).raise_for_status()
        form = {"username": self.name, "password": password, "_xsrf": self.browser.cookies.get("_xsrf", "")}
        # A good login is redirected to the learner's server, which the hub starts (the spawn-pending page).
        return self.browser.post(f"{self.hub.url}/hub/login", data=form, timeout=60)

    def open_link(self, link: str) -> str:
        """Open an nbgitpuller link, and do what its page's script does: ask the learner's server to pull the
        repository, and wait until it has. Returns the page the learner is sent to after the pull."""
        page = self.browser.get(link, timeout=300)
        page.raise_for_status()
        data = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', page.text))
        if "repo" not in data:
            raise AssertionError(f"not nbgitpuller's page: {page.url}\n{page.text[:500]}")
        params = {"_xsrf": unquote(data["xsrf"]), "repo": unquote(data["repo"]),
                  "targetpath": unquote(data["targetpath"])}
        if "branch" in data:
            params["branch"] = unquote(data["branch"])
        base = unquote(data["base-url"])
        events = []
        with self.browser.get(f"{self.hub.url}{base}git-pull/api?{urlencode(params)}", stream=True,
                              timeout=300) as stream:
            stream.raise_for_status()
            for line in stream.iter_lines(decode_unicode=True):
                if line and line.startswith("data:"):
                    events.append(json.loads(line[5:]))
                    if events[-1].get("phase") in ("finished", "error"):
                        break
        if not events or events[-1].get("phase") != "finished":
            raise AssertionError(f"nbgitpuller did not finish: {events[-3:]}")
        return f"{base}{unquote(data['path'])}"


async def run_notebook(hub_url: str, name: str, token: str, path: str) -> dict[str, list]:
    """Run every code cell of the notebook at ``path`` (in the learner's home) in a new kernel on the learner's
    server, as JupyterLab does: a session for the notebook, then execute requests on the kernel's websocket.
    Returns the outputs by type: "error" (error messages), "stderr" (stderr text), "widgets" (widget views
    shown), and "cells" (how many code cells ran)."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    headers = {"Authorization": f"token {token}"}
    base = f"{hub_url}/user/{name}/api"

    def call(method: str, url: str, **kwargs) -> requests.Response:
        answer = requests.request(method, url, headers=headers, timeout=120, **kwargs)
        answer.raise_for_status()
        return answer

    notebook = call("GET", f"{base}/contents/{path}").json()["content"]
    session = call("POST", f"{base}/sessions", json={
        "path": path, "name": Path(path).name, "type": "notebook", "kernel": {"name": "python3"},
    }).json()
    kernel = session["kernel"]["id"]
    found: dict[str, list] = {"error": [], "stderr": [], "widgets": [], "cells": []}
    socket = await websocket_connect(HTTPRequest(
        f"{base.replace('http', 'ws', 1)}/kernels/{kernel}/channels?session_id={uuid.uuid4().hex}",
        headers=headers, request_timeout=120,
    ))
    try:
        for cell in notebook["cells"]:
            if cell["cell_type"] != "code":
                continue
            msg_id = uuid.uuid4().hex
            await socket.write_message(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": session["id"],
                           "username": name, "date": "", "version": "5.3"},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": cell["source"], "silent": False, "store_history": True,
                            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
            }))
            idle = replied = False
            while not (idle and replied):
                raw = await asyncio.wait_for(socket.read_message(), 120)
                if raw is None:
                    raise ConnectionError("the kernel's websocket closed")
                if not isinstance(raw, str):
                    continue
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, content = msg["header"]["msg_type"], msg["content"]
                if kind == "error":
                    found["error"].append(f"{content['ename']}: {content['evalue']}")
                elif kind == "stream" and content.get("name") == "stderr":
                    found["stderr"].append(content["text"])
                elif kind in ("display_data", "execute_result") and WIDGET_VIEW in content["data"]:
                    found["widgets"].append(content["data"].get("text/plain", ""))
                elif kind == "execute_reply":
                    replied = True
                    if content["status"] != "ok":
                        found["error"].append(f"execute_reply {content['status']}")
                elif kind == "status" and content["execution_state"] == "idle":
                    idle = True
            found["cells"].append(cell["source"][:60])
    finally:
        socket.close()
    return found


def run_notebook_from_sync_code(hub_url: str, name: str, token: str, path: str) -> dict[str, list]:
    """:func:`run_notebook` for synchronous code, on an event loop in a thread of its own (Playwright's sync API,
    used by the browser tests in the same pytest run, keeps an event loop running in the main thread)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, run_notebook(hub_url, name, token, path)).result()
