"""Writing audit entries. Every later part calls `audit_record` on each read or change of a
student's sensitive record (who, what, which student, when, from where)."""
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from xinshao.audit.models import AuditChainHead, AuditEntry


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


def _locked_head() -> AuditChainHead:
    # The UPDATE takes the write lock first (a row lock on PostgreSQL, the database lock on
    # SQLite), so two writers cannot both read the same last hash.
    AuditChainHead.objects.get_or_create(pk=1)
    AuditChainHead.objects.filter(pk=1).update(entry_count=F("entry_count"))
    return AuditChainHead.objects.get(pk=1)


def audit_record_many(*, actor, events: list[AuditEvent], request=None) -> list[AuditEntry]:
    """Append one entry per event, chained, in one transaction."""
    if not events:
        return []
    now = timezone.now()
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    actor_label = actor.get_username() if actor_id else "system"
    with transaction.atomic():
        head = _locked_head()
        prev_hash, entries = head.last_hash, []
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
        AuditChainHead.objects.filter(pk=1).update(last_hash=prev_hash, entry_count=F("entry_count") + len(entries))
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
