"""Print the link to share with a room for `ROOM=1 make quiz-app` (and explorer-app), once the app is up.

    python scripts/room_link.py TOKEN [--port 8866] &

Voila 0.5 prints a room's link as "...?token=..." when the token is given to it (it hides tokens it did not make
itself), so the Makefile makes the token, gives it to Voila, and runs this beside Voila: it waits until the app
listens, then prints the link under Voila's own lines: this computer's address on the local network (found by
asking the system which address it would use; nothing is sent), the port and the token.
"""

from __future__ import annotations

import argparse
import socket
import sys
import time


def local_address() -> str:
    """This computer's address on its network: the one the system would send from (a UDP "connect" sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed, only used to pick the outgoing address
            return probe.getsockname()[0]
        except OSError:  # no network at all: only this computer can open the app
            return "127.0.0.1"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("token")
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--wait", type=float, default=300, help="seconds to wait for the app to listen")
    args = parser.parse_args()
    deadline = time.monotonic() + args.wait
    while True:
        try:
            socket.create_connection(("127.0.0.1", args.port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                return 1  # the app never started; Voila has said why
            time.sleep(0.5)
    time.sleep(1)  # let Voila print its own lines first
    address = local_address()
    print(f"\nShare this link with the room (it holds the token; anyone with it can open the app):\n"
          f"    http://{address}:{args.port}/?token={args.token}\n"
          f"On this computer: http://127.0.0.1:{args.port}/?token={args.token}\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
