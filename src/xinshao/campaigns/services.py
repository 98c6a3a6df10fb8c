"""Writes for campaigns: creating, opening (which hands out access codes), pausing, extending,
closing, recording consent. Every change of state is a CampaignEvent with who, when and why."""
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xinshao.accounts.models import RoleAssignment
from xinshao.accounts.roles import Role
from xinshao.audit.services import AuditEvent, audit_record_many
from xinshao.campaigns.codes import code_digest, code_new
from xinshao.campaigns.models import (
    Assignment,
    BatteryInstrument,
    Campaign,
    CampaignEvent,
    CampaignTarget,
    ConsentRecord,
)
from xinshao.campaigns.rules import consent_allows
from xinshao.instruments.engine import UnknownInstrument
from xinshao.instruments.selectors import instrument_library
from xinshao.people.models import Student

# Staff who answer a teacher well-being campaign at a targeted school.
TEACHER_RESPONDENT_ROLES = (Role.TEACHER, Role.CLASS_TEACHER, Role.PSYCH_TEACHER, Role.SCHOOL_ADMIN)


@dataclass(frozen=True)
class BatteryChoice:
    instrument_id: str
    version: str | None = None  # None: the library's newest version, pinned at creation
    min_age: int | None = None
    max_age: int | None = None


@dataclass(frozen=True)
class TargetChoice:
    school: object
    level: str = ""
    school_class: object = None


def _event(campaign: Campaign, kind: str, actor, reason: str = "", **detail) -> None:
    CampaignEvent.objects.create(campaign=campaign, kind=kind, actor=actor, reason=reason, detail=detail)


def _check_battery(battery: list[BatteryChoice], audience: str) -> list[tuple[BatteryChoice, str]]:
    if not battery:
        raise ValidationError(_("至少选择一个量表。"))
    library, pinned, problems = instrument_library(), [], []
    for choice in battery:
        try:
            definition = library.get(choice.instrument_id, choice.version)
        except UnknownInstrument:
            problems.append(_("量表库中没有 %(id)s。") % {"id": choice.instrument_id})
            continue
        respondents = definition.data.get("respondents", [])
        wanted = "teacher" if audience == Campaign.Audience.TEACHERS else "student"
        if respondents and wanted not in respondents:
            problems.append(_("%(id)s 不适用于这类答题人。") % {"id": definition.id})
        if choice.min_age is not None and choice.max_age is not None and choice.min_age > choice.max_age:
            problems.append(_("%(id)s 的年龄范围无效。") % {"id": definition.id})
        pinned.append((choice, definition.version))
    if problems:
        raise ValidationError(problems)
    return pinned


def _check_targets(targets: list[TargetChoice], *, region, school) -> None:
    if not targets:
        raise ValidationError(_("至少选择一所学校、一个年级或一个班级。"))
    for target in targets:
        if school is not None and target.school.pk != school.pk:
            raise ValidationError(_("学校发起的测评只能面向本校。"))
        if region is not None and not _region_contains(region, target.school.district):
            raise ValidationError(_("%(school)s 不在本区域内。") % {"school": target.school})
        if target.school_class is not None and target.school_class.school_id != target.school.pk:
            raise ValidationError(_("班级不属于所选学校。"))
        if target.level and not target.school.teaches(target.level):
            raise ValidationError(_("%(school)s 没有这个年级。") % {"school": target.school})


def _region_contains(region, district) -> bool:
    while district is not None:
        if district.pk == region.pk:
            return True
        district = district.parent
    return False


@transaction.atomic
def campaign_create(*, created_by, name: str, audience: str, term, opens_at: datetime.datetime,
                    closes_at: datetime.datetime, consent_rule: str, battery: list[BatteryChoice],
                    targets: list[TargetChoice], region=None, school=None, feedback: str = Campaign.Feedback.THANKS,
                    instructions: str = "") -> Campaign:
    """A draft campaign owned by a region (the bureau) or one school. The caller has checked that
    `created_by` may create campaigns for that owner."""
    if audience == Campaign.Audience.TEACHERS and consent_rule != Campaign.ConsentRule.NOT_REQUIRED:
        raise ValidationError(_("教师测评不需要监护人同意。"))
    pinned = _check_battery(battery, audience)
    _check_targets(targets, region=region, school=school)
    campaign = Campaign(name=name, audience=audience, term=term, opens_at=opens_at, closes_at=closes_at,
                        consent_rule=consent_rule, feedback=feedback, instructions=instructions, region=region,
                        school=school, created_by=created_by)
    campaign.full_clean()
    campaign.save()
    BatteryInstrument.objects.bulk_create([
        BatteryInstrument(campaign=campaign, instrument_id=choice.instrument_id, instrument_version=version,
                          position=position, min_age=choice.min_age, max_age=choice.max_age)
        for position, (choice, version) in enumerate(pinned, start=1)
    ])
    CampaignTarget.objects.bulk_create([
        CampaignTarget(campaign=campaign, school=t.school, level=t.level, school_class=t.school_class) for t in targets
    ])
    _event(campaign, "created", created_by)
    return campaign


