"""A class on one JupyterHub: N learners' servers started at the same moment, then each runs the quiz notebook.

    python bench/class_on_jupyterhub.py [--learners 10 20 30] [--spawn-timeouts 300 300] [--notebooks ...] [--json FILE]

For each class size, a fresh hub (deploy/jupyterhub/jupyterhub_config.py with the test-only settings of
tests/jupyterhub_test_only_config.py: loopback, shared password, servers run as this user) is started. Then:
1. the servers of all N learners are asked for in the same instant (POST /hub/api/users/NAME/server, one thread
   per learner, as N learners logging in at once would), and each learner's wait is timed until the hub reports
   their server ready;
2. idle memory: the PSS of each learner's server (its whole process tree), once all are ready and have settled,
   and the CPU time each server used to start;
3. each learner runs notebooks/04-quiz.ipynb in a new kernel through the kernel API, all at once (what pressing
   "Run all" in the quiz notebook costs), and the PSS of each learner's tree is measured again (with
   --notebooks, each learner runs those notebooks instead, each in its own kernel left running, as JupyterLab
   does for every notebook a learner opens);
4. the hub is stopped and the time until every process it started is gone is measured.
The hub itself and its proxy are reported apart. The spawner's timeouts are raised to 300 s (--spawn-timeouts;
production uses 180 s; JupyterHub's defaults are 60 s to start and 30 s to answer).
Loopback only; every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.hub import Hub, missing_for_hub, run_notebook, still_running  # noqa: E402
from tests.servers import process_tree, pss_kib  # noqa: E402

QUIZ = "notebooks/04-quiz.ipynb"
SETTLE_S = 5  # servers keep loading extensions for a moment after they answer


def learner_trees(hub: Hub) -> dict[str, list[int]]:
    """Each learner's server and everything under it, by learner name (the server runs in the learner's home)."""
    trees: dict[str, list[int]] = {}
    homes = hub.folder / "homes"
    for pid, (_, command) in process_tree(hub.pid).items():
        if "jupyterhub-singleuser" not in command:
            continue
        try:
            name = Path(f"/proc/{pid}/cwd").resolve().relative_to(homes).parts[0]
        except (OSError, ValueError, IndexError):
            continue
        trees[name] = list(process_tree(pid))
    return trees


def cpu_s(pids: list[int]) -> float:
    """CPU time (user + system) these processes have used so far, in seconds."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def mib(kib: float) -> float:
    return kib / 1024


def spread(kib: list[int]) -> dict[str, float | None]:
    if not kib:
        return {"median": None, "min": None, "max": None}
    return {"median": mib(statistics.median(kib)), "min": mib(min(kib)), "max": mib(max(kib))}


