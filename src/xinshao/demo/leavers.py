"""A student who left the demo city's schools (people.services.student_leave): in the screening
school, a student moved away with their family ten days ago. Their enrolment ended that day,
a screening they had still to answer was withdrawn, and their page says when retention anonymises them."""
import datetime

from django.utils import timezone

from xinshao.accounts.models import RoleAssignment
from xinshao.accounts.roles import Role
from xinshao.campaigns.models import Assignment, Campaign
from xinshao.org.models import Region, School
from xinshao.people.models import Enrolment, Student
from xinshao.people.services import Leaving, student_leave
from xinshao.records.models import HandoverTask

AGO = datetime.timedelta(days=10)


def seed_leaver(city: Region, now: datetime.datetime) -> Leaving | None:
    """In the screening school (else the first school), a student with a screening still to answer
    if there is one; never one who signs in, has an alert or waits for a handover."""
    campaign = Campaign.objects.filter(audience=Campaign.Audience.STUDENTS, school__isnull=False).order_by("id").first()
    school = campaign.school if campaign else School.objects.filter(district__parent=city).order_by("code").first()
    admin = (RoleAssignment.objects.filter(role=Role.SCHOOL_ADMIN, school=school, is_active=True)
             .select_related("user").first())
    with_login = RoleAssignment.objects.filter(student__isnull=False).values("student_id")
    candidates = (Student.objects.filter(school=school, alerts__isnull=True).exclude(id__in=with_login)
                  .exclude(id__in=HandoverTask.objects.values("student_id")).order_by("-student_number"))
    student = candidates.filter(assignments__status=Assignment.Status.NOT_STARTED).first() or candidates.first()
    if admin is None or student is None:
        return None
    started = Enrolment.objects.get(student=student, ended_on__isnull=True).started_on
    on = max(started, timezone.localdate(now) - AGO)
    if on > timezone.localdate():   # a --today ahead of the clock: the year has not started yet
        return None
    return student_leave(student=student, on=on, status=Student.Status.TRANSFERRED_OUT, actor=admin.user,
                         reason="随父母工作调动迁往外省")
