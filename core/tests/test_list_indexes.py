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


# --- every ordering the lists of growing tables offer (`?ordering=`), both ways --------------------------------------

# The tables that grow with the company's customers, to a million rows and more (issue 15): the configuration's
# (projects, buildings, the catalogue, questionnaires, templates …) stay in the hundreds and sort in a moment.
GROWING = {
    "members.Customer",
    "members.Lead",
    "members.FollowUp",
    "members.LeadApproval",
    "members.Visit",
    "members.Purchase",
    "members.Membership",
    "estates.Unit",
    "touchpoints.CareTask",
    "touchpoints.OutboundMessage",
    "complaints.Complaint",
    "complaints.RepairOrder",
    "complaints.Defect",
    "complaints.ReturnVisit",
    "surveys.Response",
    "surveys.FollowUp",
}


def _offered_orderings():
    seen = {}
    for view in _views(get_resolver().url_patterns):
        queryset = getattr(view, "queryset", None)
        model = queryset.model if queryset is not None else getattr(view, "model", None)
        fields = getattr(view, "ordering_fields", None)
        if model is None or model._meta.label not in GROWING or not fields:
            continue
        for field in fields:
            for term in (field, f"-{field}"):
                seen[f"{view.__module__}.{view.__name__}:{term}"] = (model, term)
    return sorted(seen.items())


def _index_terms(index) -> list[tuple[str, bool, bool]]:
    """An index's columns as (field, descending, empties first), with PostgreSQL's defaults where not said."""
    from django.db.models import F, OrderBy

    terms = [(name.lstrip("-"), name.startswith("-"), name.startswith("-")) for name in index.fields]
    for expression in index.expressions:
        if isinstance(expression, OrderBy) and isinstance(expression.expression, F):
            said = expression.nulls_first or expression.nulls_last
            empties_first = bool(expression.nulls_first) if said else expression.descending
            terms.append((expression.expression.name, expression.descending, empties_first))
        elif isinstance(expression, F):
            terms.append((expression.name, False, False))
        else:
            return []
    return terms


def _serves(model, term) -> bool:
    """Whether an index reads the list in `term`'s order, forwards or backwards: the field, then the id in the same
    direction (EmptyLastOrderingFilter), a nullable field's empty values last (core.ordering)."""
    name, descending = term.lstrip("-"), term.startswith("-")
    field = model._meta.get_field(name)
    if field.primary_key or field.unique:
        return True  # no ties: its own index reads it in order
    wanted = [(name, descending, False if field.null else None), ("id", descending, None)]
    return any(_reads_in_order(_index_terms(index), wanted) for index in model._meta.indexes)


def _reads_in_order(terms, wanted) -> bool:
    """Whether an index's leading `terms` read rows in the `wanted` order, forwards or backwards: each wanted term is
    (field, descending, empties first), the last None where the field has no empty values."""
    terms = terms[: len(wanted)]
    for backwards in (False, True):
        read = [(column, desc != backwards, first != backwards) for column, desc, first in terms]
        if len(read) == len(wanted) and all(
            column == want and desc == want_desc and want_first in (None, first)
            for (column, desc, first), (want, want_desc, want_first) in zip(read, wanted, strict=True)
        ):
            return True
    return False


@pytest.mark.parametrize(("ordering", "model_and_term"), _offered_orderings(), ids=[n for n, _ in _offered_orderings()])
def test_each_ordering_a_list_of_a_growing_table_offers_has_an_index(ordering, model_and_term):
    """Issue 15: "for every ordering it offers (an index for each, or fewer orderings)"."""
    model, term = model_and_term
    assert _serves(model, term), f"{model._meta.label} ordered by {term}, then id, has no index that reads it in order"


# --- the same orderings within one project, as a project's staff read them -------------------------------------------

# A project's staff see their project's rows (core.access.Policy.scope: `project IN (…)`). A company-wide index in the
# list's order reads them only among every other project's: a project that sold two years ago, sorted by the newest
# first, is found after every later project's rows (163 ms for a generated project's leads on the million). So where
# the project is a column of the list's own table, each ordering has an index within the project too.


def _offered_orderings_within_a_project():
    seen = {}
    for view in _views(get_resolver().url_patterns):
        queryset = getattr(view, "queryset", None)
        model = queryset.model if queryset is not None else getattr(view, "model", None)
        fields = getattr(view, "ordering_fields", None)
        policy = getattr(view, "policy", None)
        if model is None or model._meta.label not in GROWING or not fields or policy is None:
            continue
        column = policy.project_path
        if not column or "__" in column or not model._meta.get_field(column).is_relation:
            continue  # company-wide, or the project is another table's
        for field in fields:
            for term in (field, f"-{field}"):
                seen[f"{view.__module__}.{view.__name__}:{term}"] = (model, column, term)
    return sorted(seen.items())


def _serves_within(model, column, term) -> bool:
    """Whether an index leads with the project, then reads the list in `term`'s order as `_serves` says. A day's or a
    moment's ties within one project are few: PostgreSQL sorts each of them by id as it reads (an incremental sort),
    so such an index need not end with the id."""
    from django.db import models

    name, descending = term.lstrip("-"), term.startswith("-")
    field = model._meta.get_field(name)
    wanted = [(name, descending, False if field.null else None)]
    if not (field.primary_key or field.unique or isinstance(field, models.DateField)):
        wanted.append(("id", descending, None))
    return any(
        terms[:1] and terms[0][0] == column and _reads_in_order(terms[1:], wanted)
        for terms in (_index_terms(index) for index in model._meta.indexes)
    )


@pytest.mark.parametrize(
    ("ordering", "model_column_and_term"),
    _offered_orderings_within_a_project(),
    ids=[n for n, _ in _offered_orderings_within_a_project()],
)
def test_each_ordering_has_an_index_within_the_project(ordering, model_column_and_term):
    model, column, term = model_column_and_term
    assert _serves_within(model, column, term), (
        f"{model._meta.label} of one {column}, ordered by {term}, then id, has no index that reads it in order"
    )