def targeted_students(campaign: Campaign):
    q = Q(pk__in=[])
    for target in campaign.targets.all():
        if target.school_class_id:
            q |= Q(school_class_id=target.school_class_id)
        elif target.level:
            q |= Q(school_id=target.school_id, school_class__grade__level=target.level)
        else:
            q |= Q(school_id=target.school_id)
    return Student.objects.filter(q, status=Student.Status.ENROLLED)


def targeted_teachers(campaign: Campaign):
    school_ids = campaign.targets.values("school_id")
    return RoleAssignment.objects.filter(
        Q(school_id__in=school_ids) | Q(school_class__school_id__in=school_ids),
        role__in=TEACHER_RESPONDENT_ROLES, is_active=True,
    ).values_list("user_id", flat=True).distinct()


def assignments_sync(campaign: Campaign) -> int:
    """Give every targeted respondent without one an assignment and access code; returns how many."""
    field = "student_id" if campaign.audience == Campaign.Audience.STUDENTS else "teacher_id"
    wanted = set(targeted_students(campaign).values_list("pk", flat=True)) if field == "student_id" \
        else set(targeted_teachers(campaign))
    existing = set(campaign.assignments.values_list(field, flat=True))
    new = []
    for respondent_id in sorted(wanted - existing):
        code = code_new()
        new.append(Assignment(campaign=campaign, code=code, code_digest=code_digest(code), **{field: respondent_id}))
    Assignment.objects.bulk_create(new, batch_size=1000)
    return len(new)


@transaction.atomic
def campaign_open(*, campaign: Campaign, actor) -> Campaign:
    if campaign.status not in (Campaign.Status.DRAFT, Campaign.Status.PAUSED):
        raise ValidationError(_("只有草稿或已暂停的测评可以开始。"))
    if campaign.closes_at <= timezone.now():
        raise ValidationError(_("结束时间已过，请先延长。"))
    added = assignments_sync(campaign)
    campaign.status = Campaign.Status.OPEN
    campaign.save(update_fields=["status"])
    _event(campaign, "opened", actor, assignments_added=added)
    return campaign


@transaction.atomic
def campaign_pause(*, campaign: Campaign, actor, reason: str = "") -> Campaign:
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError(_("只有进行中的测评可以暂停。"))
    campaign.status = Campaign.Status.PAUSED
    campaign.save(update_fields=["status"])
    _event(campaign, "paused", actor, reason=reason)
    return campaign


@transaction.atomic
def campaign_extend(*, campaign: Campaign, actor, closes_at: datetime.datetime) -> Campaign:
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError(_("已结束的测评不能延长。"))
    if closes_at <= campaign.closes_at:
        raise ValidationError(_("新的结束时间必须晚于原结束时间。"))
    previous = campaign.closes_at
    campaign.closes_at = closes_at
    campaign.save(update_fields=["closes_at"])
    _event(campaign, "extended", actor, previous=previous.isoformat(), closes_at=closes_at.isoformat())
    return campaign


@transaction.atomic
def campaign_close(*, campaign: Campaign, actor, reason: str = "") -> Campaign:
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError(_("测评已经结束。"))
    campaign.status = Campaign.Status.CLOSED
    campaign.save(update_fields=["status"])
    _event(campaign, "closed", actor, reason=reason)
    return campaign


