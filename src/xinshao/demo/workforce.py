"""The workforce of the demo city (workforce/): every school's psych teachers and class teachers,
their certificates, two trainings and the schools' designations, near the bureau's report (about
one psych teacher in six full-time, many schools with none; a city C证 rate near 84%).

Every demo psych-teacher and class-teacher login (`sNNN.psychN`, `sNNN.<class>.teacher`) has a
staff record, and some schools have a part-time psych teacher without a login. The register and
the certificates held from before are bulk-written (thousands of rows); the trainings go through
the services: the first, finished a month ago, granted its trainees' C证 on completion; the second
is in progress with its enrolment and the first days' attendance. S001 has a full-time psych
teacher; S002 has none. Deterministic: every choice comes from the rng passed in.
"""
import datetime
import random
from decimal import Decimal

from django.utils import timezone

from xinshao.accounts.models import RoleAssignment, User
from xinshao.accounts.roles import Role
from xinshao.demo.names import adult_name
from xinshao.org.models import Region, School
from xinshao.workforce import selectors, services
from xinshao.workforce.kinds_seed import kinds_seed
from xinshao.workforce.models import (Certificate, CertificateKind, Designation, Employment, Post, StaffMember,
                                      Targets, TrainingEvent)

BATCH_SIZE = 1000
# Chances that shape the register and certificates near the report (111 full-time of 664; C证 84.3%).
FIRST_PSYCH_FULL_TIME, OTHER_PSYCH_FULL_TIME = 0.5, 0.03
EXTRA_PART_TIMER = 0.3
DEGREE = {Employment.FULL_TIME: 0.8, Employment.PART_TIME: 0.25}
HOLDS_C, HOLDS_EXPIRED_C, FULL_TIMER_HOLDS_B = 0.82, 0.05, 0.3
DESIGNATIONS = (
    ("S001", Designation.Kind.CHARACTERISTIC, Designation.Level.NATIONAL, 2023, "教育部"),
    ("S001", Designation.Kind.DEMONSTRATION, Designation.Level.PROVINCIAL, 2022, "省教育厅"),
    ("S003", Designation.Kind.DEMONSTRATION, Designation.Level.CITY, 2024, "明州市教育局"),
    ("S004", Designation.Kind.DEMONSTRATION, Designation.Level.CITY, 2025, "明州市教育局"),
    ("S005", Designation.Kind.PRACTICE_BASE, Designation.Level.CITY, 2025, "明州市教育局"),
    ("S006", Designation.Kind.CHARACTERISTIC, Designation.Level.DISTRICT, 2024, "区教育局"),
    ("S008", Designation.Kind.PRACTICE_BASE, Designation.Level.DISTRICT, 2025, "区教育局"),
    ("S010", Designation.Kind.CHARACTERISTIC, Designation.Level.CITY, 2025, "明州市教育局"),
)


def _register(schools: list[School], rng: random.Random) -> list[StaffMember]:
    psych: dict[int, list[User]] = {school.pk: [] for school in schools}
    for assignment in RoleAssignment.objects.filter(role=Role.PSYCH_TEACHER, school__in=schools) \
            .select_related("user").order_by("user__username"):
        psych[assignment.school_id].append(assignment.user)
    members = []
    for school in schools:
        for position, user in enumerate(psych[school.pk]):
            full_time = rng.random() < (FIRST_PSYCH_FULL_TIME if position == 0 else OTHER_PSYCH_FULL_TIME)
            if school.code in ("S001", "S002"):
                full_time = school.code == "S001" and position == 0
            members.append(_psych(school, user.display_name, full_time, rng, user=user))
        if rng.random() < EXTRA_PART_TIMER:
            members.append(_psych(school, adult_name(rng, "F" if rng.random() < 0.8 else "M"), False, rng))
    for assignment in RoleAssignment.objects.filter(role=Role.CLASS_TEACHER, school_class__school__in=schools) \
            .select_related("user", "school_class").order_by("user__username"):
        members.append(StaffMember(school_id=assignment.school_class.school_id, name=assignment.user.display_name,
                                   post=Post.CLASS_TEACHER, user=assignment.user,
                                   psychology_degree=rng.random() < 0.05))
    return StaffMember.objects.bulk_create(members, batch_size=BATCH_SIZE)


def _psych(school, name, full_time: bool, rng, *, user=None) -> StaffMember:
    employment = Employment.FULL_TIME if full_time else Employment.PART_TIME
    return StaffMember(school=school, name=name, post=Post.PSYCH_TEACHER, employment=employment, user=user,
                       psychology_degree=rng.random() < DEGREE[employment])


