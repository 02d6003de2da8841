"""A viewset's workflow endpoints, generated from its core.workflow.Workflow: one POST route per action.

Each route validates the action's own form (the same one the dashboard and the admin use), calls the
action's service through the workflow and answers with the record. Its OpenAPI entry documents the
input and every refusal: 400 (input), 403 (the actor may not), 404 (not visible), 409 (not now).
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action as drf_action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from core.workflow import Action, Workflow

from .schema import TransitionRefusalSerializer


class MayRead(BasePermission):
    """Workflow actions: the workflow decides by role and state; the caller must at least see the record."""

    def has_permission(self, request, view):
        return view.policy.can_read(request.user)


class WorkflowActionsMixin:
    """Adds `POST {record}/{id}/{action}/` for every action of `workflow`.

    The concrete viewset sets `workflow` and `action_response_serializer`, and may override
    `record_for_action` (the row to act on) and `answer` (what to send back).
    """

    workflow: Workflow = None
    action_response_serializer = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.workflow is None:
            return
        for action in cls.workflow.staff_actions():
            # Prefixed, so that an action called `dispatch` or `update` never shadows the view's own method.
            setattr(cls, f"act_{action.method}", _endpoint(cls.workflow, action, cls.action_response_serializer))

    def record_for_action(self):
        return self.get_object()

    def answer(self, record):
        record = self.get_queryset().get(pk=record.pk)
        return Response(self.action_response_serializer(record, context=self.get_serializer_context()).data)

    def run_action(self, name: str):
        record = self.record_for_action()
        if not isinstance(self.request.data, Mapping):
            raise ValidationError(
                {"non_field_errors": [_("Send the action's fields as a JSON object.")]}, code="invalid"
            )
        form = self.workflow.form_for(name, record=record, user=self.request.user, data=self.request.data)
        _as_form_data(form, self.request.data)
        if not form.is_valid():
            raise ValidationError(
                {
                    ("non_field_errors" if field == NON_FIELD_ERRORS else field): [error["message"] for error in errors]
                    for field, errors in form.errors.get_json_data().items()
                }
            )
        self.workflow.perform(record, name, self.request.user, form.cleaned_data)
        return self.answer(record)


def _as_form_data(form, data) -> None:
    """A form reads what a browser posts: one text per field. JSON may send a list or an object where one
    value is expected (refused, with the field), or a number or a boolean (read as its text, as a browser
    would send it; a yes/no field keeps its boolean)."""
    errors, values = {}, dict(data)
    for name, field in form.fields.items():
        value = values.get(name)
        multiple = isinstance(field, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField))
        if isinstance(value, (list, dict)) and not multiple:
            errors[name] = [_("Give a single value.")]
        elif isinstance(value, (bool, int, float)) and not isinstance(field, forms.BooleanField):
            values[name] = str(value)
    if errors:
        raise ValidationError(errors)
    form.data = values


def _endpoint(workflow: Workflow, action: Action, response_serializer):
    def endpoint(self, request, pk=None):
        return self.run_action(action.name)

    endpoint.__name__ = f"act_{action.method}"
    endpoint.__doc__ = str(action.help or action.label)
    routed = drf_action(
        detail=True, methods=["post"], url_path=action.name, url_name=action.name, permission_classes=[MayRead]
    )(endpoint)
    # After @action, which replaces the function's kwargs where drf-spectacular keeps its schema.
    return extend_schema(
        operation_id=f"{workflow.model_label.split('.')[-1].lower()}_{action.method}",
        summary=str(action.label),
        description=_description(action),
        request=serializer_for_form(action.form),
        responses={
            200: response_serializer,
            409: OpenApiResponse(
                TransitionRefusalSerializer,
                description="The record's state does not allow the action now; "
                "`allowed_actions` lists what the caller can do.",
            ),
        },
    )(routed)


def _description(action: Action) -> str:
    sources = ", ".join(str(state) for state in action.sources)
    text = f"{action.help or action.label}\n\nFrom: {sources}."
    if action.target:
        text += f" To: {action.target}."
    if action.rule:
        text += f" Rule {action.rule}."
    return text


# ---------------------------------------------------------------------- forms as schema

_SERIALIZERS: dict[type, type] = {}


def serializer_for_form(form_class: type[forms.Form]) -> type[serializers.Serializer]:
    """A serializer describing a Django form's fields, for the OpenAPI schema of an action's input.

    Validation itself is the form's, so the dashboard and the API refuse the same input alike.
    """
    if form_class not in _SERIALIZERS:
        fields = {name: _schema_field(field) for name, field in form_class.base_fields.items()}
        name = form_class.__name__.removesuffix("Form") + "Input"
        _SERIALIZERS[form_class] = type(
            name,
            (serializers.Serializer,),
            {**fields, "__doc__": form_class.__doc__ or "", "__module__": form_class.__module__},
        )
    return _SERIALIZERS[form_class]


def _schema_field(field: forms.Field) -> serializers.Field:
    common = {
        "required": field.required,
        "help_text": field.help_text or None,
        "label": field.label or None,
    }
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(), **common)
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(allow_null=not field.required, **common)
    if isinstance(field, forms.MultipleChoiceField):
        return serializers.MultipleChoiceField(choices=_choices(field), **common)
    if isinstance(field, forms.ChoiceField):
        return serializers.ChoiceField(choices=_choices(field), allow_blank=not field.required, **common)
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(**{**common, "required": False})
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(min_value=field.min_value, max_value=field.max_value, **common)
    if isinstance(field, forms.DateTimeField):
        return serializers.DateTimeField(allow_null=not field.required, **common)
    if isinstance(field, forms.DateField):
        return serializers.DateField(allow_null=not field.required, **common)
    return serializers.CharField(
        allow_blank=not field.required, max_length=getattr(field, "max_length", None), **common
    )


def _choices(field) -> list:
    """The labels stay lazy: the serializer is built once, and the schema is made in either language."""
    return [(value, label) for value, label in field.choices if value != ""]
