"""What running each lesson notebook costs, against a notebook that only imports pandas and ipywidgets.

    python bench/notebook_cost.py [--runs 5] [NOTEBOOK ...]

Each run executes one notebook headless with nbclient on a new kernel (start, run every cell, shut down), the
way `make notebooks` and nbval do. The floor notebook runs between every two measured runs, so both see the
same machine load. Prints medians and the ratio to the floor. Target: our cells add at most 50% to the floor.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
TARGET = 1.5
FLOOR = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import pandas, ipywidgets")])


def run_once(notebook: nbformat.NotebookNode, folder: Path) -> float:
    client = NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def measure(paths: list[Path], runs: int) -> tuple[float, list[tuple[str, float]], int]:
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # kernels import from bytecode, as installed packages do
    floor: list[float] = []
    ours: dict[str, list[float]] = {path.name: [] for path in paths}
    with tempfile.TemporaryDirectory() as scratch:
        run_once(FLOOR, Path(scratch))  # warm the file cache once
        for _ in range(runs):
            for path in paths:
                floor.append(run_once(FLOOR, Path(scratch)))
                ours[path.name].append(run_once(nbformat.read(path, as_version=4), path.parent))
    floor_median = statistics.median(floor)
    return floor_median, [(name, statistics.median(times)) for name, times in ours.items()], len(floor)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each notebook (default 5)")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every lesson and app notebook")
    args = parser.parse_args()
    paths = args.notebooks or sorted((REPO / "notebooks").glob("*.ipynb")) + sorted((REPO / "apps").glob("*.ipynb"))
    floor, rows, floor_runs = measure(paths, args.runs)
    print(f"floor (a notebook that only imports pandas and ipywidgets): {floor:.2f} s, median of {floor_runs} runs")
    print(f"{'notebook':34} {'median s':>9} {'ratio':>6}  target <= {TARGET}")
    for name, median in rows:
        ratio = median / floor
        print(f"{name:34} {median:>9.2f} {ratio:>6.2f}  {'met' if ratio <= TARGET else 'MISSED'}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
