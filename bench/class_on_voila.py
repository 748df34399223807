"""A class on one Voila server: N learners open the quiz app at once and each answers 5 questions.

    python bench/class_on_voila.py [--learners 10 20 30] [--pool-size 5] [--questions 5] [--spread 0]

Each learner is a client that costs the server what a browser costs it, but little CPU on this machine: it
GETs the app page (Voila runs the notebook in a new kernel for it), opens the kernel's websocket, asks for the
widgets' state as ipywidgets' front end does (the "jupyter.widget.control" comm), then answers questions as the
quiz's anywidget front end does: the page checks an answer itself and shows the feedback at once, and sends the
answer to the kernel in one custom message, {"kind": "answer", ...}, which the kernel answers with one
{"kind": "recorded", ...}; "Next" syncs the "position" trait. The learner waits for each receipt. All learners
run as asyncio tasks in this one process, so the two cores stay with the server and its kernels (Playwright
pages would spend most of the CPU on the browsers).

With --spread S the learners arrive evenly over S seconds instead of all in the same instant.

Reported per class size and configuration (plain, and with a preheated kernel pool):
- time to interactive: from a learner's first request to having the quiz widget's state, questions and front-end
  module included (p50, p95);
- receipt: from an answer's message to the kernel's receipt (p50; the learner sees the feedback before, in the
  page);
- errors: learners that did not finish;
- memory: the peak PSS of the Voila server and all its kernels, and that divided by the learners;
- reclaim: seconds from the last learner leaving until every learner's kernel is gone (the preheated pool's spare
  kernels stay, by design).
Loopback only; every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.servers import pss_kib, start_voila  # noqa: E402

TIMEOUT = 120  # seconds: the longest any one step may take before the learner counts as an error


def message(msg_type: str, content: dict, session: str, metadata: dict) -> str:
    return json.dumps({
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": session, "username": "learner",
                   "date": "", "version": "5.3"},
        "parent_header": {}, "metadata": metadata, "content": content, "channel": "shell", "buffers": [],
    })


class Learner:
    """One learner's connection: the widget models the kernel has told it about, kept up to date."""

    def __init__(self, base: str):
        self.base = base
        self.session = uuid.uuid4().hex
        self.models: dict[str, dict] = {}
        self.socket = None
        self.control = uuid.uuid4().hex
        self.kernel = ""
        self.receipts: dict[int, dict] = {}  # the kernel's {"kind": "recorded"} replies, by message number
        self.sent = 0
        self.position = 0

    async def open_app(self) -> None:
        client = AsyncHTTPClient()
        page = await client.fetch(self.base, request_timeout=TIMEOUT, connect_timeout=TIMEOUT)
        kernel = self.kernel = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', page.body.decode()).group(1)
        cookies = "; ".join(c.split(";", 1)[0] for c in page.headers.get_list("Set-Cookie"))
        url = self.base.replace("http", "ws", 1) + f"api/kernels/{kernel}/channels?session_id={self.session}"
        headers = {"Origin": self.base.rstrip("/"), "Cookie": cookies}
        self.socket = await websocket_connect(HTTPRequest(url, headers=headers, request_timeout=TIMEOUT))
        await self.send("comm_open", {"comm_id": self.control, "target_name": "jupyter.widget.control", "data": {}},
                        version="1.0.0")
        await self.send("comm_msg", {"comm_id": self.control, "data": {"method": "request_states"}}, version="1.0.0")
        await self.until(lambda: self.quiz() is not None)

    def quiz(self) -> str | None:
        """The quiz widget's model id, once its state (the questions, the front end's module) has arrived."""
        for model_id, state in self.models.items():
            if state.get("_model_name") == "AnyModel" and "questions" in state.get("data", {}) and state.get("_esm"):
                return model_id
        return None

    async def send(self, msg_type: str, content: dict, version: str = "2.1.0") -> None:
        # ipywidgets checks the protocol version: 1.0.0 for the control comm, 2.x for widget messages
        await self.socket.write_message(message(msg_type, content, self.session, {"version": version}))

    def take(self, raw: str) -> None:
        msg = json.loads(raw)
        kind, content = msg["header"]["msg_type"], msg.get("content", {})
        data = content.get("data", {})
        if kind == "comm_open" and "state" in data:
            self.models[content["comm_id"]] = dict(data["state"])
        elif kind == "comm_msg" and data.get("method") == "update_states":
            for model_id, state in data["states"].items():
                self.models[model_id] = dict(state.get("state", state))
        elif kind == "comm_msg" and data.get("method") in ("update", "echo_update"):
            self.models.setdefault(content["comm_id"], {}).update(data.get("state", {}))
        elif kind == "comm_msg" and data.get("method") == "custom" and data.get("content", {}).get("kind") == "recorded":
            self.receipts[data["content"].get("number")] = data["content"]

    async def until(self, condition) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not condition():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no answer from the kernel in time")
            raw = await asyncio.wait_for(self.socket.read_message(), remaining)
            if raw is None:
                raise ConnectionError("the kernel's websocket closed")
            if isinstance(raw, str):
                self.take(raw)

    async def answer_one(self) -> float:
        """Answer the question shown, rightly, as the quiz's front end does: the page checks the answer itself
        (no kernel involved) and sends it in one custom message; then "Next" syncs the position trait. Returns
        the seconds from that message to the kernel's receipt (the learner already sees the feedback)."""
        quiz = self.quiz()
        question = self.models[quiz]["data"]["questions"][self.position]
        if question["kind"] == "single":
            response = next(c["id"] for c in question["choices"] if c["correct"])
        elif question["kind"] == "multiple":
            response = [c["id"] for c in question["choices"] if c["correct"]]
        else:
            response = {item["id"]: item["answer"] for item in question["items"]}
        self.sent += 1
        number = self.sent
        content = {"kind": "answer", "question_id": question["id"], "response": response, "review": False,
                   "number": number}
        start = time.perf_counter()
        await self.send("comm_msg", {"comm_id": quiz, "data": {"method": "custom", "content": content}})
        await self.until(lambda: number in self.receipts)
        receipt = time.perf_counter() - start
        if self.receipts[number].get("correct") is not True:
            raise AssertionError(f"the kernel did not record a right answer as right: {self.receipts[number]}")
        self.position += 1  # "Next": the page shows the next question and syncs where the learner is
        await self.send("comm_msg", {"comm_id": quiz, "data": {"method": "update", "state": {"position": self.position},
                                                               "buffer_paths": []}})
        return receipt


