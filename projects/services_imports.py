"""Import jobs: an admin's CSV from upload to its outcome (``projects.models_imports``).

A whole trust's history (5,000 projects; 120,000 involvement rows) takes tens of seconds to
import, so "Apply" does not run it inside the request: ``import_job_start`` starts a background
thread and the admin's browser follows the job's page. The import itself is ``imports.apply`` —
one transaction, all rows or none — and while it runs, nothing it writes (the job's progress
included) is visible to other connections. So it reports its progress through Django's cache.

With several gunicorn workers (or hosts) the cache must be shared by all of them (``CACHE_URL``
pointing at Redis): the progress JSON may be asked for by another worker than the one running the
import. With the default local-memory cache a page served by another worker shows "Importing"
without the count, until the job ends (the job's row then holds the outcome).

``IMPORTS_IN_BACKGROUND = False`` (the tests, and anyone who prefers it) runs the import inside
the request instead, with the same job page after it.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone

from projects import imports
from projects.models_imports import ImportJob, ImportJobStatus

logger = logging.getLogger(__name__)

KEPT_ERRORS = 200  # a refused file's errors kept on the job (the preview lists them all)
UNAPPLIED_KEPT = datetime.timedelta(days=1)
REPORT_EVERY_SECONDS = 0.5  # at most two cache writes a second per job
PROGRESS_TIMEOUT = 60 * 60 * 6
# A queued or running job not heard of for this long was cut off (the server restarted): its
# transaction was rolled back, so nothing of it was written.
ABANDONED_AFTER = datetime.timedelta(minutes=15)
ABANDONED_MESSAGE = (
    "The import stopped before it finished (the server restarted): nothing was imported. "
    "Upload the file again."
)
UNEXPECTED_MESSAGE = (
    "The import stopped with an unexpected error: nothing was imported. The server's log has "
    "the details."
)


def _progress_key(job_id: int) -> str:
    return f"bigi:import-job:{job_id}:progress"


def import_job_upload(*, kind: str, file_name: str, text: str, by) -> ImportJob:
    """Hold an uploaded file for its preview. An admin's earlier upload of the same kind that was
    never applied is dropped (one file waits per admin and kind, as the session held one), and so
    is anyone's left unapplied for ``UNAPPLIED_KEPT``: the files name people."""
    waiting = ImportJob.objects.filter(status=ImportJobStatus.UPLOADED)
    waiting.filter(
        Q(created_by=by, kind=kind) | Q(created_at__lt=timezone.now() - UNAPPLIED_KEPT)
    ).delete()
    return ImportJob.objects.create(kind=kind, file_name=file_name[:255], text=text, created_by=by)


def import_job_start(*, job: ImportJob) -> bool:
    """Queue the job and run it: in a background thread, or here when ``IMPORTS_IN_BACKGROUND``
    is off. False when the job had already been started (a second click on "Apply")."""
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJobStatus.UPLOADED).update(
        status=ImportJobStatus.QUEUED
    )
    if not claimed:
        return False
    _report(job.pk, {"stage": "", "done": 0, "total": 0})
    if not settings.IMPORTS_IN_BACKGROUND:
        import_job_run(job_id=job.pk, reraise=True)
        return True
    thread = threading.Thread(
        target=_run_in_thread, args=(job.pk,), name=f"import-job-{job.pk}", daemon=True
    )
    # After the request's transaction (if any) commits, so the thread sees the queued job.
    transaction.on_commit(thread.start)
    return True


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        import_job_run(job_id=job_id)
    finally:
        connection.close()  # the thread's own connection: nothing else would close it


