"""The one HTML-to-PDF helper (projects/pdf.py): static files only, never the network, and a
tagged PDF/UA-1 file."""

from __future__ import annotations

import logging
import socket

import pytest

from projects import pdf
from tests import pdfs

PAGE = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>A test</title>
{links}</head><body><h1>Hello</h1><p>Plain words.</p></body></html>"""


def test_a_static_file_is_found_by_the_staticfiles_finders():
    path = pdf.static_file_path(pdf.BASE_URL + "static/css/report.css")
    assert path.name == "report.css" and path.is_file()


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/static/css/report.css",  # another host
        "http://big-i.invalid/static/css/report.css",  # another scheme
        "file:///etc/passwd",
        "data:text/css,body{color:red}",
        pdf.BASE_URL + "media/secret.pdf",  # not under /static/
        pdf.BASE_URL + "static/../config/settings.py",
        pdf.BASE_URL + "static/%2e%2e/config/settings.py",
        pdf.BASE_URL + "static/css/no-such-file.css",
        pdf.BASE_URL + "static/",
    ],
)
def test_anything_else_is_refused(url):
    with pytest.raises(pdf.ResourceRefused):
        pdf.static_file_path(url)


def test_the_pdf_uses_the_static_style_sheet_and_is_tagged(caplog):
    html = PAGE.format(links='<link rel="stylesheet" href="/static/css/document.css">')
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        reader = pdfs.read(pdf.html_to_pdf(html))
    assert [r.getMessage() for r in caplog.records] == []
    pdfs.assert_pdf_ua(reader, title="A test")
    assert "Hello Plain words." in pdfs.all_text(reader)
    assert pdfs.struct_elements(reader, "/H1") and pdfs.struct_elements(reader, "/P")


def test_a_link_to_another_host_is_refused_without_opening_a_socket(monkeypatch, caplog):
    def no_network(*args, **kwargs):
        raise AssertionError("the PDF helper tried to use the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    html = PAGE.format(
        links='<link rel="stylesheet" href="https://example.com/evil.css">'
        '<link rel="stylesheet" href="file:///etc/hosts">'
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        reader = pdfs.read(pdf.html_to_pdf(html))
    refused = [r.getMessage() for r in caplog.records if "ResourceRefused" in r.getMessage()]
    assert len(refused) == 2
    assert "Hello" in pdfs.all_text(reader)


def test_documents_need_no_collectstatic_manifest(settings, caplog, tmp_path):
    # Production's storage without a manifest (a scheduled command before collectstatic):
    # {% static %} would raise; {% pdf_static %} gives the plain name, which the fetcher finds.
    # An empty STATIC_ROOT: a checkout where collectstatic ran (make bench) has a manifest.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    from django.template import Context, Template

    link = Template('{% load pdf %}{% pdf_static "css/document.css" %}').render(Context())
    assert link == "/static/css/document.css"
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        Template('{% load static %}{% static "css/document.css" %}').render(Context())
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf.html_to_pdf(PAGE.format(links=f'<link rel="stylesheet" href="{link}">'))
    assert caplog.records == []
