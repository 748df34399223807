"""Serve a Voila app to a room: `ROOM=1 make quiz-app` runs `python scripts/room.py VOILA-COMMAND...`.

Voila 0.5 prints a room's link as "?token=..." when it is given the token (it hides tokens it did not make), so
this makes a new token, hands it to apps/voila.py in Voila's environment only (a command line can be read by
every user of the computer with ps), starts Voila, and once the app answers, prints the link to share: this
computer's address on its network (the one the system would send from; nothing is sent), the port, the token.
A port already in use is refused at once, rather than served elsewhere under a wrong link.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

DEFAULT_PORT = 8866  # as in apps/voila.py


def local_address() -> str:
    """This computer's address on its network, or 127.0.0.1 when it has none."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1, never routed: a UDP "connect" only picks the address
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def answers(port: int, token: str) -> bool:
    """Whether our Voila answers on ``port``: its login page, which any Voila serves without starting a kernel."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


def main(command: list[str]) -> int:
    if not command:
        print("usage: python scripts/room.py VOILA-COMMAND...", file=sys.stderr)
        return 2
    ports = [int(found) for argument in command for found in re.findall(r"^--Voila\.port=(\d+)$", argument)]
    port = ports[-1] if ports else DEFAULT_PORT
    if port_in_use(port):
        print(f"Port {port} is already in use (another app?). Stop it, or choose another: PORT=8900 ROOM=1 make ...",
              file=sys.stderr)
        return 1
    token = secrets.token_urlsafe(24)
    voila = subprocess.Popen(command, env={**os.environ, "IVIG_ROOM_TOKEN": token})
    try:
        while voila.poll() is None and not answers(port, token):
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
        if voila.poll() is None:  # e.g. this script was stopped by SIGTERM
            voila.terminate()
            voila.wait()


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-up above
    sys.exit(main(sys.argv[1:]))
