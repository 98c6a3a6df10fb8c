from celery import shared_task

from xinshao.exports.services import export_run, exports_expire


@shared_task(name="xinshao.exports.tasks.run_export", acks_late=True)
def run_export(job_id: int) -> str | None:
    """Make one export's file. Acknowledged late, so a worker that dies mid-way has it redone."""
    return export_run(job_id)


@shared_task(name="xinshao.exports.tasks.expire_exports")
def expire_exports() -> int:
    """Hourly: finished exports older than a day lose their file."""
    return exports_expire()
