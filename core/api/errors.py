"""One exception handler: field errors as 400, domain errors with their status, the rest as DRF does.

Whatever it turns into an answer, the request's transaction is rolled back first (as DRF's own
handler does for its exceptions), so a refused request leaves nothing half-written.
"""

from django.db import IntegrityError
from django.views.decorators.csrf import csrf_exempt
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from core.errors import DomainError


def exception_handler(exc, context):
    _answer_errors_in_json(context.get("request"))
    if isinstance(exc, DomainError):
        set_rollback()
        body = {"detail": str(exc.message), "code": exc.code, **exc.extra}
        if exc.field:
            body = {exc.field: [str(exc.message)], **body}
        return Response(body, status=exc.status_code)
    if isinstance(exc, IntegrityError):
        # A unique constraint caught a race that validation could not see: nothing was written.
        set_rollback()
        return Response(
            {"detail": _("This record conflicts with an existing one."), "code": "conflict"},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)


def _answer_errors_in_json(request) -> None:
    """A refused Excel download answers its error as JSON: a spreadsheet cannot carry it."""
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is not None and renderer.format == "xlsx":
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any /api/v1/ address that names no resource: the API's JSON 404, not the site's HTML page."""
    from django.http import JsonResponse

    return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=status.HTTP_404_NOT_FOUND)
