"""The two sentinel channels of "1+2" early warning, as the people in them record what they saw.

Class channel: a psych committee member's report about a classmate; a student's own mood
check-in. Home–school channel: a class teacher's home visit or parent meeting; a guardian's
concern. And a class teacher's referral. Each record keeps its own (encrypted) copy of what was
written and points at the Signal it handed to the early-warning engine, which decides the level.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinshao.core.crypto import EncryptedTextField


class CommitteeReport(models.Model):
    """A class psych committee member (心理委员) tells the psych teacher about a classmate."""

    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("同学"))
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("心理委员"))
    concerns = models.JSONField(_("注意到的情况"), default=list)  # Concern keys
    note = EncryptedTextField(_("你注意到了什么"), blank=True)
    signal = models.ForeignKey("alerts.Signal", null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("心理委员报告")
        verbose_name_plural = _("心理委员报告")


class Mood(models.IntegerChoices):
    # Words, not faces or numbers: a child picks how they feel, not a score.
    VERY_GOOD = 5, _("很好")
    GOOD = 4, _("还不错")
    SO_SO = 3, _("一般")
    LOW = 2, _("有点低落")
    VERY_LOW = 1, _("很难受")


class Stress(models.IntegerChoices):
    NONE = 1, _("很轻松")
    LITTLE = 2, _("有一点")
    SOME = 3, _("有一些")
    MUCH = 4, _("比较大")
    VERY_MUCH = 5, _("很大")


class SelfCheckIn(models.Model):
    """A student's own mood check-in (减压星球). Every check-in is kept: a second one on the same
    day is added, not merged, because a turn for the worse later in the day must reach someone."""

    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    mood = models.PositiveSmallIntegerField(_("心情"), choices=Mood.choices)
    stress = models.PositiveSmallIntegerField(_("压力"), choices=Stress.choices)
    wants_talk = models.BooleanField(_("想和心理老师聊聊"), default=False)
    note = EncryptedTextField(_("想说的话"), blank=True)
    signal = models.ForeignKey("alerts.Signal", null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("自评打卡")
        verbose_name_plural = _("自评打卡")
        indexes = [models.Index(fields=["student", "created_at"])]


class ConcernLevel(models.TextChoices):
    NONE = "none", _("没有明显担心")
    SOME = "some", _("有些担心")
    SERIOUS = "serious", _("非常担心")


class HomeSchoolRecord(models.Model):
    """A class teacher's home visit (家访) or parent meeting (家长会谈)."""

    class Kind(models.TextChoices):
        HOME_VISIT = "home_visit", _("家访")
        PARENT_MEETING = "parent_meeting", _("家长会谈")

    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("学生"))
    # The student's school when written: the psych teachers who read it are that school's.
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("记录人"))
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    happened_on = models.DateField(_("日期"))
    participants = EncryptedTextField(_("参加人员"), max_length=200)
    summary = EncryptedTextField(_("情况记录"))
    concern = models.CharField(_("担心程度"), max_length=10, choices=ConcernLevel.choices)
    concerns = models.JSONField(_("注意到的情况"), default=list)
    signal = models.ForeignKey("alerts.Signal", null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-id"]
        verbose_name = _("家校沟通记录")
        verbose_name_plural = _("家校沟通记录")
        indexes = [models.Index(fields=["author", "happened_on"]), models.Index(fields=["school", "happened_on"])]


class TeacherReferral(models.Model):
    """A class teacher asks the school's psych teacher to look at one of their students."""

    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("学生"))
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    concerns = models.JSONField(_("注意到的情况"), default=list)
    note = EncryptedTextField(_("补充说明"), blank=True)
    urgent = models.BooleanField(_("需要立即处理"), default=False)
    signal = models.ForeignKey("alerts.Signal", null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("教师转介")
        verbose_name_plural = _("教师转介")


class GuardianConcern(models.Model):
    """A parent or guardian tells the school what worries them about their child."""

    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("孩子"))
    guardian = models.ForeignKey("people.Guardian", null=True, on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    concerns = models.JSONField(_("注意到的情况"), default=list)
    note = EncryptedTextField(_("想告诉老师的话"), blank=True)
    signal = models.ForeignKey("alerts.Signal", null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("家长反映")
        verbose_name_plural = _("家长反映")
