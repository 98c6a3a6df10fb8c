"""Writing audit entries. Every later part calls `audit_record` on each read or change of a
student's sensitive record (who, what, which student, when, from where)."""
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from xinshao.audit.models import AppendOnlyError, AuditChainHead, AuditEntry


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


_HEAD_TABLE = AuditChainHead._meta.db_table
_HEAD_ID = 1  # the one row, made by migration 0002_chain_head_row


def _locked_head_hash() -> str:
    """The newest entry's hash, with the chain head locked until the transaction ends.

    One statement: the UPDATE takes the write lock first (a row lock on PostgreSQL, the database
    lock on SQLite) and returns the hash, so two writers never read the same last hash.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_HEAD_TABLE} SET entry_count = entry_count WHERE id = %s RETURNING last_hash",
                       [_HEAD_ID])
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    # Only on an empty table (a flushed test database): an empty chain starts from genesis.
    if AuditEntry.objects.exists():
        raise AppendOnlyError("the audit chain head is missing while entries exist: the trail was tampered with")
    AuditChainHead.objects.create(pk=_HEAD_ID)
    return _locked_head_hash()


def audit_record_many(*, actor, events: list[AuditEvent], request=None) -> list[AuditEntry]:
    """Append one entry per event, chained, in the caller's transaction (or a new one)."""
    if not events:
        return []
    now = timezone.now()
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    actor_label = actor.get_username() if actor_id else "system"
    # No savepoint: an entry that cannot be written must undo the change it records.
    with transaction.atomic(savepoint=False):
        prev_hash, entries = _locked_head_hash(), []
        for event in events:
            entry = AuditEntry(
                at=now,
                actor_id=actor_id,
                actor_label=actor_label,
                action=event.action,
                object_type=event.object_type,
                object_id=str(event.object_id),
                student_id=event.student_id,
                ip_address=_client_address(request),
                path=request.path[:300] if request is not None else "",
                detail=event.detail,
                prev_hash=prev_hash,
            )
            entry.entry_hash = prev_hash = entry.compute_hash()
            entries.append(entry)
        AuditEntry.objects.bulk_create(entries, batch_size=1000)
        AuditChainHead.objects.filter(pk=_HEAD_ID).update(last_hash=prev_hash,
                                                           entry_count=F("entry_count") + len(entries))
    return entries


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
