"""The command line: ``python -m ivig_content COMMAND``.

    python -m ivig_content validate FILE...    check question banks; exit 0 when all are valid, 1 otherwise
"""

from __future__ import annotations

import argparse
import sys

from . import __version__
from .quiz import BankError, load_bank


def _validate(files: list[str]) -> int:
    status = 0
    for name in files:
        try:
            questions = load_bank(name)
        except BankError as problem:
            print(f"FAIL  {problem}")
            status = 1
        except Exception as problem:  # noqa: BLE001 - a command for instructors never shows a traceback
            print(f"FAIL  {name}: could not be read ({type(problem).__name__}: {problem})")
            status = 1
        else:
            count = len(questions)
            print(f"OK  {name}: {count} question{'s' if count != 1 else ''}")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ivig_content",
        description="Tools for the IVIG teaching notebooks. For education only: IVIG must only be used under the "
        "guidance of a healthcare provider.",
    )
    parser.add_argument("--version", action="version", version=f"ivig-teaching {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    validate = commands.add_parser(
        "validate",
        help="check question bank files (our YAML/JSON format, or jupyterquiz JSON)",
        description="Check question bank files. Prints one line per file: 'OK  FILE: N questions' or "
        "'FAIL  ' and what is wrong (file, question, field). Exits 0 when every file is valid, 1 otherwise.",
    )
    validate.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args(argv)
    if args.command == "validate":
        return _validate(args.files)
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
