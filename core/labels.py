"""Choice labels, read at the cost of one translation.

Django's `get_FOO_display` translates every choice's label on each call (it hashes them, and hashing a lazy
label translates it): a list of a hundred tasks with a duty of twenty choices made two thousand translations.
Here each field's values map to their lazy labels once, and a call translates only the label it returns. The
models of our apps get this `get_FOO_display` (`install`); the API's ChoiceLabelField reads the same map.

Related records a list shows by name are read by their name only (`with_names_of`).
"""

import functools
from functools import partialmethod

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.encoding import force_str


@functools.cache
def choice_labels(field) -> dict:
    """A model field's values and their (lazy) labels."""
    return dict(field.flatchoices)


def label_of(field, value):
    """The label of `value` (lazy), or the value itself when it is not one of the choices."""
    try:
        return choice_labels(field).get(value, value)
    except TypeError:  # an unhashable value is no choice
        return value


def _display(instance, field) -> str:
    return force_str(label_of(field, getattr(instance, field.attname)), strings_only=True)


def with_names_of(queryset, *related: str, staff: tuple[str, ...] = (), also: tuple[str, ...] = ()):
    """`queryset` reading its own columns and, of each related record, only its name: `related` by their `name`
    field, `staff` by what a staff member's name is read from, and the related columns named in `also`
    (`unit__building__name`). What a list shows of them, a third of the columns of the whole related rows
    (read, converted and kept for every row of every page)."""
    label_fields = get_user_model().LABEL_FIELDS
    # The joins `queryset` had are dropped: a related record joined whole would be read whole again.
    joined = (*related, *staff, *(path.rsplit("__", 1)[0] for path in also))
    return (
        queryset.select_related(None)
        .select_related(*joined)
        .only(
            *(field.name for field in queryset.model._meta.concrete_fields),
            *(f"{relation}__name" for relation in related),
            *(f"{relation}__{name}" for relation in staff for name in label_fields),
            *also,
        )
    )


def install(models) -> None:
    """Give each model's choice fields the `get_FOO_display` above, unless the model defines its own."""
    for model in models:
        if model.__module__.split(".")[0] not in _OUR_APPS:
            continue
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            if field.choices and name in vars(model) and isinstance(vars(model)[name], partialmethod):
                setattr(model, name, partialmethod(_display, field=field))


_OUR_APPS = frozenset(path.name for path in settings.BASE_DIR.iterdir() if (path / "apps.py").exists())
