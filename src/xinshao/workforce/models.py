"""Workforce and training (DESIGN.md part 7): the psych teachers and class teachers of every school,
the certificates they hold, training events that grant them, and the schools' designations.

A staff record (StaffMember) is a person at a school in one post, with or without a login. The
certification rate of a certificate kind counts the staff whose post the kind is required of
(C证: psych teachers and class teachers) and, among them, those holding a valid certificate of
that kind or a higher level. Every change is a WorkforceEvent row (services.py).
"""
import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinshao.core.models import EventRow


class Post(models.TextChoices):
    PSYCH_TEACHER = "psych_teacher", _("心理教师")
    CLASS_TEACHER = "class_teacher", _("班主任")


class Employment(models.TextChoices):
    FULL_TIME = "full_time", _("专职")
    PART_TIME = "part_time", _("兼职")


class StaffMember(models.Model):
    """One person in the register of a school's psych teachers and class teachers."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="workforce",
                               verbose_name=_("学校"))
    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("岗位"), max_length=20, choices=Post.choices)
    employment = models.CharField(_("专职/兼职"), max_length=20, choices=Employment.choices,
                                  default=Employment.PART_TIME)
    psychology_degree = models.BooleanField(_("心理学相关专业学历"), default=False)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="staff_record", verbose_name=_("登录账号"))
    is_active = models.BooleanField(_("在岗"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["school__code", "-post", "name", "id"]  # psych teachers before class teachers
        verbose_name = _("教师队伍成员")
        verbose_name_plural = _("教师队伍成员")
        indexes = [models.Index(fields=["school", "post", "is_active"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.school}）"


class CertificateKind(models.Model):
    """A kind of certificate, e.g. 心理健康教育C证; `required_of` says whose posts must hold it."""

    class RequiredOf(models.TextChoices):
        NONE = "none", _("不作要求")
        PSYCH_TEACHERS = "psych", _("心理教师")
        PSYCH_AND_CLASS_TEACHERS = "psych_and_class", _("心理教师和班主任")

    name = models.CharField(_("名称"), max_length=60, unique=True)
    level = models.PositiveSmallIntegerField(_("级别"), help_text=_("数字越大级别越高：C证 1，B证 2，A证 3。"))
    validity_years = models.PositiveSmallIntegerField(_("有效期（年）"), default=5)
    required_of = models.CharField(_("要求持证的岗位"), max_length=20, choices=RequiredOf.choices,
                                   default=RequiredOf.NONE)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("证书类别")
        verbose_name_plural = _("证书类别")

    def __str__(self) -> str:
        return self.name

    @property
    def required_posts(self) -> tuple[str, ...]:
        return {self.RequiredOf.PSYCH_TEACHERS: (Post.PSYCH_TEACHER,),
                self.RequiredOf.PSYCH_AND_CLASS_TEACHERS: (Post.PSYCH_TEACHER, Post.CLASS_TEACHER)}.get(
            self.required_of, ())

    def expiry_for(self, issued_on: datetime.date) -> datetime.date:
        """The last day a certificate issued on `issued_on` is valid (29 February ends on the 28th)."""
        year = issued_on.year + self.validity_years
        try:
            anniversary = issued_on.replace(year=year)
        except ValueError:
            anniversary = datetime.date(year, 3, 1)
        return anniversary - datetime.timedelta(days=1)


class Targets(models.Model):
    """The bureau's targets (one row), edited on the targets page."""

    full_time_per_thousand = models.DecimalField(_("每千名学生专职心理教师（人）"), max_digits=4, decimal_places=2,
                                                 default=1)
    min_full_time_per_school = models.PositiveSmallIntegerField(_("每校至少专职心理教师（人）"), default=1)
    certification_kind = models.ForeignKey(CertificateKind, null=True, blank=True, on_delete=models.SET_NULL,
                                           related_name="+", verbose_name=_("持证率统计的证书"))
    certification_baseline = models.DecimalField(_("持证率基线（%）"), max_digits=4, decimal_places=1, default=84.3)
    certification_target = models.DecimalField(_("持证率目标（%）"), max_digits=4, decimal_places=1, default=95)
    yearly_trainees = models.PositiveIntegerField(_("每年培训人数目标"), default=1500)

    class Meta:
        verbose_name = _("队伍建设目标")
        verbose_name_plural = _("队伍建设目标")

    @classmethod
    def current(cls) -> "Targets":
        return cls.objects.get_or_create(pk=1)[0]


