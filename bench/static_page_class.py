"""A class of 300 learners opening the static quiz page at the same instant, from one stock web server.

    apt-get install -y nginx       # optional: without it the nginx row is skipped (the script installs nothing)
    python bench/static_page_class.py [--clients 300] [--rounds 3] [--servers http.server nginx] [--no-browser] [--json FILE]

The page is ``python -m ivig_content quiz-page`` (the core quiz): one self-contained file, so having the whole
page is all the first question needs. It is served from this machine's loopback by
- ``python -m http.server`` (Python's standard library; a thread per connection), and
- nginx from Debian, with Debian's stock settings for static files (``worker_processes auto``, sendfile, gzip on,
  an access log) in a private configuration on a free port, in the foreground (``daemon off``).

Each learner is a plain HTTP client (asyncio and raw sockets, in one thread of this process, so the clients cost
the 2 cores little): it connects, sends ``GET /quiz.html`` and reads to the end. All of them start together.
Reported per server, over every round: time to the whole page (from the connect to the last byte; p50, p95,
max), the time until the last client of a round was done ("all s": the median round; each round is listed too),
errors (a refused or reset connection, a timeout, a status other than 200, or a page that is not whole),
the peak memory of the server's processes while the clients load (RSS and PSS, summed, from
/proc/PID/smaps_rollup, sampled every 20 ms) and the page's size (as sent, and gzipped as nginx sends it to a
browser that asks for it; the clients do not ask).

With a browser (Debian's Chromium, headless): in each round, one page load alone first, then one that starts
just after every client has started to connect (so it queues behind the whole class). Measured on the page's own clock, from navigation start: the page received
(``responseEnd``) and the first question visible (the first animation frame after ``.ivig-prompt`` has its text).
So the time from the page received to the question shown is what rendering costs, with and without the load.
Loopback only; every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.servers import Server, free_port, process_tree  # noqa: E402

TIMEOUT_S = 60  # a learner still waiting after this counts as an error
PATH = "/quiz.html"
NGINX_HINT = "install it with: apt-get install -y nginx"

NGINX_CONF = """# Debian's stock nginx.conf for static files, with private paths and a loopback port
{user}worker_processes auto;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 768; }}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder}/access.log;
    gzip on;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        index index.html;
    }}
}}
"""

# On the page, before its own script: when the first question's prompt has its text, and the next frame.
FIRST_QUESTION = """(() => {
  window.__firstQuestion = {};
  const observer = new MutationObserver(() => {
    const prompt = document.querySelector(".ivig-prompt");
    if (!prompt || !prompt.textContent.trim() || window.__firstQuestion.dom !== undefined) return;
    window.__firstQuestion.dom = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => { window.__firstQuestion.frame = performance.now(); });
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
})();"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# --- the servers -----------------------------------------------------------------------------------------


def start_http_server(folder: Path, site: Path) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)]
    return Server(command, site, dict(os.environ), port, folder / "http-server.log")