def _consent_check(campaign: Campaign, student_ids: set[int]) -> None:
    if campaign.audience != Campaign.Audience.STUDENTS or campaign.consent_rule == Campaign.ConsentRule.NOT_REQUIRED:
        raise ValidationError(_("这项测评不需要监护人同意。"))
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError(_("测评已经结束，不能再记录知情同意。"))
    assigned = set(campaign.assignments.filter(student_id__in=student_ids).values_list("student_id", flat=True))
    if student_ids - assigned - set(targeted_students(campaign).filter(pk__in=student_ids).values_list("pk", flat=True)):
        raise ValidationError(_("有学生不在测评对象中。") if len(student_ids) > 1 else _("这名学生不在测评对象中。"))


def _consents_write(*, campaign: Campaign, decisions: dict[Student, str], recorded_by, method: str, note: str,
                    guardian=None, request=None) -> list[ConsentRecord]:
    """Append one record per student (the history), mark the refusals that withdraw a consent, and
    stop the students no longer taking part: their unsent answers are discarded (docs/consent.md)."""
    if set(decisions.values()) - set(ConsentRecord.Decision.values):
        raise ValidationError(_("无效的决定。"))
    if method not in ConsentRecord.Method.values:
        raise ValidationError(_("无效的方式。"))
    ids = {student.pk for student in decisions}
    _consent_check(campaign, ids)
    previous = {}
    for student_id, decision in (ConsentRecord.objects.filter(campaign=campaign, student_id__in=ids)
                                 .order_by("student_id", "-recorded_at", "-id").values_list("student_id", "decision")):
        previous.setdefault(student_id, decision)
    records = ConsentRecord.objects.bulk_create([
        ConsentRecord(campaign=campaign, student=student, decision=decision, guardian=guardian, method=method,
                      recorded_by=recorded_by, note=note,
                      withdraws=decision == ConsentRecord.Decision.REFUSED
                      and previous.get(student.pk) == ConsentRecord.Decision.GRANTED)
        for student, decision in decisions.items()
    ])
    stopped = [r.student_id for r in records if not consent_allows(campaign, r.decision)]
    discarded = set(campaign.assignments.filter(student_id__in=stopped, status=Assignment.Status.IN_PROGRESS)
                    .values_list("student_id", flat=True))
    campaign.assignments.filter(student_id__in=discarded).update(
        status=Assignment.Status.NOT_STARTED, draft={}, started_at=None)
    audit_record_many(actor=recorded_by, request=request, events=[
        AuditEvent(action="campaign.consent", student_id=r.student_id, object_type=ConsentRecord._meta.label_lower,
                   object_id=str(r.pk), detail={"campaign": campaign.pk, "decision": r.decision, "method": method,
                                                "withdraws": int(r.withdraws),
                                                "drafts_discarded": int(r.student_id in discarded)})
        for r in records
    ])
    return records


@transaction.atomic
def consent_record(*, campaign: Campaign, student: Student, decision: str, recorded_by, guardian=None,
                   method: str = ConsentRecord.Method.PAPER, note: str = "", request=None) -> ConsentRecord:
    """A guardian's decision, given by the guardian online or recorded by staff from a paper slip."""
    return _consents_write(campaign=campaign, decisions={student: decision}, recorded_by=recorded_by, method=method,
                           note=note, guardian=guardian, request=request)[0]


@transaction.atomic
def consent_record_many(*, campaign: Campaign, decisions: dict[Student, str], recorded_by, note: str = "",
                        request=None) -> list[ConsentRecord]:
    """Guardians' decisions from a class's paper slips, recorded together: all of them or none."""
    return _consents_write(campaign=campaign, decisions=decisions, recorded_by=recorded_by,
                           method=ConsentRecord.Method.PAPER, note=note, request=request)


def assignments_still_to_answer(student: Student, now=None):
    """The student's assignments not yet submitted in campaigns still running (what leaving withdraws)."""
    now = now or timezone.now()
    return (Assignment.objects.filter(student=student, submission__isnull=True, campaign__closes_at__gt=now)
            .exclude(status=Assignment.Status.SUBMITTED).exclude(campaign__status=Campaign.Status.CLOSED))


def assignments_withdraw(*, student: Student, now=None) -> int:
    """A student who left school (people.services.student_leave) takes no further part: their
    assignments still to answer go, with the access code and any unsent answers, so completion
    counts only students at school. Submitted ones stay. Returns how many."""
    _deleted, per_model = assignments_still_to_answer(student, now).delete()
    return per_model.get(Assignment._meta.label, 0)
