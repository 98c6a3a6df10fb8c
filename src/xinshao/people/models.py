"""Students, their guardians and their enrolment history.

A student is one row for life: moving class or school changes the current school and class
and adds an Enrolment row, so results, signals and cases stay attached to the same person.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinshao.core.crypto import BlindIndexField, EncryptedTextField
from xinshao.org.models import School, SchoolClass


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Student(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("在读")
        SUSPENDED = "suspended", _("休学")
        TRANSFERRED_OUT = "transferred_out", _("已转出")
        GRADUATED = "graduated", _("已毕业")
        LEFT = "left", _("离校")

    # Left the city's schools (people.services.student_leave; retention's clock starts); 休学 has not.
    LEFT_STATES = (Status.GRADUATED, Status.TRANSFERRED_OUT, Status.LEFT)

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="students", verbose_name=_("学校"))
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, related_name="students", verbose_name=_("班级")
    )
    student_number = models.CharField(_("学号"), max_length=30)
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.ENROLLED)
    national_id = EncryptedTextField(_("身份证号"), blank=True, default="")
    national_id_index = BlindIndexField(source="national_id")  # equality search by identity number
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["school", "school_class", "student_number"]
        verbose_name = _("学生")
        verbose_name_plural = _("学生")
        constraints = [
            models.UniqueConstraint(fields=["school", "student_number"], name="student_number_unique_per_school")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None and "national_id" in update_fields:
            update_fields = {*update_fields, "national_id_index"}
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def masked_national_id(self) -> str:
        value = self.national_id
        return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}" if len(value) > 8 else ""


class Guardian(models.Model):
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("电话"), max_length=20)
    students = models.ManyToManyField(Student, through="GuardianLink", related_name="guardians")

    class Meta:
        ordering = ["name"]
        verbose_name = _("监护人")
        verbose_name_plural = _("监护人")

    def __str__(self) -> str:
        return self.name


class GuardianLink(models.Model):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardian_links")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="student_links")
    relation = models.CharField(_("关系"), max_length=20, blank=True)
    is_primary = models.BooleanField(_("主要监护人"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "guardian"], name="guardian_link_unique")]


class Enrolment(models.Model):
    """One stretch of a student's schooling in one class; the open one has no end date."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="enrolments")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="enrolments")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="enrolments")
    started_on = models.DateField(_("开始"))
    ended_on = models.DateField(_("结束"), null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=100, blank=True)

    class Meta:
        ordering = ["student", "started_on", "id"]
        verbose_name = _("在读记录")
        verbose_name_plural = _("在读记录")
        constraints = [
            models.UniqueConstraint(
                fields=["student"], condition=models.Q(ended_on__isnull=True), name="one_open_enrolment_per_student"
            )
        ]
