"""Serve a Voila app to a room: `ROOM=1 make quiz-app` runs `python scripts/room.py VOILA-COMMAND...`.

The room's logic (a token per run, passed in Voila's environment only; a busy port refused; the link printed once
the app answers) is ivig_content.serve.serve_room, which `ivig-teaching quiz-app --room` uses too. This only finds
the port on make's Voila command line and says how to choose another the make way.
"""

from __future__ import annotations

import re
import sys

from ivig_content.serve import DEFAULT_VOILA_PORT, serve_room


def main(command: list[str]) -> int:
    if not command:
        print("usage: python scripts/room.py VOILA-COMMAND...", file=sys.stderr)
        return 2
    ports = [int(found) for argument in command for found in re.findall(r"^--Voila\.port=(\d+)$", argument)]
    return serve_room(command, ports[-1] if ports else DEFAULT_VOILA_PORT, "PORT=8900 ROOM=1 make ...")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
