"""Demo logins: bureau staff, each school's staff, some students and guardians, clinicians.

Usernames follow the organisation so a tester can guess them: `bureau.admin`,
`s001.admin`, `s001.psych1`, `s001.j1-2.teacher` (the class teacher of 初一 2班),
`s001.j1-2.committee`, `s001.student1`, `s001.guardian1`, `mhc.doctor1`. Every demo user
has one role and the same password; its hash is computed once because argon2 is slow by design.
"""
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from xinshao.accounts.models import RoleAssignment, User
from xinshao.accounts.roles import SCOPE_FIELD, Role
from xinshao.demo.identity import mobile_number
from xinshao.demo.names import adult_name
from xinshao.demo.students import BATCH_SIZE, SchoolRoll
from xinshao.org.grades import level_ordinal
from xinshao.org.models import PartnerAgency, Region, School, SchoolClass

DEMO_PASSWORD = "xinshao-demo"
STUDENTS_PER_PSYCH_TEACHER = 280  # one psych teacher per school, and one more per this many students
STUDENT_LOGINS_PER_SCHOOL = 2
FIRST_RESPONDENT_ORDINAL = 4  # 四年级

BUREAU_STAFF = (
    ("bureau.admin", Role.BUREAU_ADMIN), ("psych.centre", Role.BUREAU_PSYCH_CENTRE),
    ("psych.centre2", Role.BUREAU_PSYCH_CENTRE), ("bureau.analyst", Role.BUREAU_ANALYST),
    ("bureau.leader", Role.BUREAU_ANALYST), ("inspector1", Role.INSPECTOR), ("inspector2", Role.INSPECTOR),
    ("hotline1", Role.HOTLINE_OPERATOR), ("hotline2", Role.HOTLINE_OPERATOR), ("hotline3", Role.HOTLINE_OPERATOR),
)
# name, kind, username prefix of its clinicians
AGENCIES = (
    ("明州市精神卫生中心", PartnerAgency.Kind.MENTAL_HEALTH_CENTRE, "mhc.doctor"),
    ("明州市第一人民医院", PartnerAgency.Kind.HOSPITAL, "hospital.doctor"),
    ("明州市阳光社会工作服务中心", PartnerAgency.Kind.SOCIAL_SERVICES, "social.worker"),
)
CLINICIANS_PER_AGENCY = 2
# Outside bodies that apply to bring activities into schools (activities/): name, kind of activity
# they usually bring, username of their one applicant login.
OUTSIDE_BODIES = (
    ("明州启航研学服务有限公司", "lecture", "qihang.applicant"),
    ("明州星光文化传播有限公司", "performance", "xingguang.applicant"),
    ("明州市青少年科技创新协会", "competition", "keji.applicant"),
    ("明州知行教育咨询有限公司", "survey", "zhixing.applicant"),
    ("明州安康保险代理有限公司", "promotion", "ankang.applicant"),
    ("明州市绿色家园环保公益促进会", "lecture", "lvse.applicant"),
)
_WOMEN_SHARE = {Role.PSYCH_TEACHER: 0.8, Role.CLASS_TEACHER: 0.7, Role.TEACHER: 0.65, Role.SCHOOL_ADMIN: 0.45}


@dataclass(frozen=True)
class UserSpec:
    username: str
    display_name: str
    role: str
    scope_id: int  # the id of the unit in the role's scope field (accounts.roles.SCOPE_FIELD)
    phone: str = ""


def _staff(rng: random.Random, username: str, role: str, scope_id: int) -> UserSpec:
    gender = "F" if rng.random() < _WOMEN_SHARE.get(role, 0.5) else "M"
    return UserSpec(username, adult_name(rng, gender), role, scope_id, phone=mobile_number(rng))


def class_slug(school_class: SchoolClass, level: str) -> str:
    """`j1-2` for 初一 2班: the level code and the class's number."""
    return f"{level.lower()}-{school_class.name.removesuffix('班')}"