def import_job_run(*, job_id: int, reraise: bool = False) -> ImportJob:
    """Run a queued job to its end and record the outcome on it."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJobStatus.RUNNING, started_at=timezone.now()
    )
    reporter = _Reporter(job_id)
    try:
        preview, result = imports.apply(job.kind, job.text, progress=reporter, user=job.created_by)
    except imports.ImportRejected as rejected:
        # Something changed since the preview (or the file was applied with errors): nothing
        # was written.
        errors = rejected.preview.errors
        _finish(
            job_id,
            status=ImportJobStatus.FAILED,
            total_rows=len(rejected.preview.rows),
            errors=[str(error) for error in errors[:KEPT_ERRORS]],
            error_count=len(errors),
        )
    except Exception:
        # A thread has nobody to raise to: the job says it failed, and the log says why.
        logger.exception("Import job %s failed", job_id)
        _finish(job_id, status=ImportJobStatus.FAILED, errors=[UNEXPECTED_MESSAGE], error_count=1)
        if reraise:
            raise
    else:
        _finish(
            job_id,
            status=ImportJobStatus.DONE,
            total_rows=len(preview.rows),
            rows_new=result.created,
            rows_updated=result.updated,
            rows_unchanged=result.unchanged,
        )
    job.refresh_from_db()
    return job


def _finish(job_id: int, **outcome) -> None:
    ImportJob.objects.filter(pk=job_id).update(text="", finished_at=timezone.now(), **outcome)
    try:
        cache.delete(_progress_key(job_id))
    except Exception:  # noqa: BLE001 - a cache outage must not hide the outcome, which is saved
        logger.warning("Could not clear the progress of import job %s", job_id, exc_info=True)


def _report(job_id: int, state: dict) -> None:
    try:
        cache.set(_progress_key(job_id), {**state, "at": time.time()}, PROGRESS_TIMEOUT)
    except Exception:  # noqa: BLE001 - progress is a courtesy: the import goes on without it
        logger.warning("Could not record the progress of import job %s", job_id, exc_info=True)


class _Reporter:
    """The ``progress`` callback of ``imports.apply``: writes to the cache at most every half
    second, and at every change of stage and the end of each."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.stage = ""
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == self.stage and done < total and now - self.last < REPORT_EVERY_SECONDS:
            return
        self.stage, self.last = stage, now
        _report(self.job_id, {"stage": stage, "done": done, "total": total})


# The three steps of an import (``imports.apply``'s stages): their number, what they count, and
# the share of the whole bar each takes (roughly their share of the time at a whole trust's size).
STEPS = {
    imports.CHECKING: (1, "rows", 0, 40),
    imports.WRITING: (2, "new or changed rows", 40, 75),
    imports.LEVELS: (3, "projects", 75, 100),
}


def import_job_progress(*, job: ImportJob) -> dict:
    """How far the job is, for its page and its JSON: status, step, count, percent of the whole,
    and the same in words. A waiting job not heard of for ``ABANDONED_AFTER`` is marked failed
    (its transaction died with its process)."""
    state: dict = {}
    if job.is_waiting:
        try:
            state = cache.get(_progress_key(job.pk)) or {}
        except Exception:  # noqa: BLE001 - without the cache, the page still shows the status
            logger.warning("Could not read the progress of import job %s", job.pk, exc_info=True)
        heard = max(filter(None, [job.created_at, job.started_at, _moment(state.get("at"))]))
        if timezone.now() - heard > ABANDONED_AFTER:
            _finish(
                job.pk, status=ImportJobStatus.FAILED, errors=[ABANDONED_MESSAGE], error_count=1
            )
            job.refresh_from_db()
            state = {}
    done, total = int(state.get("done", 0)), int(state.get("total", 0))
    stage = state.get("stage", "")
    step = STEPS.get(stage) if job.is_waiting else None
    if job.status == ImportJobStatus.DONE:
        percent = 100
        words = f"Imported {job.total_rows:,} of {job.total_rows:,} rows."
    elif step is not None:
        number, counted, low, high = step
        percent = low + ((high - low) * done // total if total else 0)
        words = f"{stage} (step {number} of 3): {done:,} of {total:,} {counted}."
    elif job.is_waiting:
        percent, words = 0, "Waiting to start."
    else:
        percent, words = 0, f"{job.get_status_display()}."
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "finished": job.is_finished,
        "step": step[0] if step else 0,
        "done": done,
        "total": total,
        "percent": percent,
        "words": words,
    }


def _moment(timestamp) -> datetime.datetime | None:
    if timestamp is None:
        return None
    return datetime.datetime.fromtimestamp(float(timestamp), tz=datetime.UTC)
