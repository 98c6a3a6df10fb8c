import datetime
import time
from argparse import ArgumentTypeError

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import timezone

from xinshao.demo.builder import DemoCityError, DemoCityRequest, build_demo_city, existing_city
from xinshao.demo.logins import demo_logins, format_logins
from xinshao.demo.plan import CITY_CODE
from xinshao.demo.staff import DEMO_PASSWORD
from xinshao.org.models import School, SchoolClass
from xinshao.people.models import Guardian, Student


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = (
        "Build the demo city 明州市 and print a demo login for every role. Districts and counties, "
        "schools of every kind (public and private), the current and previous term, classes of about "
        "40-45, students with guardians, partner agencies, and staff, students and guardians who can "
        f"sign in, all with the password {DEMO_PASSWORD}. The same --seed and --today build the same "
        "city. If the database already holds a city, nothing is added and the logins are printed again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=6, metavar="N",
                            help="number of schools (default 6, at least 6: one of each kind)")
        parser.add_argument("--students", type=int, default=3000, metavar="N",
                            help="number of students across all schools (default 3000, at least 20 per school)")
        parser.add_argument("--seed", type=int, default=2026, metavar="N",
                            help="random seed (default 2026): the same seed gives the same city")
        parser.add_argument(
            "--today", type=_date, default=None, metavar="YYYY-MM-DD",
            help="reference date (default: today in Asia/Shanghai); it sets the school year, the terms "
                 "and so the grades' birth years",
        )

    def handle(self, *args, schools, students, seed, today, **options):
        try:
            request = DemoCityRequest(seed=seed, schools=schools, students=students,
                                      today=today or timezone.localdate())
        except DemoCityError as error:
            raise CommandError(str(error)) from error
        city = existing_city()
        if city and city.code != CITY_CODE:
            self.stdout.write(f"The database already holds the city {city.name} ({city.code}); "
                              "the demo city is not added to it.")
            return
        if city:
            self.stdout.write(f"The demo city {city.name} is already in the database; nothing added.")
        else:
            started = time.perf_counter()
            try:
                city = build_demo_city(request)
            except DemoCityError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"Built the demo city {city.name} in {time.perf_counter() - started:.1f} s: "
                              f"{self._census(city)}.")
        self.stdout.write(f"\nDemo logins (every demo user's password is {DEMO_PASSWORD}):\n")
        self.stdout.write(format_logins(demo_logins(city)))

    @staticmethod
    def _census(city) -> str:
        schools = School.objects.filter(district__parent=city)
        kinds = dict(schools.values_list("kind").annotate(n=Count("id")).order_by())
        labels = dict(School._meta.get_field("kind").choices)
        by_kind = ", ".join(f"{labels[kind]} {kinds[kind]}" for kind in labels if kind in kinds)
        return (f"{city.children.count()} districts and counties, {schools.count()} schools ({by_kind}), "
                f"{SchoolClass.objects.filter(school__in=schools).count():,} classes, "
                f"{Student.objects.filter(school__in=schools).count():,} students, "
                f"{Guardian.objects.count():,} guardians")
