import pytest
from django.conf import settings
from django.utils import translation

from xinshao.testing import build_city


@pytest.fixture(autouse=True)
def default_language():
    """A request in English leaves English active in the thread; each test starts in zh-Hans."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def city(db):
    return build_city()


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
