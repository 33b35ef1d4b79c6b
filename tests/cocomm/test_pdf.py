"""The one PDF renderer: real WeasyPrint output read back, and a fetcher that serves static files only."""

from __future__ import annotations

import io
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from pypdf import PdfReader

from cocomm.pdf import RefusedResource, StaticOnlyFetcher, render_pdf

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_template_renders_to_a_real_pdf(tmp_path) -> None:  # type: ignore[no-untyped-def]
    pdf = render_pdf("pdf/sample.html", {"heading": "Register of interests", "rows": range(120)})
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert 2 <= len(reader.pages) <= 6
    text = text_of(pdf)
    assert "Register of interests" in text
    assert "Row 119" in text
    assert "Page 1 of" in text


def test_the_fetcher_serves_the_apps_static_files() -> None:
    response = StaticOnlyFetcher.static_response("https://cocomm.invalid/static/cocomm/print.css")
    assert b"@page" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://cocomm.invalid/static/../../settings.py",
        "https://example.org/static/cocomm/print.css",
        "https://cocomm.invalid/media/secret.pdf",
        "http://127.0.0.1:9/static/cocomm/print.css",
    ],
)
def test_the_fetcher_refuses_everything_else(url: str) -> None:
    with pytest.raises(RefusedResource):
        StaticOnlyFetcher.static_response(url)


def test_user_text_cannot_make_the_renderer_read_a_file_or_call_a_server() -> None:
    requests: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = HTTPServer(("127.0.0.1", port), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        hostile = (
            f'<img src="file:///etc/passwd"><img src="http://127.0.0.1:{port}/ping">'
            f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">'
        )
        # Even markup that reached the page unescaped cannot fetch anything: the fetcher is the backstop.
        pdf = render_pdf("pdf/sample.html", {"heading": "Hostile", "raw": hostile, "rows": range(1)})
    finally:
        server.shutdown()
    assert pdf.startswith(b"%PDF-")
    assert requests == []
    assert "root:x:0:0" not in text_of(pdf)


def test_text_typed_by_users_is_escaped_not_obeyed() -> None:
    pdf = render_pdf("pdf/sample.html", {"heading": '<img src="file:///etc/passwd">', "rows": range(1)})
    assert '<img src="file:///etc/passwd">' in text_of(pdf)
