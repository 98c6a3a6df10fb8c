"""Reads of the workforce: staffing ratios and certification rates per school and for the city.

The figures are counts of staff per school (schools are not individuals, and nothing here is about
anyone's well-being), so no small-cell suppression applies; named lists are the scopes' business.
"""
import datetime
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from xinshao.people.models import Student
from xinshao.workforce.models import (Certificate, CertificateKind, Employment, Post, StaffMember, Targets,
                                      TrainingEnrolment)


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class StaffingLine:
    school: object
    students: int
    full_time: int
    part_time: int
    with_degree: int
    per_thousand: Decimal | None  # full-time psych teachers per 1,000 students
    meets_ratio: bool
    meets_minimum: bool

    @property
    def meets(self) -> bool:
        return self.meets_ratio and self.meets_minimum


@dataclass
class Staffing:
    lines: list[StaffingLine]
    targets: Targets
    students: int
    full_time: int
    part_time: int
    with_degree: int
    per_thousand: Decimal | None

    @property
    def without_full_time(self) -> list[StaffingLine]:
        return [line for line in self.lines if not line.full_time]

    @property
    def meeting(self) -> int:
        return sum(line.meets for line in self.lines)


def _per_thousand(full_time: int, students: int) -> Decimal | None:
    if not students:
        return None
    return (Decimal(full_time) * 1000 / students).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def staffing(schools: QuerySet, targets: Targets | None = None) -> Staffing:
    """Psych teachers (in post) and enrolled students per school, against the targets."""
    targets = targets or Targets.current()
    psych = Q(workforce__post=Post.PSYCH_TEACHER, workforce__is_active=True)
    counted = schools.annotate(
        full_time=Count("workforce", filter=psych & Q(workforce__employment=Employment.FULL_TIME), distinct=True),
        part_time=Count("workforce", filter=psych & Q(workforce__employment=Employment.PART_TIME), distinct=True),
        with_degree=Count("workforce", filter=psych & Q(workforce__psychology_degree=True), distinct=True),
    ).select_related("district").order_by("code")
    students = dict(Student.objects.filter(school__in=schools, status=Student.Status.ENROLLED)
                    .values_list("school").annotate(n=Count("id")).order_by())
    lines = []
    for school in counted:
        enrolled = students.get(school.pk, 0)
        per_thousand = _per_thousand(school.full_time, enrolled)
        lines.append(StaffingLine(
            school=school, students=enrolled, full_time=school.full_time, part_time=school.part_time,
            with_degree=school.with_degree, per_thousand=per_thousand,
            meets_ratio=per_thousand is None or per_thousand >= targets.full_time_per_thousand,
            meets_minimum=school.full_time >= targets.min_full_time_per_school))
    total_students, total_full = sum(line.students for line in lines), sum(line.full_time for line in lines)
    return Staffing(lines=lines, targets=targets, students=total_students, full_time=total_full,
                    part_time=sum(line.part_time for line in lines),
                    with_degree=sum(line.with_degree for line in lines),
                    per_thousand=_per_thousand(total_full, total_students))


# --- Certification --------------------------------------------------------------------------

def rate_kind(targets: Targets | None = None) -> CertificateKind | None:
    """The certificate the rate counts: the targets' choice, else the lowest-level kind required of anyone."""
    targets = targets or Targets.current()
    return targets.certification_kind or CertificateKind.objects.exclude(
        required_of=CertificateKind.RequiredOf.NONE).order_by("level", "id").first()


def valid_certificates(kind: CertificateKind, day: datetime.date) -> QuerySet:
    """Certificates that satisfy `kind` on `day`: of that kind or a higher level, issued and not expired."""
    return Certificate.objects.filter(kind__level__gte=kind.level, issued_on__lte=day, expires_on__gte=day)


def required_staff(staff: QuerySet, kind: CertificateKind) -> QuerySet:
    """The people in post who must hold `kind`."""
    return staff.filter(is_active=True, post__in=kind.required_posts)


def with_certified(staff: QuerySet, kind: CertificateKind, day: datetime.date) -> QuerySet:
    """Each person marked `certified`: holding a certificate valid for `kind` on `day`."""
    return staff.annotate(certified=Exists(valid_certificates(kind, day).filter(holder=OuterRef("pk"))))


def needing_training(staff: QuerySet, kind: CertificateKind, day: datetime.date) -> QuerySet:
    """Who must hold `kind` and has no valid certificate on `day`: whom to send to training."""
    return with_certified(required_staff(staff, kind), kind, day).filter(certified=False).select_related(
        "school__district").order_by("school__code", "post", "name")


class _Counted:
    """Of `required` people, `certified` hold a valid certificate."""

    required: int
    certified: int

    @property
    def rate(self) -> Decimal | None:
        return _percent(self.certified, self.required)

    @property
    def needing(self) -> int:
        return self.required - self.certified


@dataclass
class CertificationLine(_Counted):
    school: object
    required: int
    certified: int


@dataclass
class Certification(_Counted):
    kind: CertificateKind | None
    targets: Targets
    lines: list[CertificationLine]
    required: int
    certified: int

    @property
    def meets_target(self) -> bool:
        return self.rate is not None and self.rate >= self.targets.certification_target

    @property
    def to_target(self) -> int:
        """How many more people must be certified for the city to reach the target."""
        needed = (self.targets.certification_target * self.required / 100).to_integral_value(rounding=ROUND_CEILING)
        return max(int(needed) - self.certified, 0)


def certification(schools: QuerySet, day: datetime.date, targets: Targets | None = None) -> Certification:
    targets = targets or Targets.current()
    kind = rate_kind(targets)
    if kind is None:
        return Certification(kind=None, targets=targets, lines=[], required=0, certified=0)
    staff = with_certified(required_staff(StaffMember.objects.filter(school__in=schools), kind), kind, day)
    counts = {school_id: (required, certified) for school_id, required, certified in staff.values("school")
              .annotate(required=Count("id"), certified=Count("id", filter=Q(certified=True)))
              .values_list("school", "required", "certified").order_by()}
    lines = [CertificationLine(school, *counts.get(school.pk, (0, 0)))
             for school in schools.select_related("district").order_by("code")]
    return Certification(kind=kind, targets=targets, lines=lines, required=sum(line.required for line in lines),
                         certified=sum(line.certified for line in lines))


def trained_in_year(schools: QuerySet, year: int) -> int:
    """How many people of these schools completed a training in `year` (the report's trainees a year)."""
    return TrainingEnrolment.objects.filter(staff__school__in=schools, state=TrainingEnrolment.State.COMPLETED,
                                            completed_on__year=year).values("staff").distinct().count()
