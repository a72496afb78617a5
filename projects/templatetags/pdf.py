"""``{% load pdf %}{% pdf_static "css/report.css" %}``: a static file's address in a document
that ``projects.pdf`` turns into a PDF.

Not ``{% static %}``: in production that asks the manifest storage for the hashed name, which
exists only after ``collectstatic``, and a scheduled ``manage.py involvement_report`` must work
without it. The PDF helper's fetcher finds the file itself (staticfiles finders, then
``STATIC_ROOT``), so the plain name is all a document needs.
"""

from __future__ import annotations

from django import template

from projects.pdf import static_url

register = template.Library()


@register.simple_tag
def pdf_static(path: str) -> str:
    return static_url(path)
