"""Serve a built site on 127.0.0.1 and open it in headless Chromium (Playwright).

Used at build time to print the PDF (:mod:`analysis.build.pdf`), and through
:mod:`atlas_dev.site` by the browser tests and the benchmark, so all see the site served the
same way in the same browser.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

DEFAULT_CHROMIUM = "/usr/bin/chromium"  # Debian's chromium package


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]


def chromium_path() -> Path:
    """Return the Chromium binary to use: ``$ATLAS_CHROMIUM`` if set, else Debian's."""
    return Path(os.environ.get("ATLAS_CHROMIUM") or DEFAULT_CHROMIUM)


@contextmanager
def launch_chromium(
    executable: Path | None = None, env: dict[str, str] | None = None
) -> Iterator[Any]:
    """Launch Chromium headless through Playwright with :data:`CHROMIUM_ARGS`; yield it.

    ``executable`` defaults to :func:`chromium_path`; ``env`` is added to this process's
    environment for the browser (e.g. ``FONTCONFIG_FILE``). Playwright is imported here, so a
    missing Playwright raises :class:`ImportError` only when a browser is wanted. The
    browser is closed when the ``with`` block ends.
    """
    from playwright.sync_api import sync_playwright

    executable = executable or chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(executable),
            args=CHROMIUM_ARGS,
            env={**os.environ, **env} if env else None,
        )
        try:
            yield browser
        finally:
            browser.close()


class QuietHandler(SimpleHTTPRequestHandler):
    """Static file handler without per-request logging and with a few extra MIME types."""

    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".geojson": "application/geo+json",
        ".topojson": "application/json",
        ".svg": "image/svg+xml",
        ".wasm": "application/wasm",
    }

    def log_message(self, format: str, *args: object) -> None:
        """Do not log requests."""


@contextmanager
def serve(directory: Path, handler: type[SimpleHTTPRequestHandler] = QuietHandler) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (free port) in a thread; yield its base URL.

    The URL ends in ``/`` (``http://127.0.0.1:PORT/``). The server is shut down and its
    socket closed when the ``with`` block ends.
    """
    bound = functools.partial(handler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), bound)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="atlas-site", daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