def _certificates(members: list[StaffMember], kinds: dict[int, CertificateKind], recorder: User, now,
                  rng: random.Random) -> None:
    today, year = timezone.localdate(now), datetime.timedelta(days=365)
    c, b = kinds[1], kinds[2]
    rows = []
    for member in members:
        roll = rng.random()
        if roll < HOLDS_C:
            issued = today - datetime.timedelta(days=rng.randint(60, 4 * 365 + 300))
        elif roll < HOLDS_C + HOLDS_EXPIRED_C:
            issued = today - 5 * year - datetime.timedelta(days=rng.randint(30, 700))
        else:
            continue
        rows.append((member, c, issued))
        if member.employment == Employment.FULL_TIME and rng.random() < FULL_TIMER_HOLDS_B:
            rows.append((member, b, issued + datetime.timedelta(days=rng.randint(200, 400))))
    Certificate.objects.bulk_create([
        Certificate(holder=member, kind=kind, number=f"MZ{kind.name[-2]}{issued.year}-{n:05d}", issued_on=issued,
                    expires_on=kind.expiry_for(issued), recorded_by=recorder, recorded_at=now)
        for n, (member, kind, issued) in enumerate(rows, start=1) if issued <= today
    ], batch_size=BATCH_SIZE)


def _trainings(admin: User, kinds: dict[int, CertificateKind], now, rng: random.Random) -> TrainingEvent:
    """The first training, finished: its trainees completed and got their C证; the second in progress."""
    today, days = timezone.localdate(now), datetime.timedelta(days=1)
    c = kinds[1]
    needing = list(selectors.needing_training(StaffMember.objects.all(), c, today).order_by("id"))
    rng.shuffle(needing)
    first_at = now - 45 * days
    first = services.training_create(actor=admin, name="心理健康教育C证培训（第一期）", grants=c,
                                     starts_on=today - 45 * days, ends_on=today - 40 * days, place="明州市教师发展中心",
                                     capacity=60, hours=Decimal(24), now=first_at)
    ended = now - 40 * days
    # A fifth of those who need it took the first training; half of the rest are in the second.
    first_cohort = min(40, len(needing) // 5)
    second_cohort = first_cohort + min(90, (len(needing) - first_cohort) // 2)
    for member in needing[:first_cohort]:
        enrolment = services.training_enrol(actor=admin, event=first, staff=member, now=first_at)
        attended = Decimal(24) if rng.random() < 0.9 else Decimal(16)
        if attended >= 24:
            services.enrolment_update(actor=admin, enrolment=enrolment, attended_hours=attended, complete=True,
                                      completed_on=first.ends_on, now=ended)
        else:
            services.enrolment_update(actor=admin, enrolment=enrolment, attended_hours=attended, now=ended)
    current_at = now - 2 * days
    current = services.training_create(actor=admin, name="心理健康教育C证培训（第二期）", grants=c,
                                       starts_on=today - 2 * days, ends_on=today + 3 * days,
                                       place="明州市教师发展中心", capacity=120, hours=Decimal(24), now=current_at)
    for member in needing[first_cohort:second_cohort]:
        enrolment = services.training_enrol(actor=admin, event=current, staff=member, now=current_at - 5 * days)
        services.enrolment_update(actor=admin, enrolment=enrolment, attended_hours=Decimal(8 if rng.random() < 0.93
                                                                                         else 4), now=now - days)
    services.training_create(actor=admin, name="学生心理危机识别与干预专题培训", grants=None, starts_on=today + 20 * days,
                             ends_on=today + 21 * days, place="线上", capacity=300, hours=Decimal(8), now=now - days)
    return current


def seed_workforce(city: Region, now: datetime.datetime, rng: random.Random) -> TrainingEvent | None:
    admin = User.objects.filter(username="bureau.admin").first()
    schools = list(School.objects.filter(district__parent=city).order_by("code"))
    if admin is None or not schools:
        return None
    kinds = {kind.level: kind for kind in kinds_seed(CertificateKind, Targets)}
    members = _register(schools, rng)
    _certificates(members, kinds, admin, now, rng)
    by_code = {school.code: school for school in schools}
    for code, kind, level, year, awarded_by in DESIGNATIONS:
        if code in by_code:
            services.designation_record(actor=admin, school=by_code[code], kind=kind, level=level, year=year,
                                        awarded_by=awarded_by, now=now)
    return _trainings(admin, kinds, now, rng)
