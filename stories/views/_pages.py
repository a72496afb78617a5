from __future__ import annotations

from django.core.paginator import Page, Paginator


def paginate(request, object_list, per_page: int = 10) -> Page:
    """The requested page of a list; a missing or bad page number gives the first or last page
    rather than an error."""
    return Paginator(object_list, per_page).get_page(request.GET.get("page"))
