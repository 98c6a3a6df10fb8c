"""Signed-in staff sessions and the pages each reads, for bench/mixed_day.py.

Runs inside Django (DATABASE_URL and XINSHAO_DATA_DIR as for the server) on a seeded demo city.
For the first --schools schools (by code): the psych teacher, the school admin and one class
teacher; for the city: the bureau admin and the psych centre. Each session is made as a real
sign-in leaves it (second factor passed), and each person gets the pages of their working day:
home, alert inbox, case list, a student's growth record, the school and city dashboards, the class
view, the attention list. Writes JSON: [{"cookie": "sessionid=...", "pages": [...]}, ...].

    python bench/mixed_sessions.py OUTPUT.json [--schools 20]
"""
import argparse
import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinshao.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.test import Client  # noqa: E402

from xinshao.accounts import two_factor  # noqa: E402
from xinshao.accounts.models import RoleAssignment  # noqa: E402
from xinshao.accounts.roles import Role  # noqa: E402
from xinshao.campaigns.models import InstrumentResult  # noqa: E402
from xinshao.org.models import School  # noqa: E402


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    session = SessionStore(session_key=key)
    session[two_factor.SESSION_FLAG] = True
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={key}"


def _first(role: str, **scope):
    assignment = RoleAssignment.objects.filter(role=role, is_active=True, **scope).select_related("user").first()
    return assignment.user if assignment else None


def people(schools: int) -> list[dict]:
    staff = []
    for school in School.objects.order_by("code")[:schools]:
        screened = InstrumentResult.objects.filter(student__school=school).values_list("student_id", flat=True).first()
        record = [f"/records/students/{screened}/"] if screened else []
        psych = _first(Role.PSYCH_TEACHER, school=school)
        if psych:
            staff.append((psych, ["/", "/alerts/", "/cases/", f"/dashboards/schools/{school.pk}/", *record]))
        admin = _first(Role.SCHOOL_ADMIN, school=school)
        if admin:
            staff.append((admin, ["/", f"/dashboards/schools/{school.pk}/"]))
        teaching = (RoleAssignment.objects.filter(role=Role.CLASS_TEACHER, is_active=True, school_class__school=school)
                    .select_related("user").first())
        if teaching:
            staff.append((teaching.user, ["/", f"/dashboards/classes/{teaching.school_class_id}/", "/care/attention/"]))
    for role in (Role.BUREAU_ADMIN, Role.BUREAU_PSYCH_CENTRE):
        user = _first(role)
        if user:
            staff.append((user, ["/", "/dashboards/city/"]))
    return [{"cookie": _session(user), "pages": pages} for user, pages in staff]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output")
    parser.add_argument("--schools", type=int, default=20)
    options = parser.parse_args()
    sessions = people(options.schools)
    with open(options.output, "w") as output:
        json.dump(sessions, output)
    print(f"{len(sessions)} staff sessions, {sum(len(s['pages']) for s in sessions)} pages")


if __name__ == "__main__":
    main()
