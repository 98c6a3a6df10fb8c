"""Growth record objects for the access matrix: per side the student's plan (version 1) and a
pending handover task of the student's school."""
import datetime

from django.utils import timezone

from xinshao.access.tests.matrix_objects import Thing
from xinshao.records import services
from xinshao.records.models import HandoverTask


def matrix_side(city, side, objects):
    a = side == "A"
    student, psych = (city.chen, city.liu_a) if a else (city.zhou, city.wang_b)
    owners = objects["student_id"].owners
    version = services.plan_save(student=student, actor=psych, goals="情绪稳定", supports="每周心理辅导",
                                 tasks=[{"who": "班主任", "task": "每周谈话"}], review_on=datetime.date(2027, 1, 15))
    task = HandoverTask.objects.create(student=student, from_school=city.school_b if a else city.school_a,
                                       to_school=student.school, from_level="P6", to_level="J1",
                                       created_at=timezone.now())
    return {
        "plan_id": Thing(version.plan_id, owners),
        "version_number": Thing(version.number),
        "handover_id": Thing(task.pk, owners),
    }
