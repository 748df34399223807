"""Re-execute notebooks in place so their stored outputs match the current content.

    python scripts/refresh_notebooks.py notebooks/*.ipynb

nbval compares these stored outputs, so run this after any content change (``make notebooks``). Timing
metadata is not recorded and kernel metadata is normalised, so an unchanged notebook stays byte-identical.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNEL = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def refresh(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    notebook.metadata = {"kernelspec": KERNEL, "language_info": {"name": "python"}}
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    nbformat.validate(notebook)
    nbformat.write(notebook, path)


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__.strip())
        return 2
    for name in paths:
        refresh(Path(name))
        print(f"executed {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
