from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 25


def paginate(request: HttpRequest, queryset, per_page: int = PAGE_SIZE) -> Page:
    """The requested page; a page number out of range or not a number gives the nearest."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