class TrainingEvent(models.Model):
    name = models.CharField(_("培训名称"), max_length=100)
    grants = models.ForeignKey(CertificateKind, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("结业颁发证书"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    place = models.CharField(_("地点"), max_length=100)
    capacity = models.PositiveIntegerField(_("名额"))
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("培训")
        verbose_name_plural = _("培训")
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="training_ends_after_start")]

    def __str__(self) -> str:
        return self.name


class TrainingEnrolment(models.Model):
    class State(models.TextChoices):
        ENROLLED = "enrolled", _("已报名")
        COMPLETED = "completed", _("已结业")

    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="enrolments")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="enrolments",
                              verbose_name=_("学员"))
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.ENROLLED)
    attended_hours = models.DecimalField(_("出勤学时"), max_digits=5, decimal_places=1, default=0)
    completed_on = models.DateField(_("结业日期"), null=True, blank=True)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    enrolled_at = models.DateTimeField()

    class Meta:
        ordering = ["staff__school__code", "staff__name", "id"]
        verbose_name = _("培训报名")
        verbose_name_plural = _("培训报名")
        constraints = [models.UniqueConstraint(fields=["event", "staff"], name="enrol_once_per_training")]


class Certificate(models.Model):
    holder = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="certificates",
                               verbose_name=_("持证人"))
    kind = models.ForeignKey(CertificateKind, on_delete=models.PROTECT, related_name="certificates",
                             verbose_name=_("证书"))
    number = models.CharField(_("证书编号"), max_length=40)
    issued_on = models.DateField(_("发证日期"))
    expires_on = models.DateField(_("有效期至"))
    # The enrolment whose completion granted it: at most one certificate per completion.
    granted_by = models.OneToOneField(TrainingEnrolment, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="certificate")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-issued_on", "id"]
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="certificate_number_once_per_kind"),
                       models.CheckConstraint(condition=models.Q(expires_on__gte=models.F("issued_on")),
                                              name="certificate_expires_after_issue")]
        indexes = [models.Index(fields=["holder", "expires_on"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.issued_on <= day <= self.expires_on


class Designation(models.Model):
    """A title the school was given: 心理健康教育示范校 / 特色校, or 实践基地, at a level, in a year."""

    class Kind(models.TextChoices):
        DEMONSTRATION = "demonstration", _("心理健康教育示范校")
        CHARACTERISTIC = "characteristic", _("心理健康教育特色校")
        PRACTICE_BASE = "practice_base", _("心理健康教育实践基地")

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家级")
        PROVINCIAL = "provincial", _("省级")
        CITY = "city", _("市级")
        DISTRICT = "district", _("区县级")

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="designations",
                               verbose_name=_("学校"))
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    awarded_by = models.CharField(_("授予单位"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-year", "level", "school__code"]
        verbose_name = _("示范校与实践基地")
        verbose_name_plural = _("示范校与实践基地")
        constraints = [models.UniqueConstraint(fields=["school", "kind", "level", "year"],
                                               name="designation_once")]


class WorkforceEvent(EventRow):
    """Every change of the register, certificates, trainings, targets and designations."""

    school = models.ForeignKey("org.School", null=True, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(StaffMember, null=True, on_delete=models.CASCADE, related_name="events")
    training = models.ForeignKey(TrainingEvent, null=True, on_delete=models.CASCADE, related_name="events")
    certificate = models.ForeignKey(Certificate, null=True, on_delete=models.CASCADE, related_name="events")
