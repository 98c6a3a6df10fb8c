from celery import shared_task

from xinshao.retention.services import retention_run


@shared_task(name="xinshao.retention.tasks.run_retention")
def run_retention() -> dict:
    """Nightly: delete or anonymise what is past its time under the bureau's policy."""
    return {run.kind: run.done for run in retention_run()}
