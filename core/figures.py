"""Figures that count a list (the home page's cards): each is counted by the list page's own view with the
query its link carries, so the number on a card is the number of rows the link shows, for the same user."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import resolve, reverse

from . import paging


@dataclass(frozen=True)
class ListFigure:
    label: str
    caption: str  # the period and the population counted, in words
    value: int
    url: str
    alarming: bool = False  # a non-zero value is bad news (overdue, past a deadline)

    @property
    def capped(self) -> bool:
        """Counted up to the cap only, as the list's pages are (core.paging)."""
        return self.value > paging.COUNT_CAP


def list_figure(
    request, route: str, query: dict | None = None, *, label, caption, alarming: bool = False
) -> ListFigure | None:
    """The count of the list page at `route` filtered by `query`; None when the user may not open that page."""
    path = reverse(route)
    match = resolve(path)
    view_class = match.func.view_class
    if not view_class.policy.can_read(request.user):
        return None
    query_string = urlencode(query or {}, doseq=True)
    listing = copy.copy(request)
    listing.GET = QueryDict(query_string)
    listing.path = listing.path_info = path
    view = view_class(**match.func.view_initkwargs)
    view.counted_only = True
    view.setup(listing, *match.args, **match.kwargs)
    value = paging.capped_count(view.get_queryset())
    url = f"{path}?{query_string}" if query_string else path
    return ListFigure(str(label), str(caption), value, url, alarming)
