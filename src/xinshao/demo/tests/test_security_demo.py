"""The demo city's security data (demo/security.py): the bureau admin's unusual access report shows
the psych centre's emergency access with its reason, and the psych centre can open that record."""
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from xinshao.accounts.models import BreakGlassGrant, User

pytestmark = pytest.mark.django_db


def test_the_demo_shows_a_break_glass_access_on_the_unusual_access_report(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", "--schools", "6", "--students", "600", stdout=io.StringIO())
    grant = BreakGlassGrant.objects.get()
    client = Client()
    client.force_login(User.objects.get(username="bureau.admin"))
    report = client.get(reverse("audit:unusual")).content.decode()
    assert grant.reason in report and grant.student.name in report
    client.force_login(grant.user)
    assert client.get(reverse("records:student", args=[grant.student_id])).status_code == 200
