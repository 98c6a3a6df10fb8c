"""Export jobs: asking for one, running it (a Celery task, acknowledged late: running it twice
writes the same file again and changes nothing else), the download's audit entry, and the clean-up
of expired files."""
import logging
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinshao.audit.services import audit_record
from xinshao.exports.kinds import ExportRefused, as_table, kind_named
from xinshao.exports.models import KEEP_FOR, ExportJob, ExportJobEvent
from xinshao.exports.writers import PDF_MAX_ROWS, TooLongForPdf, pdf_render, xlsx_write

logger = logging.getLogger(__name__)
State = ExportJob.State


def exports_dir() -> Path:
    folder = Path(settings.DATA_DIR) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _event(job: ExportJob, kind: str, *, actor=None, **detail) -> None:
    ExportJobEvent.objects.create(job=job, kind=kind, actor=actor, at=timezone.now(), detail=detail)


def export_request(*, user, kind_name: str, file_format: str, params: dict, origin: str) -> ExportJob:
    """Queue a job for `user`; ExportRefused (with its reason) when the kind, format or parameters
    are not theirs to ask for. `origin` is this site's address, for links printed in the file."""
    kind = kind_named(kind_name)
    if kind is None or not kind.may(user):
        raise ExportRefused(_("您无权导出这项内容。"))
    if file_format not in kind.formats:
        raise ExportRefused(_("这项内容不能导出为 %(format)s。") % {"format": file_format})
    cleaned = {**kind.clean(user, params), "origin": origin}
    with transaction.atomic():
        job = ExportJob.objects.create(requested_by=user, kind=kind.name, title=kind.job_title(cleaned)[:200],
                                       parameters=cleaned, format=file_format, created_at=timezone.now())
        _event(job, State.QUEUED, actor=user)
        from xinshao.exports.tasks import run_export

        transaction.on_commit(lambda: run_export.delay(job.pk), robust=True)
    return job


def _claim(job_id: int) -> ExportJob | None:
    """Mark the job running, unless it is already finished (a task delivered twice)."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state not in (State.QUEUED, State.RUNNING):
            return None
        job.state, job.started_at, job.rows_done, job.message = State.RUNNING, timezone.now(), 0, ""
        job.attempts += 1
        job.save(update_fields=["state", "started_at", "rows_done", "message", "attempts"])
        _event(job, State.RUNNING, attempt=job.attempts)
    return job


def _progress(job: ExportJob, done: int, total: int | None = None) -> None:
    changes = {"rows_done": done} if total is None else {"rows_done": done, "rows_total": total}
    ExportJob.objects.filter(pk=job.pk).update(**changes)


def _tables_written(job: ExportJob, kind, path: Path) -> tuple[int, set[int]]:
    user, params = job.requested_by, job.parameters
    names: set[int] = set()
    totals = {"expected": 0}

    def tables():
        for table in map(as_table, kind.tables(user, params)):
            totals["expected"] += table.count or 0
            _progress(job, job.rows_done, totals["expected"])
            yield table
            names.update(table.student_ids or ())

    def progress(done: int) -> None:
        job.rows_done = done
        _progress(job, done)

    if job.format == ExportJob.Format.XLSX:
        rows = xlsx_write(tables(), path, progress)
    else:
        content, rows = pdf_render(tables(), title=job.title, user=user, progress=progress)
        path.write_bytes(content)
    return rows, names


def _own_pdf_written(job: ExportJob, kind, path: Path) -> tuple[int, set[int]]:
    made = kind.render_pdf(job.requested_by, job.parameters, lambda done, total: _progress(job, done, total))
    path.write_bytes(made.content)
    return made.rows, made.student_ids


def export_run(job_id: int) -> str | None:
    """Make the job's file; the job ends done or failed (with a message), never half-written."""
    job = _claim(job_id)
    if job is None:
        return None
    kind = kind_named(job.kind)
    stored = f"{job.pk}-{secrets.token_hex(8)}.{job.format}"
    part = exports_dir() / f"{stored}.part"
    try:
        if kind is None:
            raise ExportRefused(_("这项内容已不能导出。"))
        write = _own_pdf_written if kind.render_pdf else _tables_written
        rows, names = write(job, kind, part)
        os.replace(part, exports_dir() / stored)
    except (ExportRefused, TooLongForPdf) as refused:
        message = str(refused) if isinstance(refused, ExportRefused) else _(
            "超过 %(n)d 行的内容不适合做成 PDF，请导出 Excel。") % {"n": PDF_MAX_ROWS}
        return _fail(job, message, part)
    except Exception:
        logger.exception("export job %s failed", job.pk)
        return _fail(job, _("生成文件时出错，请稍后重新导出；如果仍然失败，请联系系统管理员。"), part)
    with transaction.atomic():
        previous = ExportJob.objects.select_for_update().get(pk=job.pk)
        _remove(previous.file_name)  # a second run replaces the first one's file
        ExportJob.objects.filter(pk=job.pk).update(
            state=State.DONE, rows_done=rows, rows_total=rows, file_name=stored,
            file_size=(exports_dir() / stored).stat().st_size, student_ids=sorted(names), finished_at=timezone.now())
        _event(job, State.DONE, rows=rows)
    return State.DONE


def _fail(job: ExportJob, message: str, part: Path) -> str:
    part.unlink(missing_ok=True)
    ExportJob.objects.filter(pk=job.pk).update(state=State.FAILED, message=message, finished_at=timezone.now())
    _event(job, State.FAILED, message=message)
    return State.FAILED


def _remove(file_name: str) -> None:
    if file_name:
        (exports_dir() / file_name).unlink(missing_ok=True)


def export_file(job: ExportJob) -> Path | None:
    """The job's file, when it is done and the file is still there."""
    if job.state != State.DONE or not job.file_name:
        return None
    path = exports_dir() / job.file_name
    return path if path.exists() else None


def export_downloaded(*, job: ExportJob, request) -> None:
    """The download's audit entry: what kind, how many rows, and every student the file names."""
    detail = {"kind": job.kind, "format": job.format, "rows": job.rows_done}
    if job.student_ids:
        detail["students"] = job.student_ids
    audit_record(actor=request.user, action="exports.downloaded", obj=job, request=request, detail=detail)


def exports_expire(now=None) -> int:
    """Remove the files of jobs finished more than KEEP_FOR ago; returns how many expired."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    expired = 0
    for job in ExportJob.objects.filter(state=State.DONE, finished_at__lt=cutoff):
        _remove(job.file_name)
        ExportJob.objects.filter(pk=job.pk).update(state=State.EXPIRED, file_name="", student_ids=[])
        _event(job, State.EXPIRED)
        expired += 1
    return expired
