"""Counseling rooms (心理辅导室) against the city's standard, counselors' slots and bookings.

A slot is one counselor's available time, in one of their school's rooms or at the city centre
(room empty, region set). A booking takes a slot; at most one booking of a slot is active at a
time (a unique constraint decides two bookings at the same moment). Reasons and notes are
encrypted like every free text about a student.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinshao.core.crypto import EncryptedTextField
from xinshao.org.models import Region, School
from xinshao.people.models import Student


class EquipmentItem(models.Model):
    """One line of the standard equipment checklist the bureau admin keeps."""

    name = models.CharField(_("设备或条件"), max_length=60, unique=True)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Standard(models.Model):
    """The city's minimums for a room (one row)."""

    min_area = models.DecimalField(_("最小面积（平方米）"), max_digits=6, decimal_places=1, default=20)
    min_weekly_hours = models.PositiveIntegerField(_("每周最少开放小时数"), default=10)

    @classmethod
    def current(cls) -> "Standard":
        return cls.objects.get_or_create(pk=1)[0]


class Room(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="counseling_rooms",
                               verbose_name=_("学校"))
    name = models.CharField(_("名称"), max_length=60)
    area = models.DecimalField(_("面积（平方米）"), max_digits=6, decimal_places=1)
    equipment = models.ManyToManyField(EquipmentItem, blank=True, related_name="rooms", verbose_name=_("已有设备"))
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="counseling_rooms",
                                   verbose_name=_("值班心理教师"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["school", "name"]

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    class Weekday(models.IntegerChoices):
        MON = 0, _("周一")
        TUE = 1, _("周二")
        WED = 2, _("周三")
        THU = 3, _("周四")
        FRI = 4, _("周五")
        SAT = 5, _("周六")
        SUN = 6, _("周日")

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=Weekday.choices)
    opens = models.TimeField(_("开始"))
    closes = models.TimeField(_("结束"))

    class Meta:
        ordering = ["weekday", "opens"]
        constraints = [models.CheckConstraint(condition=Q(closes__gt=models.F("opens")), name="hours_close_after_open")]

    @property
    def minutes(self) -> int:
        return (self.closes.hour * 60 + self.closes.minute) - (self.opens.hour * 60 + self.opens.minute)


class Slot(models.Model):
    counselor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="counseling_slots")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, null=True, blank=True, related_name="slots")
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    starts_at = models.DateTimeField(_("开始时间"))
    minutes = models.PositiveSmallIntegerField(_("时长（分钟）"))
    withdrawn = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["counselor", "starts_at"])]
        constraints = [models.CheckConstraint(condition=Q(room__isnull=False, school__isnull=False) |
                                              Q(room__isnull=True, region__isnull=False), name="slot_has_a_place")]

    @property
    def ends_at(self):
        import datetime
        return self.starts_at + datetime.timedelta(minutes=self.minutes)

    @property
    def is_centre(self) -> bool:
        return self.room_id is None


class Booking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("已预约，待确认")
        CONFIRMED = "confirmed", _("已确认")
        CANCELLED = "cancelled", _("已取消")
        NO_SHOW = "no_show", _("未到")
        ATTENDED = "attended", _("已到访")

    ACTIVE = (Status.BOOKED, Status.CONFIRMED)

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="counseling_bookings")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField(_("想聊的事（可不填）"), blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BOOKED)
    cancel_reason = EncryptedTextField(blank=True)
    notes = EncryptedTextField(_("辅导记录"), blank=True)
    session_id = models.PositiveBigIntegerField(null=True, blank=True)  # the case session it became
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slot__starts_at"]
        constraints = [models.UniqueConstraint(fields=["slot"], condition=Q(status__in=["booked", "confirmed"]),
                                               name="booking_one_active_per_slot")]

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class BookingEvent(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
