"""Named people for tests: one small city with two schools, and a person for every role.

School A (东湖中学) and school B (西山中学) are both junior schools in different districts of
明州市. Tests ask "can Liu, school A's psych teacher, see Zhou, a student of school B?"
"""
import datetime
from dataclasses import dataclass

from django.db import connection

from xinshao.accounts.models import RoleAssignment, User
from xinshao.accounts.roles import Role
from xinshao.org.models import Grade, OutsideBody, PartnerAgency, Region, School, SchoolClass, Term
from xinshao.people.models import Enrolment, Guardian, GuardianLink, Student

PASSWORD = "correct-horse-battery"


@dataclass
class City:
    region: Region
    district_a: Region
    district_b: Region
    school_a: School
    school_b: School
    class_a1: SchoolClass
    class_a2: SchoolClass
    class_b1: SchoolClass
    term: Term
    agency: PartnerAgency
    outside_body: OutsideBody  # applies to bring activities into schools
    # students
    chen: Student       # school A, class A1, guardian Chen Ma
    lin: Student        # school A, class A2, psych committee member of A2
    zhou: Student       # school B, class B1
    chen_ma: Guardian
    # staff and others, one per role
    bai: User           # bureau admin
    xin: User           # bureau psych centre
    fen: User           # bureau analyst
    du: User            # inspector
    re: User            # hotline operator
    song_a: User        # school admin, school A
    song_b: User        # school admin, school B
    liu_a: User         # psych teacher, school A
    wang_b: User        # psych teacher, school B
    zhang_a1: User      # class teacher of class A1
    qian_b1: User       # class teacher of class B1
    lin_user: User      # the committee member's login (student Lin)
    chen_user: User     # student Chen's login
    chen_ma_user: User  # guardian's login
    yi: User            # clinician at the partner agency
    gao_a: User         # a teacher of school A, as respondent
    ying: User          # applicant for the outside body

    def everyone(self) -> dict[str, User]:
        return {name: value for name, value in vars(self).items() if isinstance(value, User)}


def _user(username: str, display_name: str, role: str, **scope) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, display_name=display_name)
    RoleAssignment.objects.create(user=user, role=role, **scope)
    return user


def enrolled_student(school, school_class, number, name, gender, born) -> Student:
    student = Student.objects.create(
        school=school, school_class=school_class, student_number=number, name=name, gender=gender,
        birth_date=datetime.date(*born), national_id="",
    )
    Enrolment.objects.create(student=student, school=school, school_class=school_class,
                             started_on=datetime.date(2026, 9, 1))
    return student


