"""Every list the API and the dashboard offer is served in its default order by an index: a first page
never sorts the whole table (issue 15)."""

import pytest
from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver


def _views(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
            if view is not None:
                yield view


def _lists():
    seen = {}
    for view in _views(get_resolver().url_patterns):
        queryset = getattr(view, "queryset", None)
        model = queryset.model if queryset is not None else getattr(view, "model", None)
        ordering = getattr(view, "ordering", None) or getattr(view, "default_ordering", None)
        if model is None or not ordering or isinstance(ordering, str) and not ordering:
            continue
        ordering = [ordering] if isinstance(ordering, str) else list(ordering)
        seen[f"{view.__module__}.{view.__name__}"] = (model, ordering)
    return sorted(seen.items())


def _served(model, ordering) -> bool:
    fields = ["id" if name.lstrip("-") == "pk" else name.lstrip("-") for name in ordering]
    if "__" in fields[0]:
        return True  # ordered through a small catalogue table (steps, actions)
    first = model._meta.get_field(fields[0])
    if first.primary_key or first.unique or first.db_index:
        return True
    return any([name.lstrip("-") for name in index.fields][:1] == [fields[0]] for index in model._meta.indexes)


@pytest.mark.parametrize(("view", "model_and_ordering"), _lists(), ids=[name for name, _ in _lists()])
def test_the_default_order_of_each_list_has_an_index(view, model_and_ordering):
    model, ordering = model_and_ordering
    assert _served(model, ordering), f"{model._meta.label} ordered by {ordering} has no index leading with it"
