"""Writes of the workforce register, certificates, trainings, targets and designations.

Keyword-only; each change writes a WorkforceEvent row and an audit entry in the same transaction
(`event_record`). Who may call what is asked of `xinshao.access.scopes` here too, so the import and a
command later stay inside the same rules as the pages.
"""
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinshao.access import scopes
from xinshao.accounts.roles import Role
from xinshao.audit.services import audit_record
from xinshao.core.checks import permitted
from xinshao.workforce.models import (
    Certificate,
    CertificateKind,
    Designation,
    Employment,
    Post,
    StaffMember,
    Targets,
    TrainingEnrolment,
    TrainingEvent,
    WorkforceEvent,
)

# A trainee completes after attending at least this share of the training's hours.
COMPLETION_SHARE = Decimal("0.8")


def event_record(*, kind: str, actor, now, request=None, school=None, staff=None, training=None, certificate=None,
                 obj=None, **detail) -> WorkforceEvent:
    """The one way to record a change: an event row and an audit entry."""
    event = WorkforceEvent.objects.create(
        kind=kind, actor=actor if actor is not None and actor.is_authenticated else None, at=now,
        school=school or (staff.school if staff is not None else None), staff=staff, training=training,
        certificate=certificate, detail=detail)
    audit_record(actor=actor, action=f"workforce.{kind}", obj=obj or certificate or staff or training or school,
                 request=request, detail={"event": event.pk, **detail})
    return event


def _saved(instance):
    instance.full_clean()
    instance.save()
    return instance


# --- Targets and certificate kinds ----------------------------------------------------------

@transaction.atomic
def targets_update(*, actor, full_time_per_thousand: Decimal, min_full_time_per_school: int, certification_kind,
                   certification_baseline: Decimal, certification_target: Decimal, yearly_trainees: int, now=None,
                   request=None) -> Targets:
    permitted(scopes.can_manage_workforce(actor))
    if certification_target < certification_baseline:
        raise ValidationError({"certification_target": _("目标不能低于基线。")})
    targets = Targets.current()
    targets.full_time_per_thousand, targets.min_full_time_per_school = full_time_per_thousand, min_full_time_per_school
    targets.certification_kind = certification_kind
    targets.certification_baseline, targets.certification_target = certification_baseline, certification_target
    targets.yearly_trainees = yearly_trainees
    _saved(targets)
    event_record(kind="targets_update", actor=actor, now=now or timezone.now(), request=request, obj=targets,
                 full_time_per_thousand=str(full_time_per_thousand), min_full_time_per_school=min_full_time_per_school,
                 certification_target=str(certification_target), yearly_trainees=yearly_trainees)
    return targets


@transaction.atomic
def certificate_kind_save(*, actor, name: str, level: int, validity_years: int, required_of: str,
                          kind: CertificateKind | None = None, now=None, request=None) -> CertificateKind:
    permitted(scopes.can_manage_workforce(actor))
    kind = kind or CertificateKind()
    kind.name, kind.level, kind.validity_years, kind.required_of = name.strip(), level, validity_years, required_of
    if not 1 <= validity_years <= 20:
        raise ValidationError({"validity_years": _("有效期请填 1 到 20 年。")})
    _saved(kind)
    event_record(kind="certificate_kind_save", actor=actor, now=now or timezone.now(), request=request, obj=kind,
                 name=kind.name, required_of=required_of)
    return kind


# --- The register ---------------------------------------------------------------------------

@transaction.atomic
def staff_save(*, actor, name: str, post: str, employment: str, psychology_degree: bool, school=None,
               is_active: bool = True, staff: StaffMember | None = None, now=None, request=None) -> StaffMember:
    """Add a person to a school's register, or change one. A class teacher's record keeps no
    full-/part-time mark: only psych teachers are counted so."""
    school = staff.school if staff is not None else school
    permitted(scopes.workforce_schools_keepable_by(actor).filter(pk=school.pk).exists())
    created = staff is None
    staff = staff or StaffMember(school=school)
    staff.name, staff.post, staff.psychology_degree, staff.is_active = name.strip(), post, psychology_degree, is_active
    staff.employment = employment if post == Post.PSYCH_TEACHER else Employment.PART_TIME
    _saved(staff)
    event_record(kind="staff_add" if created else "staff_change", actor=actor, now=now or timezone.now(),
                 request=request, staff=staff, post=post, employment=staff.employment, is_active=is_active)
    return staff


