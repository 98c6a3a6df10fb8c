"""The growth record's plans and handovers in the demo city (records/): every student with a red
or orange alert gets an individual plan from their school's psych teacher, every other plan
revised once since; and two first-year students of the first junior school, who came up from the
first primary school this autumn, wait in that school's psych teachers' 交接任务 list."""
import datetime
import random

from xinshao.accounts.models import RoleAssignment
from xinshao.accounts.roles import Role
from xinshao.alerts.models import Level
from xinshao.org.models import Region, School, SchoolClass
from xinshao.people.models import Enrolment, Student
from xinshao.records.models import HandoverTask, PlanVersion
from xinshao.records.services import plan_save, record_handover_on_stage_move

GOALS = ("情绪逐步稳定，能说出让自己难受的事", "恢复规律作息，按时到校", "在班里有一两位可以说话的同学")
SUPPORTS = ("每周一次个别心理辅导；家长每周与班主任沟通一次", "减轻作业压力两周；必要时转介市精神卫生中心")
TASKS = ([{"who": "心理教师", "task": "每周个别辅导并记录"}, {"who": "班主任", "task": "每天留意情绪和出勤"}],
         [{"who": "家长", "task": "记录睡眠和饮食"}, {"who": "班主任", "task": "安排一位同伴结对"}])
ARRIVALS = 2


def _psych_teacher(school_id: int):
    assignment = (RoleAssignment.objects.filter(role=Role.PSYCH_TEACHER, school_id=school_id, is_active=True)
                  .select_related("user").order_by("user__username").first())
    return assignment.user if assignment else None


def _plans(now: datetime.datetime, rng: random.Random) -> list[PlanVersion]:
    at_risk = Student.objects.filter(alerts__level__in=[Level.RED, Level.ORANGE]).distinct().order_by("pk")
    written = []
    for number, student in enumerate(at_risk):
        author = _psych_teacher(student.school_id)
        if author is None:
            continue
        first = now - datetime.timedelta(days=rng.randint(30, 45))
        version = plan_save(student=student, actor=author, goals=rng.choice(GOALS), supports=rng.choice(SUPPORTS),
                            tasks=rng.choice(TASKS), review_on=(first + datetime.timedelta(days=28)).date(), now=first)
        if number % 2 == 0:   # revised at its review; the others are overdue for review
            revised = first + datetime.timedelta(days=28)
            version = plan_save(student=student, actor=author, goals=version.goals, supports=SUPPORTS[1],
                                tasks=[*version.tasks, {"who": "家长", "task": "每周与心理教师通话一次"}],
                                review_on=(revised + datetime.timedelta(days=42)).date(),
                                reason="复评：情绪好转，但睡眠仍差，加强家校配合", now=revised)
        written.append(version)
    return written


def _arrivals(city: Region, now: datetime.datetime) -> list[HandoverTask]:
    """Two J1 students who were in P6 at the first primary school until this autumn."""
    schools = School.objects.filter(district__parent=city).order_by("code")
    junior, primary = schools.filter(kind="junior").first(), schools.filter(kind="primary").first()
    sixth = SchoolClass.objects.filter(school=primary, grade__level="P6").first() if primary else None
    if junior is None or sixth is None or _psych_teacher(junior.pk) is None:
        return []
    tasks = []
    for student in Student.objects.filter(school=junior, school_class__grade__level="J1").order_by("pk")[:ARRIVALS]:
        enrolment = Enrolment.objects.get(student=student, ended_on__isnull=True)
        Enrolment.objects.create(student=student, school=primary, school_class=sixth, reason="入学",
                                 started_on=enrolment.started_on.replace(year=enrolment.started_on.year - 6),
                                 ended_on=enrolment.started_on)
        tasks.append(record_handover_on_stage_move(student=student, from_school=primary, from_level="P6",
                                                   now=now - datetime.timedelta(days=3)))
    return tasks


def seed_records(city: Region, now: datetime.datetime, rng: random.Random) -> None:
    _plans(now, rng)
    _arrivals(city, now)
