"""Pagination for every list (STYLE.md): Django's Paginator, rendered with the NHS.UK numbered
pattern by ``templates/projects/_pagination.html``."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

PER_PAGE = 25


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: an ellipsis
    url: str = ""
    current: bool = False


def paginate(request, items, *, param: str = "page", per_page: int = PER_PAGE) -> Page:
    """The requested page of ``items`` (a bad or too-high page number gives the nearest page).

    The page carries links to its neighbours that keep the request's other parameters (filters,
    other lists' pages), so several lists on one page paginate independently.
    """
    page = Paginator(items, per_page).get_page(request.GET.get(param))

    def url(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return f"?{query.urlencode()}"

    page.previous_url = url(page.previous_page_number()) if page.has_previous() else ""
    page.next_url = url(page.next_page_number()) if page.has_next() else ""
    page.links = [
        PageLink(None)
        if number == Paginator.ELLIPSIS
        else PageLink(number, url(number), number == page.number)
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
    return page
