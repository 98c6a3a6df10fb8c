"""The hotline's objects for the access matrix: a call about the side's student (logged by the
operator Re, so "own" to re) with a call-back owed, and a walk-in visit naming the student."""
import datetime

from django.utils import timezone

from xinshao.access.tests.matrix_objects import Thing
from xinshao.hotline.models import Call, Topic, Visit


def matrix_side(city, side: str, objects) -> dict[str, Thing]:
    student, school = (city.chen, city.school_a) if side == "A" else (city.zhou, city.school_b)
    now = timezone.now()
    call = Call.objects.create(
        region=city.region, operator=city.re, started_at=now - datetime.timedelta(hours=2), duration_minutes=12,
        channel="phone", call_type="help", caller_type="student", risk="low", student=student, school=school,
        notes="来电谈到考试压力", callback_due_at=now + datetime.timedelta(days=1))
    call.topics.set(Topic.objects.filter(name="学业压力"))
    visit = Visit.objects.create(region=city.region, visited_at=now - datetime.timedelta(days=1), counselor=city.xin,
                                 recorded_by=city.xin, family_members="母亲 王丽", presenting_concern="孩子不愿上学",
                                 outcome="continue", next_visit_on=timezone.localdate() + datetime.timedelta(days=7))
    visit.students.set([student])
    return {"call_id": Thing(call.pk, frozenset({"re"})), "visit_id": Thing(visit.pk)}
