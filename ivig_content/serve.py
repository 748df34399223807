"""Running the lesson's servers from a terminal: JupyterLab, and Voila apps for this computer or for a room.

Used by ``ivig-teaching lab`` and ``ivig-teaching quiz-app`` (see :mod:`ivig_content.lesson`), and by
``ROOM=1 make quiz-app`` through ``scripts/room.py``: one implementation of a room's link.

A room: Voila 0.5 prints a room's link as "?token=..." when it is given the token (it hides tokens it did not
make), so :func:`serve_room` makes a new token, hands it to the app's settings (``apps/voila.py``) in Voila's
environment only (a command line can be read by every user of the computer with ps), starts Voila, and once the app
answers, prints the link to share: this computer's address on its network (the one the system would send from;
nothing is sent), the port, the token. A port already in use is refused at once, rather than served elsewhere
under a wrong link.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence

__all__ = ["DEFAULT_VOILA_PORT", "ROOM_TOKEN_VARIABLE", "local_address", "port_in_use", "run", "serve_room"]

DEFAULT_VOILA_PORT = 8866  # as in apps/voila.py
ROOM_TOKEN_VARIABLE = "IVIG_ROOM_TOKEN"  # apps/voila.py listens on the network, with this token, when it is set


def local_address() -> str:
    """This computer's address on its network, or 127.0.0.1 when it has none."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1, never routed: a UDP "connect" only picks the address
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def port_in_use(port: int) -> bool:
    """Whether something on this computer answers on ``port`` (loopback)."""
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _answers(port: int) -> bool:
    """Whether our Voila answers on ``port``: its login page, which any Voila serves without starting a kernel."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


@contextlib.contextmanager
def _sigterm_runs_clean_up() -> Iterator[None]:
    """SIGTERM ends this process by ``SystemExit`` (so ``finally`` blocks stop the server), while inside."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run(command: Sequence[str], env: dict[str, str] | None = None) -> int:
    """Run a server in the foreground until it stops; its exit code.

    Ctrl + C reaches the server too (one terminal, one process group), so this waits for it to stop by itself
    (JupyterLab asks whether to shut down); stopped by SIGTERM, it stops the server. Raises ``OSError`` if the
    command cannot be started.
    """
    with _sigterm_runs_clean_up():
        return _run(command, env)


def _run(command: Sequence[str], env: dict[str, str] | None) -> int:
    server = subprocess.Popen(list(command), env=env)
    try:
        while True:
            try:
                return server.wait()
            except KeyboardInterrupt:
                continue
    finally:
        if server.poll() is None:  # e.g. this process was stopped by SIGTERM
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def serve_room(command: Sequence[str], port: int, other_port_hint: str) -> int:
    """Run the Voila ``command`` (which serves on ``port``, with apps/voila.py's settings) for a room; its exit code.

    Refuses a port in use (printing ``other_port_hint``, how to choose another, on stderr, and returning 1), makes a
    token and passes it in the environment (``IVIG_ROOM_TOKEN``), and once the app answers prints the link to
    share and the link for this computer. Raises ``OSError`` if Voila cannot be started.
    """
    with _sigterm_runs_clean_up():
        return _serve_room(command, port, other_port_hint)


def _serve_room(command: Sequence[str], port: int, other_port_hint: str) -> int:
    if port_in_use(port):
        print(f"Port {port} is already in use (another app?). Stop it, or choose another: {other_port_hint}",
              file=sys.stderr)
        return 1
    token = secrets.token_urlsafe(24)
    voila = subprocess.Popen(list(command), env={**os.environ, ROOM_TOKEN_VARIABLE: token})
    try:
        while voila.poll() is None and not _answers(port):
            time.sleep(0.5)
        if voila.poll() is None:
            time.sleep(0.5)  # Voila's own lines first
            print(f"\nShare this link with the room (it holds the token; anyone with it can open the app):\n"
                  f"    http://{local_address()}:{port}/?token={token}\n"
                  f"On this computer: http://127.0.0.1:{port}/?token={token}\n"
                  "Stop the app with Ctrl + C.\n", flush=True)
        return voila.wait()
    except KeyboardInterrupt:  # Ctrl + C reached Voila too (one terminal, one process group): let it stop
        try:
            return voila.wait(timeout=30)
        except subprocess.TimeoutExpired:
            voila.send_signal(signal.SIGTERM)
            return voila.wait()
    finally:
        if voila.poll() is None:  # e.g. this process was stopped by SIGTERM
            voila.terminate()
            voila.wait()
