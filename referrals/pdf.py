"""HTML in, PDF bytes out, with WeasyPrint and a URL fetcher that cannot reach anything
but the portal's own static files and `data:` URLs.

Referral text is escaped by the templates, but the fetcher is the second wall: even if
markup got through, WeasyPrint could not make a request to the network or read a file
outside the static folders (no SSRF, no local file disclosure, no redirects)."""

import mimetypes
import os
import posixpath
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative and root-relative URLs in the templates ("/static/...") resolve against this
# base. `.invalid` never resolves (RFC 2606) and the fetcher never opens a socket anyway.
PORTAL_BASE_URL = "https://portal-static.invalid/"


class FetchRefused(ValueError):
    """A URL the PDF renderer may not fetch."""


class TooLarge(Exception):
    """The document is longer than settings.EXPORT_MAX_PAGES."""

    def __init__(self, pages: int, limit: int):
        super().__init__(f"{pages} pages; the limit is {limit}")
        self.pages = pages
        self.limit = limit


def static_path_for(url: str) -> str | None:
    """The file behind a portal static URL, found by the staticfiles finders; None
    for anything else (another host, a path outside STATIC_URL, a `..` trick)."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != PORTAL_BASE_URL or parts.query:
        return None
    path = unquote(parts.path)
    if not path.startswith(settings.STATIC_URL) or "\x00" in path:
        return None
    relative = path[len(settings.STATIC_URL) :]
    if not relative or posixpath.normpath("/" + relative) != "/" + relative or ".." in relative:
        return None
    found = finders.find(relative)
    if isinstance(found, str):
        return found
    # After collectstatic, {% static %} names hashed copies that only STATIC_ROOT has.
    try:
        collected = staticfiles_storage.path(relative)
    except (NotImplementedError, SuspiciousFileOperation, ValueError):
        return None
    return collected if os.path.isfile(collected) else None


class PortalURLFetcher(URLFetcher):
    """Serves only static files (read from disk via the finders) and `data:` URLs."""

    def __init__(self):
        super().__init__(allowed_protocols=("data",), allow_redirects=False, timeout=1)

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            # Only the data: handler is used: it decodes in memory and opens nothing.
            response = DataHandler().data_open(Request(url))  # noqa: S310
            return URLFetcherResponse(url, response.read(), dict(response.headers.items()))
        path = static_path_for(url)
        if path is None:
            raise FetchRefused("only the portal's static files and data: URLs are allowed")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        with open(path, "rb") as handle:
            body = handle.read()
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


@dataclass(frozen=True)
class RenderedPDF:
    content: bytes
    pages: int


def html_to_pdf(html: str, *, max_pages: int | None = None) -> RenderedPDF:
    """Render `html` (already escaped by the template) to PDF bytes."""
    limit = max_pages or settings.EXPORT_MAX_PAGES
    document = HTML(string=html, base_url=PORTAL_BASE_URL, url_fetcher=PortalURLFetcher()).render()
    if len(document.pages) > limit:
        raise TooLarge(len(document.pages), limit)
    # PDF/UA-1: a tagged PDF (headings, tables and their headers, figures with their alt
    # text as structure), the document language and title, so that screen readers read
    # the export as they read the page (WCAG 1.3.1; PDF techniques PDF6, PDF9, PDF16, PDF18).
    content = document.write_pdf(pdf_variant="pdf/ua-1")
    return RenderedPDF(content=content, pages=len(document.pages))
