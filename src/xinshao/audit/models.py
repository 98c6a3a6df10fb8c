"""An append-only, hash-chained audit trail, sealed after commit by one sequencer.

A writer stores an entry with the hash of its own content (`content_hash`) and takes no lock.
The sequencer (`audit.services.audit_seal`, every few seconds) gives each committed entry the
next place in the chain (`seq`), the hash of the entry before it and a hash over both, so an
edited, removed or inserted row breaks the chain where it happened (`xinshao audit-verify`).
This is the queue-then-sequence design of transparency logs (Trillian's sequencer): tamper
evidence without one lock every writer in the city waits on (docs/architecture.md).
"""
import hashlib
import json

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit entries cannot be deleted")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("时间"), db_index=True)
    actor_id = models.BigIntegerField(_("操作人编号"), null=True)
    actor_label = models.CharField(_("操作人"), max_length=150)
    action = models.CharField(_("操作"), max_length=50)
    object_type = models.CharField(_("对象类型"), max_length=50, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=50, blank=True)
    # Plain ids, not foreign keys: the trail must outlive any row it speaks of.
    student_id = models.BigIntegerField(_("学生编号"), null=True, db_index=True)
    ip_address = models.CharField(_("来源地址"), max_length=45, blank=True)
    path = models.CharField(_("页面"), max_length=300, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    content_hash = models.CharField(max_length=64, default="")
    # Set by the sequencer once the entry is committed; empty until then.
    seq = models.BigIntegerField(null=True, unique=True)
    prev_hash = models.CharField(max_length=64, null=True)
    entry_hash = models.CharField(max_length=64, null=True, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        # A refreshing list looks up the user's last entry for it (audit_list_view) on every refresh.
        indexes = [models.Index(fields=["actor_id", "action", "-id"], name="audit_actor_action_latest")]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be deleted")

    def content(self) -> dict:
        return {
            "at": self.at.isoformat(),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": str(self.object_id),
            "student_id": self.student_id,
            "ip_address": self.ip_address,
            "path": self.path,
            "detail": self.detail,
        }

    def _canonical(self) -> str:
        return json.dumps(self.content(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def compute_content_hash(self) -> str:
        return hashlib.sha256(self._canonical().encode()).hexdigest()

    def compute_hash(self) -> str:
        """The chain link: over the entry before it and this entry's content."""
        return hashlib.sha256(f"{self.prev_hash}|{self._canonical()}".encode()).hexdigest()


class AuditChainHead(models.Model):
    """One row: the newest sealed entry's place and hash. Only the sequencer locks it, so the
    chain never forks, and a removed tail is noticed because the head no longer matches."""

    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    last_seq = models.BigIntegerField(default=0)
    entry_count = models.BigIntegerField(default=0)
