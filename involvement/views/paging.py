"""Every list is paginated (STYLE.md): one helper, and templates/involvement/_pagination.html."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

PER_PAGE = 25


def paginate(request, items, per_page: int = PER_PAGE) -> Page:
    """The requested page; a missing, malformed or too-large page number gives the nearest valid
    page rather than an error."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))
