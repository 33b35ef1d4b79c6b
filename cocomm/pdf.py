"""The project's one PDF renderer: a Django template rendered by WeasyPrint.

The URL fetcher serves only the app's own static files (found through Django's staticfiles
finders, by the URL they are served at) and refuses everything else: `file://` paths, remote
URLs, data smuggled into user-entered text. A refused resource is simply left out of the PDF;
nothing outside the app's static files can ever be read or requested while rendering.
"""

from __future__ import annotations

import logging
import mimetypes
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

log = logging.getLogger(__name__)

# Rendered documents resolve relative URLs against this made-up origin; only its static path is served.
BASE_URL = "https://cocomm.invalid/"


class RefusedResource(ValueError):
    """A document asked for something other than one of the app's static files."""


class StaticOnlyFetcher(URLFetcher):
    """Serves the app's static files and nothing else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"https"}, allow_redirects=False, timeout=1)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        return self.static_response(url)

    @staticmethod
    def static_response(url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        static_prefix = urlsplit(BASE_URL).path.rstrip("/") + settings.STATIC_URL
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(static_prefix):
            log.warning("PDF renderer refused %s", url[:200])
            raise RefusedResource(f"Only the app's static files may be used in a PDF, not {url[:200]}")
        relative = unquote(parts.path[len(static_prefix) :])
        if not relative or ".." in relative.split("/"):
            raise RefusedResource(f"Not a static file: {url[:200]}")
        found = finders.find(relative)
        if not found or isinstance(found, list):
            raise RefusedResource(f"No such static file: {relative}")
        with open(found, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render `templates/pdf/...` to PDF bytes; only the app's own static files are loaded."""
    html = render_to_string(
        template_name, {**context, "pdf_static": BASE_URL.rstrip("/") + settings.STATIC_URL}
    )
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher())
    pdf = document.write_pdf(font_config=FontConfiguration())
    assert pdf is not None
    return pdf