@transaction.atomic
def staff_from_logins(*, actor, school, now=None, request=None) -> list[StaffMember]:
    """A record for each of the school's psych-teacher and class-teacher logins that has none yet
    (psych teachers as part-time, to be corrected on the register)."""
    permitted(scopes.workforce_schools_keepable_by(actor).filter(pk=school.pk).exists())
    now = now or timezone.now()
    users = [(user, Post.PSYCH_TEACHER) for user in scopes.users_in_role(Role.PSYCH_TEACHER, school=school)]
    users += [(user, Post.CLASS_TEACHER) for user in scopes.users_in_role(Role.CLASS_TEACHER,
                                                                          school_class__school=school)]
    recorded = set(StaffMember.objects.filter(user__in=[user for user, _post in users]).values_list("user_id",
                                                                                                    flat=True))
    added = StaffMember.objects.bulk_create([
        StaffMember(school=school, name=user.display_name or user.username, post=post, user=user)
        for user, post in users if user.pk not in recorded])
    if added:
        event_record(kind="staff_from_logins", actor=actor, now=now, request=request, school=school, obj=school,
                     added=len(added))
    return added


# --- Certificates ---------------------------------------------------------------------------

def _certificate(*, holder: StaffMember, kind: CertificateKind, number: str, issued_on: datetime.date,
                 expires_on: datetime.date | None, actor, now, granted_by=None, request=None) -> Certificate:
    number = number.strip()
    if not number:
        raise ValidationError({"number": _("请填写证书编号。")})
    if Certificate.objects.filter(kind=kind, number=number).exists():
        raise ValidationError({"number": _("已有编号为“%(number)s”的%(kind)s。") % {"number": number, "kind": kind}})
    if issued_on > timezone.localdate(now):
        raise ValidationError({"issued_on": _("发证日期不能晚于今天。")})
    expires_on = expires_on or kind.expiry_for(issued_on)
    if expires_on < issued_on:
        raise ValidationError({"expires_on": _("有效期不能早于发证日期。")})
    certificate = _saved(Certificate(holder=holder, kind=kind, number=number, issued_on=issued_on,
                                     expires_on=expires_on, granted_by=granted_by, recorded_by=actor,
                                     recorded_at=now))
    event_record(kind="certificate_grant" if granted_by else "certificate_record", actor=actor, now=now,
                 request=request, staff=holder, certificate=certificate,
                 training=granted_by.event if granted_by else None, number=number, expires_on=expires_on.isoformat())
    return certificate


@transaction.atomic
def certificate_record(*, actor, holder: StaffMember, kind: CertificateKind, number: str, issued_on: datetime.date,
                       expires_on: datetime.date | None = None, now=None, request=None) -> Certificate:
    """A certificate the person already holds (from before, or from training elsewhere)."""
    permitted(scopes.staff_keepable_by(actor).filter(pk=holder.pk).exists())
    return _certificate(holder=holder, kind=kind, number=number, issued_on=issued_on, expires_on=expires_on,
                        actor=actor, now=now or timezone.now(), request=request)


# --- Trainings ------------------------------------------------------------------------------

@transaction.atomic
def training_create(*, actor, name: str, grants, starts_on: datetime.date, ends_on: datetime.date, place: str,
                    capacity: int, hours: Decimal, now=None, request=None) -> TrainingEvent:
    permitted(scopes.can_manage_workforce(actor))
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
    if capacity < 1:
        raise ValidationError({"capacity": _("名额至少为 1。")})
    if hours <= 0:
        raise ValidationError({"hours": _("学时应大于 0。")})
    event = _saved(TrainingEvent(name=name.strip(), grants=grants, starts_on=starts_on, ends_on=ends_on,
                                 place=place.strip(), capacity=capacity, hours=hours, created_by=actor))
    event_record(kind="training_create", actor=actor, now=now or timezone.now(), request=request, training=event,
                 capacity=capacity)
    return event


def enrol_locked(*, event: TrainingEvent, staff: StaffMember, actor, now, request=None) -> TrainingEnrolment:
    """Enrol under the training's lock (the caller holds it), refusing a full training."""
    if TrainingEnrolment.objects.filter(event=event, staff=staff).exists():
        raise ValidationError({"staff": _("%(name)s 已经报名了这次培训。") % {"name": staff.name}})
    taken = event.enrolments.count()
    if taken >= event.capacity:
        raise ValidationError({"staff": _("这次培训的 %(capacity)s 个名额已满，不能再报名。") % {
            "capacity": event.capacity}})
    if not staff.is_active:
        raise ValidationError({"staff": _("%(name)s 已不在岗，不能报名。") % {"name": staff.name}})
    enrolment = TrainingEnrolment.objects.create(event=event, staff=staff, enrolled_by=actor, enrolled_at=now)
    event_record(kind="training_enrol", actor=actor, now=now, request=request, staff=staff, training=event,
                 obj=enrolment)
    return enrolment