async def one_learner(base: str, questions: int, results: list, delay: float = 0.0) -> None:
    await asyncio.sleep(delay)  # arriving later than the first learner, when the class trickles in
    learner = Learner(base)
    start = time.perf_counter()
    try:
        await learner.open_app()
        interactive = time.perf_counter() - start
        checks = [await learner.answer_one() for _ in range(questions)]  # seconds to each receipt
        results.append({"ok": True, "interactive": interactive, "checks": checks, "kernel": learner.kernel})
    except Exception as problem:  # noqa: BLE001 - a failed learner is a counted error, not a crash
        results.append({"ok": False, "error": f"{type(problem).__name__}: {problem}", "kernel": learner.kernel})
    finally:
        if learner.socket is not None:
            learner.socket.close()


async def sample_memory(server, peak: list[int], stop: asyncio.Event) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], pss_kib([server.process.pid, *server.kernel_pids()]))
        await asyncio.sleep(0.5)


def running_kernels(kernel_ids: set[str]) -> set[str]:
    """Which of these kernels still run (a kernel's command line names its connection file, kernel-ID.json)."""
    running = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            running |= {kernel for kernel in kernel_ids if kernel in command}
    return running


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run_class(learners: int, questions: int, extra: list[str], label: str, spread: float = 0.0) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        server = start_voila(Path(folder), "notebooks/04-quiz.ipynb", *extra)
        try:
            if "--preheat_kernel=True" in extra:  # let the pool fill before the class arrives
                deadline = time.monotonic() + 180
                pool = int(next(a for a in extra if a.startswith("--pool_size=")).split("=")[1])
                while len(server.kernel_pids()) < pool and time.monotonic() < deadline:
                    time.sleep(1)
                time.sleep(5)
            idle_kib = pss_kib([server.process.pid, *server.kernel_pids()])
            results: list = []
            peak = [idle_kib]

            async def main() -> None:
                stop = asyncio.Event()
                sampler = asyncio.create_task(sample_memory(server, peak, stop))
                delays = [spread * index / max(1, learners - 1) for index in range(learners)]
                await asyncio.gather(*(one_learner(server.url, questions, results, delay) for delay in delays))
                stop.set()
                await sampler

            started = time.perf_counter()
            asyncio.run(main())
            wall = time.perf_counter() - started
            left = time.monotonic()
            learner_kernels = {r["kernel"] for r in results if r.get("kernel")}
            while running_kernels(learner_kernels) and time.monotonic() - left < 180:
                time.sleep(1)
            reclaim = time.monotonic() - left if not running_kernels(learner_kernels) else None
        finally:
            server.stop()
    done = [r for r in results if r["ok"]]
    interactive = [r["interactive"] for r in done]
    checks = [c for r in done for c in r["checks"]]
    return {
        "configuration": label,
        "learners": learners,
        "errors": learners - len(done),
        "error_examples": sorted({r["error"] for r in results if not r["ok"]})[:3],
        "wall_s": wall,
        "tti_p50_s": statistics.median(interactive) if interactive else None,
        "tti_p95_s": percentile(interactive, 0.95) if interactive else None,
        "receipt_p50_ms": statistics.median(checks) * 1000 if checks else None,
        "receipt_p95_ms": percentile(checks, 0.95) * 1000 if checks else None,
        "peak_mib": peak[0] / 1024,
        "idle_mib": idle_kib / 1024,
        "mib_per_learner": peak[0] / 1024 / learners,
        "reclaim_s": reclaim,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, nargs="+", default=[10, 20, 30])
    parser.add_argument("--questions", type=int, default=5)
    parser.add_argument("--pool-size", type=int, default=5, help="preheated kernels kept ready (default 5)")
    parser.add_argument("--configurations", nargs="+", choices=["plain", "preheated"], default=["plain", "preheated"])
    parser.add_argument("--cull-idle-timeout", type=int, help="override apps/voila.py's setting (for a quick check)")
    parser.add_argument("--spread", type=float, default=0.0,
                        help="seconds over which learners arrive, evenly (default 0: all at once)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    cull = []
    if args.cull_idle_timeout is not None:
        cull = [f"--MappingKernelManager.cull_idle_timeout={args.cull_idle_timeout}",
                f"--MappingKernelManager.cull_interval={max(1, args.cull_idle_timeout // 3)}"]
    every = {
        "plain": ("plain", cull),
        "preheated": (f"preheated pool of {args.pool_size}",
                      ["--preheat_kernel=True", f"--pool_size={args.pool_size}", *cull]),
    }
    configurations = [every[name] for name in args.configurations]
    rows = []
    header = (f"{'configuration':24} {'learners':>8} {'errors':>6} {'TTI p50 s':>9} {'TTI p95 s':>9} "
              f"{'receipt p50 ms':>14} {'peak MiB':>9} {'MiB/learner':>11} {'reclaim s':>9}")
    print(header, flush=True)
    for learners in args.learners:
        for label, extra in configurations:
            row = run_class(learners, args.questions, extra, label, args.spread)
            row["spread_s"] = args.spread
            rows.append(row)
            def fmt(value, spec):
                return format(value, spec) if value is not None else "-"
            print(f"{label:24} {learners:>8} {row['errors']:>6} {fmt(row['tti_p50_s'], '>9.2f')} "
                  f"{fmt(row['tti_p95_s'], '>9.2f')} {fmt(row['receipt_p50_ms'], '>14.0f')} {row['peak_mib']:>9.0f} "
                  f"{row['mib_per_learner']:>11.0f} {fmt(row['reclaim_s'], '>9.0f')}", flush=True)
            for example in row["error_examples"]:
                print(f"    error: {example}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