def run_class(learners: int, spawn_timeouts: tuple[int, int], notebooks: list[str]) -> dict:
    names = [f"learner{index:02d}" for index in range(1, learners + 1)]
    with tempfile.TemporaryDirectory() as folder:
        hub = Hub(Path(folder), spawn_timeouts=spawn_timeouts)
        try:
            for name in names:  # the lesson in each home, as nbgitpuller leaves it (the test checks the pull itself)
                shutil.copytree(REPO / "notebooks", Path(folder) / "homes" / name / "ivig-teaching" / "notebooks")
            hub.api("POST", "/users", json={"usernames": names})
            ready_after: dict[str, float] = {}
            errors: list[str] = []
            start = threading.Barrier(learners + 1)
            began = [0.0]

            def spawn(name: str) -> None:
                try:
                    start.wait()
                    hub.api("POST", f"/users/{name}/server")
                    hub.wait_until_ready(name, timeout=max(spawn_timeouts) + 60)
                    ready_after[name] = time.perf_counter() - began[0]
                except Exception as problem:  # noqa: BLE001 - counted and reported, the class goes on
                    errors.append(f"{name}: {type(problem).__name__}: {str(problem).splitlines()[0][:200]}")

            threads = [threading.Thread(target=spawn, args=(name,)) for name in names]
            for thread in threads:
                thread.start()
            began[0] = time.perf_counter()
            start.wait()
            for thread in threads:
                thread.join()
            all_ready = max(ready_after.values()) if len(ready_after) == learners else None

            time.sleep(SETTLE_S)
            trees = learner_trees(hub)
            idle = [pss_kib(pids) for pids in trees.values()]
            start_cpu = [cpu_s(pids) for pids in trees.values()]
            hub_and_proxy = [pid for pid, (_, command) in process_tree(hub.pid).items()
                             if not any(pid in pids for pids in trees.values())]
            hub_idle = pss_kib(hub_and_proxy)
            hub_cpu = cpu_s(hub_and_proxy)

            tokens = {name: hub.learner_token(name) for name in ready_after}

            async def one_learner(name: str, token: str) -> list:
                # one kernel per notebook, left running, as JupyterLab does for each notebook a learner opens
                return [await run_notebook(hub.url, name, token, f"ivig-teaching/{path}") for path in notebooks]

            async def everyone_runs_the_quiz() -> list:
                return await asyncio.gather(*(one_learner(name, token) for name, token in tokens.items()),
                                            return_exceptions=True)

            quiz_began = time.perf_counter()
            runs = asyncio.run(everyone_runs_the_quiz())
            quiz_s = time.perf_counter() - quiz_began
            for name, ran in zip(tokens, runs, strict=True):
                if isinstance(ran, Exception):
                    errors.append(f"{name}: {type(ran).__name__}: {ran}")
                    continue
                for path, run in zip(notebooks, ran, strict=True):
                    if run["error"] or run["stderr"] or (path == QUIZ and len(run["widgets"]) != 1):
                        errors.append(f"{name} {path}: {run}")
            time.sleep(SETTLE_S)
            trees = learner_trees(hub)
            with_quiz = [pss_kib(pids) for pids in trees.values()]

            everything = process_tree(hub.pid)
            stop_began = time.perf_counter()
            left = hub.stop(timeout=120)
            while still_running(everything) and time.perf_counter() - stop_began < 120:
                time.sleep(0.2)
            stop_s = time.perf_counter() - stop_began
            # why servers failed, in the hub's own words
            hub_says = [line.strip() for line in hub.server.log.read_text(errors="replace").splitlines()
                        if line.startswith("[E ") or "Giving up" in line][:2]
        finally:
            hub.server.stop()
    waits = sorted(ready_after.values())
    return {
        "learners": learners,
        "notebooks": notebooks,
        "errors": errors,
        "hub_says": hub_says if errors else [],
        "all_ready_s": all_ready,
        "ready_median_s": statistics.median(waits) if waits else None,
        "first_ready_s": waits[0] if waits else None,
        "idle_mib_per_learner": spread(idle),
        "quiz_mib_per_learner": spread(with_quiz),
        "start_cpu_s_per_learner": statistics.median(start_cpu) if start_cpu else None,
        "hub_and_proxy_cpu_s": hub_cpu,
        "quiz_all_learners_s": quiz_s,
        "hub_and_proxy_mib": mib(hub_idle),
        "total_with_quiz_mib": mib(sum(with_quiz) + hub_idle),
        "stop_s": stop_s,
        "left_after_stop": len(left),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, nargs="+", default=[10, 20, 30])
    parser.add_argument("--spawn-timeouts", type=int, nargs=2, default=[300, 300], metavar=("START", "HTTP"),
                        help="the spawner's start and HTTP timeouts, in seconds (default 300 300; "
                             "JupyterHub's own defaults are 60 30)")
    parser.add_argument("--notebooks", nargs="+", default=[QUIZ],
                        help=f"what each learner runs, one kernel each (default: {QUIZ})")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    missing = missing_for_hub()
    if missing:
        sys.exit(missing)
    print(f"{'learners':>8} {'errors':>6} {'all ready s':>11} {'median s':>8} {'idle MiB':>8} {'quiz MiB':>8} "
          f"{'start CPU s':>11} {'quiz run s':>10} {'hub+proxy MiB':>13} {'total MiB':>9} {'stop s':>6} {'left':>4}", flush=True)
    rows = []
    for learners in args.learners:
        row = run_class(learners, tuple(args.spawn_timeouts), args.notebooks)
        rows.append(row)

        def fmt(value, spec):
            return format(value, spec) if value is not None else "-"
        print(f"{learners:>8} {len(row['errors']):>6} {fmt(row['all_ready_s'], '>11.1f')} "
              f"{fmt(row['ready_median_s'], '>8.1f')} {fmt(row['idle_mib_per_learner']['median'], '>8.0f')} "
              f"{fmt(row['quiz_mib_per_learner']['median'], '>8.0f')} {fmt(row['start_cpu_s_per_learner'], '>11.1f')} "
              f"{row['quiz_all_learners_s']:>10.1f} "
              f"{row['hub_and_proxy_mib']:>13.0f} {row['total_with_quiz_mib']:>9.0f} {row['stop_s']:>6.1f} "
              f"{row['left_after_stop']:>4}", flush=True)
        for error in row["errors"][:3]:
            print(f"    error: {error}", flush=True)
        for line in row["hub_says"]:
            print(f"    hub log: {line[:300]}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
