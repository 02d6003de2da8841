"""Choice labels, read at the cost of one translation.

Django's `get_FOO_display` translates every choice's label on each call (it hashes them, and hashing a lazy
label translates it): a list of a hundred tasks with a duty of twenty choices made two thousand translations.
Here each field's values map to their lazy labels once, and a call translates only the label it returns. The
models of our apps get this `get_FOO_display` (`install`); the API's ChoiceLabelField reads the same map.
"""

import functools
from functools import partialmethod

from django.conf import settings
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