def build_city() -> City:
    region = Region.objects.create(code="MZ", name="明州市", kind=Region.Kind.CITY)
    district_a = Region.objects.create(code="MZ-DH", name="东湖区", kind=Region.Kind.DISTRICT, parent=region)
    district_b = Region.objects.create(code="MZ-XS", name="西山区", kind=Region.Kind.DISTRICT, parent=region)
    school_a = School.objects.create(code="A001", name="东湖中学", kind="junior", district=district_a)
    school_b = School.objects.create(code="B001", name="西山中学", kind="junior", district=district_b)
    grade_a = Grade.objects.create(school=school_a, level="J1")
    grade_b = Grade.objects.create(school=school_b, level="J1")
    class_a1 = SchoolClass.objects.create(school=school_a, grade=grade_a, name="1班")
    class_a2 = SchoolClass.objects.create(school=school_a, grade=grade_a, name="2班")
    class_b1 = SchoolClass.objects.create(school=school_b, grade=grade_b, name="1班")
    term = Term.objects.create(name="2026-2027学年第一学期", starts_on=datetime.date(2026, 9, 1),
                               ends_on=datetime.date(2027, 1, 20))
    agency = PartnerAgency.objects.create(name="明州市精神卫生中心", kind="mental_health_centre", region=region)
    outside_body = OutsideBody.objects.create(name="明州启航研学服务有限公司", region=region, contact_person="应经理")
    chen = enrolled_student(school_a, class_a1, "A2026001", "陈小雨", "F", (2013, 5, 2))
    lin = enrolled_student(school_a, class_a2, "A2026002", "林晓东", "M", (2013, 8, 19))
    zhou = enrolled_student(school_b, class_b1, "B2026001", "周子涵", "F", (2013, 3, 7))
    chen_ma = Guardian.objects.create(name="陈妈妈", phone="13800138000")
    GuardianLink.objects.create(student=chen, guardian=chen_ma, relation="母亲")
    return City(
        region=region, district_a=district_a, district_b=district_b, school_a=school_a, school_b=school_b,
        class_a1=class_a1, class_a2=class_a2, class_b1=class_b1, term=term, agency=agency, outside_body=outside_body,
        chen=chen, lin=lin, zhou=zhou, chen_ma=chen_ma,
        bai=_user("bai", "白局", Role.BUREAU_ADMIN, region=region),
        xin=_user("xin", "辛主任", Role.BUREAU_PSYCH_CENTRE, region=region),
        fen=_user("fen", "范分析", Role.BUREAU_ANALYST, region=region),
        du=_user("du", "杜督查", Role.INSPECTOR, region=region),
        re=_user("re", "任热线", Role.HOTLINE_OPERATOR, region=region),
        song_a=_user("song_a", "宋校管A", Role.SCHOOL_ADMIN, school=school_a),
        song_b=_user("song_b", "宋校管B", Role.SCHOOL_ADMIN, school=school_b),
        liu_a=_user("liu_a", "刘心理A", Role.PSYCH_TEACHER, school=school_a),
        wang_b=_user("wang_b", "王心理B", Role.PSYCH_TEACHER, school=school_b),
        zhang_a1=_user("zhang_a1", "张班主任", Role.CLASS_TEACHER, school_class=class_a1),
        qian_b1=_user("qian_b1", "钱班主任", Role.CLASS_TEACHER, school_class=class_b1),
        lin_user=_user("lin", "林晓东", Role.PSYCH_COMMITTEE, student=lin),
        chen_user=_user("chen", "陈小雨", Role.STUDENT, student=chen),
        chen_ma_user=_user("chen_ma", "陈妈妈", Role.GUARDIAN, guardian=chen_ma),
        yi=_user("yi", "易医生", Role.CLINICIAN, agency=agency),
        gao_a=_user("gao_a", "高老师", Role.TEACHER, school=school_a),
        ying=_user("ying", "应经理", Role.ACTIVITY_APPLICANT, outside_body=outside_body),
    )


def city_delete(city: City) -> None:
    """Undo build_city(): for a test that runs on a database holding the shared city and does not want it.

    Querysets only, so the instances in `city` keep their primary keys."""
    User.objects.filter(pk__in=[user.pk for user in city.everyone().values()]).delete()
    Student.objects.filter(pk__in=[city.chen.pk, city.lin.pk, city.zhou.pk]).delete()
    Guardian.objects.filter(pk=city.chen_ma.pk).delete()
    School.objects.filter(pk__in=[city.school_a.pk, city.school_b.pk]).delete()
    PartnerAgency.objects.filter(pk=city.agency.pk).delete()
    OutsideBody.objects.filter(pk=city.outside_body.pk).delete()
    Term.objects.filter(pk=city.term.pk).delete()
    Region.objects.filter(pk__in=[city.district_a.pk, city.district_b.pk]).delete()
    Region.objects.filter(pk=city.region.pk).delete()


class WorkerCity:
    """The test city committed in this worker's test database, shared by every test (conftest.py)."""

    built: City | None = None

    @classmethod
    def in_database(cls) -> bool:
        return cls.built is not None and User.objects.filter(pk=cls.built.bai.pk).exists()

    @classmethod
    def ensure(cls) -> City:
        """The shared city, built again when a transactional test (pytest-django runs them last) has
        flushed it. Outside a test's transaction the build is committed and shared; inside one it
        lasts for that test."""
        if cls.in_database():
            return cls.built
        built = build_city()
        if not connection.in_atomic_block:
            cls.built = built
        return built
