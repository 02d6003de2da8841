"""Every API list reads its rows as DRF itself would (core.api.serializers.ModelSerializer): the fields built once
per class, the columns read straight from the row and the choice labels translated once per request give the
same answer, field for field, as DRF's own building and reading of the same serializer over the same rows."""

import io

import pytest
from django.core.management import call_command
from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver
from django.utils import translation
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from core.api.serializers import ModelSerializer
from core.models import User

pytestmark = pytest.mark.django_db


def _list_viewsets(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _list_viewsets(pattern.url_patterns)
        elif (
            isinstance(pattern, URLPattern)
            and (pattern.name or "").endswith("-list")
            and not pattern.pattern.regex.groups  # a list nested under its parent record's id
        ):
            viewset = getattr(pattern.callback, "cls", None)
            if viewset is not None and getattr(viewset, "policy", None) is not None:
                yield viewset


LISTS = sorted(set(_list_viewsets(get_resolver().url_patterns)), key=str)


def _list_view(viewset, user, language):
    request = APIRequestFactory().get("/", HTTP_ACCEPT_LANGUAGE=language)
    request.user = user
    view = viewset(request=Request(request), action="list", format_kwarg=None, kwargs={}, args=())
    view.request.user = user
    return view


def test_every_model_serializer_of_the_api_derives_from_the_shared_one():
    model_serializers = {
        viewset.serializer_class
        for viewset in LISTS
        if issubclass(getattr(viewset, "serializer_class", None) or object, serializers.ModelSerializer)
    }
    assert len(model_serializers) >= 20
    assert all(issubclass(serializer, ModelSerializer) for serializer in model_serializers)


def test_every_list_reads_its_rows_as_drf_does(monkeypatch):
    call_command("seed_demo", "--force", stdout=io.StringIO())
    call_command("generate_load", "--customers", "150", "--seed", "3", stdout=io.StringIO())
    head = User.objects.get(username="demo-head")

    compared = set()
    for language in ("zh-hans", "en"):
        for viewset in LISTS:
            with translation.override(language):
                view = _list_view(viewset, head, language)
                serializer_class = view.get_serializer_class()
                rows = list(view.filter_queryset(view.get_queryset())[:60])
                if not issubclass(serializer_class, ModelSerializer) or not rows:
                    continue
                ours = serializer_class(rows, many=True, context=view.get_serializer_context())
                our_fields = {name: type(field) for name, field in ours.child.fields.items()}
                our_rows = ours.data
                with monkeypatch.context() as drf_itself:
                    drf_itself.setattr(ModelSerializer, "get_fields", serializers.ModelSerializer.get_fields)
                    drf_itself.setattr(ModelSerializer, "to_representation", serializers.Serializer.to_representation)
                    drfs = serializer_class(rows, many=True, context=view.get_serializer_context())
                    drf_fields = {name: type(field) for name, field in drfs.child.fields.items()}
                    drf_rows = drfs.data

                assert our_fields == drf_fields, viewset
                assert our_rows == drf_rows, (viewset, language)
                compared.add(viewset)

    assert len(compared) >= 25, "the demo company should give most lists rows to compare"


def test_each_serializer_binds_and_narrows_its_own_copy_of_the_class_fields():
    from django.contrib.auth.models import Group

    class StaffSerializer(ModelSerializer):
        groups = serializers.PrimaryKeyRelatedField(many=True, queryset=Group.objects.all())

        class Meta:
            model = User
            fields = ["id", "username", "groups"]

    narrowed, other = StaffSerializer(), StaffSerializer()
    narrowed.fields["groups"].child_relation.queryset = Group.objects.none()

    groups = other.fields["groups"]
    assert groups.child_relation.queryset.model is Group and groups.child_relation.queryset.query.is_empty() is False
    assert groups.parent is other and groups.child_relation.parent is groups
    assert narrowed.fields["groups"].child_relation.parent is narrowed.fields["groups"]
