"""Chinese first: the dashboard speaks Chinese unless the user chose English with the switch.

Django's LocaleMiddleware would follow the browser's Accept-Language; our users share sales-office
machines set up in any language, so only the user's own choice (the language cookie) counts.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
