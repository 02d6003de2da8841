"""Import batches: upload and dry run, confirmation (in the request or on a worker), and their reports."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core import progress
from core.access import sees_all_projects
from core.dispatch import dispatch_on_commit
from core.errors import ActionForbidden, DomainError, TransitionNotAllowed
from core.excel import Sheet, SheetFile, declared_rows
from core.languages import in_language_of

from . import importing
from .choices import BatchStatus, ImportKind, RowAction
from .models import ImportBatch
from .policies import ONBOARDING

logger = logging.getLogger(__name__)

RESULT_HEADERS = ["行号 Row", "处理 Action", "对象 Record", "列 Column", "原因 Reason"]


def template_sheet(kind: str) -> Sheet:
    """The downloadable template: Chinese headers (English ones are read too) and one example row."""
    columns = importing.COLUMNS[kind]
    return Sheet(
        title=ImportKind(kind).label, headers=[column.zh for column in columns], rows=[importing.EXAMPLES[kind]]
    )


def upload_import(*, kind: str, file, actor) -> ImportBatch:
    """Store the file and check it (the dry run); a file that cannot be read at all is refused, nothing kept.

    A file that declares more than ONBOARDING_ASYNC_ROWS rows is kept unread and checked by a worker
    (`check_upload`), the batch's page showing the progress: the request does not wait for 100,000 rows."""
    _check_may_import(actor)
    if kind not in ImportKind.values:
        raise DomainError(_("Unknown kind of import."), code="unknown_kind", field="kind")
    batch = ImportBatch(
        kind=kind,
        file_name=str(getattr(file, "name", "") or "upload.xlsx")[:200],
        created_by=actor,
        language=translation.get_language() or "",
    )
    declared = declared_rows(file)
    if (declared or 0) > settings.ONBOARDING_ASYNC_ROWS:
        with importing.open_rows(file, kind):  # its size, type and header, refused here as a small file's are
            pass
        file.seek(0)
        batch.status, batch.row_count = BatchStatus.CHECKING, declared
        batch.file.save(batch.file_name, file, save=False)
        with transaction.atomic():
            batch.save()
            from .tasks import check_upload

            dispatch_on_commit(check_upload, batch.pk)
        return batch
    with SheetFile(ImportKind(kind).label, RESULT_HEADERS) as result:
        with importing.open_rows(file, kind) as rows:
            report = importing.check_rows(rows, kind=kind, actor=actor, result=result.append)
        file.seek(0)
        batch.row_count, batch.status, batch.report = report.rows, BatchStatus.CHECKED, report.as_json()
        batch.file.save(batch.file_name, file, save=False)
        _keep_result(batch, result)
    batch.save()
    return batch


@in_language_of(ImportBatch)
def check_upload(*, batch_id: int) -> ImportBatch:
    """A worker's dry run of a large upload: the same report as in the request; a batch no longer being checked is
    left as it is (the task repeated)."""

    def check(batch):
        with SheetFile(ImportKind(batch.kind).label, RESULT_HEADERS) as result:
            report = _through_kept_file(batch, importing.check_rows, result)
            batch.row_count, batch.status, batch.report = report.rows, BatchStatus.CHECKED, report.as_json()
            _keep_result(batch, result)
        batch.save(update_fields=["row_count", "status", "report", "result"])

    return _as_worker(
        batch_id, BatchStatus.CHECKING, check, _("The file could not be checked; nothing was saved. Upload it again.")
    )


def confirm_import(*, batch: ImportBatch, actor) -> ImportBatch:
    """Apply a checked batch: here when small, on a worker past ONBOARDING_ASYNC_ROWS rows."""
    _check_may_import(actor)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != BatchStatus.CHECKED:
            raise TransitionNotAllowed(
                _("This upload is %(status)s: it cannot be confirmed.") % {"status": batch.get_status_display()},
                code="not_checked",
            )
        if batch.refused:
            raise TransitionNotAllowed(
                _("%(count)d rows are refused: correct the file and upload it again.") % {"count": batch.refused},
                code="rows_refused",
            )
        batch.status = BatchStatus.IMPORTING
        batch.save(update_fields=["status"])
    if batch.row_count > settings.ONBOARDING_ASYNC_ROWS:
        from .tasks import run_import

        dispatch_on_commit(run_import, batch.pk)
        return batch
    return run_import_batch(batch_id=batch.pk)