def start_nginx(folder: Path, site: Path) -> Server | str:
    """nginx on a free loopback port, or why it cannot run here."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        return f"nginx is not installed: {NGINX_HINT}"
    port = free_port()
    place = folder / "nginx"
    place.mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers as root: they read the private site folder
    conf = place / "nginx.conf"
    conf.write_text(NGINX_CONF.format(user=user, folder=place, port=port, site=site), encoding="utf-8")
    try:
        return Server([nginx, "-p", str(place), "-e", str(place / "error.log"), "-c", str(conf)], place,
                      dict(os.environ), port, place / "console.log")
    except RuntimeError as problem:
        return f"nginx did not start: {str(problem).splitlines()[-1][:300]}"


def memory_kib(pids: list[int]) -> tuple[int, int]:
    """(RSS, PSS) of these processes together, in KiB."""
    rss = pss = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            pass
    return rss, pss


class MemorySampler(threading.Thread):
    """The peak RSS and PSS of a server's processes (re-listed each time: nginx's workers, new threads)."""

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root = root
        self.peak = (0, 0)
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            rss, pss = memory_kib(list(process_tree(self.root)))
            self.peak = (max(self.peak[0], rss), max(self.peak[1], pss))
            self.done.wait(0.02)


# --- the learners ----------------------------------------------------------------------------------------


async def one_learner(port: int, size: int) -> tuple[float | None, str | None]:
    request = f"GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()
    start = time.perf_counter()
    try:
        async with asyncio.timeout(TIMEOUT_S):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            try:
                writer.write(request)
                await writer.drain()
                data = await reader.read()  # to the end: both servers close after the page
            finally:
                writer.close()
    except Exception as problem:  # noqa: BLE001 - each failure is a counted error
        return None, type(problem).__name__
    elapsed = time.perf_counter() - start
    head, _, body = data.partition(b"\r\n\r\n")
    status = head.split(b"\r\n", 1)[0]
    if b" 200 " not in status + b" ":
        return None, f"status {status.decode(errors='replace')[:40]}"
    if len(body) != size:
        return None, f"page not whole ({len(body)} of {size} bytes)"
    return elapsed, None


def run_clients(port: int, clients: int, size: int, go: threading.Event, out: dict,
                connecting: threading.Event | None = None) -> None:
    """In a thread of its own (Playwright's sync API keeps an event loop in the main thread). ``connecting`` is
    set once every client has started to connect."""

    async def everyone() -> list:
        tasks = [asyncio.create_task(one_learner(port, size)) for _ in range(clients)]
        await asyncio.sleep(0)  # each task has run to its connect
        if connecting is not None:
            connecting.set()
        return await asyncio.gather(*tasks)

    go.wait()
    start = time.perf_counter()
    out["results"] = asyncio.run(everyone())
    out["wall"] = time.perf_counter() - start


# --- one browser -----------------------------------------------------------------------------------------


def browser_visit(browser, url: str) -> dict:
    """One page load in a new context (nothing cached): page received, first question visible (page clock, ms)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.add_init_script(FIRST_QUESTION)
        start = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=TIMEOUT_S * 1000)
        # Polled from here: the page's Content-Security-Policy forbids the eval that wait_for_function needs once it
        # has to poll inside the page (a busy machine made that happen, and the visit failed); evaluate() is not
        # subject to it. The figure is the page's own clock, so the 10 ms polling does not change it.
        deadline = time.monotonic() + TIMEOUT_S
        while not page.evaluate("Boolean(window.__firstQuestion && window.__firstQuestion.frame !== undefined)"):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no question shown within {TIMEOUT_S} s: {url}")
            time.sleep(0.01)
        wall = (time.perf_counter() - start) * 1000
        shown = page.evaluate("window.__firstQuestion")
        received = page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd")
        return {"received_ms": received, "visible_ms": shown["frame"], "render_ms": shown["frame"] - received,
                "wall_ms": wall, "problems": problems}
    finally:
        context.close()


# --- a class ---------------------------------------------------------------------------------------------


