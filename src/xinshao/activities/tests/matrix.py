"""Activities objects for the access matrix: per side a submitted application with one material
(side A filed by Ying's body for school A, side B by another body for school B) and a refusal
recorded by the side's school."""
import datetime
from decimal import Decimal

from django.utils import timezone

from xinshao.access.tests.matrix_objects import Thing
from xinshao.accounts.models import RoleAssignment, User
from xinshao.accounts.roles import Role
from xinshao.activities import services
from xinshao.activities.models import Refusal
from xinshao.org.models import OutsideBody
from xinshao.testing import PASSWORD

PDF = b"%PDF-1.4\n% matrix activity programme\n"


def other_applicant(city) -> User:
    """An applicant of a second outside body: someone outside the matrix, so side B has an owner."""
    body, _created = OutsideBody.objects.get_or_create(name="明州星光文化传播有限公司", defaults={"region": city.region})
    user = User.objects.filter(username="xing").first()
    if user is None:
        user = User.objects.create_user(username="xing", password=PASSWORD, display_name="邢经理")
        RoleAssignment.objects.create(user=user, role=Role.ACTIVITY_APPLICANT, outside_body=body)
    return user


def filed_application(applicant, school, *, title="校园安全知识讲座", days_ahead=7):
    today = timezone.localdate()
    application = services.application_save(
        actor=applicant, title=title, kind="lecture", purpose="面向初一学生的安全讲座", schools=[school],
        starts_on=today + datetime.timedelta(days=days_ahead), ends_on=today + datetime.timedelta(days=days_ahead),
        participants=300, teacher_hours=Decimal("2.0"), contact_person="联系人", contact_phone="13800000000")
    material = services.material_add(application=application, name="活动方案.pdf", content=PDF, actor=applicant)
    return services.application_submit(application=application, actor=applicant), material


def matrix_side(city, side, objects):
    a = side == "A"
    applicant, school, staff = (city.ying, city.school_a, city.song_a) if a else \
        (other_applicant(city), city.school_b, city.song_b)
    owners = frozenset({"ying"}) if a else frozenset()
    application, material = filed_application(applicant, school)
    refusal = services.refusal_record(school=school, body_name="某培训机构", activity="课间推销学习卡",
                                      happened_on=timezone.localdate(), ground=Refusal.Ground.NO_APPROVAL, actor=staff)
    return {
        "application_id": Thing(application.pk, owners),
        "material_id": Thing(material.pk, owners),
        "refusal_id": Thing(refusal.pk),
    }
