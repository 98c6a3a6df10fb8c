"""Writes of the sentinel channels. Each one stores its record and hands the early-warning engine a
Signal in the same transaction: the record and its signal exist together or not at all, so a
failure of either leaves nothing half-done and the person can simply send again.
"""
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinshao.access import scopes
from xinshao.alerts.concerns import Concern
from xinshao.alerts.models import Source
from xinshao.alerts.services import signal_receive
from xinshao.audit.services import audit_record
from xinshao.sentinel.models import (
    CommitteeReport,
    ConcernLevel,
    GuardianConcern,
    HomeSchoolRecord,
    Mood,
    SelfCheckIn,
    Stress,
    TeacherReferral,
)

NOTE_MAX = 2000


def _concern_keys(concerns) -> list[str]:
    """The checklist as stored facts: known keys only, in checklist order, each once."""
    chosen = set(concerns)
    unknown = chosen - set(Concern.values)
    if unknown:
        raise ValidationError(_("有无法识别的选项，请重新勾选。"))
    return [key for key in Concern.values if key in chosen]


def _check_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(_("文字请控制在 %(n)d 字以内。") % {"n": NOTE_MAX})
    return note


def _check_scope(allowed, student) -> None:
    # The views already look the student up through the same scope; checking again here keeps
    # every caller (a view, a command, an API later) inside need-to-know.
    if not allowed.filter(pk=student.pk).exists():
        raise ValidationError(_("找不到这名学生。"))


def _signal(record, *, student, source: str, raised_by, facts: dict, note: str, request):
    """Hand the record to the early-warning engine and keep the link to what it made of it."""
    origin = f"sentinel.{record._meta.model_name}:{record.pk}"
    record.signal = signal_receive(student=student, source=source, raised_by=raised_by, facts=facts, note=note,
                                   origin=origin, request=request)
    record.save(update_fields=["signal"])
    audit_record(actor=raised_by, action=f"sentinel.{record._meta.model_name}.create", student=student,
                 obj=record, request=request, detail={"source": source})
    return record


@transaction.atomic
def committee_report_create(*, reporter, student, concerns, note: str = "", request=None) -> CommitteeReport:
    _check_scope(scopes.classmates_reportable_by(reporter), student)
    concerns, note = _concern_keys(concerns), _check_note(note)
    if not concerns:
        raise ValidationError(_("请至少勾选一项你注意到的情况。"))
    report = CommitteeReport.objects.create(student=student, reporter=reporter, concerns=concerns, note=note)
    return _signal(report, student=student, source=Source.COMMITTEE_REPORT, raised_by=reporter,
                   facts={"concerns": concerns}, note=note, request=request)


@transaction.atomic
def self_checkin_create(*, user, student, mood: int, stress: int, wants_talk: bool, note: str = "",
                        request=None) -> SelfCheckIn:
    _check_scope(scopes.own_student_records(user), student)
    if mood not in Mood.values or stress not in Stress.values:
        raise ValidationError(_("请选择心情和压力。"))
    note = _check_note(note)
    checkin = SelfCheckIn.objects.create(student=student, user=user, mood=mood, stress=stress,
                                         wants_talk=bool(wants_talk), note=note)
    return _signal(checkin, student=student, source=Source.SELF_CHECKIN, raised_by=user,
                   facts={"mood": mood, "stress": stress, "wants_talk": bool(wants_talk)}, note=note,
                   request=request)


@transaction.atomic
def home_school_record_create(*, author, student, kind: str, happened_on: datetime.date, participants: str,
                              summary: str, concern: str, concerns, request=None) -> HomeSchoolRecord:
    _check_scope(scopes.students_recordable_by(author), student)
    if kind not in HomeSchoolRecord.Kind.values or concern not in ConcernLevel.values:
        raise ValidationError(_("请选择记录类型和担心程度。"))
    if happened_on > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天。"))
    concerns, summary = _concern_keys(concerns), _check_note(summary)
    if not summary:
        raise ValidationError(_("请填写情况记录。"))
    record = HomeSchoolRecord.objects.create(
        student=student, school_id=student.school_id, author=author, kind=kind, happened_on=happened_on,
        participants=participants.strip(), summary=summary, concern=concern, concerns=concerns)
    # Both kinds feed the home–school channel; the source says which meeting it was.
    source = Source.HOME_VISIT if kind == HomeSchoolRecord.Kind.HOME_VISIT else Source.PARENT_MEETING
    return _signal(record, student=student, source=source, raised_by=author,
                   facts={"concern": concern, "concerns": concerns}, note=summary, request=request)


@transaction.atomic
def teacher_referral_create(*, referred_by, student, concerns, note: str = "", urgent: bool = False,
                            request=None) -> TeacherReferral:
    _check_scope(scopes.students_recordable_by(referred_by), student)
    concerns, note = _concern_keys(concerns), _check_note(note)
    if not concerns:
        raise ValidationError(_("请至少勾选一项注意到的情况。"))
    referral = TeacherReferral.objects.create(student=student, referred_by=referred_by, concerns=concerns, note=note,
                                              urgent=bool(urgent))
    return _signal(referral, student=student, source=Source.TEACHER_REFERRAL, raised_by=referred_by,
                   facts={"concerns": concerns, "urgent": bool(urgent)}, note=note, request=request)


@transaction.atomic
def guardian_concern_create(*, raised_by, guardian, student, concerns, note: str = "",
                            request=None) -> GuardianConcern:
    _check_scope(scopes.guardian_children(raised_by), student)
    if guardian is not None and not scopes.guardians_of(raised_by).filter(pk=guardian.pk).exists():
        raise ValidationError(_("找不到这名学生。"))
    concerns, note = _concern_keys(concerns), _check_note(note)
    if not concerns:
        raise ValidationError(_("请至少勾选一项您注意到的情况。"))
    concern = GuardianConcern.objects.create(student=student, guardian=guardian, raised_by=raised_by,
                                             concerns=concerns, note=note)
    return _signal(concern, student=student, source=Source.GUARDIAN_CONCERN, raised_by=raised_by,
                   facts={"concerns": concerns}, note=note, request=request)
