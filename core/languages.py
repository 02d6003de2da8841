"""The language a worker writes in: the one the person whose upload it works on reads the pages in.

A worker has no request to take the language from (core.middleware.ChosenLanguageMiddleware); a record a worker
completes keeps its requester's language (`language`), and the worker writes its messages in that."""

import functools

from django.conf import settings
from django.utils import translation


def in_language_of(model):
    """A worker's function of one `model` row (`batch_id`), run in the language that row keeps."""

    def decorate(work):
        @functools.wraps(work)
        def run(*, batch_id: int):
            language = model.objects.filter(pk=batch_id).values_list("language", flat=True).first()
            with translation.override(language or settings.LANGUAGE_CODE):
                return work(batch_id=batch_id)

        return run

    return decorate
