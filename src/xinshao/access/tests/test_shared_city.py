"""The test city is built once per worker and shared: each test gets fresh copies of its people
and rolls back what it wrote; a test that does not ask for the city does not see it."""
import pytest

from xinshao.accounts.models import User
from xinshao.people.models import Student
from xinshao.testing import WorkerCity


def test_the_city_is_the_one_built_for_this_worker_as_fresh_copies(city):
    assert city.chen.pk == WorkerCity.built.chen.pk
    assert city.chen is not WorkerCity.built.chen and city.school_a is not WorkerCity.built.school_a


@pytest.mark.parametrize("attempt", [1, 2])
def test_what_a_test_changes_in_the_city_is_gone_for_the_next(city, attempt):
    assert city.chen.name == "陈小雨" and Student.objects.get(pk=city.chen.pk).name == "陈小雨"
    city.chen.name = f"改名{attempt}"
    city.chen.save()
    User.objects.filter(pk=city.liu_a.pk).update(display_name="改了")


def test_a_database_test_that_does_not_ask_for_the_city_finds_none(db):
    assert not User.objects.exists() and not Student.objects.exists()
