"""Helpers the web tests share (a module, not fixtures): tokens, the malicious name."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

BASE = "http://127.0.0.1"
MALICIOUS = "<script>alert(1)</script>"


def csrf_of(client: TestClient) -> str:
    """The CSRF token of the client's session (the API hands it out)."""
    response = client.get("/api/v1/csrf")
    assert response.status_code == 200, response.text
    token: str = response.json()["token"]
    return token


def form_token(html: str) -> str:
    """The CSRF token of the first form in a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


@contextmanager
def live_server(db_url: str) -> Iterator[str]:
    """The web app over ``db_url`` served by uvicorn on 127.0.0.1 (a free port), in a
    thread, for the browser tests; yields its address."""
    import uvicorn

    from netfolio.web import create_app

    app = create_app(db_url, warm=True)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    uv = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uv.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=10)
        sock.close()
        app.state.ctx.cache.stop()  # lifespan is off: stop watching the ledger here
        app.state.ctx.net.close()


#: The browser the browser tests drive, and its flags.
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@contextmanager
def browser_tab(base_url: str, *, timeout_ms: int) -> Iterator[Any]:
    """A headless Chromium tab on ``base_url`` (1280x900); the console's errors are kept in
    ``tab.console_errors`` for the test to check."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        tab.set_default_timeout(timeout_ms)
        tab.console_errors = []  # type: ignore[attr-defined]
        tab.on("console", lambda m: m.type == "error" and tab.console_errors.append(m.text))
        try:
            yield tab
        finally:
            context.close()
            browser.close()
