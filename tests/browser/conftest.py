"""Real-browser tests: JupyterLab and Voila in headless Chromium, driven by Playwright.

Chromium is Debian's (`/usr/bin/chromium`), never a browser Playwright downloads. Where it is missing, these
tests skip with a one-line reason on a developer's machine, and fail in CI (CI=true), so a missing browser can
never pass for a green run. `make test` installs it where it can (Debian, as root).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page

from ..servers import Server, lesson_copy, start_jupyterlab

# Without the networking flags Chromium floods the closed network with update and sync requests.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
# Voila 0.5's own page asks a CDN for Font Awesome's CSS; these two requests are the platform's, not ours.
PLATFORM_REQUESTS = (
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@%5E5/css/all.min.css",
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@%5E5/css/v4-shims.min.css",
)
INSTALL_HINT = "install Debian's chromium (sudo apt-get install chromium) or set IVIG_CHROMIUM=/path/to/chromium"


def find_chromium() -> str | None:
    for candidate in (os.environ.get("IVIG_CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing, so the browser tests cannot run: {INSTALL_HINT}")
        pytest.skip(f"no Chromium: {INSTALL_HINT}")
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, chromium: str) -> dict:
    return {**browser_type_launch_args, "executable_path": chromium, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "accept_downloads": True}


class Lab:
    """A running JupyterLab over a copy of the lesson."""

    def __init__(self, server: Server, base: str, token: str, root: Path):
        self.server, self.base, self.token, self.root = server, base, token, root

    def open(self, page: Page, path: str) -> None:
        """Open one notebook on a fresh kernel, in a reset workspace (no tabs from earlier tests)."""
        self.shut_down_kernels()
        page.goto(f"{self.base}/lab/tree/{path}?reset&token={self.token}")
        page.locator(".jp-StatusBar-Widget", has_text="| Idle").first.wait_for(timeout=90_000)

    def shut_down_kernels(self) -> None:
        headers = {"Authorization": f"token {self.token}"}
        with urllib.request.urlopen(urllib.request.Request(f"{self.base}/api/kernels", headers=headers)) as answer:
            kernels = json.load(answer)
        for kernel in kernels:
            request = urllib.request.Request(f"{self.base}/api/kernels/{kernel['id']}", headers=headers, method="DELETE")
            urllib.request.urlopen(request).close()

    def run_all(self, page: Page) -> None:
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        wait_until(lambda: all_cells_ran(page), 180, "every code cell to run")


def all_cells_ran(page: Page) -> bool:
    prompts = page.locator(".jp-CodeCell .jp-InputArea-prompt").all_inner_texts()
    return bool(prompts) and all(text.strip()[:1] == "[" and "*" not in text and text.strip() != "[ ]:" for text in prompts)


def wait_until(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


@pytest.fixture(scope="session")
def lab(tmp_path_factory, chromium) -> Iterator[Lab]:
    folder = tmp_path_factory.mktemp("jupyterlab")
    root = lesson_copy(folder)
    server, base, token = start_jupyterlab(folder, root)
    yield Lab(server, base, token, root)
    server.stop()


class NetworkLog:
    """Every request a page makes; anything that would leave this machine is refused and remembered."""

    def __init__(self, page: Page):
        self.outside: list[str] = []
        page.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        host = urlparse(url).hostname
        if url.startswith(("data:", "blob:", "about:")) or host in ("127.0.0.1", "localhost", "::1"):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def not_ours(self) -> list[str]:
        return [url for url in self.outside if url not in PLATFORM_REQUESTS]


_reported: set[str] = set()


@pytest.fixture
def network(page: Page, capsys) -> Iterator[NetworkLog]:
    log = NetworkLog(page)
    yield log
    platform = sorted(set(log.outside) & set(PLATFORM_REQUESTS) - _reported)
    if platform:  # reported once, not failed: these belong to Voila's own page, not to this project
        _reported.update(platform)
        with capsys.disabled():
            for url in platform:
                print(f"\n[network] refused Voila's own request to {url}")
    assert log.not_ours() == [], f"requests that would leave the machine: {log.not_ours()}"


@pytest.fixture
def page_problems(page: Page) -> Iterator[list[str]]:
    """Dialogs (alert, confirm) and uncaught page errors: a lesson page must have none."""
    problems: list[str] = []
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    yield problems


def summary_of(timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"n={len(ordered)} p50={statistics.median(ordered) * 1000:.0f} ms p95={p95 * 1000:.0f} ms"
