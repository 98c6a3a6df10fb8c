"""Lists of cases name students with their risk level: each view writes one audit entry naming
the students shown on the page, and only those."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from xinshao.audit.models import AuditEntry
from xinshao.cases.followups.services import followup_plan
from xinshao.cases.services import case_open

pytestmark = pytest.mark.django_db


def _listed(action: str, user) -> list[list[int]]:
    return [e.detail["students"] for e in AuditEntry.objects.filter(action=action, actor_id=user.pk).order_by("id")]


def test_the_case_list_names_the_students_it_shows(city, client_as):
    case_open(student=city.chen, level="red", reason="自伤言语，需要评估", actor=city.liu_a)
    case_open(student=city.zhou, level="yellow", reason="情绪低落两周", actor=city.wang_b)

    client_as(city.liu_a).get(reverse("cases:list"))
    client_as(city.liu_a).get(reverse("cases:list"))

    assert _listed("cases.list_viewed", city.liu_a) == [[city.chen.pk], [city.chen.pk]]  # one per view


def test_the_overdue_list_names_only_the_students_shown_by_name(city, client_as):
    past = timezone.now() - datetime.timedelta(days=10)
    for student, level, owner in ((city.chen, "red", city.liu_a), (city.zhou, "yellow", city.wang_b)):
        case = case_open(student=student, level=level, reason="情绪低落两周", actor=owner, now=past)
        followup_plan(case=case, due_on=timezone.localdate(past) + datetime.timedelta(days=2), actor=owner, now=past)

    page = client_as(city.xin).get(reverse("cases:overdue_follow_ups")).content.decode()

    # The bureau centre sees both rows but may open only the red case: Zhou's row has no name.
    assert city.chen.name in page and city.zhou.name not in page
    assert _listed("cases.follow_ups_overdue_viewed", city.xin) == [[city.chen.pk]]
