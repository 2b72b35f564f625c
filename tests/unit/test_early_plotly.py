"""server.py's middleware: the root page's head starts loading Plotly.js; nothing else changes."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from ui.early_plotly import EarlyPlotly, head_tags

PAGE = b"<!DOCTYPE html><html><head><title>Streamlit</title></head><body></body></html>"


def fake_app(body: bytes = PAGE, status: int = 200, content_type: str = "text/html"):
    """An inner ASGI app answering every request with ``body`` in two chunks; it records the
    request headers it saw."""
    seen: list[dict] = []

    async def app(scope, receive, send):
        seen.append(dict(scope.get("headers", [])))
        headers = [
            (b"content-type", content_type.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"etag", b'"abc"'),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        half = len(body) // 2
        await send({"type": "http.response.body", "body": body[:half], "more_body": True})
        await send({"type": "http.response.body", "body": body[half:]})

    return app, seen


def request(middleware, path: str = "/", method: str = "GET") -> tuple[dict, bytes]:
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "headers": [(b"accept-encoding", b"gzip"), (b"host", b"x")],
    }
    messages: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        messages.append(message)

    # A thread of its own: Playwright's sync API keeps an event loop running in this one when
    # browser tests ran earlier in the session.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, middleware(scope, receive, send)).result()
    start = next(m for m in messages if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return {k.decode(): v.decode() for k, v in start["headers"]}, body


@pytest.fixture
def static_dir(tmp_path):
    (tmp_path / "plotly-cartesian.min.js").write_text("window.Plotly = {};")
    return tmp_path


def test_the_root_page_gets_the_tags_first_in_its_head(static_dir):
    app, seen = fake_app()
    headers, body = request(EarlyPlotly(app, static_dir=static_dir))
    tags = head_tags("/app/static/plotly-cartesian.min.js").encode()
    assert body == PAGE.replace(b"<head>", b"<head>" + tags)
    assert int(headers["content-length"]) == len(body)
    assert "etag" not in headers  # it described the file, not this page
    assert b"accept-encoding" not in seen[0]  # asked for uncompressed, to edit it


def test_the_tags_preload_and_run_the_file_once_the_page_has_loaded():
    tags = head_tags("/app/static/plotly-cartesian.min.js")
    assert tags.startswith('<link rel="preload" href="/app/static/plotly-cartesian.min.js"')
    assert 'addEventListener("load"' in tags and "window.__npPlotlyEarly" in tags
    assert json.dumps("/app/static/plotly-cartesian.min.js") in tags


def test_other_paths_methods_and_answers_pass_through_untouched(static_dir):
    for path, method in (("/Lessons", "GET"), ("/static/js/index.js", "GET"), ("/", "HEAD")):
        app, seen = fake_app()
        headers, body = request(EarlyPlotly(app, static_dir=static_dir), path, method)
        assert body == PAGE and headers["etag"] == '"abc"'
        assert b"accept-encoding" in seen[0]
    for app, _ in (fake_app(status=404), fake_app(content_type="application/json")):
        headers, body = request(EarlyPlotly(app, static_dir=static_dir))
        assert body == PAGE and headers["etag"] == '"abc"'


def test_without_a_plotly_copy_the_page_is_left_as_it_is(tmp_path):
    app, _ = fake_app()
    headers, body = request(EarlyPlotly(app, static_dir=tmp_path))
    assert body == PAGE and headers["etag"] == '"abc"'


def test_the_full_bundle_stands_in_for_the_cartesian_one(tmp_path):
    (tmp_path / "plotly.min.js").write_text("window.Plotly = {};")
    app, _ = fake_app()
    _, body = request(EarlyPlotly(app, static_dir=tmp_path))
    assert b'href="/app/static/plotly.min.js"' in body