@transaction.atomic
def training_enrol(*, actor, event: TrainingEvent, staff: StaffMember, now=None, request=None) -> TrainingEnrolment:
    permitted(scopes.staff_enrollable_by(actor).filter(pk=staff.pk).exists())
    event = TrainingEvent.objects.select_for_update().get(pk=event.pk)
    return enrol_locked(event=event, staff=staff, actor=actor, now=now or timezone.now(), request=request)


def attendance_set(enrolment: TrainingEnrolment, hours: Decimal, *, actor, now, request=None) -> None:
    if not 0 <= hours <= enrolment.event.hours:
        raise ValidationError({"attended_hours": _("出勤学时应在 0 到 %(hours)s 之间。") % {
            "hours": enrolment.event.hours}})
    if enrolment.attended_hours != hours:
        enrolment.attended_hours = hours
        enrolment.save(update_fields=["attended_hours"])
        event_record(kind="training_attendance", actor=actor, now=now, request=request, staff=enrolment.staff,
                     training=enrolment.event, obj=enrolment, attended_hours=str(hours))


def enrolment_complete(enrolment: TrainingEnrolment, *, completed_on: datetime.date, number: str, actor, now,
                         request=None) -> Certificate | None:
    """Mark the enrolment completed and grant the training's certificate: once, as the enrolment
    can be completed only once and a certificate names the enrolment that granted it."""
    event = enrolment.event
    if enrolment.state == TrainingEnrolment.State.COMPLETED:
        raise ValidationError(_("%(name)s 已经结业。") % {"name": enrolment.staff.name})
    if enrolment.attended_hours < event.hours * COMPLETION_SHARE:
        raise ValidationError({"attended_hours": _(
            "出勤 %(attended)s 学时，不足培训学时 %(hours)s 的八成，不能结业。") % {
            "attended": enrolment.attended_hours, "hours": event.hours}})
    if completed_on < event.starts_on or completed_on > timezone.localdate(now):
        raise ValidationError({"completed_on": _("结业日期应在培训开始之后、今天或以前。")})
    enrolment.state, enrolment.completed_on = TrainingEnrolment.State.COMPLETED, completed_on
    enrolment.save(update_fields=["state", "completed_on"])
    event_record(kind="training_complete", actor=actor, now=now, request=request, staff=enrolment.staff, training=event,
                 obj=enrolment, completed_on=completed_on.isoformat())
    if event.grants is None:
        return None
    return _certificate(holder=enrolment.staff, kind=event.grants, number=number or f"PX{event.pk}-{enrolment.pk}",
                        issued_on=completed_on, expires_on=None, actor=actor, now=now, granted_by=enrolment,
                        request=request)


@transaction.atomic
def enrolment_update(*, actor, enrolment: TrainingEnrolment, attended_hours: Decimal, complete: bool = False,
                     completed_on: datetime.date | None = None, number: str = "", now=None,
                     request=None) -> TrainingEnrolment:
    """Record the trainee's attendance and, with `complete`, their completion (and certificate)."""
    permitted(scopes.can_manage_workforce(actor))
    now = now or timezone.now()
    # of=self: PostgreSQL locks no row on the nullable side of the join (a training may grant nothing).
    enrolment = (TrainingEnrolment.objects.select_for_update(of=("self",))
                 .select_related("event__grants", "staff__school").get(pk=enrolment.pk))
    attendance_set(enrolment, attended_hours, actor=actor, now=now, request=request)
    if complete:
        enrolment_complete(enrolment, completed_on=completed_on or timezone.localdate(now), number=number, actor=actor,
                           now=now, request=request)
    return enrolment


# --- Designations ---------------------------------------------------------------------------

@transaction.atomic
def designation_record(*, actor, school, kind: str, level: str, year: int, awarded_by: str = "", now=None,
                       request=None) -> Designation:
    permitted(scopes.can_manage_workforce(actor))
    now = now or timezone.now()
    if Designation.objects.filter(school=school, kind=kind, level=level, year=year).exists():
        raise ValidationError(_("这所学校这一年已有同一级别的这项认定。"))
    if year > timezone.localdate(now).year:
        raise ValidationError({"year": _("年度不能晚于今年。")})
    designation = _saved(Designation(school=school, kind=kind, level=level, year=year, awarded_by=awarded_by.strip(),
                                     recorded_by=actor, recorded_at=now))
    event_record(kind="designation_record", actor=actor, now=now, request=request, school=school, obj=designation,
                 designation_kind=kind, level=level, year=year)
    return designation
