"""How fast the quiz app gives a closed page's kernel back, with the shipped settings (apps/voila.py), in real time.

    python bench/voila_kernel_lifetime.py [--pages 3] [--no-browser] [--cull SECONDS]

(--cull shortens the culler's timeout, checked every second, for the smoke test that the script still runs; the
figures in docs/benchmarks.md are from the shipped settings, without it.)

One Voila server on 127.0.0.1 with the shipped settings, unchanged. Three ways a page goes away:
- closed in a browser (Debian's Chromium, headless): the page navigates away, its `beforeunload` beacon asks
  Voila to shut the kernel down; measured from the navigation to the kernel process being gone;
- closed without the beacon (a phone that kills the tab, a crashed browser): a websocket client, like the page,
  that closes its connection; measured from the close to the kernel process being gone;
- never connected (a page whose scripts did not run): measured from the end of the page's download.
Also the memory of one kernel (PSS of its process, after the quiz notebook ran) and of the server.
All pages of a kind go away at the same instant; every wait is bounded (300 s).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.servers import process_tree, pss_kib, start_voila  # noqa: E402
from tests.test_voila_kernels import Learner  # noqa: E402

LIMIT = 300


def kernel_pid(server, before: set[int]) -> int:
    new = [pid for pid in server.kernel_pids() if pid not in before]
    assert len(new) == 1, new
    return new[0]


def gone_after(server, pids: list[int], since: float) -> list[float]:
    """Seconds from ``since`` until each kernel process has left the server's process tree."""
    left, times = set(pids), {}
    while left and time.monotonic() - since < LIMIT:
        alive = set(process_tree(server.process.pid))
        for pid in list(left):
            if pid not in alive:
                times[pid] = time.monotonic() - since
                left.discard(pid)
        time.sleep(0.1)
    return [times.get(pid, float("inf")) for pid in pids]


def by_browser(server, pages: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, find_chromium

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), headless=True, args=CHROMIUM_ARGS)
        opened, pids = [], []
        for _ in range(pages):
            before = set(server.kernel_pids())
            page = browser.new_page()
            page.goto(server.url)
            page.locator(".ivig-quiz .ivig-prompt").wait_for(timeout=90_000)
            opened.append(page)
            pids.append(kernel_pid(server, before))
        start = time.monotonic()
        for page in opened:
            page.goto("about:blank")
        times = gone_after(server, pids, start)
        browser.close()
    return times


def without_beacon(server, pages: int) -> list[float]:
    async def run() -> list[float]:
        learners, pids = [], []
        for _ in range(pages):
            before = set(server.kernel_pids())
            learner = Learner(server)
            await learner.connect()
            assert await learner.kernel_answers()
            learners.append(learner)
            pids.append(kernel_pid(server, before))
        start = time.monotonic()
        for learner in learners:
            learner.socket.close()
        return gone_after(server, pids, start)

    return asyncio.run(run())


def never_connected(server, pages: int) -> list[float]:
    pids = []
    for _ in range(pages):
        before = set(server.kernel_pids())
        Learner(server)
        pids.append(kernel_pid(server, before))
    return gone_after(server, pids, time.monotonic())


def summary(times: list[float]) -> str:
    return f"median {statistics.median(times):.1f} s, min {min(times):.1f} s, max {max(times):.1f} s (n={len(times)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurement")
    parser.add_argument("--cull", type=int, help="a shorter cull_idle_timeout, for the smoke test only")
    args = parser.parse_args()
    shorter = [f"--MappingKernelManager.cull_idle_timeout={args.cull}", "--MappingKernelManager.cull_interval=1"]
    with tempfile.TemporaryDirectory() as folder:
        server = start_voila(Path(folder), "notebooks/04-quiz.ipynb", *(shorter if args.cull else []))
        try:
            before = set(server.kernel_pids())
            learner = Learner(server)
            time.sleep(2)
            pid = kernel_pid(server, before)
            print(f"one kernel after the quiz notebook ran: {pss_kib([pid]) / 1024:.0f} MiB PSS; "
                  f"server alone {pss_kib([server.process.pid]) / 1024:.0f} MiB PSS")
            async def visit() -> None:
                await learner.connect()
                learner.socket.close()

            asyncio.run(visit())
            gone_after(server, [pid], time.monotonic())
            if not args.no_browser:
                print("closed in Chromium (beacon):    ", summary(by_browser(server, args.pages)))
            print("closed without the beacon:      ", summary(without_beacon(server, args.pages)))
            print("never connected:                ", summary(never_connected(server, args.pages)))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
