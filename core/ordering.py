"""Orderings that read the same on every database: a nullable column sorts its empty values last (SQLite puts
NULL first, PostgreSQL last). Non-null columns keep their plain terms, so their indexes still serve them."""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import F


def ordering_terms(model, terms) -> list:
    ordered = []
    for term in terms:
        name = term.lstrip("-")
        try:
            nullable = "__" not in name and model._meta.get_field(name).null
        except FieldDoesNotExist:
            nullable = False
        if not nullable:
            ordered.append(term)
        elif term.startswith("-"):
            ordered.append(F(name).desc(nulls_last=True))
        else:
            ordered.append(F(name).asc(nulls_last=True))
    return ordered


def tie_broken(terms) -> list[str]:
    """`terms`, then the primary key in the direction of the last of them, unless one already is the key: rows of
    equal values keep their place from one page to the next, and an index of the field and the id reads the list
    forwards or backwards (a descending field with the id ascending is a sort of the whole table)."""
    terms = list(terms)
    if terms and not any(term.lstrip("-") in ("pk", "id") for term in terms):
        terms.append("-pk" if terms[-1].startswith("-") else "pk")
    return terms
