"""Pagination for every list (STYLE.md, issue 10): Django's Paginator, rendered with the NHS.UK
numbered pattern by ``templates/_pagination.html``. The one helper and the one partial of the app:
every list of every page goes through them."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

PER_PAGE = 25


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: an ellipsis
    url: str = ""
    current: bool = False


def paginate(
    request,
    items,
    *,
    param: str = "page",
    per_page: int = PER_PAGE,
    keep: dict[str, object] | None = None,
    count: int | None = None,
) -> Page:
    """The requested page of ``items`` (a bad or too-high page number gives the nearest page).

    The page carries links to its neighbours that keep the request's other parameters (filters,
    other lists' pages), so several lists on one page paginate independently. ``keep`` adds
    parameters the links must carry although the request may not have them: a choice the view
    made by default (the forum shown), so page 2 is of the same thing as page 1. ``count``, when
    the caller already has it, saves the paginator its own COUNT query.
    """
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # the caller counted already: no second COUNT query
    page = paginator.get_page(request.GET.get(param))
    extra = {name: str(value) for name, value in (keep or {}).items()}

    def url(number: int) -> str:
        query = request.GET.copy()
        for name, value in extra.items():
            query[name] = value
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
