"""Real servers for tests: JupyterLab and Voila on 127.0.0.1, each with private Jupyter folders, stopped cleanly.

Used by the Voila app tests, the browser tests and the screenshot command.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def private_jupyter_env(folder: Path) -> dict[str, str]:
    """Jupyter and IPython settings in ``folder``, so a test never reads or writes the user's own."""
    env = dict(os.environ)
    for name, sub in [
        ("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"), ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTERLAB_SETTINGS_DIR", "lab-settings"), ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces"),
        ("IPYTHONDIR", "ipython"), ("TMPDIR", "tmp"),
    ]:
        path = folder / sub
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    # The kernel must be this Python, with this package, whatever is first on PATH.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def lesson_copy(folder: Path) -> Path:
    """A copy of the notebooks and what they link to, so a browser session never changes the repository."""
    root = folder / "lesson"
    for name in ("notebooks", "apps", "instructors"):
        shutil.copytree(REPO / name, root / name)
    return root


def process_tree(root: int) -> dict[int, tuple[str, str]]:
    """``root`` and every process below it: pid -> (start time, command line). The start time tells a process
    from a later one that reuses its pid."""
    children: dict[int, list[int]] = {}
    found: dict[int, tuple[str, str]] = {}
    info: dict[int, tuple[str, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        info[pid] = (fields[19], command)  # field 22 of stat: start time
    todo = [root]
    while todo:
        pid = todo.pop()
        if pid in info:
            found[pid] = info[pid]
            todo.extend(children.get(pid, []))
    return found


def pss_kib(pids: list[int]) -> int:
    """The memory these processes really use together (PSS: shared pages split between their users), in KiB."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


class Server:
    """A server process in its own session; ``stop`` ends it and everything it started."""

    def __init__(self, command: list[str], cwd: Path, env: dict[str, str], port: int, log: Path,
                 ready_path: str | None = None):
        self.port = port
        self.log = log
        self.process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if ready_path is None:  # listening is enough (a Voila page would start a kernel)
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                else:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=5).close()
                return
            except (OSError, urllib.error.URLError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"server did not start: {' '.join(command)}\n{log.read_text()}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def kernel_pids(self) -> list[int]:
        """Process ids of the kernels this server started (its descendants running ipykernel)."""
        return [pid for pid, (_, command) in process_tree(self.process.pid).items() if "ipykernel" in command]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        try:  # kernels may have been moved to their own process groups: end any left over
            os.killpg(self.process.pid, signal.SIGKILL)
        except OSError:
            pass


# JupyterLab settings for tests: every cell in the page (not only the visible ones), no news pop-up.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}


def start_jupyterlab(folder: Path, root: Path) -> tuple[Server, str, str]:
    """JupyterLab serving ``root``, on a free loopback port with a random token: (server, base URL, token)."""
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    env = private_jupyter_env(folder)
    settings = Path(env["JUPYTERLAB_SETTINGS_DIR"])
    for plugin, values in LAB_SETTINGS.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    server = Server(command, root, env, port, folder / "jupyterlab.log", f"/api/status?token={token}")
    return server, f"http://127.0.0.1:{port}", token


def start_voila(folder: Path, notebook: str, *extra: str, cwd: Path = REPO, env: dict[str, str] | None = None) -> Server:
    """Voila serving one notebook with the project's settings (apps/voila.py), on a free loopback port; ``env``
    adds environment variables (JUPYTER_TOKEN, JUPYTER_PATH)."""
    port = free_port()
    command = [
        sys.executable, "-m", "voila", f"--Voila.config_file_paths={REPO / 'apps'}", "--no-browser",
        f"--port={port}", f"--Voila.connection_dir_root={folder}", *extra, notebook,
    ]
    return Server(command, cwd, {**private_jupyter_env(folder), **(env or {})}, port, folder / f"voila-{port}.log")

