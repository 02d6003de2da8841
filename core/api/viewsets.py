"""Base viewsets: rows scoped by the policy, project checked on writes, idempotent POSTs."""

import hashlib
import json

from django.db import IntegrityError, transaction
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from core.db import prepared_statements
from core.errors import IdempotencyConflict
from core.models import IdempotencyKey


class IdempotentCreateMixin:
    """A POST with an `Idempotency-Key` header is done once; a repeat returns the first answer.

    The same key with a different body is refused (422). The key row and the created record are
    written in one transaction, so a crash leaves neither.
    """

    def create(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if not key:
            return super().create(request, *args, **kwargs)
        fingerprint = _fingerprint(request)
        existing = IdempotencyKey.objects.filter(user=request.user, key=key).first()
        if existing:
            return _replay(existing, fingerprint)
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(user=request.user, key=key, fingerprint=fingerprint)
                response = super().create(request, *args, **kwargs)
                record.response_status, record.response_body = response.status_code, response.data
                record.save(update_fields=["response_status", "response_body"])
        except IntegrityError:
            # Another request with this key won the race; answer as it did.
            return _replay(IdempotencyKey.objects.get(user=request.user, key=key), fingerprint)
        return response


class CreateAnsweredAsReadMixin(mixins.CreateModelMixin):
    """A POST answered with the record as a GET of it answers (`read_serializer_class`, where a record's page shows
    more than the form that creates it), read back through the viewset's queryset: what the caller shows next (a
    complaint's clocks and next actions) without asking again."""

    read_serializer_class = None

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        record = self.get_queryset().filter(pk=serializer.instance.pk).first() or serializer.instance
        answer = self.read_serializer_class or self.get_serializer_class()
        data = answer(record, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED, headers=self.get_success_headers(data))


class ScopedRowsMixin:
    """A viewset's rows are those `policy` (core.access.Policy) lets the user see."""

    policy = None
    # The rows a page of the list reads, where lighter than `queryset` (fewer columns of related records).
    list_queryset = None

    def get_queryset(self):
        if self.action == "list" and self.list_queryset is not None:
            return self.policy.scope(self.list_queryset.all(), self.request.user)
        return self.policy.scope(super().get_queryset(), self.request.user)

    def paginate_queryset(self, queryset):
        # What the page reads beside its rows is, like the page, the same statements at every request but for
        # their values: prepared once per connection too (core.db.postgresql).
        with prepared_statements(queryset.db):
            page = super().paginate_queryset(queryset)
            return page if page is None else self.read_beside(page)

    def read_beside(self, page: list) -> list:
        """`page`'s rows given what the list shows of each beyond its queryset, read for the page at once."""
        return page


class ScopedModelViewSet(ScopedRowsMixin, IdempotentCreateMixin, CreateAnsweredAsReadMixin, viewsets.ModelViewSet):
    """A model viewset whose rows and writes are governed by `policy` (core.access.Policy); a create answers with
    the record as read."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def perform_create(self, serializer):
        self.check_project(serializer.validated_data)
        super().perform_create(serializer)

    def perform_update(self, serializer):
        self.check_project(serializer.validated_data)
        super().perform_update(serializer)

    def check_project(self, validated_data):
        """403 when the record would land in a project the user does not work on."""
        self.policy.check_project(self.request.user, self.project_of(validated_data))

    def project_of(self, validated_data):
        return validated_data.get("project")


def _fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _replay(record, fingerprint):
    if record.fingerprint != fingerprint or record.response_status is None:
        raise IdempotencyConflict()
    return Response(record.response_body, status=record.response_status, headers={"Idempotent-Replayed": "true"})
