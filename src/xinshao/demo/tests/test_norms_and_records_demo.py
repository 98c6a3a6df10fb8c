"""The demo city's local norms (demo/norms.py) and a screened student's growth record: the
analyst's and the psych teacher's pages have something real to show."""
import io

import pytest
from django.core.management import call_command

from xinshao.accounts.models import User
from xinshao.alerts.models import Alert
from xinshao.norms.models import NormTable

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())


def test_the_bureau_has_the_screenings_norms_with_small_groups_withheld(demo, client):
    tables = list(NormTable.objects.order_by("pk"))
    assert [table.instrument_id for table in tables] == ["phqa", "gad7"]
    for table in tables:
        assert table.respondents == table.complete > 0 and table.alpha is not None
        assert not table.groups and sum(group["n"] for group in table.withheld) == table.respondents
    client.force_login(User.objects.get(username="bureau.analyst"), backend="django.contrib.auth.backends.ModelBackend")
    assert "人数不足，未发布" in client.get(f"/norms/{tables[0].pk}/").content.decode()


def test_the_psych_teacher_opens_the_record_of_the_student_with_the_red_alert(demo, client):
    student = Alert.objects.get(level="red", student__school__code="S002").student
    client.force_login(User.objects.get(username="s002.psych1"), backend="django.contrib.auth.backends.ModelBackend")
    html = client.get(f"/records/students/{student.pk}/").content.decode()
    assert "<svg" in html and "自杀风险筛查问题" in html and "红色" in html


def test_students_at_risk_have_plans_and_a_psych_teacher_has_arrivals_to_acknowledge(demo, client):
    from xinshao.records.models import HandoverTask, IndividualPlan
    at_risk = set(Alert.objects.filter(level__in=["red", "orange"]).values_list("student_id", flat=True))
    plans = IndividualPlan.objects.filter(state="active")
    assert set(plans.values_list("student_id", flat=True)) == at_risk
    assert {plan.versions.count() for plan in plans} == {1, 2}
    task = HandoverTask.objects.filter(state="pending").select_related("to_school").first()
    assert HandoverTask.objects.filter(state="pending").count() == 2 and task.from_level == "P6"
    psych = User.objects.filter(role_assignments__role="psych_teacher", role_assignments__school=task.to_school).first()
    client.force_login(psych, backend="django.contrib.auth.backends.ModelBackend")
    listing = client.get("/records/handovers/").content.decode()
    assert task.student.name in listing and task.from_school.name in listing
    assert client.get(f"/records/students/{task.student_id}/").status_code == 200
