"""Reading the audit trail: chain verification."""
from dataclasses import dataclass

from xinshao.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_entry_id: int | None = None
    problem: str = ""


def audit_chain_verify(batch_size: int = 5000) -> ChainReport:
    """Walk the chain in id order and report the first entry that does not fit."""
    prev_hash, checked, last_id = GENESIS_HASH, 0, 0
    while True:
        batch = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            break
        for entry in batch:
            if entry.prev_hash != prev_hash:
                return ChainReport(False, checked, entry.id, "its link to the entry before it is broken "
                                   "(an entry before it was removed, or this one was inserted or edited)")
            if entry.compute_hash() != entry.entry_hash:
                return ChainReport(False, checked, entry.id, "its content does not match its hash (it was edited)")
            prev_hash, checked, last_id = entry.entry_hash, checked + 1, entry.id
    head = AuditChainHead.objects.filter(pk=1).first()
    head_hash = head.last_hash if head else GENESIS_HASH
    if head_hash != prev_hash:
        return ChainReport(False, checked, None, "the newest entries were removed: the chain head does not "
                           "match the last entry")
    return ChainReport(True, checked)
