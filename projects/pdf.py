"""HTML to PDF, the one way every app makes a PDF (the involvement report, a role description, a
record of involvement): WeasyPrint, tagged as PDF/UA-1 so screen readers can read the result.

Why here: ``projects`` is the ground app that every other app may import (DESIGN.md, layers).

Two rules the helper keeps for every caller:

- **No network.** WeasyPrint fetches whatever a document links to (style sheets, images, fonts).
  ``StaticFilesFetcher`` serves only the app's own static files (``/static/…``, found by the
  staticfiles finders, or in ``STATIC_ROOT`` after ``collectstatic``) and refuses anything else:
  another host, ``file:``, ``data:``, a path outside ``/static/``. A refused resource is left out
  of the PDF (WeasyPrint logs it); it is never fetched.
- **Accessible PDF.** ``pdf_variant="pdf/ua-1"`` makes WeasyPrint write the structure tree, the
  ``/MarkInfo``, the document's language (from ``<html lang>``) and title (from ``<title>``,
  shown by viewers instead of the file name), and the PDF/UA identification in the XMP metadata.
  For that the HTML must have ``<html lang="en-GB">``, a ``<title>``, and alternative text on
  every image: ``alt`` on ``<img>``, a first ``<title>`` child on an inline ``<svg>``.

Documents link their style sheets with ``{% load pdf %}{% pdf_static "css/…" %}`` (plain names,
so no ``collectstatic`` manifest is needed to make a PDF).
"""

from __future__ import annotations

import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation

# The address documents are rendered at. It never resolves (.invalid is reserved for that): it
# only gives relative and root-relative links (``{% static %}`` gives ``/static/…``) a host that
# the fetcher recognises as "ours".
BASE_URL = "https://big-i.invalid/"

PDF_UA = "pdf/ua-1"


class ResourceRefused(ValueError):
    """The document asked for something that is not one of the app's static files."""


def static_url(path: str) -> str:
    """The address of a static file in a document for a PDF: ``/static/<path>``, never a hashed
    name (see ``projects.templatetags.pdf``)."""
    return urljoin(_static_prefix(), path.lstrip("/"))


def _static_prefix() -> str:
    prefix = urlsplit(settings.STATIC_URL).path or "/static/"
    return prefix if prefix.endswith("/") else prefix + "/"


def static_file_path(url: str, *, base_url: str = BASE_URL) -> Path:
    """The file on disk that a document's URL stands for, or ``ResourceRefused``.

    Only ``<base_url host>/<STATIC_URL>…`` is served, from the staticfiles finders (the source
    folders, as in development and tests) or from ``STATIC_ROOT`` (after ``collectstatic``, where
    the manifest storage's hashed names live).
    """
    parts, base = urlsplit(url), urlsplit(base_url)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        raise ResourceRefused(f"Not one of the app's static files: {url}")
    prefix = _static_prefix()
    path = unquote(parts.path)
    if not path.startswith(prefix):
        raise ResourceRefused(f"Not one of the app's static files: {url}")
    name = posixpath.normpath(path[len(prefix) :])
    if name.startswith(("../", "/")) or name in ("..", ".", ""):
        raise ResourceRefused(f"Not one of the app's static files: {url}")
    try:
        found = finders.find(name)
    except SuspiciousFileOperation:
        raise ResourceRefused(f"Not one of the app's static files: {url}") from None
    if found:
        return Path(found if isinstance(found, str) else found[0])
    root = getattr(settings, "STATIC_ROOT", None)
    if root:
        candidate = (Path(root) / name).resolve()
        if candidate.is_file() and Path(root).resolve() in candidate.parents:
            return candidate
    raise ResourceRefused(f"No such static file: {url}")


def _fetcher(base_url: str):
    """A WeasyPrint URL fetcher that serves static files only (see ``static_file_path``)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = static_file_path(url, base_url=base_url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, path.read_bytes(), headers={"Content-Type": content_type}
            )

    # ``fetch`` never calls the opener WeasyPrint's class is built on, so no socket is opened.
    return StaticFilesFetcher(fail_on_errors=False)


def html_to_pdf(html: str, *, base_url: str = BASE_URL) -> bytes:
    """The PDF (bytes) of a whole HTML document, tagged as PDF/UA-1."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=base_url, url_fetcher=_fetcher(base_url))
    return document.write_pdf(pdf_variant=PDF_UA)
