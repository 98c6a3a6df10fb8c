"""Reading the audit trail: chain verification, the bureau's access search and unusual access report."""
from dataclasses import dataclass

from django.db.models import Count, Max
from django.db.models.functions import TruncDate

from xinshao.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_entry_id: int | None = None
    problem: str = ""
    pending: int = 0  # committed entries the sequencer has not chained yet (checked by content alone)


def _sealed_break(batch_size: int) -> tuple[ChainReport | None, str, int]:
    """Walk the sealed chain in its order; return the first break (or None), the last hash and the count."""
    prev_hash, checked, last_seq = GENESIS_HASH, 0, 0
    while True:
        batch = list(AuditEntry.objects.filter(seq__gt=last_seq).order_by("seq")[:batch_size])
        if not batch:
            return None, prev_hash, checked
        for entry in batch:
            if entry.prev_hash != prev_hash:
                return ChainReport(False, checked, entry.id, "its link to the entry before it is broken "
                                   "(an entry before it was removed, or this one was inserted or edited)"), "", checked
            if entry.compute_hash() != entry.entry_hash:
                return ChainReport(False, checked, entry.id, "its content does not match its hash (it was edited)"), "", checked
            prev_hash, checked, last_seq = entry.entry_hash, checked + 1, entry.seq


def audit_chain_verify(batch_size: int = 5000) -> ChainReport:
    """Walk the sealed chain and report the first entry that does not fit, then check each entry
    still waiting for the sequencer against the hash of its content."""
    broken, last_hash, checked = _sealed_break(batch_size)
    if broken is not None:
        return broken
    head = AuditChainHead.objects.filter(pk=1).first()
    if (head.last_hash if head else GENESIS_HASH) != last_hash:
        return ChainReport(False, checked, None, "the newest entries were removed: the chain head does not "
                           "match the last entry")
    pending = 0
    for entry in AuditEntry.objects.filter(seq__isnull=True).order_by("id").iterator(chunk_size=batch_size):
        if entry.compute_content_hash() != entry.content_hash:
            return ChainReport(False, checked + pending, entry.id,
                               "its content does not match its hash (it was edited)", pending)
        pending += 1
    return ChainReport(True, checked + pending, pending=pending)


def audit_entries_search(*, students, actor_ids=None, since=None, until=None):
    """Entries about the given students (a queryset the caller has scoped), optionally by the
    given actors and within [since, until) — newest first."""
    entries = AuditEntry.objects.filter(student_id__in=students.values("id"))
    if actor_ids is not None:
        entries = entries.filter(actor_id__in=actor_ids)
    if since is not None:
        entries = entries.filter(at__gte=since)
    if until is not None:
        entries = entries.filter(at__lt=until)
    return entries.order_by("-at", "-id")


@dataclass(frozen=True)
class UnusualReader:
    day: object
    actor_id: int
    actor_label: str
    students_read: int


def unusual_readers(*, students, since, until, threshold: int) -> list[UnusualReader]:
    """People who, on one day, read more than `threshold` distinct students among `students`:
    far more than one person's work with children needs (the daily unusual access report)."""
    rows = (audit_entries_search(students=students, since=since, until=until).exclude(actor_id__isnull=True)
            .annotate(day=TruncDate("at")).values("day", "actor_id")
            .annotate(students_read=Count("student_id", distinct=True), label=Max("actor_label"))
            .filter(students_read__gt=threshold).order_by("-day", "-students_read"))
    return [UnusualReader(row["day"], row["actor_id"], row["label"], row["students_read"]) for row in rows]