def run_server(name: str, server: Server, clients: int, rounds: int, size: int, browser) -> dict:
    url = f"http://127.0.0.1:{server.port}{PATH}"
    root = server.process.pid
    times: list[float] = []
    errors: list[str] = []
    walls: list[float] = []
    per_round: list[str] = []
    alone: list[dict] = []
    loaded: list[dict] = []
    idle = memory_kib(list(process_tree(root)))
    peak = (0, 0)
    warm = threading.Event()  # one load first: the file in the page cache, as after a first visitor
    warm.set()
    first = threading.Thread(target=run_clients, args=(server.port, 1, size, warm, {}))
    first.start()
    first.join(TIMEOUT_S)
    for _ in range(rounds):
        if browser is not None:
            alone.append(browser_visit(browser, url))
        sampler = MemorySampler(root)
        sampler.start()
        go, out, connecting = threading.Event(), {}, threading.Event()
        crowd = threading.Thread(target=run_clients, args=(server.port, clients, size, go, out, connecting))
        crowd.start()
        go.set()
        if browser is not None:  # behind the class: every client has started to connect
            connecting.wait(TIMEOUT_S)
            loaded.append(browser_visit(browser, url))
        crowd.join(TIMEOUT_S * 3)
        sampler.done.set()
        sampler.join()
        peak = (max(peak[0], sampler.peak[0]), max(peak[1], sampler.peak[1]))
        walls.append(out["wall"])
        failed = sum(1 for _, problem in out["results"] if problem is not None)
        per_round.append(f"{out['wall']:.2f} s, {failed} errors")
        times += [elapsed for elapsed, _ in out["results"] if elapsed is not None]
        errors += [problem for _, problem in out["results"] if problem is not None]
        time.sleep(1)  # let the last connections close before the next round

    def median_of(visits: list[dict], key: str) -> float | None:
        return statistics.median(v[key] for v in visits) if visits else None

    return {
        "server": name,
        "clients": clients,
        "rounds": rounds,
        "loads": clients * rounds,
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "page_p50_ms": statistics.median(times) * 1000 if times else None,
        "page_p95_ms": percentile(times, 0.95) * 1000 if times else None,
        "page_max_ms": max(times) * 1000 if times else None,
        "all_clients_s": statistics.median(walls),
        "rounds_detail": per_round,
        "idle_rss_mib": idle[0] / 1024,
        "idle_pss_mib": idle[1] / 1024,
        "peak_rss_mib": peak[0] / 1024,
        "peak_pss_mib": peak[1] / 1024,
        "processes": len(process_tree(root)),
        "browser_alone": {key: median_of(alone, key) for key in ("received_ms", "visible_ms", "render_ms")},
        "browser_loaded": {key: median_of(loaded, key) for key in ("received_ms", "visible_ms", "render_ms")},
        "browser_loaded_each": [round(v["visible_ms"]) for v in loaded],
        "browser_problems": sorted({p for v in alone + loaded for p in v["problems"]})[:3],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=300, help="learners loading the page at once (default 300)")
    parser.add_argument("--rounds", type=int, default=3, help="times the whole class loads the page (default 3)")
    parser.add_argument("--servers", nargs="+", choices=["http.server", "nginx"], default=["http.server", "nginx"])
    parser.add_argument("--no-browser", action="store_true", help="plain HTTP clients only, no Chromium")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    browser = playwright = None
    if not args.no_browser:
        from tests.browser.conftest import CHROMIUM_ARGS, INSTALL_HINT, find_chromium

        chromium = find_chromium()
        if chromium is None:
            print(f"no Chromium: {INSTALL_HINT} (or pass --no-browser)")
            return 2
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)

    rows, skipped = [], []
    try:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            site = folder / "site"
            site.mkdir()
            subprocess.run([sys.executable, "-m", "ivig_content", "quiz-page", "--out", str(site / "quiz.html")],
                           check=True, capture_output=True, cwd=REPO)
            page = (site / "quiz.html").read_bytes()
            size, gzipped = len(page), len(gzip.compress(page, compresslevel=1))  # nginx's gzip_comp_level 1
            for name in args.servers:
                server = start_http_server(folder, site) if name == "http.server" else start_nginx(folder, site)
                if isinstance(server, str):
                    skipped.append((name, server))
                    continue
                try:
                    rows.append(run_server(name, server, args.clients, args.rounds, size, browser))
                finally:
                    server.stop()
    finally:
        if browser is not None:
            browser.close()
            playwright.stop()

    def fmt(value, spec: str) -> str:
        width = spec.lstrip(">").split(".")[0]
        return format(value, spec) if value is not None else format("-", f">{width}")

    print(f"page: {size} bytes ({gzipped} gzipped); {args.clients} clients at once, {args.rounds} rounds")
    print(f"{'server':12} {'loads':>6} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'all s':>6} "
          f"{'RSS MiB':>7} {'PSS MiB':>7} {'procs':>5} {'browser alone ms':>16} {'under load ms':>13} {'render ms':>9}")
    for row in rows:
        alone, loaded = row["browser_alone"], row["browser_loaded"]
        print(f"{row['server']:12} {row['loads']:>6} {row['errors']:>6} {fmt(row['page_p50_ms'], '>7.0f')} "
              f"{fmt(row['page_p95_ms'], '>7.0f')} {fmt(row['page_max_ms'], '>7.0f')} {row['all_clients_s']:>6.2f} "
              f"{row['peak_rss_mib']:>7.1f} {row['peak_pss_mib']:>7.1f} {row['processes']:>5} "
              f"{fmt(alone['visible_ms'], '>16.0f')} {fmt(loaded['visible_ms'], '>13.0f')} "
              f"{fmt(loaded['render_ms'], '>9.0f')}")
    for row in rows:
        print(f"  {row['server']}: each round, all clients done after: {'; '.join(row['rounds_detail'])}")
        for kind in row["error_kinds"]:
            print(f"  {row['server']}: error: {kind}")
        for problem in row["browser_problems"]:
            print(f"  {row['server']}: page error: {problem}")
        if row["browser_loaded_each"]:
            loaded = row["browser_loaded"]
            print(f"  {row['server']}: browser under load, first question visible after {row['browser_loaded_each']} ms "
                  f"(page received after {loaded['received_ms']:.0f} ms, median); idle server "
                  f"{row['idle_rss_mib']:.1f} MiB RSS / {row['idle_pss_mib']:.1f} MiB PSS")
    for name, why in skipped:
        print(f"{name}: skipped: {why}")
    if args.json:
        args.json.write_text(json.dumps({"page_bytes": size, "gzipped_bytes": gzipped, "rows": rows,
                                         "skipped": skipped}, indent=1), encoding="utf-8")
    return 0 if any(row["server"] == "http.server" for row in rows) or "http.server" not in args.servers else 1


if __name__ == "__main__":
    sys.exit(main())
