"""Tests for :mod:`atlas_dev.site`: redirect detection, page discovery and the local server."""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlsplit

import pytest

from atlas_dev.site import (
    CHROMIUM_ARGS,
    QuietHandler,
    chromium_path,
    discover_pages,
    is_redirect_page,
    launch_chromium,
    redirect_target,
    scan_page,
    serve,
)

REDIRECT_HTML = """<!DOCTYPE html>
<html><head><title>Redirecting</title>
<meta http-equiv="Refresh" content="0; url='book/index.html'" />
<script>var x = "not visible";</script>
</head><body></body></html>
"""

REFRESH_WITH_TEXT_HTML = """<!DOCTYPE html>
<html><head><meta http-equiv="refresh" content="30; url=other.html"></head>
<body><p>This page refreshes but has content.</p></body></html>
"""

PLAIN_HTML = """<!DOCTYPE html>
<html><head><title>Page</title></head>
<body><h1 id="top">Title</h1><a name="old-anchor"></a><p>Text</p></body></html>
"""


def write(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` (creating folders) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_pure_redirect_page_is_detected(tmp_path: Path) -> None:
    page = write(tmp_path / "index.html", REDIRECT_HTML)
    assert is_redirect_page(page)
    assert redirect_target(page) == "book/index.html"


def test_refresh_page_with_visible_text_is_not_a_redirect(tmp_path: Path) -> None:
    page = write(tmp_path / "refresh.html", REFRESH_WITH_TEXT_HTML)
    assert not is_redirect_page(page)
    assert redirect_target(page) is None


def test_plain_page_is_not_a_redirect_and_ids_are_collected(tmp_path: Path) -> None:
    page = write(tmp_path / "page.html", PLAIN_HTML)
    assert not is_redirect_page(page)
    assert scan_page(page).ids == {"top", "old-anchor"}


def test_discover_pages_skips_asset_folders_and_redirects(tmp_path: Path) -> None:
    write(tmp_path / "index.html", REDIRECT_HTML)
    write(tmp_path / "book" / "index.html", PLAIN_HTML)
    write(tmp_path / "book" / "b.html", PLAIN_HTML)
    write(tmp_path / "search.html", PLAIN_HTML)
    write(tmp_path / "_static" / "fragment.html", "<div>webpack fragment</div>")
    write(tmp_path / "_sources" / "book" / "index.html", PLAIN_HTML)
    write(tmp_path / "book" / "notes.txt", "not a page")

    pages, redirects = discover_pages(tmp_path)

    assert pages == ["book/b.html", "book/index.html", "search.html"]
    assert redirects == ["index.html"]
    assert discover_pages(tmp_path, exclude={"search.html"})[0] == [
        "book/b.html",
        "book/index.html",
    ]


def test_discover_pages_of_missing_folder_is_empty(tmp_path: Path) -> None:
    assert discover_pages(tmp_path / "missing") == ([], [])


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("app.js", "text/javascript"),
        ("icon.svg", "image/svg+xml"),
        ("map.geojson", "application/geo+json"),
    ],
)
def test_serve_sends_file_with_mime_type_and_stops(
    tmp_path: Path, name: str, content_type: str
) -> None:
    body = b"payload of " + name.encode()
    write(tmp_path / "_static" / name, body.decode())

    with serve(tmp_path) as base_url:
        parts = urlsplit(base_url)
        assert parts.hostname == "127.0.0.1" and parts.port and base_url.endswith("/")
        with urllib.request.urlopen(f"{base_url}_static/{name}", timeout=10) as response:
            assert response.status == 200
            assert response.headers.get_content_type() == content_type
            assert response.read() == body

    with pytest.raises((URLError, ConnectionError)):
        urllib.request.urlopen(f"{base_url}_static/{name}", timeout=2)
    with pytest.raises(OSError), socket.create_connection((parts.hostname, parts.port), 2):
        pass


def test_serve_uses_the_given_handler(tmp_path: Path) -> None:
    class TaggingHandler(QuietHandler):
        def end_headers(self) -> None:
            self.send_header("X-Atlas-Test", "yes")
            super().end_headers()

    write(tmp_path / "a.json", "{}")
    with (
        serve(tmp_path, TaggingHandler) as base_url,
        urllib.request.urlopen(base_url + "a.json", timeout=10) as response,
    ):
        assert response.headers["X-Atlas-Test"] == "yes"
        assert response.headers.get_content_type() == "application/json"


def test_chromium_path_follows_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATLAS_CHROMIUM", "/opt/chrome/chrome")
    assert chromium_path() == Path("/opt/chrome/chrome")
    monkeypatch.delenv("ATLAS_CHROMIUM")
    assert chromium_path() == Path("/usr/bin/chromium")
    assert "--no-sandbox" in CHROMIUM_ARGS


def test_launch_chromium_loads_a_served_page(tmp_path: Path) -> None:
    if not chromium_path().exists():
        pytest.skip(f"{chromium_path()} not found")
    pytest.importorskip("playwright.sync_api")
    write(tmp_path / "page.html", PLAIN_HTML)
    with serve(tmp_path) as base_url, launch_chromium() as browser:
        page = browser.new_page()
        page.goto(base_url + "page.html")
        assert page.inner_text("h1") == "Title"
