"""Chinese first: the dashboard speaks Chinese unless the user chose English with the switch.

Django's LocaleMiddleware would follow the browser's Accept-Language; our users share sales-office
machines set up in any language, so only the user's own choice (the language cookie) counts.
"""

import logging

from django import db
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class DatabaseUnavailableMiddleware:
    """A request whose database connection failed answers 503 with a clear message, not a server error.

    The request's transaction is already rolled back (ATOMIC_REQUESTS), so nothing is half-written;
    Django drops the broken connection when the request ends, so the next request opens a new one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (db.OperationalError, db.InterfaceError)):
            return None
        log.warning("database unavailable for %s %s: %s", request.method, request.path, type(exception).__name__)
        message = _("The database cannot be reached just now. Nothing was saved; please try again in a moment.")
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": str(message), "code": "service_unavailable"}, status=503)
        else:
            response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
        response["Retry-After"] = "30"
        return response
