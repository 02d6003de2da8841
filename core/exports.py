"""A list's Excel export: written while the page waits up to EXPORT_INLINE_ROWS rows, on a worker past that.

Every list page defines its file once (its view's `export()`); a large one is written by the same code on a
worker, as the user who asked and with the page's filters, while the user watches its progress and is given
a download link when it is done. The worker checks the user's rights again, as the page would.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import FileResponse, HttpRequest, QueryDict
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .dispatch import dispatch_on_commit
from .excel import reporting_rows
from .models import Export, ExportStatus
from .replica import on_replica

log = logging.getLogger(__name__)


def export_list(view, title) -> FileResponse:
    """The page's Excel file now, or, past EXPORT_INLINE_ROWS rows, a worker's (the answer is its page)."""
    request = view.request
    with on_replica():
        if not getattr(request, "on_worker", False):
            total = view.get_queryset().count()
            if total > settings.EXPORT_INLINE_ROWS:
                return redirect("core:export", pk=queue_export(request, title=title, total=total).pk)
        return view.export()


def queue_export(request, *, title, total: int) -> Export:
    query = request.GET.copy()
    query.pop("page", None)
    with transaction.atomic():
        export = Export.objects.create(
            requested_by=request.user,
            title=str(title),
            path=request.path,
            query=query.urlencode(),
            language=translation.get_language() or settings.LANGUAGE_CODE,
            total_rows=total,
        )
        from .tasks import run_export

        dispatch_on_commit(run_export, export.pk)
    return export


def run_export(*, export_id: int) -> Export:
    """Write the file as its page would for the user who asked; a repeated task after success does nothing."""
    export = Export.objects.select_related("requested_by").get(pk=export_id)
    if export.status == ExportStatus.DONE:
        return export
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, rows_written=0)
    try:
        if not export.requested_by.is_active:
            raise PermissionError("inactive")
        written = lambda count: Export.objects.filter(pk=export.pk).update(rows_written=count)  # noqa: E731
        with translation.override(export.language), reporting_rows(written):
            response = _page(export)(_request_of(export))
        if response.status_code != 200 or not isinstance(response, FileResponse):
            raise PermissionError(response.status_code)
        # The file only: closing the response would signal the end of a request (and close the connection).
        with response.file_to_stream as written:
            export.file.save(response.filename, File(written), save=False)
    except Exception as error:  # a refusal (the user lost the right) or any failure: the export says so
        log.warning("export %s failed: %s", export.pk, error.__class__.__name__)
        export.status, export.error = ExportStatus.FAILED, str(_("The export could not be written; ask again."))
    else:
        export.status, export.rows_written = ExportStatus.DONE, export.total_rows
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "error", "file", "rows_written", "finished_at"])
    return export


def visible_exports(user):
    """Each user sees the exports they asked for, and no one else's."""
    return Export.objects.filter(requested_by=user)


def progress_of(export: Export) -> int:
    if export.status == ExportStatus.DONE:
        return 100
    if not export.total_rows:
        return 0
    return min(99, export.rows_written * 100 // export.total_rows)


def _page(export: Export):
    try:
        match = resolve(export.path)
    except Resolver404:
        raise PermissionError(export.path) from None
    return lambda request: match.func(request, *match.args, **match.kwargs)


def _request_of(export: Export) -> HttpRequest:
    """The page's request as the user made it, marked as running on a worker (so it is not queued again)."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = export.path
    request.GET = QueryDict(export.query)
    request.META = {"SERVER_NAME": "worker", "SERVER_PORT": "80", "REQUEST_METHOD": "GET"}
    request.user = export.requested_by
    request.LANGUAGE_CODE = export.language
    request.on_worker = True
    return request


def purge_old_exports(*, now=None) -> dict:
    """Exports are kept EXPORT_KEEP_DAYS days: personal data does not pile up in files."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.EXPORT_KEEP_DAYS)
    removed = 0
    for export in Export.objects.filter(created_at__lt=cutoff).iterator():
        if export.file:
            export.file.delete(save=False)
        export.delete()
        removed += 1
    return {"exports": removed}
