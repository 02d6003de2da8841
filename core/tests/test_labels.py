"""Choice labels (core.labels): each record's `get_FOO_display` reads as Django's does, in either language."""

from functools import partialmethod

import pytest
from django.apps import apps
from django.utils import translation

from core import labels
from members.models import Lead
from members.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


def test_a_choice_reads_in_the_readers_language_and_an_unknown_value_as_itself(project):
    lead = LeadFactory(project=project, grade="A")

    with translation.override("zh-hans"):
        chinese = lead.get_grade_display(), lead.get_status_display()
    with translation.override("en"):
        english = lead.get_grade_display(), lead.get_status_display()
    lead.grade = "Z"

    assert chinese[0] == _label(Lead, "grade", "A", "zh-hans")
    assert english[0] == _label(Lead, "grade", "A", "en") and english != chinese
    assert lead.get_grade_display() == "Z"


def test_every_model_of_ours_reads_its_choices_through_the_one_map():
    for model in apps.get_models(include_auto_created=True):
        if model.__module__.split(".")[0] not in labels._OUR_APPS:
            continue
        for field in model._meta.concrete_fields:
            method = vars(model).get(f"get_{field.name}_display")
            if field.choices and isinstance(method, partialmethod):
                assert method.func is labels._display, f"{model._meta.label}.{field.name}"


def _label(model, name, value, language):
    """The label as Django's own choices give it, translated."""
    with translation.override(language):
        return str(dict(model._meta.get_field(name).flatchoices)[value])
