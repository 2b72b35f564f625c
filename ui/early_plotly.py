"""Lets a new visitor's browser fetch Plotly.js together with the page itself.

Without it, the browser asks for Plotly.js (1.5 MB) only when the page's first element mounts,
~1.7 s after navigation here, and the graph then waits for it. Streamlit has no hook into its
page's ``<head>``, but its server is a Starlette app (1.67: ``st.App``), so ``server.py`` serves
app.py with this middleware, which adds to the head of the root page a ``<link rel="preload">``
for the file and a small script that runs it once the page has loaded and its main thread is
idle, leaving a promise in ``window.__npPlotlyEarly`` that ``ui/live_plotly/live_plotly.js``
waits for instead of loading Plotly.js a second time. Not at once: executing Plotly.js takes
~0.4 s of the main thread, and run straight at the load event it held up Streamlit's opening of
its WebSocket (seen in page timelines); when idle, the page is waiting for the server.

Measured (docs/benchmarks.md, session 4): a new visitor's first trained frame 0.1-0.2 s
sooner, in four A/B comparisons of 5-6 loads each (small against the ±0.3 s noise, but always
that way). Also tried and dropped: ``<link rel="modulepreload">`` for the ~40 modules of the
widgets the page uses (read from Streamlit's build): 0.4-0.7 s *later*, the extra compiling
competes with Streamlit's own start on two cores.

Only the root URL's page is changed; ``streamlit run app.py`` serves the same app without it.
"""

from __future__ import annotations

import json
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .live_plotly import static_plotly_file

__all__ = ["EarlyPlotly", "head_tags"]


def head_tags(plotly_src: str) -> str:
    """What goes first into the root page's ``<head>`` to load Plotly.js from ``plotly_src``."""
    url = json.dumps(plotly_src)  # a JS string literal; our own path, never user input
    return (
        f'<link rel="preload" href="{plotly_src}" as="script">'
        "<script>window.__npPlotlyEarly=new Promise(function(resolve,reject){"
        'addEventListener("load",function(){'
        # When the main thread is idle (Streamlit's own start done), at the latest after 1.5 s.
        "(window.requestIdleCallback||setTimeout)(function(){"
        'var s=document.createElement("script");'
        f"s.src={url};s.async=true;s.onload=resolve;s.onerror=reject;"
        "document.head.appendChild(s);},{timeout:1500});});});"
        # A failed early load is not an error: live_plotly.js then loads it itself.
        "window.__npPlotlyEarly.catch(function(){});</script>"
    )


class EarlyPlotly:
    """ASGI middleware: adds :func:`head_tags` to the HTML page served at the app's root URL.

    ``static_dir`` is the app's ``static/`` folder (Streamlit serves it at ``app/static/`` when
    ``server.enableStaticServing`` is on); without a Plotly.js copy there, pages pass through.
    """

    def __init__(self, app: ASGIApp, static_dir: Path) -> None:
        self.app = app
        self.static_dir = Path(static_dir)

    @staticmethod
    def _root() -> str:
        """The app's root page path (``/`` or ``/<server.baseUrlPath>/``)."""
        import streamlit as st

        base = st.get_option("server.baseUrlPath").strip("/")
        return f"/{base}/" if base else "/"

    def _tags(self, root: str) -> bytes:
        """The tags for the root page: empty without a Plotly.js copy to serve."""
        import streamlit as st

        name = None
        if st.get_option("server.enableStaticServing"):
            name = static_plotly_file(self.static_dir)
        return head_tags(f"{root}app/static/{name}").encode() if name else b""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Every other request (Streamlit's ~100 scripts per page, the WebSocket) goes straight
        # through after one comparison.
        root = self._root() if scope["type"] == "http" else ""
        tags = b""
        if scope.get("method") == "GET" and scope.get("path") in (root, root.rstrip("/") or "/"):
            tags = self._tags(root)
        if not tags:
            await self.app(scope, receive, send)
            return
        # Ask for the page uncompressed (it is ~5 kB) so the tags can be inserted.
        headers = [(k, v) for k, v in scope["headers"] if k != b"accept-encoding"]
        scope = {**scope, "headers": headers}
        start: Message = {}
        body: list[bytes] = []

        async def insert_tags(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            page = b"".join(body)
            response_headers = MutableHeaders(raw=list(start.get("headers", [])))
            html = response_headers.get("content-type", "").startswith("text/html")
            if start.get("status") == 200 and html and b"<head>" in page:
                page = page.replace(b"<head>", b"<head>" + tags, 1)
                response_headers["content-length"] = str(len(page))
                # The validators describe the file on disk, not this page.
                for name in ("etag", "last-modified"):
                    if name in response_headers:
                        del response_headers[name]
            await send({**start, "headers": response_headers.raw})
            await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, insert_tags)
