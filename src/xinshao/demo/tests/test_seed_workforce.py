"""The demo city's workforce (demo/workforce.py): registers near the bureau's report, certificates,
a training in progress with its enrolment, designations, and the bureau's home leading to them."""
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xinshao.accounts.models import RoleAssignment
from xinshao.accounts.roles import Role
from xinshao.org.models import School
from xinshao.workforce import selectors
from xinshao.workforce.models import Designation, Employment, Post, StaffMember, TrainingEvent

from .test_seed_demo import seed

DEMO = ("--schools", "12", "--students", "6000", "--today", "2026-11-28")


def test_the_demo_city_has_a_workforce_certificates_a_training_under_way_and_designations(db):
    seed(*DEMO)
    logins = set(RoleAssignment.objects.filter(role__in=[Role.PSYCH_TEACHER, Role.CLASS_TEACHER])
                 .values_list("user_id", flat=True))
    assert logins == set(StaffMember.objects.filter(user__isnull=False).values_list("user_id", flat=True))
    assert StaffMember.objects.filter(user__isnull=True, post=Post.PSYCH_TEACHER).exists()  # part-timers, no login

    psych = StaffMember.objects.filter(post=Post.PSYCH_TEACHER)
    full_time = psych.filter(employment=Employment.FULL_TIME).count()
    assert 0.08 <= full_time / psych.count() <= 0.35  # the report: 111 of 664, about one in six
    staffing = selectors.staffing(School.objects.all())
    assert staffing.without_full_time and "S002" in {line.school.code for line in staffing.without_full_time}

    today = timezone.localdate()
    rate = selectors.certification(School.objects.all(), today).rate
    assert 78 <= rate <= 90, rate  # the report's 84.3%

    under_way = TrainingEvent.objects.filter(starts_on__lte=today, ends_on__gte=today)
    assert under_way.count() == 1 and under_way.get().enrolments.exists()
    assert TrainingEvent.objects.filter(ends_on__lt=today, enrolments__certificate__isnull=False).exists()
    assert Designation.objects.filter(school__code="S001").exists()

    client = Client()
    client.post(reverse("accounts:login"), {"username": "bureau.admin", "password": "xinshao-demo"})
    home = client.get(reverse("core:home")).content.decode()
    assert reverse("workforce:certification") in home and reverse("workforce:designations") in home
    assert client.get(reverse("workforce:certification")).status_code == 200
