"""Compliance objects for the access matrix: per side, an access request for the side's school
(asked by its school admin, pending), an incident of the city, and the side's psych teacher as the
person whose history and lock are looked after."""
from django.utils import timezone

from xinshao.access.tests.matrix_objects import Thing
from xinshao.accounts.models import User
from xinshao.accounts.roles import Role
from xinshao.compliance import services
from xinshao.testing import PASSWORD


def matrix_side(city, side, objects):
    a = side == "A"
    school, admin, psych = (city.school_a, city.song_a, city.liu_a) if a else (city.school_b, city.song_b, city.wang_b)
    candidate = User.objects.create_user(username=f"candidate_{side.lower()}", password=PASSWORD)
    grant = services.access_request(requested_by=admin, user=candidate, role=Role.PSYCH_TEACHER, unit=school,
                                    reason="新聘兼职心理教师")
    incident = services.incident_report(actor=city.bai, region=city.region, title=f"矩阵事件 {side}",
                                        description="名单误发", discovered_at=timezone.now(), affected_count=1,
                                        data_kinds=["identity"])
    return {"access_request_id": Thing(grant.pk), "incident_id": Thing(incident.pk), "person_id": Thing(psych.pk)}
