import logging

from celery import shared_task

from xinshao.audit.selectors import audit_chain_verify
from xinshao.audit.services import audit_seal

logger = logging.getLogger(__name__)


@shared_task(name="xinshao.audit.tasks.seal_entries")
def seal_entries() -> int:
    """Every few seconds: chain the entries committed since the last run (audit/models.py)."""
    return audit_seal()


@shared_task(name="xinshao.audit.tasks.verify_chain")
def verify_chain() -> dict:
    """Nightly check of the audit chain; a break is logged as an error for the operators."""
    audit_seal()
    report = audit_chain_verify()
    if not report.ok:
        logger.error("audit chain broken at entry %s: %s", report.broken_entry_id, report.problem)
    return {"ok": report.ok, "checked": report.checked, "broken_entry_id": report.broken_entry_id}
