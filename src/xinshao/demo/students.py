"""Students of one school with their guardians and enrolments, generated and written in bulk.

Families live in a district: now and then a student is a brother or sister of one met
earlier in the same district (at this school or another), sharing surname and guardians.
"""
import datetime
import random
from dataclasses import dataclass

from xinshao.demo.identity import mobile_number, national_id
from xinshao.demo.names import adult_name, child_given_name, weighted_surname
from xinshao.demo.plan import SchoolPlan
from xinshao.demo.schoolyear import STAGE_DIGIT, SchoolYear
from xinshao.org.models import School, SchoolClass
from xinshao.people.models import Enrolment, Guardian, GuardianLink, Student

BATCH_SIZE = 2000
NATIONAL_ID_SHARE = 0.6
SIBLING_SHARE = 0.05
BOY_SHARE = 0.52  # births in 2008–2020 ran at about 110 boys to 100 girls
SECOND_GUARDIAN_SHARE = 0.3
_FAMILIES_KEPT = 400  # per district: siblings are drawn from recent families, memory stays flat


@dataclass
class Family:
    surname: str
    guardians: list[tuple[Guardian, str]]  # (guardian, relation to the children); the first is primary


class Families:
    """The families of each district met so far, to draw an occasional sibling from."""

    def __init__(self) -> None:
        self._recent: dict[str, list[Family]] = {}

    def for_new_student(self, rng: random.Random, district_code: str) -> Family:
        recent = self._recent.setdefault(district_code, [])
        if recent and rng.random() < SIBLING_SHARE:
            return rng.choice(recent)
        family = _new_family(rng)
        recent.append(family)
        if len(recent) > _FAMILIES_KEPT:
            del recent[: _FAMILIES_KEPT // 4]
        return family


def _new_family(rng: random.Random) -> Family:
    father_surname, mother_surname = weighted_surname(rng), weighted_surname(rng)
    child_surname = father_surname if rng.random() < 0.9 else mother_surname
    mother = (Guardian(name=adult_name(rng, "F", mother_surname), phone=mobile_number(rng)), "母亲")
    father = (Guardian(name=adult_name(rng, "M", father_surname), phone=mobile_number(rng)), "父亲")
    draw = rng.random()
    if draw < 0.58:
        parents = [mother, father]
    elif draw < 0.94:
        parents = [father, mother]
    else:
        grandparent = rng.choice((("F", None, "祖母"), ("M", father_surname, "祖父"), ("F", None, "外祖母")))
        gender, surname, relation = grandparent
        parents = [(Guardian(name=adult_name(rng, gender, surname), phone=mobile_number(rng)), relation), mother]
    return Family(surname=child_surname, guardians=parents[:2] if rng.random() < SECOND_GUARDIAN_SHARE else parents[:1])


class _IdentityNumbers:
    """Well-formed identity numbers, none issued twice in the city."""

    def __init__(self) -> None:
        self.issued: set[str] = set()

    def new(self, rng: random.Random, *, region_code: str, birth_date: datetime.date, gender: str) -> str:
        while True:
            value = national_id(rng, region_code=region_code, birth_date=birth_date, gender=gender)
            if value not in self.issued:
                self.issued.add(value)
                return value


@dataclass
class SchoolRoll:
    """What the staff step needs from a written school: its classes' students and their guardians."""

    classes: dict[int, list[Student]]      # class id -> students in seat order
    primary_guardian: dict[int, Guardian]  # student id -> primary guardian


class StudentWriter:
    """Writes each school's students, guardians, guardian links and enrolments in a few bulk inserts."""

    def __init__(self, year: SchoolYear) -> None:
        self.year = year
        self.families = Families()
        self.identity_numbers = _IdentityNumbers()

    def write_school(self, rng: random.Random, plan: SchoolPlan, school: School,
                     classes: dict[tuple[str, int], SchoolClass]) -> SchoolRoll:
        rows: list[tuple[Student, Family, datetime.date]] = []
        roll = SchoolRoll(classes={}, primary_guardian={})
        for level, sizes in plan.classes.items():
            born_from, born_to = self.year.birth_window(level)
            entry_year = self.year.stage_entry_year(level)
            for class_number, size in enumerate(sizes, start=1):
                school_class = classes[(level, class_number)]
                roll.classes[school_class.pk] = []
                for seat in range(1, size + 1):
                    gender = "M" if rng.random() < BOY_SHARE else "F"
                    family = self.families.for_new_student(rng, plan.district.code)
                    born = born_from + datetime.timedelta(days=rng.randrange((born_to - born_from).days + 1))
                    with_id = rng.random() < NATIONAL_ID_SHARE
                    student = Student(
                        school=school, school_class=school_class,
                        student_number=f"{entry_year}{STAGE_DIGIT[level[0]]}{class_number:02d}{seat:02d}",
                        name=family.surname + child_given_name(rng, gender), gender=gender, birth_date=born,
                        national_id=self.identity_numbers.new(
                            rng, region_code=plan.district.code, birth_date=born, gender=gender) if with_id else "",
                    )
                    rows.append((student, family, datetime.date(entry_year, 9, 1)))
                    roll.classes[school_class.pk].append(student)
        self._save(rows)
        roll.primary_guardian = {student.pk: family.guardians[0][0] for student, family, _started in rows}
        return roll

    @staticmethod
    def _save(rows: list[tuple[Student, Family, datetime.date]]) -> None:
        Student.objects.bulk_create([student for student, _family, _started in rows], batch_size=BATCH_SIZE)
        # A sibling's guardians may be saved already (with an earlier school); save each new one once.
        unsaved = {id(guardian): guardian for _student, family, _started in rows
                   for guardian, _relation in family.guardians if guardian.pk is None}
        Guardian.objects.bulk_create(list(unsaved.values()), batch_size=BATCH_SIZE)
        GuardianLink.objects.bulk_create([
            GuardianLink(student_id=student.pk, guardian_id=guardian.pk, relation=relation, is_primary=index == 0)
            for student, family, _started in rows for index, (guardian, relation) in enumerate(family.guardians)
        ], batch_size=BATCH_SIZE)
        Enrolment.objects.bulk_create([
            Enrolment(student_id=student.pk, school_id=student.school_id, school_class_id=student.school_class_id,
                      started_on=started, reason="入学")
            for student, _family, started in rows
        ], batch_size=BATCH_SIZE)
