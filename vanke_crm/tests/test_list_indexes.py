"""Every list page and endpoint sorts by default on an index (issue 15): at a million rows an unindexed default
ordering sorts the whole table for the first page."""

import pytest
from django.db.models import UniqueConstraint
from django.urls import get_resolver

from core.views import FilteredListView

# Orderings through a join, on tables that stay small (a project's plan, the action catalogue).
SMALL_TABLES = {"ProjectAction", "Action", "VisitRound"}


def list_views():
    seen = set()

    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns)
                continue
            view = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
            if view is None or view in seen:
                continue
            seen.add(view)
            actions = getattr(pattern.callback, "actions", None) or {}
            if issubclass(view, FilteredListView):
                model = view.model or (view.queryset.model if view.queryset is not None else None)
                yield model, view.default_ordering, view.__name__
            elif actions.get("get") == "list" and getattr(view, "queryset", None) is not None:
                yield (
                    view.queryset.model,
                    getattr(view, "ordering", None) or view.queryset.model._meta.ordering,
                    view.__name__,
                )

    return list(walk(get_resolver().url_patterns))


def field_names(model, ordering) -> list[str]:
    """The ordering's fields by name: `project_id` (the column, to sort without a join) is the field `project`."""
    by_column = {field.attname: field.name for field in model._meta.fields}
    return [by_column.get(term.lstrip("-"), term.lstrip("-")) for term in ordering]


def leading_indexed_fields(model) -> set[str]:
    meta = model._meta
    leading = {"id", "pk"}
    leading |= {index.fields[0].lstrip("-") for index in meta.indexes if index.fields}
    leading |= {c.fields[0] for c in meta.constraints if isinstance(c, UniqueConstraint) and c.fields}
    leading |= {fields[0] for fields in meta.unique_together}
    leading |= {field.name for field in meta.fields if field.unique or field.db_index or field.is_relation}
    return leading


@pytest.mark.parametrize(("model", "ordering", "view"), [pytest.param(*case, id=case[2]) for case in list_views()])
def test_the_default_ordering_of_every_list_has_an_index(model, ordering, view):
    assert model is not None, f"{view} names no model"
    assert ordering, f"{view} has no default ordering: its pages would come back in any order"
    first = field_names(model, ordering)[0]
    if "__" in first:
        assert model.__name__ in SMALL_TABLES, f"{view} sorts by a join ({first}) on a table that grows"
    else:
        assert first in leading_indexed_fields(model), f"{view}: no index starts with {first} on {model.__name__}"


def project_leading_indexes(model) -> set[tuple[str, str]]:
    pairs = {tuple(f.lstrip("-") for f in index.fields[:2]) for index in model._meta.indexes if index.fields}
    pairs |= {tuple(c.fields[:2]) for c in model._meta.constraints if isinstance(c, UniqueConstraint)}
    return pairs


# Tables that stay small within a project (a handful of rows per project a month): a project's page sorts them.
SMALL_PER_PROJECT = {
    "Building",
    "ProjectAction",
    "Execution",
    "CareIssue",
    "SiteOpenDay",
    "VisitRound",
    "Meeting",
    "LeadApproval",
    "ReturnVisit",
    "Defect",
    "DeliveryObjection",
    "Campaign",
    "CaseStudy",
    "Project",
}


@pytest.mark.parametrize(("model", "ordering", "view"), [pytest.param(*case, id=case[2]) for case in list_views()])
def test_a_projects_staff_get_their_first_page_from_an_index(model, ordering, view):
    """Most users see a few projects: their page is read from an index on (project, the list's order), not found
    by walking the whole table's order until enough of their rows turn up."""
    fields = {field.name for field in model._meta.fields}
    if "project" not in fields or model.__name__ in SMALL_PER_PROJECT:
        pytest.skip(f"{model.__name__} is not listed per project at scale")
    fields = field_names(model, ordering)
    if fields[0] == "project":  # the project's rows first: the index must serve the order within a project
        fields = fields[1:]
    first = fields[0]
    if first in ("pk", "id") or "__" in first:
        pytest.skip(f"{view} orders by {first}")
    assert ("project", first) in project_leading_indexes(model), f"{view}: no index on (project, {first})"
