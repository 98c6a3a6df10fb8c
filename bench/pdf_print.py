"""Time the PDFs people print: one class's code sheet, a case timeline, and a whole school's sheets.

Each run starts from a fresh embedded database (SQLite in a temporary folder) holding a demo city
with classes of about 40 students; the class sheet is the demo screening's largest class, the
timeline the demo's longest case. Each PDF is made --repeat times in one process (the first
includes loading the fonts); prints every time and the median after the first. Then a whole
school's sheets are made once as the background export job makes them (exports/school_sheets.py):
a campaign of every class of the school with the most classes; prints the seconds per class and
for 40 classes.

    .venv/bin/python bench/pdf_print.py [--repeat 5]
"""
import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time

SEED_ARGS = ["seed_demo", "--schools", "6", "--students", "6000", "--seed", "2026", "--today", "2026-11-28"]


def school_sheets_timed(request) -> None:
    """The background job's work for a whole school, in-process: a campaign of the school's every
    class (the school with the most classes), every class rendered, then one PDF."""
    import datetime

    from django.db.models import Count
    from django.utils import timezone

    from xinshao.campaigns.models import Campaign
    from xinshao.campaigns.services import BatteryChoice, TargetChoice, campaign_create, campaign_open
    from xinshao.exports.school_sheets import school_sheets_pdf
    from xinshao.org.models import School, Term

    school = School.objects.annotate(n=Count("classes")).order_by("-n").first()
    psych = school_psych(school)
    now = timezone.now()
    campaign = campaign_open(campaign=campaign_create(
        created_by=psych, name="全校答题卡计时", audience=Campaign.Audience.STUDENTS,
        term=Term.objects.order_by("-starts_on").first(), opens_at=now, closes_at=now + datetime.timedelta(days=7),
        consent_rule=Campaign.ConsentRule.NOT_REQUIRED, battery=[BatteryChoice("phqa")], school=school,
        targets=[TargetChoice(school=school)]), actor=psych)
    steps = []
    started = time.perf_counter()
    made = school_sheets_pdf(psych, {"campaign": campaign.pk, "school": school.pk,
                                     "origin": request.build_absolute_uri("/")},
                             lambda done, total: steps.append((done, total)))
    seconds = time.perf_counter() - started
    print(f"whole school's sheets ({made.rows} classes, {len(made.student_ids)} students): {seconds:.2f} s, "
          f"{seconds / max(made.rows, 1):.2f} s a class (40 classes: about {40 * seconds / max(made.rows, 1):.0f} s); "
          f"{len(steps)} progress steps; {len(made.content) / 1024:.0f} kB", flush=True)


def school_psych(school):
    from xinshao.accounts.models import RoleAssignment
    from xinshao.accounts.roles import Role

    return RoleAssignment.objects.filter(role=Role.PSYCH_TEACHER, school=school, is_active=True).first().user


def _timed(make) -> tuple[float, int]:
    started = time.perf_counter()
    pdf = make()
    return time.perf_counter() - started, len(pdf)


def inside(repeat: int) -> None:
    """In a process whose environment names the database: migrate, seed, make each PDF `repeat` times."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinshao.settings")
    django.setup()
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import RequestFactory

    from xinshao.accounts.models import RoleAssignment
    from xinshao.accounts.roles import Role
    from xinshao.campaigns.models import Assignment, Campaign
    from xinshao.campaigns.sheets import sheets_print
    from xinshao.cases.models import Case
    from xinshao.cases.timeline.selectors import timeline_pdf, timeline_read
    from xinshao.org.models import SchoolClass

    call_command("migrate", verbosity=0)
    call_command(*SEED_ARGS, verbosity=0, stdout=io.StringIO())  # not the demo logins
    request = RequestFactory().get("/", SERVER_NAME="127.0.0.1")
    campaign = Campaign.objects.filter(audience=Campaign.Audience.STUDENTS, school__isnull=False).first()
    largest = (Assignment.objects.filter(campaign=campaign).values("student__school_class")
               .annotate(n=Count("id")).order_by("-n").first())
    school_class = SchoolClass.objects.filter(pk=largest["student__school_class"])
    psych = RoleAssignment.objects.get(role=Role.PSYCH_TEACHER, school=campaign.school, user__username__endswith="psych1").user
    case = Case.objects.annotate(n=Count("events")).order_by("-n").first()
    case_psych = RoleAssignment.objects.filter(role=Role.PSYCH_TEACHER, school=case.school).first().user
    timeline = timeline_read(case=case, viewer=case_psych, request=request, action="bench", with_notes=True)
    for label, make in [
        (f"class sheet ({largest['n']} students)", lambda: sheets_print(campaign=campaign, classes=school_class,
                                                                          actor=psych, request=request)),
        (f"case timeline ({len(timeline.entries)} entries)", lambda: timeline_pdf(timeline, printed_by=case_psych,
                                                                                  request=request)),
    ]:
        times = []
        for _ in range(repeat):
            seconds, size = _timed(make)
            times.append(seconds)
        print(f"{label}: " + ", ".join(f"{t:.2f}" for t in times) + f" s; median after the first "
              f"{statistics.median(times[1:] or times):.2f} s; {size / 1024:.0f} kB", flush=True)
    school_sheets_timed(request)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, choices=range(1, 21))
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.inside:
        inside(options.repeat)
        return
    with tempfile.TemporaryDirectory(prefix="xs-pdf-bench-") as data_dir:
        env = {**os.environ, "XINSHAO_DATA_DIR": data_dir, "LOG_LEVEL": "WARNING"}
        env.pop("DATABASE_URL", None)
        subprocess.run([sys.executable, __file__, "--inside", "--repeat", str(options.repeat)], env=env, check=True,
                       timeout=1800)


if __name__ == "__main__":
    main()
