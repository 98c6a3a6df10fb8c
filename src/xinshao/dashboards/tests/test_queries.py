"""Each dashboard runs a fixed, small number of queries: more schools, classes, students, results
and alerts do not add any."""
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from xinshao.alerts.tests.support import campaign_in, stored_result
from xinshao.dashboards.services import tallies_ensure
from xinshao.org.models import Grade, School, SchoolClass
from xinshao.testing import enrolled_student

from .support import MODERATELY_SEVERE, seed

CITY_QUERIES = 40
SCHOOL_QUERIES = 40
CLASS_QUERIES = 25


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def _more_of_everything(city):
    campaign = campaign_in(city, name="补测")
    for n in range(3):
        school = School.objects.create(code=f"C{n:03}", name=f"新校{n}", kind="junior", district=city.district_a)
        grade = Grade.objects.create(school=school, level="J2")
        for c in range(2):
            school_class = SchoolClass.objects.create(school=school, grade=grade, name=f"{c + 1}班")
            for s in range(3):
                student = enrolled_student(school, school_class, f"C{n}{c}{s}", f"新生{n}{c}{s}", "MF"[s % 2],
                                           (2012, 1, 1 + s))
                stored_result(campaign, student, "phqa", MODERATELY_SEVERE)
    extra_class = SchoolClass.objects.create(school=city.school_a, grade=city.class_a1.grade, name="3班")
    for s in range(4):
        stored_result(campaign, enrolled_student(city.school_a, extra_class, f"A3{s}", f"三班{s}", "F",
                                                 (2013, 3, 1 + s)), "phqa", MODERATELY_SEVERE)


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_dashboards_run_the_same_few_queries_however_much_they_count(city, django_assert_max_num_queries):
    seeded = seed(city)
    tallies_ensure()  # the first view of a term counts its tallies once (services.py)
    pages = {
        (city.bai, f"/dashboards/city/?compare={seeded.previous.pk}"): CITY_QUERIES,
        (city.xin, "/dashboards/city/"): CITY_QUERIES,
        (city.liu_a, f"/dashboards/schools/{city.school_a.pk}/?compare={seeded.previous.pk}"): SCHOOL_QUERIES,
        (city.song_a, f"/dashboards/schools/{city.school_a.pk}/"): SCHOOL_QUERIES,
        (city.zhang_a1, f"/dashboards/classes/{city.class_a1.pk}/"): CLASS_QUERIES,
    }
    clients = {user: _signed_in(user) for user, _url in pages}
    before = {key: _queries(clients[key[0]], key[1]) for key in pages}
    _more_of_everything(city)
    for (user, url), limit in pages.items():
        with django_assert_max_num_queries(limit):
            assert clients[user].get(url).status_code == 200
        assert _queries(clients[user], url) == before[(user, url)], url
    print(before)
