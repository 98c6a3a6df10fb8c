"""Writing audit entries. Every later part calls `audit_record` on each read or change of a
student's sensitive record (who, what, which student, when, from where)."""
import logging
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from xinshao.audit.models import AppendOnlyError, AuditChainHead, AuditEntry

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AuditEvent:
    action: str
    student_id: int | None = None
    object_type: str = ""
    object_id: str = ""
    detail: dict = field(default_factory=dict)


def _client_address(request) -> str:
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "")[:45]


def audit_entry_new(*, actor, event: AuditEvent, request=None, at=None) -> AuditEntry:
    """An unsaved entry with the hash of its content, for a writer that inserts it itself."""
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    entry = AuditEntry(
        at=at or timezone.now(),
        actor_id=actor_id,
        actor_label=actor.get_username() if actor_id else "system",
        action=event.action,
        object_type=event.object_type,
        object_id=str(event.object_id),
        student_id=event.student_id,
        ip_address=_client_address(request),
        path=request.path[:300] if request is not None else "",
        detail=event.detail,
    )
    entry.content_hash = entry.compute_content_hash()
    return entry


# What a writer that folds the entry into a statement of its own inserts (the hot path, campaigns/submissions.py);
# the sequencer fills the chain's columns later.
AUDIT_INSERT_COLUMNS = ("at", "actor_id", "actor_label", "action", "object_type", "object_id", "student_id",
                        "ip_address", "path", "detail", "content_hash")
AUDIT_INSERT_SQL = (f"INSERT INTO {AuditEntry._meta.db_table} ({', '.join(AUDIT_INSERT_COLUMNS)}) "
                    f"VALUES ({', '.join(['%s'] * len(AUDIT_INSERT_COLUMNS))})")


def audit_insert_values(entry: AuditEntry) -> list:
    """AUDIT_INSERT_SQL's parameters for an entry from audit_entry_new."""
    return [AuditEntry._meta.get_field(name).get_db_prep_save(getattr(entry, name), connection)
            for name in AUDIT_INSERT_COLUMNS]


def audit_record_many(*, actor, events: list[AuditEvent], request=None) -> list[AuditEntry]:
    """Append one entry per event in the caller's transaction (or a new one), each with the hash of
    its content. No lock: the sequencer (`audit_seal`) chains them once they are committed."""
    if not events:
        return []
    now = timezone.now()
    entries = [audit_entry_new(actor=actor, event=event, request=request, at=now) for event in events]
    # No savepoint: an entry that cannot be written must undo the change it records.
    with transaction.atomic(savepoint=False):
        AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return entries


_HEAD_ID = 1  # the one row, made by migration 0002_chain_head_row
_SEAL = f"UPDATE {AuditEntry._meta.db_table} SET seq = %s, prev_hash = %s, entry_hash = %s WHERE id = %s AND seq IS NULL"


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=_HEAD_ID).first()
    if head is not None:
        return head
    # Only on an empty table (a flushed test database): an empty chain starts from genesis.
    if AuditEntry.objects.filter(seq__isnull=False).exists():
        raise AppendOnlyError("the audit chain head is missing while entries exist: the trail was tampered with")
    AuditChainHead.objects.create(pk=_HEAD_ID)
    return _locked_head()


def _seal_batch(batch_size: int) -> tuple[int, AuditEntry | None]:
    """Chain up to `batch_size` committed, unsealed entries; return how many, and the first entry
    whose content no longer matches its hash (sealing stops before it: it was edited)."""
    with transaction.atomic():
        head = _locked_head()  # one sequencer at a time; writers never wait on this
        pending = list(AuditEntry.objects.filter(seq__isnull=True).order_by("id")[:batch_size])
        prev_hash, seq, links, edited = head.last_hash, head.last_seq, [], None
        for entry in pending:
            if entry.compute_content_hash() != entry.content_hash:
                edited = entry
                break
            seq += 1
            entry.prev_hash = prev_hash
            prev_hash = entry.compute_hash()
            links.append([seq, entry.prev_hash, prev_hash, entry.pk])
        if links:
            with connection.cursor() as cursor:
                cursor.executemany(_SEAL, links)
            AuditChainHead.objects.filter(pk=_HEAD_ID).update(
                last_hash=prev_hash, last_seq=seq, entry_count=F("entry_count") + len(links))
    return len(links), edited


def audit_seal(batch_size: int = 5000) -> int:
    """Give every committed entry not yet in the chain its place, oldest first; return how many.

    An entry whose transaction commits after a later one was sealed simply takes a later place:
    the chain's order is the sealing order, not the id order.
    """
    sealed = 0
    while True:
        count, edited = _seal_batch(batch_size)
        sealed += count
        if edited is not None:
            logger.error("audit entry %s was edited before it was sealed; sealing stopped there", edited.pk)
            return sealed
        if count < batch_size:
            return sealed


def audit_record(*, actor, action: str, student=None, obj=None, request=None, detail: dict | None = None) -> AuditEntry:
    event = AuditEvent(
        action=action,
        student_id=student.pk if student is not None else None,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail or {},
    )
    return audit_record_many(actor=actor, events=[event], request=request)[0]


def audit_list_view(*, actor, action: str, students, request=None, refresh: bool = False,
                    subject: str = "students") -> AuditEntry | None:
    """One entry for a list that shows students' sensitive information, naming the students shown
    (students or model instances; `subject` names what the ids are, e.g. teachers for their help requests).

    `refresh` is for a list that reloads its rows every few seconds: it writes only when the students
    shown differ from this user's last entry for the same list, so an open page does not fill the
    trail with copies (a duplicate from two tabs racing is harmless and not worth a lock).
    """
    shown = sorted({student if isinstance(student, int) else student.pk for student in students})
    if not shown:
        return None  # an empty list shows nobody's information
    detail = {subject: shown}
    if refresh and actor is not None and actor.is_authenticated:
        last = AuditEntry.objects.filter(actor_id=actor.pk, action=action).order_by("-id").values("detail").first()
        if last is not None and last["detail"] == detail:
            return None
    return audit_record_many(actor=actor, request=request, events=[AuditEvent(action=action, detail=detail)])[0]
