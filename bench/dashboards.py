"""Time the city and school dashboards against the current database.

Runs in-process with Django's test client (the whole request: middleware, queries, suppression,
template), --requests times per page after one warm-up request, and prints p50, p95 and the
queries of one request. The database is whatever the environment selects (DATABASE_URL for
PostgreSQL, else the SQLite file of XINSHAO_DATA_DIR), e.g. a full city seeded with
`xinshao seed-demo --schools 200 --students 145000 --seed 2026 --today 2026-11-28` (what
bench/seed_city.py times; that script drops its database afterwards, so seed one to keep).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xs_city .venv/bin/python bench/dashboards.py
    .venv/bin/python bench/dashboards.py --requests 50 --compare

The readers are the region's bureau admin (city) and the admin of the school with the most
students (school): aggregate-only readers, whose pages also run the small-cell suppression.
With --named they are the bureau psych centre and that school's psych teacher instead, whose
school page lists students and so writes one audit entry per request. Signing in stores one
session row, removed at the end.
"""
import argparse
import logging
import os
import statistics
import sys
import time


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _time(client, url: str, requests: int) -> tuple[list[float], int]:
    from django.db import connection

    queries = []
    # Counted as they run: a request's start clears connection.queries, so that log cannot be used.
    with connection.execute_wrapper(lambda execute, sql, params, many, context: (queries.append(sql),
                                                                                 execute(sql, params, many, context))[1]):
        response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}")
    timings = []
    for _n in range(requests):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return timings, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--compare", action="store_true", help="compare with the previous term (one more term's figures)")
    parser.add_argument("--named", action="store_true",
                        help="read as the psych centre and a psych teacher (names shown, audited) instead")
    args = parser.parse_args()

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinshao.settings")
    import django

    django.setup()
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import setup_test_environment

    from xinshao.accounts.models import RoleAssignment
    from xinshao.accounts.roles import Role
    from xinshao.org.models import School, Term
    from xinshao.people.models import Student

    setup_test_environment()  # lets the test client's host through ALLOWED_HOSTS
    logging.disable(logging.INFO)  # no request log line per timed request
    school = School.objects.annotate(n=Count("students", filter=Q(students__status=Student.Status.ENROLLED))) \
        .order_by("-n").first()
    if school is None:
        sys.exit("The database has no school: seed a city first (xinshao seed-demo).")
    city_role, school_role = ((Role.BUREAU_PSYCH_CENTRE, Role.PSYCH_TEACHER) if args.named
                              else (Role.BUREAU_ADMIN, Role.SCHOOL_ADMIN))
    readers = [RoleAssignment.objects.filter(role=city_role).select_related("user").first(),
               RoleAssignment.objects.filter(role=school_role, school=school).select_related("user").first()]
    if None in readers:
        sys.exit(f"No {city_role} or no {school_role} of {school.name} to read as.")
    query = ""
    if args.compare:
        terms = list(Term.objects.order_by("-starts_on")[:2])
        query = f"?compare={terms[-1].pk}" if len(terms) == 2 else ""
    pages = [("city", readers[0].user, f"/dashboards/city/{query}"),
             (f"school {school.name} ({school.n} students)", readers[1].user,
              f"/dashboards/schools/{school.pk}/{query}")]
    print(f"{args.requests} requests per page, database {django.db.connection.vendor}")
    for name, user, url in pages:
        client = Client()
        client.force_login(user)
        try:
            timings, queries = _time(client, url, args.requests)
        finally:
            client.logout()
        print(f"  {name:<40} p50 {statistics.median(timings):7.1f} ms   p95 {_percentile(timings, 0.95):7.1f} ms"
              f"   {queries} queries")


if __name__ == "__main__":
    main()