def bureau_staff(rng: random.Random, city: Region) -> list[UserSpec]:
    return [_staff(rng, username, role, city.pk) for username, role in BUREAU_STAFF]


def clinicians(rng: random.Random, agencies: list[PartnerAgency]) -> list[UserSpec]:
    prefixes = {name: prefix for name, _kind, prefix in AGENCIES}
    return [_staff(rng, f"{prefixes[agency.name]}{n}", Role.CLINICIAN, agency.pk)
            for agency in agencies for n in range(1, CLINICIANS_PER_AGENCY + 1)]


def applicants(rng: random.Random, bodies) -> list[UserSpec]:
    """One applicant login per outside body (org.OutsideBody), in OUTSIDE_BODIES order."""
    usernames = {name: username for name, _kind, username in OUTSIDE_BODIES}
    return [_staff(rng, usernames[body.name], Role.ACTIVITY_APPLICANT, body.pk) for body in bodies]


def school_staff(rng: random.Random, school: School, classes: list[tuple[SchoolClass, str]], roll: SchoolRoll,
                 guardians_with_login: set[int]) -> list[UserSpec]:
    """The school's admin, psych teachers, class teachers, teachers, committee members, and a few
    students and guardians. `classes` is (class, level) in the school's order."""
    prefix = school.code.lower()
    size = sum(len(students) for students in roll.classes.values())
    specs = [_staff(rng, f"{prefix}.admin", Role.SCHOOL_ADMIN, school.pk)]
    specs += [_staff(rng, f"{prefix}.psych{n}", Role.PSYCH_TEACHER, school.pk)
              for n in range(1, 2 + size // STUDENTS_PER_PSYCH_TEACHER)]
    specs += [_staff(rng, f"{prefix}.teacher{n}", Role.TEACHER, school.pk) for n in range(1, 3 + len(classes) // 3)]
    for school_class, level in classes:
        specs.append(_staff(rng, f"{prefix}.{class_slug(school_class, level)}.teacher", Role.CLASS_TEACHER,
                            school_class.pk))
    # Committee members and student logins start in 四年级: screening starts with upper primary.
    respondents = [(school_class, level) for school_class, level in classes
                   if level_ordinal(level) >= FIRST_RESPONDENT_ORDINAL]
    committee = set()
    for school_class, level in respondents:
        member = rng.choice(roll.classes[school_class.pk])
        committee.add(member.pk)
        specs.append(UserSpec(f"{prefix}.{class_slug(school_class, level)}.committee", member.name,
                              Role.PSYCH_COMMITTEE, member.pk))
    first_class = roll.classes[respondents[0][0].pk]
    with_login = [student for student in first_class if student.pk not in committee][:STUDENT_LOGINS_PER_SCHOOL]
    specs += [UserSpec(f"{prefix}.student{n}", student.name, Role.STUDENT, student.pk)
              for n, student in enumerate(with_login, start=1)]
    # A brother or sister at another school may have given this guardian a login already.
    guardians = [roll.primary_guardian[student.pk] for student in with_login]
    guardian = next((g for g in guardians if g.pk not in guardians_with_login), None)
    if guardian:
        guardians_with_login.add(guardian.pk)
        specs.append(UserSpec(f"{prefix}.guardian1", guardian.name, Role.GUARDIAN, guardian.pk, guardian.phone))
    return specs


def write_users(specs: list[UserSpec]) -> None:
    """Create the users and their role assignments in bulk, all with the demo password."""
    encoded = make_password(DEMO_PASSWORD)
    users = User.objects.bulk_create(
        [User(username=spec.username, display_name=spec.display_name, phone=spec.phone, password=encoded)
         for spec in specs], batch_size=BATCH_SIZE,
    )
    RoleAssignment.objects.bulk_create([
        RoleAssignment(user_id=user.pk, role=spec.role, **{f"{SCOPE_FIELD[spec.role]}_id": spec.scope_id})
        for user, spec in zip(users, specs)
    ], batch_size=BATCH_SIZE)
