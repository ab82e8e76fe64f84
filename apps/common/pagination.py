from django.core.paginator import Page, Paginator
from django.http import HttpRequest

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 500


def page_size(request: HttpRequest, default: int = DEFAULT_PAGE_SIZE) -> int:
    """?per_page= within 10…500, so a long list can be read (or printed) on one page."""
    requested = request.GET.get("per_page", "")
    if not requested.isdigit():
        return default
    return min(max(int(requested), 10), MAX_PAGE_SIZE)


def paginate(request: HttpRequest, items, per_page: int | None = None) -> Page:
    """The page named by ?page= (out-of-range numbers give the last page, junk gives the first)."""
    return Paginator(items, per_page or page_size(request)).get_page(request.GET.get("page"))
