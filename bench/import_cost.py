"""What importing this package costs, against the floor of importing what it is built on.

    python bench/import_cost.py [--runs 30]

Each run is a new Python process (a cold interpreter; the file cache is warm after the first runs). The floor
and our command alternate, so both see the same machine load; the machines are noisy, so compare the ratio of
medians, not the milliseconds. Target: our command within 5% of its floor.

Both sides import from bytecode, as an installed package does: pandas and anywidget were compiled when pip
installed them, and this script compiles ivig_content first and lets Python use the cache even where
PYTHONDONTWRITEBYTECODE is set (it is on our build machines, and would make every run recompile our modules).
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import time

PAIRS = [
    ("import ivig_content; facts_frame()", "import pandas", "import ivig_content; ivig_content.facts_frame()"),
    # the widgets are anywidget widgets (anywidget imports ipywidgets); they do not need pandas
    ("import ivig_content.widgets", "import anywidget", "import ivig_content.widgets"),
]
TARGET = 1.05


ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def run_once(code: str) -> tuple[float, float]:
    """Wall-clock seconds, and CPU seconds (user + system) of the child process, for one fresh interpreter."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(runs: int) -> list[dict]:
    import ivig_content

    compileall.compile_dir(os.path.dirname(ivig_content.__file__), quiet=1)
    results = []
    for name, floor_code, our_code in PAIRS:
        for _ in range(min(3, runs)):  # warm the file cache
            run_once(floor_code)
            run_once(our_code)
        floor, ours = [], []
        for index in range(runs):
            first, second = (floor_code, our_code) if index % 2 == 0 else (our_code, floor_code)
            times = {first: run_once(first), second: run_once(second)}
            floor.append(times[floor_code])
            ours.append(times[our_code])
        wall_ratio = statistics.median(t[0] for t in ours) / statistics.median(t[0] for t in floor)
        cpu_ratio = statistics.median(t[1] for t in ours) / statistics.median(t[1] for t in floor)
        results.append(
            {
                "what": name,
                "floor": floor_code,
                "runs": runs,
                "floor_ms": statistics.median(t[0] for t in floor) * 1000,
                "ours_ms": statistics.median(t[0] for t in ours) * 1000,
                "wall_ratio": wall_ratio,
                "floor_cpu_ms": statistics.median(t[1] for t in floor) * 1000,
                "ours_cpu_ms": statistics.median(t[1] for t in ours) * 1000,
                "cpu_ratio": cpu_ratio,
            }
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="interleaved runs of each command (default 30)")
    args = parser.parse_args()
    print(f"{'what':36} {'floor':26} {'runs':>4} {'wall ms floor/ours':>19} {'ratio':>6} {'CPU ms floor/ours':>18} {'ratio':>6}")
    for row in measure(args.runs):
        print(
            f"{row['what']:36} {row['floor']:26} {row['runs']:>4} "
            f"{row['floor_ms']:>9.1f}/{row['ours_ms']:<9.1f} {row['wall_ratio']:>6.3f} "
            f"{row['floor_cpu_ms']:>8.1f}/{row['ours_cpu_ms']:<9.1f} {row['cpu_ratio']:>6.3f}"
        )
    print(f"target: ratio <= {TARGET} (wall-clock is the learner's wait; CPU time is steadier on a noisy machine)")


if __name__ == "__main__":
    main()
