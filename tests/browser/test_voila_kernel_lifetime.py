"""In a real browser, a quiz page that goes away gives its kernel back at once (its beacon is accepted now).

The app culls a kernel only 120 s after its page disconnected (so that a dropped network does not cost the
learner their kernel); a kernel gone within seconds can only have been shut down by the page's own request.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page

from ..servers import start_voila
from .conftest import wait_until

WIDGET = ".ivig-quiz .ivig-prompt"


@pytest.fixture
def quiz_app(tmp_path, chromium):
    server = start_voila(tmp_path, "notebooks/04-quiz.ipynb")
    yield server
    server.stop()


@pytest.mark.parametrize("leave", ["navigate away", "close the tab"])
def test_a_page_that_goes_away_gives_its_kernel_back_at_once(quiz_app, page: Page, page_problems, leave, capsys):
    page.goto(quiz_app.url)
    page.locator(WIDGET).wait_for(timeout=60_000)
    assert len(quiz_app.kernel_pids()) == 1
    left = time.monotonic()
    if leave == "navigate away":
        page.goto("about:blank")
    else:  # as a person closing the tab: the page's unload handlers run
        page.close(run_before_unload=True)
    wait_until(lambda: quiz_app.kernel_pids() == [], 20, "the kernel to be shut down by the page's request")
    assert time.monotonic() - left < 60  # far sooner than the 120 s cull
    assert page_problems == []
    assert "403 POST /voila/api/shutdown" not in quiz_app.log.read_text()
    with capsys.disabled():
        print(f"\n[kernel] {leave}: Voila kernel gone {time.monotonic() - left:.1f} s after the page went away")
