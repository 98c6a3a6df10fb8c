"""Partner agencies' contact people and the service agreements (服务协议) between schools and agencies.

The agency itself is `org.PartnerAgency` (cases refer to it, clinicians belong to it). One agreement
may cover many schools: the city mental health centre signs one framework agreement with a batch
of schools as often as one with a single school, and a batch renews together. An agreement is valid
on a day when it is active and the day is within its dates (selectors.valid_q); a referral goes only
to an agency with a valid agreement covering the case's school, unless the referrer says why
(cases/referrals/services.py). Every state change is an AgreementEvent row.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinshao.core.models import EventRow


class AgencyContact(models.Model):
    """A person at a partner agency whom schools and the bureau call; one per agency is the primary."""

    agency = models.ForeignKey("org.PartnerAgency", on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=30)
    email = models.EmailField(_("电子邮箱"), max_length=100, blank=True)
    note = models.CharField(_("备注（仅教育局可见）"), max_length=300, blank=True)
    is_primary = models.BooleanField(_("主要联系人"), default=False)

    class Meta:
        ordering = ["-is_primary", "name", "id"]
        verbose_name = _("机构联系人")
        verbose_name_plural = _("机构联系人")
        constraints = [models.UniqueConstraint(fields=["agency"], condition=models.Q(is_primary=True),
                                               name="one_primary_contact_per_agency")]

    def __str__(self) -> str:
        return f"{self.name}（{self.agency}）"


class Scope(models.TextChoices):
    """What services an agreement covers."""

    ASSESSMENT = "assessment", _("心理评估")
    TREATMENT_REFERRAL = "treatment_referral", _("转介诊疗")
    CRISIS_INTERVENTION = "crisis_intervention", _("危机干预")
    TRAINING = "training", _("教师培训")
    CONSULTATION = "consultation", _("专业咨询与督导")
    PARENT_EDUCATION = "parent_education", _("家长教育")


def document_path(agreement, filename: str) -> str:
    # A name of our own: the uploader's file name is kept in the row, never used as a path.
    return f"partners/agreements/{agreement.pk}/{agreement.document_token}.pdf"


class ServiceAgreement(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        ACTIVE = "active", _("生效中")
        ENDED = "ended", _("已到期")
        TERMINATED = "terminated", _("已提前终止")

    agency = models.ForeignKey("org.PartnerAgency", on_delete=models.PROTECT, related_name="agreements",
                               verbose_name=_("合作机构"))
    schools = models.ManyToManyField("org.School", related_name="service_agreements", verbose_name=_("覆盖学校"))
    title = models.CharField(_("协议名称"), max_length=100)
    number = models.CharField(_("协议编号"), max_length=50, blank=True)
    scope = models.JSONField(_("服务内容"), default=list)  # Scope values
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT)
    terminated_on = models.DateField(_("终止日期"), null=True, blank=True)
    termination_reason = models.CharField(_("提前终止的原因"), max_length=500, blank=True)
    document = models.FileField(upload_to=document_path, max_length=200, blank=True)
    document_token = models.CharField(max_length=32, blank=True)
    document_name = models.CharField(_("签署文本"), max_length=255, blank=True)
    document_size = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["ends_on", "id"]
        verbose_name = _("服务协议")
        verbose_name_plural = _("服务协议")
        indexes = [models.Index(fields=["agency", "state", "ends_on"])]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="agreement_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.agency} · {self.title}"

    def scope_labels(self) -> list[str]:
        labels = dict(Scope.choices)
        return [str(labels[value]) for value in self.scope if value in labels]

    def is_valid_on(self, day) -> bool:
        return self.state == self.State.ACTIVE and self.starts_on <= day <= self.ends_on


class AgreementEvent(EventRow):
    """Every change of an agreement: who, when, what, why."""

    agreement = models.ForeignKey(ServiceAgreement, on_delete=models.CASCADE, related_name="events")
    reason = models.CharField(max_length=500, blank=True)
