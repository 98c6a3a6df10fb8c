import logging

from celery import shared_task

from xinshao.audit.selectors import audit_chain_verify

logger = logging.getLogger(__name__)


@shared_task(name="xinshao.audit.tasks.verify_chain")
def verify_chain() -> dict:
    """Nightly check of the audit chain; a break is logged as an error for the operators."""
    report = audit_chain_verify()
    if not report.ok:
        logger.error("audit chain broken at entry %s: %s", report.broken_entry_id, report.problem)
    return {"ok": report.ok, "checked": report.checked, "broken_entry_id": report.broken_entry_id}
