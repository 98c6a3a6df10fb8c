import pytest
from django.urls import reverse

from xinshao.alerts.models import Source
from xinshao.alerts.services import signal_receive
from xinshao.campaigns.services import TargetChoice
from xinshao.campaigns.tests.staff_support import make_campaign
from xinshao.exports.models import ExportJob


@pytest.fixture(autouse=True)
def _files_in_a_temporary_data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def alerts_both_sides(city):
    """A red alert about Chen (school A) and one about Zhou (school B)."""
    return [signal_receive(student=student, source=Source.TEACHER_REFERRAL, raised_by=teacher,
                           facts={"concerns": ["self_harm_talk"]}, note="说过不想活了").alert
            for student, teacher in [(city.chen, city.zhang_a1), (city.zhou, city.qian_b1)]]


@pytest.fixture
def school_campaign(city):
    return make_campaign(city, created_by=city.liu_a, school=city.school_a,
                         targets=[TargetChoice(school=city.school_a, level="J1")])


@pytest.fixture
def export(client_as, django_capture_on_commit_callbacks):
    """Ask for an export as `user` through the list page's buttons; the job runs when the request commits."""
    def ask(user, kind, file_format="xlsx", query=""):
        client = client_as(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("exports:create"), {"kind": kind, "format": file_format, "query": query})
        return response, ExportJob.objects.filter(requested_by=user).order_by("-id").first()
    return ask
