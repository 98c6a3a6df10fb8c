"""The organisation: regions (city, districts), schools, terms, grades, classes, partner agencies."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinshao.org.grades import LEVEL_CHOICES, SCHOOL_KIND_CHOICES, SCHOOL_KIND_LEVELS, level_name, level_ordinal


class Region(models.Model):
    """A level of government that runs schools: province, city, district or county."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("市")
        DISTRICT = "district", _("区")
        COUNTY = "county", _("县")

    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["code"]
        verbose_name = _("区域")
        verbose_name_plural = _("区域")

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    class Ownership(models.TextChoices):
        PUBLIC = "public", _("公办")
        PRIVATE = "private", _("民办")

    code = models.CharField(_("学校代码"), max_length=20, unique=True)
    name = models.CharField(_("校名"), max_length=100)
    kind = models.CharField(_("学校类型"), max_length=20, choices=SCHOOL_KIND_CHOICES)
    ownership = models.CharField(_("办学性质"), max_length=10, choices=Ownership.choices, default=Ownership.PUBLIC)
    district = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="schools", verbose_name=_("所属区县"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("学校")
        verbose_name_plural = _("学校")

    def __str__(self) -> str:
        return self.name

    def teaches(self, level: str) -> bool:
        return level in SCHOOL_KIND_LEVELS[self.kind]


class Term(models.Model):
    """A school term (学期); it frames every campaign and report."""

    name = models.CharField(_("学期"), max_length=50, unique=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("学期")
        verbose_name_plural = _("学期")
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("starts_on")), name="term_ends_after_start")]

    def __str__(self) -> str:
        return self.name


class Grade(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="grades")
    level = models.CharField(_("年级"), max_length=2, choices=LEVEL_CHOICES)

    class Meta:
        ordering = ["school", "level"]
        verbose_name = _("年级")
        verbose_name_plural = _("年级")
        constraints = [models.UniqueConstraint(fields=["school", "level"], name="grade_unique_per_school")]

    def __str__(self) -> str:
        return level_name(self.level)

    @property
    def ordinal(self) -> int:
        return level_ordinal(self.level)


class SchoolClass(models.Model):
    """A class (班级) of one grade in one school, e.g. 初一 (3)班."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classes")
    grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="classes")
    name = models.CharField(_("班级"), max_length=30)

    class Meta:
        ordering = ["school", "grade__level", "name"]
        verbose_name = _("班级")
        verbose_name_plural = _("班级")
        constraints = [models.UniqueConstraint(fields=["grade", "name"], name="class_unique_per_grade")]

    def __str__(self) -> str:
        return f"{level_name(self.grade.level)}{self.name}"


class PartnerAgency(models.Model):
    """An outside body cases are referred to or schools work with: mental health centre, hospital,
    social services, police, civil affairs, women's federation, youth league, community office.
    Its contacts and service agreements with schools are in the partners app."""

    class Kind(models.TextChoices):
        MENTAL_HEALTH_CENTRE = "mental_health_centre", _("精神卫生中心")
        HOSPITAL = "hospital", _("医院")
        SOCIAL_SERVICES = "social_services", _("社会服务机构")
        POLICE = "police", _("公安")
        CIVIL_AFFAIRS = "civil_affairs", _("民政")
        WOMENS_FEDERATION = "womens_federation", _("妇联")
        YOUTH_LEAGUE = "youth_league", _("团委")
        COMMUNITY_OFFICE = "community_office", _("社区/街道")
        OTHER = "other", _("其他")

    name = models.CharField(_("机构名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("所属区域"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("合作机构")
        verbose_name_plural = _("合作机构")

    def __str__(self) -> str:
        return self.name


class OutsideBody(models.Model):
    """An organisation outside the school system that applies to bring activities into schools
    (进校园活动): a company, a social organisation, a theatre troupe. Not a partner agency: it
    receives no referrals and sees no student."""

    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="outside_bodies")
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("校外单位")
        verbose_name_plural = _("校外单位")

    def __str__(self) -> str:
        return self.name
