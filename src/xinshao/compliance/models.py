"""Personal information protection: staff access to children's data granted by approval, the
incident register, and account unlocks. Every step is an event row (core.models.EventRow) and
an audit entry (compliance/services.py)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinshao.accounts.roles import Role
from xinshao.core.crypto import EncryptedTextField
from xinshao.core.models import EventRow


class AccessRequest(models.Model):
    """A request that a person be given a role that sees individual children (CHILD_ACCESS_ROLES,
    compliance/grants.py). Its role assignment exists only once a bureau admin has approved it."""

    class State(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("已拒绝")
        REVOKED = "revoked", _("已撤销")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_requests",
                             verbose_name=_("授权对象"))
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    region = models.ForeignKey("org.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("区域"))
    school = models.ForeignKey("org.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("学校"))
    school_class = models.ForeignKey("org.SchoolClass", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+", verbose_name=_("班级"))
    agency = models.ForeignKey("org.PartnerAgency", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+", verbose_name=_("合作机构"))
    # Whose bureau admins decide (the unit's region), and the school it is at (for the school's history).
    approval_region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+")
    at_school = models.ForeignKey("org.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("申请理由"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    # Granted before the approval flow existed (migration or demo seed): approved by migration.
    by_migration = models.BooleanField(default=False)
    assignment = models.OneToOneField("accounts.RoleAssignment", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="access_request")

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["state", "approval_region"], name="access_request_state_region")]
        verbose_name = _("访问授权申请")
        verbose_name_plural = _("访问授权申请")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    @property
    def unit(self):
        return self.school_class or self.school or self.agency or self.region


class AccessEvent(EventRow):
    class Kind(models.TextChoices):
        REQUESTED = "requested", _("提出申请")
        APPROVED = "approved", _("批准")
        REFUSED = "refused", _("拒绝")
        REVOKED = "revoked", _("撤销")
        MIGRATED = "migrated", _("迁移时视为已批准")

    request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE, related_name="events")
    note = models.TextField(_("说明"), blank=True)


class DataKind(models.TextChoices):
    IDENTITY = "identity", _("身份信息（姓名、学号、身份证号）")
    CONTACT = "contact", _("监护人联系方式")
    RESULTS = "results", _("测评结果")
    ALERTS = "alerts", _("预警")
    CASE_NOTES = "case_notes", _("个案与辅导记录")
    REPORTS = "reports", _("心理委员报告、家校记录")
    OTHER = "other", _("其他")


class Incident(models.Model):
    """A personal information security incident (个人信息安全事件) of a region, with the hour by
    which it must be reported to the authority (XINSHAO_INCIDENT_REPORT_HOURS after discovery)."""

    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("区域"))
    title = models.CharField(_("事件名称"), max_length=200)
    description = EncryptedTextField(_("经过"))
    discovered_at = models.DateTimeField(_("发现时间"))
    report_due_at = models.DateTimeField(_("上报期限"))
    affected_count = models.PositiveIntegerField(_("涉及学生人数"))
    affected_students = models.ManyToManyField("people.Student", blank=True, related_name="+",
                                               verbose_name=_("涉及的学生"))
    data_kinds = models.JSONField(_("涉及的信息种类"), default=list)  # DataKind values
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    contained_at = models.DateTimeField(_("控制时间"), null=True, blank=True)
    authority_reported_at = models.DateTimeField(_("上报主管部门时间"), null=True, blank=True)
    guardians_notified_at = models.DateTimeField(_("告知监护人时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-discovered_at", "-id"]
        verbose_name = _("个人信息安全事件")
        verbose_name_plural = _("个人信息安全事件")

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, now) -> bool:
        """Not reported to the authority by its deadline (and still open)."""
        return self.authority_reported_at is None and self.closed_at is None and now > self.report_due_at

    def data_kind_labels(self) -> list[str]:
        labels = dict(DataKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.data_kinds]


class IncidentEvent(EventRow):
    class Kind(models.TextChoices):
        REPORTED = "reported", _("登记")
        CONTAINED = "contained", _("已控制")
        AUTHORITY_REPORTED = "authority_reported", _("已上报主管部门")
        GUARDIANS_NOTIFIED = "guardians_notified", _("已告知监护人")
        NOTE = "note", _("处置记录")
        OVERDUE_NOTIFIED = "overdue_notified", _("逾期提醒")
        CLOSED = "closed", _("结束")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    note = EncryptedTextField(_("说明"), blank=True)


class UnlockEvent(EventRow):
    """An administrator lifted a sign-in lock-out (django-axes) of one account."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