@in_language_of(ImportBatch)
def run_import_batch(*, batch_id: int) -> ImportBatch:
    """Re-read the stored file, plan again against today's data, write it whole or not at all."""

    def write(batch):
        with SheetFile(ImportKind(batch.kind).label, RESULT_HEADERS) as result:
            report = _through_kept_file(batch, importing.import_rows, result)
            batch.report = report.as_json()
            batch.status, batch.processed_rows = BatchStatus.DONE, batch.row_count
            batch.finished_at = timezone.now()
            _keep_result(batch, result)
            batch.save(update_fields=["status", "processed_rows", "finished_at", "report", "result"])

    return _as_worker(batch_id, BatchStatus.IMPORTING, write, _("The import failed; nothing was saved."))


def _as_worker(batch_id: int, status: str, step, failed) -> ImportBatch:
    """`step(batch)` on a batch in `status`, for its uploader as they are now, the batch locked until it is done: a
    task delivered twice (its worker lost, the broker redelivering) waits for the first, then finds the batch past
    `status` and leaves it. The step saves its outcome, or writes nothing: a refusal fails the batch with its reason,
    any other failure (the database, the file) with `failed`."""
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update(of=("self",)).select_related("created_by").get(pk=batch_id)
            if batch.status != status:
                return batch
            try:
                with transaction.atomic():
                    _check_uploader_may_import(batch)
                    step(batch)
            except DomainError as error:
                _fail(batch, str(error.message))
            return batch
    except Exception as error:
        logger.error("import batch %s (%s) failed: %s", batch_id, status, error.__class__.__name__)
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
            if batch.status == status:
                _fail(batch, str(failed))
            return batch
    finally:
        progress.forget(_job(batch_id))


def progress_of(batch: ImportBatch) -> int:
    """Rows checked or written so far, 0-100 %: the worker's figure while it runs, the batch's own afterwards."""
    return progress.percent(
        _job(batch.pk), total=batch.row_count, done=batch.processed_rows, finished=batch.status == BatchStatus.DONE
    )


def visible_batches(actor):
    """Administrators and the CR head see every upload; a sales manager sees their own."""
    if not ONBOARDING.can_read(actor):
        return ImportBatch.objects.none()
    batches = ImportBatch.objects.select_related("created_by")
    return batches if sees_all_projects(actor) else batches.filter(created_by=actor)


def result_report(batch: ImportBatch):
    """The result report as an open file: every row of the file, its action and, when refused, the reason."""
    if batch.result:
        return batch.result.open("rb")
    # A batch checked before result files were kept: its report listed each row.
    refusals = {item["row"]: item for item in batch.report.get("refusals", [])}
    labels = dict(RowAction.choices)
    with SheetFile(ImportKind(batch.kind).label, RESULT_HEADERS) as result:
        for row, action, key in batch.report.get("outcomes", []):
            refusal = refusals.get(row, {})
            result.append([row, labels.get(action, action), key, refusal.get("column", ""), refusal.get("reason", "")])
        return result.saved()


def _keep_result(batch: ImportBatch, result: SheetFile) -> None:
    with result.saved() as file:
        batch.result.save(f"import-{batch.kind}-result.xlsx", File(file), save=False)


def _check_may_import(actor) -> None:
    if not ONBOARDING.can_write(actor):
        raise ActionForbidden(_("Only administrators, the CR head and sales managers may import."))


def _through_kept_file(batch: ImportBatch, step, result: SheetFile) -> importing.Report:
    """`step` (importing.check_rows or import_rows) over the batch's kept file, for its uploader, each row's outcome
    into `result`, the rows done so far told to the batch's page."""
    with batch.file.open("rb") as file, importing.open_rows(file, batch.kind) as rows:
        return step(
            rows,
            kind=batch.kind,
            actor=batch.created_by,
            result=result.append,
            progress=lambda done: progress.tell(_job(batch.pk), done),
        )


def _check_uploader_may_import(batch: ImportBatch) -> None:
    """A worker acts for the uploader as they are now, not as they were when they uploaded."""
    if batch.created_by is None or not ONBOARDING.can_write(batch.created_by):
        raise DomainError(_("The person who uploaded this file may no longer import."), code="uploader_gone")


def _fail(batch: ImportBatch, message: str) -> None:
    batch.status, batch.finished_at = BatchStatus.FAILED, timezone.now()
    batch.report = {**batch.report, "error": message}
    batch.save(update_fields=["status", "finished_at", "report"])


def _job(batch_id: int) -> str:
    return f"onboarding:{batch_id}"
