"""Writes the demo city: one transaction, bulk inserts, no query per row.

Randomness comes from random.Random instances seeded with the --seed and a fixed label
per part (the plan, each school's students, each school's staff), never from the global
generator, so the same seed and reference date give the same city on any machine.
"""
import datetime
import random
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from xinshao.demo.plan import (
    CITY_CODE, CITY_NAME, DISTRICTS, KINDS, MAX_AVERAGE_SCHOOL_SIZE, MIN_AVERAGE_SCHOOL_SIZE, SchoolPlan, plan_city,
)
from xinshao.demo.schoolyear import SchoolYear
from xinshao.demo.staff import AGENCIES, UserSpec, bureau_staff, clinicians, school_staff, write_users
from xinshao.demo.students import BATCH_SIZE, StudentWriter
from xinshao.demo.alerts_and_cases import seed_warnings
from xinshao.demo.counseling import seed_counseling
from xinshao.demo.screening import seed_screening
from xinshao.demo.governance import seed_governance
from xinshao.demo.norms import seed_norms
from xinshao.demo.activities import seed_activities
from xinshao.demo.hotline import seed_hotline
from xinshao.demo.workforce import seed_workforce
from xinshao.demo.records import seed_records
from xinshao.demo.partners import seed_partners
from xinshao.demo.exports import seed_exports
from xinshao.compliance.services import grants_record_seeded
from xinshao.demo.security import seed_security
from xinshao.demo.consent import seed_consent_override
from xinshao.demo.leavers import seed_leaver
from xinshao.demo.compliance import seed_compliance
from xinshao.org.models import Grade, PartnerAgency, Region, School, SchoolClass, Term

MAX_SCHOOLS = 2000


class DemoCityError(ValueError):
    """The demo city cannot be built as asked; the message says why in plain words."""


@dataclass(frozen=True)
class DemoCityRequest:
    seed: int
    schools: int
    students: int
    today: datetime.date

    def __post_init__(self) -> None:
        if not len(KINDS) <= self.schools <= MAX_SCHOOLS:
            raise DemoCityError(
                f"--schools must be between {len(KINDS)} (one school of each kind) and {MAX_SCHOOLS}, "
                f"not {self.schools}")
        if self.students < self.schools * MIN_AVERAGE_SCHOOL_SIZE:
            raise DemoCityError(
                f"--students ({self.students}) must be at least {MIN_AVERAGE_SCHOOL_SIZE} per school "
                f"({self.schools * MIN_AVERAGE_SCHOOL_SIZE} for {self.schools} schools): every grade needs a class")
        if self.students > self.schools * MAX_AVERAGE_SCHOOL_SIZE:
            raise DemoCityError(
                f"--students ({self.students}) is more than {MAX_AVERAGE_SCHOOL_SIZE:,} per school on average: "
                "give more --schools")
        if not 2000 <= self.today.year <= 2099:
            raise DemoCityError(f"--today {self.today} is not a date between 2000 and 2099")


def existing_city() -> Region | None:
    return Region.objects.filter(kind=Region.Kind.CITY).order_by("code").first()


def _rng(request: DemoCityRequest, part: str) -> random.Random:
    return random.Random(f"xinshao-demo/{request.seed}/{part}")


def build_demo_city(request: DemoCityRequest) -> Region:
    try:
        with transaction.atomic():
            return _build(request)
    except IntegrityError as error:
        raise DemoCityError(
            f"the database already holds records the demo city would add ({error}); seed an empty database"
        ) from error


def _build(request: DemoCityRequest) -> Region:
    year = SchoolYear.on(request.today)
    plans = plan_city(_rng(request, "plan"), schools=request.schools, students=request.students)
    city = Region.objects.create(code=CITY_CODE, name=CITY_NAME, kind=Region.Kind.CITY)
    districts = {region.code: region for region in Region.objects.bulk_create(
        [Region(code=code, name=name, kind=kind, parent=city) for code, name, kind, _share in DISTRICTS])}
    for term in (year.previous_term, year.current_term):
        Term.objects.get_or_create(name=term.name, defaults={"starts_on": term.starts_on, "ends_on": term.ends_on})
    schools = School.objects.bulk_create([
        School(code=plan.code, name=plan.name, kind=plan.kind, ownership=plan.ownership,
               district=districts[plan.district.code], address=plan.address) for plan in plans
    ], batch_size=BATCH_SIZE)
    classes = _write_classes(plans, schools)
    agencies = PartnerAgency.objects.bulk_create(
        [PartnerAgency(name=name, kind=kind, region=city) for name, kind, _prefix in AGENCIES])
    staff_rng = _rng(request, "staff")
    specs: list[UserSpec] = bureau_staff(staff_rng, city) + clinicians(staff_rng, agencies)
    writer, guardians_with_login = StudentWriter(year), set()
    for plan, school in zip(plans, schools):
        school_classes = classes[school.pk]
        roll = writer.write_school(_rng(request, f"students/{plan.code}"), plan, school, school_classes)
        ordered = [(school_class, level) for (level, _number), school_class in school_classes.items()]
        specs += school_staff(_rng(request, f"staff/{plan.code}"), school, ordered, roll, guardians_with_login)
    write_users(specs)
    grants_record_seeded()  # the seeded staff's access, recorded as approved by migration (compliance/)
    seed_partners(city, timezone.now(), _rng(request, "partners"))
    seed_warnings(city, timezone.now())
    seed_screening(city, timezone.now(), _rng(request, "screening"))
    seed_consent_override(city, timezone.now())
    seed_norms(city, timezone.now())
    seed_counseling(city, timezone.now(), _rng(request, "counseling"))
    seed_hotline(city, timezone.now(), _rng(request, "hotline"))
    seed_governance(city, timezone.now(), _rng(request, "governance"))
    seed_workforce(city, timezone.now(), _rng(request, "workforce"))
    seed_activities(city, timezone.now(), _rng(request, "activities"))
    seed_exports(city, timezone.now(), _rng(request, "exports"))
    seed_records(city, timezone.now(), _rng(request, "records"))
    seed_security(city, timezone.now(), _rng(request, "security"))
    seed_leaver(city, timezone.now())
    seed_compliance(city, timezone.now())  # last: it changes who holds which role
    return city


def _write_classes(plans: list[SchoolPlan], schools: list[School]) -> dict[int, dict[tuple[str, int], SchoolClass]]:
    """Grades and classes of every school: school id -> (level, class number) -> class, in school order."""
    grades = Grade.objects.bulk_create(
        [Grade(school=school, level=level) for plan, school in zip(plans, schools) for level in plan.classes],
        batch_size=BATCH_SIZE)
    grade_of = {(grade.school_id, grade.level): grade for grade in grades}
    keyed = [
        ((school.pk, level, number), SchoolClass(school=school, grade=grade_of[(school.pk, level)], name=f"{number}班"))
        for plan, school in zip(plans, schools)
        for level, sizes in plan.classes.items() for number in range(1, len(sizes) + 1)
    ]
    SchoolClass.objects.bulk_create([school_class for _key, school_class in keyed], batch_size=BATCH_SIZE)
    classes: dict[int, dict[tuple[str, int], SchoolClass]] = {school.pk: {} for school in schools}
    for (school_id, level, number), school_class in keyed:
        classes[school_id][(level, number)] = school_class
    return classes
