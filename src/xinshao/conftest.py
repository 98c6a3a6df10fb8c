import copy

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from xinshao.testing import WorkerCity, city_delete

# Fixture names that give a test the database, as pytest-django reads them.
DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences",
                     "django_db_serialized_rollback"}


@pytest.fixture(autouse=True)
def default_language():
    """A request in English leaves English active in the thread; each test starts in zh-Hans."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def _worker_city(django_db_setup, django_db_blocker):
    # Session scope sets this up before any test's transaction opens, so the city is committed
    # and each test rolls back to it.
    with django_db_blocker.unblock():
        WorkerCity.ensure()


@pytest.fixture
def city(_worker_city, db):
    """The test city, as fresh copies: a test's in-memory changes never reach the next test."""
    return copy.deepcopy(WorkerCity.ensure())


@pytest.fixture(autouse=True)
def _no_city_unless_asked(request):
    """A database test that does not ask for the city runs without it, as if it had never been built."""
    wants_database = request.node.get_closest_marker("django_db") or DATABASE_FIXTURES & set(request.fixturenames)
    if "city" in request.fixturenames or WorkerCity.built is None or not wants_database:
        return
    request.getfixturevalue("db")
    if WorkerCity.in_database():
        city_delete(WorkerCity.built)
        if not connection.in_atomic_block:  # a transactional test: the deletion is committed
            WorkerCity.built = None


@pytest.fixture
def client_as(client):
    """Sign the test client in as a user: client_as(city.liu_a).get(...)."""
    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client
    return sign_in


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium driven by Playwright (no browser download; closed network)."""
    import os

    if not os.path.exists(CHROMIUM):
        if os.environ.get("XINSHAO_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are ordinary synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def phone_page(chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", device_scale_factor=2)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop_page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    yield context.new_page()
    context.close()
