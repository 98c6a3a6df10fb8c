"""The demo city's exports (demo/exports.py): the screening school's psych teacher finds a finished
roster and completion export under 我的导出, with the school's students in the roster."""
import io

import openpyxl
import pytest
from django.core.management import call_command

from xinshao.exports.models import ExportJob
from xinshao.exports.services import export_file
from xinshao.people.models import Student

pytestmark = pytest.mark.django_db


def test_the_demo_psych_teacher_has_a_finished_roster_and_completion_export(settings, tmp_path,
                                                                           django_capture_on_commit_callbacks):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--schools", "6", "--students", "600", stdout=io.StringIO())

    jobs = {job.kind: job for job in ExportJob.objects.all()}
    assert set(jobs) == {"roster", "completion"} and {job.state for job in jobs.values()} == {"done"}
    roster = jobs["roster"]
    school = roster.requested_by.role_assignments.get(role="psych_teacher").school
    rows = list(openpyxl.load_workbook(export_file(roster), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert len(rows) - 1 == Student.objects.filter(school=school).count()
